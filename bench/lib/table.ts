import { goalMet } from './goals';
import type { BenchResult } from './types';

const formatNumber = (n: number | null): string => {
  if (n === null) return '—';
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  return Number(n.toPrecision(3)).toString();
};

const HEADER = ['name', 'unit', 'ours', 'peer', 'ratio', 'goal', 'met?'];

function cells(rows: readonly BenchResult[]): string[][] {
  return rows.map((r) => {
    const met = goalMet(r);
    return [r.name, r.unit, formatNumber(r.ours), formatNumber(r.peer), r.ratio === null ? '—' : r.ratio.toFixed(2), r.goal || '—', met === null ? '—' : met ? 'yes' : 'NO'];
  });
}

/** The same table in Markdown, with each row's note below it (docs/PERFORMANCE.md shows the latest results). */
export function renderMarkdown(rows: readonly BenchResult[]): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const table = [`| ${HEADER.join(' | ')} |`, `|${HEADER.map((_, i) => ([2, 3, 4].includes(i) ? ' ---: ' : ' --- ')).join('|')}|`, ...cells(rows).map((c) => `| ${c.map(esc).join(' | ')} |`)];
  const notes = rows.map((r) => `- **${r.name}**: ${r.note}`);
  return [...table, '', ...notes].join('\n');
}

/** The one table `npm run bench` prints: name, unit, ours, peer, ratio, goal, met?. */
export function renderTable(rows: readonly BenchResult[]): string {
  const header = HEADER;
  const body = cells(rows);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const numeric = new Set([2, 3, 4]);
  const line = (cells: string[]): string => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
