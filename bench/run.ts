import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadOrCreateCa } from '../test/emulator/tls';
import { goalMet, withRatio } from './lib/goals';
import { renderMarkdown, renderTable } from './lib/table';
import type { Benchmark, BenchContext, BenchResult } from './lib/types';

// `npm run bench [-- name…]`: runs every benchmark module in bench/ (or those whose file names contain one of the
// given words), prints one table and writes bench/results.json. Benchmarks report; they never fail the build.

const repoRoot = resolve(__dirname, '..');
const benchDir = join(repoRoot, 'bench');
const resultsFile = join(benchDir, 'results.json');
const caDir = process.env.KEYVAULT_EMULATOR_CA_DIR ?? join(repoRoot, 'test-results', 'emulator-ca');

/**
 * Node reads NODE_EXTRA_CA_CERTS only at start-up, so the runner makes sure the emulator CA exists and, if this
 * process does not trust it yet, runs itself again with the variable set.
 */
function ensureTrust(): { caCertFile: string } | undefined {
  const { caCertFile } = loadOrCreateCa(caDir);
  if (process.env.NODE_EXTRA_CA_CERTS === caCertFile && process.env.KEYVAULT_EMULATOR_CA_DIR === caDir) return { caCertFile };
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(benchDir, 'run.ts'), ...process.argv.slice(2)], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caCertFile, KEYVAULT_EMULATOR_CA_DIR: caDir },
  });
  process.exitCode = result.status ?? 1;
  return undefined;
}

/** Benchmarks that wait for the code-server tier's lock run last, so a long test run elsewhere does not hold up the rest. */
const LAST = new Set(['activation.ts']);

function benchmarkFiles(filters: string[]): string[] {
  return readdirSync(benchDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'run.ts')
    .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
    .sort((a, b) => Number(LAST.has(a)) - Number(LAST.has(b)) || a.localeCompare(b));
}

async function load(file: string): Promise<Benchmark> {
  const mod = (await import(pathToFileURL(join(benchDir, file)).href)) as { default?: unknown; benchmark?: unknown };
  // tsx may hand a CommonJS module's exports over as `default`.
  const candidates = [mod.default, (mod.default as { default?: unknown } | undefined)?.default, mod.benchmark, (mod.default as { benchmark?: unknown } | undefined)?.benchmark];
  const fn = candidates.find((c) => typeof c === 'function');
  if (!fn) throw new Error(`bench/${file} exports no benchmark function (export default async function (ctx) { return rows; })`);
  return fn as Benchmark;
}

const DOC = join(repoRoot, 'docs', 'PERFORMANCE.md');
const DOC_START = '<!-- bench:results:start -->';
const DOC_END = '<!-- bench:results:end -->';

/** Rewrites the results section of docs/PERFORMANCE.md (between its markers) from the given rows. */
function updateDoc(rows: readonly BenchResult[], filters: readonly string[]): void {
  if (!existsSync(DOC)) return;
  const text = readFileSync(DOC, 'utf8');
  const start = text.indexOf(DOC_START);
  const end = text.indexOf(DOC_END);
  if (start < 0 || end < start) return;
  const when = `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const what = filters.length ? `Rows of ${filters.map((f) => `\`${f}\``).join(', ')} from a run of ${when}, the others from earlier runs` : `Full run of ${when}`;
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  const stamp = `${what}; Node ${process.version}, ${cpus().length} CPUs, load average ${load} at the end.`;
  const body = `${DOC_START}\n${stamp}\n\n${renderMarkdown(rows)}\n${DOC_END}`;
  writeFileSync(DOC, text.slice(0, start) + body + text.slice(end + DOC_END.length));
  console.error('bench: docs/PERFORMANCE.md updated');
}

async function main(): Promise<void> {
  const trust = ensureTrust();
  if (!trust) return;
  const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const scale = Number(process.env.BENCH_SCALE ?? '1');
  const ctx: BenchContext = {
    repoRoot,
    caDir,
    caCertFile: trust.caCertFile,
    scale: Number.isFinite(scale) && scale > 0 ? scale : 1,
    log: (message) => console.error(`  ${message}`),
  };
  const results: BenchResult[] = [];
  for (const file of benchmarkFiles(filters)) {
    const name = file.replace(/\.ts$/, '');
    console.error(`bench: ${name}`);
    const started = performance.now();
    try {
      const rows = await (await load(file))(ctx);
      results.push(...rows.map(withRatio));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      console.error(`bench: ${name} failed: ${message}`);
      results.push(withRatio({ name, unit: '', ours: null, peer: null, goal: '', note: `failed: ${message}` }));
    }
    console.error(`bench: ${name} took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  // A partial run (with name filters) updates its rows and keeps the others' last results.
  let written = results;
  if (filters.length > 0 && existsSync(resultsFile)) {
    const previous = JSON.parse(readFileSync(resultsFile, 'utf8')) as BenchResult[];
    const fresh = new Set(results.map((r) => r.name));
    written = [...previous.filter((r) => !fresh.has(r.name)), ...results];
  }
  const tmp = `${resultsFile}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(written.map(({ name, unit, ours, peer, ratio, goal, note }) => ({ name, unit, ours, peer, ratio, goal, note })), null, 2)}\n`);
  renameSync(tmp, resultsFile);

  // docs/PERFORMANCE.md carries the latest full run (bench/results.json itself is not committed).
  if (filters.length === 0 || process.argv.includes('--update-doc')) updateDoc(written, filters);
  else console.error('bench: docs/PERFORMANCE.md not updated by a partial run (add --update-doc to update it with the merged results)');

  console.log(renderTable(results));
  const missed = results.filter((r) => goalMet(r) === false).map((r) => r.name);
  const kept = written.length - results.length;
  console.log(
    `\n${results.length} results written to bench/results.json${kept ? ` (beside ${kept} kept from the last run)` : ''}` +
      `${missed.length ? `; goals missed: ${missed.join(', ')}` : '; every judged goal met'}.`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
