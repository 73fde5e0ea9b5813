import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { ArmClient } from '../azure/arm';
import { cloudForHost, type CloudDefinition } from '../azure/clouds';
import { Discovery, type DiscoveryResult, type Subscription } from '../azure/discovery';
import type { CustomEndpoint } from '../keyvault/http/trust';
import { createKeyVaultService, type KeyVaultService } from '../keyvault/service';
import type { AccountSession } from './types';

/** Settings every session's Key Vault client reads live (getters: a settings change applies at once). */
export interface ServiceSettings {
  apiVersion: () => string;
  useMethodOverride: () => boolean;
  timeoutMs: () => number;
  /** Requests in flight at once for bulk reads (discovery per subscription); `keyVault.bulk.concurrency`. */
  bulkConcurrency?: () => number;
  /** `keyvault-explorer/<version>`. */
  userAgentPrefix: string;
}

/** How a session lists its subscriptions: through Resource Manager (every tenant it can reach), or a provider. */
export type SubscriptionLister = (arm: (tenantId?: string) => Pick<ArmClient, 'send'>, abortSignal?: AbortSignal) => Promise<Subscription[]>;

export interface SessionInit {
  id: string;
  label: string;
  /** `microsoft` (VS Code account), `identity` (an @azure/identity credential), `emulator`. */
  kind: 'microsoft' | 'identity' | 'emulator';
  cloud: CloudDefinition;
  credential: TokenCredential;
  settings: ServiceSettings;
  /** Origins outside the cloud's DNS suffixes that may receive tokens (the emulator's vaults and HSMs). */
  customEndpoints?: CustomEndpoint[];
  /** Containers this session knows by construction (the emulator's), so adding one by URL needs no questions. */
  knownContainers?: { kind: 'vault' | 'hsm'; name: string; url: string }[];
  /** Resource Manager's HTTP client (the emulator's CA); default: core-rest-pipeline's. */
  armHttpClient?: HttpClient;
  /** Default: every tenant the credential can list (`/tenants`), then each tenant's subscriptions. */
  listSubscriptions?: SubscriptionLister;
  /** The subscription selection (`keyVault.selectedSubscriptions`, else `azureResourceGroups.selectedSubscriptions`). */
  selectedSubscriptionIds: () => readonly string[] | undefined;
  /** For tests: build the ARM client differently (a fake). */
  armFactory?: (tenantId: string | undefined) => Pick<ArmClient, 'send'>;
  /** Where discovery says what it found (the extension log; never a secret). */
  log?: (message: string) => void;
}

const TENANTS_API = '2022-12-01';

/**
 * Subscriptions of every tenant the credential can reach: `/tenants`, then `/subscriptions` with a token of each
 * tenant (a token of one tenant lists only that tenant's subscriptions). A tenant that refuses (MFA, no access) is
 * skipped; when `/tenants` itself is refused, the home tenant's list is what there is.
 */
export const listSubscriptionsAcrossTenants: SubscriptionLister = async (arm, abortSignal) => {
  const signal = abortSignal ? { abortSignal } : {};
  let tenantIds: string[];
  try {
    tenantIds = [];
    let next: string | undefined = `/tenants?api-version=${TENANTS_API}`;
    const seen = new Set<string>();
    while (next) {
      const page: { value?: { tenantId: string }[]; nextLink?: string | null } = await arm(undefined).send('GET', next, signal);
      for (const t of page.value ?? []) if (t.tenantId) tenantIds.push(t.tenantId);
      next = page.nextLink && !seen.has(page.nextLink) ? page.nextLink : undefined;
      if (next) seen.add(next);
    }
  } catch {
    return new Discovery(arm(undefined)).listSubscriptions(abortSignal);
  }
  if (tenantIds.length === 0) return new Discovery(arm(undefined)).listSubscriptions(abortSignal);
  const results = await Promise.allSettled(tenantIds.map((t) => new Discovery(arm(t)).listSubscriptions(abortSignal)));
  const out = new Map<string, Subscription>();
  for (const r of results) if (r.status === 'fulfilled') for (const s of r.value) if (!out.has(s.subscriptionId)) out.set(s.subscriptionId, s);
  if (out.size === 0) {
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
  return [...out.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
};

/**
 * One credential in one cloud: the Key Vault service on it, Resource Manager per tenant, and cached subscription
 * and discovery results (dropped by invalidate()).
 */
export class CredentialSession implements AccountSession {
  readonly id: string;
  readonly label: string;
  readonly kind: SessionInit['kind'];
  readonly cloud: CloudDefinition;
  readonly credential: TokenCredential;
  readonly service: KeyVaultService;
  readonly arm: ArmClient | undefined;
  readonly knownContainers: readonly { kind: 'vault' | 'hsm'; name: string; url: string }[];
  private readonly customOrigins = new Set<string>();
  private readonly armClients = new Map<string, Pick<ArmClient, 'send'>>();
  private subscriptions: Promise<Subscription[]> | undefined;
  private readonly discoveries = new Map<string, Promise<DiscoveryResult>>();

  constructor(private readonly init: SessionInit) {
    this.id = init.id;
    this.label = init.label;
    this.kind = init.kind;
    this.cloud = init.cloud;
    this.credential = init.credential;
    this.knownContainers = init.knownContainers ?? [];
    this.service = createKeyVaultService({
      credential: init.credential,
      cloud: init.cloud,
      customEndpoints: init.customEndpoints ?? [],
      apiVersion: init.settings.apiVersion,
      useMethodOverride: init.settings.useMethodOverride,
      timeoutMs: init.settings.timeoutMs,
      userAgentPrefix: init.settings.userAgentPrefix,
    });
    for (const e of init.customEndpoints ?? []) this.customOrigins.add(new URL(e.origin).origin.toLowerCase());
    // With a test factory the home client is that fake; the tree only checks that ARM exists.
    this.arm = init.armFactory ? (init.armFactory(undefined) as ArmClient) : this.armClient(undefined);
  }

  private armClient(tenantId: string | undefined): ArmClient {
    return new ArmClient({
      credential: this.credential,
      cloud: this.cloud,
      userAgentPrefix: this.init.settings.userAgentPrefix,
      ...(tenantId ? { tenantId } : {}),
      ...(this.init.armHttpClient ? { httpClient: this.init.armHttpClient } : {}),
    });
  }

  /** Resource Manager with tokens of one tenant (undefined: the credential's home tenant). */
  armFor(tenantId: string | undefined): Pick<ArmClient, 'send'> {
    const key = tenantId?.toLowerCase() ?? '';
    let client = this.armClients.get(key);
    if (!client) {
      client = tenantId === undefined && this.arm ? this.arm : this.init.armFactory ? this.init.armFactory(tenantId) : this.armClient(tenantId);
      this.armClients.set(key, client);
    }
    return client;
  }

  listSubscriptions(abortSignal?: AbortSignal): Promise<Subscription[]> {
    if (!this.subscriptions) {
      const lister = this.init.listSubscriptions ?? listSubscriptionsAcrossTenants;
      const pending = lister((t) => this.armFor(t), abortSignal);
      this.subscriptions = pending;
      // A failure is not cached: the next expand tries again.
      pending.catch(() => {
        if (this.subscriptions === pending) this.subscriptions = undefined;
      });
    }
    return this.subscriptions;
  }

  discover(subscriptionIds: readonly string[], options: { abortSignal?: AbortSignal; refresh?: boolean } = {}): Promise<DiscoveryResult> {
    const key = [...subscriptionIds].map((s) => s.toLowerCase()).sort().join(',');
    if (options.refresh) this.discoveries.delete(key);
    let result = this.discoveries.get(key);
    if (!result) {
      const started = Date.now();
      result = this.discoverUncached(subscriptionIds, options.abortSignal);
      void result.then(
        (r) =>
          this.init.log?.(
            `${this.label}: ${r.containers.length} vaults and HSMs in ${subscriptionIds.length} subscription(s) via ${r.via === 'arm' ? 'Resource Manager' : 'Resource Graph'} (${Date.now() - started} ms)${r.failures.length ? `; ${r.failures.length} subscription(s) could not be read` : ''}`,
          ),
        () => undefined,
      );
      const pending = result;
      this.discoveries.set(key, pending);
      pending.catch(() => {
        if (this.discoveries.get(key) === pending) this.discoveries.delete(key);
      });
    }
    return result;
  }

  /** One discovery per tenant (a subscription answers only tokens of its own tenant), merged. */
  private async discoverUncached(subscriptionIds: readonly string[], abortSignal?: AbortSignal): Promise<DiscoveryResult> {
    if (subscriptionIds.length === 0) return { containers: [], via: 'resource-graph', failures: [] };
    const known = await this.listSubscriptions(abortSignal).catch(() => [] as Subscription[]);
    const tenantOf = new Map(known.map((s) => [s.subscriptionId.toLowerCase(), s.tenantId]));
    const byTenant = new Map<string | undefined, string[]>();
    for (const id of subscriptionIds) {
      const tenant = tenantOf.get(id.toLowerCase());
      byTenant.set(tenant, [...(byTenant.get(tenant) ?? []), id]);
    }
    const groups = [...byTenant.entries()];
    const results = await Promise.allSettled(groups.map(([tenant, ids]) => new Discovery(this.armFor(tenant)).discover(ids, { ...(abortSignal ? { abortSignal } : {}), ...(this.init.settings.bulkConcurrency ? { concurrency: this.init.settings.bulkConcurrency() } : {}) })));
    if (results.every((r) => r.status === 'rejected')) throw (results[0] as PromiseRejectedResult).reason;
    const merged: DiscoveryResult = { containers: [], via: 'resource-graph', failures: [] };
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') {
        merged.containers.push(...r.value.containers);
        merged.failures.push(...r.value.failures);
        if (r.value.via === 'arm') merged.via = 'arm';
      } else {
        const message = r.reason instanceof Error ? r.reason.message : String(r.reason);
        for (const subscriptionId of groups[i]![1]) merged.failures.push({ subscriptionId, message });
      }
    });
    merged.containers.sort((a, b) => a.name.localeCompare(b.name));
    return merged;
  }

  selectedSubscriptionIds(): readonly string[] | undefined {
    return this.init.selectedSubscriptionIds();
  }

  /** True when this session may send tokens to the origin: a host of its cloud, or an explicitly added endpoint. */
  trusts(url: string): boolean {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (this.customOrigins.has(parsed.origin.toLowerCase())) return true;
    const match = cloudForHost(parsed.hostname);
    return match !== undefined && match.cloud.id === this.cloud.id && this.cloud.id !== 'Custom' && (parsed.port === '' || parsed.port === '443');
  }

  addCustomEndpoint(endpoint: CustomEndpoint): void {
    const origin = new URL(endpoint.origin).origin.toLowerCase();
    this.service.addCustomEndpoint({ ...endpoint, authorityHost: endpoint.authorityHost ?? this.cloud.loginEndpoint });
    this.customOrigins.add(origin);
  }

  invalidate(): void {
    this.subscriptions = undefined;
    this.discoveries.clear();
  }

  dispose(): void {
    this.service.dispose();
  }
}
