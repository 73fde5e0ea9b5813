import { invalidInput } from './invalid';

// Rotation policies time their actions with ISO 8601 durations (P90D, P3M, P1Y, PT48H). They are checked here so a
// typo is refused before the round trip, and rendered as words for the tree and the policy editor.

export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const PATTERN = /^P(?:(\d{1,6})Y)?(?:(\d{1,6})M)?(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,6})S)?)?$/;

/** Parses `PnYnMnWnDTnHnMnS` (whole numbers); undefined when the text is not such a duration. */
export function tryParseIsoDuration(text: string): IsoDuration | undefined {
  const m = PATTERN.exec(text);
  // "P" alone and a "T" with nothing after it match the pattern but are not durations.
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [years, months, weeks, days, hours, minutes, seconds] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v))) as [number, number, number, number, number, number, number];
  return { years, months, weeks, days, hours, minutes, seconds };
}

/** Like tryParseIsoDuration, but a KeyVaultError 'bad-request' naming the field when the text is not a duration. */
export function parseIsoDuration(text: string, field = 'duration'): IsoDuration {
  const d = typeof text === 'string' ? tryParseIsoDuration(text) : undefined;
  if (!d) throw invalidInput(`${field} '${String(text)}' is not an ISO 8601 duration.`, 'Write durations such as P90D (90 days), P3M (3 months), P1Y (1 year) or PT48H (48 hours).');
  return d;
}

const UNITS: [keyof IsoDuration, string][] = [
  ['years', 'year'],
  ['months', 'month'],
  ['weeks', 'week'],
  ['days', 'day'],
  ['hours', 'hour'],
  ['minutes', 'minute'],
  ['seconds', 'second'],
];

/** "P90D" → "90 days", "P1Y6M" → "1 year, 6 months"; text that is not a duration comes back unchanged. */
export function durationLabel(text: string): string {
  const d = tryParseIsoDuration(text);
  if (!d) return text;
  const parts = UNITS.filter(([unit]) => d[unit] > 0).map(([unit, word]) => `${d[unit]} ${word}${d[unit] === 1 ? '' : 's'}`);
  return parts.length ? parts.join(', ') : '0 days';
}
