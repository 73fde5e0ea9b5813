import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Environment } from '@azure/ms-rest-azure-env';
import { CLOUDS, cloudById, cloudForHost, customCloud } from '../../src/azure/clouds';
import { authProviderFromSovereignSetting, cloudFromSovereignSetting } from '../../src/azure/credentials/sovereignCloud';

/**
 * Expected values, from the Azure documentation ("Azure China 21Vianet developer guide", "Azure Government
 * developer guide", Key Vault / Managed HSM "about" pages, Resource Graph REST reference: Resource Graph is served
 * by each cloud's Resource Manager endpoint) — and cross-checked below against the Azure SDK's own table,
 * @azure/ms-rest-azure-env (what @microsoft/vscode-azext-azureauth uses).
 */
const EXPECTED = {
  AzureCloud: {
    login: 'https://login.microsoftonline.com',
    arm: 'https://management.azure.com',
    portal: 'https://portal.azure.com',
    vault: 'vault.azure.net',
    hsm: 'managedhsm.azure.net',
    provider: 'microsoft',
    sdk: Environment.AzureCloud,
  },
  AzureChinaCloud: {
    login: 'https://login.chinacloudapi.cn',
    arm: 'https://management.chinacloudapi.cn',
    portal: 'https://portal.azure.cn',
    vault: 'vault.azure.cn',
    hsm: 'managedhsm.azure.cn',
    provider: 'microsoft-sovereign-cloud',
    sdk: Environment.ChinaCloud,
  },
  AzureUSGovernment: {
    login: 'https://login.microsoftonline.us',
    arm: 'https://management.usgovcloudapi.net',
    portal: 'https://portal.azure.us',
    vault: 'vault.usgovcloudapi.net',
    hsm: 'managedhsm.usgovcloudapi.net',
    provider: 'microsoft-sovereign-cloud',
    sdk: Environment.USGovernment,
  },
} as const;

const noSlash = (u: string) => u.replace(/\/+$/, '');

describe('cloud table', () => {
  it('has exactly Azure, Azure China and Azure US Government', () => {
    assert.deepEqual(CLOUDS.map((c) => c.id), ['AzureCloud', 'AzureChinaCloud', 'AzureUSGovernment']);
  });

  for (const [id, want] of Object.entries(EXPECTED)) {
    describe(id, () => {
      const cloud = cloudById(id)!;
      it('signs in at the documented login authority, with the right VS Code provider', () => {
        assert.equal(cloud.loginEndpoint, want.login);
        assert.equal(cloud.authProvider, want.provider);
        assert.equal(noSlash(want.sdk.activeDirectoryEndpointUrl), cloud.loginEndpoint, 'matches @azure/ms-rest-azure-env');
      });
      it('reaches Resource Manager and Resource Graph at the management endpoint', () => {
        assert.equal(cloud.resourceManagerEndpoint, want.arm);
        assert.equal(cloud.resourceGraphEndpoint, want.arm);
        assert.equal(noSlash(want.sdk.resourceManagerEndpointUrl), cloud.resourceManagerEndpoint, 'matches @azure/ms-rest-azure-env');
      });
      it('opens the documented portal', () => {
        assert.equal(cloud.portalUrl, want.portal);
        assert.equal(noSlash(want.sdk.portalUrl), cloud.portalUrl, 'matches @azure/ms-rest-azure-env');
      });
      it('knows the vault and Managed HSM DNS suffixes and their token audiences', () => {
        assert.equal(cloud.keyVaultDnsSuffix, want.vault);
        assert.equal(cloud.managedHsmDnsSuffix, want.hsm);
        assert.equal(`.${cloud.keyVaultDnsSuffix}`, want.sdk.keyVaultDnsSuffix, 'matches @azure/ms-rest-azure-env');
        assert.equal(cloud.keyVaultResource, `https://${want.vault}`);
        assert.equal(cloud.managedHsmResource, `https://${want.hsm}`);
      });
      it('endpoints are https origins without a trailing slash', () => {
        for (const u of [cloud.loginEndpoint, cloud.resourceManagerEndpoint, cloud.resourceGraphEndpoint, cloud.portalUrl, cloud.keyVaultResource, cloud.managedHsmResource]) {
          assert.equal(new URL(u).origin, u);
          assert.equal(new URL(u).protocol, 'https:');
        }
      });
      it('recognises its own vault and HSM hosts, and no other cloud does', () => {
        assert.deepEqual(cloudForHost(`contoso.${want.vault}`), { cloud, kind: 'vault' });
        assert.deepEqual(cloudForHost(`CONTOSO.${want.hsm.toUpperCase()}`), { cloud, kind: 'hsm' });
        assert.equal(cloudForHost(`contoso.${want.vault}.evil.example`), undefined);
      });
    });
  }

  it('maps microsoft-sovereign-cloud.environment to the cloud and provider VS Code signs in with', () => {
    assert.equal(cloudFromSovereignSetting({}).id, 'AzureCloud');
    assert.equal(cloudFromSovereignSetting({ environment: 'ChinaCloud' }).id, 'AzureChinaCloud');
    assert.equal(cloudFromSovereignSetting({ environment: 'USGovernment' }).id, 'AzureUSGovernment');
    assert.equal(cloudFromSovereignSetting({ environment: 42 }).id, 'AzureCloud');
    assert.equal(authProviderFromSovereignSetting({}), 'microsoft');
    assert.equal(authProviderFromSovereignSetting({ environment: 'USGovernment' }), 'microsoft-sovereign-cloud');
    const custom = cloudFromSovereignSetting({
      environment: 'custom',
      customEnvironment: { name: 'Stack Hub', resourceManagerEndpointUrl: 'https://management.local.azurestack.external/', activeDirectoryEndpointUrl: 'https://login.local/', portalUrl: 'https://portal.local/' },
    });
    assert.equal(custom.id, 'Custom');
    assert.equal(custom.displayName, 'Stack Hub');
    assert.equal(custom.resourceManagerEndpoint, 'https://management.local.azurestack.external');
    assert.equal(custom.loginEndpoint, 'https://login.local');
    assert.equal(authProviderFromSovereignSetting({ environment: 'custom' }), 'microsoft-sovereign-cloud');
    // A half-configured custom cloud falls back to Azure rather than inventing endpoints.
    assert.equal(cloudFromSovereignSetting({ environment: 'custom', customEnvironment: {} }).id, 'AzureCloud');
  });

  it('a custom cloud (the emulator, Azure Stack) matches no host by suffix: its vaults must be added explicitly', () => {
    const c = customCloud({ resourceManagerEndpoint: 'https://127.0.0.1:9001/', loginEndpoint: 'https://127.0.0.1:9000' });
    assert.equal(c.resourceManagerEndpoint, 'https://127.0.0.1:9001');
    assert.equal(c.resourceGraphEndpoint, 'https://127.0.0.1:9001');
    assert.equal(cloudForHost('x.invalid.'), undefined);
  });
});
