// Pure helpers for storage accounts and SAS definitions: live checks (with the service layer's own rules), readable
// durations, and what the tree may show — never a signature or a token. No 'vscode'; unit-tested in Node.
import { KeyVaultError } from '../../keyvault/errors';
import type { SasDefinition, StorageAccount } from '../../keyvault/models/storage';
import { checkIsoDuration, checkSasTemplate, checkStorageName, checkStorageResourceId } from '../../keyvault/storage';

const messageOf = (err: unknown): string => (err instanceof KeyVaultError ? err.userMessage : err instanceof Error ? err.message : String(err));

function check(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return messageOf(err);
  }
}

export const checkSasName = (value: string): string | undefined => check(() => checkStorageName(value.trim(), 'SAS definition'));
export const checkAccountName = (value: string): string | undefined => check(() => checkStorageName(value.trim(), 'Storage account'));
export const checkResourceId = (value: string): string | undefined => check(() => checkStorageResourceId(value.trim()));
export const checkTemplate = (value: string, sasType: string): string | undefined => check(() => checkSasTemplate(value.trim(), sasType));
export const checkDuration = (value: string, what: string): string | undefined => check(() => checkIsoDuration(value.trim().toUpperCase(), what));

const UNITS: [RegExp, string][] = [
  [/(\d+)Y/, 'year'],
  [/(\d+)M/, 'month'],
  [/(\d+)W/, 'week'],
  [/(\d+)D/, 'day'],
];
const TIME_UNITS: [RegExp, string][] = [
  [/(\d+)H/, 'hour'],
  [/(\d+)M/, 'minute'],
  [/(\d+)S/, 'second'],
];

/** `PT2H` → `2 hours`, `P1Y6M` → `1 year 6 months`; the input itself when it is not a duration. */
export function describeDuration(iso: string | undefined): string {
  if (!iso) return '';
  const m = /^P([^T]*)(?:T(.*))?$/i.exec(iso.trim().toUpperCase());
  if (!m) return iso;
  const parts: string[] = [];
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  for (const [re, unit] of UNITS) {
    const x = re.exec(m[1] ?? '');
    if (x) parts.push(plural(Number(x[1]), unit));
  }
  for (const [re, unit] of TIME_UNITS) {
    const x = re.exec(m[2] ?? '');
    if (x) parts.push(plural(Number(x[1]), unit));
  }
  return parts.length ? parts.join(' ') : iso;
}

/** `account SAS · tokens last 2 hours`. */
export function describeSas(s: Pick<SasDefinition, 'sasType' | 'validityPeriod'>): string {
  const parts: string[] = [];
  if (s.sasType) parts.push(`${s.sasType} SAS`);
  if (s.validityPeriod) parts.push(`tokens last ${describeDuration(s.validityPeriod)}`);
  return parts.join(' · ');
}

/**
 * A SAS template with its signature (and any other secret-looking parameter) masked, so it can be shown: the rest
 * (services, resource types, permissions, protocol) is what the user wants to see.
 */
export function redactTemplate(templateUri: string | undefined): string | undefined {
  if (!templateUri) return undefined;
  try {
    const url = new URL(templateUri);
    for (const key of [...url.searchParams.keys()]) if (/^(sig|signature)$/i.test(key)) url.searchParams.set(key, '***');
    return url.toString().replace(/%2A%2A%2A/g, '***');
  } catch {
    return '(not a URI)';
  }
}

const date = (d?: Date): string => (d ? `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC` : '—');

/** Tooltip rows for a SAS definition: metadata only. */
export function sasTooltipRows(s: SasDefinition & { scheduledPurgeDate?: Date; deletedOn?: Date }): [string, string][] {
  const rows: [string, string][] = [
    ['Id', s.id],
    ['Storage account', s.accountName],
    ['Type', s.sasType ?? '—'],
    ['Token lifetime', s.validityPeriod ? `${describeDuration(s.validityPeriod)} (${s.validityPeriod})` : '—'],
    ['Token secret', s.secretId || '—'],
    ['Enabled', s.attributes.enabled ? 'yes' : 'no'],
    ['Created', date(s.attributes.createdOn)],
    ['Updated', date(s.attributes.updatedOn)],
  ];
  if (s.deletedOn) rows.push(['Deleted', date(s.deletedOn)]);
  if (s.scheduledPurgeDate) rows.push(['Purge scheduled', date(s.scheduledPurgeDate)]);
  const tags = Object.entries(s.tags);
  if (tags.length) rows.push(['Tags', tags.map(([k, v]) => `${k}=${v}`).join(', ')]);
  return rows;
}

/** The storage account as a properties document (what list items lack: active key, regeneration). */
export function storageAccountProperties(a: StorageAccount & { scheduledPurgeDate?: Date; deletedOn?: Date; recoveryId?: string }): Record<string, unknown> {
  return {
    kind: 'managed storage account',
    name: a.name,
    id: a.id,
    resourceId: a.resourceId,
    activeKeyName: a.activeKeyName,
    autoRegenerateKey: a.autoRegenerateKey,
    regenerationPeriod: a.regenerationPeriod ? `${a.regenerationPeriod} (${describeDuration(a.regenerationPeriod)})` : undefined,
    enabled: a.attributes.enabled,
    createdOn: a.attributes.createdOn?.toISOString(),
    updatedOn: a.attributes.updatedOn?.toISOString(),
    recoveryLevel: a.attributes.recoveryLevel,
    tags: a.tags,
    ...(a.deletedOn || a.scheduledPurgeDate ? { deleted: { deletedOn: a.deletedOn?.toISOString(), scheduledPurgeDate: a.scheduledPurgeDate?.toISOString(), recoveryId: a.recoveryId } } : {}),
  };
}

export function sasDefinitionProperties(s: SasDefinition): Record<string, unknown> {
  return {
    kind: 'SAS definition',
    name: s.name,
    id: s.id,
    storageAccount: s.accountName,
    sasType: s.sasType,
    validityPeriod: s.validityPeriod ? `${s.validityPeriod} (${describeDuration(s.validityPeriod)})` : undefined,
    templateUri: redactTemplate(s.templateUri),
    tokenSecretId: s.secretId,
    enabled: s.attributes.enabled,
    createdOn: s.attributes.createdOn?.toISOString(),
    updatedOn: s.attributes.updatedOn?.toISOString(),
    tags: s.tags,
  };
}
