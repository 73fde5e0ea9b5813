import type { TokenCredential } from '@azure/core-auth';
import { bearerTokenAuthenticationPolicy, createHttpHeaders, createPipelineFromOptions, createPipelineRequest, createDefaultHttpClient, type HttpClient, type Pipeline } from '@azure/core-rest-pipeline';
import { KeyVaultError } from '../keyvault/errors';
import { toKeyVaultError } from '../keyvault/http/client';
import type { CloudDefinition } from './clouds';

export interface ArmClientOptions {
  credential: TokenCredential;
  cloud: CloudDefinition;
  userAgentPrefix?: string;
  /** Tenant to request ARM tokens for (a subscription's home tenant). */
  tenantId?: string;
  httpClient?: HttpClient;
}

/** ARM and Resource Graph over core-rest-pipeline with a bearer token for the cloud's management endpoint. */
export class ArmClient {
  private readonly pipeline: Pipeline;
  private readonly httpClient: HttpClient;
  requestCount = 0;

  constructor(private readonly options: ArmClientOptions) {
    this.pipeline = createPipelineFromOptions({
      userAgentOptions: { userAgentPrefix: options.userAgentPrefix ?? 'keyvault-explorer' },
      retryOptions: { maxRetries: 3, retryDelayInMs: 500 },
    });
    this.pipeline.addPolicy(
      bearerTokenAuthenticationPolicy({
        credential: options.tenantId ? withTenant(options.credential, options.tenantId) : options.credential,
        scopes: `${options.cloud.resourceManagerEndpoint}/.default`,
      }),
    );
    this.httpClient = options.httpClient ?? createDefaultHttpClient();
  }

  get endpoint(): string {
    return this.options.cloud.resourceManagerEndpoint;
  }

  async send<T>(method: 'GET' | 'POST', pathOrUrl: string, options: { query?: Record<string, string>; body?: unknown; abortSignal?: AbortSignal } = {}): Promise<T> {
    const url = new URL(pathOrUrl, this.endpoint);
    if (url.origin !== new URL(this.endpoint).origin) {
      throw new KeyVaultError({ kind: 'untrusted-host', message: `Resource Manager returned a link to another host (${url.host}); not followed.` });
    }
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    const request = createPipelineRequest({
      url: url.toString(),
      method,
      headers: createHttpHeaders({ Accept: 'application/json', ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}) }),
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    });
    let response;
    try {
      this.requestCount++;
      response = await this.pipeline.sendRequest(this.httpClient, request);
    } catch (err) {
      throw toKeyVaultError(err, url, method);
    }
    let body: unknown;
    try {
      body = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
    } catch {
      body = undefined;
    }
    if (response.status >= 400) {
      const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new KeyVaultError({
        kind: response.status === 401 ? 'unauthorized' : response.status === 403 ? 'forbidden-rbac' : response.status === 404 ? 'not-found' : response.status === 429 ? 'throttled' : response.status >= 500 ? 'server' : 'bad-request',
        status: response.status,
        message: (error?.message ?? `Resource Manager answered HTTP ${response.status}`).split(/\r?\n/)[0]!,
        ...(error?.code ? { code: error.code } : {}),
        host: url.host,
        ...(response.status === 403 ? { hint: 'Your account cannot read this in Azure Resource Manager. Add vaults by URL instead (Key Vault: Add Vault or HSM by URL…), or ask for the Reader role.' } : {}),
      });
    }
    return body as T;
  }
}

function withTenant(credential: TokenCredential, tenantId: string): TokenCredential {
  return { getToken: (scopes, options) => credential.getToken(scopes, { ...options, tenantId }) };
}
