import type { Page } from '../../keyvault/paging';

/**
 * Pages of a listing kept for a tree node: the first page after one round trip, more on "Load more", nothing
 * loaded silently. Errors are kept (not thrown) so the node can show an error child with Retry.
 */
export class PagedLoader<T> {
  items: T[] = [];
  continuationToken: string | undefined;
  loaded = false;
  error: unknown;
  private inflight: Promise<void> | undefined;
  /** Bumped by reset(): an answer to a request made before it is dropped, so a stale listing never wins. */
  private generation = 0;

  constructor(private readonly fetchPage: (continuationToken: string | undefined) => Promise<Page<T>>) {}

  get hasMore(): boolean {
    return this.continuationToken !== undefined;
  }

  /**
   * Loads page one once; concurrent callers share the request. A refresh while it was on its way drops that answer,
   * so the callers wait for the refreshed listing instead (a few times at most, should refreshes keep coming).
   */
  async ensureFirstPage(): Promise<void> {
    for (let attempt = 0; attempt < 5 && !this.loaded && this.error === undefined; attempt++) await this.load(undefined);
  }

  loadMore(): Promise<void> {
    if (!this.continuationToken) return Promise.resolve();
    return this.load(this.continuationToken);
  }

  reset(): void {
    this.generation++;
    this.items = [];
    this.continuationToken = undefined;
    this.loaded = false;
    this.error = undefined;
    this.inflight = undefined;
  }

  private load(token: string | undefined): Promise<void> {
    const generation = this.generation;
    this.inflight ??= (async () => {
      try {
        const page = await this.fetchPage(token);
        // A refresh came while this page was on its way (e.g. after a create): its answer is older than the reload's.
        if (generation !== this.generation) return;
        this.items = token === undefined ? page.items : this.items.concat(page.items);
        this.continuationToken = page.continuationToken;
        this.loaded = true;
        this.error = undefined;
      } catch (err) {
        if (generation === this.generation) this.error = err;
      } finally {
        if (generation === this.generation) this.inflight = undefined;
      }
    })();
    return this.inflight;
  }
}

/** The first page of a PagedList's byPage() from a continuation token. */
export async function firstPage<T>(pages: AsyncIterableIterator<Page<T>>): Promise<Page<T>> {
  const r = await pages.next();
  // Stop the generator: the next page is fetched later from the continuation token, not from this iterator.
  await pages.return?.(undefined);
  return r.done ? { items: [] } : r.value;
}
