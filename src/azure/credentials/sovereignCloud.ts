import { CLOUDS, customCloud, type CloudDefinition } from '../clouds';

/**
 * The cloud VS Code's Microsoft sign-in is configured for: the built-in authentication extension's
 * `microsoft-sovereign-cloud.environment` setting (`ChinaCloud`, `USGovernment`, `custom`, or unset for Azure),
 * the same setting @microsoft/vscode-azext-azureauth and the Azure extensions read.
 */
export const SOVEREIGN_SECTION = 'microsoft-sovereign-cloud';

export interface SovereignSetting {
  environment?: unknown;
  /** `microsoft-sovereign-cloud.customEnvironment` (an @azure/ms-rest-azure-env EnvironmentParameters object). */
  customEnvironment?: unknown;
}

export function cloudFromSovereignSetting(setting: SovereignSetting): CloudDefinition {
  const env = typeof setting.environment === 'string' ? setting.environment : '';
  if (env === 'ChinaCloud') return CLOUDS.find((c) => c.id === 'AzureChinaCloud')!;
  if (env === 'USGovernment') return CLOUDS.find((c) => c.id === 'AzureUSGovernment')!;
  if (env === 'custom') {
    const custom = (setting.customEnvironment ?? {}) as { resourceManagerEndpointUrl?: unknown; activeDirectoryEndpointUrl?: unknown; portalUrl?: unknown; name?: unknown };
    if (typeof custom.resourceManagerEndpointUrl === 'string' && typeof custom.activeDirectoryEndpointUrl === 'string') {
      return customCloud({
        resourceManagerEndpoint: custom.resourceManagerEndpointUrl,
        loginEndpoint: custom.activeDirectoryEndpointUrl,
        ...(typeof custom.portalUrl === 'string' ? { portalUrl: custom.portalUrl } : {}),
        displayName: typeof custom.name === 'string' && custom.name ? custom.name : 'Custom cloud',
      });
    }
  }
  return CLOUDS[0]!;
}

/** The VS Code authentication provider for that setting: `microsoft` for Azure, `microsoft-sovereign-cloud` otherwise. */
export function authProviderFromSovereignSetting(setting: SovereignSetting): 'microsoft' | 'microsoft-sovereign-cloud' {
  const env = typeof setting.environment === 'string' ? setting.environment : '';
  return env === 'ChinaCloud' || env === 'USGovernment' || env === 'custom' ? 'microsoft-sovereign-cloud' : 'microsoft';
}
