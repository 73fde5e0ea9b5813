import type { Container, ContainerSpec, EmulatorInternals, Family, Permissions, SubscriptionSpec } from '../../core/types';

/** Microsoft.KeyVault resources as ARM reports them, built from the topology at response time. */

export const VAULT_TYPE = 'Microsoft.KeyVault/vaults';
export const HSM_TYPE = 'Microsoft.KeyVault/managedHSMs';

export interface ArmResource {
  id: string;
  name: string;
  type: string;
  location: string;
  subscriptionId: string;
  resourceGroup: string;
  tenantId: string;
  tags: Record<string, string>;
  /** Managed HSMs carry their SKU at the top level; vaults inside `properties`. */
  sku?: { family: string; name: string };
  properties: Record<string, unknown>;
}

/** Access-policy permission names a full grant stands for, as the portal lists them. */
const ALL_PERMISSIONS: Record<Family, string[]> = {
  keys: ['get', 'list', 'update', 'create', 'import', 'delete', 'recover', 'backup', 'restore', 'decrypt', 'encrypt', 'unwrapKey', 'wrapKey', 'verify', 'sign', 'purge', 'release', 'rotate', 'getrotationpolicy', 'setrotationpolicy'],
  secrets: ['get', 'list', 'set', 'delete', 'recover', 'backup', 'restore', 'purge'],
  certificates: ['get', 'list', 'update', 'create', 'import', 'delete', 'recover', 'backup', 'restore', 'managecontacts', 'manageissuers', 'getissuers', 'listissuers', 'setissuers', 'deleteissuers', 'purge'],
  storage: ['get', 'list', 'delete', 'set', 'update', 'regeneratekey', 'getsas', 'listsas', 'deletesas', 'setsas', 'recover', 'backup', 'restore', 'purge'],
};

function policyPermissions(p: Permissions): Record<Family, string[]> {
  const out = {} as Record<Family, string[]>;
  for (const family of Object.keys(ALL_PERMISSIONS) as Family[]) {
    const granted = p === 'all' ? 'all' : p[family];
    out[family] = granted === 'all' ? [...ALL_PERMISSIONS[family]] : [...(granted ?? [])];
  }
  return out;
}

const resourceId = (subscriptionId: string, resourceGroup: string, type: string, name: string): string =>
  `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${type}/${name}`;

const networkAcls = (spec: ContainerSpec): Record<string, unknown> => ({ bypass: 'AzureServices', defaultAction: spec.firewall ? 'Deny' : 'Allow', ipRules: [], virtualNetworkRules: [] });

function vaultResource(c: Container, emulator: EmulatorInternals): ArmResource {
  const { spec } = c;
  const accessPolicies =
    spec.accessModel === 'accessPolicy'
      ? Object.entries(spec.permissions).flatMap(([handle, p]) => {
          const identity = emulator.topology.identities.find((i) => i.handle === handle);
          return identity ? [{ tenantId: spec.tenantId, objectId: identity.objectId, permissions: policyPermissions(p) }] : [];
        })
      : [];
  return {
    id: resourceId(spec.subscriptionId, spec.resourceGroup, VAULT_TYPE, spec.name),
    name: spec.name,
    type: VAULT_TYPE,
    location: spec.location,
    subscriptionId: spec.subscriptionId,
    resourceGroup: spec.resourceGroup,
    tenantId: spec.tenantId,
    tags: {},
    properties: {
      sku: { family: 'A', name: spec.sku === 'premium' ? 'premium' : 'standard' },
      tenantId: spec.tenantId,
      accessPolicies,
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      enableSoftDelete: true,
      softDeleteRetentionInDays: spec.softDeleteRetentionDays,
      enableRbacAuthorization: spec.accessModel === 'rbac',
      vaultUri: `${c.origin}/`,
      provisioningState: 'Succeeded',
      publicNetworkAccess: 'Enabled',
      networkAcls: networkAcls(spec),
    },
  };
}

function hsmResource(c: Container, emulator: EmulatorInternals): ArmResource {
  const { spec } = c;
  const admins = Object.entries(spec.permissions)
    .filter(([, p]) => p === 'all')
    .flatMap(([handle]) => emulator.topology.identities.filter((i) => i.handle === handle).map((i) => i.objectId));
  return {
    id: resourceId(spec.subscriptionId, spec.resourceGroup, HSM_TYPE, spec.name),
    name: spec.name,
    type: HSM_TYPE,
    location: spec.location,
    subscriptionId: spec.subscriptionId,
    resourceGroup: spec.resourceGroup,
    tenantId: spec.tenantId,
    tags: {},
    sku: { family: 'B', name: spec.sku === 'standard' || spec.sku === 'premium' ? 'Standard_B1' : spec.sku },
    properties: {
      tenantId: spec.tenantId,
      initialAdminObjectIds: admins,
      hsmUri: `${c.origin}/`,
      enableSoftDelete: true,
      softDeleteRetentionInDays: spec.softDeleteRetentionDays,
      enablePurgeProtection: false,
      statusMessage: 'The Managed HSM is provisioned and ready to use.',
      provisioningState: 'Succeeded',
      networkAcls: networkAcls(spec),
      publicNetworkAccess: 'Enabled',
      securityDomainProperties: { activationStatus: 'Active', activationStatusMessage: 'Your HSM has been activated and can be used for cryptographic operations.' },
      regions: [],
    },
  };
}

/** ARM-only vaults of a synthetic subscription: realistic shapes, no data plane behind their (unresolvable) URIs. */
function syntheticVaults(sub: SubscriptionSpec): ArmResource[] {
  const tag = sub.subscriptionId.slice(-4);
  return Array.from({ length: sub.syntheticVaults ?? 0 }, (_, i) => {
    const name = `kv-syn${tag}-${i + 1}`;
    const resourceGroup = `rg-synthetic-${tag}`;
    return {
      id: resourceId(sub.subscriptionId, resourceGroup, VAULT_TYPE, name),
      name,
      type: VAULT_TYPE,
      location: ['eastus', 'westeurope', 'southeastasia'][i % 3]!,
      subscriptionId: sub.subscriptionId,
      resourceGroup,
      tenantId: sub.tenantId,
      tags: { synthetic: 'true' },
      properties: {
        sku: { family: 'A', name: 'standard' },
        tenantId: sub.tenantId,
        accessPolicies: [],
        enableSoftDelete: true,
        softDeleteRetentionInDays: 90,
        enableRbacAuthorization: true,
        vaultUri: `https://${name}.vault.azure.net/`,
        provisioningState: 'Succeeded',
        publicNetworkAccess: 'Enabled',
      },
    };
  });
}

/** Every Key Vault resource of a subscription, vaults first, each kind sorted by name. */
export function resourcesOf(emulator: EmulatorInternals, sub: SubscriptionSpec): ArmResource[] {
  const containers = [...emulator.containers.values()].filter((c) => c.spec.subscriptionId === sub.subscriptionId);
  const byName = (a: ArmResource, b: ArmResource): number => a.name.localeCompare(b.name);
  const vaults = [...containers.filter((c) => c.spec.kind === 'vault').map((c) => vaultResource(c, emulator)), ...syntheticVaults(sub)].sort(byName);
  const hsms = containers.filter((c) => c.spec.kind === 'hsm').map((c) => hsmResource(c, emulator)).sort(byName);
  return [...vaults, ...hsms];
}

/** The resource as the ARM resource-provider APIs answer it. */
export function armShape(r: ArmResource): Record<string, unknown> {
  const out: Record<string, unknown> = { id: r.id, name: r.name, type: r.type, location: r.location, tags: r.tags };
  if (r.sku) out.sku = r.sku;
  out.properties = r.properties;
  return out;
}
