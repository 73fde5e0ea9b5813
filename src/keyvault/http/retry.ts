import type { PipelineRequest, RetryStrategy } from '@azure/core-rest-pipeline';
import { isKeyVaultError } from '../errors';
import { isIdempotent } from './policies';

export interface RetrySettings {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After we honour before giving up; a vault asking for more is reported as throttled. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetrySettings = { maxRetries: 4, baseDelayMs: 800, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 };

const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/** Attempts per request, so errors can say "retried N times". */
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
 * 429 and 503 are retried for any verb (the service did not act) and honour Retry-After; other 5xx, 408,
 * connection resets and timeouts are retried only for idempotent verbs, with exponential back-off and jitter.
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
      if (request) attempts.set(request, retryCount);
      if (response) {
        const status = response.status;
        if (status === 429 || status === 503) {
          const after = retryAfterMs(response.headers);
          if (after !== undefined && after > s.maxRetryAfterMs) return { skipStrategy: true };
          return { retryAfterInMs: after ?? backoff() };
        }
        if ((status === 500 || status === 502 || status === 504 || status === 408) && request && isIdempotent(request)) {
          return { retryAfterInMs: backoff() };
        }
        return { skipStrategy: true };
      }
      if (responseError) {
        if ((responseError as { name?: string }).name === 'AbortError') return { errorToThrow: responseError };
        const transient = isKeyVaultError(responseError) ? responseError.kind === 'timeout' : TRANSIENT_CODES.has(String((responseError as { code?: string }).code ?? ''));
        const req = (responseError as { request?: PipelineRequest }).request;
        if (transient && req && isIdempotent(req)) return { retryAfterInMs: backoff() };
        return { errorToThrow: responseError };
      }
      return { skipStrategy: true };
    },
  };
}

