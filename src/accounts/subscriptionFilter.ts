/**
 * Which subscriptions the tree shows. Entries use the Azure extensions' `azureResourceGroups.selectedSubscriptions`
 * convention, `{tenantId}/{subscriptionId}` (a bare subscription id is accepted too). Our own
 * `keyVault.selectedSubscriptions` (written by "Key Vault: Select Subscriptions…") wins; when it is empty the Azure
 * extensions' selection applies; when both are empty every subscription shows.
 */
export interface SubscriptionSelection {
  subscriptionIds: string[];
  tenantIds: string[];
  /** Which setting it came from, for the picker's title. */
  source: 'keyVault' | 'azureResourceGroups';
}

function entries(value: unknown): { tenantId?: string; subscriptionId: string }[] {
  if (!Array.isArray(value)) return [];
  const out: { tenantId?: string; subscriptionId: string }[] = [];
  for (const v of value) {
    if (typeof v !== 'string') continue;
    const parts = v.trim().split('/').filter(Boolean);
    if (parts.length === 1) out.push({ subscriptionId: parts[0]!.toLowerCase() });
    else if (parts.length === 2) out.push({ tenantId: parts[0]!.toLowerCase(), subscriptionId: parts[1]!.toLowerCase() });
  }
  return out;
}

export function subscriptionSelection(ours: unknown, azureResourceGroups: unknown): SubscriptionSelection | undefined {
  for (const [source, value] of [['keyVault', ours], ['azureResourceGroups', azureResourceGroups]] as const) {
    const list = entries(value);
    if (list.length > 0) {
      return {
        source,
        subscriptionIds: [...new Set(list.map((e) => e.subscriptionId))],
        tenantIds: [...new Set(list.flatMap((e) => (e.tenantId ? [e.tenantId] : [])))],
      };
    }
  }
  return undefined;
}

/** The setting value for a selection made in the picker. */
export function selectionEntries(selected: readonly { tenantId: string; subscriptionId: string }[]): string[] {
  return [...new Set(selected.map((s) => `${s.tenantId}/${s.subscriptionId}`))];
}
