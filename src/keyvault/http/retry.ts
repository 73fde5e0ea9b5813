import type { PipelineRequest, RetryStrategy } from '@azure/core-rest-pipeline';
import { isIdempotent, isSafe } from './policies';

export interface RetrySettings {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After we honour before giving up; a vault asking for more is reported as throttled. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetrySettings = { maxRetries: 4, baseDelayMs: 800, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 };

/** The request never left this machine: nothing can have happened, so any verb may be sent again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
/**
 * The connection broke after the request may have been delivered. Only reads are sent again: Key Vault may have
 * done a create or delete whose answer was lost, and repeating it would add a second version or report "not found".
 */
export const BROKEN_CONNECTION_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'ECONNABORTED']);

/** Retries made per request, so errors can say "retried N times". */
export const attempts = new WeakMap<PipelineRequest, number>();

export function retryAfterMs(headers: { get(name: string): string | undefined }): number | undefined {
  const ms = headers.get('retry-after-ms') ?? headers.get('x-ms-retry-after-ms');
  if (ms !== undefined && Number.isFinite(Number(ms))) return Number(ms);
  const value = headers.get('retry-after');
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * 429 and 503 are retried for any verb (the service did not act) and honour Retry-After; other 5xx and 408 only for
 * idempotent verbs; a connection that was never made for any verb, a connection that broke only for reads; all with
 * exponential back-off and jitter. Our own timeouts are not retried (core's retry policy hands only RestErrors to
 * strategies): a stalled vault is reported at once.
 */
export function keyVaultRetryStrategy(settings: () => RetrySettings): RetryStrategy {
  return {
    name: 'keyVaultRetryStrategy',
    retry({ retryCount, response, responseError }) {
      const s = settings();
      const backoff = (): number => {
        const exp = Math.min(s.maxDelayMs, s.baseDelayMs * 2 ** retryCount);
        return Math.round(exp / 2 + Math.random() * (exp / 2));
      };
      const request = response?.request ?? (responseError as { request?: PipelineRequest } | undefined)?.request;
      const retryIn = (ms: number): { retryAfterInMs: number } => {
        if (request) attempts.set(request, retryCount + 1);
        return { retryAfterInMs: ms };
      };
      if (response) {
        const status = response.status;
        if (status === 429 || status === 503) {
          const after = retryAfterMs(response.headers);
          if (after !== undefined && after > s.maxRetryAfterMs) return { skipStrategy: true };
          return retryIn(after ?? backoff());
        }
        if ((status === 500 || status === 502 || status === 504 || status === 408) && request && isIdempotent(request)) return retryIn(backoff());
        return { skipStrategy: true };
      }
      if (responseError) {
        if ((responseError as { name?: string }).name === 'AbortError') return { errorToThrow: responseError };
        const code = String((responseError as { code?: string; cause?: { code?: string } }).code ?? '');
        const causeCode = String((responseError as { cause?: { code?: string } }).cause?.code ?? '');
        const either = (codes: ReadonlySet<string>): boolean => codes.has(code) || codes.has(causeCode);
        if (either(NOT_SENT_CODES)) return retryIn(backoff());
        if (either(BROKEN_CONNECTION_CODES) && request && isSafe(request)) return retryIn(backoff());
        return { errorToThrow: responseError };
      }
      return { skipStrategy: true };
    },
  };
}

