import { createHmac, randomBytes } from 'node:crypto';
import { addSecretVersion, secretStore } from '../secrets';
import type { Container } from '../../core/types';
import { durationSeconds } from './rules';
import type { SasRecord, StorageObject } from './model';
import { current } from './model';

/** Content type Key Vault gives the secret that carries a SAS definition's current token. */
export const SAS_SECRET_CONTENT_TYPE = 'application/vnd.ms-sastoken-storage';

export const newAccountKey = (): string => randomBytes(64).toString('base64');

/** The secret behind a SAS definition is named `{account}-{sas}`, as on Key Vault. */
export const sasSecretName = (account: string, sas: string): string => `${account}-${sas}`;

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * A token shaped like the template, valid from now for the definition's validity period and signed with the
 * account's active key. Not checked by any storage service here, but realistic enough to show and copy.
 */
export function sasToken(sas: SasRecord, accountKey: string, now = Date.now()): string {
  const params = new URL(sas.templateUri).searchParams;
  for (const p of ['sig', 'st', 'se']) params.delete(p);
  params.set('st', isoSeconds(now));
  params.set('se', isoSeconds(now + (durationSeconds(sas.validityPeriod) ?? 3600) * 1000));
  const stringToSign = [...params.values()].join('\n');
  params.set('sig', createHmac('sha256', Buffer.from(accountKey, 'base64')).update(stringToSign, 'utf8').digest('base64'));
  return params.toString();
}

/** Writes a fresh token as a new version of the definition's secret (managed: clients cannot change it directly). */
export function issueSasSecret(container: Container, account: StorageObject, sas: SasRecord): void {
  const name = sasSecretName(account.name, sas.name);
  const secrets = secretStore(container);
  // A leftover deleted secret of the same name would block the name; the definition owns it.
  if (secrets.getDeleted(name)) secrets.purge(name);
  const record = current(account);
  const key = record.payload.accountKeys[record.payload.activeKeyName] ?? Object.values(record.payload.accountKeys)[0] ?? newAccountKey();
  addSecretVersion(container, name, {
    value: sasToken(sas, key),
    contentType: SAS_SECRET_CONTENT_TYPE,
    managed: true,
    attributes: { enabled: sas.attributes.enabled },
  });
}

/** Removes the definition's secret entirely: a deleted definition issues no tokens. */
export function dropSasSecret(container: Container, accountName: string, sasName: string): void {
  const name = sasSecretName(accountName, sasName);
  const secrets = secretStore(container);
  if (secrets.get(name)) secrets.softDelete(name);
  secrets.purge(name);
}

export function issueAllSasSecrets(container: Container, account: StorageObject): void {
  for (const sas of Object.values(current(account).payload.sas)) issueSasSecret(container, account, sas);
}

export function dropAllSasSecrets(container: Container, account: StorageObject): void {
  for (const sas of Object.values(current(account).payload.sas)) dropSasSecret(container, account.name, sas.name);
}
