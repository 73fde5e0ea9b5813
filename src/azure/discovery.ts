import { mapBounded } from '../keyvault/concurrency';
import { isKeyVaultError, KeyVaultError } from '../keyvault/errors';
import type { ArmClient } from './arm';

export interface Subscription {
  subscriptionId: string;
  displayName: string;
  tenantId: string;
  state?: string;
}

/** A vault or Managed HSM found through Resource Manager. */
export interface DiscoveredContainer {
  kind: 'vault' | 'hsm';
  name: string;
  /** Data-plane origin, e.g. https://contoso.vault.azure.net (no trailing slash). */
  url: string;
  resourceId: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  tenantId?: string;
  rbacAuthorization?: boolean;
  softDeleteRetentionDays?: number;
  publicNetworkAccess?: string;
  sku?: string;
}

export interface DiscoveryResult {
  containers: DiscoveredContainer[];
  via: 'resource-graph' | 'arm';
  /** Subscriptions that could not be read (with the reason), so the tree can say so instead of hiding them. */
  failures: { subscriptionId: string; message: string }[];
}

const SUBSCRIPTIONS_API = '2022-12-01';
const KEYVAULT_API = '2023-07-01';
const GRAPH_API = '2022-10-01';
const GRAPH_QUERY =
  "resources | where type in~ ('microsoft.keyvault/vaults', 'microsoft.keyvault/managedhsms') | project id, name, type, location, resourceGroup, subscriptionId, tenantId, properties, sku | order by name asc";

interface ArmPage<T> {
  value?: T[];
  nextLink?: string | null;
}

interface ArmResource {
  id: string;
  name: string;
  type: string;
  location: string;
  resourceGroup?: string;
  subscriptionId?: string;
  tenantId?: string;
  sku?: { name?: string };
  properties?: {
    vaultUri?: string;
    hsmUri?: string;
    tenantId?: string;
    enableRbacAuthorization?: boolean;
    softDeleteRetentionInDays?: number;
    publicNetworkAccess?: string;
    sku?: { name?: string };
  };
}

/** Guards paging loops against a service that repeats a link. */
function nextOnce(seen: Set<string>, link: string | null | undefined): string | undefined {
  if (!link) return undefined;
  if (seen.has(link)) throw new KeyVaultError({ kind: 'server', message: 'Resource Manager returned the same next-page link twice; stopped listing.' });
  seen.add(link);
  return link;
}

export function containerFromResource(r: ArmResource): DiscoveredContainer | undefined {
  const type = r.type.toLowerCase();
  const kind = type === 'microsoft.keyvault/vaults' ? 'vault' : type === 'microsoft.keyvault/managedhsms' ? 'hsm' : undefined;
  const uri = kind === 'vault' ? r.properties?.vaultUri : r.properties?.hsmUri;
  if (!kind || !uri) return undefined;
  const parts = r.id.split('/');
  const at = (key: string): string => parts[parts.findIndex((p) => p.toLowerCase() === key) + 1] ?? '';
  const c: DiscoveredContainer = {
    kind,
    name: r.name,
    url: new URL(uri).origin,
    resourceId: r.id,
    subscriptionId: r.subscriptionId ?? at('subscriptions'),
    resourceGroup: r.resourceGroup ?? at('resourcegroups'),
    location: r.location,
  };
  const tenantId = r.properties?.tenantId ?? r.tenantId;
  if (tenantId) c.tenantId = tenantId;
  if (r.properties?.enableRbacAuthorization !== undefined) c.rbacAuthorization = r.properties.enableRbacAuthorization;
  if (kind === 'hsm') c.rbacAuthorization = true;
  if (r.properties?.softDeleteRetentionInDays !== undefined) c.softDeleteRetentionDays = r.properties.softDeleteRetentionInDays;
  if (r.properties?.publicNetworkAccess) c.publicNetworkAccess = r.properties.publicNetworkAccess;
  const sku = r.properties?.sku?.name ?? r.sku?.name;
  if (sku) c.sku = sku;
  return c;
}

/**
 * Finds vaults and HSMs: one Resource Graph query across all selected subscriptions (paged with $skipToken);
 * when Resource Graph is not allowed, Resource Manager per subscription with bounded concurrency.
 */
export class Discovery {
  constructor(private readonly arm: Pick<ArmClient, 'send'>) {}

  async listSubscriptions(abortSignal?: AbortSignal): Promise<Subscription[]> {
    const out: Subscription[] = [];
    const seen = new Set<string>();
    let next: string | undefined = `/subscriptions?api-version=${SUBSCRIPTIONS_API}`;
    while (next) {
      const page: ArmPage<{ subscriptionId: string; displayName: string; tenantId: string; state?: string }> = await this.arm.send('GET', next, abortSignal ? { abortSignal } : {});
      for (const s of page.value ?? []) out.push({ subscriptionId: s.subscriptionId, displayName: s.displayName, tenantId: s.tenantId, ...(s.state ? { state: s.state } : {}) });
      next = nextOnce(seen, page.nextLink);
    }
    return out;
  }

  /** `via: 'arm'` skips Resource Graph (for accounts where it is known to be blocked, and for benchmarks). */
  async discover(subscriptionIds: readonly string[], options: { abortSignal?: AbortSignal; concurrency?: number; via?: 'auto' | 'arm' } = {}): Promise<DiscoveryResult> {
    if (subscriptionIds.length === 0) return { containers: [], via: 'resource-graph', failures: [] };
    if (options.via === 'arm') return this.viaArm(subscriptionIds, options);
    try {
      return { containers: await this.viaResourceGraph(subscriptionIds, options.abortSignal), via: 'resource-graph', failures: [] };
    } catch (err) {
      // Resource Graph may be blocked by policy or not granted; ARM per subscription still works.
      if (!isKeyVaultError(err) || (err.status !== 403 && err.status !== 400 && err.status !== 404)) throw err;
    }
    return this.viaArm(subscriptionIds, options);
  }

  private async viaResourceGraph(subscriptionIds: readonly string[], abortSignal?: AbortSignal): Promise<DiscoveredContainer[]> {
    const out: DiscoveredContainer[] = [];
    // Resource Graph takes at most 1,000 subscriptions per query.
    for (let i = 0; i < subscriptionIds.length; i += 1000) {
      let skipToken: string | undefined;
      const seen = new Set<string>();
      do {
        const body = { subscriptions: subscriptionIds.slice(i, i + 1000), query: GRAPH_QUERY, options: { resultFormat: 'objectArray', $top: 1000, ...(skipToken ? { $skipToken: skipToken } : {}) } };
        const page: { data?: ArmResource[]; $skipToken?: string } = await this.arm.send('POST', `/providers/Microsoft.ResourceGraph/resources?api-version=${GRAPH_API}`, { body, ...(abortSignal ? { abortSignal } : {}) });
        for (const r of page.data ?? []) {
          const c = containerFromResource(r);
          if (c) out.push(c);
        }
        skipToken = nextOnce(seen, page.$skipToken);
      } while (skipToken);
    }
    return out;
  }

  private async viaArm(subscriptionIds: readonly string[], options: { abortSignal?: AbortSignal; concurrency?: number }): Promise<DiscoveryResult> {
    const failures: DiscoveryResult['failures'] = [];
    const lists = await mapBounded(
      subscriptionIds,
      async (subscriptionId) => {
        const found: DiscoveredContainer[] = [];
        try {
          const seen = new Set<string>();
          for (const provider of ['vaults', 'managedHSMs']) {
            let next: string | undefined = `/subscriptions/${subscriptionId}/providers/Microsoft.KeyVault/${provider}?api-version=${KEYVAULT_API}`;
            while (next) {
              const page: ArmPage<ArmResource> = await this.arm.send('GET', next, options.abortSignal ? { abortSignal: options.abortSignal } : {});
              for (const r of page.value ?? []) {
                const c = containerFromResource(r);
                if (c) found.push(c);
              }
              next = nextOnce(seen, page.nextLink);
            }
          }
        } catch (err) {
          if (isKeyVaultError(err) && err.kind === 'cancelled') throw err;
          failures.push({ subscriptionId, message: err instanceof Error ? err.message : String(err) });
        }
        return found;
      },
      { concurrency: options.concurrency ?? 6, ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}) },
    );
    const containers = lists.flat().sort((a, b) => a.name.localeCompare(b.name));
    return { containers, via: 'arm', failures };
  }
}
