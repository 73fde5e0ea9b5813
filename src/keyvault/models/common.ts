/** Attributes shared by keys, secrets and certificates, with dates instead of unix seconds. */
export interface ObjectAttributes {
  enabled: boolean;
  notBefore?: Date;
  expiresOn?: Date;
  createdOn?: Date;
  updatedOn?: Date;
  recoveryLevel?: string;
  recoverableDays?: number;
}

export interface WireAttributes {
  enabled?: boolean;
  nbf?: number;
  exp?: number;
  created?: number;
  updated?: number;
  recoveryLevel?: string;
  recoverableDays?: number;
  exportable?: boolean;
}

/** What a caller may change. `null` clears a date. */
export interface AttributesUpdate {
  enabled?: boolean;
  notBefore?: Date | null;
  expiresOn?: Date | null;
}

const fromUnix = (s: number | undefined): Date | undefined => (typeof s === 'number' ? new Date(s * 1000) : undefined);
const toUnix = (d: Date): number => Math.floor(d.getTime() / 1000);

export function attributesFromWire(a: WireAttributes | undefined): ObjectAttributes {
  const out: ObjectAttributes = { enabled: a?.enabled ?? true };
  const nbf = fromUnix(a?.nbf);
  const exp = fromUnix(a?.exp);
  const created = fromUnix(a?.created);
  const updated = fromUnix(a?.updated);
  if (nbf) out.notBefore = nbf;
  if (exp) out.expiresOn = exp;
  if (created) out.createdOn = created;
  if (updated) out.updatedOn = updated;
  if (a?.recoveryLevel) out.recoveryLevel = a.recoveryLevel;
  if (a?.recoverableDays !== undefined) out.recoverableDays = a.recoverableDays;
  return out;
}

export function attributesToWire(a: AttributesUpdate | undefined): WireAttributes | undefined {
  if (!a) return undefined;
  const out: WireAttributes = {};
  if (a.enabled !== undefined) out.enabled = a.enabled;
  if (a.notBefore !== undefined) out.nbf = a.notBefore === null ? (null as unknown as number) : toUnix(a.notBefore);
  if (a.expiresOn !== undefined) out.exp = a.expiresOn === null ? (null as unknown as number) : toUnix(a.expiresOn);
  return Object.keys(out).length ? out : undefined;
}

export interface DeletedInfo {
  recoveryId?: string;
  deletedOn?: Date;
  scheduledPurgeDate?: Date;
}

export function deletedInfoFromWire(w: { recoveryId?: string; deletedDate?: number; scheduledPurgeDate?: number }): DeletedInfo {
  const out: DeletedInfo = {};
  if (w.recoveryId) out.recoveryId = w.recoveryId;
  const d = fromUnix(w.deletedDate);
  const p = fromUnix(w.scheduledPurgeDate);
  if (d) out.deletedOn = d;
  if (p) out.scheduledPurgeDate = p;
  return out;
}
