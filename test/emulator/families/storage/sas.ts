import { conflict } from '../../core/errors';
import { nowSeconds } from '../../core/ids';
import { pageOf } from '../../core/paging';
import { newAttributes } from '../../core/store';
import { optionalTags, requireObject } from '../../core/validate';
import type { Container, JsonResponse, RouteContext } from '../../core/types';
import { deletedSasFields, sasBundle, sasItem } from './bundles';
import { accountNotFound, current, deletedSasNotFound, sasKey, sasNotFound, storageStore, type SasRecord, type StorageObject } from './model';
import { checkDuration, checkSasType, checkStorageName, checkTemplateUri, enabledAttribute } from './rules';
import { assertSasSecretsFree, dropSasSecret, issueSasSecret } from './token';

function account(ctx: RouteContext): StorageObject {
  const name = ctx.params['storage-account-name']!;
  checkStorageName(name, 'Storage account');
  const o = storageStore(ctx.container).get(name);
  if (!o) throw accountNotFound(name);
  return o;
}

function sasName(ctx: RouteContext): string {
  const name = ctx.params['sas-definition-name']!;
  checkStorageName(name, 'SAS definition');
  return name;
}

export interface SasInput {
  templateUri: string;
  sasType: SasRecord['sasType'];
  validityPeriod: string;
  tags?: Record<string, string>;
  enabled?: boolean;
}

/** Creates or replaces a definition and issues a token into its secret. */
export function putSas(container: Container, o: StorageObject, name: string, input: SasInput): SasRecord {
  const sas = current(o).payload.sas;
  const existing = sas[sasKey(name)];
  const record: SasRecord = {
    name: existing?.name ?? name,
    templateUri: input.templateUri,
    sasType: input.sasType,
    validityPeriod: input.validityPeriod,
    attributes: existing ? { ...existing.attributes, updated: nowSeconds() } : newAttributes(undefined, container.spec.softDeleteRetentionDays),
  };
  if (input.enabled !== undefined) record.attributes.enabled = input.enabled;
  if (input.tags) record.tags = input.tags;
  sas[sasKey(name)] = record;
  issueSasSecret(container, o, record);
  return record;
}

export function setSas(ctx: RouteContext): JsonResponse {
  const o = account(ctx);
  const name = sasName(ctx);
  const body = requireObject(ctx.body, 'SetSasDefinition');
  const sasType = checkSasType(body.sasType);
  const input: SasInput = { sasType, templateUri: checkTemplateUri(body.templateUri, sasType), validityPeriod: checkDuration(body.validityPeriod, 'validityPeriod') };
  const tags = optionalTags(body);
  if (tags) input.tags = tags;
  const enabled = enabledAttribute(body);
  if (enabled !== undefined) input.enabled = enabled;
  if (current(o).payload.deletedSas[sasKey(name)]) {
    throw conflict(`SAS definition ${name} of storage account ${o.name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the SAS definition can only be recovered.`);
  }
  assertSasSecretsFree(ctx.container, o.name, [current(o).payload.sas[sasKey(name)]?.name ?? name]);
  const record = putSas(ctx.container, o, name, input);
  ctx.save();
  return { body: sasBundle(ctx.container.origin, o.name, record) };
}

function liveSas(ctx: RouteContext): { o: StorageObject; sas: SasRecord } {
  const o = account(ctx);
  const name = sasName(ctx);
  const sas = current(o).payload.sas[sasKey(name)];
  if (!sas) throw sasNotFound(o.name, name);
  return { o, sas };
}

export function getSas(ctx: RouteContext): JsonResponse {
  const { o, sas } = liveSas(ctx);
  return { body: sasBundle(ctx.container.origin, o.name, sas) };
}

export function listSas(ctx: RouteContext): JsonResponse {
  const o = account(ctx);
  const items = Object.values(current(o).payload.sas)
    .sort((a, b) => (sasKey(a.name) < sasKey(b.name) ? -1 : 1))
    .map((s) => sasItem(ctx.container.origin, o.name, s));
  return { body: pageOf(items, ctx.url) };
}

export function updateSas(ctx: RouteContext): JsonResponse {
  const { o, sas } = liveSas(ctx);
  const body = requireObject(ctx.body ?? {}, 'UpdateSasDefinition');
  const sasType = body.sasType !== undefined ? checkSasType(body.sasType) : sas.sasType;
  // A new type must still fit the template (and a new template the type).
  const templateUri = checkTemplateUri(body.templateUri ?? sas.templateUri, sasType);
  const validityPeriod = body.validityPeriod !== undefined ? checkDuration(body.validityPeriod, 'validityPeriod') : sas.validityPeriod;
  const tags = optionalTags(body);
  const enabled = enabledAttribute(body);
  Object.assign(sas, { sasType, templateUri, validityPeriod });
  if (tags) sas.tags = tags;
  if (enabled !== undefined) sas.attributes.enabled = enabled;
  sas.attributes.updated = nowSeconds();
  issueSasSecret(ctx.container, o, sas);
  ctx.save();
  return { body: sasBundle(ctx.container.origin, o.name, sas) };
}

export function deleteSas(ctx: RouteContext): JsonResponse {
  const { o, sas } = liveSas(ctx);
  const payload = current(o).payload;
  delete payload.sas[sasKey(sas.name)];
  dropSasSecret(ctx.container, o.name, sas.name);
  const deletedDate = nowSeconds();
  const deleted = { sas, deletedDate, scheduledPurgeDate: deletedDate + sas.attributes.recoverableDays * 86400 };
  if (sas.attributes.recoverableDays > 0) payload.deletedSas[sasKey(sas.name)] = deleted;
  ctx.save();
  return { body: { ...deletedSasFields(ctx.container.origin, o.name, deleted), ...sasBundle(ctx.container.origin, o.name, sas) } };
}

/** Deleted definitions of an account, whether the account itself is live or deleted. */
function accountForDeleted(ctx: RouteContext): StorageObject {
  const name = ctx.params['storage-account-name']!;
  checkStorageName(name, 'Storage account');
  const store = storageStore(ctx.container);
  const o = store.get(name) ?? store.getDeleted(name)?.object;
  if (!o) throw accountNotFound(name);
  return o;
}

export function listDeletedSas(ctx: RouteContext): JsonResponse {
  const o = accountForDeleted(ctx);
  const items = Object.values(current(o).payload.deletedSas)
    .sort((a, b) => (sasKey(a.sas.name) < sasKey(b.sas.name) ? -1 : 1))
    .map((d) => ({ ...deletedSasFields(ctx.container.origin, o.name, d), ...sasItem(ctx.container.origin, o.name, d.sas) }));
  return { body: pageOf(items, ctx.url) };
}

export function getDeletedSas(ctx: RouteContext): JsonResponse {
  const o = accountForDeleted(ctx);
  const name = sasName(ctx);
  const d = current(o).payload.deletedSas[sasKey(name)];
  if (!d) throw deletedSasNotFound(o.name, name);
  return { body: { ...deletedSasFields(ctx.container.origin, o.name, d), ...sasBundle(ctx.container.origin, o.name, d.sas) } };
}

export function recoverDeletedSas(ctx: RouteContext): JsonResponse {
  const o = account(ctx);
  const name = sasName(ctx);
  const payload = current(o).payload;
  const d = payload.deletedSas[sasKey(name)];
  if (!d) throw deletedSasNotFound(o.name, name);
  if (payload.sas[sasKey(name)]) throw conflict(`SAS definition ${name} of storage account ${o.name} already exists and is not deleted.`);
  assertSasSecretsFree(ctx.container, o.name, [d.sas.name]);
  delete payload.deletedSas[sasKey(name)];
  payload.sas[sasKey(name)] = d.sas;
  issueSasSecret(ctx.container, o, d.sas);
  ctx.save();
  return { body: sasBundle(ctx.container.origin, o.name, d.sas) };
}
