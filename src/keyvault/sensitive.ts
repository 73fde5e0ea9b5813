/**
 * Values that must never be shown or logged: every secret value the service layer sent or received in this
 * session. Error messages and log lines pass through `maskSensitive` before they reach a user or the log, so even
 * a message that quotes a value by accident (a parse error, a server echo) shows `***` instead.
 * Pure (no `vscode`): the REST layer registers, the UI masks.
 */
const MAX_VALUES = 2000;
/** Shorter values would mask ordinary words; a value this short is not worth hiding this way. */
const MIN_LENGTH = 6;
const values = new Set<string>();
/** Longest first, so a value that contains another is masked whole; rebuilt after a change. */
let byLength: string[] | undefined;

export function registerSensitive(value: string | undefined): void {
  if (!value || value.length < MIN_LENGTH) return;
  // Most recently used last, so the oldest is evicted first.
  values.delete(value);
  values.add(value);
  if (values.size > MAX_VALUES) values.delete(values.values().next().value as string);
  byLength = undefined;
}

const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{16,}/gi;
const PRIVATE_KEY = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g;

export function maskSensitive(text: string): string {
  let out = text.replace(PRIVATE_KEY, '-----BEGIN $1PRIVATE KEY----- *** -----END $1PRIVATE KEY-----').replace(JWT, '***').replace(BEARER, '$1 ***');
  byLength ??= [...values].sort((a, b) => b.length - a.length);
  for (const v of byLength) if (out.includes(v)) out = out.split(v).join('***');
  return out;
}

/** For tests: forget everything registered. */
export function clearSensitiveForTests(): void {
  values.clear();
  byLength = undefined;
}
