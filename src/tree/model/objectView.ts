// Pure: no `vscode` import, so the tree's data shaping is unit-tested (and benchmarked) in plain Node.
import type { CertificateProperties } from '../../keyvault/models/certificates';
import type { DeletedInfo, ObjectAttributes } from '../../keyvault/models/common';
import type { KeyProperties } from '../../keyvault/models/keys';
import type { SecretProperties } from '../../keyvault/models/secrets';
import type { StorageAccount } from '../../keyvault/models/storage';

export type ObjectFamily = 'secrets' | 'keys' | 'certificates' | 'storage';

/**
 * What the tree shows of any Key Vault object: metadata only. There is deliberately no field that could hold a
 * secret value, so no label, description or tooltip can ever show one.
 */
export interface ObjectView {
  family: ObjectFamily;
  /** Object id URL (versioned for version nodes). */
  id: string;
  vaultUrl: string;
  name: string;
  version?: string;
  enabled: boolean;
  notBefore?: Date;
  expiresOn?: Date;
  createdOn?: Date;
  updatedOn?: Date;
  recoveryLevel?: string;
  tags: Record<string, string>;
  managed: boolean;
  contentType?: string;
  keyType?: string;
  keySize?: number;
  curve?: string;
  keyOps?: string[];
  pending?: boolean;
  thumbprint?: string;
  deleted?: { deletedOn?: Date; scheduledPurgeDate?: Date; recoveryId?: string };
}

function common(family: ObjectFamily, p: { id: string; vaultUrl: string; name: string; version?: string; tags: Record<string, string>; attributes: ObjectAttributes }): ObjectView {
  const v: ObjectView = { family, id: p.id, vaultUrl: p.vaultUrl, name: p.name, enabled: p.attributes.enabled, tags: p.tags, managed: false };
  if (p.version) v.version = p.version;
  const a = p.attributes;
  if (a.notBefore) v.notBefore = a.notBefore;
  if (a.expiresOn) v.expiresOn = a.expiresOn;
  if (a.createdOn) v.createdOn = a.createdOn;
  if (a.updatedOn) v.updatedOn = a.updatedOn;
  if (a.recoveryLevel) v.recoveryLevel = a.recoveryLevel;
  return v;
}

function withDeleted(v: ObjectView, d: Partial<DeletedInfo>): ObjectView {
  if (d.deletedOn || d.scheduledPurgeDate || d.recoveryId) {
    v.deleted = {};
    if (d.deletedOn) v.deleted.deletedOn = d.deletedOn;
    if (d.scheduledPurgeDate) v.deleted.scheduledPurgeDate = d.scheduledPurgeDate;
    if (d.recoveryId) v.deleted.recoveryId = d.recoveryId;
  }
  return v;
}

export function secretView(p: SecretProperties & Partial<DeletedInfo>): ObjectView {
  const v = common('secrets', p);
  v.managed = p.managed;
  if (p.contentType) v.contentType = p.contentType;
  return withDeleted(v, p);
}

export function keyView(p: KeyProperties & Partial<DeletedInfo>): ObjectView {
  const v = common('keys', p);
  v.managed = p.managed;
  if (p.keyType) v.keyType = p.keyType;
  if (p.keySize) v.keySize = p.keySize;
  if (p.curve) v.curve = p.curve;
  if (p.keyOps) v.keyOps = p.keyOps;
  return withDeleted(v, p);
}

export function certificateView(p: CertificateProperties & Partial<DeletedInfo>): ObjectView {
  const v = common('certificates', p);
  v.pending = p.pending;
  if (p.thumbprint) v.thumbprint = p.thumbprint;
  return withDeleted(v, p);
}

export function storageView(p: StorageAccount & Partial<DeletedInfo>): ObjectView {
  return withDeleted(common('storage', p), p);
}

export type ExpiryState = 'expired' | 'expiring' | 'not-yet-valid' | 'ok';

/** Expired, expiring within `thresholdDays`, not yet valid, or fine — at `now`. */
export function expiryState(v: Pick<ObjectView, 'expiresOn' | 'notBefore'>, now: number, thresholdDays: number): ExpiryState {
  if (v.expiresOn) {
    const t = v.expiresOn.getTime();
    if (t <= now) return 'expired';
    if (t - now <= thresholdDays * 86_400_000) return 'expiring';
  }
  if (v.notBefore && v.notBefore.getTime() > now) return 'not-yet-valid';
  return 'ok';
}

/** Short text after the label: content type, key type and size/curve, expiry. */
export function describe(v: ObjectView, now: number, thresholdDays: number): string {
  const parts: string[] = [];
  if (!v.enabled) parts.push('disabled');
  if (v.pending) parts.push('pending');
  if (v.family === 'keys' && v.keyType) parts.push(v.curve ? `${v.keyType} ${v.curve}` : v.keySize ? `${v.keyType} ${v.keySize}` : v.keyType);
  if (v.family === 'secrets' && v.contentType) parts.push(v.contentType);
  if (v.managed) parts.push('managed');
  const state = expiryState(v, now, thresholdDays);
  if (state === 'expired') parts.push(`expired ${shortDate(v.expiresOn!)}`);
  else if (state === 'expiring') parts.push(`expires in ${daysUntil(v.expiresOn!, now)}`);
  else if (state === 'not-yet-valid') parts.push(`valid from ${shortDate(v.notBefore!)}`);
  if (v.deleted?.scheduledPurgeDate) parts.push(`purge ${shortDate(v.deleted.scheduledPurgeDate)}`);
  return parts.join(' · ');
}

export const shortDate = (d: Date): string => d.toISOString().slice(0, 10);

function daysUntil(d: Date, now: number): string {
  const days = Math.ceil((d.getTime() - now) / 86_400_000);
  return days <= 1 ? '1 day' : `${days} days`;
}

/** Composable flags for `when` clauses: `keyvault.secret+enabled+managed`. */
export function contextValue(v: ObjectView, kind: 'object' | 'version' | 'deleted'): string {
  const base = { secrets: 'keyvault.secret', keys: 'keyvault.key', certificates: 'keyvault.certificate', storage: 'keyvault.storage' }[v.family];
  const flags = [kind === 'object' ? base : kind === 'version' ? `${base}Version` : `${base}Deleted`];
  flags.push(v.enabled ? 'enabled' : 'disabled');
  if (v.managed) flags.push('managed');
  if (v.pending) flags.push('pending');
  if (v.keyType && /HSM/.test(v.keyType)) flags.push('hsmKey');
  if (v.keyType) flags.push(v.keyType.startsWith('EC') ? 'ec' : v.keyType.startsWith('RSA') ? 'rsa' : 'oct');
  return flags.join('+');
}

/**
 * Text as a markdown code span that also survives inside a table cell: pipes escaped, and a longer fence when the
 * text holds a backtick (tag values may hold anything).
 */
export function codeSpan(text: string): string {
  const body = text.replace(/\|/g, '\\|');
  return body.includes('`') ? `\`\` ${body} \`\`` : `\`${body}\``;
}

/** Markdown for the tooltip: identifiers, dates, tags and flags — never a value. */
export function tooltipMarkdown(v: ObjectView, now: number, thresholdDays: number): string {
  const esc = (s: string): string => s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
  const date = (d?: Date): string => (d ? d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '—');
  const rows: [string, string][] = [
    ['Id', codeSpan(v.id)],
    ['Enabled', v.enabled ? 'yes' : '**no (disabled)**'],
    ['Created', date(v.createdOn)],
    ['Updated', date(v.updatedOn)],
    ['Activates', date(v.notBefore)],
    ['Expires', date(v.expiresOn)],
  ];
  if (v.contentType) rows.push(['Content type', esc(v.contentType)]);
  if (v.keyType) rows.push(['Key type', esc([v.keyType, v.curve ?? (v.keySize ? String(v.keySize) : '')].filter(Boolean).join(' '))]);
  if (v.keyOps?.length) rows.push(['Operations', esc(v.keyOps.join(', '))]);
  if (v.thumbprint) rows.push(['Thumbprint', codeSpan(v.thumbprint)]);
  if (v.recoveryLevel) rows.push(['Recovery level', esc(v.recoveryLevel)]);
  if (v.managed) rows.push(['Managed', 'yes (backs a certificate)']);
  if (v.pending) rows.push(['Status', 'pending operation']);
  if (v.deleted) {
    rows.push(['Deleted', date(v.deleted.deletedOn)]);
    rows.push(['Purge scheduled', date(v.deleted.scheduledPurgeDate)]);
  }
  const tags = Object.entries(v.tags);
  rows.push(['Tags', tags.length ? tags.map(([k, val]) => `${codeSpan(k)}=${codeSpan(val)}`).join(', ') : '—']);
  const state = expiryState(v, now, thresholdDays);
  const banner = state === 'expired' ? '$(warning) **Expired**\n\n' : state === 'expiring' ? '$(clock) **Expires soon**\n\n' : '';
  return `${banner}**${esc(v.name)}**${v.version ? ` · version ${codeSpan(v.version)}` : ''}\n\n| | |\n|---|---|\n${rows.map(([k, val]) => `| ${k} | ${val} |`).join('\n')}`;
}
