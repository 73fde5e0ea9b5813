import { badParameter } from '../../core/errors';
import { optionalAttributes } from '../../core/validate';
import { STORAGE_NAME_RULE, type SasType } from './model';

/** Checks done on storage request bodies and names, answering Key Vault's 400 BadParameter. */

export const ACCOUNT_KEY_NAMES = ['key1', 'key2'] as const;

const RESOURCE_ID = /^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/resourceGroups\/[-\w._()]{1,90}\/providers\/Microsoft\.Storage\/storageAccounts\/([a-z0-9]{3,24})$/i;

export function checkStorageName(name: string, what: 'Storage account' | 'SAS definition'): void {
  if (!STORAGE_NAME_RULE.test(name)) {
    throw badParameter(`The request URI contains an invalid name: '${name}'. ${what} names must be 1-127 characters long and contain only 0-9, a-z and A-Z.`);
  }
}

/** An ARM storage account id: /subscriptions/{guid}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts/{3-24 lowercase letters and digits}. */
export function checkResourceId(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw badParameter("Property 'resourceId' is required and must be a string.");
  const m = RESOURCE_ID.exec(value);
  if (!m || m[1] !== m[1]!.toLowerCase()) {
    throw badParameter(
      `The storage account resource id '${value}' is not valid. Expected /subscriptions/{subscription-id}/resourceGroups/{resource-group}/providers/Microsoft.Storage/storageAccounts/{account-name}.`,
    );
  }
  return value;
}

export function checkActiveKeyName(value: unknown): string {
  if (typeof value !== 'string' || !(ACCOUNT_KEY_NAMES as readonly string[]).includes(value)) {
    throw badParameter(`Property 'activeKeyName' has invalid value '${String(value)}'. The active key name must be one of: ${ACCOUNT_KEY_NAMES.join(', ')}.`);
  }
  return value;
}

export function checkKeyName(value: unknown): string {
  if (typeof value !== 'string' || !(ACCOUNT_KEY_NAMES as readonly string[]).includes(value)) {
    throw badParameter(`Property 'keyName' has invalid value '${String(value)}'. The storage account key name must be one of: ${ACCOUNT_KEY_NAMES.join(', ')}.`);
  }
  return value;
}

export function checkBoolean(value: unknown, key: string): boolean {
  if (typeof value !== 'boolean') throw badParameter(`Property '${key}' is required and must be true or false.`);
  return value;
}

const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Seconds in an ISO 8601 duration (months as 30 days, years as 365), or undefined when it is not one. */
export function durationSeconds(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number, number];
  return ((y * 365 + mo * 30 + w * 7 + d) * 24 + h) * 3600 + mi * 60 + s;
}

export function checkDuration(value: unknown, key: string): string {
  if (typeof value !== 'string') throw badParameter(`Property '${key}' must be an ISO 8601 duration string, for example 'P90D' or 'PT2H'.`);
  const seconds = durationSeconds(value);
  if (seconds === undefined || seconds <= 0) throw badParameter(`Property '${key}' has invalid value '${value}': expected a positive ISO 8601 duration, for example 'P90D' or 'PT2H'.`);
  return value;
}

export function checkSasType(value: unknown): SasType {
  if (value !== 'account' && value !== 'service') throw badParameter(`Property 'sasType' has invalid value '${String(value)}'. Allowed values: account, service.`);
  return value;
}

/** The template must be a SAS URI: its token's shape has to fit the SAS type (account SAS: ss + srt; service SAS: sr). */
export function checkTemplateUri(value: unknown, sasType: SasType): string {
  if (typeof value !== 'string') throw badParameter("Property 'templateUri' is required and must be a string.");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badParameter(`Property 'templateUri' has invalid value: '${value}' is not an absolute URI.`);
  }
  const q = url.searchParams;
  const missing = ['sv', 'sp', 'sig', ...(sasType === 'account' ? ['ss', 'srt'] : ['sr'])].filter((p) => !q.get(p));
  if (url.protocol !== 'https:' || missing.length > 0) {
    throw badParameter(`Property 'templateUri' is not a valid ${sasType} SAS token template${missing.length ? `: missing ${missing.join(', ')}` : ': it must use https'}.`);
  }
  return value;
}

/** Storage and SAS attributes carry only `enabled` as input; the rest is read-only. */
export function enabledAttribute(body: Record<string, unknown>): boolean | undefined {
  return optionalAttributes(body)?.enabled;
}
