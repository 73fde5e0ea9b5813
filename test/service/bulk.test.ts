import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mapBounded } from '../../src/keyvault/concurrency';
import { isKeyVaultError } from '../../src/keyvault/errors';
import type { Emulator } from '../emulator';
import { containerUrl, startTestEmulator } from '../support/emulator';
import { collect, serviceFor } from '../support/service';

describe('bounded-concurrency bulk reads', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startTestEmulator({ seed: 'demo' });
  });
  after(() => emu.close());

  it('reads many values with at most N in flight, in input order', async () => {
    const svc = serviceFor(emu.ready);
    const scale = containerUrl(emu.ready, 'kv-scale');
    const names = (await collect(svc.secrets.list(scale))).slice(0, 60).map((s) => s.name);
    let inFlight = 0;
    let peak = 0;
    const values = await mapBounded(
      names,
      async (name) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          return (await svc.secrets.get(scale, name)).properties.name;
        } finally {
          inFlight--;
        }
      },
      { concurrency: 6 },
    );
    assert.deepEqual(values, names);
    assert.ok(peak <= 6 && peak >= 2, `peak ${peak}`);
    svc.dispose();
  });

  it('slows down instead of failing when the vault throttles, and loses no item', async () => {
    const svc = serviceFor(emu.ready, 'app', { retry: () => ({ maxRetries: 1, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 5000 }) });
    const scale = containerUrl(emu.ready, 'kv-scale');
    const names = (await collect(svc.secrets.list(scale))).slice(0, 80).map((s) => s.name);
    emu.faults.rateLimit = { rps: 40, burst: 10, retryAfter: 0 };
    const widths: number[] = [];
    try {
      const values = await mapBounded(names, async (name) => (await svc.secrets.get(scale, name)).properties.name, { concurrency: 16, onThrottle: (w) => widths.push(w) });
      assert.deepEqual(values, names);
    } finally {
      emu.faults.rateLimit = undefined;
    }
    assert.ok(widths.length > 0, 'throttling was seen and the width reduced');
    assert.ok(widths.every((w) => w < 16));
    svc.dispose();
  });

  it('stops starting work when cancelled and leaves no request running', async () => {
    const svc = serviceFor(emu.ready);
    const scale = containerUrl(emu.ready, 'kv-scale');
    const names = (await collect(svc.secrets.list(scale))).slice(0, 200).map((s) => s.name);
    emu.setLatency(20);
    const controller = new AbortController();
    let started = 0;
    let settled = 0;
    setTimeout(() => controller.abort(), 150);
    await assert.rejects(
      mapBounded(
        names,
        async (name) => {
          started++;
          try {
            return await svc.secrets.get(scale, name, '', { abortSignal: controller.signal });
          } finally {
            settled++;
          }
        },
        { concurrency: 4, abortSignal: controller.signal },
      ),
      (e: unknown) => isKeyVaultError(e) && e.kind === 'cancelled',
    );
    await new Promise((r) => setTimeout(r, 100));
    emu.setLatency(0);
    assert.ok(started < names.length, `started ${started} of ${names.length}`);
    assert.equal(settled, started, 'every started request settled');
    svc.dispose();
  });
});
