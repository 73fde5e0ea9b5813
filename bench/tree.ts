import './lib/vscode-stub';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AccountSession } from '../src/accounts/types';
import type { TreeContext } from '../src/tree/context';
import type { BenchContext, BenchRow } from './lib/types';

// `tree-10000`: build 10,000 object nodes with their tree items (labels, descriptions, tooltips, context flags)
// from listed secrets, then apply a filter and re-render the matches: time and heap growth, in plain Node with the
// few vscode constructors stubbed (bench/lib/vscode-stub.ts).

const N = 10_000;

export default async function tree(_ctx: BenchContext): Promise<BenchRow[]> {
  const { secretView } = await import('../src/tree/model/objectView');
  const { compileFilter, parseFilter } = await import('../src/tree/model/filter');
  const { ObjectNode } = await import('../src/tree/nodes/ObjectNode');
  const now = Date.now();
  const vault = 'https://bench.vault.azure.net';
  const props = Array.from({ length: N }, (_, i) => ({
    id: `${vault}/secrets/app-${i % 7}-setting-${i}`,
    vaultUrl: vault,
    name: `app-${i % 7}-setting-${i}`,
    tags: { env: i % 2 ? 'prod' : 'dev', app: `app-${i % 7}` },
    managed: i % 50 === 0,
    contentType: i % 3 ? 'text/plain' : 'application/json',
    attributes: { enabled: i % 11 !== 0, createdOn: new Date(now - i * 60_000), updatedOn: new Date(now), ...(i % 13 === 0 ? { expiresOn: new Date(now + (i % 60) * 86_400_000) } : {}), recoveryLevel: 'Recoverable+Purgeable' },
  }));
  const config = { expiryWarningDays: 30, pageSize: 25 };
  const ctx = { config: () => config, now: () => now, filters: new Map(), refresh: () => undefined } as unknown as TreeContext;
  const session = { id: 'bench' } as AccountSession;
  const parent = { id: 'parent', getTreeItem: () => ({}) } as never;

  // A GC before each reading, so heap growth is what the nodes keep alive, not garbage not yet collected.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const run = (): { ms: number; heapMb: number; matches: number } => {
    gc();
    const heap0 = process.memoryUsage().heapUsed;
    // CPU time, not wall time: on a shared 2-core machine other work would otherwise dominate the number.
    const t0 = process.cpuUsage();
    const nodes = props.map((p) => new ObjectNode(secretView(p), 'object', session, parent, ctx));
    for (const n of nodes) n.getTreeItem();
    const filter = (parseFilter('setting tag:env=prod is:enabled') as { filter: object }).filter;
    const matches = compileFilter(filter, 30, now);
    const shown = nodes.filter((n) => matches(n.view));
    for (const n of shown) n.getTreeItem();
    const used = process.cpuUsage(t0);
    const ms = (used.user + used.system) / 1000;
    gc();
    const heapMb = (process.memoryUsage().heapUsed - heap0) / 1e6;
    // Keep the nodes alive until the heap was read: they are what a rendered tree holds.
    if (nodes.length !== N) throw new Error('lost nodes');
    if (shown.length === 0 || shown.length === nodes.length) throw new Error('the filter did not filter');
    return { ms, heapMb, matches: shown.length };
  };
  run(); // warm-up (JIT)
  const results = [run(), run(), run()].sort((a, b) => a.ms - b.ms);
  const median = results[1]!;
  return [
    { name: 'tree-10000', unit: 'ms', ours: Number(median.ms.toFixed(1)), peer: null, goal: '<= 50', note: `10,000 secret nodes built with tree items, then a filter (name + tag + state) applied and ${median.matches} matches re-rendered; median of 3 after a warm-up, vscode constructors stubbed; process CPU time (wall time on a loaded machine is not ours to count).` },
    { name: 'tree-10000-heap', unit: 'MB', ours: Number(Math.max(0, median.heapMb).toFixed(1)), peer: null, goal: '<= 50', note: 'Heap retained by the 10,000 nodes and their views after a GC (tree items are not retained: VS Code copies them).' },
  ];
}
