import type { BenchResult, BenchRow } from './types';

const GOAL = /^\s*(ratio\s+)?(>=|<=)\s*(-?\d+(?:\.\d+)?)\s*$/;

export function ratioOf(row: BenchRow): number | null {
  if (row.ours === null || row.peer === null || row.peer === 0) return null;
  return row.ours / row.peer;
}

export function withRatio(row: BenchRow): BenchResult {
  const ratio = ratioOf(row);
  return { ...row, ratio: ratio === null ? null : Number(ratio.toFixed(3)) };
}

/** true / false when the goal can be judged, null when there is no goal or a number is missing. */
export function goalMet(row: BenchResult): boolean | null {
  if (!row.goal.trim()) return null;
  const m = GOAL.exec(row.goal);
  if (!m) throw new Error(`${row.name}: goal '${row.goal}' is not of the form '>= N', '<= N', 'ratio >= N' or 'ratio <= N'`);
  const value = m[1] ? row.ratio : row.ours;
  if (value === null) return null;
  const target = Number(m[3]);
  return m[2] === '>=' ? value >= target : value <= target;
}
