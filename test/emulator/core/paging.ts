import { badParameter } from './errors';

const MAX_RESULTS = 25;

/**
 * Pages a list the way Key Vault does: `maxresults` 1–25 (else 400), `value` plus an absolute `nextLink`
 * carrying an opaque `$skiptoken` and the same api-version, or `nextLink: null` on the last page.
 */
export function pageOf<T, R = T>(items: readonly T[], url: URL, map?: (item: T) => R, defaultPageSize = MAX_RESULTS): { value: R[]; nextLink: string | null } {
  const raw = url.searchParams.get('maxresults');
  let size = defaultPageSize;
  if (raw !== null) {
    size = Number(raw);
    if (!Number.isInteger(size) || size < 1 || size > MAX_RESULTS) {
      throw badParameter(`invalid maxresults: '${raw}'. maxresults must be an integer between 1 and ${MAX_RESULTS}.`);
    }
  }
  const token = url.searchParams.get('$skiptoken');
  let offset = 0;
  if (token !== null) {
    const decoded = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^offset:/, ''));
    if (!Number.isInteger(decoded) || decoded < 0) throw badParameter('The $skiptoken is not valid.');
    offset = decoded;
  }
  // Map only the page: a vault with thousands of objects must not pay for all of them on every page.
  const slice = items.slice(offset, offset + size);
  const value = map ? slice.map(map) : (slice as unknown as R[]);
  let nextLink: string | null = null;
  if (offset + size < items.length) {
    const next = new URL(url.toString());
    next.searchParams.set('$skiptoken', Buffer.from(`offset:${offset + size}`).toString('base64url'));
    next.searchParams.set('maxresults', String(size));
    nextLink = next.toString();
  }
  return { value, nextLink };
}
