import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { portalLink } from '../../src/commands/tree/portalLink';

const azure = { id: 'AzureCloud', portalUrl: 'https://portal.azure.com' };
const china = { id: 'AzureChinaCloud', portalUrl: 'https://portal.azure.cn' };
const usgov = { id: 'AzureUSGovernment', portalUrl: 'https://portal.azure.us/' };
const resourceId = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/contoso';

describe('Open in Portal links', () => {
  it('opens a vault by its resource id in the portal of its cloud, in its tenant', () => {
    assert.equal(portalLink({ cloud: azure, containerKind: 'vault', resourceId, tenantId: 't1' }), `https://portal.azure.com/#@t1/resource${resourceId}`);
    assert.equal(portalLink({ cloud: china, containerKind: 'vault', resourceId }), `https://portal.azure.cn/#/resource${resourceId}`);
    assert.equal(portalLink({ cloud: usgov, containerKind: 'vault', resourceId }), `https://portal.azure.us/#/resource${resourceId}`);
  });

  it('has no page for a vault added by URL (no resource id) or on a custom endpoint', () => {
    assert.equal(portalLink({ cloud: azure, containerKind: 'vault' }), undefined);
    assert.equal(portalLink({ cloud: { id: 'Custom', portalUrl: 'https://127.0.0.1:1234' }, containerKind: 'vault', resourceId }), undefined);
  });

  it('opens keys, secrets and certificates of a vault on the Key Vault blade by their id', () => {
    const id = 'https://contoso.vault.azure.net/secrets/db/0123456789abcdef0123456789abcdef';
    assert.equal(portalLink({ cloud: azure, containerKind: 'vault', tenantId: 't1', object: { family: 'secrets', id } }), `https://portal.azure.com/#@t1/asset/Microsoft_Azure_KeyVault/Secret/${id}`);
    assert.match(portalLink({ cloud: china, containerKind: 'vault', object: { family: 'keys', id: 'https://c.vault.azure.cn/keys/k' } })!, /^https:\/\/portal\.azure\.cn\/#\/asset\/Microsoft_Azure_KeyVault\/Key\/https:\/\/c\.vault\.azure\.cn\/keys\/k$/);
    assert.match(portalLink({ cloud: usgov, containerKind: 'vault', object: { family: 'certificates', id: 'https://c.vault.usgovcloudapi.net/certificates/c' } })!, /^https:\/\/portal\.azure\.us\/#\/asset\/Microsoft_Azure_KeyVault\/Certificate\//);
  });

  it('has no page for deleted objects and storage accounts; Managed HSM keys open their HSM', () => {
    assert.equal(portalLink({ cloud: azure, containerKind: 'vault', object: { family: 'secrets', id: 'https://c.vault.azure.net/secrets/x', deleted: true } }), undefined);
    assert.equal(portalLink({ cloud: azure, containerKind: 'vault', object: { family: 'storage', id: 'https://c.vault.azure.net/storage/x' } }), undefined);
    const hsm = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/managedHSMs/h';
    assert.equal(portalLink({ cloud: azure, containerKind: 'hsm', resourceId: hsm, object: { family: 'keys', id: 'https://h.managedhsm.azure.net/keys/k' } }), `https://portal.azure.com/#/resource${hsm}`);
    assert.equal(portalLink({ cloud: azure, containerKind: 'hsm', object: { family: 'keys', id: 'https://h.managedhsm.azure.net/keys/k' } }), undefined);
  });
});
