import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Emulator } from './emulator';
import { startTestEmulator } from '../support/emulator';
import { RawClient, type RawResponse } from './schema/http-client';
import { checkErrorBody, formatMismatches, validateExchanges } from './schema/validator';
import { describeRequest, fuzzRequest, type FuzzRequest } from './schema/fuzz-requests';

/**
 * Property-based fuzz over routes, methods, query strings and bodies, with a valid token: whatever arrives, the
 * emulator answers below 500, with a Key Vault error body on 4xx, a contract-conforming body on success, and keeps
 * serving. Seeded and bounded so that it is reproducible and fast (a few thousand requests).
 */

const SEED = 0x6b76_2026;

/**
 * Runs a property and, on failure, reports the shrunk input in a readable, bounded form (fast-check's own
 * counterexample printout would dump 40 KB strings) with the seed and path to replay it.
 */
async function checkProperty<Ts extends unknown[]>(property: fc.IAsyncPropertyWithHooks<Ts>, params: fc.Parameters<Ts>, show: (...input: Ts) => string): Promise<void> {
  const details = await fc.check(property, params);
  if (!details.failed) return;
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  assert.fail(
    `failed after ${details.numRuns} runs (seed ${details.seed}, path "${details.counterexamplePath}", shrunk ${details.numShrinks} times)\n` +
      `input: ${details.counterexample ? show(...details.counterexample) : '?'}\n${error.slice(0, 2000)}`,
  );
}

/** Objects under FUZZ_NAMES in every family that is served (a missing family just answers 404 here). */
async function seedFuzzObjects(raw: RawClient): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const secrets: [string, unknown][] = [
    ['database-password', { value: 'p', contentType: 'password', tags: { app: 'fuzz' } }],
    ['legacy-token-disabled', { value: 'd', attributes: { enabled: false } }],
    ['future-secret', { value: 'f', attributes: { nbf: now + 86_400 } }],
    ['api-key-expiring', { value: 'e', attributes: { exp: now + 86_400 } }],
    ['old-service-password', { value: 'o' }],
    ['fuzz-object', { value: 'x' }],
  ];
  for (const [name, body] of secrets) await raw.request('kv-demo', 'PUT', `/secrets/${name}`, { body });
  await raw.request('kv-demo', 'DELETE', '/secrets/old-service-password');
  await raw.request('kv-demo', 'POST', '/keys/fuzz-object/create', { body: { kty: 'RSA', key_size: 2048 } });
  await raw.request('kv-demo', 'POST', '/keys/api-key-expiring/create', { body: { kty: 'EC', crv: 'P-256' } });
  await raw.request('hsm-demo', 'POST', '/keys/fuzz-object/create', { body: { kty: 'oct-HSM', key_size: 256 } });
  await raw.request('kv-demo', 'POST', '/certificates/fuzz-object/create', { body: { policy: { issuer: { name: 'Self' }, x509_props: { subject: 'CN=fuzz' }, key_props: { kty: 'EC', crv: 'P-256' } } } });
  await raw.request('kv-demo', 'PUT', '/storage/fuzzstorage', { apiVersion: '7.5', body: { resourceId: '/subscriptions/x/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/fuzzstorage', activeKeyName: 'key1', autoRegenerateKey: false } });
}

describe('Random requests with a valid token never break the emulator', () => {
  let emulator: Emulator;
  let raw: RawClient;

  before(async () => {
    // An empty emulator with a few objects of each family under the names the generator uses: the demo seed's
    // key generation would cost more than the fuzz itself.
    emulator = await startTestEmulator({ seed: 'empty' });
    raw = new RawClient(emulator.ready);
    await seedFuzzObjects(raw);
    emulator.recordExchanges = true;
  });

  after(async () => {
    raw.close();
    await emulator.close();
  });

  async function send(r: FuzzRequest): Promise<RawResponse> {
    const params = new URLSearchParams();
    if (r.query.apiVersion !== undefined) params.set('api-version', r.query.apiVersion);
    for (const [k, v] of r.query.extra) params.append(k, v);
    const qs = params.toString();
    const headers: Record<string, string> = {};
    if (r.contentType) headers['content-type'] = r.contentType;
    if (r.override !== null) headers['x-http-method'] = r.override;
    return raw.request(r.container, r.method, `${r.path}${qs ? `?${qs}` : ''}`, { apiVersion: null, headers, ...(r.body === undefined ? {} : { body: r.body }) });
  }

  /** Below 500, and a JSON Key Vault error body on 4xx (HEAD answers carry no body by definition). */
  function wellFormed(r: FuzzRequest, res: RawResponse): void {
    assert.ok(res.status > 0 && res.status < 500, `answered ${res.status} ${res.text.slice(0, 300)}\n  to ${describeRequest(r)}`);
    if (res.status >= 400 && r.method !== 'HEAD') {
      assert.deepEqual(checkErrorBody(res.json), [], `error body ${res.status} ${res.text.slice(0, 300)}\n  to ${describeRequest(r)}`);
    }
  }

  it('answers 2,000 random requests below 500 with well-formed bodies', async (t) => {
    const start = emulator.exchanges.length;
    const statuses = new Map<number, number>();
    await checkProperty(
      fc.asyncProperty(fuzzRequest, async (r) => {
        const res = await send(r);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        wellFormed(r, res);
      }),
      { seed: SEED, numRuns: 2000 },
      (r) => describeRequest(r),
    );
    t.diagnostic(`statuses: ${[...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ')}`);
    const ok = [...statuses].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0);
    assert.ok(ok > 50, `only ${ok} requests succeeded: the generator no longer reaches the handlers`);
    // Whatever succeeded must still be what the contract describes.
    const mismatches = validateExchanges(emulator.exchanges.slice(start));
    if (mismatches.length) assert.fail(`${mismatches.length} answers to random input do not match the definitions:\n${formatMismatches(mismatches)}`);
  });

  it('answers every random Authorization header with 401 and the challenge', async () => {
    const header = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ maxLength: 60 }).map((s) => `Bearer ${s}`),
      fc.tuple(fc.base64String({ maxLength: 40 }), fc.base64String({ maxLength: 200 }), fc.base64String({ maxLength: 80 })).map(([a, b, c]) => `Bearer ${a}.${b}.${c}`),
      fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer x.y.z', 'Bearer a.b'),
    );
    await checkProperty(
      fc.asyncProperty(header, fc.constantFrom('/secrets', '/keys', '/secrets/database-password/'), async (authorization, p) => {
        const res = await raw.request('kv-demo', 'GET', p, { identity: null, headers: { authorization } });
        assert.equal(res.status, 401, `${JSON.stringify(authorization)} → ${res.status} ${res.text.slice(0, 200)}`);
        assert.match(String(res.headers['www-authenticate']), /^Bearer authorization="[^"]+", resource="[^"]+"/);
        assert.deepEqual(checkErrorBody(res.json), []);
      }),
      { seed: SEED + 1, numRuns: 300 },
      (authorization, p) => `GET ${p} with Authorization ${JSON.stringify(authorization)}`,
    );
  });

  it('still answers normal requests afterwards', async () => {
    const list = await raw.request('kv-demo', 'GET', '/secrets?maxresults=5');
    assert.equal(list.status, 200, list.text);
    const set = await raw.request('kv-demo', 'PUT', '/secrets/after-the-fuzz', { body: { value: 'still here' } });
    assert.equal(set.status, 200, set.text);
    const get = await raw.request('kv-demo', 'GET', '/secrets/after-the-fuzz/');
    assert.equal((get.json as { value?: unknown }).value, 'still here');
  });
});
