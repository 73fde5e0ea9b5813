import { SecretClient } from '@azure/keyvault-secrets';
import { mapBounded } from '../src/keyvault/concurrency';
import { countingPolicy, credentialOf, median, ourService } from './lib/clients';
import { startEmulatorProcess } from './lib/emulator-process';
import type { BenchContext, BenchRow } from './lib/types';

// `list-secrets-5000` and `first-page-latency`: list 5,000 secrets with 10 ms of injected latency per request,
// our service layer vs the official @azure/keyvault-secrets listPropertiesOfSecrets(), same emulator, same run.

const COUNT = 5000;
const LATENCY_MS = 10;

export default async function listSecrets(ctx: BenchContext): Promise<BenchRow[]> {
  const emulator = await startEmulatorProcess(ctx, ['--seed', 'empty']);
  try {
    const { ready } = emulator;
    const vault = ready.vaults[0]!.url;
    const svc = ourService(ready);
    ctx.log(`list-secrets: seeding ${COUNT} secrets`);
    await mapBounded(
      Array.from({ length: COUNT }, (_, i) => i),
      (i) => svc.secrets.set(vault, `bench-${String(i).padStart(5, '0')}`, `value-${i}`, { tags: { n: String(i % 10) } }),
      { concurrency: 32 },
    );
    await setLatency(ready.adminUrl, ready.adminKey, LATENCY_MS);

    const credential = credentialOf(ready);
    const counter = countingPolicy();
    const sdk = new SecretClient(vault, credential, { disableChallengeResourceVerification: true, additionalPolicies: [{ policy: counter.policy, position: 'perRetry' }] });
    // Warm both (challenge + token) so only list round trips are timed and counted.
    for await (const _ of sdk.listPropertiesOfSecrets().byPage({ maxPageSize: 1 })) break;
    for await (const _ of svc.secrets.list(vault).byPage({ maxPageSize: 1 })) break;

    const rounds = Math.max(1, Math.round(3 * ctx.scale));
    const oursMs: number[] = [];
    const sdkMs: number[] = [];
    const oursCpu: number[] = [];
    const sdkCpu: number[] = [];
    const firstPageMs: number[] = [];
    let oursTrips = 0;
    let sdkTrips = 0;
    for (let r = 0; r < rounds; r++) {
      // Page by page in turns (who goes first alternates too), so that the machine's load, which changes by the
      // second here, weighs on both sides alike; each side's time is the sum of its own pages.
      const sides = {
        ours: { pages: svc.secrets.list(vault).byPage({ maxPageSize: 25 }), count: () => svc.requestCount(), ms: 0, cpu: 0, n: 0, done: false, before: svc.requestCount() },
        sdk: { pages: sdk.listPropertiesOfSecrets().byPage({ maxPageSize: 25 }), count: () => counter.count(), ms: 0, cpu: 0, n: 0, done: false, before: counter.count() },
      };
      for (let turn = r % 2; !sides.ours.done || !sides.sdk.done; turn ^= 1) {
        for (const name of turn === 0 ? (['ours', 'sdk'] as const) : (['sdk', 'ours'] as const)) {
          const side = sides[name];
          if (side.done) continue;
          const cpu = process.cpuUsage();
          const t = performance.now();
          const page = await (side.pages as AsyncIterableIterator<unknown[] | { items: unknown[] }>).next();
          side.ms += performance.now() - t;
          side.cpu += cpuMicros(cpu);
          if (page.done) {
            side.done = true;
            continue;
          }
          if (name === 'ours' && side.n === 0) firstPageMs.push(side.ms);
          side.n += Array.isArray(page.value) ? page.value.length : page.value.items.length;
        }
      }
      oursTrips = sides.ours.count() - sides.ours.before;
      sdkTrips = sides.sdk.count() - sides.sdk.before;
      if (sides.ours.n !== COUNT) throw new Error(`ours listed ${sides.ours.n} secrets, expected ${COUNT}`);
      if (sides.sdk.n !== COUNT) throw new Error(`the SDK listed ${sides.sdk.n} secrets, expected ${COUNT}`);
      oursMs.push(sides.ours.ms);
      sdkMs.push(sides.sdk.ms);
      oursCpu.push(sides.ours.cpu / oursTrips);
      sdkCpu.push(sides.sdk.cpu / sdkTrips);
      ctx.log(`list-secrets: round ${r + 1}: ours ${Math.round(sides.ours.ms)} ms, SDK ${Math.round(sides.sdk.ms)} ms`);
    }
    svc.dispose();
    const expected = Math.ceil(COUNT / 25);
    const ours = median(oursMs);
    return [
      {
        name: 'list-secrets-5000',
        unit: 'ms',
        ours: Math.round(ours),
        peer: Math.round(median(sdkMs)),
        goal: 'ratio <= 1',
        note: `${COUNT} secrets, ${LATENCY_MS} ms injected latency per request, median of ${rounds}; the two clients take turns page by page. Round trips: ours ${oursTrips}, SDK ${sdkTrips}, minimum ceil(${COUNT}/25) = ${expected}, one after another (each page's nextLink comes with the page before it), so ${expected} × ${LATENCY_MS} ms = ${expected * LATENCY_MS} ms is the physical floor; the rest is both processes' CPU and scheduling. Peer: @azure/keyvault-secrets listPropertiesOfSecrets().`,
      },
      {
        name: 'list-secrets-client-cpu',
        unit: 'µs',
        ours: Math.round(median(oursCpu)),
        peer: Math.round(median(sdkCpu)),
        goal: 'ratio <= 1',
        note: `Client CPU time (this process: pipeline, TLS, parsing, mapping 25 items) per page of the list-secrets-5000 runs, ours vs the SDK; median of ${rounds}. The emulator runs in its own process, so its work is not counted; steadier than wall time on a shared machine.`,
      },
      {
        name: 'first-page-latency',
        unit: 'ms',
        ours: Math.round(median(firstPageMs)),
        peer: Math.round(ours),
        goal: 'ratio <= 0.05',
        note: `Time to the first 25 items (what the tree shows first) vs time to all ${COUNT}, both ours, ${LATENCY_MS} ms latency.`,
      },
    ];
  } finally {
    await emulator.stop();
  }
}

function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

async function setLatency(adminUrl: string, adminKey: string, ms: number): Promise<void> {
  const r = await fetch(`${adminUrl}/latency`, { method: 'PUT', headers: { 'x-emulator-admin-key': adminKey, 'content-type': 'application/json' }, body: JSON.stringify({ ms }) });
  if (!r.ok) throw new Error(`setting latency failed: ${r.status}`);
}
