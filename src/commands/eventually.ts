/**
 * Key Vault applies delete, recover and purge asynchronously: retries `attempt` while `retryOn` says the change has
 * not landed yet, backing off up to 2 s, until `timeoutMs` or the signal ends it.
 */
export async function eventually<T>(attempt: () => Promise<T>, retryOn: (err: unknown) => boolean, signal?: AbortSignal, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 200;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!retryOn(err) || Date.now() > deadline || signal?.aborted) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 2000);
  }
}
