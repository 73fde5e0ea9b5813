import { randomBytes, randomUUID } from 'node:crypto';
import type { Topology } from './core/types';

export const TENANT_A = '72f988bf-0000-4000-8000-00000000000a';
export const TENANT_B = 'b4b2b2b2-0000-4000-8000-00000000000b';

const secret = (): string => `emu~${randomBytes(24).toString('base64url')}`;

/**
 * The default world: two tenants, three subscriptions, four vaults (one firewalled, one in the second tenant,
 * one RBAC-mode vault for scale) and one Managed HSM; three identities with full, list-only and no access.
 */
export function defaultTopology(): Topology {
  const allList = { secrets: ['list'], keys: ['list'], certificates: ['list', 'listissuers'], storage: ['list', 'listsas'] } as const;
  return {
    tenants: [
      { tenantId: TENANT_A, displayName: 'Contoso (emulator)' },
      { tenantId: TENANT_B, displayName: 'Fabrikam (emulator)' },
    ],
    identities: [
      { handle: 'app', displayName: 'keyvault-explorer-dev', clientId: randomUUID(), clientSecret: secret(), objectId: randomUUID(), tenants: [TENANT_A, TENANT_B] },
      { handle: 'reader', displayName: 'list-only-reader', clientId: randomUUID(), clientSecret: secret(), objectId: randomUUID(), tenants: [TENANT_A] },
      { handle: 'noaccess', displayName: 'no-access-app', clientId: randomUUID(), clientSecret: secret(), objectId: randomUUID(), tenants: [TENANT_A] },
    ],
    subscriptions: [
      { subscriptionId: '11111111-1111-4111-8111-111111111111', displayName: 'Contoso Development', tenantId: TENANT_A },
      { subscriptionId: '22222222-2222-4222-8222-222222222222', displayName: 'Contoso Production', tenantId: TENANT_A },
      { subscriptionId: '33333333-3333-4333-8333-333333333333', displayName: 'Fabrikam Shared', tenantId: TENANT_B },
    ],
    containers: [
      {
        kind: 'vault', name: 'kv-demo', tenantId: TENANT_A, subscriptionId: '11111111-1111-4111-8111-111111111111',
        resourceGroup: 'rg-keyvault-demo', location: 'eastus', accessModel: 'accessPolicy', softDeleteRetentionDays: 90, sku: 'premium',
        permissions: { app: 'all', reader: allList },
      },
      {
        kind: 'vault', name: 'kv-scale', tenantId: TENANT_A, subscriptionId: '22222222-2222-4222-8222-222222222222',
        resourceGroup: 'rg-keyvault-prod', location: 'westeurope', accessModel: 'rbac', softDeleteRetentionDays: 90, sku: 'standard',
        permissions: { app: 'all', reader: allList },
      },
      {
        kind: 'vault', name: 'kv-firewalled', tenantId: TENANT_A, subscriptionId: '11111111-1111-4111-8111-111111111111',
        resourceGroup: 'rg-keyvault-demo', location: 'eastus', accessModel: 'rbac', firewall: true, softDeleteRetentionDays: 90, sku: 'standard',
        permissions: { app: 'all', reader: 'all' },
      },
      {
        kind: 'vault', name: 'kv-tenant2', tenantId: TENANT_B, subscriptionId: '33333333-3333-4333-8333-333333333333',
        resourceGroup: 'rg-fabrikam', location: 'northeurope', accessModel: 'accessPolicy', softDeleteRetentionDays: 7, sku: 'standard',
        permissions: { app: 'all' },
      },
      {
        kind: 'hsm', name: 'hsm-demo', tenantId: TENANT_A, subscriptionId: '11111111-1111-4111-8111-111111111111',
        resourceGroup: 'rg-keyvault-demo', location: 'eastus', accessModel: 'rbac', softDeleteRetentionDays: 90, sku: 'Standard_B1',
        permissions: { app: 'all', reader: { keys: ['list'] } },
      },
    ],
    armAccess: { app: { graph: true }, reader: { graph: false } },
  };
}

/**
 * Adds `count` subscriptions to the first tenant, each reporting `vaultsPerSubscription` ARM-only vaults, so that
 * discovery across many subscriptions can be measured without a data-plane listener per vault.
 */
export function withSyntheticSubscriptions(topology: Topology, count: number, vaultsPerSubscription = 3): Topology {
  const tenantId = topology.tenants[0]!.tenantId;
  const added = Array.from({ length: count }, (_, i) => ({
    subscriptionId: `5e000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    displayName: `Synthetic Subscription ${String(i + 1).padStart(3, '0')}`,
    tenantId,
    syntheticVaults: vaultsPerSubscription,
  }));
  return { ...topology, subscriptions: [...topology.subscriptions, ...added] };
}
