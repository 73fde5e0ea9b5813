/**
 * One line of the benchmark table. `goal` is a small expression checked against the numbers:
 * `>= 2000` or `<= 50` (on `ours`), `ratio >= 1` or `ratio <= 0.5` (on ours / peer), or '' for report-only.
 */
export interface BenchRow {
  name: string;
  unit: string;
  ours: number | null;
  /** The same measurement for the peer (the official SDK, a trivial server, the physical limit…); null if none. */
  peer: number | null;
  goal: string;
  /** What was measured and how, and anything a reader needs to trust the number. */
  note: string;
}

/** A row as written to bench/results.json. */
export interface BenchResult extends BenchRow {
  ratio: number | null;
}

export interface BenchContext {
  repoRoot: string;
  /** The CA every emulator started for benchmarks uses; this process trusts it (NODE_EXTRA_CA_CERTS). */
  caDir: string;
  caCertFile: string;
  /** Scales every benchmark's measuring time (BENCH_SCALE, default 1): lower for a quick check. */
  scale: number;
  log(message: string): void;
}

/** What each bench/*.ts module exports (as `default` or as `benchmark`). */
export type Benchmark = (ctx: BenchContext) => Promise<BenchRow[]>;
