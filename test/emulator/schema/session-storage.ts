import { uniqueName, type SessionContext } from './session-context';
import { expectStatus } from './session';

/** Managed storage accounts and SAS definitions (api-version 7.5) over raw HTTPS: no maintained SDK speaks them any more. */
export async function storageSession({ ready, raw, s }: SessionContext): Promise<void> {
  const v = { apiVersion: '7.5' } as const;
  const call = async (method: string, path: string, body: unknown, ...ok: number[]) => expectStatus(await raw.request('kv-demo', method, path, { ...v, ...(body === undefined ? {} : { body }) }), ...ok);
  const account = uniqueName('schemastorage').replace(/-/g, '');
  const resourceId = `/subscriptions/${ready.subscriptionId}/resourceGroups/rg-keyvault-demo/providers/Microsoft.Storage/storageAccounts/${account}`;
  const set = await s.step('SetStorageAccount', () => call('PUT', `/storage/${account}`, { resourceId, activeKeyName: 'key1', autoRegenerateKey: true, regenerationPeriod: 'P30D', tags: { team: 'fidelity' } }, 200));
  if (!set) {
    s.blocked('every other storage operation', 'SetStorageAccount');
    return;
  }
  await s.step('GetStorageAccount', () => call('GET', `/storage/${account}`, undefined, 200));
  await s.step('GetStorageAccounts', () => call('GET', '/storage?maxresults=2', undefined, 200));
  await s.step('UpdateStorageAccount', () => call('PATCH', `/storage/${account}`, { activeKeyName: 'key2', tags: { team: 'fidelity', updated: 'yes' } }, 200));
  await s.step('RegenerateStorageAccountKey', () => call('POST', `/storage/${account}/regeneratekey`, { keyName: 'key1' }, 200));

  const sas = 'schemasas';
  const template = `https://${account}.blob.core.windows.net/?sv=2018-03-28&ss=bfqt&srt=sco&sp=rwdlacup&se=2030-01-01T00:00:00Z&st=2020-01-01T00:00:00Z&spr=https&sig=placeholder`;
  await s.step('SetSasDefinition', () => call('PUT', `/storage/${account}/sas/${sas}`, { templateUri: template, sasType: 'account', validityPeriod: 'PT2H' }, 200));
  await s.step('GetSasDefinition', () => call('GET', `/storage/${account}/sas/${sas}`, undefined, 200));
  await s.step('GetSasDefinitions', () => call('GET', `/storage/${account}/sas`, undefined, 200));
  await s.step('UpdateSasDefinition', () => call('PATCH', `/storage/${account}/sas/${sas}`, { validityPeriod: 'PT4H', attributes: { enabled: true } }, 200));
  await s.step('DeleteSasDefinition', () => call('DELETE', `/storage/${account}/sas/${sas}`, undefined, 200));
  await s.step('GetDeletedSasDefinitions', () => call('GET', `/deletedstorage/${account}/sas`, undefined, 200));
  await s.step('GetDeletedSasDefinition', () => call('GET', `/deletedstorage/${account}/sas/${sas}`, undefined, 200));
  await s.step('RecoverDeletedSasDefinition', () => call('POST', `/deletedstorage/${account}/sas/${sas}/recover`, undefined, 200));

  const backup = await s.step('BackupStorageAccount', () => call('POST', `/storage/${account}/backup`, undefined, 200));
  await s.step('DeleteStorageAccount', () => call('DELETE', `/storage/${account}`, undefined, 200));
  await s.step('GetDeletedStorageAccount', () => call('GET', `/deletedstorage/${account}`, undefined, 200));
  await s.step('GetDeletedStorageAccounts', () => call('GET', '/deletedstorage', undefined, 200));
  await s.step('RecoverDeletedStorageAccount', () => call('POST', `/deletedstorage/${account}/recover`, undefined, 200));
  await s.step('DeleteStorageAccount again', () => call('DELETE', `/storage/${account}`, undefined, 200));
  await s.step('PurgeDeletedStorageAccount', () => call('DELETE', `/deletedstorage/${account}`, undefined, 204));
  const blob = (backup?.json as { value?: string } | undefined)?.value;
  if (blob) await s.step('RestoreStorageAccount after purge', () => call('POST', '/storage/restore', { value: blob }, 200));
  else s.blocked('RestoreStorageAccount', 'BackupStorageAccount');

  await s.step('GetStorageAccount of a missing account is 404', () => call('GET', `/storage/${uniqueName('missing').replace(/-/g, '')}`, undefined, 404));
  await s.step('SetStorageAccount without resourceId is 400', () => call('PUT', `/storage/${uniqueName('bad').replace(/-/g, '')}`, { activeKeyName: 'key1', autoRegenerateKey: false }, 400));
}
