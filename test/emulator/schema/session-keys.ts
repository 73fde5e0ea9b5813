import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { CryptographyClient, KeyClient, type JsonWebKey, type KeyVaultKey } from '@azure/keyvault-keys';
import { containerUrl, credentialFor, sdkOptions } from '../../support/emulator';
import { drainPages, fastPoll, uniqueName, type SessionContext } from './session-context';
import { expectStatus } from './session';
import type { RawClient } from './http-client';

const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
const digest256 = createHash('sha256').update('key vault emulator fidelity').digest();

/** Every keys operation through @azure/keyvault-keys on a vault and an HSM, with raw calls where the SDK would work locally. */
export async function keysSession(ctx: SessionContext): Promise<void> {
  await vaultKeys(ctx);
  await hsmKeys(ctx);
}

async function vaultKeys({ ready, raw, s }: SessionContext): Promise<void> {
  const credential = credentialFor(ready, 'app');
  const client = new KeyClient(containerUrl(ready, 'kv-demo'), credential, sdkOptions);
  const rsaName = uniqueName('schema-rsa');
  const ecName = uniqueName('schema-ec');
  const rsa = await s.step('CreateKey RSA 2048 with key_ops and tags', () =>
    client.createRsaKey(rsaName, { keySize: 2048, keyOps: ['sign', 'verify', 'encrypt', 'decrypt', 'wrapKey', 'unwrapKey'], tags: { team: 'fidelity' } }),
  );
  const ec = await s.step('CreateKey EC P-256', () => client.createEcKey(ecName, { curve: 'P-256' }));
  await s.step('CreateKey EC P-384 with exp', () => client.createEcKey(uniqueName('schema-ec384'), { curve: 'P-384', expiresOn: new Date(Date.now() + 86_400_000) }));
  await s.step('GetKey latest', () => client.getKey(rsaName));
  if (rsa?.properties.version) {
    const version = rsa.properties.version;
    await s.step('GetKey by version', () => client.getKey(rsaName, { version }));
    await s.step('UpdateKey tags and enabled', () => client.updateKeyProperties(rsaName, version, { tags: { team: 'fidelity', updated: 'yes' }, enabled: true }));
    await rsaCryptoSteps(raw, s, rsa, credential);
  } else {
    s.blocked('GetKey by version, UpdateKey, RSA cryptography', 'CreateKey RSA');
  }
  if (ec?.id) {
    const crypto = new CryptographyClient(ec.id, credential, sdkOptions);
    const signed = await s.step('sign ES256', () => crypto.sign('ES256', digest256));
    if (signed) await s.step('verify ES256 (raw)', async () => expectStatus(await raw.request('kv-demo', 'POST', `${keyPath(ec)}/verify`, { body: { alg: 'ES256', digest: b64u(digest256), value: b64u(signed.result) } }), 200));
  } else {
    s.blocked('EC cryptography', 'CreateKey EC');
  }
  await s.step('GetKeys, several pages', () => drainPages(client.listPropertiesOfKeys().byPage({ maxPageSize: 2 })));
  await s.step('GetKeyVersions', () => drainPages(client.listPropertiesOfKeyVersions(rsaName).byPage({ maxPageSize: 1 })));
  await s.step('RotateKey', () => client.rotateKey(rsaName));
  await s.step('UpdateKeyRotationPolicy', () =>
    client.updateKeyRotationPolicy(rsaName, { expiresIn: 'P90D', lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P30D' }, { action: 'Notify', timeBeforeExpiry: 'P7D' }] }),
  );
  await s.step('GetKeyRotationPolicy', () => client.getKeyRotationPolicy(rsaName));

  const imported = uniqueName('schema-imported');
  await s.step('ImportKey RSA JWK with private parts', () => client.importKey(imported, rsaJwk(), { tags: { source: 'node-crypto' } }));

  const backup = await s.step('BackupKey', () => client.backupKey(rsaName));
  await s.step('DeleteKey', async () => (await client.beginDeleteKey(rsaName, fastPoll)).pollUntilDone());
  await s.step('GetDeletedKey', () => client.getDeletedKey(rsaName));
  await s.step('GetDeletedKeys', () => drainPages(client.listDeletedKeys().byPage({ maxPageSize: 2 })));
  await s.step('RecoverDeletedKey', async () => (await client.beginRecoverDeletedKey(rsaName, fastPoll)).pollUntilDone());
  await s.step('DeleteKey again', async () => (await client.beginDeleteKey(rsaName, fastPoll)).pollUntilDone());
  await s.step('PurgeDeletedKey', () => client.purgeDeletedKey(rsaName));
  if (backup) await s.step('RestoreKey after purge', () => client.restoreKeyBackup(backup));
  else s.blocked('RestoreKey', 'BackupKey');

  await s.step('GetKey of a missing key is 404', async () => expectStatus(await raw.request('kv-demo', 'GET', `/keys/${uniqueName('missing')}/`), 404));
  await s.step('CreateKey oct on a vault is refused with 400', async () => expectStatus(await raw.request('kv-demo', 'POST', `/keys/${uniqueName('oct')}/create`, { body: { kty: 'oct', key_size: 256 } }), 400));
  if (ec) await s.step('sign with a digest of the wrong length is 400', async () => expectStatus(await raw.request('kv-demo', 'POST', `${keyPath(ec)}/sign`, { body: { alg: 'ES256', value: b64u(randomBytes(20)) } }), 400));
}

/** RSA sign/verify, encrypt/decrypt, wrap/unwrap: private operations through the SDK, public ones raw (the SDK does those locally). */
async function rsaCryptoSteps(raw: RawClient, s: SessionContext['s'], key: KeyVaultKey, credential: ReturnType<typeof credentialFor>): Promise<void> {
  const [signAlg, encAlg, wrapAlg] = ['RS256', 'RSA-OAEP', 'RSA-OAEP-256'] as const;
  const crypto = new CryptographyClient(key.id!, credential, sdkOptions);
  const path = keyPath(key);
  const signed = await s.step(`sign ${signAlg}`, () => crypto.sign(signAlg, digest256));
  if (signed) await s.step(`verify ${signAlg} (raw)`, async () => expectStatus(await raw.request('kv-demo', 'POST', `${path}/verify`, { body: { alg: signAlg, digest: b64u(digest256), value: b64u(signed.result) } }), 200));
  const plaintext = Buffer.from('attack at dawn');
  const encrypted = await s.step(`encrypt ${encAlg} (raw)`, async () => expectStatus(await raw.request('kv-demo', 'POST', `${path}/encrypt`, { body: { alg: encAlg, value: b64u(plaintext) } }), 200));
  const ciphertext = (encrypted?.json as { value?: string } | undefined)?.value;
  if (ciphertext) await s.step(`decrypt ${encAlg}`, () => crypto.decrypt({ algorithm: encAlg, ciphertext: Buffer.from(ciphertext, 'base64url') }));
  const cek = randomBytes(32);
  const wrapped = await s.step(`wrapKey ${wrapAlg} (raw)`, async () => expectStatus(await raw.request('kv-demo', 'POST', `${path}/wrapkey`, { body: { alg: wrapAlg, value: b64u(cek) } }), 200));
  const wrappedValue = (wrapped?.json as { value?: string } | undefined)?.value;
  if (wrappedValue) await s.step(`unwrapKey ${wrapAlg}`, () => crypto.unwrapKey(wrapAlg, Buffer.from(wrappedValue, 'base64url')));
}

async function hsmKeys({ ready, raw, s }: SessionContext): Promise<void> {
  const client = new KeyClient(containerUrl(ready, 'hsm-demo'), credentialFor(ready, 'app'), sdkOptions);
  const octName = uniqueName('schema-aes');
  const oct = await s.step('CreateKey oct-HSM 256 on the HSM', () => client.createOctKey(octName, { hsm: true, keySize: 256, keyOps: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'] }));
  await s.step('CreateKey RSA-HSM on the HSM', () => client.createRsaKey(uniqueName('schema-hsm-rsa'), { hsm: true, keySize: 2048 }));
  await s.step('GetRandomBytes on the HSM', () => client.getRandomBytes(16));
  await s.step('GetKeys on the HSM', () => drainPages(client.listPropertiesOfKeys().byPage({ maxPageSize: 2 })));
  if (oct) {
    const path = keyPath(oct);
    const enc = await s.step('encrypt A256GCM (raw)', async () => expectStatus(await raw.request('hsm-demo', 'POST', `${path}/encrypt`, { body: { alg: 'A256GCM', value: b64u(Buffer.from('hsm plaintext')) } }), 200));
    const e = enc?.json as { value?: string; iv?: string; tag?: string } | undefined;
    if (e?.value) await s.step('decrypt A256GCM (raw)', async () => expectStatus(await raw.request('hsm-demo', 'POST', `${path}/decrypt`, { body: { alg: 'A256GCM', value: e.value, iv: e.iv, tag: e.tag } }), 200));
    const wrapped = await s.step('wrapKey A256KW (raw)', async () => expectStatus(await raw.request('hsm-demo', 'POST', `${path}/wrapkey`, { body: { alg: 'A256KW', value: b64u(randomBytes(32)) } }), 200));
    const w = (wrapped?.json as { value?: string } | undefined)?.value;
    if (w) await s.step('unwrapKey A256KW (raw)', async () => expectStatus(await raw.request('hsm-demo', 'POST', `${path}/unwrapkey`, { body: { alg: 'A256KW', value: w } }), 200));
    await s.step('release (400: the emulator does not emulate attestation)', async () => expectStatus(await raw.request('hsm-demo', 'POST', `${path}/release`, { body: { target: 'not-an-attestation-token' } }), 400));
    await s.step('securewrapkey (400: not emulated)', async () => expectStatus(await raw.request('hsm-demo', 'POST', `${path}/securewrapkey`, { body: { alg: 'RSA-OAEP-256' } }), 400));
    await s.step('secureunwrapkey (400: not emulated)', async () => expectStatus(await raw.request('hsm-demo', 'POST', `${path}/secureunwrapkey`, { body: { alg: 'RSA-OAEP-256', value: 'AA' } }), 400));
    // Attestation needs real HSM hardware; the emulator may answer it or refuse it with a Key Vault error body.
    await s.step('GetKeyAttestation on the HSM (200, or 400 not supported)', async () => expectStatus(await raw.request('hsm-demo', 'GET', `${path}/attestation`), 200, 400));
  } else {
    s.blocked('HSM AES cryptography and attestation', 'CreateKey oct-HSM');
  }
}

/** `/keys/{name}/{version}` from a key's kid. */
function keyPath(key: KeyVaultKey): string {
  return new URL(key.id!).pathname;
}

function rsaJwk(): JsonWebKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, string>;
  const bytes = (k: string): Uint8Array => Buffer.from(jwk[k]!, 'base64url');
  return { kty: 'RSA', n: bytes('n'), e: bytes('e'), d: bytes('d'), p: bytes('p'), q: bytes('q'), dp: bytes('dp'), dq: bytes('dq'), qi: bytes('qi'), keyOps: ['sign', 'verify', 'encrypt', 'decrypt'] };
}
