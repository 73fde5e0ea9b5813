import { badRequest } from './errors';

/**
 * ARM paging: `value` plus an absolute `nextLink` carrying `$skiptoken` (omitted on the last page).
 * `$top`, where an API has it, sets the page size.
 */
export function armPage<T>(items: readonly T[], url: URL, defaultSize = 100): { value: T[]; nextLink?: string } {
  const top = url.searchParams.get('$top');
  let size = defaultSize;
  if (top !== null) {
    size = Number(top);
    if (!Number.isInteger(size) || size < 1 || size > 1000) throw badRequest('InvalidTopValue', `The value '${top}' of $top is not valid: it must be an integer from 1 to 1000.`);
  }
  const offset = decodeSkipToken(url.searchParams.get('$skiptoken') ?? url.searchParams.get('$skipToken'));
  const value = items.slice(offset, offset + size);
  if (offset + size >= items.length) return { value };
  const next = new URL(url.toString());
  next.searchParams.delete('$skipToken');
  next.searchParams.set('$skiptoken', encodeSkipToken(offset + size));
  return { value, nextLink: next.toString() };
}

export const encodeSkipToken = (offset: number): string => Buffer.from(JSON.stringify({ o: offset })).toString('base64url');

export function decodeSkipToken(token: string | null | undefined): number {
  if (token === null || token === undefined || token === '') return 0;
  try {
    const o = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown }).o;
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // fall through to the error below
  }
  throw badRequest('InvalidSkipToken', `The skip token '${token}' is not valid.`);
}
