import { KeyVaultError, isKeyVaultError } from './errors';

export interface BoundedOptions {
  /** Requests in flight at once (setting keyVault.bulk.concurrency; default small). */
  concurrency: number;
  abortSignal?: AbortSignal;
  /** Extra attempts for an item that still got 429 after the pipeline's own retries. */
  throttleRetries?: number;
  /** Called when throttling lowers the concurrency (tests and logs). */
  onThrottle?: (newConcurrency: number) => void;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new KeyVaultError({ kind: 'cancelled', message: 'The operation was cancelled.' }));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new KeyVaultError({ kind: 'cancelled', message: 'The operation was cancelled.' }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Runs `fn` over items with at most `concurrency` in flight, results in input order. When the vault throttles
 * (429 that survived the pipeline's retries) the pool halves its width and retries the item after a pause,
 * so a bulk read slows down instead of failing or hammering the vault. Cancellation stops new work at once.
 */
export async function mapBounded<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>, options: BoundedOptions): Promise<R[]> {
  const results = new Array<R>(items.length);
  let width = Math.max(1, Math.floor(options.concurrency));
  let next = 0;
  let active = 0;
  let failure: unknown;
  const throttleRetries = options.throttleRetries ?? 5;

  return new Promise<R[]>((resolve, reject) => {
    const finish = (): void => {
      if (failure !== undefined) return reject(failure);
      if (next >= items.length && active === 0) resolve(results);
    };
    const runOne = async (index: number): Promise<void> => {
      for (let attempt = 0; ; attempt++) {
        if (options.abortSignal?.aborted) throw new KeyVaultError({ kind: 'cancelled', message: 'The operation was cancelled.' });
        try {
          results[index] = await fn(items[index]!, index);
          return;
        } catch (err) {
          if (isKeyVaultError(err) && err.kind === 'throttled' && attempt < throttleRetries) {
            width = Math.max(1, Math.floor(width / 2));
            options.onThrottle?.(width);
            await sleep(500 * 2 ** attempt, options.abortSignal);
            continue;
          }
          throw err;
        }
      }
    };
    const pump = (): void => {
      while (failure === undefined && active < width && next < items.length) {
        const index = next++;
        active++;
        runOne(index).then(
          () => {
            active--;
            pump();
            finish();
          },
          (err: unknown) => {
            active--;
            failure ??= err;
            finish();
          },
        );
      }
      finish();
    };
    pump();
  });
}
