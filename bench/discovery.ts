import { ArmClient } from '../src/azure/arm';
import { customCloud } from '../src/azure/clouds';
import { Discovery } from '../src/azure/discovery';
import { credentialOf, median } from './lib/clients';
import { startEmulatorProcess } from './lib/emulator-process';
import type { BenchContext, BenchRow } from './lib/types';

// `discovery-50-subscriptions`: find every vault and HSM across 50 subscriptions with 20 ms latency per request:
// one Resource Graph query (paged) vs Resource Manager per subscription (bounded concurrency), both ours.

const SUBSCRIPTIONS = 50;
const LATENCY_MS = 20;

export default async function discovery(ctx: BenchContext): Promise<BenchRow[]> {
  const emulator = await startEmulatorProcess(ctx, ['--seed', 'empty', '--synthetic-subscriptions', String(SUBSCRIPTIONS), '--latency-ms', String(LATENCY_MS)]);
  try {
    const { ready } = emulator;
    const cloud = customCloud({ resourceManagerEndpoint: ready.armEndpoint, loginEndpoint: ready.authorityHost });
    const arm = new ArmClient({ credential: credentialOf(ready), cloud });
    const d = new Discovery(arm);
    const subs = (await d.listSubscriptions()).map((s) => s.subscriptionId);
    if (subs.length < SUBSCRIPTIONS) throw new Error(`expected ${SUBSCRIPTIONS}+ subscriptions, got ${subs.length}`);
    const rounds = Math.max(1, Math.round(3 * ctx.scale));
    const graph: number[] = [];
    const perSub: number[] = [];
    let graphTrips = 0;
    let armTrips = 0;
    let found = 0;
    for (let r = 0; r < rounds; r++) {
      let before = arm.requestCount;
      let t = performance.now();
      const viaGraph = await d.discover(subs);
      graph.push(performance.now() - t);
      graphTrips = arm.requestCount - before;
      if (viaGraph.via !== 'resource-graph') throw new Error('Resource Graph was not used');
      before = arm.requestCount;
      t = performance.now();
      const viaArm = await d.discover(subs, { via: 'arm' });
      perSub.push(performance.now() - t);
      armTrips = arm.requestCount - before;
      if (viaArm.containers.length !== viaGraph.containers.length) throw new Error(`Resource Graph found ${viaGraph.containers.length}, ARM ${viaArm.containers.length}`);
      found = viaGraph.containers.length;
    }
    return [
      {
        name: 'discovery-50-subscriptions',
        unit: 'ms',
        ours: Math.round(median(graph)),
        peer: Math.round(median(perSub)),
        goal: 'ratio <= 0.2',
        note: `${subs.length} subscriptions, ${found} vaults/HSMs, ${LATENCY_MS} ms latency; ours: one Resource Graph query stream (${graphTrips} round trips); peer: ARM per subscription, vaults + managedHSMs, 6 in flight (${armTrips} round trips); median of ${rounds}.`,
      },
    ];
  } finally {
    await emulator.stop();
  }
}
