import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  constants, createCipheriv, createDecipheriv, createHash, createPublicKey, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes, sign as nodeSign,
  verify as nodeVerify, type KeyObject,
} from 'node:crypto';
import { RestError } from '@azure/core-rest-pipeline';
import { CryptographyClient, KeyClient, type JsonWebKey, type KeyVaultKey } from '@azure/keyvault-keys';
import type { Emulator } from './emulator';
import { containerUrl, credentialFor, sdkOptions, startTestEmulator, type IdentityHandle } from '../support/emulator';

// The keys family's cryptography against node:crypto: what the service signs node verifies with the returned public
// key, what node encrypts or wraps the service decrypts or unwraps, and the reverse with keys whose private part the
// test knows (imported). Plus the rules around it: key_ops, disabled, nbf/exp, digest length, algorithm vs key type.

let emulator: Emulator;
const clients = new Map<string, KeyClient>();
function client(container = 'kv-demo'): KeyClient {
  let c = clients.get(container);
  if (!c) clients.set(container, (c = new KeyClient(containerUrl(emulator.ready, container), credentialFor(emulator.ready), sdkOptions)));
  return c;
}
const cryptoFor = (key: KeyVaultKey | string): CryptographyClient => new CryptographyClient(key as KeyVaultKey, credentialFor(emulator.ready), sdkOptions);

let counter = 0;
const uniqueName = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${counter++}`;
const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
const fromB64u = (s: unknown): Buffer => Buffer.from(s as string, 'base64url');

interface Reply {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string; innererror?: { code: string } } };
}

async function call(method: string, container: string, path: string, body?: unknown, who: IdentityHandle = 'app'): Promise<Reply> {
  const origin = containerUrl(emulator.ready, container);
  const token = (await credentialFor(emulator.ready, who).getToken(`${origin}/.default`)).token;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const res = await fetch(`${origin}${path}?api-version=2026-04-01`, {
    method,
    body: payload,
    headers: { authorization: `Bearer ${token}`, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Reply['body']) : {} };
}

/** POSTs a crypto operation on a key (`/keys/{name}/{version}/{op}`). */
const op = (key: KeyVaultKey, operation: string, body: unknown, container = 'kv-demo'): Promise<Reply> => call('POST', container, `${new URL(key.id!).pathname}/${operation}`, body);

function assertError(reply: Reply, status: number, code: string, message?: RegExp, inner?: string): void {
  assert.equal(reply.status, status, `status ${reply.status}: ${JSON.stringify(reply.body)}`);
  assert.equal(reply.body.error?.code, code);
  if (message) assert.match(reply.body.error?.message ?? '', message);
  if (inner) assert.equal(reply.body.error?.innererror?.code, inner);
}

function publicKeyOf(key: KeyVaultKey): KeyObject {
  const k = key.key!;
  if (k.kty?.startsWith('RSA')) return createPublicKey({ key: { kty: 'RSA', n: b64u(k.n!), e: b64u(k.e!) }, format: 'jwk' });
  return createPublicKey({ key: { kty: 'EC', crv: k.crv === 'P-256K' ? 'secp256k1' : k.crv!, x: b64u(k.x!), y: b64u(k.y!) }, format: 'jwk' });
}

function sdkJwk(jwk: Record<string, unknown>, keyOps?: JsonWebKey['keyOps']): JsonWebKey {
  const out: Record<string, unknown> = keyOps ? { keyOps } : {};
  for (const [k, v] of Object.entries(jwk)) {
    if (k === 'kty') out.kty = v;
    else if (k === 'crv') out.crv = v === 'secp256k1' ? 'P-256K' : v;
    else if (typeof v === 'string') out[k] = Buffer.from(v, 'base64url');
  }
  return out as JsonWebKey;
}

const HASH = { 256: 'sha256', 384: 'sha384', 512: 'sha512' } as const;
const hashOf = (alg: string): 'sha256' | 'sha384' | 'sha512' => HASH[Number(/(256|384|512)/.exec(alg)![1]) as 256 | 384 | 512];

async function restError(fn: () => Promise<unknown>): Promise<RestError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof RestError, `expected a RestError, got ${String(err)}`);
    return err;
  }
  assert.fail('the call succeeded but should have failed');
}

before(async () => {
  emulator = await startTestEmulator({ seed: 'empty' });
});

after(async () => {
  await emulator.close();
});

describe('crypto: signatures', () => {
  it('signs digests with RS256/384/512 and PS256/384/512 that node:crypto verifies with the returned public key', async () => {
    const key = await client().createRsaKey(uniqueName('sign-rsa'), { keySize: 2048 });
    const pub = publicKeyOf(key);
    for (const alg of ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const) {
      const data = randomBytes(64);
      const hash = hashOf(alg);
      const digest = createHash(hash).update(data).digest();
      const signed = await cryptoFor(key).sign(alg, digest);
      assert.equal(signed.result.length, 256);
      const options = alg.startsWith('PS') ? { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: digest.length } : pub;
      assert.ok(nodeVerify(hash, data, options, signed.result), `${alg} signature verifies locally`);
      assert.equal((await cryptoFor(key).verify(alg, digest, signed.result)).result, true, `${alg} signature verifies in the service`);
      const tampered = Buffer.from(signed.result);
      tampered[10]! ^= 1;
      assert.equal((await cryptoFor(key).verify(alg, digest, tampered)).result, false);
    }
  });

  it('signs with ES256, ES384, ES512 and ES256K as raw r||s (IEEE P1363) that node verifies', async () => {
    for (const [curve, alg, size] of [['P-256', 'ES256', 64], ['P-384', 'ES384', 96], ['P-521', 'ES512', 132], ['P-256K', 'ES256K', 64]] as const) {
      const key = await client().createEcKey(uniqueName('sign-ec'), { curve });
      const data = randomBytes(40);
      const hash = hashOf(alg);
      const signed = await cryptoFor(key).sign(alg, createHash(hash).update(data).digest());
      assert.equal(signed.result.length, size, `${alg} signatures are two ${size / 2}-byte integers`);
      assert.ok(nodeVerify(hash, data, { key: publicKeyOf(key), dsaEncoding: 'ieee-p1363' }, signed.result), `${alg} verifies locally`);
      assert.equal((await cryptoFor(key).verifyData(alg, data, signed.result)).result, true);
      assert.equal((await cryptoFor(key).verifyData(alg, Buffer.concat([data, Buffer.from([0])]), signed.result)).result, false);
    }
  });

  it('verifies signatures node:crypto made with an imported key, and answers false for a wrong one', async () => {
    const cases = [
      { options: { modulusLength: 2048 }, type: 'rsa', alg: 'PS256', sign: (k: KeyObject, d: Buffer) => nodeSign('sha256', d, { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }) },
      { options: { modulusLength: 3072 }, type: 'rsa', alg: 'RS512', sign: (k: KeyObject, d: Buffer) => nodeSign('sha512', d, k) },
      { options: { namedCurve: 'P-384' }, type: 'ec', alg: 'ES384', sign: (k: KeyObject, d: Buffer) => nodeSign('sha384', d, { key: k, dsaEncoding: 'ieee-p1363' }) },
      { options: { namedCurve: 'secp256k1' }, type: 'ec', alg: 'ES256K', sign: (k: KeyObject, d: Buffer) => nodeSign('sha256', d, { key: k, dsaEncoding: 'ieee-p1363' }) },
    ] as const;
    for (const c of cases) {
      const { privateKey } = generateKeyPairSync(c.type as 'rsa', c.options as { modulusLength: number });
      const key = await client().importKey(uniqueName('verify-imported'), sdkJwk(privateKey.export({ format: 'jwk' })));
      const data = randomBytes(100);
      const digest = createHash(hashOf(c.alg)).update(data).digest();
      const signature = c.sign(privateKey, data);
      const ok = await op(key, 'verify', { alg: c.alg, digest: b64u(digest), value: b64u(signature) });
      assert.deepEqual(ok.body, { value: true }, `${c.alg}: node's signature verifies in the service`);
      const wrong = await op(key, 'verify', { alg: c.alg, digest: b64u(randomBytes(digest.length)), value: b64u(signature) });
      assert.deepEqual(wrong.body, { value: false });
    }
  });

  it('signs RSNULL over a DigestInfo the client built, identical to node’s RS256 signature', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = await client().importKey(uniqueName('rsnull'), sdkJwk(privateKey.export({ format: 'jwk' })));
    const data = Buffer.from('raw PKCS#1 v1.5');
    const digestInfo = Buffer.concat([Buffer.from('3031300d060960864801650304020105000420', 'hex'), createHash('sha256').update(data).digest()]);
    const signed = await op(key, 'sign', { alg: 'RSNULL', value: b64u(digestInfo) });
    assert.deepEqual(fromB64u(signed.body.value), nodeSign('sha256', data, privateKey));
    assert.equal(signed.body.kid, key.id);
  });
});

describe('crypto: RSA encryption and key wrap', () => {
  it('decrypts in the service what node encrypted with the returned public key: RSA1_5, RSA-OAEP, RSA-OAEP-256', async () => {
    const key = await client().createRsaKey(uniqueName('enc-rsa'), { keySize: 2048 });
    const pub = publicKeyOf(key);
    for (const [alg, padding, oaepHash] of [['RSA1_5', constants.RSA_PKCS1_PADDING, undefined], ['RSA-OAEP', constants.RSA_PKCS1_OAEP_PADDING, 'sha1'], ['RSA-OAEP-256', constants.RSA_PKCS1_OAEP_PADDING, 'sha256']] as const) {
      const plaintext = randomBytes(48);
      const ciphertext = publicEncrypt({ key: pub, padding, ...(oaepHash ? { oaepHash } : {}) }, plaintext);
      const decrypted = await cryptoFor(key).decrypt({ algorithm: alg, ciphertext });
      assert.deepEqual(Buffer.from(decrypted.result), plaintext, alg);
      // The SDK encrypts RSA locally with the public JWK the service returned: that must round-trip too.
      const local = await cryptoFor(key).encrypt({ algorithm: alg, plaintext });
      assert.deepEqual(Buffer.from((await cryptoFor(key).decrypt({ algorithm: alg, ciphertext: local.result })).result), plaintext);
    }
  });

  it('encrypts in the service what node decrypts with the imported private key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
    const key = await client().importKey(uniqueName('enc-imported'), sdkJwk(privateKey.export({ format: 'jwk' })));
    for (const [alg, oaepHash] of [['RSA-OAEP', 'sha1'], ['RSA-OAEP-256', 'sha256']] as const) {
      const plaintext = randomBytes(32);
      const reply = await op(key, 'encrypt', { alg, value: b64u(plaintext) });
      assert.equal(reply.status, 200);
      assert.equal(reply.body.kid, key.id);
      assert.deepEqual(privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, fromB64u(reply.body.value)), plaintext, alg);
    }
    const v15 = await op(key, 'encrypt', { alg: 'RSA1_5', value: b64u(Buffer.from('pkcs1 v1.5')) });
    const back = await op(key, 'decrypt', { alg: 'RSA1_5', value: v15.body.value });
    assert.equal(fromB64u(back.body.value).toString(), 'pkcs1 v1.5');
  });

  it('refuses plaintext too long for the algorithm and ciphertext that is not from this key with 400', async () => {
    const key = await client().createRsaKey(uniqueName('enc-limits'), { keySize: 2048 });
    assertError(await op(key, 'encrypt', { alg: 'RSA-OAEP-256', value: b64u(randomBytes(191)) }), 400, 'BadParameter', /at most 190 bytes/);
    assertError(await op(key, 'encrypt', { alg: 'RSA1_5', value: b64u(randomBytes(246)) }), 400, 'BadParameter', /at most 245 bytes/);
    assertError(await op(key, 'decrypt', { alg: 'RSA-OAEP', value: b64u(randomBytes(100)) }), 400, 'BadParameter', /256 bytes/);
    assertError(await op(key, 'decrypt', { alg: 'RSA-OAEP', value: b64u(randomBytes(256)) }), 400, 'BadParameter', /Decryption with RSA-OAEP failed/);
    assertError(await op(key, 'decrypt', { alg: 'RSA1_5', value: b64u(randomBytes(256)) }), 400, 'BadParameter', /Decryption with RSA1_5 failed/);
  });

  it('wraps and unwraps content keys with RSA-OAEP, RSA-OAEP-256 and RSA1_5', async () => {
    const key = await client().createRsaKey(uniqueName('wrap-rsa'), { keySize: 2048 });
    for (const alg of ['RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5'] as const) {
      const cek = randomBytes(32);
      const wrapped = await op(key, 'wrapkey', { alg, value: b64u(cek) });
      assert.equal(wrapped.status, 200);
      assert.equal(fromB64u(wrapped.body.value).length, 256);
      const unwrapped = await cryptoFor(key).unwrapKey(alg, fromB64u(wrapped.body.value));
      assert.deepEqual(Buffer.from(unwrapped.result), cek, alg);
      const local = await cryptoFor(key).wrapKey(alg, cek);
      assert.deepEqual(Buffer.from((await cryptoFor(key).unwrapKey(alg, local.result)).result), cek);
    }
  });
});

describe('crypto: symmetric keys on a Managed HSM', () => {
  async function importAes(bits: 128 | 192 | 256, keyOps?: string[]): Promise<{ key: KeyVaultKey; k: Buffer }> {
    const k = randomBytes(bits / 8);
    const name = uniqueName(`aes${bits}`);
    const reply = await call('PUT', 'hsm-demo', `/keys/${name}`, { key: { kty: 'oct-HSM', k: b64u(k), ...(keyOps ? { key_ops: keyOps } : {}) } });
    assert.equal(reply.status, 200);
    return { key: await client('hsm-demo').getKey(name), k };
  }

  it('round-trips AES-GCM 128/192/256 with aad through the SDK, and node decrypts the service’s ciphertext', async () => {
    for (const bits of [128, 192, 256] as const) {
      const { key, k } = await importAes(bits);
      const alg = `A${bits}GCM` as const;
      const plaintext = Buffer.from(`gcm with a ${bits}-bit key`);
      const aad = Buffer.from('header');
      const enc = await cryptoFor(key).encrypt({ algorithm: alg, plaintext, additionalAuthenticatedData: aad });
      assert.equal(enc.iv?.length, 12);
      assert.equal(enc.authenticationTag?.length, 16);
      const decipher = createDecipheriv(`aes-${bits}-gcm`, k, enc.iv!);
      decipher.setAAD(aad);
      decipher.setAuthTag(Buffer.from(enc.authenticationTag!));
      assert.deepEqual(Buffer.concat([decipher.update(enc.result), decipher.final()]), plaintext, `${alg}: node decrypts`);
      const dec = await cryptoFor(key).decrypt({ algorithm: alg, ciphertext: enc.result, iv: enc.iv!, authenticationTag: enc.authenticationTag!, additionalAuthenticatedData: aad });
      assert.deepEqual(Buffer.from(dec.result), plaintext);
      const badTag = Buffer.from(enc.authenticationTag!);
      badTag[0]! ^= 1;
      const err = await restError(() => cryptoFor(key).decrypt({ algorithm: alg, ciphertext: enc.result, iv: enc.iv!, authenticationTag: badTag, additionalAuthenticatedData: aad }));
      assert.equal(err.statusCode, 400);
      assert.match(err.message, /authentication tag/);
    }
  });

  it('decrypts AES-GCM ciphertext node made, and refuses a client IV on encrypt', async () => {
    const { key, k } = await importAes(256);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', k, iv);
    const ciphertext = Buffer.concat([cipher.update('made by node'), cipher.final()]);
    const reply = await op(key, 'decrypt', { alg: 'A256GCM', value: b64u(ciphertext), iv: b64u(iv), tag: b64u(cipher.getAuthTag()) }, 'hsm-demo');
    assert.equal(fromB64u(reply.body.value).toString(), 'made by node');
    assertError(await op(key, 'encrypt', { alg: 'A256GCM', value: b64u(Buffer.from('x')), iv: b64u(iv) }, 'hsm-demo'), 400, 'BadParameter', /generates the initialization vector/);
    assertError(await op(key, 'decrypt', { alg: 'A256GCM', value: b64u(ciphertext), iv: b64u(iv) }, 'hsm-demo'), 400, 'BadParameter', /'tag' is required/);
  });

  it('round-trips AES-CBC and AES-CBCPAD with the client’s IV, and CBC refuses partial blocks', async () => {
    const { key, k } = await importAes(192);
    const iv = randomBytes(16);
    const padded = await cryptoFor(key).encrypt({ algorithm: 'A192CBCPAD', plaintext: Buffer.from('seventeen bytes!!'), iv });
    assert.deepEqual(Buffer.from(padded.iv!), iv);
    const decipher = createDecipheriv('aes-192-cbc', k, iv);
    assert.equal(Buffer.concat([decipher.update(padded.result), decipher.final()]).toString(), 'seventeen bytes!!');
    assert.equal(Buffer.from((await cryptoFor(key).decrypt({ algorithm: 'A192CBCPAD', ciphertext: padded.result, iv })).result).toString(), 'seventeen bytes!!');
    const block = randomBytes(32);
    const raw = await cryptoFor(key).encrypt({ algorithm: 'A192CBC', plaintext: block, iv });
    assert.equal(raw.result.length, 32, 'no padding block');
    assert.deepEqual(Buffer.from((await cryptoFor(key).decrypt({ algorithm: 'A192CBC', ciphertext: raw.result, iv })).result), block);
    assertError(await op(key, 'encrypt', { alg: 'A192CBC', value: b64u(randomBytes(20)), iv: b64u(iv) }, 'hsm-demo'), 400, 'BadParameter', /whole 16-byte blocks/);
    const generated = await op(key, 'encrypt', { alg: 'A192CBCPAD', value: b64u(Buffer.from('no iv given')) }, 'hsm-demo');
    assert.equal(fromB64u(generated.body.iv).length, 16, 'the service picks an IV when the client sends none, and returns it');
  });

  it('wraps with A128KW, A192KW and A256KW (RFC 3394) so that node unwraps, and unwraps what node wrapped', async () => {
    for (const bits of [128, 192, 256] as const) {
      const { key, k } = await importAes(bits);
      const cek = randomBytes(32);
      const wrapped = await cryptoFor(key).wrapKey(`A${bits}KW`, cek);
      assert.equal(wrapped.result.length, 40);
      const unwrap = createDecipheriv(`id-aes${bits}-wrap`, k, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
      assert.deepEqual(Buffer.concat([unwrap.update(wrapped.result), unwrap.final()]), cek);
      const wrap = createCipheriv(`id-aes${bits}-wrap`, k, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
      const byNode = Buffer.concat([wrap.update(cek), wrap.final()]);
      assert.deepEqual(Buffer.from((await cryptoFor(key).unwrapKey(`A${bits}KW`, byNode)).result), cek);
      const corrupted = Buffer.from(byNode);
      corrupted[5]! ^= 1;
      assert.equal((await restError(() => cryptoFor(key).unwrapKey(`A${bits}KW`, corrupted))).statusCode, 400);
    }
    const { key } = await importAes(256);
    const odd = randomBytes(20);
    const padded = await op(key, 'wrapkey', { alg: 'CKM_AES_KEY_WRAP_PAD', value: b64u(odd) }, 'hsm-demo');
    const back = await op(key, 'unwrapkey', { alg: 'CKM_AES_KEY_WRAP_PAD', value: padded.body.value }, 'hsm-demo');
    assert.deepEqual(fromB64u(back.body.value), odd);
  });

  it('refuses AES algorithms whose size does not match the key, and RSA algorithms on an AES key', async () => {
    const { key } = await importAes(128);
    assertError(await op(key, 'encrypt', { alg: 'A256GCM', value: b64u(Buffer.from('x')) }, 'hsm-demo'), 400, 'BadParameter', /requires a 256-bit key; this key is 128 bits/);
    assertError(await op(key, 'wrapkey', { alg: 'A192KW', value: b64u(randomBytes(16)) }, 'hsm-demo'), 400, 'BadParameter', /192-bit key/);
    assertError(await op(key, 'encrypt', { alg: 'RSA-OAEP', value: b64u(Buffer.from('x')) }, 'hsm-demo'), 400, 'BadParameter', /not valid for a key of type oct-HSM/);
    assertError(await op(key, 'sign', { alg: 'RS256', value: b64u(randomBytes(32)) }, 'hsm-demo'), 403, 'Forbidden', /sign is not permitted/, 'KeyOperationForbidden');
  });
});

describe('crypto: the rules around an operation', () => {
  it('refuses an operation missing from key_ops with 403 "Operation sign is not permitted on this key."', async () => {
    const key = await client().createEcKey(uniqueName('ops'), { keyOps: ['verify'] });
    const reply = await op(key, 'sign', { alg: 'ES256', value: b64u(randomBytes(32)) });
    assertError(reply, 403, 'Forbidden', /^Operation sign is not permitted on this key\.$/, 'KeyOperationForbidden');
    const rsa = await client().createRsaKey(uniqueName('ops-rsa'), { keyOps: ['sign', 'verify'] });
    assertError(await op(rsa, 'decrypt', { alg: 'RSA-OAEP', value: b64u(randomBytes(256)) }), 403, 'Forbidden', /Operation decrypt is not permitted/, 'KeyOperationForbidden');
    assertError(await op(rsa, 'wrapkey', { alg: 'RSA-OAEP', value: b64u(randomBytes(32)) }), 403, 'Forbidden', /Operation wrapKey is not permitted/, 'KeyOperationForbidden');
    // Changing key_ops takes effect on the next operation.
    await client().updateKeyProperties(key.name, key.properties.version!, { keyOps: ['sign', 'verify'] });
    assert.equal((await op(key, 'sign', { alg: 'ES256', value: b64u(randomBytes(32)) })).status, 200);
  });

  it('refuses every operation on a disabled key with 403 KeyDisabled', async () => {
    const key = await client().createRsaKey(uniqueName('disabled'));
    await client().updateKeyProperties(key.name, key.properties.version!, { enabled: false });
    for (const [operation, body] of [['sign', { alg: 'RS256', value: b64u(randomBytes(32)) }], ['verify', { alg: 'RS256', digest: b64u(randomBytes(32)), value: b64u(randomBytes(256)) }], ['encrypt', { alg: 'RSA-OAEP', value: 'AQID' }], ['unwrapkey', { alg: 'RSA-OAEP', value: b64u(randomBytes(256)) }]] as const) {
      assertError(await op(key, operation, body), 403, 'Forbidden', /is not allowed on a disabled key/, 'KeyDisabled');
    }
  });

  it('refuses sign, encrypt and wrap outside nbf/exp, but still verifies, decrypts and unwraps', async () => {
    const key = await client().createRsaKey(uniqueName('expired'));
    const digest = randomBytes(32);
    const signature = (await cryptoFor(key).sign('RS256', digest)).result;
    const ciphertext = publicEncrypt({ key: publicKeyOf(key), padding: constants.RSA_PKCS1_OAEP_PADDING }, Buffer.from('old data'));
    await client().updateKeyProperties(key.name, key.properties.version!, { notBefore: new Date(Date.now() - 7200_000), expiresOn: new Date(Date.now() - 3600_000) });
    assertError(await op(key, 'sign', { alg: 'RS256', value: b64u(digest) }), 403, 'Forbidden', /expired key/, 'KeyExpired');
    assertError(await op(key, 'encrypt', { alg: 'RSA-OAEP', value: 'AQID' }), 403, 'Forbidden', /expired key/, 'KeyExpired');
    assertError(await op(key, 'wrapkey', { alg: 'RSA-OAEP', value: b64u(randomBytes(16)) }), 403, 'Forbidden', /expired key/, 'KeyExpired');
    assert.deepEqual((await op(key, 'verify', { alg: 'RS256', digest: b64u(digest), value: b64u(signature) })).body, { value: true });
    assert.equal(fromB64u((await op(key, 'decrypt', { alg: 'RSA-OAEP', value: b64u(ciphertext) })).body.value).toString(), 'old data');
    const future = await client().createEcKey(uniqueName('not-yet'), { notBefore: new Date(Date.now() + 3600_000) });
    assertError(await op(future, 'sign', { alg: 'ES256', value: b64u(randomBytes(32)) }), 403, 'Forbidden', /not yet valid/, 'KeyNotYetValid');
  });

  it('checks the digest length against the algorithm with 400 BadParameter', async () => {
    const rsa = await client().createRsaKey(uniqueName('digest'));
    assertError(await op(rsa, 'sign', { alg: 'RS256', value: b64u(randomBytes(20)) }), 400, 'BadParameter', /^Invalid length of 'value': 20 bytes\. RS256 requires 32 bytes, encoded with base64url\.$/);
    assertError(await op(rsa, 'sign', { alg: 'PS512', value: b64u(randomBytes(48)) }), 400, 'BadParameter', /PS512 requires 64 bytes/);
    assertError(await op(rsa, 'verify', { alg: 'RS384', digest: b64u(randomBytes(32)), value: b64u(randomBytes(256)) }), 400, 'BadParameter', /Invalid length of 'digest': 32 bytes\. RS384 requires 48 bytes/);
    const ec = await client().createEcKey(uniqueName('digest-ec'), { curve: 'P-521' });
    assertError(await op(ec, 'sign', { alg: 'ES512', value: b64u(randomBytes(32)) }), 400, 'BadParameter', /ES512 requires 64 bytes/);
  });

  it('refuses algorithms that do not fit the key type or curve with 400 BadParameter', async () => {
    const rsa = await client().createRsaKey(uniqueName('alg-rsa'));
    const ec = await client().createEcKey(uniqueName('alg-ec'), { curve: 'P-256', keyOps: ['sign', 'verify', 'encrypt', 'wrapKey'] });
    const cases: [KeyVaultKey, string, unknown, RegExp][] = [
      [rsa, 'sign', { alg: 'ES256', value: b64u(randomBytes(32)) }, /ES256 is not valid for a key of type RSA/],
      [ec, 'sign', { alg: 'RS256', value: b64u(randomBytes(32)) }, /RS256 is not valid for a key of type EC/],
      [ec, 'sign', { alg: 'ES384', value: b64u(randomBytes(48)) }, /requires a key on curve P-384; this key uses P-256/],
      [ec, 'sign', { alg: 'ES256K', value: b64u(randomBytes(32)) }, /curve P-256K/],
      [ec, 'encrypt', { alg: 'RSA-OAEP', value: 'AQID' }, /RSA-OAEP is not valid for a key of type EC/],
      [ec, 'wrapkey', { alg: 'A256KW', value: b64u(randomBytes(32)) }, /A256KW is not valid for a key of type EC/],
      [rsa, 'encrypt', { alg: 'A256GCM', value: 'AQID' }, /A256GCM is not valid for a key of type RSA/],
      [rsa, 'sign', { alg: 'HS256', value: b64u(randomBytes(32)) }, /not supported/],
      [rsa, 'sign', { alg: 'XYZ', value: b64u(randomBytes(32)) }, /Invalid algorithm: 'XYZ'/],
      [rsa, 'encrypt', { alg: 'RSA-OAEP-512', value: 'AQID' }, /Invalid algorithm/],
      [rsa, 'sign', { value: b64u(randomBytes(32)) }, /'alg' is required/],
      [rsa, 'sign', { alg: 'RS256' }, /'value' is required/],
      [rsa, 'sign', { alg: 'RS256', value: 'not base64!' }, /base64url/],
      [rsa, 'verify', { alg: 'RS256', value: 'AQID' }, /'digest' is required/],
    ];
    for (const [key, operation, body, message] of cases) assertError(await op(key, operation, body), 400, 'BadParameter', message);
  });

  it('answers 404 KeyNotFound for an unknown key or version, and uses the latest version when none is given', async () => {
    assertError(await call('POST', 'kv-demo', `/keys/${uniqueName('ghost')}/${'a'.repeat(32)}/sign`, { alg: 'RS256', value: b64u(randomBytes(32)) }), 404, 'KeyNotFound');
    const name = uniqueName('latest');
    await client().createEcKey(name);
    assertError(await call('POST', 'kv-demo', `/keys/${name}/${'b'.repeat(32)}/sign`, { alg: 'ES256', value: b64u(randomBytes(32)) }), 404, 'KeyNotFound');
    const latest = await client().createEcKey(name);
    // The SDK sends `/keys/{name}//sign` for a key id without a version.
    const signed = await call('POST', 'kv-demo', `/keys/${name}//sign`, { alg: 'ES256', value: b64u(randomBytes(32)) });
    assert.equal(signed.body.kid, latest.id);
    const viaSdk = await cryptoFor(`${containerUrl(emulator.ready, 'kv-demo')}/keys/${name}`).sign('ES256', randomBytes(32));
    assert.equal(viaSdk.keyID, `${containerUrl(emulator.ready, 'kv-demo')}/keys/${name}/${latest.properties.version}`);
  });
});
