import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { ReadyInfo } from '../emulator';
import { LATEST_API_VERSION } from '../core/pipeline';
import { credentialFor, type IdentityHandle } from '../../support/emulator';

/**
 * Raw HTTPS against the emulator for the fidelity tests: exact methods, headers and bodies (including broken ones)
 * that the official SDKs would never send. Tokens come from the emulator's token service through @azure/identity.
 */

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** Parsed body, or undefined when it was empty or not JSON. */
  json: unknown;
}

export interface RawRequestOptions {
  /** JSON-serialised unless a string or Buffer (sent as is). */
  body?: unknown;
  headers?: Record<string, string>;
  /** api-version to append (default the newest); null sends none. Ignored when the path already has one. */
  apiVersion?: string | null;
  /** Identity whose token to send (default app); null sends no Authorization header. */
  identity?: IdentityHandle | null;
  /** Send exactly this bearer token instead. */
  token?: string;
  /** Tenant to get the token in (default the container's). */
  tenantId?: string;
  timeoutMs?: number;
}

export interface KvErrorBody {
  error?: { code?: string; message?: string; innererror?: { code?: string } };
}

export class RawClient {
  private readonly tokens = new Map<string, { token: string; expires: number }>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 16 });

  constructor(readonly ready: ReadyInfo) {}

  origin(container: string): string {
    const c = this.ready.containers.find((x) => x.name === container);
    if (!c) throw new Error(`no container ${container}`);
    return c.url;
  }

  async token(resource: string, identity: IdentityHandle = 'app', tenantId?: string): Promise<string> {
    const tenant = tenantId ?? this.ready.containers.find((c) => c.url === resource)?.tenantId ?? this.ready.tenantId;
    const key = `${identity}|${tenant}|${resource}`;
    const cached = this.tokens.get(key);
    if (cached && cached.expires > Date.now() + 60_000) return cached.token;
    const t = await credentialFor(this.ready, identity, tenant).getToken(`${resource}/.default`);
    if (!t) throw new Error(`no token for ${identity} at ${resource}`);
    this.tokens.set(key, { token: t.token, expires: t.expiresOnTimestamp });
    return t.token;
  }

  /** `container` is a container name from the ready file or an origin URL. */
  async request(container: string, method: string, path: string, options: RawRequestOptions = {}): Promise<RawResponse> {
    const origin = container.startsWith('https://') ? container : this.origin(container);
    // Set the path on the origin rather than resolving it: a path starting with `//` must stay a path.
    const url = new URL(origin);
    const queryAt = path.indexOf('?');
    url.pathname = queryAt < 0 ? path : path.slice(0, queryAt);
    if (queryAt >= 0) url.search = path.slice(queryAt);
    const apiVersion = options.apiVersion === undefined ? LATEST_API_VERSION : options.apiVersion;
    if (apiVersion !== null && !url.searchParams.has('api-version')) url.searchParams.set('api-version', apiVersion);
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    const identity = options.identity === undefined ? 'app' : options.identity;
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    else if (identity !== null) headers.authorization = `Bearer ${await this.token(origin, identity, options.tenantId)}`;
    let payload: Buffer | undefined;
    if (options.body !== undefined) {
      payload = Buffer.isBuffer(options.body) ? options.body : Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body), 'utf8');
      headers['content-type'] ??= 'application/json';
    }
    if (payload) headers['content-length'] = String(payload.length);
    return new Promise<RawResponse>((resolve, reject) => {
      const req = httpsRequest(url, { method, headers, agent: this.agent, timeout: options.timeoutMs ?? 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The error of a Key Vault error body (undefined when the body is not one). */
export const errorOf = (r: RawResponse): KvErrorBody['error'] => (r.json as KvErrorBody | undefined)?.error;

/** True when the emulator has no route for the path at all: the family is not (yet) served. */
export function isPathNotFound(status: number | undefined, code: string | undefined, message: string | undefined): boolean {
  return status === 404 && code === 'NotFound' && /path .* was not found/i.test(message ?? '');
}
