import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KvError } from './core/errors';
import { FaultInjector, type FaultRule, type RateLimit } from './core/faults';
import { readBody, send, sendError } from './core/http';
import { TokenSigner } from './core/jwt';
import { applyFaults, handleContainerRequest, type Exchange, type PipelineDeps } from './core/pipeline';
import { Router } from './core/router';
import { emptyStore } from './core/store';
import { setBackupKeySeed } from './core/backup';
import type { Caller, Container, ContainerData, EmulatorInternals, Topology } from './core/types';
import { families } from './families';
import { handleArmRequest } from './families/arm';
import { handleIdentityRequest } from './identity';
import { createTlsMaterial, type TlsMaterial } from './tls';
import { warmDemoKeys } from './families/keys/seed';
import { defaultTopology, withSyntheticSubscriptions } from './topology';

export interface EmulatorOptions {
  seed?: 'demo' | 'empty';
  /** Persist all state here (atomic write + rename after each mutation) and reload it on start. */
  stateFile?: string;
  /** Latency added to every request, in ms. */
  latencyMs?: number;
  tokenLifetimeSeconds?: number;
  /** Where to write the ready file (atomically) once listening. */
  readyFile?: string;
  topology?: Topology;
  faults?: FaultRule[];
  rateLimit?: RateLimit;
  /** Fixed ports: authority = base, ARM = base + 1, containers base + 2 … (default: any free port, or the ports in the state file). */
  basePort?: number;
  host?: string;
  /** Keep the CA in this folder (ca.pem, ca-key.pem) so clients can trust it at start-up; default: env KEYVAULT_EMULATOR_CA_DIR, else a throwaway CA. */
  caDir?: string;
  /** Adds this many ARM-only subscriptions (three ARM-only vaults each) to the topology, for discovery benchmarks. */
  syntheticSubscriptions?: number;
  /** Make demo keys in the background right after start (the CLI does; tests leave it off to save CPU). */
  warmDemoKeys?: boolean;
  /** Extra audiences the token service will issue tokens for (tests of token safety stand up their own servers). */
  extraTokenAudiences?: string[];
}

export interface ReadyInfo {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  authorityHost: string;
  caCertFile: string;
  armEndpoint: string;
  subscriptionId: string;
  vaults: { name: string; url: string }[];
  managedHsms: { name: string; url: string }[];
  /** Everything else tests need: the second tenant, the other identities, all subscriptions, the admin endpoint. */
  tenants: { tenantId: string; displayName: string }[];
  identities: { handle: string; displayName: string; clientId: string; clientSecret: string; tenants: string[] }[];
  subscriptions: { subscriptionId: string; displayName: string; tenantId: string }[];
  containers: { name: string; kind: 'vault' | 'hsm'; url: string; tenantId: string; subscriptionId: string; accessModel: string; firewall: boolean }[];
  adminUrl: string;
  adminKey: string;
  pid: number;
}

interface PersistedState {
  format: 1;
  signerPem: string;
  tls: TlsMaterial;
  topology: Topology;
  ports: Record<string, number>;
  adminKey: string;
  data: Record<string, ContainerData>;
}

export interface Emulator {
  ready: ReadyInfo;
  faults: FaultInjector;
  internals: EmulatorInternals;
  /** Every answered data-plane exchange, for schema validation (cleared by the caller). */
  exchanges: Exchange[];
  recordExchanges: boolean;
  tokenRequests: number;
  setLatency(ms: number): void;
  setTokenLifetime(seconds: number): void;
  close(): Promise<void>;
}

const emptyData = (): ContainerData => ({ secrets: emptyStore(), keys: emptyStore(), certificates: emptyStore(), storage: emptyStore(), extra: {} });

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const persisted = options.stateFile && existsSync(options.stateFile) ? (JSON.parse(readFileSync(options.stateFile, 'utf8')) as PersistedState) : undefined;
  const baseTopology = options.topology ?? defaultTopology();
  const topology = persisted?.topology ?? (options.syntheticSubscriptions ? withSyntheticSubscriptions(baseTopology, options.syntheticSubscriptions) : baseTopology);
  const caDir = options.caDir ?? process.env.KEYVAULT_EMULATOR_CA_DIR;
  const tls = persisted?.tls ?? createTlsMaterial(caDir);
  const signer = new TokenSigner(persisted?.signerPem);
  setBackupKeySeed(signer.exportPrivatePem());
  const adminKey = persisted?.adminKey ?? randomBytes(24).toString('base64url');
  const faults = new FaultInjector();
  for (const rule of options.faults ?? []) faults.add(rule);
  faults.rateLimit = options.rateLimit;
  let latencyMs = options.latencyMs ?? 0;
  let tokenLifetime = options.tokenLifetimeSeconds ?? 3600;
  const sockets = new Set<Socket>();
  const servers: Server[] = [];
  const stalled = new Set<ServerResponse>();

  const listen = async (handler: (req: IncomingMessage, res: ServerResponse) => void, port: number): Promise<{ server: Server; port: number }> => {
    const server = createServer({ key: tls.keyPem, cert: tls.certPem, keepAlive: true }, handler);
    server.keepAliveTimeout = 30_000;
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    servers.push(server);
    const address = server.address();
    return { server, port: typeof address === 'object' && address ? address.port : port };
  };
  const portFor = (key: string, index: number): number => persisted?.ports[key] ?? (options.basePort ? options.basePort + index : 0);

  const internals: EmulatorInternals = { topology, containers: new Map(), authorityHost: '', armEndpoint: '', services: {} };
  const router = new Router();
  for (const family of families) router.add(family.routes);

  const emulator: Emulator = {
    ready: undefined as unknown as ReadyInfo,
    faults,
    internals,
    exchanges: [],
    recordExchanges: false,
    tokenRequests: 0,
    setLatency: (ms) => (latencyMs = ms),
    setTokenLifetime: (s) => (tokenLifetime = s),
    close: async () => {
      for (const res of stalled) res.destroy();
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };

  const save = (): void => {
    if (!options.stateFile) return;
    const ports: Record<string, number> = { authority: Number(new URL(internals.authorityHost).port), arm: Number(new URL(internals.armEndpoint).port) };
    const data: Record<string, ContainerData> = {};
    for (const c of internals.containers.values()) {
      ports[c.spec.name] = c.port;
      data[c.spec.name] = c.data;
    }
    const state: PersistedState = { format: 1, signerPem: signer.exportPrivatePem(), tls, topology, ports, adminKey, data };
    mkdirSync(dirname(options.stateFile), { recursive: true });
    const tmp = `${options.stateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, options.stateFile);
  };

  const deps: PipelineDeps = {
    internals,
    router,
    faults,
    signer,
    latencyMs: () => latencyMs,
    save,
    observe: (x) => {
      if (emulator.recordExchanges) emulator.exchanges.push(x);
    },
    stalled,
  };

  // Authority (token service + admin endpoint).
  const authority = await listen((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'https://x');
        if (url.pathname.startsWith('/_admin/')) return await handleAdmin(req, res, url);
        if (!(await applyFaults(deps, 'authority', req, res, url.pathname))) return;
        const handled = await handleIdentityRequest(
          {
            topology,
            signer,
            authorityHost: internals.authorityHost,
            knownResources: () => [internals.armEndpoint, ...[...internals.containers.values()].map((c) => c.origin), ...(options.extraTokenAudiences ?? [])],
            tokenLifetimeSeconds: () => tokenLifetime,
            onTokenIssued: () => (emulator.tokenRequests += 1),
          },
          req,
          res,
        );
        if (!handled) send(res, 404, { error: 'not_found', error_description: `AADSTS90000: No endpoint ${url.pathname}.` });
      } catch (err) {
        sendError(res, err);
      }
    })();
  }, portFor('authority', 0));
  internals.authorityHost = `https://${host}:${authority.port}`;

  // Azure Resource Manager + Resource Graph.
  const arm = await listen((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', internals.armEndpoint);
        if (!(await applyFaults(deps, 'arm', req, res, url.pathname))) return;
        const raw = await readBody(req);
        const caller = authenticateArm(req);
        let body: unknown;
        if (raw.length) {
          try {
            body = JSON.parse(raw.toString('utf8'));
          } catch {
            throw new KvError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
          }
        }
        const result = await handleArmRequest({ url, method: (req.method ?? 'GET').toUpperCase(), body, caller, emulator: internals });
        send(res, result.status ?? 200, result.body, result.headers);
      } catch (err) {
        sendError(res, err);
      }
    })();
  }, portFor('arm', 1));
  internals.armEndpoint = `https://${host}:${arm.port}`;

  function authenticateArm(req: IncomingMessage): Caller {
    const challengeHeader = { 'www-authenticate': `Bearer authorization_uri="${internals.authorityHost}/${topology.tenants[0]!.tenantId}", error="invalid_token", error_description="The authentication failed because of missing 'Authorization' header."` };
    const header = req.headers.authorization;
    if (!header || !/^Bearer /i.test(header)) throw new KvError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", undefined, challengeHeader);
    const verified = signer.verify(header.slice(7).trim());
    if ('reason' in verified) throw new KvError(401, 'ExpiredAuthenticationToken', `The access token is not valid: ${verified.reason}`, undefined, challengeHeader);
    if (verified.claims.aud.replace(/\/$/, '') !== internals.armEndpoint) throw new KvError(401, 'InvalidAuthenticationTokenAudience', `The access token has been obtained for wrong audience or resource '${verified.claims.aud}'. It should exactly match with one of the allowed audiences '${internals.armEndpoint}'.`, undefined, challengeHeader);
    const identity = topology.identities.find((i) => i.clientId === verified.claims.appid);
    if (!identity) throw new KvError(401, 'InvalidAuthenticationToken', 'The access token is invalid.', undefined, challengeHeader);
    return { identity, tenantId: verified.claims.tid, objectId: verified.claims.oid };
  }

  async function handleAdmin(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.headers['x-emulator-admin-key'] !== adminKey) {
      send(res, 401, { error: { code: 'Unauthorized', message: 'The admin endpoint needs the x-emulator-admin-key header from the ready file.' } });
      return;
    }
    const raw = await readBody(req);
    const body = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
    const method = req.method ?? 'GET';
    switch (`${method} ${url.pathname}`) {
      case 'GET /_admin/faults':
        return send(res, 200, { faults: faults.list(), rateLimit: faults.rateLimit ?? null, latencyMs, tokenLifetime });
      case 'POST /_admin/faults':
        return send(res, 200, { id: faults.add(body as unknown as FaultRule) });
      case 'DELETE /_admin/faults':
        faults.clear();
        return send(res, 200, {});
      case 'PUT /_admin/ratelimit':
        faults.rateLimit = body.rps ? (body as unknown as RateLimit) : undefined;
        return send(res, 200, {});
      case 'PUT /_admin/latency':
        latencyMs = Number(body.ms ?? 0);
        return send(res, 200, {});
      case 'PUT /_admin/token-lifetime':
        tokenLifetime = Number(body.seconds ?? 3600);
        return send(res, 200, {});
      case 'POST /_admin/revoke-tokens':
        faults.tokensRevokedBefore = Date.now();
        return send(res, 200, {});
      case 'GET /_admin/stats':
        return send(res, 200, { containers: Object.fromEntries(requestStats), tokenRequests: emulator.tokenRequests });
      default:
        return send(res, 404, { error: { code: 'NotFound', message: `No admin route ${method} ${url.pathname}` } });
    }
  }

  /** Data-plane requests per container: received, and still waiting for an answer (GET /_admin/stats). */
  const requestStats = new Map<string, { requests: number; open: number }>();

  // One origin per vault / HSM: `*.localhost` does not resolve here, so each gets its own port.
  let index = 2;
  for (const spec of topology.containers) {
    const container: Container = { spec, origin: '', port: 0, data: persisted?.data[spec.name] ?? emptyData() };
    const counts = { requests: 0, open: 0 };
    requestStats.set(spec.name, counts);
    const { port } = await listen((req, res) => {
      // For tests of cancellation: `open` counts requests whose connection still waits for an answer.
      counts.requests++;
      counts.open++;
      res.once('close', () => counts.open--);
      void handleContainerRequest(deps, container, req, res);
    }, portFor(spec.name, index++));
    container.port = port;
    container.origin = `https://${host}:${port}`;
    internals.containers.set(spec.name, container);
  }

  for (const family of families) family.register?.(internals);
  if (!persisted && (options.seed ?? 'demo') === 'demo') {
    for (const container of internals.containers.values()) {
      for (const family of families) await family.seedDemo?.(container, internals);
    }
  }
  save();
  if (options.warmDemoKeys) for (const container of internals.containers.values()) warmDemoKeys(container, save);

  let caCertFile: string;
  if (caDir && !persisted) {
    caCertFile = join(caDir, 'ca.pem');
  } else {
    const dir = options.stateFile ? dirname(options.stateFile) : options.readyFile ? dirname(options.readyFile) : mkdtempSync(join(tmpdir(), 'kv-emulator-'));
    mkdirSync(dir, { recursive: true });
    caCertFile = join(dir, `emulator-ca-${authority.port}.pem`);
    writeFileSync(caCertFile, tls.caCertPem);
  }

  const app = topology.identities.find((i) => i.handle === 'app') ?? topology.identities[0]!;
  const containers = [...internals.containers.values()];
  emulator.ready = {
    tenantId: topology.tenants[0]!.tenantId,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    authorityHost: internals.authorityHost,
    caCertFile,
    armEndpoint: internals.armEndpoint,
    subscriptionId: topology.subscriptions[0]!.subscriptionId,
    vaults: containers.filter((c) => c.spec.kind === 'vault').map((c) => ({ name: c.spec.name, url: c.origin })),
    managedHsms: containers.filter((c) => c.spec.kind === 'hsm').map((c) => ({ name: c.spec.name, url: c.origin })),
    tenants: topology.tenants,
    identities: topology.identities.map(({ handle, displayName, clientId, clientSecret, tenants }) => ({ handle, displayName, clientId, clientSecret, tenants })),
    subscriptions: topology.subscriptions,
    containers: containers.map((c) => ({ name: c.spec.name, kind: c.spec.kind, url: c.origin, tenantId: c.spec.tenantId, subscriptionId: c.spec.subscriptionId, accessModel: c.spec.accessModel, firewall: Boolean(c.spec.firewall) })),
    adminUrl: `${internals.authorityHost}/_admin`,
    adminKey,
    pid: process.pid,
  };
  if (options.readyFile) {
    mkdirSync(dirname(options.readyFile), { recursive: true });
    const tmp = `${options.readyFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(emulator.ready, null, 2));
    renameSync(tmp, options.readyFile);
  }
  return emulator;
}
