import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createCipheriv, createDecipheriv, createHash, generateKeyPairSync, privateDecrypt, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { AzureLogger, getLogLevel, setLogLevel } from '@azure/logger';
import { startTestEmulator, containerUrl } from '../support/emulator';
import { serviceFor } from '../support/service';
import type { Emulator } from '../emulator';
import type { KeyVaultService } from '../../src/keyvault/service';
import { isKeyVaultError, type KeyVaultErrorKind } from '../../src/keyvault/errors';
import type { JsonWebPrivateKey, KeyCurveName, KeyVaultKey } from '../../src/keyvault/models/keys';
import type { EncryptionAlgorithm, SignatureAlgorithm } from '../../src/keyvault/models/crypto';
import { digestFor } from '../../src/keyvault/crypto/digest';
import { encryptLocally, verifyLocally } from '../../src/keyvault/crypto/localVerify';
import { algorithmsFor } from '../../src/keyvault/crypto/algorithms';
import { pemToJwk } from '../../src/keyvault/crypto/pem';

const kvError =
  (kind: KeyVaultErrorKind, message?: RegExp) =>
  (e: unknown): boolean => {
    assert.ok(isKeyVaultError(e), `expected a KeyVaultError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    if (message) assert.match(e.message, message);
    return true;
  };

const flipped = (b: Uint8Array): Uint8Array => {
  const c = Uint8Array.from(b);
  c[0]! ^= 0x01;
  return c;
};

describe('crypto service against the emulator', () => {
  let emu: Emulator;
  let svc: KeyVaultService;
  let vault: string;
  let hsm: string;
  let rsaKey: KeyVaultKey;
  const ecKeys = {} as Record<KeyCurveName, KeyVaultKey>;
  /** An RSA key whose private half this test holds too, to check the service's output independently. */
  const ownRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let ownRsaKey: KeyVaultKey;
  /** Likewise an AES key imported into the HSM. */
  const aesBytes = randomBytes(32);
  let aesKey: KeyVaultKey;

  before(async () => {
    emu = await startTestEmulator({ seed: 'empty' });
    svc = serviceFor(emu.ready);
    vault = containerUrl(emu.ready, 'kv-demo');
    hsm = containerUrl(emu.ready, 'hsm-demo');
    rsaKey = await svc.keys.create(vault, 'crypto-rsa', { kty: 'RSA', keySize: 2048 });
    for (const curve of ['P-256', 'P-384', 'P-521', 'P-256K'] as const) ecKeys[curve] = await svc.keys.create(vault, `crypto-ec-${curve.toLowerCase()}`, { kty: 'EC', curve });
    ownRsaKey = await svc.keys.import(vault, 'crypto-own-rsa', { ...(ownRsa.privateKey.export({ format: 'jwk' }) as JsonWebPrivateKey), kty: 'RSA' });
    aesKey = await svc.keys.import(hsm, 'crypto-own-aes', { kty: 'oct-HSM', k: aesBytes.toString('base64url'), key_ops: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'] });
  });
  after(async () => {
    svc.dispose();
    await emu.close();
  });

  it('signs with the service and verifies both locally and with the service, for every RSA and EC algorithm', async () => {
    const cases: [KeyVaultKey, SignatureAlgorithm][] = [
      ...(['PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512'] as const).map((a): [KeyVaultKey, SignatureAlgorithm] => [rsaKey, a]),
      ...(Object.values(ecKeys).map((k) => [k, algorithmsFor(k).sign[0]!]) as [KeyVaultKey, SignatureAlgorithm][]),
    ];
    for (const [key, alg] of cases) {
      const digest = digestFor(alg, `payload for ${alg}`);
      const { signature, keyId, algorithm } = await svc.crypto.sign(key, alg, digest);
      assert.equal(keyId, key.id);
      assert.equal(algorithm, alg);
      assert.equal(verifyLocally(key.key, alg, digest, signature), true, `${alg} local`);
      assert.equal(await svc.crypto.verify(key, alg, digest, signature), true, `${alg} service`);
      assert.equal(verifyLocally(key.key, alg, flipped(digest), signature), false, `${alg} local, other digest`);
      assert.equal(await svc.crypto.verify(key, alg, flipped(digest), signature), false, `${alg} service, other digest`);
    }
  });

  it('hashes data locally for signData and sends only the digest', async () => {
    const data = 'an order for 12 widgets';
    emu.recordExchanges = true;
    emu.exchanges.length = 0;
    const r = await svc.crypto.signData(ecKeys['P-384'], 'ES384', data);
    emu.recordExchanges = false;
    assert.deepEqual(Buffer.from(r.digest), createHash('sha384').update(data).digest());
    assert.equal(verifyLocally(ecKeys['P-384'].key, 'ES384', r.digest, r.signature), true);
    const sent = emu.exchanges.find((x) => x.operationId === 'sign')!.requestBody as { alg: string; value: string };
    assert.deepEqual(sent, { alg: 'ES384', value: Buffer.from(r.digest).toString('base64url') });
  });

  it('signs any data with signData so that the public key verifies it, and no other data', async () => {
    // Every hashing algorithm each key offers (RSNULL signs raw bytes, signData does not apply).
    const pairs = [rsaKey, ...Object.values(ecKeys)].flatMap((k) => algorithmsFor(k).sign.filter((a) => a !== 'RSNULL').map((a) => [k, a] as const));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...pairs), fc.uint8Array({ maxLength: 4096 }), fc.uint8Array({ minLength: 1, maxLength: 64 }), async ([key, alg], data, other) => {
        const r = await svc.crypto.signData(key, alg, data);
        assert.equal(verifyLocally(key.key, alg, digestFor(alg, data), r.signature), true);
        const different = Buffer.concat([data, other]);
        assert.equal(verifyLocally(key.key, alg, digestFor(alg, different), r.signature), false);
      }),
      { numRuns: 40, seed: 17 },
    );
  });

  it('decrypts with the service what was encrypted locally with the public key, for each RSA algorithm', async () => {
    for (const alg of ['RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5'] as const) {
      const plaintext = randomBytes(48);
      const ciphertext = encryptLocally(rsaKey.key, alg, plaintext);
      const r = await svc.crypto.decrypt(rsaKey, alg, ciphertext);
      assert.deepEqual(Buffer.from(r.plaintext), plaintext, alg);
      assert.equal(r.keyId, rsaKey.id);
    }
  });

  it('encrypts with the service what the private key decrypts locally, and round-trips through the service', async () => {
    for (const [alg, oaepHash] of [['RSA-OAEP', 'sha1'], ['RSA-OAEP-256', 'sha256']] as const) {
      const plaintext = randomBytes(32);
      const r = await svc.crypto.encrypt(ownRsaKey, alg, plaintext);
      assert.equal(r.ciphertext.length, 256);
      assert.deepEqual(privateDecrypt({ key: ownRsa.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, r.ciphertext), plaintext, alg);
    }
    // Node no longer decrypts PKCS#1 v1.5 with a private key, so RSA1_5 goes service → service.
    const plaintext = randomBytes(100);
    const e = await svc.crypto.encrypt(rsaKey.id, 'RSA1_5', plaintext);
    assert.deepEqual(Buffer.from((await svc.crypto.decrypt(rsaKey.id, 'RSA1_5', e.ciphertext)).plaintext), plaintext);
  });

  it('wraps and unwraps a key with RSA and with AES key wrap', async () => {
    const cek = randomBytes(32);
    const rsaWrapped = await svc.crypto.wrapKey(rsaKey, 'RSA-OAEP-256', cek);
    assert.deepEqual(Buffer.from((await svc.crypto.unwrapKey(rsaKey, 'RSA-OAEP-256', rsaWrapped.encryptedKey)).key), cek);
    const aesWrapped = await svc.crypto.wrapKey(aesKey, 'A256KW', cek);
    assert.equal(aesWrapped.encryptedKey.length, 40);
    // RFC 3394 with the imported key gives the same bytes: the service wrapped with our key and the standard IV.
    const local = createCipheriv('id-aes256-wrap', aesBytes, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
    assert.deepEqual(Buffer.concat([local.update(cek), local.final()]), Buffer.from(aesWrapped.encryptedKey));
    assert.deepEqual(Buffer.from((await svc.crypto.unwrapKey(aesKey, 'A256KW', aesWrapped.encryptedKey)).key), cek);
  });

  it('round-trips AES-GCM with additional data on an HSM key; a changed tag or aad fails in the service', async () => {
    const plaintext = Buffer.from('card 4111 1111 1111 1111');
    const aad = Buffer.from('order-42');
    const e = await svc.crypto.encrypt(aesKey, 'A256GCM', plaintext, { additionalAuthenticatedData: aad });
    assert.ok(e.iv && e.iv.length >= 12);
    assert.ok(e.authenticationTag && e.authenticationTag.length >= 12);
    assert.notDeepEqual(Buffer.from(e.ciphertext), plaintext);
    // The service used our key: Node's AES-GCM opens it.
    const local = createDecipheriv('aes-256-gcm', aesBytes, e.iv!);
    local.setAAD(aad);
    local.setAuthTag(e.authenticationTag!);
    assert.deepEqual(Buffer.concat([local.update(e.ciphertext), local.final()]), plaintext);
    const d = await svc.crypto.decrypt(aesKey, 'A256GCM', e.ciphertext, { iv: e.iv!, authenticationTag: e.authenticationTag!, additionalAuthenticatedData: aad });
    assert.deepEqual(Buffer.from(d.plaintext), plaintext);
    await assert.rejects(svc.crypto.decrypt(aesKey, 'A256GCM', e.ciphertext, { iv: e.iv!, authenticationTag: flipped(e.authenticationTag!), additionalAuthenticatedData: aad }), kvError('bad-request'));
    await assert.rejects(svc.crypto.decrypt(aesKey, 'A256GCM', e.ciphertext, { iv: e.iv!, authenticationTag: e.authenticationTag!, additionalAuthenticatedData: flipped(aad) }), kvError('bad-request'));
  });

  it('round-trips AES-CBC with a given iv and AES-CBC-PAD with a generated one', async () => {
    const iv = randomBytes(16);
    const blocks = randomBytes(32);
    const cbc = await svc.crypto.encrypt(aesKey, 'A256CBC', blocks, { iv });
    assert.deepEqual(Buffer.from(cbc.iv!), iv);
    assert.deepEqual(Buffer.from((await svc.crypto.decrypt(aesKey, 'A256CBC', cbc.ciphertext, { iv })).plaintext), blocks);
    const text = Buffer.from('not a multiple of sixteen');
    const pad = await svc.crypto.encrypt(aesKey, 'A256CBCPAD', text);
    assert.equal(pad.iv?.length, 16);
    assert.equal(pad.ciphertext.length, 32);
    assert.deepEqual(Buffer.from((await svc.crypto.decrypt(aesKey, 'A256CBCPAD', pad.ciphertext, { iv: pad.iv! })).plaintext), text);
  });

  it('refuses a digest of the wrong length before sending anything', async () => {
    const before = svc.requestCount();
    const message = new Uint8Array(Buffer.from('the message itself, not its digest'));
    await assert.rejects(svc.crypto.sign(rsaKey, 'RS256', message), kvError('bad-request', /SHA-256 digest of 32 bytes/));
    await assert.rejects(svc.crypto.sign(ecKeys['P-521'].id, 'ES512', digestFor('ES256', 'x')), kvError('bad-request', /64 bytes; this one has 32/));
    await assert.rejects(svc.crypto.verify(rsaKey, 'PS384', digestFor('PS256', 'x'), new Uint8Array(256)), kvError('bad-request', /48 bytes/));
    assert.equal(svc.requestCount(), before);
  });

  it('refuses, before sending, what the key’s own properties rule out', async () => {
    const verifyOnly = await svc.keys.create(vault, 'crypto-verify-only', { kty: 'EC', curve: 'P-256', keyOps: ['verify'] });
    const disabled = await svc.keys.create(vault, 'crypto-disabled', { kty: 'RSA', attributes: { enabled: false } });
    const expired = await svc.keys.create(vault, 'crypto-expired', { kty: 'RSA', attributes: { notBefore: new Date(Date.now() - 7200_000), expiresOn: new Date(Date.now() - 3600_000) } });
    const before = svc.requestCount();
    const digest = digestFor('ES256', 'x');
    await assert.rejects(svc.crypto.sign(disabled, 'RS256', digest), kvError('disabled', /disabled/));
    await assert.rejects(svc.crypto.sign(verifyOnly, 'ES256', digest), kvError('bad-request', /does not permit sign/));
    await assert.rejects(svc.crypto.sign(ecKeys['P-256'], 'ES256K', digest), kvError('bad-request', /ES256K does not fit EC key on P-256/));
    await assert.rejects(svc.crypto.encrypt(ecKeys['P-256'], 'RSA-OAEP', digest), kvError('bad-request', /does not permit encrypt/));
    await assert.rejects(svc.crypto.encrypt(expired, 'RSA-OAEP', digest), kvError('bad-request', /expired/));
    await assert.rejects(svc.crypto.encrypt(rsaKey, 'RSA-OAEP-256', new Uint8Array(191)), kvError('bad-request', /at most 190 bytes/));
    await assert.rejects(svc.crypto.decrypt(rsaKey, 'RSA-OAEP', new Uint8Array(100)), kvError('bad-request', /256 bytes/));
    await assert.rejects(svc.crypto.encrypt(aesKey, 'A128GCM', digest), kvError('bad-request', /A128GCM does not fit 256-bit oct-HSM key/));
    await assert.rejects(svc.crypto.encrypt(aesKey, 'A256GCM', digest, { iv: randomBytes(12) }), kvError('bad-request', /takes no iv/));
    await assert.rejects(svc.crypto.encrypt(aesKey, 'A256CBC', new Uint8Array(20)), kvError('bad-request', /whole 16-byte blocks/));
    await assert.rejects(svc.crypto.decrypt(aesKey, 'A256GCM', new Uint8Array(20), { iv: randomBytes(12) }), kvError('bad-request', /authentication tag/));
    await assert.rejects(svc.crypto.wrapKey(aesKey, 'A256KW', new Uint8Array(12)), kvError('bad-request', /16 bytes or more/));
    await assert.rejects(svc.crypto.encrypt(rsaKey, 'A256KW' as EncryptionAlgorithm, digest), kvError('bad-request', /not an encryption algorithm/));
    await assert.rejects(svc.crypto.sign(`${vault}/secrets/x`, 'RS256', digest), kvError('bad-request', /not a key identifier/));
    assert.equal(svc.requestCount(), before);
  });

  it('leaves to the service what only it knows when given a bare key id', async () => {
    const digest = digestFor('RS256', 'x');
    await assert.rejects(svc.crypto.sign(`${vault}/keys/crypto-disabled`, 'RS256', digest), kvError('disabled'));
    // A 403 about the key itself, not about the caller's access: no permission hint.
    await assert.rejects(svc.crypto.sign(`${vault}/keys/crypto-verify-only`, 'ES256', digest), (e: unknown) => {
      assert.ok(kvError('bad-request', /sign/)(e) && isKeyVaultError(e));
      assert.equal(e.status, 403);
      assert.match(e.hint, /permitted operations/);
      return true;
    });
    await assert.rejects(svc.crypto.encrypt(`${vault}/keys/crypto-expired`, 'RSA-OAEP', digest), (e: unknown) => kvError('bad-request', /expired/)(e) && /expiration dates/.test((e as { hint: string }).hint));
    assert.deepEqual(Buffer.from((await svc.crypto.decrypt(`${vault}/keys/crypto-expired`, 'RSA-OAEP', encryptLocally((await svc.keys.get(vault, 'crypto-expired')).key, 'RSA-OAEP', digest))).plaintext), Buffer.from(digest));
    await assert.rejects(svc.crypto.sign(`${vault}/keys/crypto-ec-p-256`, 'RS256', digest), kvError('bad-request'));
    await assert.rejects(svc.crypto.sign(`${vault}/keys/no-such-key`, 'RS256', digest), kvError('not-found'));
  });

  it('uses the latest version for an id without one', async () => {
    const rotated = await svc.keys.rotate(vault, 'crypto-rsa');
    const digest = digestFor('PS256', 'latest');
    const r = await svc.crypto.sign(`${vault}/keys/crypto-rsa`, 'PS256', digest);
    assert.equal(r.keyId, rotated.id);
    assert.equal(verifyLocally(rotated.key, 'PS256', digest, r.signature), true);
    assert.equal(verifyLocally(rsaKey.key, 'PS256', digest, r.signature), false);
  });

  it('keeps private key material, plaintexts and passphrases out of the most verbose log', async () => {
    const captured: string[] = [];
    const originalLog = AzureLogger.log;
    const originalLevel = getLogLevel();
    setLogLevel('verbose');
    AzureLogger.log = (...args: unknown[]) => {
      captured.push(args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.message}\n${a.stack}` : JSON.stringify(a))).join(' '));
    };
    const secrets: string[] = [];
    try {
      const logged = serviceFor(emu.ready);
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const jwk = pair.privateKey.export({ format: 'jwk' }) as JsonWebPrivateKey;
      secrets.push(jwk.d!, jwk.p!, jwk.q!, jwk.dp!, jwk.dq!, jwk.qi!);
      await logged.keys.import(vault, 'crypto-hygiene', { ...jwk, kty: 'RSA' });
      const passphrase = 'hygiene-Passphrase-4c3b2a';
      secrets.push(passphrase);
      const ecPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
      const ecJwk = pemToJwk(ecPem, passphrase);
      secrets.push(ecJwk.d!);
      await logged.keys.import(vault, 'crypto-hygiene-ec', ecJwk);
      // A refused import (the service's 400) logs too.
      const aes = randomBytes(32).toString('base64url');
      secrets.push(aes);
      await assert.rejects(logged.keys.import(vault, 'crypto-hygiene-aes', { kty: 'oct', k: aes }));
      const plaintext = Buffer.from('hygiene-Plaintext-Value-91ab');
      secrets.push(plaintext.toString('base64url'), plaintext.toString());
      const own = await logged.keys.get(vault, 'crypto-hygiene');
      await logged.crypto.decrypt(own, 'RSA-OAEP', encryptLocally(own.key, 'RSA-OAEP', plaintext));
      const cek = randomBytes(32);
      secrets.push(cek.toString('base64url'));
      const wrapped = await logged.crypto.wrapKey(aesKey, 'A256KW', cek);
      await logged.crypto.unwrapKey(aesKey, 'A256KW', wrapped.encryptedKey);
      await logged.crypto.signData(own, 'PS256', 'hygiene data');
      logged.dispose();
    } finally {
      AzureLogger.log = originalLog;
      setLogLevel(originalLevel);
    }
    const log = captured.join('\n');
    assert.ok(captured.length > 10, `expected verbose logging, got ${captured.length} lines`);
    for (const secret of secrets) assert.ok(!log.includes(secret.slice(0, 24)), `${secret.slice(0, 4)}… leaked into the log`);
    assert.ok(!/Bearer\s+ey/i.test(log), 'a bearer token leaked into the log');
  });

  it('needs the key permission: the reader may not sign', async () => {
    const reader = serviceFor(emu.ready, 'reader');
    await assert.rejects(reader.crypto.sign(rsaKey.id, 'RS256', digestFor('RS256', 'x')), (e: unknown) => kvError('forbidden-access-policy')(e) && /keys sign/.test((e as { hint: string }).hint));
    reader.dispose();
  });
});
