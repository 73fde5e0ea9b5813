// Concurrency of the tree's listings, in plain Node: refreshes that land while a page is still loading must not let
// the older answer overwrite the newer one (a refresh after a create would otherwise show the listing from before
// it), and many concurrent expansions share one request. The code-server suite (faults-concurrency.test.ts) drives
// the same through the real tree against the emulator.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PagedLoader } from '../../src/tree/model/pagedLoader';
import type { Page } from '../../src/keyvault/paging';

/** A page source whose answers the test releases in any order. */
function controlledSource() {
  const pending: { token: string | undefined; resolve: (p: Page<string>) => void; reject: (e: unknown) => void }[] = [];
  let calls = 0;
  const fetch = (token: string | undefined): Promise<Page<string>> => {
    calls++;
    return new Promise((resolve, reject) => pending.push({ token, resolve, reject }));
  };
  return { fetch, pending, calls: () => calls };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('tree listings under concurrent refreshes', () => {
  it('an answer that arrives after a refresh is dropped: the newer listing wins', async () => {
    const src = controlledSource();
    const loader = new PagedLoader(src.fetch);
    const first = loader.ensureFirstPage();
    loader.reset(); // a create finished: the category reloads
    const second = loader.ensureFirstPage();
    assert.equal(src.calls(), 2);
    // The reload answers first (it saw the new secret); the old listing arrives late.
    src.pending[1]!.resolve({ items: ['a', 'new-secret'] });
    await second;
    src.pending[0]!.resolve({ items: ['a'], continuationToken: 'stale' });
    await first;
    assert.deepEqual(loader.items, ['a', 'new-secret']);
    assert.equal(loader.hasMore, false);
    assert.equal(loader.loaded, true);
  });

  it('a failure of a listing from before the refresh does not replace the newer listing with an error', async () => {
    const src = controlledSource();
    const loader = new PagedLoader(src.fetch);
    const first = loader.ensureFirstPage();
    loader.reset();
    const second = loader.ensureFirstPage();
    src.pending[1]!.resolve({ items: ['x'] });
    await second;
    src.pending[0]!.reject(new Error('connection reset'));
    await first;
    assert.equal(loader.error, undefined);
    assert.deepEqual(loader.items, ['x']);
  });

  it('an expansion waiting when a refresh comes gets the refreshed listing, not an empty one', async () => {
    const src = controlledSource();
    const loader = new PagedLoader(src.fetch);
    const waiting = loader.ensureFirstPage();
    loader.reset();
    src.pending[0]!.resolve({ items: ['before-refresh'] });
    await new Promise((r) => setImmediate(r));
    assert.equal(src.calls(), 2, 'the waiting expansion asked again');
    src.pending[1]!.resolve({ items: ['after-refresh'] });
    await waiting;
    assert.deepEqual(loader.items, ['after-refresh']);
  });

  it('concurrent expansions share one request', async () => {
    const src = controlledSource();
    const loader = new PagedLoader(src.fetch);
    const all = Array.from({ length: 20 }, () => loader.ensureFirstPage());
    assert.equal(src.calls(), 1);
    src.pending[0]!.resolve({ items: ['a'] });
    await Promise.all(all);
    assert.deepEqual(loader.items, ['a']);
  });

  it('any interleaving of expansions, refreshes, load-more and answers ends with the listing of the last refresh', async () => {
    type Step = { kind: 'expand' } | { kind: 'refresh' } | { kind: 'more' } | { kind: 'answer'; which: number; fail: boolean };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.constant<Step>({ kind: 'expand' }),
      fc.constant<Step>({ kind: 'refresh' }),
      fc.constant<Step>({ kind: 'more' }),
      fc.record({ kind: fc.constant('answer' as const), which: fc.nat(), fail: fc.boolean() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 30 }), async (steps) => {
        // Each request answers with the generation it was made in, so the test can tell stale from fresh.
        let generation = 0;
        const open: { gen: number; token: string | undefined; resolve: (p: Page<string>) => void; reject: (e: unknown) => void }[] = [];
        const loader = new PagedLoader<string>((token) => new Promise((resolve, reject) => open.push({ gen: generation, token, resolve, reject })));
        const answer = (i: number, fail: boolean) => {
          const [req] = open.splice(i % open.length, 1);
          if (!req) return;
          if (fail) req.reject(new Error('reset'));
          else req.resolve({ items: [`g${req.gen}-${req.token ?? 'first'}`], ...(req.token === undefined ? { continuationToken: 'p2' } : {}) });
        };
        for (const s of steps) {
          if (s.kind === 'expand') void loader.ensureFirstPage();
          else if (s.kind === 'refresh') {
            generation++;
            loader.reset();
          } else if (s.kind === 'more') void loader.loadMore();
          else if (open.length) answer(s.which, s.fail);
          await flush();
        }
        // Finally: expand once more and answer everything still open, successfully.
        const last = loader.ensureFirstPage();
        while (open.length) {
          answer(0, false);
          await flush();
        }
        await last;
        await flush();
        if (loader.error === undefined) {
          assert.ok(loader.loaded);
          for (const item of loader.items) assert.ok(item.startsWith(`g${generation}-`), `stale item ${item} after refresh ${generation}: ${JSON.stringify(loader.items)}`);
        }
      }),
      { numRuns: 500, seed: 710001 },
    );
  });
});
