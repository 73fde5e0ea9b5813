import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isKeyVaultError } from '../../src/keyvault/errors';
import type { Emulator } from '../emulator';
import { containerUrl, startTestEmulator } from '../support/emulator';
import { collect, serviceFor } from '../support/service';

describe('the pipeline survives faults', () => {
  let emu: Emulator;
  let vault: string;

  before(async () => {
    emu = await startTestEmulator({ seed: 'demo' });
    vault = containerUrl(emu.ready, 'kv-demo');
  });
  after(() => emu.close());

  const countOps = (operationId: string): number => emu.exchanges.filter((x) => x.operationId === operationId).length;
  const record = (): void => {
    emu.exchanges.length = 0;
    emu.recordExchanges = true;
  };

  it('waits out a 429 for as long as Retry-After says, then succeeds', async () => {
    const svc = serviceFor(emu.ready);
    await svc.secrets.set(vault, 'fault-429', 'v');
    emu.faults.add({ target: 'kv-demo', kind: 'throttle', path: '/secrets/fault-429', method: 'GET', retryAfter: 1, times: 2 });
    const started = Date.now();
    assert.equal((await svc.secrets.get(vault, 'fault-429')).value, 'v');
    assert.ok(Date.now() - started >= 1900, `waited ${Date.now() - started} ms for two Retry-After: 1`);
    svc.dispose();
  });

  it('reports throttling with the number of retries when the vault keeps answering 429', async () => {
    const svc = serviceFor(emu.ready, 'app', { retry: () => ({ maxRetries: 2, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 5000 }) });
    emu.faults.add({ target: 'kv-demo', kind: 'throttle', path: '/secrets/fault-429-forever', retryAfter: 0, times: 10 });
    await assert.rejects(svc.secrets.get(vault, 'fault-429-forever'), (e: unknown) => isKeyVaultError(e) && e.kind === 'throttled' && /retried 2 times/.test(e.hint));
    emu.faults.clear();
    svc.dispose();
  });

  it('retries a 503 and a POST too, since the service did not act', async () => {
    const svc = serviceFor(emu.ready);
    await svc.secrets.set(vault, 'fault-503', 'v');
    emu.faults.add({ target: 'kv-demo', kind: 'error', status: 503, path: '/secrets/fault-503/backup', times: 2 });
    const blob = await svc.secrets.backup(vault, 'fault-503');
    assert.ok(blob.length > 0);
    svc.dispose();
  });

  it('retries a connection reset on an idempotent GET', async () => {
    const svc = serviceFor(emu.ready);
    await svc.secrets.set(vault, 'fault-reset', 'v');
    emu.faults.add({ target: 'kv-demo', kind: 'reset', path: '/secrets/fault-reset/$', method: 'GET', times: 1 });
    assert.equal((await svc.secrets.get(vault, 'fault-reset')).value, 'v');
    svc.dispose();
  });

  it('does not retry a reset POST (not idempotent): one attempt, a clear network error', async () => {
    const svc = serviceFor(emu.ready);
    await svc.secrets.set(vault, 'fault-reset-post', 'v');
    await svc.secrets.get(vault, 'fault-reset-post');
    const before = svc.requestCount();
    emu.faults.add({ target: 'kv-demo', kind: 'reset', path: '/secrets/fault-reset-post/backup', method: 'POST', times: 3 });
    await assert.rejects(svc.secrets.backup(vault, 'fault-reset-post'), (e: unknown) => isKeyVaultError(e) && e.kind === 'network' && /127\.0\.0\.1/.test(e.message));
    assert.equal(svc.requestCount() - before, 1);
    emu.faults.clear();
    svc.dispose();
  });

  it('turns a stall into a timeout error that names the host, within the timeout', async () => {
    const svc = serviceFor(emu.ready, 'app', { timeoutMs: () => 400, retry: () => ({ maxRetries: 1, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterMs: 1000 }) });
    await svc.secrets.set(vault, 'fault-stall', 'v');
    emu.faults.add({ target: 'kv-demo', kind: 'stall', path: '/secrets/fault-stall/$', method: 'GET', times: 5 });
    const started = Date.now();
    await assert.rejects(svc.secrets.get(vault, 'fault-stall'), (e: unknown) => isKeyVaultError(e) && e.kind === 'timeout' && /did not respond within 0\.4 s/.test(e.message));
    const elapsed = Date.now() - started;
    // Not a speed goal: a stall with no timeout would hang until the emulator closes the socket (minutes). The bound
    // is generous so a loaded machine cannot fail it.
    assert.ok(elapsed < 10_000, `took ${elapsed} ms`);
    emu.faults.clear();
    svc.dispose();
  });

  it('stops promptly when cancelled, reporting cancellation rather than an error', async () => {
    const svc = serviceFor(emu.ready, 'app', { timeoutMs: () => 30_000 });
    await svc.secrets.set(vault, 'fault-cancel', 'v');
    emu.faults.add({ target: 'kv-demo', kind: 'stall', path: '/secrets/fault-cancel/$', method: 'GET', times: 1 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 200);
    await assert.rejects(svc.secrets.get(vault, 'fault-cancel', '', { abortSignal: controller.signal }), (e: unknown) => isKeyVaultError(e) && e.kind === 'cancelled');
    // Not a speed goal: without cancellation the call would wait for its 30 s timeout.
    assert.ok(Date.now() - started < 10_000);
    emu.faults.clear();
    svc.dispose();
  });

  it('cancels a long listing between pages', async () => {
    const svc = serviceFor(emu.ready);
    const controller = new AbortController();
    let pages = 0;
    await assert.rejects(
      (async () => {
        for await (const _page of svc.secrets.list(containerUrl(emu.ready, 'kv-scale'), { abortSignal: controller.signal }).byPage()) {
          if (++pages === 3) controller.abort();
        }
      })(),
      (e: unknown) => isKeyVaultError(e) && e.kind === 'cancelled',
    );
    assert.equal(pages, 3);
    svc.dispose();
  });

  it('gets a fresh token when tokens are revoked in the middle of a listing, and finishes it', async () => {
    const svc = serviceFor(emu.ready);
    const scale = containerUrl(emu.ready, 'kv-scale');
    const tokensBefore = emu.tokenRequests;
    let count = 0;
    let pages = 0;
    for await (const page of svc.secrets.list(scale).byPage()) {
      count += page.items.length;
      if (++pages === 5) emu.faults.tokensRevokedBefore = Date.now() + 1;
    }
    assert.equal(count, 1200);
    assert.ok(emu.tokenRequests - tokensBefore >= 2, `token requests: ${emu.tokenRequests - tokensBefore}`);
    svc.dispose();
  });

  it('refreshes short-lived tokens during a listing and loses no page', async () => {
    emu.setTokenLifetime(1);
    const svc = serviceFor(emu.ready);
    const tokensBefore = emu.tokenRequests;
    record();
    let count = 0;
    for await (const page of svc.secrets.list(containerUrl(emu.ready, 'kv-scale')).byPage()) {
      count += page.items.length;
      if (count === 250) await new Promise((r) => setTimeout(r, 1100));
    }
    emu.recordExchanges = false;
    emu.setTokenLifetime(3600);
    assert.equal(count, 1200);
    assert.equal(countOps('GetSecrets') - emu.exchanges.filter((x) => x.operationId === 'GetSecrets' && x.status !== 200).length, 48);
    assert.ok(emu.tokenRequests - tokensBefore >= 2);
    svc.dispose();
  });

  it('survives injected latency spikes', async () => {
    const svc = serviceFor(emu.ready);
    emu.faults.add({ target: 'kv-demo', kind: 'latency', ms: 300, times: 2 });
    const started = Date.now();
    const all = await collect(svc.secrets.list(vault));
    assert.ok(all.length > 0);
    assert.ok(Date.now() - started >= 300);
    svc.dispose();
  });
});
