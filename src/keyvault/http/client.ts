import type { TokenCredential } from '@azure/core-auth';
import {
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  isRestError,
  retryPolicy,
  type HttpClient,
  type Pipeline,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { createDefaultHttpClient } from '@azure/core-rest-pipeline';
import { Agent } from 'node:https';
import type { CloudDefinition } from '../../azure/clouds';
import { familyFromPath, forbiddenHint, forbiddenKind, KeyVaultError, type KeyVaultErrorKind } from '../errors';
import { challengeAuthPolicy } from './authPolicy';
import { apiVersionPolicy, methodOverridePolicy, timeoutPolicy } from './policies';
import { attempts, BROKEN_CONNECTION_CODES, DEFAULT_RETRY, keyVaultRetryStrategy, type RetrySettings } from './retry';
import { TrustedHosts, type CustomEndpoint } from './trust';

/** What every Key Vault client of this extension is built from; getters so settings changes apply at once. */
export interface KeyVaultClientConfig {
  credential: TokenCredential;
  cloud: CloudDefinition;
  customEndpoints?: readonly CustomEndpoint[];
  apiVersion?: () => string;
  useMethodOverride?: () => boolean;
  timeoutMs?: () => number;
  retry?: () => RetrySettings;
  /** e.g. `keyvault-explorer/0.1.0`; goes into the User-Agent. */
  userAgentPrefix?: string;
  /** Test hook: swap the HTTP client (e.g. to count round trips). Production uses core-rest-pipeline's. */
  httpClient?: HttpClient;
  /** Called whenever a token is obtained (tests count refreshes; never receives the token). */
  onToken?: (tenantId: string | undefined) => void;
}

export const DEFAULT_API_VERSION = '2025-07-01';
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  abortSignal?: AbortSignal;
  /** Statuses that are not errors for this call (e.g. 404 when probing). */
  allowStatus?: readonly number[];
}

export interface HttpResult<T> {
  status: number;
  body: T;
  headers: PipelineResponse['headers'];
}

/**
 * The one way the service layer talks HTTPS: a core-rest-pipeline pipeline with our challenge auth, api-version,
 * method override, timeout and retry policies. Answers are parsed JSON; failures become KeyVaultError.
 */
export class KeyVaultHttp {
  readonly trust: TrustedHosts;
  private readonly pipeline: Pipeline;
  private readonly httpClient: HttpClient;
  private readonly agents = new Map<string, Agent>();
  /** Round trips sent (including retries and challenge round trips) — benchmarks report it. */
  requestCount = 0;

  constructor(config: KeyVaultClientConfig) {
    this.trust = new TrustedHosts(config.cloud, config.customEndpoints ?? []);
    const retry = config.retry ?? (() => DEFAULT_RETRY);
    this.pipeline = createPipelineFromOptions({
      userAgentOptions: { userAgentPrefix: config.userAgentPrefix ?? 'keyvault-explorer' },
      // Our retry strategy replaces the defaults; see retry.ts for what is retried.
      retryOptions: { maxRetries: 0 },
      redirectOptions: { maxRetries: 5 },
      loggingOptions: { additionalAllowedHeaderNames: ['x-ms-keyvault-region', 'x-ms-keyvault-service-version', 'x-ms-request-id', 'retry-after'], additionalAllowedQueryParameters: ['maxresults', 'api-version'] },
    });
    // Per-request work we do not need: no tracer is installed (the tracing policy still builds span attributes for
    // every request), no form or multipart bodies, and our retry policy below replaces the default one.
    for (const name of ['tracingPolicy', 'formDataPolicy', 'multipartPolicy', 'defaultRetryPolicy']) this.pipeline.removePolicy({ name });
    this.pipeline.addPolicy(retryPolicy([keyVaultRetryStrategy(retry)], { maxRetries: retry().maxRetries }), { phase: 'Retry' });
    this.pipeline.addPolicy(apiVersionPolicy(config.apiVersion ?? (() => DEFAULT_API_VERSION)));
    this.pipeline.addPolicy(challengeAuthPolicy(config.credential, this.trust, config.onToken), { phase: 'Sign' });
    this.pipeline.addPolicy(methodOverridePolicy(config.useMethodOverride ?? (() => false)), { afterPhase: 'Sign' });
    this.pipeline.addPolicy(timeoutPolicy(config.timeoutMs ?? (() => DEFAULT_TIMEOUT_MS)), { afterPhase: 'Sign' });
    this.httpClient = config.httpClient ?? createDefaultHttpClient();
  }

  addCustomEndpoint(endpoint: CustomEndpoint): void {
    this.trust.addCustom(endpoint);
    this.agents.delete(new URL(endpoint.origin).origin);
  }

  /** Keep-alive agent per custom origin with its own CA; cloud hosts use the default agent. */
  private agentFor(url: URL): Agent | undefined {
    const custom = this.trust.customFor(url.toString());
    if (!custom?.ca) return undefined;
    let agent = this.agents.get(url.origin);
    if (!agent) {
      agent = new Agent({ keepAlive: true, ca: custom.ca });
      this.agents.set(url.origin, agent);
    }
    return agent;
  }

  async send<T>(method: 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE', url: string, options: RequestOptions = {}): Promise<HttpResult<T>> {
    const target = new URL(url);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) target.searchParams.set(k, String(v));
    const headers = createHttpHeaders({ Accept: 'application/json' });
    if (options.body !== undefined) headers.set('Content-Type', 'application/json');
    const request = createPipelineRequest({
      url: target.toString(),
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    });
    const agent = this.agentFor(target);
    if (agent) request.agent = agent;
    let response: PipelineResponse;
    try {
      response = await this.pipeline.sendRequest(this.countingClient, request);
    } catch (err) {
      throw toKeyVaultError(err, target, method, attempts.get(request));
    }
    if (response.status >= 300 && response.status < 400) {
      // Cross-origin redirects are never followed (they could carry a request, or a token, elsewhere).
      const location = response.headers.get('location');
      throw new KeyVaultError({
        kind: 'untrusted-host',
        status: response.status,
        message: `${target.host} redirected the request${location ? ` to ${safeHost(location, target)}` : ''}; redirects to another host are not followed.`,
        host: target.host,
      });
    }
    const body = parseBody(response.bodyAsText);
    if (response.status >= 400 && !options.allowStatus?.includes(response.status)) {
      throw fromResponse(response.status, body, response.headers.get('x-ms-request-id'), target, method, attempts.get(request));
    }
    return { status: response.status, body: body as T, headers: response.headers };
  }

  private readonly countingClient: HttpClient = {
    sendRequest: (request) => {
      this.requestCount++;
      return this.httpClient.sendRequest(request);
    },
  };

  dispose(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }
}

function safeHost(location: string, base: URL): string {
  try {
    return new URL(location, base).host;
  } catch {
    return 'an invalid location';
  }
}

function parseBody(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A Key Vault error body becomes a KeyVaultError with a hint; bodies themselves are never kept. */
export function fromResponse(status: number, body: unknown, requestId: string | undefined, url: URL, method: string, retries?: number): KeyVaultError {
  const error = (body as { error?: { code?: unknown; message?: unknown; innererror?: { code?: unknown } } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const innerCode = typeof error?.innererror?.code === 'string' ? error.innererror.code : undefined;
  const serviceMessage = typeof error?.message === 'string' ? firstLine(error.message) : `HTTP ${status}`;
  const family = familyFromPath(url.pathname);
  let kind: KeyVaultErrorKind = 'unknown';
  let hint: string | undefined;
  if (status === 401) kind = 'unauthorized';
  else if (status === 403) {
    kind = forbiddenKind(innerCode, String(error?.message ?? ''));
    hint = forbiddenHint(kind, family, method, String(error?.message ?? ''));
  } else if (status === 404) kind = 'not-found';
  else if (status === 409) kind = /deleted but recoverable|deleted state/i.test(serviceMessage) ? 'conflict-deleted' : 'conflict';
  else if (status === 429) {
    kind = 'throttled';
    hint = `The vault is throttling requests${retries ? ` (retried ${retries} times)` : ''}; wait a moment and try again.`;
  } else if (status >= 500) kind = 'server';
  else if (status >= 400) kind = 'bad-request';
  return new KeyVaultError({
    kind,
    status,
    message: serviceMessage,
    host: url.host,
    ...(code ? { code } : {}),
    ...(innerCode ? { innerCode } : {}),
    ...(requestId ? { requestId } : {}),
    ...(hint ? { hint } : {}),
    ...(retries ? { retries } : {}),
  });
}

/** Key Vault's 403 messages run over several lines with caller details; the first line says what matters. */
function firstLine(message: string): string {
  return message.split(/\r?\n/)[0]!.trim();
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|HOSTNAME_MISMATCH|DEPTH_ZERO/;

export function toKeyVaultError(err: unknown, url: URL, method: string, retries?: number): KeyVaultError {
  if (err instanceof KeyVaultError) return err;
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  const host = url.host;
  if (e?.name === 'AbortError') return new KeyVaultError({ kind: 'cancelled', message: 'The operation was cancelled.', host, cause: err });
  if (e?.name === 'AuthenticationError' || e?.name === 'CredentialUnavailableError' || e?.name === 'AuthenticationRequiredError') {
    // Sign-in failed before any request reached the vault: say so, with the directory's own first line.
    const description = (err as { errorResponse?: { errorDescription?: string } }).errorResponse?.errorDescription ?? e.message ?? '';
    return new KeyVaultError({
      kind: 'unauthorized',
      message: `Could not get a token for ${host}: ${firstLine(description).replace(/^[^:]*?(AADSTS\d+)/, '$1').slice(0, 300)}`,
      hint: 'Check that you are signed in with an account of the tenant that owns this vault, or sign in again.',
      host,
      cause: err,
    });
  }
  const code = e?.code ?? e?.cause?.code ?? '';
  if (TLS_CODES.test(code) || /certificate/i.test(e?.message ?? '')) {
    return new KeyVaultError({ kind: 'tls', message: `TLS error talking to ${host} (${code || 'certificate not trusted'}).`, host, cause: err });
  }
  if (isRestError(err) && err.statusCode) return fromResponse(err.statusCode, undefined, undefined, url, method, retries);
  if (BROKEN_CONNECTION_CODES.has(code) && !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase())) {
    // Not retried (see retry.ts): the change may have been made, and only a look at the vault can tell.
    return new KeyVaultError({
      kind: 'network',
      message: `The connection to ${host} broke (${code}) after the request was sent.`,
      hint: 'Key Vault may or may not have made the change: refresh to see, then try again if it is not there.',
      host,
      cause: err,
    });
  }
  return new KeyVaultError({
    kind: 'network',
    message: `Could not reach ${host}${code ? ` (${code})` : ''}${retries ? ` after ${retries} retries` : ''}.`,
    host,
    ...(retries ? { retries } : {}),
    cause: err,
  });
}
