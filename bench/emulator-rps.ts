import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ClientSecretCredential } from '@azure/identity';
import { processCpuSeconds } from './lib/cpu';
import { startEmulatorProcess } from './lib/emulator-process';
import { runLoad, type LoadResult } from './lib/load';
import type { BenchContext, BenchRow } from './lib/types';

// `emulator-rps`: how many simple authenticated GETs of one secret the emulator answers per second with a few
// concurrent keep-alive clients. The emulator runs in its own process; the peer is a trivial HTTPS server that
// answers a fixed JSON body, so ours/peer shows the emulator's overhead over bare TLS + HTTP on this machine.

const CONCURRENCY = 8;
const ROUNDS = 3;

interface Measured extends LoadResult {
  /** Server CPU time per answered request, in µs (null without /proc). */
  cpuMicros: number | null;
}

async function measure(ctx: BenchContext, url: string, headers: Record<string, string>, serverPid: number): Promise<Measured> {
  const durationMs = Math.max(500, 2000 * ctx.scale);
  await runLoad({ url, headers, concurrency: CONCURRENCY, durationMs: Math.min(500, durationMs) }); // warm-up
  const rounds: Measured[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const before = processCpuSeconds(serverPid);
    const result = await runLoad({ url, headers, concurrency: CONCURRENCY, durationMs });
    const after = processCpuSeconds(serverPid);
    rounds.push({ ...result, cpuMicros: before === null || after === null || !result.requests ? null : ((after - before) * 1e6) / result.requests });
  }
  // The best round, and the least CPU per request: other work on a shared machine only ever makes a round worse.
  const best = rounds.reduce((a, b) => (b.rps > a.rps ? b : a));
  const cpu = rounds.map((r) => r.cpuMicros).filter((c): c is number => c !== null);
  return { ...best, cpuMicros: cpu.length ? Math.min(...cpu) : null };
}

async function startPeer(ctx: BenchContext): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/peer-server.ts', ctx.caDir], { cwd: ctx.repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the peer server exited with ${code}`)));
  });
  const { port } = JSON.parse(line) as { port: number };
  return {
    url: `https://127.0.0.1:${port}/secrets/bench-secret?api-version=7.5`,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export default async function emulatorRps(ctx: BenchContext): Promise<BenchRow[]> {
  const emulator = await startEmulatorProcess(ctx, ['--seed', 'empty']);
  let ours: Measured;
  let peer: Measured;
  try {
    const { ready } = emulator;
    const vault = ready.vaults[0]!.url;
    const credential = new ClientSecretCredential(ready.tenantId, ready.clientId, ready.clientSecret, { authorityHost: ready.authorityHost, disableInstanceDiscovery: true });
    const token = (await credential.getToken(`${vault}/.default`)).token;
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
    const put = await fetch(`${vault}/secrets/bench-secret?api-version=7.5`, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ value: 'benchmark-value-0123456789', tags: { purpose: 'benchmark' } }),
    });
    if (put.status !== 200) throw new Error(`setting the benchmark secret failed: ${put.status} ${await put.text()}`);
    ctx.log(`emulator-rps: ${CONCURRENCY} clients against the emulator (pid ${ready.pid})`);
    ours = await measure(ctx, `${vault}/secrets/bench-secret?api-version=7.5`, headers, ready.pid);
  } finally {
    await emulator.stop();
  }
  const server = await startPeer(ctx);
  try {
    ctx.log(`emulator-rps: ${CONCURRENCY} clients against the trivial HTTPS server`);
    peer = await measure(ctx, server.url, { accept: 'application/json' }, server.pid);
  } finally {
    await server.stop();
  }
  const describe = (r: Measured): string =>
    `p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms, ${r.errors} errors${r.cpuMicros === null ? '' : `, ${Math.round(r.cpuMicros)} µs server CPU per request`}`;
  const seconds = (Math.max(500, 2000 * ctx.scale) / 1000).toFixed(1);
  const rows: BenchRow[] = [
    {
      name: 'emulator-rps',
      unit: 'req/s',
      ours: Math.round(ours.rps),
      peer: Math.round(peer.rps),
      goal: '>= 2000',
      note:
        `Authenticated GET of one secret (bearer token checked on every request), ${CONCURRENCY} concurrent keep-alive HTTPS clients, ` +
        `best of ${ROUNDS} rounds of ${seconds} s; emulator in its own process (${describe(ours)}). ` +
        `Peer: a trivial node https server answering a fixed JSON body of similar size (${describe(peer)}). ` +
        `Wall-clock numbers: other work on the machine lowers them.`,
    },
  ];
  if (ours.cpuMicros !== null && peer.cpuMicros !== null) {
    rows.push({
      name: 'emulator-cpu-per-request',
      unit: 'µs',
      ours: Math.round(ours.cpuMicros),
      peer: Math.round(peer.cpuMicros),
      goal: '<= 500',
      note:
        `Server CPU time (user + system, from /proc) per answered request in the emulator-rps run, ours vs the trivial HTTPS server. ` +
        `500 µs is 2,000 requests/s on one core; steadier than req/s on a shared machine.`,
    });
  }
  return rows;
}
