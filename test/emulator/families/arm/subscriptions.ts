import type { EmulatorInternals, SubscriptionSpec, TenantSpec } from '../../core/types';

/** Subscriptions and tenants as Microsoft.Resources answers them. */

export function subscriptionOut(s: SubscriptionSpec): Record<string, unknown> {
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: s.subscriptionId,
    tenantId: s.tenantId,
    displayName: s.displayName,
    state: 'Enabled',
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
  };
}

export function tenantOut(t: TenantSpec): Record<string, unknown> {
  const domain = `${t.displayName.split(' ')[0]!.toLowerCase()}.onmicrosoft.com`;
  return {
    id: `/tenants/${t.tenantId}`,
    tenantId: t.tenantId,
    countryCode: 'US',
    displayName: t.displayName,
    domains: [domain],
    tenantCategory: 'Home',
    defaultDomain: domain,
    tenantType: 'AAD',
  };
}

/** Subscriptions a token of `tenantId` can see: those of that tenant. */
export const subscriptionsOfTenant = (emulator: EmulatorInternals, tenantId: string): SubscriptionSpec[] =>
  emulator.topology.subscriptions.filter((s) => s.tenantId === tenantId);
