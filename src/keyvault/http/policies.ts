import type { PipelinePolicy, PipelineRequest } from '@azure/core-rest-pipeline';
import { KeyVaultError } from '../errors';

/** Adds `api-version` to every request that lacks it (nextLinks already carry the one the service chose). */
export function apiVersionPolicy(apiVersion: () => string): PipelinePolicy {
  return {
    name: 'keyVaultApiVersionPolicy',
    sendRequest(request, next) {
      const url = new URL(request.url);
      if (!url.searchParams.has('api-version')) {
        url.searchParams.set('api-version', apiVersion());
        request.url = url.toString();
      }
      return next(request);
    },
  };
}

/**
 * For proxies that block PATCH/DELETE: sends them as POST with `X-HTTP-METHOD` (DELETE with an empty body),
 * which Key Vault accepts.
 */
export function methodOverridePolicy(enabled: () => boolean): PipelinePolicy {
  return {
    name: 'keyVaultMethodOverridePolicy',
    sendRequest(request, next) {
      if (enabled() && (request.method === 'PATCH' || request.method === 'DELETE')) {
        request.headers.set('X-HTTP-METHOD', request.method);
        if (request.method === 'DELETE') {
          request.body = undefined;
          request.headers.delete('Content-Type');
        }
        request.method = 'POST';
      }
      return next(request);
    },
  };
}

/** The verb the service will act on, even when sent as POST + X-HTTP-METHOD. */
export function effectiveMethod(request: PipelineRequest): string {
  return (request.headers.get('X-HTTP-METHOD') ?? request.method).toUpperCase();
}

export const isIdempotent = (request: PipelineRequest): boolean => ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].includes(effectiveMethod(request));

/** Reads: sending them twice changes nothing. */
export const isSafe = (request: PipelineRequest): boolean => ['GET', 'HEAD', 'OPTIONS'].includes(effectiveMethod(request));

/**
 * A per-attempt timeout that, unlike `request.timeout`, reports itself as a timeout (not a cancellation) and still
 * honours the caller's AbortSignal.
 */
export function timeoutPolicy(timeoutMs: () => number): PipelinePolicy {
  return {
    name: 'keyVaultTimeoutPolicy',
    async sendRequest(request, next) {
      const ms = timeoutMs();
      if (!(ms > 0)) return next(request);
      const outer = request.abortSignal;
      if (outer?.aborted) return next(request);
      const controller = new AbortController();
      const onAbort = (): void => controller.abort();
      outer?.addEventListener('abort', onAbort);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, ms);
      request.abortSignal = controller.signal;
      try {
        return await next(request);
      } catch (err) {
        if (timedOut) {
          const host = new URL(request.url).host;
          const timeout = new KeyVaultError({ kind: 'timeout', message: `${host} did not respond within ${Math.round(ms / 100) / 10} s.`, host, cause: err });
          throw timeout;
        }
        throw err;
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener('abort', onAbort);
        request.abortSignal = outer;
      }
    },
  };
}
