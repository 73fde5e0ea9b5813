import { isKeyVaultError } from '../keyvault/errors';
import type { AccountSession } from './types';

/** How a reachability check went: reached, reached but refused (still worth pinning), failed, or cancelled. */
export type Reachability =
  | { outcome: 'ok' }
  | { outcome: 'denied'; message: string }
  | { outcome: 'failed'; message: string }
  | { outcome: 'cancelled' };

/**
 * Lists one secret (vault) or one key (HSM) through the session's service: the cheapest call that proves a URL is
 * a Key Vault the session can talk to. 401/403 mean it is one, and the user lacks access: "denied", not "failed".
 */
export async function checkReachable(session: Pick<AccountSession, 'service'>, kind: 'vault' | 'hsm', url: string, abortSignal?: AbortSignal): Promise<Reachability> {
  try {
    const options = abortSignal ? { abortSignal } : {};
    const list = kind === 'hsm' ? session.service.keys.list(url, options) : session.service.secrets.list(url, options);
    await list.byPage({ maxPageSize: 1 }).next();
    return { outcome: 'ok' };
  } catch (err) {
    if (isKeyVaultError(err)) {
      if (err.kind === 'cancelled') return { outcome: 'cancelled' };
      if (err.status === 401 || err.status === 403 || err.kind === 'unauthorized' || err.kind.startsWith('forbidden')) return { outcome: 'denied', message: err.userMessage };
      return { outcome: 'failed', message: err.userMessage };
    }
    return { outcome: 'failed', message: err instanceof Error ? err.message : String(err) };
  }
}
