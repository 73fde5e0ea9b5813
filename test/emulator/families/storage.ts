import type { Container, FamilyModule, RouteDef } from '../core/types';
import {
  backupAccount,
  deleteAccount,
  getAccount,
  getDeletedAccount,
  listAccounts,
  listDeletedAccounts,
  purgeDeletedAccount,
  putAccount,
  recoverDeletedAccount,
  regenerateKey,
  restoreAccount,
  setAccount,
  updateAccount,
} from './storage/accounts';
import { deleteSas, getDeletedSas, getSas, listDeletedSas, listSas, putSas, recoverDeletedSas, setSas, updateSas } from './storage/sas';

/** Managed storage accounts and SAS definitions (storage.json, 7.5): vaults only. */

const vault = ['vault'] as const;
const p = (action: string) => ({ family: 'storage' as const, action });
const routes: RouteDef[] = [
  { method: 'GET', path: '/storage', operationId: 'GetStorageAccounts', on: vault, permission: p('list'), handler: listAccounts },
  { method: 'POST', path: '/storage/restore', operationId: 'RestoreStorageAccount', on: vault, permission: p('restore'), handler: restoreAccount },
  { method: 'GET', path: '/storage/{storage-account-name}', operationId: 'GetStorageAccount', on: vault, permission: p('get'), handler: getAccount },
  { method: 'PUT', path: '/storage/{storage-account-name}', operationId: 'SetStorageAccount', on: vault, permission: p('set'), handler: setAccount },
  { method: 'PATCH', path: '/storage/{storage-account-name}', operationId: 'UpdateStorageAccount', on: vault, permission: p('update'), handler: updateAccount },
  { method: 'DELETE', path: '/storage/{storage-account-name}', operationId: 'DeleteStorageAccount', on: vault, permission: p('delete'), handler: deleteAccount },
  { method: 'POST', path: '/storage/{storage-account-name}/backup', operationId: 'BackupStorageAccount', on: vault, permission: p('backup'), handler: backupAccount },
  { method: 'POST', path: '/storage/{storage-account-name}/regeneratekey', operationId: 'RegenerateStorageAccountKey', on: vault, permission: p('regeneratekey'), handler: regenerateKey },
  { method: 'GET', path: '/storage/{storage-account-name}/sas', operationId: 'GetSasDefinitions', on: vault, permission: p('listsas'), handler: listSas },
  { method: 'GET', path: '/storage/{storage-account-name}/sas/{sas-definition-name}', operationId: 'GetSasDefinition', on: vault, permission: p('getsas'), handler: getSas },
  { method: 'PUT', path: '/storage/{storage-account-name}/sas/{sas-definition-name}', operationId: 'SetSasDefinition', on: vault, permission: p('setsas'), handler: setSas },
  { method: 'PATCH', path: '/storage/{storage-account-name}/sas/{sas-definition-name}', operationId: 'UpdateSasDefinition', on: vault, permission: p('setsas'), handler: updateSas },
  { method: 'DELETE', path: '/storage/{storage-account-name}/sas/{sas-definition-name}', operationId: 'DeleteSasDefinition', on: vault, permission: p('deletesas'), handler: deleteSas },
  { method: 'GET', path: '/deletedstorage', operationId: 'GetDeletedStorageAccounts', on: vault, permission: p('list'), handler: listDeletedAccounts },
  { method: 'GET', path: '/deletedstorage/{storage-account-name}', operationId: 'GetDeletedStorageAccount', on: vault, permission: p('get'), handler: getDeletedAccount },
  { method: 'DELETE', path: '/deletedstorage/{storage-account-name}', operationId: 'PurgeDeletedStorageAccount', on: vault, permission: p('purge'), handler: purgeDeletedAccount },
  { method: 'POST', path: '/deletedstorage/{storage-account-name}/recover', operationId: 'RecoverDeletedStorageAccount', on: vault, permission: p('recover'), handler: recoverDeletedAccount },
  { method: 'GET', path: '/deletedstorage/{storage-account-name}/sas', operationId: 'GetDeletedSasDefinitions', on: vault, permission: p('listsas'), handler: listDeletedSas },
  { method: 'GET', path: '/deletedstorage/{storage-account-name}/sas/{sas-definition-name}', operationId: 'GetDeletedSasDefinition', on: vault, permission: p('getsas'), handler: getDeletedSas },
  { method: 'POST', path: '/deletedstorage/{storage-account-name}/sas/{sas-definition-name}/recover', operationId: 'RecoverDeletedSasDefinition', on: vault, permission: p('recover'), handler: recoverDeletedSas },
];

/** Demo content: kv-demo manages one storage account with an account SAS and a read-only container SAS. */
function seedDemo(container: Container): void {
  if (container.spec.kind !== 'vault' || container.spec.name !== 'kv-demo') return;
  const account = 'contosostorage';
  const o = putAccount(container, account, {
    resourceId: `/subscriptions/${container.spec.subscriptionId}/resourceGroups/${container.spec.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${account}`,
    activeKeyName: 'key1',
    autoRegenerateKey: true,
    regenerationPeriod: 'P90D',
    tags: { app: 'orders', env: 'dev' },
  });
  const blob = `https://${account}.blob.core.windows.net`;
  putSas(container, o, 'fullaccess', {
    templateUri: `${blob}/?sv=2021-08-06&ss=bfqt&srt=sco&sp=rwdlacupx&se=2030-01-01T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https&sig=template`,
    sasType: 'account',
    validityPeriod: 'PT2H',
    tags: { purpose: 'batch-jobs' },
  });
  putSas(container, o, 'reportsread', {
    templateUri: `${blob}/reports?sv=2021-08-06&sr=c&sp=rl&se=2030-01-01T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https&sig=template`,
    sasType: 'service',
    validityPeriod: 'P1D',
    tags: { purpose: 'reporting' },
  });
}

export const storage: FamilyModule = { routes, seedDemo };
