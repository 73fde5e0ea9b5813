/**
 * The Azure clouds this extension knows, with the endpoints each needs. Values from the Azure docs and the
 * Azure SDKs' environment tables (ms-rest-azure-env, az cloud show). No `vscode` import: the REST layer uses it.
 */
export interface CloudDefinition {
  /** Stable id used in settings. */
  id: 'AzureCloud' | 'AzureChinaCloud' | 'AzureUSGovernment' | 'Custom';
  displayName: string;
  /** VS Code authentication provider that signs in to this cloud. */
  authProvider: 'microsoft' | 'microsoft-sovereign-cloud';
  /** Value of `microsoft-sovereign-cloud.environment` for sovereign clouds. */
  sovereignEnvironment?: 'ChinaCloud' | 'USGovernment';
  loginEndpoint: string;
  resourceManagerEndpoint: string;
  resourceGraphEndpoint: string;
  portalUrl: string;
  /** DNS suffix of vaults: `{name}.{keyVaultDnsSuffix}`. */
  keyVaultDnsSuffix: string;
  managedHsmDnsSuffix: string;
  /** Resource a Key Vault challenge names (token audience) for vaults and HSMs in this cloud. */
  keyVaultResource: string;
  managedHsmResource: string;
}

export const CLOUDS: readonly CloudDefinition[] = [
  {
    id: 'AzureCloud',
    displayName: 'Azure',
    authProvider: 'microsoft',
    loginEndpoint: 'https://login.microsoftonline.com',
    resourceManagerEndpoint: 'https://management.azure.com',
    resourceGraphEndpoint: 'https://management.azure.com',
    portalUrl: 'https://portal.azure.com',
    keyVaultDnsSuffix: 'vault.azure.net',
    managedHsmDnsSuffix: 'managedhsm.azure.net',
    keyVaultResource: 'https://vault.azure.net',
    managedHsmResource: 'https://managedhsm.azure.net',
  },
  {
    id: 'AzureChinaCloud',
    displayName: 'Azure China (21Vianet)',
    authProvider: 'microsoft-sovereign-cloud',
    sovereignEnvironment: 'ChinaCloud',
    loginEndpoint: 'https://login.chinacloudapi.cn',
    resourceManagerEndpoint: 'https://management.chinacloudapi.cn',
    resourceGraphEndpoint: 'https://management.chinacloudapi.cn',
    portalUrl: 'https://portal.azure.cn',
    keyVaultDnsSuffix: 'vault.azure.cn',
    managedHsmDnsSuffix: 'managedhsm.azure.cn',
    keyVaultResource: 'https://vault.azure.cn',
    managedHsmResource: 'https://managedhsm.azure.cn',
  },
  {
    id: 'AzureUSGovernment',
    displayName: 'Azure US Government',
    authProvider: 'microsoft-sovereign-cloud',
    sovereignEnvironment: 'USGovernment',
    loginEndpoint: 'https://login.microsoftonline.us',
    resourceManagerEndpoint: 'https://management.usgovcloudapi.net',
    resourceGraphEndpoint: 'https://management.usgovcloudapi.net',
    portalUrl: 'https://portal.azure.us',
    keyVaultDnsSuffix: 'vault.usgovcloudapi.net',
    managedHsmDnsSuffix: 'managedhsm.usgovcloudapi.net',
    keyVaultResource: 'https://vault.usgovcloudapi.net',
    managedHsmResource: 'https://managedhsm.usgovcloudapi.net',
  },
];

export function cloudById(id: string): CloudDefinition | undefined {
  return CLOUDS.find((c) => c.id.toLowerCase() === id.toLowerCase());
}

/** The cloud and container kind whose DNS suffix this host name carries, if any. */
export function cloudForHost(hostname: string): { cloud: CloudDefinition; kind: 'vault' | 'hsm' } | undefined {
  const host = hostname.toLowerCase();
  for (const cloud of CLOUDS) {
    if (host.endsWith(`.${cloud.keyVaultDnsSuffix}`)) return { cloud, kind: 'vault' };
    if (host.endsWith(`.${cloud.managedHsmDnsSuffix}`)) return { cloud, kind: 'hsm' };
  }
  return undefined;
}

/**
 * A cloud defined by explicit endpoints (an Azure Stack hub, or the local emulator). Vaults of a custom cloud are
 * reached as custom endpoints (exact origins), never by DNS suffix.
 */
export function customCloud(endpoints: { resourceManagerEndpoint: string; loginEndpoint: string; portalUrl?: string; displayName?: string }): CloudDefinition {
  const strip = (u: string): string => u.replace(/\/+$/, '');
  return {
    id: 'Custom',
    displayName: endpoints.displayName ?? 'Custom cloud',
    authProvider: 'microsoft',
    loginEndpoint: strip(endpoints.loginEndpoint),
    resourceManagerEndpoint: strip(endpoints.resourceManagerEndpoint),
    resourceGraphEndpoint: strip(endpoints.resourceManagerEndpoint),
    portalUrl: strip(endpoints.portalUrl ?? endpoints.resourceManagerEndpoint),
    // No suffix can match a real host name: custom clouds only trust explicitly added origins.
    keyVaultDnsSuffix: 'invalid.',
    managedHsmDnsSuffix: 'invalid.',
    keyVaultResource: 'https://vault.azure.net',
    managedHsmResource: 'https://managedhsm.azure.net',
  };
}
