import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { startTestEmulator, containerUrl } from '../support/emulator';
import { collect, serviceFor } from '../support/service';
import type { Emulator } from '../emulator';
import type { KeyVaultService } from '../../src/keyvault/service';
import { isKeyVaultError, type KeyVaultErrorKind } from '../../src/keyvault/errors';
import type { JsonWebPrivateKey } from '../../src/keyvault/models/keys';
import { pemToJwk } from '../../src/keyvault/crypto/pem';

/** Asserts a KeyVaultError of that kind (and message pattern) — and returns true for assert.rejects. */
const kvError =
  (kind: KeyVaultErrorKind, message?: RegExp) =>
  (e: unknown): boolean => {
    assert.ok(isKeyVaultError(e), `expected a KeyVaultError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    if (message) assert.match(e.message, message);
    return true;
  };

const policyBytes = (doc: unknown): Uint8Array => new Uint8Array(Buffer.from(JSON.stringify(doc)));
const RELEASE_POLICY = { version: '1.0.0', anyOf: [{ authority: 'https://attest.example', allOf: [{ claim: 'x-ms-sevsnpvm-is-debuggable', equals: false }] }] };

describe('keys service against the emulator', () => {
  let emu: Emulator;
  let svc: KeyVaultService;
  let vault: string;
  let hsm: string;

  before(async () => {
    emu = await startTestEmulator({ seed: 'demo' });
    svc = serviceFor(emu.ready);
    vault = containerUrl(emu.ready, 'kv-demo');
    hsm = containerUrl(emu.ready, 'hsm-demo');
  });
  after(async () => {
    svc.dispose();
    await emu.close();
  });

  it('creates an RSA key with size, exponent, operations, tags and dates, and reads back only its public part', async () => {
    const notBefore = new Date(Date.now() - 60_000);
    const expiresOn = new Date(Date.now() + 30 * 86400_000);
    const created = await svc.keys.create(vault, 'svc-rsa-3072', {
      kty: 'RSA',
      keySize: 3072,
      publicExponent: 65537,
      keyOps: ['sign', 'verify'],
      tags: { team: 'svc' },
      attributes: { notBefore, expiresOn },
    });
    assert.equal(created.keyType, 'RSA');
    assert.equal(created.keySize, 3072);
    assert.equal(Buffer.from(created.key.e!, 'base64url').readUIntBE(0, 3), 65537);
    assert.deepEqual(created.keyOps, ['sign', 'verify']);
    assert.deepEqual(created.tags, { team: 'svc' });
    assert.equal(Math.floor(created.attributes.expiresOn!.getTime() / 1000), Math.floor(expiresOn.getTime() / 1000));
    assert.match(created.version ?? '', /^[0-9a-f]{32}$/);
    assert.equal(created.id, `${vault}/keys/svc-rsa-3072/${created.version}`);
    for (const privateMember of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) assert.equal(privateMember in created.key, false, privateMember);

    const got = await svc.keys.get(vault, 'svc-rsa-3072');
    assert.equal(got.version, created.version);
    assert.equal(got.key.n, created.key.n);
    assert.equal(got.keySize, 3072);
  });

  it('creates EC keys on every curve and reports the curve and its size', async () => {
    for (const [curve, bits] of [['P-256', 256], ['P-384', 384], ['P-521', 521], ['P-256K', 256]] as const) {
      const k = await svc.keys.create(vault, `svc-ec-${curve.toLowerCase()}`, { kty: 'EC', curve });
      assert.equal(k.curve, curve);
      assert.equal(k.keySize, bits);
      assert.equal(k.key.crv, curve);
      assert.equal(Buffer.from(k.key.x!, 'base64url').length, Math.ceil(bits / 8));
    }
  });

  it('creates hardware keys: RSA-HSM and EC-HSM on a premium vault, oct-HSM of each size on a Managed HSM', async () => {
    const rsaHsm = await svc.keys.create(vault, 'svc-rsa-hsm', { kty: 'RSA-HSM', keySize: 2048 });
    assert.equal(rsaHsm.keyType, 'RSA-HSM');
    assert.equal(rsaHsm.keySize, 2048);
    const ecHsm = await svc.keys.create(vault, 'svc-ec-hsm', { kty: 'EC-HSM', curve: 'P-384' });
    assert.equal(ecHsm.keyType, 'EC-HSM');
    for (const size of [128, 192, 256]) {
      const aes = await svc.keys.create(hsm, `svc-aes-${size}`, { kty: 'oct-HSM', keySize: size });
      assert.equal(aes.keyType, 'oct-HSM');
      assert.equal(aes.keySize, size);
      assert.equal(aes.key.n, undefined);
    }
  });

  it('refuses a symmetric key in a vault with the service 400 and a clear message', async () => {
    await assert.rejects(svc.keys.create(vault, 'svc-oct-in-vault', { kty: 'oct-HSM', keySize: 256 }), (e: unknown) => {
      assert.ok(isKeyVaultError(e));
      assert.equal(e.status, 400);
      assert.equal(e.kind, 'bad-request');
      return true;
    });
  });

  it('creates an exportable HSM key with a release policy and reads the policy back', async () => {
    const k = await svc.keys.create(hsm, 'svc-exportable', {
      kty: 'RSA-HSM',
      attributes: { exportable: true },
      releasePolicy: { encodedPolicy: policyBytes(RELEASE_POLICY), immutable: false },
    });
    assert.equal(k.attributes.exportable, true);
    assert.deepEqual(JSON.parse(Buffer.from(k.releasePolicy!.encodedPolicy).toString('utf8')), RELEASE_POLICY);
    assert.match(k.releasePolicy!.contentType ?? '', /application\/json/);
    const got = await svc.keys.get(hsm, 'svc-exportable');
    assert.equal(got.attributes.exportable, true);
    assert.ok(got.releasePolicy);
  });

  it('sends a release with the attestation token and surfaces the service answer', async () => {
    // The emulator has no attestation service, so it refuses every release with a 400 that says so.
    await assert.rejects(
      svc.keys.release(hsm, 'svc-exportable', '', { targetAttestationToken: 'eyJhbGciOiJub25lIn0.e30.', algorithm: 'RSA_AES_KEY_WRAP_256' }),
      kvError('bad-request', /attestation|not supported/i),
    );
  });

  it('refuses invalid create, release and random-bytes requests before anything is sent', async () => {
    const before = svc.requestCount();
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      ['RSA size', () => svc.keys.create(vault, 'x', { kty: 'RSA', keySize: 1024 }), /2048, 3072, 4096/],
      ['AES size', () => svc.keys.create(hsm, 'x', { kty: 'oct-HSM', keySize: 512 }), /128, 192, 256/],
      ['EC size', () => svc.keys.create(vault, 'x', { kty: 'EC', keySize: 256 }), /curve, not a key size/],
      ['curve on RSA', () => svc.keys.create(vault, 'x', { kty: 'RSA', curve: 'P-256' }), /EC keys only/],
      ['unknown curve', () => svc.keys.create(vault, 'x', { kty: 'EC', curve: 'P-192' as never }), /not a curve/],
      ['even exponent', () => svc.keys.create(vault, 'x', { kty: 'RSA', publicExponent: 65536 }), /odd whole number/],
      ['exponent on EC', () => svc.keys.create(vault, 'x', { kty: 'EC', publicExponent: 3 }), /RSA keys only/],
      ['key type', () => svc.keys.create(vault, 'x', { kty: 'DSA' as never }), /not a key type/],
      ['key op', () => svc.keys.create(vault, 'x', { kty: 'RSA', keyOps: ['sign', 'launch' as never] }), /'launch' is not a key operation/],
      ['exportable software key', () => svc.keys.create(vault, 'x', { kty: 'RSA', attributes: { exportable: true }, releasePolicy: { encodedPolicy: policyBytes(RELEASE_POLICY) } }), /hardware-protected/],
      ['policy without exportable', () => svc.keys.create(hsm, 'x', { kty: 'RSA-HSM', releasePolicy: { encodedPolicy: policyBytes(RELEASE_POLICY) } }), /exportable/],
      ['policy not JSON', () => svc.keys.create(hsm, 'x', { kty: 'RSA-HSM', attributes: { exportable: true }, releasePolicy: { encodedPolicy: new Uint8Array(Buffer.from('{nope')) } }), /not valid JSON/],
      ['dates reversed', () => svc.keys.create(vault, 'x', { kty: 'RSA', attributes: { notBefore: new Date(2030, 1, 1), expiresOn: new Date(2029, 1, 1) } }), /before the expiration/],
      ['too many tags', () => svc.keys.create(vault, 'x', { kty: 'RSA', tags: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, 'v'])) }), /at most 15 tags/],
      ['bad name', () => svc.keys.create(vault, 'bad_name', { kty: 'RSA' }), /not a valid key name/],
      ['no token', () => svc.keys.release(hsm, 'svc-exportable', '', { targetAttestationToken: ' ' }), /attestation token/],
      ['release alg', () => svc.keys.release(hsm, 'svc-exportable', '', { targetAttestationToken: 't', algorithm: 'A256KW' as never }), /release wrapping algorithm/],
      ['zero bytes', () => svc.keys.getRandomBytes(hsm, 0), /1 to 128/],
      ['129 bytes', () => svc.keys.getRandomBytes(hsm, 129), /1 to 128/],
      ['bad duration', () => svc.keys.updateRotationPolicy(vault, 'x', { expiryTime: '90 days' }), /not an ISO 8601 duration/],
      ['two triggers', () => svc.keys.updateRotationPolicy(vault, 'x', { lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P30D', timeBeforeExpiry: 'P30D' }] }), /exactly one trigger/],
      ['empty backup', () => svc.keys.restore(vault, new Uint8Array()), /empty/],
      // Where the host tells the container's kind (Azure DNS suffixes), what it cannot hold is refused up front.
      ['oct in a cloud vault', () => svc.keys.create('https://contoso.vault.azure.net', 'x', { kty: 'oct-HSM' }), /Vaults do not hold symmetric/],
      ['software key in a cloud HSM', () => svc.keys.create('https://contoso.managedhsm.azure.net', 'x', { kty: 'EC' }), /use EC-HSM/],
      ['random bytes from a cloud vault', () => svc.keys.getRandomBytes('https://contoso.vault.azure.net', 8), /is a vault/],
    ];
    for (const [what, call, message] of cases) await assert.rejects(call(), kvError('bad-request', message), what);
    assert.equal(svc.requestCount(), before);
  });

  it('lists keys page by page and the versions of a key', async () => {
    const all = await collect(svc.keys.list(vault));
    const names = all.map((k) => k.name);
    for (const n of ['app-signing-key', 'payments-ec-key', 'svc-rsa-3072']) assert.ok(names.includes(n), n);
    // List items carry attributes and tags but no key material or type.
    const item = all.find((k) => k.name === 'app-signing-key')!;
    assert.equal(item.version, undefined);
    assert.equal(item.keyType, undefined);
    const first = await svc.keys.list(vault).byPage({ maxPageSize: 2 }).next();
    assert.equal(first.value!.items.length, 2);
    assert.ok(first.value!.continuationToken);
    const versions = await collect(svc.keys.listVersions(vault, 'app-signing-key'));
    assert.equal(versions.length, 2);
    assert.ok(versions.every((v) => /^[0-9a-f]{32}$/.test(v.version ?? '')));
  });

  it('gets a given version and the latest one', async () => {
    const versions = await collect(svc.keys.listVersions(vault, 'app-signing-key'));
    const oldest = versions.reduce((a, b) => (a.attributes.createdOn! < b.attributes.createdOn! ? a : b));
    const latest = await svc.keys.get(vault, 'app-signing-key');
    const old = await svc.keys.get(vault, 'app-signing-key', oldest.version);
    assert.equal(old.version, oldest.version);
    assert.notEqual(latest.version, old.version);
    assert.notEqual(latest.key.n, old.key.n);
  });

  it('updates enabled, dates, operations, tags and release policy; a disabled key cannot be read', async () => {
    const k = await svc.keys.create(vault, 'svc-update', { kty: 'EC' });
    const expiresOn = new Date(Date.now() + 10 * 86400_000);
    const u = await svc.keys.update(vault, 'svc-update', k.version!, { keyOps: ['verify'], tags: { stage: 'updated' }, attributes: { expiresOn } });
    assert.deepEqual(u.keyOps, ['verify']);
    assert.deepEqual(u.tags, { stage: 'updated' });
    assert.equal(Math.floor(u.attributes.expiresOn!.getTime() / 1000), Math.floor(expiresOn.getTime() / 1000));
    await svc.keys.update(vault, 'svc-update', k.version!, { attributes: { enabled: false } });
    await assert.rejects(svc.keys.get(vault, 'svc-update'), kvError('disabled'));

    const exp = await svc.keys.create(hsm, 'svc-update-policy', { kty: 'EC-HSM', attributes: { exportable: true }, releasePolicy: { encodedPolicy: policyBytes(RELEASE_POLICY) } });
    const changed = { ...RELEASE_POLICY, anyOf: [{ ...RELEASE_POLICY.anyOf[0]!, authority: 'https://attest2.example' }] };
    const withPolicy = await svc.keys.update(hsm, 'svc-update-policy', exp.version!, { releasePolicy: { encodedPolicy: policyBytes(changed) } });
    assert.deepEqual(JSON.parse(Buffer.from(withPolicy.releasePolicy!.encodedPolicy).toString('utf8')), changed);
  });

  it('imports RSA, EC and secp256k1 JWKs and keeps the public key', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
    const importedRsa = await svc.keys.import(vault, 'svc-import-rsa', { ...(rsa as JsonWebPrivateKey), kty: 'RSA', key_ops: ['sign', 'verify'] }, { tags: { source: 'jwk' } });
    assert.equal(importedRsa.key.n, rsa.n);
    assert.deepEqual(importedRsa.keyOps, ['sign', 'verify']);
    assert.deepEqual(importedRsa.tags, { source: 'jwk' });
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ format: 'jwk' });
    const importedK1 = await svc.keys.import(vault, 'svc-import-k1', { kty: 'EC', crv: 'P-256K', x: k1.x!, y: k1.y!, d: k1.d! });
    assert.equal(importedK1.curve, 'P-256K');
    assert.equal(importedK1.key.x, k1.x);
    const hsmImport = await svc.keys.import(vault, 'svc-import-hsm', { ...(rsa as JsonWebPrivateKey), kty: 'RSA' }, { hsm: true });
    assert.equal(hsmImport.keyType, 'RSA-HSM');
  });

  it('imports an encrypted PKCS#8 PEM through pemToJwk', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' }).toString();
    const imported = await svc.keys.import(vault, 'svc-import-pem', pemToJwk(pem, 'correct horse'));
    assert.equal(imported.curve, 'P-384');
    assert.equal(imported.key.x, privateKey.export({ format: 'jwk' }).x);
  });

  it('refuses a bad JWK locally with a specific message, and an unsupported one with the service 400', async () => {
    const a = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    const b = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    const before = svc.requestCount();
    await assert.rejects(svc.keys.import(vault, 'svc-bad-jwk', { kty: 'EC', crv: 'P-256', x: a.x!, y: a.y!, d: b.d! }), kvError('bad-request', /does not belong to the public point/));
    await assert.rejects(svc.keys.import(vault, 'svc-bad-jwk', { kty: 'EC', crv: 'P-256', x: a.x!, y: a.y! }), kvError('bad-request', /no private part/));
    await assert.rejects(svc.keys.import(vault, 'svc-bad-jwk', { kty: 'RSA', n: 'AQAB', e: 'AQAB', d: 'AQAB' }), kvError('bad-request', /no 'p'/));
    assert.equal(svc.requestCount(), before);
    // The emulator's origin is a custom endpoint, so only the service knows it is a vault (no symmetric keys there).
    await assert.rejects(svc.keys.import(vault, 'svc-bad-jwk', { kty: 'oct', k: Buffer.alloc(32, 7).toString('base64url') }), (e: unknown) => isKeyVaultError(e) && e.status === 400);
  });

  it('deletes, lists deleted, refuses the name while deleted, recovers, and purges', async () => {
    await svc.keys.create(vault, 'svc-lifecycle', { kty: 'EC' });
    const deleted = await svc.keys.delete(vault, 'svc-lifecycle');
    assert.ok(deleted.recoveryId?.endsWith('/deletedkeys/svc-lifecycle'));
    assert.ok(deleted.scheduledPurgeDate! > new Date());
    assert.equal(deleted.keyType, 'EC');
    const listed = (await collect(svc.keys.listDeleted(vault))).map((d) => d.name);
    assert.ok(listed.includes('svc-lifecycle'));
    assert.ok(listed.includes('old-encryption-key'));
    assert.equal((await svc.keys.getDeleted(vault, 'svc-lifecycle')).name, 'svc-lifecycle');
    await assert.rejects(svc.keys.create(vault, 'svc-lifecycle', { kty: 'EC' }), (e: unknown) => kvError('conflict-deleted')(e) && /recover/.test((e as { hint: string }).hint));
    const recovered = await svc.keys.recover(vault, 'svc-lifecycle');
    assert.equal(recovered.name, 'svc-lifecycle');
    assert.equal((await svc.keys.get(vault, 'svc-lifecycle')).keyType, 'EC');
    await svc.keys.delete(vault, 'svc-lifecycle');
    await svc.keys.purge(vault, 'svc-lifecycle');
    await assert.rejects(svc.keys.getDeleted(vault, 'svc-lifecycle'), kvError('not-found'));
  });

  it('backs up and restores a key with all its versions; restoring over an existing name is a 409', async () => {
    const v1 = await svc.keys.create(vault, 'svc-backup', { kty: 'RSA' });
    await svc.keys.create(vault, 'svc-backup', { kty: 'RSA' });
    const blob = await svc.keys.backup(vault, 'svc-backup');
    assert.ok(blob.length > 64);
    await assert.rejects(svc.keys.restore(vault, blob), (e: unknown) => isKeyVaultError(e) && e.status === 409);
    await svc.keys.delete(vault, 'svc-backup');
    await svc.keys.purge(vault, 'svc-backup');
    const restored = await svc.keys.restore(vault, blob);
    assert.equal(restored.name, 'svc-backup');
    assert.equal((await collect(svc.keys.listVersions(vault, 'svc-backup'))).length, 2);
    assert.equal((await svc.keys.get(vault, 'svc-backup', v1.version)).key.n, v1.key.n);
  });

  it('rotates a key into a new version with the same type and size', async () => {
    const k = await svc.keys.create(vault, 'svc-rotate', { kty: 'RSA', keySize: 2048 });
    const rotated = await svc.keys.rotate(vault, 'svc-rotate');
    assert.notEqual(rotated.version, k.version);
    assert.equal(rotated.keyType, 'RSA');
    assert.equal(rotated.keySize, 2048);
    assert.notEqual(rotated.key.n, k.key.n);
    assert.equal((await svc.keys.get(vault, 'svc-rotate')).version, rotated.version);
  });

  it('reads and replaces a rotation policy; the service refuses one its rules forbid', async () => {
    const seeded = await svc.keys.getRotationPolicy(vault, 'payments-ec-key');
    assert.ok(seeded.lifetimeActions.some((a) => a.action === 'Rotate' && a.timeAfterCreate === 'P90D'));
    assert.equal(seeded.expiryTime, 'P1Y');
    await svc.keys.create(vault, 'svc-policy', { kty: 'EC' });
    const updated = await svc.keys.updateRotationPolicy(vault, 'svc-policy', {
      expiryTime: 'P2Y',
      lifetimeActions: [
        { action: 'Rotate', timeAfterCreate: 'P18M' },
        { action: 'Notify', timeBeforeExpiry: 'P30D' },
      ],
    });
    assert.equal(updated.expiryTime, 'P2Y');
    assert.deepEqual(updated.lifetimeActions, [
      { action: 'Rotate', timeAfterCreate: 'P18M' },
      { action: 'Notify', timeBeforeExpiry: 'P30D' },
    ]);
    assert.ok(updated.updatedOn instanceof Date);
    assert.deepEqual((await svc.keys.getRotationPolicy(vault, 'svc-policy')).lifetimeActions, updated.lifetimeActions);
    // Well-formed but too short for Key Vault (expiry at least 28 days): only the service knows its rules.
    await assert.rejects(svc.keys.updateRotationPolicy(vault, 'svc-policy', { expiryTime: 'P7D' }), kvError('bad-request', /28 days/));
  });

  it('gets random bytes from a Managed HSM', async () => {
    const a = await svc.keys.getRandomBytes(hsm, 32);
    const b = await svc.keys.getRandomBytes(hsm, 32);
    assert.equal(a.length, 32);
    assert.equal(b.length, 32);
    assert.notDeepEqual(a, b);
    assert.equal((await svc.keys.getRandomBytes(hsm, 128)).length, 128);
  });

  it('answers 404 for a missing key, and for random bytes asked of a vault', async () => {
    await assert.rejects(svc.keys.get(vault, 'no-such-key'), kvError('not-found'));
    await assert.rejects(svc.keys.rotate(vault, 'no-such-key'), kvError('not-found'));
    await assert.rejects(svc.keys.getRandomBytes(vault, 8), (e: unknown) => isKeyVaultError(e) && (e.status === 404 || e.status === 400));
  });

  it('names the missing permission or role when the reader or an outsider reaches for a key', async () => {
    const reader = serviceFor(emu.ready, 'reader');
    assert.ok((await collect(reader.keys.list(vault))).length > 0);
    await assert.rejects(reader.keys.get(vault, 'app-signing-key'), (e: unknown) => kvError('forbidden-access-policy')(e) && /keys get/.test((e as { hint: string }).hint));
    await assert.rejects(reader.keys.create(vault, 'svc-reader-create', { kty: 'EC' }), (e: unknown) => isKeyVaultError(e) && e.status === 403);
    reader.dispose();
    const none = serviceFor(emu.ready, 'noaccess');
    await assert.rejects(collect(none.keys.list(hsm)), (e: unknown) => kvError('forbidden-rbac')(e) && /Crypto/.test((e as { hint: string }).hint));
    none.dispose();
  });

  it('cancels a call through its AbortSignal', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(svc.keys.get(vault, 'app-signing-key', '', { abortSignal: controller.signal }), kvError('cancelled'));
  });
});
