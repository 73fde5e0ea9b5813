import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Emulator } from './emulator';
import { TENANT_B } from './topology';
import { credentialFor, startTestEmulator } from '../support/emulator';
import { errorOf, isPathNotFound, RawClient, type RawResponse } from './schema/http-client';
import { checkErrorBody } from './schema/validator';
import { selfSignedDer } from './schema/x509-fixtures';

/**
 * Bad input of every kind gets Key Vault's real status and error code, never a crash, and the emulator keeps
 * serving afterwards.
 */

interface Expected {
  code: string;
  inner?: string;
  message?: RegExp;
}

/** Asserts the status, the error code (and inner code / wording), and a well-formed JSON error body. */
function expectError(r: RawResponse, status: number, expected: Expected, what: string): void {
  const error = errorOf(r);
  assert.equal(r.status, status, `${what}: expected ${status} ${expected.code}, got ${r.status} ${r.text.slice(0, 300)}`);
  assert.match(String(r.headers['content-type']), /application\/json/, `${what}: error body must be JSON`);
  assert.deepEqual(checkErrorBody(r.json), [], `${what}: ${r.text.slice(0, 300)}`);
  assert.equal(error?.code, expected.code, `${what}: error.code`);
  if (expected.inner) assert.equal(error?.innererror?.code, expected.inner, `${what}: innererror.code`);
  if (expected.message) assert.match(error?.message ?? '', expected.message, `${what}: error.message`);
}

const badParameter = { code: 'BadParameter' };

describe('Bad input gets Key Vault’s status and error code, never a crash', () => {
  let emulator: Emulator;
  let raw: RawClient;

  before(async () => {
    emulator = await startTestEmulator({ seed: 'demo' });
    raw = new RawClient(emulator.ready);
  });

  after(async () => {
    raw.close();
    await emulator.close();
  });

  /** Proves the emulator still answers a normal request. */
  async function stillServing(): Promise<void> {
    const r = await raw.request('kv-demo', 'GET', '/secrets?maxresults=1');
    assert.equal(r.status, 200, `the emulator stopped serving: ${r.status} ${r.text.slice(0, 200)}`);
  }

  /** Skips (with a diagnostic) when the route is not served at all, i.e. that family has not landed. */
  function served(t: TestContext, r: RawResponse, what: string): boolean {
    const error = errorOf(r);
    if (!isPathNotFound(r.status, error?.code, error?.message)) return true;
    t.diagnostic(`skipped ${what}: not served by the emulator (404 NotFound, path not found)`);
    return false;
  }

  describe('request bodies', () => {
    it('malformed JSON is 400 BadParameter', async () => {
      for (const body of ['{"value":', '{value: "x"}', "{'value':'x'}", '{"value":"x"}}', '\u0000', 'null null']) {
        expectError(await raw.request('kv-demo', 'PUT', '/secrets/malformed-json', { body }), 400, badParameter, `body ${JSON.stringify(body)}`);
      }
      await stillServing();
    });

    it('JSON of the wrong types is 400 BadParameter', async () => {
      const bodies: unknown[] = [
        [],
        'a string',
        42,
        null,
        { value: 42 },
        { value: ['x'] },
        { value: { nested: true } },
        { value: 'x', tags: 'not-an-object' },
        { value: 'x', tags: { n: 1 } },
        { value: 'x', contentType: 7 },
        { value: 'x', attributes: 'yes' },
        { value: 'x', attributes: { enabled: 'yes' } },
        { value: 'x', attributes: { exp: 'tomorrow' } },
        { value: 'x', attributes: { nbf: 1.5 } },
      ];
      for (const body of bodies) {
        expectError(await raw.request('kv-demo', 'PUT', '/secrets/wrong-types', { body: JSON.stringify(body) }), 400, badParameter, `SetSecret ${JSON.stringify(body)}`);
      }
      expectError(await raw.request('kv-demo', 'PATCH', '/secrets/database-password/', { body: { attributes: { enabled: 'no' } } }), 400, badParameter, 'UpdateSecret enabled "no"');
      await stillServing();
    });

    it('missing required fields are 400 BadParameter', async (t) => {
      expectError(await raw.request('kv-demo', 'PUT', '/secrets/missing-value', { body: {} }), 400, badParameter, 'SetSecret without value');
      expectError(await raw.request('kv-demo', 'PUT', '/secrets/missing-body'), 400, badParameter, 'SetSecret without a body');
      expectError(await raw.request('kv-demo', 'POST', '/secrets/restore', { body: {} }), 400, badParameter, 'RestoreSecret without value');
      const createKey = await raw.request('kv-demo', 'POST', '/keys/missing-kty/create', { body: { key_size: 2048 } });
      if (served(t, createKey, 'CreateKey without kty')) expectError(createKey, 400, badParameter, 'CreateKey without kty');
      const storage = await raw.request('kv-demo', 'PUT', '/storage/missingresourceid', { body: { activeKeyName: 'key1', autoRegenerateKey: false }, apiVersion: '7.5' });
      if (served(t, storage, 'SetStorageAccount without resourceId')) expectError(storage, 400, badParameter, 'SetStorageAccount without resourceId');
      const sign = await raw.request('kv-demo', 'POST', '/keys/any-key/sign', { body: { alg: 'RS256' } });
      if (served(t, sign, 'sign without value')) assert.ok([400, 404].includes(sign.status), `sign without value: ${sign.status} ${sign.text}`);
      await stillServing();
    });

    it('a GET with a body, or a body that is not JSON, is refused', async () => {
      expectError(await raw.request('kv-demo', 'GET', '/secrets', { body: { a: 1 } }), 400, badParameter, 'GET with a body');
      const xml = await raw.request('kv-demo', 'PUT', '/secrets/xml-body', { body: '<value>x</value>', headers: { 'content-type': 'application/xml' } });
      assert.ok(xml.status === 400 || xml.status === 415, `XML body: ${xml.status}`);
      assert.deepEqual(checkErrorBody(xml.json), []);
    });
  });

  describe('names and sizes', () => {
    it('names longer than 127 characters or with characters outside 0-9a-zA-Z- are 400 BadParameter', async () => {
      const ok = await raw.request('kv-demo', 'PUT', `/secrets/${'a'.repeat(127)}`, { body: { value: 'longest allowed name' } });
      assert.equal(ok.status, 200, `a 127-character name must be accepted: ${ok.text.slice(0, 200)}`);
      for (const name of ['a'.repeat(128), 'bad_name', 'bad.name', 'bad%20name', 'b%C3%A4d', 'bad%2Fname', 'bad~name']) {
        expectError(await raw.request('kv-demo', 'PUT', `/secrets/${name}`, { body: { value: 'x' } }), 400, badParameter, `secret name ${name.slice(0, 20)}… (${name.length})`);
      }
      await stillServing();
    });

    it('a secret value over 25 KB is refused, 25 KB exactly is accepted', async () => {
      const limit = 25 * 1024;
      const atLimit = await raw.request('kv-demo', 'PUT', '/secrets/at-the-limit', { body: { value: 'v'.repeat(limit) } });
      assert.equal(atLimit.status, 200, `25 KB must be accepted: ${atLimit.text.slice(0, 200)}`);
      expectError(await raw.request('kv-demo', 'PUT', '/secrets/over-the-limit', { body: { value: 'v'.repeat(limit + 1) } }), 400, { code: 'BadParameter', message: /too large|size/i }, '25 KB + 1');
      // Multi-byte characters count as bytes, as on the service.
      expectError(await raw.request('kv-demo', 'PUT', '/secrets/over-in-bytes', { body: { value: 'é'.repeat(limit / 2 + 1) } }), 400, badParameter, '25 KB + 2 in UTF-8 bytes');
    });

    it('an oversize request body is refused with 413 and the emulator keeps serving', async (t) => {
      const body = JSON.stringify({ value: 'x'.repeat(5 * 1024 * 1024) });
      let r: RawResponse | undefined;
      try {
        r = await raw.request('kv-demo', 'PUT', '/secrets/huge-body', { body });
      } catch (err) {
        // The server may close the connection while the client is still uploading: acceptable, as long as it keeps serving.
        assert.match(String((err as NodeJS.ErrnoException).code), /EPIPE|ECONNRESET/, String(err));
      }
      if (r) expectError(r, 413, { code: 'RequestEntityTooLarge' }, '5 MiB body');
      t.diagnostic(r ? 'answered 413 RequestEntityTooLarge' : 'closed the connection during the upload');
      await stillServing();
    });
  });

  describe('api-version and paging', () => {
    it('an unknown or missing api-version is 400 BadParameter', async () => {
      for (const apiVersion of ['1999-01-01', '7.99', 'latest', '']) {
        expectError(await raw.request('kv-demo', 'GET', '/secrets', { apiVersion }), 400, { code: 'BadParameter', message: /version/i }, `api-version '${apiVersion}'`);
      }
      expectError(await raw.request('kv-demo', 'GET', '/secrets', { apiVersion: null }), 400, { code: 'BadParameter', message: /api-version/i }, 'no api-version');
    });

    it('maxresults outside 1–25 or not a number is 400 BadParameter', async () => {
      for (const value of ['0', '26', 'abc', '-1', '1.5', '']) {
        expectError(await raw.request('kv-demo', 'GET', `/secrets?maxresults=${value}`), 400, badParameter, `maxresults=${value}`);
        expectError(await raw.request('kv-demo', 'GET', `/deletedsecrets?maxresults=${value}`), 400, badParameter, `deleted maxresults=${value}`);
      }
      for (const value of ['1', '25']) assert.equal((await raw.request('kv-demo', 'GET', `/secrets?maxresults=${value}`)).status, 200, `maxresults=${value}`);
    });

    it('a forged $skiptoken is 400 BadParameter', async () => {
      expectError(await raw.request('kv-demo', 'GET', '/secrets?$skiptoken=not-a-token'), 400, badParameter, 'forged $skiptoken');
    });
  });

  describe('X-HTTP-METHOD override', () => {
    it('POST with X-HTTP-METHOD: PATCH updates like PATCH', async () => {
      assert.equal((await raw.request('kv-demo', 'PUT', '/secrets/override-patch', { body: { value: 'v' } })).status, 200);
      const r = await raw.request('kv-demo', 'POST', '/secrets/override-patch/', { body: { contentType: 'text/x-override' }, headers: { 'x-http-method': 'PATCH' } });
      assert.equal(r.status, 200, r.text);
      assert.equal((r.json as { contentType?: string }).contentType, 'text/x-override');
    });

    it('POST with X-HTTP-METHOD: DELETE and an empty body deletes; with a body it is refused', async () => {
      assert.equal((await raw.request('kv-demo', 'PUT', '/secrets/override-delete', { body: { value: 'v' } })).status, 200);
      expectError(await raw.request('kv-demo', 'POST', '/secrets/override-delete', { body: { any: 1 }, headers: { 'x-http-method': 'DELETE' } }), 400, badParameter, 'DELETE override with a body');
      assert.equal((await raw.request('kv-demo', 'GET', '/secrets/override-delete/')).status, 200, 'refused override must not delete');
      const r = await raw.request('kv-demo', 'POST', '/secrets/override-delete', { headers: { 'x-http-method': 'DELETE' } });
      assert.equal(r.status, 200, r.text);
      assert.ok((r.json as { recoveryId?: string }).recoveryId, 'the DELETE answer carries recoveryId');
    });

    it('an unknown override is refused', async () => {
      for (const method of ['PUT', 'GET', 'TRACE', 'patchy']) {
        expectError(await raw.request('kv-demo', 'POST', '/secrets/database-password/', { body: {}, headers: { 'x-http-method': method } }), 400, badParameter, `X-HTTP-METHOD ${method}`);
      }
    });
  });

  describe('tokens', () => {
    let origin: string;
    let valid: string;

    before(async () => {
      origin = raw.origin('kv-demo');
      valid = await raw.token(origin);
    });

    /** 401 with a challenge that names kv-demo's tenant and origin. */
    function expectChallenge(r: RawResponse, what: string): void {
      expectError(r, 401, { code: 'Unauthorized' }, what);
      const header = String(r.headers['www-authenticate'] ?? '');
      const kvDemo = emulator.ready.containers.find((c) => c.name === 'kv-demo')!;
      assert.match(header, /^Bearer /, `${what}: WWW-Authenticate`);
      assert.ok(header.includes(`authorization="${emulator.ready.authorityHost}/${kvDemo.tenantId}"`), `${what}: challenge must name the vault's tenant: ${header}`);
      assert.ok(header.includes(`resource="${origin}"`), `${what}: challenge must name the vault's origin as resource: ${header}`);
    }

    it('no token, or one that is not a JWT, gets the challenge', async () => {
      expectChallenge(await raw.request('kv-demo', 'GET', '/secrets', { identity: null }), 'no Authorization header');
      expectChallenge(await raw.request('kv-demo', 'GET', '/secrets', { token: 'not-a-jwt' }), 'garbage token');
      expectChallenge(await raw.request('kv-demo', 'GET', '/secrets', { token: '' }), 'empty bearer');
    });

    it('a forged token (wrong signature, tampered claims, alg none) is 401 with the challenge', async () => {
      const [h, b] = valid.split('.') as [string, string, string];
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const foreignSignature = createSign('RSA-SHA256').update(`${h}.${b}`).sign(privateKey).toString('base64url');
      expectChallenge(await raw.request('kv-demo', 'GET', '/secrets', { token: `${h}.${b}.${foreignSignature}` }), 'signed by another key');
      const claims = JSON.parse(Buffer.from(b, 'base64url').toString('utf8')) as Record<string, unknown>;
      const tampered = Buffer.from(JSON.stringify({ ...claims, exp: Number(claims.exp) + 86_400 })).toString('base64url');
      expectChallenge(await raw.request('kv-demo', 'GET', '/secrets', { token: `${h}.${tampered}.${valid.split('.')[2]}` }), 'claims tampered after signing');
      const none = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'none' })).toString('base64url');
      expectChallenge(await raw.request('kv-demo', 'GET', '/secrets', { token: `${none}.${b}.` }), 'alg none');
      expectChallenge(await raw.request('kv-demo', 'GET', '/secrets', { token: `${h}.${b}.${randomBytes(256).toString('base64url')}` }), 'random signature');
    });

    it('an expired token is 401 with the challenge', async () => {
      emulator.setTokenLifetime(1);
      let short: string;
      try {
        const t = await credentialFor(emulator.ready, 'app').getToken(`${origin}/.default`);
        short = t!.token;
      } finally {
        emulator.setTokenLifetime(3600);
      }
      await new Promise((r) => setTimeout(r, 2100));
      expectChallenge(await raw.request('kv-demo', 'GET', '/secrets', { token: short }), 'expired token');
    });

    it('a token for another vault’s origin is 401 with this vault’s challenge', async () => {
      const other = await raw.token(raw.origin('kv-scale'));
      expectChallenge(await raw.request('kv-demo', 'GET', '/secrets', { token: other }), 'token for kv-scale used at kv-demo');
      const arm = await raw.token(emulator.ready.armEndpoint);
      expectChallenge(await raw.request('kv-demo', 'GET', '/secrets', { token: arm }), 'ARM token used at kv-demo');
    });

    it('a token of the other tenant is 401 with a challenge naming the vault’s own tenant', async () => {
      const otherTenant = await raw.token(origin, 'app', TENANT_B);
      expectChallenge(await raw.request('kv-demo', 'GET', '/secrets', { token: otherTenant }), 'tenant B token at a tenant A vault');
    });
  });

  describe('access', () => {
    it('a firewalled vault answers 403 ForbiddenByFirewall', async () => {
      for (const path of ['/secrets', '/secrets/anything/', '/keys', '/certificates']) {
        expectError(await raw.request('kv-firewalled', 'GET', path), 403, { code: 'Forbidden', inner: 'ForbiddenByFirewall', message: /Client address is not authorized/ }, `firewall ${path}`);
      }
    });

    it('an identity without access gets 403 naming the missing permission', async () => {
      expectError(await raw.request('kv-demo', 'GET', '/secrets', { identity: 'noaccess' }), 403, { code: 'Forbidden', message: /does not have secrets list permission/ }, 'noaccess list on an access-policy vault');
      expectError(await raw.request('kv-demo', 'GET', '/secrets/database-password/', { identity: 'noaccess' }), 403, { code: 'Forbidden', message: /does not have secrets get permission/ }, 'noaccess get');
      expectError(await raw.request('kv-scale', 'GET', '/secrets', { identity: 'noaccess' }), 403, { code: 'Forbidden', inner: 'ForbiddenByRbac', message: /Action: '[^']*secrets\/readMetadata\/action'/ }, 'noaccess on an RBAC vault');
    });

    it('a list-only reader can list secrets but gets 403 reading a value', async () => {
      const list = await raw.request('kv-demo', 'GET', '/secrets', { identity: 'reader' });
      assert.equal(list.status, 200, list.text);
      assert.ok(((list.json as { value?: unknown[] }).value ?? []).length > 0, 'the reader sees the demo secrets');
      expectError(await raw.request('kv-demo', 'GET', '/secrets/database-password/', { identity: 'reader' }), 403, { code: 'Forbidden', message: /secrets get permission/ }, 'reader get value');
      expectError(await raw.request('kv-demo', 'PUT', '/secrets/reader-write', { identity: 'reader', body: { value: 'x' } }), 403, { code: 'Forbidden', message: /secrets set permission/ }, 'reader set');
      // Listing deleted secrets needs list; reading one deleted secret needs get (as the definitions say).
      assert.equal((await raw.request('kv-demo', 'GET', '/deletedsecrets', { identity: 'reader' })).status, 200);
      expectError(await raw.request('kv-demo', 'GET', '/deletedsecrets/old-service-password', { identity: 'reader' }), 403, { code: 'Forbidden', message: /secrets get permission/ }, 'reader get deleted');
    });
  });

  describe('routes and objects', () => {
    it('unknown paths are 404 NotFound and a wrong verb is 405', async () => {
      expectError(await raw.request('kv-demo', 'GET', '/nothing-here'), 404, { code: 'NotFound' }, 'unknown path');
      expectError(await raw.request('kv-demo', 'GET', '/secrets/a/b/c/d'), 404, { code: 'NotFound' }, 'too deep');
      expectError(await raw.request('kv-demo', 'PUT', '/secrets'), 405, { code: 'MethodNotAllowed' }, 'PUT on the collection');
    });

    it('missing objects are 404 with the family’s not-found code', async (t) => {
      expectError(await raw.request('kv-demo', 'GET', '/secrets/no-such-secret/'), 404, { code: 'SecretNotFound' }, 'missing secret');
      expectError(await raw.request('kv-demo', 'GET', '/secrets/database-password/00000000000000000000000000000000'), 404, { code: 'SecretNotFound' }, 'missing version');
      expectError(await raw.request('kv-demo', 'GET', '/deletedsecrets/no-such-secret'), 404, { code: 'SecretNotFound' }, 'missing deleted secret');
      const key = await raw.request('kv-demo', 'GET', '/keys/no-such-key/');
      if (served(t, key, 'missing key')) expectError(key, 404, { code: 'KeyNotFound' }, 'missing key');
      const cert = await raw.request('kv-demo', 'GET', '/certificates/no-such-cert/');
      if (served(t, cert, 'missing certificate')) expectError(cert, 404, { code: 'CertificateNotFound' }, 'missing certificate');
    });

    it('a disabled secret is 403 Forbidden with innererror SecretDisabled', async () => {
      expectError(await raw.request('kv-demo', 'GET', '/secrets/legacy-token-disabled/'), 403, { code: 'Forbidden', inner: 'SecretDisabled' }, 'disabled secret');
    });

    it('a tampered or foreign backup blob is 400 BadParameter', async () => {
      const backup = await raw.request('kv-demo', 'POST', '/secrets/database-password/backup');
      assert.equal(backup.status, 200, backup.text);
      const blob = Buffer.from((backup.json as { value: string }).value, 'base64url');
      blob[blob.length - 1]! ^= 0xff;
      expectError(await raw.request('kv-demo', 'POST', '/secrets/restore', { body: { value: blob.toString('base64url') } }), 400, badParameter, 'tampered backup');
      expectError(await raw.request('kv-demo', 'POST', '/secrets/restore', { body: { value: 42 } }), 400, badParameter, 'backup of the wrong type');
    });
  });

  describe('keys and certificates input', () => {
    it('a bad JWK, an oct key on a vault and a wrong algorithm for the key type are 400', async (t) => {
      const cases: [string, string, string, unknown][] = [
        ['ImportKey without n', 'PUT', '/keys/bad-jwk', { key: { kty: 'RSA', e: 'AQAB' } }],
        ['ImportKey with a non-base64url n', 'PUT', '/keys/bad-jwk', { key: { kty: 'RSA', n: '***', e: 'AQAB' } }],
        ['ImportKey with an unknown kty', 'PUT', '/keys/bad-jwk', { key: { kty: 'DSA', n: 'AQAB', e: 'AQAB' } }],
        ['ImportKey without key', 'PUT', '/keys/bad-jwk', { hsm: false }],
        ['CreateKey oct on a vault', 'POST', '/keys/oct-on-vault/create', { kty: 'oct', key_size: 256 }],
        ['CreateKey RSA of 1000 bits', 'POST', '/keys/rsa-1000/create', { kty: 'RSA', key_size: 1000 }],
        ['CreateKey EC on an unknown curve', 'POST', '/keys/ec-bad/create', { kty: 'EC', crv: 'P-999' }],
        ['CreateKey with an unknown key_op', 'POST', '/keys/op-bad/create', { kty: 'RSA', key_ops: ['teleport'] }],
      ];
      for (const [what, method, path, body] of cases) {
        const r = await raw.request('kv-demo', method, path, { body });
        if (!served(t, r, what)) return;
        expectError(r, 400, badParameter, what);
      }
      const created = await raw.request('kv-demo', 'POST', '/keys/bad-input-rsa/create', { body: { kty: 'RSA', key_size: 2048, key_ops: ['sign', 'verify'] } });
      if (!served(t, created, 'RSA key for algorithm checks')) return;
      assert.equal(created.status, 200, created.text);
      const kid = new URL((created.json as { key: { kid: string } }).key.kid).pathname;
      const digest = randomBytes(32).toString('base64url');
      expectError(await raw.request('kv-demo', 'POST', `${kid}/sign`, { body: { alg: 'ES256', value: digest } }), 400, badParameter, 'ES256 with an RSA key');
      expectError(await raw.request('kv-demo', 'POST', `${kid}/sign`, { body: { alg: 'RS256', value: randomBytes(20).toString('base64url') } }), 400, badParameter, 'RS256 with a 20-byte digest');
      const encrypt = await raw.request('kv-demo', 'POST', `${kid}/encrypt`, { body: { alg: 'RSA-OAEP', value: digest } });
      assert.ok(encrypt.status === 400 || encrypt.status === 403, `encrypt with a key whose key_ops exclude it: ${encrypt.status} ${encrypt.text.slice(0, 200)}`);
      assert.deepEqual(checkErrorBody(encrypt.json), []);
      await stillServing();
    });

    it('bad PFX, PEM and CSR merges are 400', async (t) => {
      const cases: [string, string, string, unknown][] = [
        ['ImportCertificate of random bytes as PFX', 'POST', '/certificates/bad-pfx/import', { value: randomBytes(128).toString('base64'), policy: { secret_props: { contentType: 'application/x-pkcs12' } } }],
        ['ImportCertificate of a PEM without a certificate', 'POST', '/certificates/bad-pem/import', { value: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', policy: { secret_props: { contentType: 'application/x-pem-file' } } }],
        ['ImportCertificate without value', 'POST', '/certificates/no-value/import', {}],
        ['CreateCertificate without a subject or SANs', 'POST', '/certificates/no-subject/create', { policy: { issuer: { name: 'Self' }, x509_props: {} } }],
      ];
      for (const [what, method, path, body] of cases) {
        const r = await raw.request('kv-demo', method, path, { body });
        if (!served(t, r, what)) return;
        expectError(r, 400, badParameter, what);
      }
      const pending = await raw.request('kv-demo', 'POST', '/certificates/bad-merge/create', { body: { policy: { issuer: { name: 'Unknown' }, x509_props: { subject: 'CN=bad-merge' }, key_props: { kty: 'RSA', key_size: 2048 } } } });
      if (!served(t, pending, 'pending certificate for merges')) return;
      assert.equal(pending.status, 202, pending.text);
      expectError(await raw.request('kv-demo', 'POST', '/certificates/bad-merge/pending/merge', { body: { x5c: ['not-a-certificate'] } }), 400, badParameter, 'merge of garbage');
      expectError(await raw.request('kv-demo', 'POST', '/certificates/bad-merge/pending/merge', { body: { x5c: [] } }), 400, badParameter, 'merge of nothing');
      const foreign = Buffer.from(selfSignedDer('someone-else.contoso.test')).toString('base64');
      expectError(await raw.request('kv-demo', 'POST', '/certificates/bad-merge/pending/merge', { body: { x5c: [foreign] } }), 400, badParameter, 'merge of a certificate for another key');
      await stillServing();
    });
  });

  it('the emulator still serves after all of the above', async () => {
    await stillServing();
  });
});
