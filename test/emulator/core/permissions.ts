import { KvError } from './errors';
import type { Caller, Container, Family } from './types';

/** Azure RBAC data actions Key Vault reports in its 403 message, by family and access-policy permission. */
const RBAC_ACTION: Record<Family, Record<string, string>> = {
  secrets: { get: 'secrets/getSecret/action', list: 'secrets/readMetadata/action', set: 'secrets/setSecret/action', delete: 'secrets/delete', recover: 'secrets/recover/action', backup: 'secrets/backup/action', restore: 'secrets/restore/action', purge: 'deletedSecrets/delete' },
  keys: { get: 'keys/read', list: 'keys/read', create: 'keys/create/action', import: 'keys/import/action', update: 'keys/update/action', delete: 'keys/delete', recover: 'keys/recover/action', backup: 'keys/backup/action', restore: 'keys/restore/action', purge: 'deletedKeys/delete', sign: 'keys/sign/action', verify: 'keys/verify/action', encrypt: 'keys/encrypt/action', decrypt: 'keys/decrypt/action', wrapKey: 'keys/wrap/action', unwrapKey: 'keys/unwrap/action', release: 'keys/release/action', rotate: 'keys/rotate/action', getrotationpolicy: 'keyrotationpolicies/read', setrotationpolicy: 'keyrotationpolicies/write', rng: 'rng/action' },
  certificates: { get: 'certificates/read', list: 'certificates/read', create: 'certificates/create/action', import: 'certificates/import/action', update: 'certificates/update/action', delete: 'certificates/delete', recover: 'certificates/recover/action', backup: 'certificates/backup/action', restore: 'certificates/restore/action', purge: 'deletedCertificates/delete', managecontacts: 'certificatecontacts/write', getissuers: 'certificatecas/read', listissuers: 'certificatecas/read', setissuers: 'certificatecas/write', deleteissuers: 'certificatecas/delete', manageissuers: 'certificatecas/write' },
  storage: { get: 'storageaccounts/read', list: 'storageaccounts/read', set: 'storageaccounts/write', update: 'storageaccounts/write', delete: 'storageaccounts/delete', regeneratekey: 'storageaccounts/regeneratekey/action', recover: 'storageaccounts/recover/action', purge: 'deletedstorageaccounts/delete', backup: 'storageaccounts/backup/action', restore: 'storageaccounts/restore/action', setsas: 'storageaccounts/sas/set/action', listsas: 'storageaccounts/sas/read', getsas: 'storageaccounts/sas/read', deletesas: 'storageaccounts/sas/delete' },
};

export function hasPermission(container: Container, caller: Caller, family: Family, action: string): boolean {
  const granted = container.spec.permissions[caller.identity.handle];
  if (!granted) return false;
  if (granted === 'all') return true;
  const forFamily = granted[family];
  if (!forFamily) return false;
  return forFamily === 'all' || forFamily.some((p) => p.toLowerCase() === action.toLowerCase());
}

const callerText = (_container: Container, caller: Caller): string =>
  `appid=${caller.identity.clientId};oid=${caller.objectId};iss=https://sts.windows.net/${caller.tenantId}/`;

const vaultText = (container: Container): string => `${container.spec.name};location=${container.spec.location}`;

/** 403 with the wording Key Vault uses for the container's access model. */
export function forbidden(container: Container, caller: Caller, family: Family, action: string): KvError {
  if (container.spec.accessModel === 'rbac' || container.spec.kind === 'hsm') {
    const provider = container.spec.kind === 'hsm' ? 'Microsoft.KeyVault/managedHsm' : 'Microsoft.KeyVault/vaults';
    const dataAction = `${provider}/${RBAC_ACTION[family][action] ?? `${family}/${action}/action`}`;
    const message =
      `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n` +
      `Caller: ${callerText(container, caller)}\r\nAction: '${dataAction}'\r\n` +
      `Resource: '/subscriptions/${container.spec.subscriptionId}/resourcegroups/${container.spec.resourceGroup}/providers/${provider.split('/')[1]}/${container.spec.name}/${family}/*'\r\n` +
      `Assignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: null \r\nVault: ${vaultText(container)}\r\n`;
    return new KvError(403, 'Forbidden', message, 'ForbiddenByRbac');
  }
  const message =
    `The user, group or application '${callerText(container, caller)}' does not have ${family} ${action} permission on key vault '${vaultText(container)}'. ` +
    `For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`;
  return new KvError(403, 'Forbidden', message, 'AccessDenied');
}

export function firewallForbidden(container: Container, caller: Caller | undefined, clientAddress: string): KvError {
  const message =
    `Client address is not authorized and caller is not a trusted service.\r\nClient address: ${clientAddress}\r\n` +
    (caller ? `Caller: ${callerText(container, caller)}\r\n` : '') +
    `Vault: ${vaultText(container)}`;
  return new KvError(403, 'Forbidden', message, 'ForbiddenByFirewall');
}
