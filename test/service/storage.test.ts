import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestEmulator, containerUrl } from '../support/emulator';
import { collect, serviceFor } from '../support/service';
import type { Emulator } from '../emulator';
import type { KeyVaultService } from '../../src/keyvault/service';
import { isKeyVaultError, KeyVaultError } from '../../src/keyvault/errors';
import type { SetStorageAccountOptions } from '../../src/keyvault/models/storage';

const SUBSCRIPTION = '11111111-1111-4111-8111-111111111111';
const resourceId = (account: string): string => `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-test/providers/Microsoft.Storage/storageAccounts/${account}`;
const accountOptions = (account: string, extra: Partial<SetStorageAccountOptions> = {}): SetStorageAccountOptions => ({
  resourceId: resourceId(account),
  activeKeyName: 'key1',
  autoRegenerateKey: true,
  regenerationPeriod: 'P30D',
  ...extra,
});
const accountSas = (account: string): string => `https://${account}.blob.core.windows.net/?sv=2021-08-06&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&spr=https&sig=template`;
const serviceSas = (account: string): string => `https://${account}.blob.core.windows.net/logs?sv=2021-08-06&sr=c&sp=r&se=2030-01-01T00:00:00Z&spr=https&sig=template`;

const badRequest = (pattern: RegExp) => (e: unknown) => e instanceof KeyVaultError && e.kind === 'bad-request' && pattern.test(e.message);

describe('storage accounts service against the emulator', () => {
  let emu: Emulator;
  let svc: KeyVaultService;
  let vault: string;

  before(async () => {
    emu = await startTestEmulator({ seed: 'demo' });
    svc = serviceFor(emu.ready);
    vault = containerUrl(emu.ready, 'kv-demo');
  });
  after(async () => {
    svc.dispose();
    await emu.close();
  });

  it('lists the seeded storage account and reads it with its key settings', async () => {
    const all = await collect(svc.storage.list(vault));
    const seeded = all.find((a) => a.name === 'contosostorage');
    assert.ok(seeded, all.map((a) => a.name).join());
    assert.match(seeded.resourceId, /\/providers\/Microsoft\.Storage\/storageAccounts\/contosostorage$/);
    const one = await svc.storage.get(vault, seeded.name);
    assert.equal(one.id, `${new URL(vault).origin}/storage/contosostorage`);
    assert.equal(one.vaultUrl, new URL(vault).origin);
    assert.ok(one.activeKeyName === 'key1' || one.activeKeyName === 'key2');
    assert.equal(typeof one.autoRegenerateKey, 'boolean');
    assert.ok(one.attributes.createdOn instanceof Date);
  });

  it('sets a storage account with tags and reads the same settings back', async () => {
    const set = await svc.storage.set(vault, 'svcstore1', accountOptions('svcstore1', { tags: { team: 'data' } }));
    assert.equal(set.name, 'svcstore1');
    assert.equal(set.activeKeyName, 'key1');
    assert.equal(set.regenerationPeriod, 'P30D');
    const got = await svc.storage.get(vault, 'svcstore1');
    assert.deepEqual(got.tags, { team: 'data' });
    assert.equal(got.resourceId, resourceId('svcstore1'));
    assert.equal(got.autoRegenerateKey, true);
    assert.equal(got.attributes.enabled, true);
  });

  it('updates the active key, period, tags and enabled flag', async () => {
    await svc.storage.set(vault, 'svcstore2', accountOptions('svcstore2'));
    const updated = await svc.storage.update(vault, 'svcstore2', { activeKeyName: 'key2', regenerationPeriod: 'P60D', tags: { rotated: 'yes' }, enabled: false });
    assert.equal(updated.activeKeyName, 'key2');
    assert.equal(updated.regenerationPeriod, 'P60D');
    assert.deepEqual(updated.tags, { rotated: 'yes' });
    assert.equal(updated.attributes.enabled, false);
  });

  it('regenerates a key and moves the updated time forward', async () => {
    const before = await svc.storage.set(vault, 'svcstore3', accountOptions('svcstore3'));
    await new Promise((r) => setTimeout(r, 1100));
    const after = await svc.storage.regenerateKey(vault, 'svcstore3', 'key1');
    assert.equal(after.name, 'svcstore3');
    assert.ok(after.attributes.updatedOn! > before.attributes.updatedOn!);
  });

  it('deletes, lists deleted, recovers, deletes again and purges an account', async () => {
    await svc.storage.set(vault, 'svclifecycle', accountOptions('svclifecycle'));
    const deleted = await svc.storage.delete(vault, 'svclifecycle');
    assert.ok(deleted.recoveryId?.endsWith('/deletedstorage/svclifecycle'));
    assert.ok(deleted.scheduledPurgeDate! > new Date());
    assert.ok((await collect(svc.storage.listDeleted(vault))).some((d) => d.name === 'svclifecycle'));
    assert.equal((await svc.storage.getDeleted(vault, 'svclifecycle')).name, 'svclifecycle');
    await assert.rejects(svc.storage.get(vault, 'svclifecycle'), (e: unknown) => isKeyVaultError(e) && e.kind === 'not-found');
    await assert.rejects(svc.storage.set(vault, 'svclifecycle', accountOptions('svclifecycle')), (e: unknown) => isKeyVaultError(e) && e.kind === 'conflict-deleted');
    const recovered = await svc.storage.recover(vault, 'svclifecycle');
    assert.equal(recovered.name, 'svclifecycle');
    await svc.storage.delete(vault, 'svclifecycle');
    await svc.storage.purge(vault, 'svclifecycle');
    await assert.rejects(svc.storage.getDeleted(vault, 'svclifecycle'), (e: unknown) => isKeyVaultError(e) && e.kind === 'not-found');
  });

  it('backs up and restores an account together with its SAS definitions', async () => {
    await svc.storage.set(vault, 'svcbackup', accountOptions('svcbackup'));
    await svc.storage.setSasDefinition(vault, 'svcbackup', 'reader', { templateUri: serviceSas('svcbackup'), sasType: 'service', validityPeriod: 'PT1H' });
    const blob = await svc.storage.backup(vault, 'svcbackup');
    assert.ok(blob.length > 32);
    await assert.rejects(svc.storage.restore(vault, blob), (e: unknown) => isKeyVaultError(e) && e.status === 409);
    await svc.storage.delete(vault, 'svcbackup');
    await svc.storage.purge(vault, 'svcbackup');
    const restored = await svc.storage.restore(vault, blob);
    assert.equal(restored.name, 'svcbackup');
    assert.deepEqual((await collect(svc.storage.listSasDefinitions(vault, 'svcbackup'))).map((s) => s.name), ['reader']);
  });

  it('creates, lists, reads, updates and deletes SAS definitions, and recovers a deleted one', async () => {
    await svc.storage.set(vault, 'svcsas', accountOptions('svcsas'));
    const created = await svc.storage.setSasDefinition(vault, 'svcsas', 'acct', { templateUri: accountSas('svcsas'), sasType: 'account', validityPeriod: 'PT2H', tags: { use: 'batch' } });
    assert.equal(created.accountName, 'svcsas');
    assert.equal(created.name, 'acct');
    assert.equal(created.sasType, 'account');
    assert.match(created.secretId, /\/secrets\/svcsas-acct$/);
    await svc.storage.setSasDefinition(vault, 'svcsas', 'logs', { templateUri: serviceSas('svcsas'), sasType: 'service', validityPeriod: 'P1D' });
    const names = (await collect(svc.storage.listSasDefinitions(vault, 'svcsas'))).map((s) => s.name).sort();
    assert.deepEqual(names, ['acct', 'logs']);
    const got = await svc.storage.getSasDefinition(vault, 'svcsas', 'acct');
    assert.equal(got.validityPeriod, 'PT2H');
    assert.deepEqual(got.tags, { use: 'batch' });
    assert.equal(got.templateUri, accountSas('svcsas'));
    const updated = await svc.storage.updateSasDefinition(vault, 'svcsas', 'acct', { validityPeriod: 'PT4H', enabled: false });
    assert.equal(updated.validityPeriod, 'PT4H');
    assert.equal(updated.attributes.enabled, false);
    // The token Key Vault issued lives in the definition's secret.
    const token = await svc.secrets.get(vault, 'svcsas-logs');
    assert.match(token.value, /sig=/);
    const deleted = await svc.storage.deleteSasDefinition(vault, 'svcsas', 'logs');
    assert.ok(deleted.recoveryId?.endsWith('/deletedstorage/svcsas/sas/logs'));
    assert.deepEqual((await collect(svc.storage.listDeletedSasDefinitions(vault, 'svcsas'))).map((s) => s.name), ['logs']);
    assert.equal((await svc.storage.getDeletedSasDefinition(vault, 'svcsas', 'logs')).name, 'logs');
    await assert.rejects(svc.storage.getSasDefinition(vault, 'svcsas', 'logs'), (e: unknown) => isKeyVaultError(e) && e.kind === 'not-found');
    const recovered = await svc.storage.recoverSasDefinition(vault, 'svcsas', 'logs');
    assert.equal(recovered.name, 'logs');
    assert.equal((await collect(svc.storage.listSasDefinitions(vault, 'svcsas'))).length, 2);
  });

  it('refuses bad names, resource ids, key names, durations and SAS templates before sending', async () => {
    const before = svc.requestCount();
    await assert.rejects(svc.storage.get(vault, 'with-dash'), badRequest(/not a valid storage account name/));
    await assert.rejects(svc.storage.set(vault, 'ok1', { ...accountOptions('ok1'), resourceId: '/subscriptions/x/storage' }), badRequest(/not a storage account resource id/));
    await assert.rejects(svc.storage.set(vault, 'ok1', { ...accountOptions('ok1'), activeKeyName: 'key3' as never }), badRequest(/key1 or key2/));
    await assert.rejects(svc.storage.set(vault, 'ok1', { ...accountOptions('ok1'), regenerationPeriod: '90 days' }), badRequest(/ISO 8601/));
    await assert.rejects(svc.storage.regenerateKey(vault, 'ok1', 'primary' as never), badRequest(/key1 or key2/));
    await assert.rejects(svc.storage.setSasDefinition(vault, 'ok1', 'bad_name', { templateUri: accountSas('ok1'), sasType: 'account', validityPeriod: 'PT1H' }), badRequest(/SAS definition name/));
    await assert.rejects(svc.storage.setSasDefinition(vault, 'ok1', 's1', { templateUri: serviceSas('ok1'), sasType: 'account', validityPeriod: 'PT1H' }), badRequest(/lacks ss, srt/));
    await assert.rejects(svc.storage.setSasDefinition(vault, 'ok1', 's1', { templateUri: 'not a uri', sasType: 'service', validityPeriod: 'PT1H' }), badRequest(/absolute URI/));
    await assert.rejects(svc.storage.setSasDefinition(vault, 'ok1', 's1', { templateUri: serviceSas('ok1'), sasType: 'service', validityPeriod: 'PT0H' }), badRequest(/positive ISO 8601/));
    assert.equal(svc.requestCount(), before);
  });

  it('reports a missing account and a missing SAS definition as not found', async () => {
    await assert.rejects(svc.storage.get(vault, 'nosuchaccount'), (e: unknown) => isKeyVaultError(e) && e.kind === 'not-found' && e.code === 'StorageAccountNotFound');
    await assert.rejects(svc.storage.getSasDefinition(vault, 'contosostorage', 'nosuchsas'), (e: unknown) => isKeyVaultError(e) && e.kind === 'not-found');
  });

  it('names the missing storage permission when the list-only reader reads an account', async () => {
    const reader = serviceFor(emu.ready, 'reader');
    assert.ok((await collect(reader.storage.list(vault))).length > 0);
    await assert.rejects(reader.storage.get(vault, 'contosostorage'), (e: unknown) => isKeyVaultError(e) && e.kind === 'forbidden-access-policy' && /storage/.test(e.hint));
    reader.dispose();
  });

  it('stops a listing when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(collect(svc.storage.list(vault, { abortSignal: controller.signal })), (e: unknown) => isKeyVaultError(e) && e.kind === 'cancelled');
  });
});
