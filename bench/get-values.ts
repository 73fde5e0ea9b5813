import { SecretClient } from '@azure/keyvault-secrets';
import { mapBounded } from '../src/keyvault/concurrency';
import { DEFAULT_SETTINGS } from '../src/settings';
import { isKeyVaultError } from '../src/keyvault/errors';
import { countingPolicy, credentialOf, median, ourService } from './lib/clients';
import { startEmulatorProcess } from './lib/emulator-process';
import type { BenchContext, BenchRow } from './lib/types';

// `get-500-values`: read 500 secret values with 10 ms latency; ours with bounded concurrency (which backs off when
// the vault throttles) vs the official SDK one by one. The emulator throttles above RATE requests/s.

const COUNT = 500;
const LATENCY_MS = 10;
// What the product uses by default (keyVault.bulk.concurrency).
const CONCURRENCY = DEFAULT_SETTINGS.bulkConcurrency;
const RATE = 600;

async function admin(adminUrl: string, adminKey: string, path: string, body: unknown): Promise<void> {
  const r = await fetch(`${adminUrl}/${path}`, { method: 'PUT', headers: { 'x-emulator-admin-key': adminKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`admin ${path} failed: ${r.status}`);
}

export default async function getValues(ctx: BenchContext): Promise<BenchRow[]> {
  const emulator = await startEmulatorProcess(ctx, ['--seed', 'empty']);
  try {
    const { ready } = emulator;
    const vault = ready.vaults[0]!.url;
    const svc = ourService(ready);
    const names = Array.from({ length: COUNT }, (_, i) => `value-${String(i).padStart(4, '0')}`);
    await mapBounded(names, (n, i) => svc.secrets.set(vault, n, `v-${i}`), { concurrency: 32 });
    await admin(ready.adminUrl, ready.adminKey, 'latency', { ms: LATENCY_MS });
    await admin(ready.adminUrl, ready.adminKey, 'ratelimit', { rps: RATE, burst: 40, retryAfter: 1 });

    const counter = countingPolicy();
    const sdk = new SecretClient(vault, credentialOf(ready), { disableChallengeResourceVerification: true, additionalPolicies: [{ policy: counter.policy, position: 'perRetry' }] });
    await sdk.getSecret(names[0]!);
    await svc.secrets.get(vault, names[0]!);

    const rounds = Math.max(1, Math.round(3 * ctx.scale));
    const oursMs: number[] = [];
    const sdkMs: number[] = [];
    let throttled = 0;
    let lost = 0;
    let retried = 0;
    const runOurs = async (r: number): Promise<void> => {
      const before = svc.requestCount();
      const t = performance.now();
      const values = await mapBounded(
        names,
        async (n) => {
          try {
            return (await svc.secrets.get(vault, n)).value;
          } catch (err) {
            if (isKeyVaultError(err) && err.kind === 'throttled') lost++;
            throw err;
          }
        },
        { concurrency: CONCURRENCY, onThrottle: () => throttled++ },
      );
      oursMs.push(performance.now() - t);
      if (values.some((v, i) => v !== `v-${i}`)) throw new Error('ours read a wrong value');
      // Every request past one per name was a 429 that the pipeline waited out (Retry-After) and sent again.
      retried += svc.requestCount() - before - COUNT;
      ctx.log(`get-values: round ${r + 1}: ours ${Math.round(oursMs.at(-1)!)} ms, ${svc.requestCount() - before} round trips`);
    };
    const runSdk = async (r: number): Promise<void> => {
      const t = performance.now();
      for (const [i, n] of names.entries()) {
        const s = await sdk.getSecret(n);
        if (s.value !== `v-${i}`) throw new Error('the SDK read a wrong value');
      }
      sdkMs.push(performance.now() - t);
      ctx.log(`get-values: round ${r + 1}: SDK ${Math.round(sdkMs.at(-1)!)} ms`);
    };
    // Alternating who goes first, so that a change in the machine's load does not favour one side.
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) {
        await runOurs(r);
        await runSdk(r);
      } else {
        await runSdk(r);
        await runOurs(r);
      }
    }
    svc.dispose();
    return [
      {
        name: 'get-500-values',
        unit: 'ms',
        ours: Math.round(median(oursMs)),
        peer: Math.round(median(sdkMs)),
        goal: 'ratio <= 0.2',
        note: `${COUNT} getSecret with ${LATENCY_MS} ms latency, emulator throttling above ${RATE} req/s; ours ${CONCURRENCY} in flight (mapBounded), SDK one by one; median of ${rounds}, alternating who goes first. Requests lost to 429: ${lost}; 429s waited out and retried by the pipeline: ${retried}; pool narrowed ${throttled} times. ${CONCURRENCY} in flight makes ${(1 / CONCURRENCY).toFixed(3)} the best ratio; the rest is ${CONCURRENCY} requests at once sharing the machine's CPU with the emulator.`,
      },
    ];
  } finally {
    await emulator.stop();
  }
}
