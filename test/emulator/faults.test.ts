import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { RestError, type PipelinePolicy } from '@azure/core-rest-pipeline';
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';
import type { Emulator } from '../emulator/emulator';
import type { FaultRule } from '../emulator/core/faults';
import { containerUrl, credentialFor, sdkOptions, startTestEmulator } from '../support/emulator';

// Fault injection as clients meet it: latency, 429 with Retry-After, 5xx, connection resets, stalls and a rate
// limit, set in-process or through the admin endpoint. Every test has a time bound: a fault must never hang a run.

const BOUND = { timeout: 20_000 };
const SECRET = 'fault-target';

let emulator: Emulator;
let vaultUrl: string;
let token: string;

/** SDK retries fast, so tests stay short; Retry-After from the server still wins for 429. */
const retrying: SecretClientOptions = { ...sdkOptions, retryOptions: { maxRetries: 4, retryDelayInMs: 20, maxRetryDelayInMs: 200 } };

/**
 * A client that counts its attempts at the test secret. It is warmed up first (the challenge round trip and a
 * token), so the count holds only the attempts a test causes.
 */
async function counted(options: SecretClientOptions = retrying): Promise<{ client: SecretClient; attempts: () => number }> {
  let attempts = 0;
  const counter: PipelinePolicy = {
    name: 'countAttempts',
    sendRequest: (req, next) => {
      if (new URL(req.url).pathname.startsWith(`/secrets/${SECRET}`)) attempts += 1;
      return next(req);
    },
  };
  const client = new SecretClient(vaultUrl, credentialFor(emulator.ready), { ...options, additionalPolicies: [{ policy: counter, position: 'perRetry' }] });
  await client.getSecret(SECRET);
  attempts = 0;
  return { client, attempts: () => attempts };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

async function failure(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof Error);
    return err;
  }
  assert.fail('the call succeeded but should have failed');
}

const getUrl = (): string => `${vaultUrl}/secrets/${SECRET}?api-version=7.5`;
const rawGet = (): Promise<Response> => fetch(getUrl(), { headers: { authorization: `Bearer ${token}` } });

function admin(method: string, path: string, body?: unknown, key = emulator.ready.adminKey): Promise<Response> {
  return fetch(`${emulator.ready.adminUrl}${path}`, {
    method,
    headers: { 'x-emulator-admin-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

before(async () => {
  emulator = await startTestEmulator({ seed: 'empty' });
  vaultUrl = containerUrl(emulator.ready, 'kv-demo');
  await new SecretClient(vaultUrl, credentialFor(emulator.ready), sdkOptions).setSecret(SECRET, 'still here');
  token = (await credentialFor(emulator.ready).getToken(`${vaultUrl}/.default`)).token;
});

after(async () => {
  await emulator.close();
});

afterEach(() => {
  emulator.faults.clear();
});

describe('faults: latency', () => {
  it('delays a matching request by at least the injected milliseconds, only as many times as asked', BOUND, async () => {
    const { client } = await counted();
    const id = emulator.faults.add({ kind: 'latency', ms: 300, target: 'kv-demo', path: `^/secrets/${SECRET}`, times: 1 });
    const slow = await timed(() => client.getSecret(SECRET));
    assert.equal(slow.value.value, 'still here');
    assert.ok(slow.ms >= 300, `delayed ${slow.ms.toFixed(0)} ms`);
    assert.ok(!emulator.faults.list().some((f) => f.id === id), 'the fault was used up');
  });

  it('applies latency only to the target, method and path it names', BOUND, async () => {
    const { client } = await counted();
    // Each rule applies once: still listed afterwards means it did not match.
    emulator.faults.add({ kind: 'latency', ms: 400, target: 'kv-scale', times: 1 });
    emulator.faults.add({ kind: 'latency', ms: 400, target: 'kv-demo', method: 'PUT', times: 1 });
    emulator.faults.add({ kind: 'latency', ms: 400, target: 'kv-demo', path: '^/keys', times: 1 });
    await client.getSecret(SECRET);
    assert.equal(emulator.faults.list().length, 3, 'no rule matched');
    const matching = emulator.faults.add({ kind: 'latency', ms: 1, target: 'kv-demo', method: 'GET', path: `^/secrets/${SECRET}/?$`, times: 1 });
    await client.getSecret(SECRET);
    assert.ok(!emulator.faults.list().some((f) => f.id === matching), 'a rule naming this target, method and path matched');
  });
});

describe('faults: admin endpoint', () => {
  it('refuses a wrong or missing admin key with 401', BOUND, async () => {
    const wrong = await admin('POST', '/faults', { kind: 'latency', ms: 1 }, 'not-the-key');
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { error: { code: string } }).error.code, 'Unauthorized');
    const missing = await fetch(`${emulator.ready.adminUrl}/faults`);
    assert.equal(missing.status, 401);
    assert.equal(emulator.faults.list().length, 0, 'nothing was added');
    const revoke = await admin('POST', '/revoke-tokens', undefined, '');
    assert.equal(revoke.status, 401);
  });

  it('adds, lists and clears faults over HTTP, and they apply to data-plane requests', BOUND, async () => {
    const added = await admin('POST', '/faults', { kind: 'latency', ms: 250, target: 'kv-demo', times: 1 } satisfies FaultRule);
    assert.equal(added.status, 200);
    const { id } = (await added.json()) as { id: string };
    const listed = (await (await admin('GET', '/faults')).json()) as { faults: FaultRule[] };
    assert.ok(listed.faults.some((f) => f.id === id && f.kind === 'latency'));
    const { ms } = await timed(() => rawGet());
    assert.ok(ms >= 250, `delayed ${ms.toFixed(0)} ms`);

    await admin('POST', '/faults', { kind: 'error', status: 503, target: 'kv-demo' } satisfies FaultRule);
    assert.equal((await rawGet()).status, 503);
    assert.equal((await admin('DELETE', '/faults')).status, 200);
    assert.equal((await rawGet()).status, 200);
  });

  it('sets latency for every request and a rate limit over HTTP', BOUND, async () => {
    assert.equal((await admin('PUT', '/latency', { ms: 200 })).status, 200);
    try {
      const { ms } = await timed(() => rawGet());
      assert.ok(ms >= 200, `delayed ${ms.toFixed(0)} ms`);
    } finally {
      await admin('PUT', '/latency', { ms: 0 });
    }
    assert.equal((await admin('PUT', '/ratelimit', { rps: 2, burst: 2, retryAfter: 1 })).status, 200);
    const statuses = await Promise.all(Array.from({ length: 6 }, async () => (await rawGet()).status));
    assert.ok(statuses.includes(429), statuses.join(','));
    assert.equal((await admin('PUT', '/ratelimit', {})).status, 200);
    assert.equal((await rawGet()).status, 200, 'the limit was lifted');
  });
});

describe('faults: throttling', () => {
  it('answers 429 Throttled with Retry-After', BOUND, async () => {
    emulator.faults.add({ kind: 'throttle', target: 'kv-demo', retryAfter: 3, times: 1 });
    const res = await rawGet();
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '3');
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'Throttled');
  });

  it('lets the SDK wait for Retry-After and succeed', BOUND, async () => {
    const { client, attempts } = await counted();
    emulator.faults.add({ kind: 'throttle', target: 'kv-demo', path: `^/secrets/${SECRET}`, retryAfter: 1, times: 1 });
    const { value, ms } = await timed(() => client.getSecret(SECRET));
    assert.equal(value.value, 'still here');
    assert.ok(ms >= 950, `waited ${ms.toFixed(0)} ms for Retry-After: 1`);
    assert.equal(attempts(), 2);
  });

  it('gives the SDK 429 Throttled when it may not retry', BOUND, async () => {
    const { client } = await counted({ ...sdkOptions });
    emulator.faults.add({ kind: 'throttle', target: 'kv-demo', retryAfter: 1, times: 1 });
    const err = await failure(() => client.getSecret(SECRET));
    assert.ok(err instanceof RestError);
    assert.equal(err.statusCode, 429);
    assert.equal(err.code, 'Throttled');
  });
});

describe('faults: server errors', () => {
  for (const status of [500, 503]) {
    it(`lets the SDK retry ${status} until the fault's times run out, then succeed`, BOUND, async () => {
      const { client, attempts } = await counted();
      emulator.faults.add({ kind: 'error', status, target: 'kv-demo', path: `^/secrets/${SECRET}`, times: 2 });
      const got = await client.getSecret(SECRET);
      assert.equal(got.value, 'still here');
      assert.equal(attempts(), 3, 'two failures, then success');
    });

    it(`gives the SDK ${status} with Key Vault's error body when it may not retry`, BOUND, async () => {
      const { client } = await counted({ ...sdkOptions });
      emulator.faults.add({ kind: 'error', status, target: 'kv-demo', times: 1 });
      const err = await failure(() => client.getSecret(SECRET));
      assert.ok(err instanceof RestError);
      assert.equal(err.statusCode, status);
      assert.equal(err.code, status === 503 ? 'ServiceUnavailable' : 'InternalServerError');
    });
  }

  it('sends the Retry-After of a 503 fault', BOUND, async () => {
    emulator.faults.add({ kind: 'error', status: 503, retryAfter: 2, target: 'kv-demo', times: 1 });
    const res = await rawGet();
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '2');
  });
});

describe('faults: connection reset', () => {
  it('destroys the connection: a client without retries sees a network error', BOUND, async () => {
    const { client } = await counted({ ...sdkOptions });
    emulator.faults.add({ kind: 'reset', target: 'kv-demo', times: 1 });
    const err = await failure(() => client.getSecret(SECRET));
    assert.ok(err instanceof RestError);
    assert.equal(err.statusCode, undefined, 'no HTTP response');
    assert.match(`${err.code} ${err.message}`, /ECONNRESET|socket hang up|REQUEST_SEND_ERROR/);
  });

  it('lets the SDK retry a reset connection and succeed', BOUND, async () => {
    const { client, attempts } = await counted();
    emulator.faults.add({ kind: 'reset', target: 'kv-demo', path: `^/secrets/${SECRET}`, times: 1 });
    assert.equal((await client.getSecret(SECRET)).value, 'still here');
    assert.equal(attempts(), 2);
  });
});

describe('faults: stall', () => {
  it('never answers a stalled request: a client with a short timeout gives up on time', BOUND, async () => {
    const { client } = await counted({ ...sdkOptions });
    emulator.faults.add({ kind: 'stall', target: 'kv-demo', path: `^/secrets/${SECRET}`, times: 1 });
    const start = performance.now();
    const err = await failure(() => client.getSecret(SECRET, { abortSignal: AbortSignal.timeout(300) }));
    const ms = performance.now() - start;
    assert.equal(err.name, 'AbortError');
    assert.ok(ms >= 290 && ms < 3000, `gave up after ${ms.toFixed(0)} ms`);
    assert.equal((await client.getSecret(SECRET)).value, 'still here', 'the next request is answered');
  });

  it('closes promptly while requests are stalled, and the stalled client sees its connection end', BOUND, async () => {
    const own = await startTestEmulator({ seed: 'empty' });
    const url = containerUrl(own.ready, 'kv-demo');
    own.faults.add({ kind: 'stall', target: 'kv-demo' });
    const pending = new Promise<string>((resolve) => {
      const req = httpsRequest(`${url}/secrets?api-version=7.5`, (res) => resolve(`answered ${res.statusCode}`));
      req.on('error', (err) => resolve(`error ${err.message}`));
      req.end();
    });
    await new Promise((r) => setTimeout(r, 150));
    const start = performance.now();
    await own.close();
    const ms = performance.now() - start;
    assert.ok(ms < 3000, `close() took ${ms.toFixed(0)} ms, not the 30 s keep-alive or forever`);
    assert.match(await pending, /^error /);
  });
});

describe('faults: rate limit', () => {
  it('throttles a burst over the rate with 429 and Retry-After, then recovers', BOUND, async () => {
    emulator.faults.rateLimit = { rps: 5, burst: 5, retryAfter: 1 };
    const responses = await Promise.all(Array.from({ length: 20 }, () => rawGet()));
    const statuses = responses.map((r) => r.status);
    const throttled = responses.filter((r) => r.status === 429);
    assert.ok(statuses.filter((s) => s === 200).length >= 5, statuses.join(','));
    assert.ok(throttled.length >= 10, statuses.join(','));
    assert.ok(throttled.every((r) => r.headers.get('retry-after') === '1'));
    await Promise.all(responses.map((r) => r.body?.cancel()));
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await rawGet()).status, 200, 'the bucket refilled');
  });

  it('lets SDK clients under the rate limit all succeed by honouring Retry-After', BOUND, async () => {
    const { client, attempts } = await counted();
    emulator.faults.rateLimit = { rps: 4, burst: 2, retryAfter: 1 };
    const values = await Promise.all(Array.from({ length: 4 }, () => client.getSecret(SECRET)));
    assert.ok(values.every((v) => v.value === 'still here'));
    assert.ok(attempts() > 4, `some requests were throttled and retried (${attempts()} attempts)`);
  });

  it('limits each vault separately', BOUND, async () => {
    emulator.faults.rateLimit = { rps: 1, burst: 1, retryAfter: 1 };
    assert.equal((await rawGet()).status, 200);
    assert.equal((await rawGet()).status, 429);
    const other = containerUrl(emulator.ready, 'kv-scale');
    const otherToken = (await credentialFor(emulator.ready).getToken(`${other}/.default`)).token;
    const res = await fetch(`${other}/secrets?api-version=7.5`, { headers: { authorization: `Bearer ${otherToken}` } });
    assert.equal(res.status, 200);
  });
});

describe('faults: set at start and by chance', () => {
  it('applies faults and a rate limit given to startEmulator', BOUND, async () => {
    const own = await startTestEmulator({
      seed: 'empty',
      faults: [{ kind: 'error', status: 503, target: 'kv-demo', path: '^/secrets', times: 1 }],
      rateLimit: { rps: 1000, burst: 1000 },
    });
    try {
      const url = containerUrl(own.ready, 'kv-demo');
      const ownToken = (await credentialFor(own.ready).getToken(`${url}/.default`)).token;
      const first = await fetch(`${url}/secrets?api-version=7.5`, { headers: { authorization: `Bearer ${ownToken}` } });
      assert.equal(first.status, 503);
      const second = await fetch(`${url}/secrets?api-version=7.5`, { headers: { authorization: `Bearer ${ownToken}` } });
      assert.equal(second.status, 200);
      assert.deepEqual(own.faults.rateLimit, { rps: 1000, burst: 1000 });
    } finally {
      await own.close();
    }
  });

  it('applies a fault with a probability to some requests and not others', BOUND, async () => {
    emulator.faults.add({ kind: 'error', status: 500, target: 'kv-demo', probability: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await rawGet()).status);
    const failed = statuses.filter((s) => s === 500).length;
    assert.ok(failed > 5 && failed < 35, `${failed} of 40 failed`);
    assert.ok(statuses.every((s) => s === 200 || s === 500));
  });
});
