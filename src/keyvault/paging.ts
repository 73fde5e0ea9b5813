import { KeyVaultError } from './errors';
import type { KeyVaultHttp } from './http/client';

export interface Page<T> {
  items: T[];
  /** Absolute nextLink of the service; pass it back to continue. Undefined on the last page. */
  continuationToken?: string;
}

export interface PageSettings {
  continuationToken?: string;
  /** 1–25 (Key Vault's limit). */
  maxPageSize?: number;
}

/** Async iteration over items, plus `byPage()` so a tree can show page one at once and continue later. */
export interface PagedList<T> extends AsyncIterable<T> {
  byPage(settings?: PageSettings): AsyncIterableIterator<Page<T>>;
}

export const MAX_PAGE_SIZE = 25;

interface WireList<W> {
  value?: W[];
  nextLink?: string | null;
}

export function pagedList<W, T>(http: KeyVaultHttp, firstUrl: string, map: (w: W) => T, options: { abortSignal?: AbortSignal; query?: Record<string, string | number | boolean | undefined> } = {}): PagedList<T> {
  const origin = new URL(firstUrl).origin;
  async function* pages(settings: PageSettings = {}): AsyncIterableIterator<Page<T>> {
    const size = settings.maxPageSize;
    if (size !== undefined && (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE)) {
      throw new KeyVaultError({ kind: 'bad-request', message: `Page size must be between 1 and ${MAX_PAGE_SIZE}, not ${size}.` });
    }
    let next: string | undefined = settings.continuationToken;
    let first = next === undefined;
    // A service that hands back a link it already gave would make us loop forever.
    const seen = new Set<string>();
    while (first || next) {
      let url: string;
      let query: Record<string, string | number | boolean | undefined> | undefined;
      if (first) {
        url = firstUrl;
        query = { ...options.query, ...(size ? { maxresults: size } : {}) };
      } else {
        url = next!;
        if (seen.has(url)) throw new KeyVaultError({ kind: 'server', message: 'The service returned the same next-page link twice; stopped listing.' });
        seen.add(url);
        // A nextLink pointing at another host would carry our request elsewhere: refuse it.
        if (new URL(url).origin !== origin) throw new KeyVaultError({ kind: 'untrusted-host', message: `The service returned a next page on another host (${new URL(url).host}); refusing to follow it.` });
      }
      first = false;
      const result = await http.send<WireList<W>>('GET', url, { ...(query ? { query } : {}), ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}) });
      next = result.body?.nextLink ?? undefined;
      yield { items: (result.body?.value ?? []).map(map), ...(next ? { continuationToken: next } : {}) };
    }
  }
  return {
    byPage: pages,
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) yield* page.items;
    },
  };
}
