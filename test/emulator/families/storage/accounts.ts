import { conflict } from '../../core/errors';
import { newVersion, nowSeconds } from '../../core/ids';
import { pageOf } from '../../core/paging';
import { newAttributes, type ObjectRecord } from '../../core/store';
import { openBackup, sealBackup } from '../../core/backup';
import { optionalTags, requireObject } from '../../core/validate';
import type { Container, JsonResponse, RouteContext } from '../../core/types';
import { accountBundle, accountItem, deletedAccountFields } from './bundles';
import { accountNotFound, current, deletedAccountNotFound, storageStore, type StorageObject, type StoragePayload, type StorageRecord } from './model';
import { checkActiveKeyName, checkBoolean, checkDuration, checkKeyName, checkResourceId, checkStorageName, enabledAttribute } from './rules';
import { assertSasSecretsFree, dropAllSasSecrets, issueAllSasSecrets, newAccountKey } from './token';

const deletedConflict = (name: string) =>
  conflict(`Storage account ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the storage account can only be recovered or purged.`);

function liveAccount(ctx: RouteContext): StorageObject {
  const name = ctx.params['storage-account-name']!;
  checkStorageName(name, 'Storage account');
  const o = storageStore(ctx.container).get(name);
  if (!o) throw accountNotFound(name);
  return o;
}

export interface AccountInput {
  resourceId: string;
  activeKeyName: string;
  autoRegenerateKey: boolean;
  regenerationPeriod?: string;
  tags?: Record<string, string>;
  enabled?: boolean;
}

/** Creates or replaces an account; its keys and SAS definitions survive a replace, as on Key Vault. */
export function putAccount(container: Container, name: string, input: AccountInput): StorageObject {
  const store = storageStore(container);
  const existing = store.get(name);
  if (existing) {
    const r = current(existing);
    r.payload.resourceId = input.resourceId;
    r.payload.activeKeyName = input.activeKeyName;
    r.payload.autoRegenerateKey = input.autoRegenerateKey;
    if (input.regenerationPeriod !== undefined) r.payload.regenerationPeriod = input.regenerationPeriod;
    else delete r.payload.regenerationPeriod;
    if (input.tags) r.tags = input.tags;
    else delete r.tags;
    if (input.enabled !== undefined) r.attributes.enabled = input.enabled;
    r.attributes.updated = nowSeconds();
    return existing;
  }
  const payload: StoragePayload = {
    resourceId: input.resourceId,
    activeKeyName: input.activeKeyName,
    autoRegenerateKey: input.autoRegenerateKey,
    accountKeys: { key1: newAccountKey(), key2: newAccountKey() },
    sas: {},
    deletedSas: {},
  };
  if (input.regenerationPeriod !== undefined) payload.regenerationPeriod = input.regenerationPeriod;
  const record: StorageRecord = { version: newVersion(), attributes: newAttributes({ enabled: input.enabled ?? true }, container.spec.softDeleteRetentionDays), payload };
  if (input.tags) record.tags = input.tags;
  return store.addVersion(name, record);
}

export function setAccount(ctx: RouteContext): JsonResponse {
  const name = ctx.params['storage-account-name']!;
  checkStorageName(name, 'Storage account');
  const body = requireObject(ctx.body, 'SetStorageAccount');
  const input: AccountInput = {
    resourceId: checkResourceId(body.resourceId),
    activeKeyName: checkActiveKeyName(body.activeKeyName),
    autoRegenerateKey: checkBoolean(body.autoRegenerateKey, 'autoRegenerateKey'),
  };
  if (body.regenerationPeriod !== undefined && body.regenerationPeriod !== null) input.regenerationPeriod = checkDuration(body.regenerationPeriod, 'regenerationPeriod');
  const tags = optionalTags(body);
  if (tags) input.tags = tags;
  const enabled = enabledAttribute(body);
  if (enabled !== undefined) input.enabled = enabled;
  const store = storageStore(ctx.container);
  if (store.getDeleted(name)) throw deletedConflict(name);
  const o = putAccount(ctx.container, store.get(name)?.name ?? name, input);
  ctx.save();
  return { body: accountBundle(ctx.container.origin, o) };
}

export function getAccount(ctx: RouteContext): JsonResponse {
  return { body: accountBundle(ctx.container.origin, liveAccount(ctx)) };
}

export function listAccounts(ctx: RouteContext): JsonResponse {
  return { body: pageOf(storageStore(ctx.container).list().map((o) => accountItem(ctx.container.origin, o)), ctx.url) };
}

export function updateAccount(ctx: RouteContext): JsonResponse {
  const o = liveAccount(ctx);
  const body = requireObject(ctx.body ?? {}, 'UpdateStorageAccount');
  const r = current(o);
  // Validate everything before changing anything, so a bad request leaves the account as it was.
  const activeKeyName = body.activeKeyName !== undefined ? checkActiveKeyName(body.activeKeyName) : undefined;
  const autoRegenerateKey = body.autoRegenerateKey !== undefined ? checkBoolean(body.autoRegenerateKey, 'autoRegenerateKey') : undefined;
  const regenerationPeriod = body.regenerationPeriod !== undefined && body.regenerationPeriod !== null ? checkDuration(body.regenerationPeriod, 'regenerationPeriod') : undefined;
  const tags = optionalTags(body);
  const enabled = enabledAttribute(body);
  if (activeKeyName !== undefined) r.payload.activeKeyName = activeKeyName;
  if (autoRegenerateKey !== undefined) r.payload.autoRegenerateKey = autoRegenerateKey;
  if (regenerationPeriod !== undefined) r.payload.regenerationPeriod = regenerationPeriod;
  if (tags) r.tags = tags;
  if (enabled !== undefined) r.attributes.enabled = enabled;
  r.attributes.updated = nowSeconds();
  if (activeKeyName !== undefined) issueAllSasSecrets(ctx.container, o);
  ctx.save();
  return { body: accountBundle(ctx.container.origin, o) };
}

export function regenerateKey(ctx: RouteContext): JsonResponse {
  const o = liveAccount(ctx);
  const body = requireObject(ctx.body, 'RegenerateStorageAccountKey');
  const keyName = checkKeyName(body.keyName);
  const r = current(o);
  r.payload.accountKeys[keyName] = newAccountKey();
  r.attributes.updated = nowSeconds();
  // Tokens signed with the old active key are void: issue new ones.
  if (keyName === r.payload.activeKeyName) issueAllSasSecrets(ctx.container, o);
  ctx.save();
  return { body: accountBundle(ctx.container.origin, o) };
}

export function deleteAccount(ctx: RouteContext): JsonResponse {
  const o = liveAccount(ctx);
  dropAllSasSecrets(ctx.container, o);
  const d = storageStore(ctx.container).softDelete(o.name)!;
  ctx.save();
  return { body: { ...deletedAccountFields(ctx.container.origin, o.name, d.deletedDate, d.scheduledPurgeDate), ...accountBundle(ctx.container.origin, o) } };
}

export function listDeletedAccounts(ctx: RouteContext): JsonResponse {
  const items = storageStore(ctx.container)
    .listDeleted()
    .map((d) => ({ ...deletedAccountFields(ctx.container.origin, d.object.name, d.deletedDate, d.scheduledPurgeDate), ...accountItem(ctx.container.origin, d.object) }));
  return { body: pageOf(items, ctx.url) };
}

export function getDeletedAccount(ctx: RouteContext): JsonResponse {
  const name = ctx.params['storage-account-name']!;
  checkStorageName(name, 'Storage account');
  const d = storageStore(ctx.container).getDeleted(name);
  if (!d) throw deletedAccountNotFound(name);
  return { body: { ...deletedAccountFields(ctx.container.origin, d.object.name, d.deletedDate, d.scheduledPurgeDate), ...accountBundle(ctx.container.origin, d.object) } };
}

export function purgeDeletedAccount(ctx: RouteContext): JsonResponse {
  const name = ctx.params['storage-account-name']!;
  checkStorageName(name, 'Storage account');
  if (!storageStore(ctx.container).purge(name)) throw deletedAccountNotFound(name);
  ctx.save();
  return { status: 204 };
}

export function recoverDeletedAccount(ctx: RouteContext): JsonResponse {
  const name = ctx.params['storage-account-name']!;
  checkStorageName(name, 'Storage account');
  const store = storageStore(ctx.container);
  if (store.get(name)) throw conflict(`Storage account ${name} already exists and is not deleted.`);
  const deleted = store.getDeleted(name);
  if (!deleted) throw deletedAccountNotFound(name);
  assertSasSecretsFree(ctx.container, deleted.object.name, Object.values(current(deleted.object).payload.sas).map((s) => s.name));
  const o = store.recover(name)!;
  issueAllSasSecrets(ctx.container, o);
  ctx.save();
  return { body: accountBundle(ctx.container.origin, o) };
}

export function backupAccount(ctx: RouteContext): JsonResponse {
  return { body: { value: sealBackup('storage', liveAccount(ctx)) } };
}

export function restoreAccount(ctx: RouteContext): JsonResponse {
  const body = requireObject(ctx.body, 'RestoreStorageAccount');
  const o = openBackup<ObjectRecord<StoragePayload>>('storage', body.value);
  const store = storageStore(ctx.container);
  if (store.get(o.name)) throw conflict(`Storage account ${o.name} already exists. Restore is only possible when no storage account with that name exists; delete and purge it first.`);
  if (store.getDeleted(o.name)) throw deletedConflict(o.name);
  assertSasSecretsFree(ctx.container, o.name, Object.values(current(o).payload.sas).map((s) => s.name));
  // The restored account takes this vault's deletion-recovery settings.
  const fresh = newAttributes(undefined, ctx.container.spec.softDeleteRetentionDays);
  for (const a of [current(o).attributes, ...Object.values(current(o).payload.sas).map((s) => s.attributes)]) {
    a.recoveryLevel = fresh.recoveryLevel;
    a.recoverableDays = fresh.recoverableDays;
  }
  store.put(o);
  issueAllSasSecrets(ctx.container, o);
  ctx.save();
  return { body: accountBundle(ctx.container.origin, o) };
}
