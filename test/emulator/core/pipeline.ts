import type { IncomingMessage, ServerResponse } from 'node:http';
import { KvError, badParameter } from './errors';
import { delay, parseJsonBody, readBody, send, sendError } from './http';
import { firewallForbidden, forbidden, hasPermission } from './permissions';
import type { Caller, Container, EmulatorInternals, JsonResponse, RouteContext } from './types';
import type { Router } from './router';
import type { FaultInjector } from './faults';
import type { TokenSigner } from './jwt';

/** api-versions the official SDK releases send, plus the newest definitions in the spec folder. */
export const SUPPORTED_API_VERSIONS = ['7.0', '7.1', '7.2', '7.3', '7.4', '7.5', '7.6-preview.2', '7.6', '2025-06-01-preview', '2025-07-01', '2026-04-01'];
export const LATEST_API_VERSION = '2026-04-01';

export interface Exchange {
  target: string;
  method: string;
  url: string;
  operationId?: string;
  apiVersion?: string;
  status: number;
  requestBody: unknown;
  responseBody: unknown;
}

export interface PipelineDeps {
  internals: EmulatorInternals;
  router: Router;
  faults: FaultInjector;
  signer: TokenSigner;
  latencyMs: () => number;
  save(): void;
  observe(exchange: Exchange): void;
  /** Requests parked by a "stall" fault; released on close. */
  stalled: Set<ServerResponse>;
}

/** Requests a `lose-answer` fault matched: handled as usual, then the connection is dropped instead of answered. */
const lostAnswers = new WeakSet<ServerResponse>();

/** Runs latency/faults common to every origin; returns false when the fault answered (or dropped) the request. */
export async function applyFaults(deps: PipelineDeps, target: string, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  const base = deps.latencyMs();
  if (base > 0) await delay(base);
  const method = (req.method ?? 'GET').toUpperCase();
  for (const fault of deps.faults.take(target, method, path)) {
    switch (fault.kind) {
      case 'latency':
        await delay(fault.ms ?? 100);
        break;
      case 'throttle':
        send(res, 429, { error: { code: 'Throttled', message: 'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached' } }, { 'retry-after': String(fault.retryAfter ?? 1) });
        return false;
      case 'error': {
        const status = fault.status ?? 500;
        const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
        // A 404 reads as Key Vault's own (a vault or collection that is gone); anything else as a service failure.
        const code = status === 503 ? 'ServiceUnavailable' : status === 404 ? 'NotFound' : 'InternalServerError';
        const message = status === 404 ? `The requested resource was not found (injected 404).` : `The service is temporarily unavailable (injected ${status}).`;
        send(res, status, { error: { code, message } }, headers);
        return false;
      }
      case 'reset':
        req.socket.destroy();
        return false;
      case 'stall':
        // Never answer: the client's timeout or cancellation has to end it.
        deps.stalled.add(res);
        res.on('close', () => deps.stalled.delete(res));
        return false;
      case 'expire-token':
        deps.faults.tokensRevokedBefore = Date.now();
        break;
      case 'lose-answer':
        lostAnswers.add(res);
        break;
    }
  }
  if (target !== 'authority' && deps.faults.overRate(target)) {
    send(res, 429, { error: { code: 'Throttled', message: 'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached' } }, { 'retry-after': String(deps.faults.rateLimit?.retryAfter ?? 1) });
    return false;
  }
  return true;
}

function challenge(deps: PipelineDeps, container: Container, extra = ''): Record<string, string> {
  return {
    'www-authenticate': `Bearer authorization="${deps.internals.authorityHost}/${container.spec.tenantId}", resource="${container.origin}"${extra}`,
  };
}

/** Validates the bearer token against this container: signature, expiry, audience = origin, tenant, known client. */
function authenticate(deps: PipelineDeps, container: Container, req: IncomingMessage): Caller | KvError {
  const header = req.headers.authorization;
  const unauthorized = (message: string, extra = ''): KvError => new KvError(401, 'Unauthorized', message, undefined, challenge(deps, container, extra));
  if (!header || !/^Bearer /i.test(header)) return unauthorized('AKV10000: Request is missing a Bearer or PoP token.');
  const verified = deps.signer.verify(header.slice(7).trim());
  if ('reason' in verified) return unauthorized(verified.reason);
  const { claims } = verified;
  const aud = claims.aud.replace(/\/$/, '');
  if (aud !== container.origin) return unauthorized(`AKV10022: Invalid audience. Expected ${container.origin}, found: ${claims.aud}.`);
  if (claims.tid !== container.spec.tenantId) {
    return unauthorized(`AKV10032: Invalid issuer. Expected one of https://sts.windows.net/${container.spec.tenantId}/, found https://sts.windows.net/${claims.tid}/.`);
  }
  if (Number(claims.iat_ms ?? claims.iat * 1000) < deps.faults.tokensRevokedBefore) {
    const claimsChallenge = Buffer.from(JSON.stringify({ access_token: { nbf: { essential: true, value: String(Math.floor(deps.faults.tokensRevokedBefore / 1000)) } } })).toString('base64');
    return unauthorized('AKV10022: Token was revoked; a new token is required.', `, error="insufficient_claims", claims="${claimsChallenge}"`);
  }
  const identity = deps.internals.topology.identities.find((i) => i.clientId === claims.appid);
  if (!identity) return unauthorized('AKV10022: Unknown application.');
  return { identity, tenantId: claims.tid, objectId: claims.oid };
}

export async function handleContainerRequest(deps: PipelineDeps, container: Container, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Concatenate rather than resolve: a path like `//providers/...` (HSM role scope "/") would otherwise parse as a host.
  const rawPath = req.url ?? '/';
  const url = rawPath.startsWith('/') ? new URL(container.origin + rawPath) : new URL(rawPath, container.origin);
  let method = (req.method ?? 'GET').toUpperCase();
  const exchange: Exchange = { target: container.spec.name, method, url: url.toString(), status: 0, requestBody: undefined, responseBody: undefined };
  try {
    if (!(await applyFaults(deps, container.spec.name, req, res, url.pathname))) return;
    const raw = await readBody(req);
    // Clients behind proxies that block PATCH/DELETE send POST with X-HTTP-METHOD.
    const override = req.headers['x-http-method'];
    if (method === 'POST' && typeof override === 'string') {
      const o = override.toUpperCase();
      if (o !== 'PATCH' && o !== 'DELETE') throw badParameter(`X-HTTP-METHOD '${override}' is not supported; use PATCH or DELETE.`);
      if (o === 'DELETE' && raw.length > 0) throw badParameter('A DELETE sent as POST with X-HTTP-METHOD must have an empty body.');
      method = o;
      exchange.method = o;
    }
    const apiVersion = url.searchParams.get('api-version');
    exchange.apiVersion = apiVersion ?? undefined;
    const caller = authenticate(deps, container, req);
    if (caller instanceof KvError) throw caller;
    if (apiVersion === null) throw badParameter('The api-version query parameter (?api-version=) is required for all requests.');
    if (!SUPPORTED_API_VERSIONS.includes(apiVersion)) {
      throw badParameter(`The specified version (${apiVersion}) is not recognized. Consider using the latest supported version (${LATEST_API_VERSION}).`);
    }
    if (container.spec.firewall) throw firewallForbidden(container, caller, req.socket.remoteAddress ?? '127.0.0.1');
    if (method === 'GET' && raw.length > 0) throw badParameter('A GET request must not have a body.');
    const matched = deps.router.match(method, container.spec.kind, url.pathname);
    if (!('route' in matched)) {
      if (matched.methodMismatch) throw new KvError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
      throw new KvError(404, 'NotFound', `The requested path '${url.pathname}' was not found on this ${container.spec.kind === 'hsm' ? 'managed HSM' : 'vault'}.`);
    }
    const { route, params } = matched;
    exchange.operationId = route.operationId;
    if (route.permission && !hasPermission(container, caller, route.permission.family, route.permission.action)) {
      throw forbidden(container, caller, route.permission.family, route.permission.action);
    }
    const body = parseJsonBody(raw, req.headers['content-type']);
    exchange.requestBody = body;
    const ctx: RouteContext = { req, url, method, container, params, body, apiVersion, caller, save: deps.save, emulator: deps.internals };
    const result: JsonResponse = await route.handler(ctx);
    const status = result.status ?? 200;
    exchange.status = status;
    exchange.responseBody = result.body;
    if (lostAnswers.has(res)) {
      // Done and saved, but the answer never arrives.
      req.socket.destroy();
      return;
    }
    send(res, status, result.body, keyVaultHeaders(container, result.headers));
  } catch (err) {
    if (err instanceof KvError) {
      exchange.status = err.status;
      exchange.responseBody = err.toBody();
    } else {
      exchange.status = 500;
    }
    sendError(res, err instanceof KvError ? withKvHeaders(err, container) : err);
  } finally {
    if (exchange.status) deps.observe(exchange);
  }
}

function keyVaultHeaders(container: Container, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'x-ms-keyvault-service-version': '1.9.2733.1',
    'x-ms-keyvault-region': container.spec.location,
    'x-ms-keyvault-network-info': 'conn_type=Ipv4;addr=127.0.0.1;act_addr_fam=InterNetwork;',
    ...extra,
  };
}

function withKvHeaders(err: KvError, container: Container): KvError {
  Object.assign(err.headers, keyVaultHeaders(container, err.headers));
  return err;
}
