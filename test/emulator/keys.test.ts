import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RestError, createDefaultHttpClient } from '@azure/core-rest-pipeline';
import { CryptographyClient, KeyClient, type JsonWebKey, type KeyVaultKey } from '@azure/keyvault-keys';
import type { Emulator } from './emulator';
import { containerUrl, credentialFor, sdkOptions, startTestEmulator, type IdentityHandle } from '../support/emulator';

// Conformance of the keys family with the official KeyClient (and raw HTTPS where the SDK cannot express a request):
// create, import, get/update/list, soft delete, backup/restore, rotation, release, random bytes, access, managed keys,
// the demo seed and persistence of key material. Cryptography itself is in crypto.test.ts.

let emulator: Emulator;
const clients = new Map<string, KeyClient>();

function client(container = 'kv-demo', who: IdentityHandle = 'app'): KeyClient {
  const key = `${container}/${who}`;
  let c = clients.get(key);
  if (!c) {
    c = new KeyClient(containerUrl(emulator.ready, container), credentialFor(emulator.ready, who), sdkOptions);
    clients.set(key, c);
  }
  return c;
}

let counter = 0;
const uniqueName = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${counter++}`;
const poll = { intervalInMs: 10 };

async function restError(fn: () => Promise<unknown>): Promise<RestError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof RestError, `expected a RestError, got ${String(err)}`);
    return err;
  }
  assert.fail('the call succeeded but should have failed');
}

const innerCode = (err: RestError): unknown => (err.details as { error?: { innerError?: { code?: string } } } | undefined)?.error?.innerError?.code;

interface Reply {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string; innererror?: { code: string } } };
}

const tokens = new Map<string, ReturnType<typeof credentialFor>>();
/** A raw Key Vault request (for bodies the SDK does not send, and to see the exact wire shape). */
async function call(method: string, container: string, path: string, body?: unknown, who: IdentityHandle = 'app'): Promise<Reply> {
  const origin = containerUrl(emulator.ready, container);
  let credential = tokens.get(`${who}/${container}`);
  if (!credential) tokens.set(`${who}/${container}`, (credential = credentialFor(emulator.ready, who, emulator.ready.containers.find((c) => c.name === container)!.tenantId)));
  const token = (await credential.getToken(`${origin}/.default`)).token;
  const sep = path.includes('?') ? '&' : '?';
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const res = await fetch(`${origin}${path}${sep}api-version=2026-04-01`, {
    method,
    body: payload,
    headers: { authorization: `Bearer ${token}`, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Reply['body']) : {} };
}

function assertError(reply: Reply, status: number, code: string, message?: RegExp, inner?: string): void {
  assert.equal(reply.status, status, `status ${reply.status}: ${JSON.stringify(reply.body)}`);
  assert.equal(reply.body.error?.code, code);
  if (message) assert.match(reply.body.error?.message ?? '', message);
  if (inner) assert.equal(reply.body.error?.innererror?.code, inner);
}

const bits = (b64u: Uint8Array | undefined): number => {
  const n = Buffer.from(b64u ?? []);
  return n.length * 8 - Math.clz32(n[0] ?? 0) + 24;
};

/** A node KeyObject for the public key the service returned. */
function publicKeyOf(key: KeyVaultKey): KeyObject {
  const k = key.key!;
  const b = (v: Uint8Array | undefined): string => Buffer.from(v!).toString('base64url');
  if (k.kty?.startsWith('RSA')) return createPublicKey({ key: { kty: 'RSA', n: b(k.n), e: b(k.e) }, format: 'jwk' });
  return createPublicKey({ key: { kty: 'EC', crv: k.crv === 'P-256K' ? 'secp256k1' : k.crv!, x: b(k.x), y: b(k.y) }, format: 'jwk' });
}

/** The SDK's JsonWebKey (bytes) from a node JWK (base64url strings). */
function sdkJwk(jwk: Record<string, unknown>, extra: Partial<JsonWebKey> = {}): JsonWebKey {
  const out: Record<string, unknown> = { ...extra };
  for (const [k, v] of Object.entries(jwk)) {
    if (k === 'kty' || k === 'crv') out[k] = k === 'crv' && v === 'secp256k1' ? 'P-256K' : v;
    else if (typeof v === 'string') out[k] = Buffer.from(v, 'base64url');
  }
  return out as JsonWebKey;
}

const releasePolicy = (): { contentType: string; data: string } => ({
  contentType: 'application/json; charset=utf-8',
  data: Buffer.from(JSON.stringify({ version: '1.0.0', anyOf: [{ authority: 'https://attest.example', allOf: [{ claim: 'x-ms-attestation-type', equals: 'sevsnpvm' }] }] })).toString('base64url'),
});

before(async () => {
  emulator = await startTestEmulator({ seed: 'demo' });
  emulator.recordExchanges = true;
});

after(async () => {
  await emulator.close();
});

describe('keys: create', () => {
  it('creates RSA keys of 2048, 3072 and 4096 bits with the requested modulus and public exponent', async () => {
    for (const keySize of [2048, 3072, 4096]) {
      const key = await client().createRsaKey(uniqueName(`rsa${keySize}`), { keySize });
      assert.equal(key.keyType, 'RSA');
      assert.equal(bits(key.key?.n), keySize);
      assert.equal(Buffer.from(key.key!.e!).toString('base64url'), 'AQAB');
      assert.deepEqual(key.keyOperations, ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey']);
      assert.match(key.properties.version ?? '', /^[0-9a-f]{32}$/);
      assert.equal(key.id, `${containerUrl(emulator.ready, 'kv-demo')}/keys/${key.name}/${key.properties.version}`);
    }
    // The SDK does not send public_exponent, so this one goes raw.
    const three = await call('POST', 'kv-demo', `/keys/${uniqueName('rsa-e3')}/create`, { kty: 'RSA', key_size: 2048, public_exponent: 3 });
    assert.equal((three.body.key as { e: string }).e, 'Aw');
  });

  it('creates EC keys on P-256, P-384, P-521 and P-256K with coordinates the size of the curve', async () => {
    for (const [curve, size] of [['P-256', 32], ['P-384', 48], ['P-521', 66], ['P-256K', 32]] as const) {
      const key = await client().createEcKey(uniqueName('ec'), { curve });
      assert.equal(key.keyType, 'EC');
      assert.equal(key.key?.crv, curve);
      assert.equal(key.key?.x?.length, size);
      assert.equal(key.key?.y?.length, size);
      assert.deepEqual(key.keyOperations, ['sign', 'verify']);
      // The point is on the curve: node accepts it as a public key.
      assert.equal(publicKeyOf(key).asymmetricKeyType, 'ec');
    }
    const byDefault = await call('POST', 'kv-demo', `/keys/${uniqueName('ec-default')}/create`, { kty: 'EC' });
    assert.equal((byDefault.body.key as { crv: string }).crv, 'P-256');
  });

  it('puts only public members on the wire: no d, p, q, dp, dq, qi or k', async () => {
    const rsa = await call('POST', 'kv-demo', `/keys/${uniqueName('wire-rsa')}/create`, { kty: 'RSA' });
    assert.deepEqual(Object.keys(rsa.body.key as object).sort(), ['e', 'key_ops', 'kid', 'kty', 'n']);
    const ec = await call('POST', 'kv-demo', `/keys/${uniqueName('wire-ec')}/create`, { kty: 'EC', crv: 'P-384' });
    assert.deepEqual(Object.keys(ec.body.key as object).sort(), ['crv', 'key_ops', 'kid', 'kty', 'x', 'y']);
    const oct = await call('POST', 'hsm-demo', `/keys/${uniqueName('wire-oct')}/create`, { kty: 'oct-HSM', key_size: 128 });
    assert.deepEqual(Object.keys(oct.body.key as object).sort(), ['key_ops', 'kid', 'kty']);
    assert.equal((oct.body.attributes as { key_size?: number }).key_size, 128);
  });

  it('creates RSA-HSM and EC-HSM keys in a premium vault and refuses them in a standard vault with 400 KeyTypeNotSupported', async () => {
    const rsa = await client().createRsaKey(uniqueName('premium-rsa'), { hsm: true, keySize: 2048 });
    assert.equal(rsa.keyType, 'RSA-HSM');
    const ec = await client().createEcKey(uniqueName('premium-ec'), { hsm: true, curve: 'P-384' });
    assert.equal(ec.keyType, 'EC-HSM');
    const err = await restError(() => client('kv-scale').createRsaKey(uniqueName('standard-rsa'), { hsm: true }));
    assert.equal(err.statusCode, 400);
    assert.equal(err.code, 'BadParameter');
    assert.equal(innerCode(err), 'KeyTypeNotSupported');
    assert.match(err.message, /Invalid kty value: RSA-HSM.*Premium/);
  });

  it('refuses oct and oct-HSM keys in a vault with "Invalid kty value" and KeyTypeNotSupported', async () => {
    for (const kty of ['oct', 'oct-HSM']) {
      const reply = await call('POST', 'kv-demo', `/keys/${uniqueName('vault-oct')}/create`, { kty, key_size: 256 });
      assertError(reply, 400, 'BadParameter', new RegExp(`^Invalid kty value: ${kty}$`), 'KeyTypeNotSupported');
    }
    const sdk = await restError(() => client().createOctKey(uniqueName('sdk-oct')));
    assert.equal(sdk.statusCode, 400);
  });

  it('creates RSA-HSM, EC-HSM and 128/192/256-bit oct-HSM keys on a Managed HSM and refuses software key types there', async () => {
    const hsm = client('hsm-demo');
    assert.equal((await hsm.createRsaKey(uniqueName('hsm-rsa'), { hsm: true, keySize: 3072 })).keyType, 'RSA-HSM');
    assert.equal((await hsm.createEcKey(uniqueName('hsm-ec'), { hsm: true, curve: 'P-521' })).keyType, 'EC-HSM');
    for (const keySize of [128, 192, 256]) {
      const oct = await hsm.createOctKey(uniqueName('hsm-oct'), { hsm: true, keySize });
      assert.equal(oct.keyType, 'oct-HSM');
      assert.deepEqual(oct.keyOperations, ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey']);
      assert.equal(oct.properties.exportable, false);
    }
    for (const kty of ['RSA', 'EC', 'oct']) {
      assertError(await call('POST', 'hsm-demo', `/keys/${uniqueName('hsm-soft')}/create`, { kty }), 400, 'BadParameter', /Invalid kty value/, 'KeyTypeNotSupported');
    }
  });

  it('validates kty, key_ops, key_size, crv and public_exponent with 400 BadParameter', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['kv-demo', {}, /kty.*required/],
      ['kv-demo', { kty: 'DSA' }, /Invalid kty value: DSA/],
      ['kv-demo', { kty: 'RSA', key_ops: ['sign', 'fly'] }, /Invalid key_ops value: 'fly'/],
      ['kv-demo', { kty: 'RSA', key_ops: 'sign' }, /key_ops/],
      ['kv-demo', { kty: 'RSA', key_size: 1024 }, /Invalid key_size 1024/],
      ['kv-demo', { kty: 'RSA', public_exponent: 5 }, /public_exponent/],
      ['kv-demo', { kty: 'RSA', crv: 'P-256' }, /crv.*only to EC/],
      ['kv-demo', { kty: 'EC', crv: 'P-192' }, /Invalid crv value: P-192/],
      ['kv-demo', { kty: 'EC', crv: 'P-384', key_size: 256 }, /Invalid key_size 256/],
      ['kv-demo', { kty: 'EC', public_exponent: 65537 }, /public_exponent.*only to RSA/],
      ['hsm-demo', { kty: 'oct-HSM', key_size: 512 }, /Invalid key_size 512/],
      ['kv-demo', { kty: 'RSA', attributes: { exp: 'tomorrow' } }, /attributes.exp/],
      ['kv-demo', { kty: 'RSA', tags: { a: 1 } }, /Tag 'a'/],
    ];
    for (const [container, body, message] of cases) {
      assertError(await call('POST', container, `/keys/${uniqueName('bad')}/create`, body), 400, 'BadParameter', message);
    }
    assertError(await call('POST', 'kv-demo', '/keys/bad_name!/create', { kty: 'RSA' }), 400, 'BadParameter', /invalid name/);
  });

  it('stores the attributes, tags and key_ops given at creation, and adds a version when the name exists', async () => {
    const name = uniqueName('attrs');
    const notBefore = new Date(Math.floor(Date.now() / 1000 - 60) * 1000);
    const expiresOn = new Date(Math.floor(Date.now() / 1000 + 86400) * 1000);
    const first = await client().createEcKey(name, { curve: 'P-256', keyOps: ['sign'], tags: { env: 'test' }, notBefore, expiresOn, enabled: true });
    const second = await client().createEcKey(name, { curve: 'P-384' });
    assert.notEqual(first.properties.version, second.properties.version);
    const got = await client().getKey(name, { version: first.properties.version! });
    assert.deepEqual(got.keyOperations, ['sign']);
    assert.deepEqual(got.properties.tags, { env: 'test' });
    assert.equal(got.properties.notBefore?.getTime(), notBefore.getTime());
    assert.equal(got.properties.expiresOn?.getTime(), expiresOn.getTime());
    assert.equal(got.properties.recoveryLevel, 'Recoverable+Purgeable');
    assert.equal(got.properties.recoverableDays, 90);
    assert.equal((await client().getKey(name)).key?.crv, 'P-384');
  });

  it('requires exportable keys to be HSM keys with a release policy, and returns the policy it stored', async () => {
    assertError(await call('POST', 'kv-demo', `/keys/${uniqueName('exp-soft')}/create`, { kty: 'RSA', attributes: { exportable: true }, release_policy: releasePolicy() }), 400, 'BadParameter', /Only HSM-protected keys can be exportable/);
    assertError(await call('POST', 'kv-demo', `/keys/${uniqueName('exp-nopolicy')}/create`, { kty: 'RSA-HSM', attributes: { exportable: true } }), 400, 'BadParameter', /Release policy must be provided/);
    assertError(await call('POST', 'kv-demo', `/keys/${uniqueName('policy-only')}/create`, { kty: 'RSA-HSM', release_policy: releasePolicy() }), 400, 'BadParameter', /exportable/);
    assertError(await call('POST', 'kv-demo', `/keys/${uniqueName('bad-policy')}/create`, { kty: 'RSA-HSM', attributes: { exportable: true }, release_policy: { data: 'bm90IGpzb24' } }), 400, 'BadParameter', /release policy is not valid/);
    const policy = releasePolicy();
    const key = await client().createRsaKey(uniqueName('exportable'), { hsm: true, exportable: true, releasePolicy: { encodedPolicy: Buffer.from(policy.data, 'base64url'), immutable: false } });
    assert.equal(key.properties.exportable, true);
    assert.equal(Buffer.from(key.properties.releasePolicy!.encodedPolicy!).toString('base64url'), policy.data);
    assert.equal(key.properties.releasePolicy?.contentType, 'application/json; charset=utf-8');
  });

  it('refuses to reuse the name of a deleted key with 409 Conflict', async () => {
    const name = uniqueName('reuse');
    await client().createEcKey(name);
    await (await client().beginDeleteKey(name, poll)).pollUntilDone();
    const err = await restError(() => client().createEcKey(name));
    assert.equal(err.statusCode, 409);
    assert.equal(err.code, 'Conflict');
    assert.match(err.message, /deleted but recoverable/);
  });
});

describe('keys: import', () => {
  it('imports an RSA JWK made by node:crypto and signs with exactly its private key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const name = uniqueName('import-rsa');
    const key = await client().importKey(name, sdkJwk(privateKey.export({ format: 'jwk' }), { keyOps: ['sign', 'verify'] }), { tags: { source: 'node' } });
    assert.equal(key.keyType, 'RSA');
    assert.deepEqual(key.keyOperations, ['sign', 'verify']);
    assert.deepEqual(key.properties.tags, { source: 'node' });
    assert.equal(Buffer.from(key.key!.n!).toString('base64url'), publicKey.export({ format: 'jwk' }).n);
    const data = Buffer.from('imported key signs');
    const signed = await new CryptographyClient(key, credentialFor(emulator.ready), sdkOptions).signData('RS256', data);
    // PKCS#1 v1.5 signatures are deterministic: the service must produce node's signature byte for byte.
    assert.deepEqual(Buffer.from(signed.result), nodeSign('sha256', data, privateKey));
  });

  it('imports EC keys on every curve, as EC-HSM when Hsm is true', async () => {
    for (const namedCurve of ['P-256', 'P-384', 'P-521', 'secp256k1']) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve });
      const jwk = privateKey.export({ format: 'jwk' });
      const key = await client().importKey(uniqueName('import-ec'), sdkJwk(jwk), { hardwareProtected: namedCurve === 'P-384' });
      assert.equal(key.keyType, namedCurve === 'P-384' ? 'EC-HSM' : 'EC');
      assert.equal(key.key?.crv, namedCurve === 'secp256k1' ? 'P-256K' : namedCurve);
      assert.equal(Buffer.from(key.key!.x!).toString('base64url'), jwk.x);
    }
  });

  it('imports an AES key into a Managed HSM as oct-HSM without returning k', async () => {
    const k = randomBytes(32);
    const reply = await call('PUT', 'hsm-demo', `/keys/${uniqueName('import-aes')}`, { key: { kty: 'oct-HSM', k: k.toString('base64url'), key_ops: ['wrapKey', 'unwrapKey'] } });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.key, { kid: (reply.body.key as { kid: string }).kid, kty: 'oct-HSM', key_ops: ['wrapKey', 'unwrapKey'] });
    const softRsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
    const onHsm = await call('PUT', 'hsm-demo', `/keys/${uniqueName('import-hsm-rsa')}`, { key: softRsa });
    assert.equal((onHsm.body.key as { kty: string }).kty, 'RSA-HSM', 'a Managed HSM keeps every imported key in hardware');
  });

  it('refuses malformed JWKs with 400 BadParameter naming the problem', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as Record<string, string>;
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as Record<string, string>;
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as Record<string, string>;
    const ec2 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as Record<string, string>;
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' });
    const cases: [string, unknown, RegExp][] = [
      ['kv-demo', undefined, /'key' is required/],
      ['kv-demo', { ...rsa, kty: undefined }, /'kty' parameter is required/],
      ['kv-demo', { ...rsa, kty: 'RSA2' }, /Invalid kty value: RSA2/],
      ['kv-demo', { ...rsa, p: undefined }, /missing the 'p' parameter/],
      ['kv-demo', { kty: 'RSA', n: rsa.n, e: rsa.e }, /must include its private key/],
      ['kv-demo', { ...rsa, d: other.d }, /private exponent d does not match/],
      ['kv-demo', { ...rsa, q: other.q }, /p and q do not match the modulus/],
      ['kv-demo', { ...rsa, n: '!!!' }, /base64url/],
      ['kv-demo', small, /RSA key size 1024 is not supported/],
      ['kv-demo', { ...ec, d: ec2.d }, /does not match the public point/],
      ['kv-demo', { ...ec, x: Buffer.alloc(31, 1).toString('base64url') }, /'x' must be 32 bytes/],
      ['kv-demo', { ...ec, crv: 'P-999' }, /Invalid crv value/],
      ['kv-demo', { kty: 'EC', crv: 'P-256', x: ec.x, y: ec.y }, /must include its private key 'd'/],
      ['kv-demo', { kty: 'oct', k: randomBytes(32).toString('base64url') }, /Invalid kty value: oct/],
      ['hsm-demo', { kty: 'oct-HSM', k: randomBytes(20).toString('base64url') }, /128, 192 or 256 bits/],
      ['kv-demo', { ...rsa, key_hsm: 'AAAA' }, /Bring Your Own Key is not supported/],
      ['kv-demo', { ...rsa, key_ops: ['sign', 'teleport'] }, /Invalid key.key_ops value: 'teleport'/],
    ];
    for (const [container, key, message] of cases) {
      assertError(await call('PUT', container, `/keys/${uniqueName('bad-jwk')}`, key === undefined ? {} : { key }), 400, 'BadParameter', message);
    }
  });

  it('keeps the exportable flag, release policy, attributes and tags given at import', async () => {
    const policy = releasePolicy();
    const reply = await call('PUT', 'hsm-demo', `/keys/${uniqueName('import-exportable')}`, {
      key: { kty: 'oct-HSM', k: randomBytes(16).toString('base64url') },
      attributes: { exportable: true, enabled: false },
      tags: { owner: 'me' },
      release_policy: { ...policy, immutable: true },
    });
    assert.equal(reply.status, 200);
    assert.equal((reply.body.attributes as { exportable: boolean }).exportable, true);
    assert.equal((reply.body.attributes as { enabled: boolean }).enabled, false);
    assert.deepEqual(reply.body.tags, { owner: 'me' });
    assert.deepEqual(reply.body.release_policy, { ...policy, immutable: true });
  });
});

describe('keys: get, update and list', () => {
  it('gets the latest version by default and an older one by its version; 404 KeyNotFound otherwise', async () => {
    const name = uniqueName('versions');
    const first = await client().createEcKey(name);
    const second = await client().createEcKey(name);
    assert.equal((await client().getKey(name)).properties.version, second.properties.version);
    assert.equal((await client().getKey(name, { version: first.properties.version! })).properties.version, first.properties.version);
    assert.equal((await client().getKey(name.toUpperCase())).name, name, 'names are case-insensitive and keep their case');
    for (const fn of [() => client().getKey(uniqueName('missing')), () => client().getKey(name, { version: '0'.repeat(32) })]) {
      const err = await restError(fn);
      assert.equal(err.statusCode, 404);
      assert.equal(err.code, 'KeyNotFound');
      assert.match(err.message, /was not found in this key vault/);
    }
  });

  it('refuses to get a disabled key with 403 KeyDisabled but still lists it', async () => {
    const name = uniqueName('disabled');
    await client().createEcKey(name, { enabled: false });
    const err = await restError(() => client().getKey(name));
    assert.equal(err.statusCode, 403);
    assert.equal(err.code, 'Forbidden');
    assert.equal(innerCode(err), 'KeyDisabled');
    const versions = [];
    for await (const v of client().listPropertiesOfKeyVersions(name)) versions.push(v);
    assert.equal(versions[0]?.enabled, false);
  });

  it('updates enabled, nbf, exp, key_ops and tags of one version', async () => {
    const name = uniqueName('update');
    const key = await client().createRsaKey(name, { tags: { a: '1' } });
    const notBefore = new Date(Math.floor(Date.now() / 1000 - 10) * 1000);
    const expiresOn = new Date(Math.floor(Date.now() / 1000 + 3600) * 1000);
    const updated = await client().updateKeyProperties(name, key.properties.version!, { enabled: false, notBefore, expiresOn, keyOps: ['verify'], tags: { b: '2' } });
    assert.equal(updated.properties.enabled, false);
    assert.equal(updated.properties.notBefore?.getTime(), notBefore.getTime());
    assert.equal(updated.properties.expiresOn?.getTime(), expiresOn.getTime());
    assert.deepEqual(updated.keyOperations, ['verify']);
    assert.deepEqual(updated.properties.tags, { b: '2' });
    assert.ok(updated.properties.updatedOn!.getTime() >= updated.properties.createdOn!.getTime());
    const latest = await client().updateKeyProperties(name, { enabled: true });
    assert.equal(latest.properties.enabled, true, 'without a version the latest one is updated');
    assertError(await call('PATCH', 'kv-demo', `/keys/${name}/`, { attributes: { nbf: 2000000000, exp: 1000000000 } }), 400, 'BadParameter', /nbf/);
    assertError(await call('PATCH', 'kv-demo', `/keys/${name}/`, { key_ops: ['destroy'] }), 400, 'BadParameter', /Invalid key_ops value/);
  });

  it('refuses to change exportable or to replace an immutable release policy', async () => {
    const name = uniqueName('immutable');
    const created = await call('POST', 'hsm-demo', `/keys/${name}/create`, { kty: 'oct-HSM', attributes: { exportable: true }, release_policy: { ...releasePolicy(), immutable: true } });
    assert.equal(created.status, 200);
    assertError(await call('PATCH', 'hsm-demo', `/keys/${name}/`, { attributes: { exportable: false } }), 400, 'BadParameter', /exportable attribute/);
    assertError(await call('PATCH', 'hsm-demo', `/keys/${name}/`, { release_policy: releasePolicy() }), 400, 'BadParameter', /immutable/);
    const plain = uniqueName('not-exportable');
    await call('POST', 'hsm-demo', `/keys/${plain}/create`, { kty: 'oct-HSM' });
    assertError(await call('PATCH', 'hsm-demo', `/keys/${plain}/`, { release_policy: releasePolicy() }), 400, 'BadParameter', /exportable/);
  });

  it('lists keys as KeyItems without key material, paged by maxresults with an absolute nextLink', async () => {
    for (let i = 0; i < 3; i++) await client('hsm-demo').createOctKey(uniqueName('page'), { hsm: true });
    const first = await call('GET', 'hsm-demo', '/keys?maxresults=2');
    assert.equal(first.status, 200);
    const value = first.body.value as Record<string, unknown>[];
    assert.equal(value.length, 2);
    for (const item of value) {
      assert.deepEqual(Object.keys(item).filter((k) => !['kid', 'attributes', 'tags', 'managed'].includes(k)), []);
      assert.match(item.kid as string, /\/keys\/[^/]+$/, 'list kids carry no version');
    }
    assert.match(first.body.nextLink as string, /^https:\/\/127\.0\.0\.1:\d+\/keys\?/);
    const names = [];
    for await (const k of client('hsm-demo').listPropertiesOfKeys().byPage({ maxPageSize: 2 })) names.push(...k.map((p) => p.name));
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.length >= 6);
    assertError(await call('GET', 'hsm-demo', '/keys?maxresults=26'), 400, 'BadParameter', /maxresults/);
  });

  it('lists every version of a key with versioned kids, and 404 for an unknown key', async () => {
    const name = uniqueName('list-versions');
    const made = [await client().createEcKey(name), await client().createEcKey(name), await client().createEcKey(name)];
    const listed = [];
    for await (const v of client().listPropertiesOfKeyVersions(name)) listed.push(v);
    assert.deepEqual(listed.map((v) => v.version).sort(), made.map((m) => m.properties.version).sort());
    assert.ok(listed.every((v) => v.id?.endsWith(`/${v.version}`)));
    const err = await restError(async () => {
      for await (const _ of client().listPropertiesOfKeyVersions(uniqueName('nope'))) void _;
    });
    assert.equal(err.statusCode, 404);
  });
});

describe('keys: delete, recover and purge', () => {
  it('deletes into a DeletedKeyBundle with recoveryId, deletedDate and scheduledPurgeDate', async () => {
    const name = uniqueName('delete');
    await client().createEcKey(name);
    const reply = await call('DELETE', 'kv-demo', `/keys/${name}`);
    assert.equal(reply.status, 200);
    assert.equal(reply.body.recoveryId, `${containerUrl(emulator.ready, 'kv-demo')}/deletedkeys/${name}`);
    const deletedDate = reply.body.deletedDate as number;
    assert.ok(Math.abs(deletedDate - Date.now() / 1000) < 60);
    assert.equal(reply.body.scheduledPurgeDate, deletedDate + 90 * 86400);
    assert.equal((reply.body.key as { kty: string }).kty, 'EC');
    const err = await restError(() => client().getKey(name));
    assert.equal(err.statusCode, 404);
  });

  it('lists and gets deleted keys, recovers one and purges another with 204', async () => {
    const keep = uniqueName('recover');
    const drop = uniqueName('purge');
    await client().createEcKey(keep, { tags: { keep: 'yes' } });
    await client().createEcKey(drop);
    const deleted = await (await client().beginDeleteKey(keep, poll)).pollUntilDone();
    assert.equal(deleted.name, keep);
    assert.ok(deleted.properties.deletedOn instanceof Date);
    await (await client().beginDeleteKey(drop, poll)).pollUntilDone();
    const listed = [];
    for await (const d of client().listDeletedKeys()) listed.push(d.name);
    assert.ok(listed.includes(keep) && listed.includes(drop));
    const got = await client().getDeletedKey(keep);
    assert.deepEqual(got.properties.tags, { keep: 'yes' });
    const recovered = await (await client().beginRecoverDeletedKey(keep, poll)).pollUntilDone();
    assert.equal(recovered.name, keep);
    assert.deepEqual((await client().getKey(keep)).properties.tags, { keep: 'yes' });
    const purge = await call('DELETE', 'kv-demo', `/deletedkeys/${drop}`);
    assert.equal(purge.status, 204);
    assertError(await call('GET', 'kv-demo', `/deletedkeys/${drop}`), 404, 'KeyNotFound');
    assertError(await call('DELETE', 'kv-demo', `/deletedkeys/${drop}`), 404, 'KeyNotFound');
    assertError(await call('POST', 'kv-demo', `/deletedkeys/${uniqueName('never')}/recover`), 404, 'KeyNotFound');
    assertError(await call('DELETE', 'kv-demo', `/keys/${uniqueName('never')}`), 404, 'KeyNotFound');
  });

  it("reports the vault's retention: 7 days in kv-tenant2 is CustomizedRecoverable+Purgeable", async () => {
    const name = uniqueName('retention');
    const created = await call('POST', 'kv-tenant2', `/keys/${name}/create`, { kty: 'EC' });
    assert.deepEqual([(created.body.attributes as { recoveryLevel: string }).recoveryLevel, (created.body.attributes as { recoverableDays: number }).recoverableDays], ['CustomizedRecoverable+Purgeable', 7]);
    const deleted = await call('DELETE', 'kv-tenant2', `/keys/${name}`);
    assert.equal((deleted.body.scheduledPurgeDate as number) - (deleted.body.deletedDate as number), 7 * 86400);
  });
});

describe('keys: backup and restore', () => {
  it('restores a purged key with all its versions and private material from its backup', async () => {
    const name = uniqueName('backup');
    const v1 = await client().createRsaKey(name, { keySize: 2048 });
    await client().createRsaKey(name, { keySize: 2048 });
    const backup = await client().backupKey(name);
    assert.ok(backup && backup.length > 100);
    await (await client().beginDeleteKey(name, poll)).pollUntilDone();
    await client().purgeDeletedKey(name);
    const restored = await client().restoreKeyBackup(backup);
    assert.equal(restored.name, name);
    const versions = [];
    for await (const v of client().listPropertiesOfKeyVersions(name)) versions.push(v.version);
    assert.equal(versions.length, 2);
    const digest = createHash('sha256').update('after restore').digest();
    const signed = await new CryptographyClient(`${containerUrl(emulator.ready, 'kv-demo')}/keys/${name}/${v1.properties.version}`, credentialFor(emulator.ready), sdkOptions).sign('RS256', digest);
    assert.ok(nodeVerify('sha256', Buffer.from('after restore'), publicKeyOf(v1), Buffer.from(signed.result)), 'the restored version signs with its original private key');
  });

  it('refuses to restore over an existing name with 409 Conflict, and a corrupt blob with 400', async () => {
    const name = uniqueName('restore-conflict');
    await client().createEcKey(name);
    const backup = await client().backupKey(name);
    const err = await restError(() => client().restoreKeyBackup(backup!));
    assert.equal(err.statusCode, 409);
    assert.equal(err.code, 'Conflict');
    assertError(await call('POST', 'kv-demo', '/keys/restore', { value: Buffer.from('not a backup at all, really').toString('base64url') }), 400, 'BadParameter', /Backup blob/);
    const secretBackup = await call('POST', 'kv-demo', '/keys/restore', {});
    assert.equal(secretBackup.status, 400);
  });

  it('refuses to restore an HSM-protected key into a standard vault', async () => {
    const name = uniqueName('hsm-backup');
    await client().createEcKey(name, { hsm: true });
    const backup = await client().backupKey(name);
    const err = await restError(() => client('kv-scale').restoreKeyBackup(backup!));
    assert.equal(err.statusCode, 400);
    assert.equal(innerCode(err), 'KeyTypeNotSupported');
  });
});

describe('keys: rotation', () => {
  it('rotates a key into a new version with the same type, size, operations and tags', async () => {
    const name = uniqueName('rotate');
    const original = await client().createRsaKey(name, { keySize: 3072, keyOps: ['sign', 'verify'], tags: { team: 'x' } });
    const rotated = await client().rotateKey(name);
    assert.notEqual(rotated.properties.version, original.properties.version);
    assert.equal(rotated.keyType, 'RSA');
    assert.equal(bits(rotated.key?.n), 3072);
    assert.notDeepEqual(rotated.key?.n, original.key?.n);
    assert.deepEqual(rotated.keyOperations, ['sign', 'verify']);
    assert.deepEqual(rotated.properties.tags, { team: 'x' });
    const ec = uniqueName('rotate-ec');
    await client().createEcKey(ec, { curve: 'P-521' });
    assert.equal((await client().rotateKey(ec)).key?.crv, 'P-521');
    assert.equal((await restError(() => client().rotateKey(uniqueName('absent')))).statusCode, 404);
  });

  it("answers Key Vault's default policy for a key without one: notify 30 days before expiry", async () => {
    const name = uniqueName('default-policy');
    await client().createEcKey(name);
    const reply = await call('GET', 'kv-demo', `/keys/${name}/rotationpolicy`);
    assert.deepEqual(reply.body, { id: `${containerUrl(emulator.ready, 'kv-demo')}/keys/${name}/rotationpolicy`, lifetimeActions: [{ trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'Notify' } }], attributes: {} });
    assertError(await call('GET', 'kv-demo', `/keys/${uniqueName('nokey')}/rotationpolicy`), 404, 'KeyNotFound');
  });

  it('stores a rotation policy, reads it back, and gives rotated versions its expiry time', async () => {
    const name = uniqueName('policy');
    await client().createEcKey(name);
    const set = await client().updateKeyRotationPolicy(name, { expiresIn: 'P90D', lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P30D' }, { action: 'Notify', timeBeforeExpiry: 'P10D' }] });
    assert.equal(set.expiresIn, 'P90D');
    const got = await client().getKeyRotationPolicy(name);
    assert.deepEqual(got.lifetimeActions, [
      { action: 'Rotate', timeAfterCreate: 'P30D', timeBeforeExpiry: undefined },
      { action: 'Notify', timeAfterCreate: undefined, timeBeforeExpiry: 'P10D' },
    ]);
    assert.ok(got.createdOn instanceof Date && got.updatedOn instanceof Date);
    const lowercase = await call('PUT', 'kv-demo', `/keys/${name}/rotationpolicy`, { lifetimeActions: [{ trigger: { timeAfterCreate: 'P60D' }, action: { type: 'rotate' } }], attributes: { expiryTime: 'P1Y' } });
    assert.deepEqual(lowercase.body.lifetimeActions, [{ trigger: { timeAfterCreate: 'P60D' }, action: { type: 'Rotate' } }], 'action types compare case-insensitively');
    assert.equal((lowercase.body.attributes as { created: number }).created, Math.floor(got.createdOn!.getTime() / 1000), 'an update keeps the creation time');
    const rotated = await client().rotateKey(name);
    const expected = Date.now() + 365 * 86400_000;
    assert.ok(Math.abs(rotated.properties.expiresOn!.getTime() - expected) < 120_000, 'the new version expires after the policy expiryTime');
  });

  it("validates rotation policies with Key Vault's rules", async () => {
    const name = uniqueName('policy-rules');
    await client().createEcKey(name);
    const rotate = (trigger: Record<string, string>) => ({ trigger, action: { type: 'Rotate' } });
    const cases: [unknown, RegExp][] = [
      [{ lifetimeActions: [rotate({ timeAfterCreate: '90 days' })] }, /ISO 8601 duration/],
      [{ lifetimeActions: [rotate({ timeAfterCreate: 'P' })] }, /ISO 8601 duration/],
      [{ lifetimeActions: [], attributes: { expiryTime: 'P27D' } }, /at least 28 days/],
      [{ lifetimeActions: [rotate({ timeAfterCreate: 'P6D' })] }, /at the earliest 7 days/],
      [{ lifetimeActions: [rotate({ timeAfterCreate: 'P90D' })], attributes: { expiryTime: 'P60D' } }, /at least 7 days before the key expires/],
      [{ lifetimeActions: [rotate({ timeBeforeExpiry: 'P30D' })] }, /needs attributes.expiryTime/],
      [{ lifetimeActions: [rotate({ timeAfterCreate: 'P30D', timeBeforeExpiry: 'P30D' })], attributes: { expiryTime: 'P1Y' } }, /exactly one/],
      [{ lifetimeActions: [rotate({ timeAfterCreate: 'P30D' }), rotate({ timeAfterCreate: 'P40D' })] }, /only one Rotate/],
      [{ lifetimeActions: [{ trigger: { timeAfterCreate: 'P30D' }, action: { type: 'Notify' } }] }, /Notify action can only be triggered by timeBeforeExpiry/],
      [{ lifetimeActions: [{ trigger: { timeBeforeExpiry: 'P3D' }, action: { type: 'Notify' } }] }, /at least 7 days/],
      [{ lifetimeActions: [{ trigger: { timeAfterCreate: 'P30D' }, action: { type: 'Delete' } }] }, /Rotate or Notify/],
      [{ lifetimeActions: 'rotate' }, /lifetimeActions/],
    ];
    for (const [body, message] of cases) assertError(await call('PUT', 'kv-demo', `/keys/${name}/rotationpolicy`, body), 400, 'BadParameter', message);
    const hsmKey = uniqueName('hsm-policy');
    await call('POST', 'hsm-demo', `/keys/${hsmKey}/create`, { kty: 'EC-HSM' });
    assertError(await call('PUT', 'hsm-demo', `/keys/${hsmKey}/rotationpolicy`, { lifetimeActions: [{ trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'Notify' } }], attributes: { expiryTime: 'P1Y' } }), 400, 'BadParameter', /Managed HSM/);
    const ok = await call('PUT', 'hsm-demo', `/keys/${hsmKey}/rotationpolicy`, { lifetimeActions: [{ trigger: { timeAfterCreate: 'P1M' }, action: { type: 'Rotate' } }] });
    assert.equal(ok.status, 200);
  });
});

describe('keys: release, attestation and random bytes', () => {
  it('refuses to release a non-exportable key, and says attestation is not emulated for an exportable one', async () => {
    const plain = uniqueName('release-plain');
    await call('POST', 'hsm-demo', `/keys/${plain}/create`, { kty: 'oct-HSM' });
    assertError(await call('POST', 'hsm-demo', `/keys/${plain}/release`, { target: 'eyJ0eXAiOiJKV1QifQ.e30.sig' }), 400, 'BadParameter', /not exportable/);
    const exportable = uniqueName('release-exportable');
    await call('POST', 'hsm-demo', `/keys/${exportable}/create`, { kty: 'oct-HSM', attributes: { exportable: true }, release_policy: releasePolicy() });
    assertError(await call('POST', 'hsm-demo', `/keys/${exportable}/release`, {}), 400, 'BadParameter', /'target' is required/);
    assertError(await call('POST', 'hsm-demo', `/keys/${exportable}/release`, { target: 'eyJ0eXAiOiJKV1QifQ.e30.sig' }), 400, 'BadParameter', /does not emulate attestation/);
    assertError(await call('POST', 'hsm-demo', `/keys/${uniqueName('absent')}/release`, { target: 'x' }), 404, 'KeyNotFound');
  });

  it('answers attestation and secure wrap with 400 "not supported by the emulator"', async () => {
    const name = uniqueName('attest');
    const created = await call('POST', 'hsm-demo', `/keys/${name}/create`, { kty: 'RSA-HSM' });
    const path = new URL((created.body.key as { kid: string }).kid).pathname;
    assertError(await call('GET', 'hsm-demo', `${path}/attestation`), 400, 'BadParameter', /not supported by the emulator/);
    assertError(await call('POST', 'hsm-demo', `${path}/securewrapkey`, { alg: 'RSA-OAEP-256' }), 400, 'BadParameter', /not supported by the emulator/);
    assertError(await call('POST', 'hsm-demo', `${path}/secureunwrapkey`, { alg: 'RSA-OAEP-256', value: 'AA', target: 'x' }), 400, 'BadParameter', /not supported by the emulator/);
  });

  it('returns the requested number of random bytes on a Managed HSM, 1 to 128', async () => {
    const bytes = await client('hsm-demo').getRandomBytes(32);
    assert.equal(bytes.length, 32);
    assert.notDeepEqual(Buffer.from(bytes), Buffer.from(await client('hsm-demo').getRandomBytes(32)));
    assert.equal((await client('hsm-demo').getRandomBytes(128)).length, 128);
    assert.equal((await client('hsm-demo').getRandomBytes(1)).length, 1);
    for (const count of [0, 129, 1.5, '16']) assertError(await call('POST', 'hsm-demo', '/rng', { count }), 400, 'BadParameter', /count/);
  });

  it('has no random bytes endpoint on a vault', async () => {
    assert.equal((await call('POST', 'kv-demo', '/rng', { count: 8 })).status, 404);
  });
});

describe('keys: access and managed keys', () => {
  it('lets the list-only reader list keys but not create, get or sign (403 Forbidden)', async () => {
    const name = uniqueName('reader');
    const key = await client().createEcKey(name);
    const names = [];
    for await (const k of client('kv-demo', 'reader').listPropertiesOfKeys()) names.push(k.name);
    assert.ok(names.includes(name));
    const create = await restError(() => client('kv-demo', 'reader').createEcKey(uniqueName('reader-create')));
    assert.equal(create.statusCode, 403);
    assert.equal(innerCode(create), 'AccessDenied');
    assert.match(create.message, /does not have keys create permission/);
    assert.equal((await restError(() => client('kv-demo', 'reader').getKey(name))).statusCode, 403);
    const sign = await call('POST', 'kv-demo', `${new URL(key.id!).pathname}/sign`, { alg: 'ES256', value: randomBytes(32).toString('base64url') }, 'reader');
    assertError(sign, 403, 'Forbidden', /keys sign permission/);
    assertError(await call('POST', 'hsm-demo', '/rng', { count: 4 }, 'reader'), 403, 'Forbidden', /Action: 'Microsoft\.KeyVault\/managedHsm\/rng\/action'/, 'ForbiddenByRbac');
  });

  it('marks keys added for a certificate as managed and refuses to delete, update, rotate or back them up', async () => {
    const services = emulator.internals.services as {
      addKeyVersion: (c: unknown, name: string, input: { privateKey: KeyObject; kty: string; managed?: boolean; version?: string; keyOps?: string[] }) => { kid: string };
      getKeyPrivate: (c: unknown, name: string, version?: string) => KeyObject | undefined;
    };
    const container = emulator.internals.containers.get('kv-demo')!;
    const name = uniqueName('cert-key');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const version = 'c'.repeat(32);
    const { kid } = services.addKeyVersion(container, name, { privateKey, kty: 'RSA', managed: true, version, keyOps: ['sign', 'verify'] });
    assert.equal(kid, `${containerUrl(emulator.ready, 'kv-demo')}/keys/${name}/${version}`);
    assert.deepEqual(services.getKeyPrivate(container, name)?.export({ format: 'jwk' }), privateKey.export({ format: 'jwk' }));
    assert.equal(services.getKeyPrivate(container, name, 'f'.repeat(32)), undefined);
    const got = await client().getKey(name);
    assert.equal(got.properties.managed, true);
    assert.deepEqual(got.keyOperations, ['sign', 'verify']);
    const listed = [];
    for await (const k of client().listPropertiesOfKeys()) if (k.name === name) listed.push(k);
    assert.equal(listed[0]?.managed, true);
    for (const [fn, status] of [
      [() => client().beginDeleteKey(name), 403],
      [() => client().updateKeyProperties(name, version, { enabled: false }), 403],
      [() => client().rotateKey(name), 403],
      [() => client().backupKey(name), 403],
      [() => client().createRsaKey(name), 409],
    ] as const) {
      assert.equal((await restError(fn)).statusCode, status);
    }
    // Certificate-backed keys still do cryptography.
    const digest = createHash('sha256').update('cert').digest();
    const signed = await new CryptographyClient(kid, credentialFor(emulator.ready), sdkOptions).sign('RS256', digest);
    assert.ok(nodeVerify('sha256', Buffer.from('cert'), createPublicKey(privateKey), Buffer.from(signed.result)));
  });
});

describe('keys: demo seed', () => {
  it('seeds kv-demo with RSA, RSA-HSM 4096, rotating EC, disabled EC P-384, expiring and deleted keys', async () => {
    const props = new Map<string, { enabled?: boolean; expiresOn?: Date }>();
    for await (const k of client().listPropertiesOfKeys()) props.set(k.name, k);
    const signing = [];
    for await (const v of client().listPropertiesOfKeyVersions('app-signing-key')) signing.push(v);
    assert.equal(signing.length, 2);
    const root = await client().getKey('hsm-root-key');
    assert.deepEqual([root.keyType, bits(root.key?.n)], ['RSA-HSM', 4096]);
    const policy = await client().getKeyRotationPolicy('payments-ec-key');
    assert.ok(policy.lifetimeActions?.some((a) => a.action === 'Rotate'));
    assert.equal((await client().getKey('payments-ec-key')).key?.crv, 'P-256');
    assert.equal(props.get('legacy-ec-p384')?.enabled, false);
    const expiring = props.get('tls-key-expiring')?.expiresOn;
    assert.ok(expiring && expiring.getTime() - Date.now() < 30 * 86400_000 && expiring.getTime() > Date.now());
    const deleted = [];
    for await (const d of client().listDeletedKeys()) deleted.push(d.name);
    assert.ok(deleted.includes('old-encryption-key'));
  });

  it('seeds hsm-demo with RSA-HSM, EC-HSM and oct-HSM 256 keys, and kv-tenant2 with one key', async () => {
    for (const [name, kty] of [['hsm-rsa-key', 'RSA-HSM'], ['hsm-ec-key', 'EC-HSM'], ['hsm-aes-key', 'oct-HSM']]) {
      assert.equal((await client('hsm-demo').getKey(name!)).keyType, kty);
    }
    const aes = await call('GET', 'hsm-demo', '/keys/hsm-aes-key/');
    assert.equal((aes.body.attributes as { key_size: number }).key_size, 256);
    const tenant2 = [];
    for await (const k of client('kv-tenant2').listPropertiesOfKeys()) tenant2.push(k.name);
    assert.ok(tenant2.includes('fabrikam-signing-key'));
  });
});

describe('keys: state', () => {
  it('persists private key material in --state, so a restarted emulator signs with the same key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kv-keys-state-'));
    const stateFile = join(dir, 'state.json');
    try {
      const digest = createHash('sha256').update('persisted').digest();
      const signWith = async (e: Emulator, kid?: string): Promise<{ kid: string; signature: Buffer }> => {
        // SDK clients share one keep-alive HTTP client per process; the restarted emulator must get fresh connections.
        const options = { ...sdkOptions, httpClient: createDefaultHttpClient() };
        const kc = new KeyClient(containerUrl(e.ready, 'kv-demo'), credentialFor(e.ready), options);
        const id = kid ?? (await kc.createRsaKey('persisted-key', { keySize: 2048 })).id!;
        const signed = await new CryptographyClient(id, credentialFor(e.ready), options).sign('RS256', digest);
        return { kid: id, signature: Buffer.from(signed.result) };
      };
      const first = await startTestEmulator({ stateFile });
      const before = await signWith(first);
      await first.close();
      assert.ok(readFileSync(stateFile, 'utf8').includes('persisted-key'));
      const second = await startTestEmulator({ stateFile });
      try {
        const afterRestart = await signWith(second, before.kid);
        assert.deepEqual(afterRestart.signature, before.signature, 'RS256 is deterministic: the same private key gives the same signature');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
