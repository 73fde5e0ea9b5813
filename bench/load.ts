import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { median } from './lib/clients';
import type { BenchContext, BenchRow } from './lib/types';

// `extension-load`: what loading dist/extension.js costs before activate() even runs (reading, compiling and
// evaluating the bundle), in fresh Node processes with a behaviour-free `vscode` stand-in (bench/lib/load-probe.cjs),
// and activate() itself there. CPU time is the headline: wall time on a shared machine mostly measures the others.
// Also checks that no dist/lazy bundle loads during require or activate(). Peer: the same sources bundled the plain
// way (one bundle, no lazy packages, every module its own copy of the vscode namespace), as the extension shipped before.

const RUNS = 9;

interface Probe {
  requireMs: number;
  requireCpuMs: number;
  activateMs: number;
  activateCpuMs: number;
  activateError?: string;
  loadedAtRequire: string[];
  loadedAfterActivate: string[];
  bytes: number;
}

export default async function load(ctx: BenchContext): Promise<BenchRow[]> {
  // The release build, as packaged (bundle-size builds it too; this keeps `npm run bench -- load` self-contained).
  const build = spawnSync(process.execPath, [join(ctx.repoRoot, 'esbuild.js'), '--production'], { cwd: ctx.repoRoot, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`the production build failed: ${build.stderr || build.stdout}`);
  const bundle = join(ctx.repoRoot, 'dist', 'extension.js');
  const plainDir = mkdtempSync(join(tmpdir(), 'kv-bench-plain-'));
  const plain = join(plainDir, 'dist', 'extension.js');
  const probe = (file: string): Probe => {
    const r = spawnSync(process.execPath, [join(ctx.repoRoot, 'bench', 'lib', 'load-probe.cjs'), file], { cwd: ctx.repoRoot, encoding: 'utf8', env: { ...process.env, KEYVAULT_EMULATOR_READY_FILE: '' } });
    if (r.status !== 0) throw new Error(`load probe failed: ${r.stderr || r.stdout}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as Probe;
  };
  const probes: Probe[] = [];
  const plainProbes: Probe[] = [];
  try {
    mkdirSync(join(plainDir, 'dist'));
    copyFileSync(join(ctx.repoRoot, 'package.json'), join(plainDir, 'package.json'));
    await esbuild.build({ entryPoints: [join(ctx.repoRoot, 'src', 'extension.ts')], outfile: plain, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], minify: true, logLevel: 'silent' });
    // Alternating, so that the machine's load changes affect both alike.
    for (let i = 0; i < Math.max(3, Math.round(RUNS * ctx.scale)); i++) {
      probes.push(probe(bundle));
      plainProbes.push(probe(plain));
    }
  } finally {
    rmSync(plainDir, { recursive: true, force: true });
  }
  const failed = probes.find((p) => p.activateError);
  if (failed) throw new Error(`activate() threw with the vscode stand-in: ${failed.activateError}`);
  const eager = [...new Set(probes.flatMap((p) => p.loadedAfterActivate))];
  const lazyDir = join(ctx.repoRoot, 'dist', 'lazy');
  const lazy = existsSync(lazyDir) ? readdirSync(lazyDir).filter((f) => f.endsWith('.js')) : [];
  const lazyKb = lazy.map((f) => `${f} ${Math.round(statSync(join(lazyDir, f)).size / 1024)} KB`).join(', ');
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  const cpu = probes.map((p) => p.requireCpuMs);
  return [
    {
      name: 'extension-load',
      unit: 'ms',
      ours: Number(median(cpu).toFixed(1)),
      peer: Number(median(plainProbes.map((p) => p.requireCpuMs)).toFixed(1)),
      goal: '<= 50',
      note: `CPU time to require dist/extension.js (${Math.round(probes[0]!.bytes / 1024)} KB, minified) in a fresh Node ${process.version} process: read, compile, evaluate; median of ${probes.length} (${fmt(cpu)} ms; wall ${fmt(probes.map((p) => p.requireMs))} ms). Includes loading Node built-ins (https, tls) that VS Code's extension host has already loaded. ${eager.length ? `EAGER: ${eager.join(', ')} loaded during require/activate()!` : `No lazy bundle loaded during require and activate() (${lazyKb}).`} Peer: the same sources as one plain bundle (${Math.round(plainProbes[0]!.bytes / 1024)} KB).`,
    },
    {
      name: 'activate-node',
      unit: 'ms',
      ours: Number(median(probes.map((p) => p.activateCpuMs)).toFixed(1)),
      peer: null,
      goal: '<= 50',
      note: `CPU time of activate() in the same processes with a behaviour-free vscode stand-in (no extension host, no IPC): our own work at activation, median of ${probes.length}. The activation row is the same call in code-server.`,
    },
  ];
}
