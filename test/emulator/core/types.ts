import type { IncomingMessage } from 'node:http';
import type { StoreData } from './store';

/** Access-policy permission names, per object family, as the portal and `az keyvault set-policy` name them. */
export type Family = 'secrets' | 'keys' | 'certificates' | 'storage';
export type Permissions = Partial<Record<Family, readonly string[] | 'all'>> | 'all';

export interface IdentitySpec {
  /** Short handle used in tests and the ready file ("app", "reader", "noaccess"). */
  handle: string;
  displayName: string;
  clientId: string;
  clientSecret: string;
  objectId: string;
  /** Tenants the app is registered in (a multi-tenant app can get tokens for each). */
  tenants: string[];
}

export interface ContainerSpec {
  kind: 'vault' | 'hsm';
  name: string;
  tenantId: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  /** Vaults use access policies or Azure RBAC; HSMs always use local RBAC. */
  accessModel: 'accessPolicy' | 'rbac';
  /** When set, every data-plane request is refused with 403 ForbiddenByFirewall. */
  firewall?: boolean;
  softDeleteRetentionDays: number;
  sku: 'standard' | 'premium' | 'Standard_B1';
  /** Permissions by identity handle; identities not named have none. */
  permissions: Record<string, Permissions>;
}

export interface SubscriptionSpec {
  subscriptionId: string;
  displayName: string;
  tenantId: string;
  /** ARM-only vaults to report in this subscription (for discovery benchmarks); they have no data plane. */
  syntheticVaults?: number;
}

export interface TenantSpec {
  tenantId: string;
  displayName: string;
}

export interface Topology {
  tenants: TenantSpec[];
  identities: IdentitySpec[];
  subscriptions: SubscriptionSpec[];
  containers: ContainerSpec[];
  /** Identities that may read ARM and Resource Graph; others get 403 there. `graph: false` → Resource Graph 403. */
  armAccess: Record<string, { graph: boolean }>;
}

/** All JSON state of one vault or HSM; each family owns its part. */
export interface ContainerData {
  secrets: StoreData<unknown>;
  keys: StoreData<unknown>;
  certificates: StoreData<unknown>;
  storage: StoreData<unknown>;
  /** Family-specific unversioned state (certificate issuers/contacts, HSM roles and settings, …). */
  extra: Record<string, unknown>;
}

export interface Container {
  spec: ContainerSpec;
  /** `https://127.0.0.1:PORT` — also the challenge resource and the token audience. */
  origin: string;
  port: number;
  data: ContainerData;
}

export interface Caller {
  identity: IdentitySpec;
  tenantId: string;
  objectId: string;
}

export interface JsonResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  req: IncomingMessage;
  url: URL;
  method: string;
  container: Container;
  params: Record<string, string>;
  /** Parsed JSON body (undefined when the request had none). */
  body: unknown;
  apiVersion: string;
  caller: Caller;
  /** Persist state after a mutation (no-op without --state). */
  save(): void;
  /** Access to other families' stores and helpers (certificates create keys and secrets, for example). */
  emulator: EmulatorInternals;
}

export interface RouteDef {
  method: 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';
  /** Path template, e.g. `/secrets/{secret-name}/{secret-version?}`; a trailing `?` makes a segment optional. */
  path: string;
  /** Swagger operationId (used for schema validation of responses). */
  operationId: string;
  /** Which containers serve it. */
  on: ReadonlyArray<'vault' | 'hsm'>;
  /** Access check before the handler runs: family + access-policy permission name. */
  permission?: { family: Family; action: string };
  /** Set when the response is not a Key Vault JSON body (e.g. 204). */
  handler(ctx: RouteContext): JsonResponse | Promise<JsonResponse>;
}

/** What a family module exports. */
export interface FamilyModule {
  routes: RouteDef[];
  /** Fills a container with demo content (`--seed demo`); called once per container after all services are registered. */
  seedDemo?(container: Container, emulator: EmulatorInternals): void | Promise<void>;
  /** Registers cross-family helpers in `emulator.services` (e.g. certificates use keys' key generation). */
  register?(emulator: EmulatorInternals): void;
}

/** An authenticated ARM / Resource Graph request. */
export interface ArmContext {
  url: URL;
  method: string;
  body: unknown;
  caller: Caller;
  emulator: EmulatorInternals;
}

export interface EmulatorInternals {
  topology: Topology;
  containers: Map<string, Container>;
  authorityHost: string;
  armEndpoint: string;
  /** Cross-family helpers registered by family modules (e.g. `keys.createKeyMaterial`). */
  services: Record<string, unknown>;
}
