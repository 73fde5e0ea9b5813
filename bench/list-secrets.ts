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
    const runOurs = async (): Promise<void> => {
      const before = svc.requestCount();
      const cpu = process.cpuUsage();
      const t = performance.now();
      let n = 0;
      let first = true;
      for await (const page of svc.secrets.list(vault).byPage({ maxPageSize: 25 })) {
        if (first) {
          firstPageMs.push(performance.now() - t);
          first = false;
        }
        n += page.items.length;
      }
      oursMs.push(performance.now() - t);
      oursCpu.push(cpuMicros(cpu) / (svc.requestCount() - before));
      oursTrips = svc.requestCount() - before;
      if (n !== COUNT) throw new Error(`ours listed ${n} secrets, expected ${COUNT}`);
    };
    const runSdk = async (): Promise<void> => {
      const before = counter.count();
      const cpu = process.cpuUsage();
      const t = performance.now();
      let n = 0;
      for await (const _ of sdk.listPropertiesOfSecrets()) n++;
      sdkMs.push(performance.now() - t);
      sdkCpu.push(cpuMicros(cpu) / (counter.count() - before));
      sdkTrips = counter.count() - before;
      if (n !== COUNT) throw new Error(`the SDK listed ${n} secrets, expected ${COUNT}`);
    };
    // Alternating who goes first, so that a change in the machine's load does not favour one side.
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) {
        await runOurs();
        await runSdk();
      } else {
        await runSdk();
        await runOurs();
      }
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
        note: `${COUNT} secrets, ${LATENCY_MS} ms injected latency per request, median of ${rounds}, alternating who goes first. Round trips: ours ${oursTrips}, SDK ${sdkTrips}, minimum ceil(${COUNT}/25) = ${expected}, one after another (each page's nextLink comes with the page before it), so ${expected} × ${LATENCY_MS} ms = ${expected * LATENCY_MS} ms is the physical floor; the rest is both processes' CPU and scheduling. Peer: @azure/keyvault-secrets listPropertiesOfSecrets().`,
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
