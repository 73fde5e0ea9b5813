import type { Attributes } from '../../core/store';
import type { DeletedSasRecord, SasRecord, StorageObject } from './model';
import { current } from './model';
import { sasSecretName } from './token';

/** Response shapes exactly as storage.json (7.5) defines them; ids are built from the origin at response time. */

export function storageAttributesOut(a: Attributes): Record<string, unknown> {
  return { enabled: a.enabled, created: a.created, updated: a.updated, recoveryLevel: a.recoveryLevel, recoverableDays: a.recoverableDays };
}

export const accountId = (origin: string, name: string): string => `${origin}/storage/${name}`;

export function accountItem(origin: string, o: StorageObject): Record<string, unknown> {
  const r = current(o);
  const out: Record<string, unknown> = { id: accountId(origin, o.name), resourceId: r.payload.resourceId, attributes: storageAttributesOut(r.attributes) };
  if (r.tags) out.tags = r.tags;
  return out;
}

export function accountBundle(origin: string, o: StorageObject): Record<string, unknown> {
  const r = current(o);
  const out: Record<string, unknown> = {
    id: accountId(origin, o.name),
    resourceId: r.payload.resourceId,
    activeKeyName: r.payload.activeKeyName,
    autoRegenerateKey: r.payload.autoRegenerateKey,
  };
  if (r.payload.regenerationPeriod !== undefined) out.regenerationPeriod = r.payload.regenerationPeriod;
  out.attributes = storageAttributesOut(r.attributes);
  if (r.tags) out.tags = r.tags;
  return out;
}

export function deletedAccountFields(origin: string, name: string, deletedDate: number, scheduledPurgeDate: number): Record<string, unknown> {
  return { recoveryId: `${origin}/deletedstorage/${name}`, deletedDate, scheduledPurgeDate };
}

const sasId = (origin: string, account: string, sas: string): string => `${origin}/storage/${account}/sas/${sas}`;
const sid = (origin: string, account: string, sas: string): string => `${origin}/secrets/${sasSecretName(account, sas)}`;

export function sasItem(origin: string, account: string, s: SasRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { id: sasId(origin, account, s.name), sid: sid(origin, account, s.name), attributes: storageAttributesOut(s.attributes) };
  if (s.tags) out.tags = s.tags;
  return out;
}

export function sasBundle(origin: string, account: string, s: SasRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: sasId(origin, account, s.name),
    sid: sid(origin, account, s.name),
    templateUri: s.templateUri,
    sasType: s.sasType,
    validityPeriod: s.validityPeriod,
    attributes: storageAttributesOut(s.attributes),
  };
  if (s.tags) out.tags = s.tags;
  return out;
}

export function deletedSasFields(origin: string, account: string, d: DeletedSasRecord): Record<string, unknown> {
  return { recoveryId: `${origin}/deletedstorage/${account}/sas/${d.sas.name}`, deletedDate: d.deletedDate, scheduledPurgeDate: d.scheduledPurgeDate };
}
