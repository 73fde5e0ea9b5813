import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SasDefinition } from '../../src/keyvault/models/storage';
import {
  checkAccountName,
  checkDuration,
  checkResourceId,
  checkSasName,
  checkTemplate,
  describeDuration,
  describeSas,
  redactTemplate,
  sasDefinitionProperties,
  sasTooltipRows,
  storageAccountProperties,
} from '../../src/commands/storage/sasInput';

const TEMPLATE = 'https://contosostorage.blob.core.windows.net/?sv=2021-08-06&ss=bfqt&srt=sco&sp=rl&se=2030-01-01T00:00:00Z&spr=https&sig=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D';

const sas: SasDefinition = {
  id: 'https://kv-demo.vault.azure.net/storage/contosostorage/sas/fullaccess',
  vaultUrl: 'https://kv-demo.vault.azure.net',
  accountName: 'contosostorage',
  name: 'fullaccess',
  secretId: 'https://kv-demo.vault.azure.net/secrets/contosostorage-fullaccess',
  templateUri: TEMPLATE,
  sasType: 'account',
  validityPeriod: 'PT2H',
  attributes: { enabled: true, createdOn: new Date('2026-01-01T00:00:00Z') },
  tags: { purpose: 'batch' },
};

describe('Storage account and SAS definition input', () => {
  it('checks names, resource ids, templates and durations with the service layer rules', () => {
    assert.equal(checkSasName('fullaccess'), undefined);
    assert.match(checkSasName('full-access') ?? '', /not a valid SAS definition name.*no dashes/);
    assert.match(checkAccountName('my storage') ?? '', /not a valid storage account name/);
    assert.equal(checkResourceId('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/contosostorage'), undefined);
    assert.match(checkResourceId('/subscriptions/x/resourceGroups/rg') ?? '', /not a storage account resource id/);
    assert.equal(checkTemplate(TEMPLATE, 'account'), undefined);
    assert.match(checkTemplate(TEMPLATE, 'service') ?? '', /lacks sr for a service SAS/);
    assert.match(checkTemplate('http://a/?sv=1', 'account') ?? '', /https/);
    assert.match(checkTemplate('not a uri', 'account') ?? '', /not an absolute URI/);
    assert.equal(checkDuration('pt2h', 'Validity period'), undefined);
    assert.match(checkDuration('2 hours', 'Validity period') ?? '', /not a positive ISO 8601 duration/);
    assert.match(checkDuration('P0D', 'Validity period') ?? '', /not a positive/);
  });

  it('says durations in words', () => {
    assert.equal(describeDuration('PT2H'), '2 hours');
    assert.equal(describeDuration('P1D'), '1 day');
    assert.equal(describeDuration('P1Y6M'), '1 year 6 months');
    assert.equal(describeDuration('P1MT30M'), '1 month 30 minutes');
    assert.equal(describeDuration('P90D'), '90 days');
    assert.equal(describeDuration('soon'), 'soon');
    assert.equal(describeSas(sas), 'account SAS · tokens last 2 hours');
  });

  it("never shows a template's signature: not in tooltips, not in properties", () => {
    assert.equal(redactTemplate(TEMPLATE)?.includes('c2VjcmV0'), false);
    assert.match(redactTemplate(TEMPLATE) ?? '', /sig=\*\*\*/);
    assert.match(redactTemplate(TEMPLATE) ?? '', /sp=rl/);
    const everything = JSON.stringify([sasTooltipRows(sas), sasDefinitionProperties(sas)]);
    assert.equal(everything.includes('c2VjcmV0'), false);
    assert.match(everything, /contosostorage-fullaccess/);
  });

  it('describes a storage account with what the listing lacks', () => {
    const p = storageAccountProperties({
      id: 'https://kv-demo.vault.azure.net/storage/contosostorage',
      vaultUrl: 'https://kv-demo.vault.azure.net',
      name: 'contosostorage',
      resourceId: '/subscriptions/…/storageAccounts/contosostorage',
      activeKeyName: 'key1',
      autoRegenerateKey: true,
      regenerationPeriod: 'P90D',
      attributes: { enabled: true },
      tags: {},
    });
    assert.equal(p.activeKeyName, 'key1');
    assert.equal(p.regenerationPeriod, 'P90D (90 days)');
    assert.equal('deleted' in p, false);
  });
});
