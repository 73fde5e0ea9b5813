import { createHmac, randomBytes } from 'node:crypto';
import { addSecretVersion, secretStore } from '../secrets';
import { conflict } from '../../core/errors';
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

/**
 * Who holds the secret name a definition needs: nobody, this family (a managed secret with the SAS content type),
 * or someone else (a user's secret, or one backing a certificate). A definition never touches a secret it does not own.
 */
export function sasSecretOwner(container: Container, accountName: string, sasName: string): 'free' | 'ours' | 'other' {
  const secrets = secretStore(container);
  const name = sasSecretName(accountName, sasName);
  const object = secrets.get(name) ?? secrets.getDeleted(name)?.object;
  if (!object) return 'free';
  const latest = object.versions[object.versions.length - 1]?.payload;
  return latest?.managed && !latest.kid && latest.contentType === SAS_SECRET_CONTENT_TYPE ? 'ours' : 'other';
}

/** 409 when a secret the family does not own already has a name one of these definitions needs. */
export function assertSasSecretsFree(container: Container, accountName: string, sasNames: readonly string[]): void {
  const taken = sasNames.filter((n) => sasSecretOwner(container, accountName, n) === 'other').map((n) => sasSecretName(accountName, n));
  if (taken.length > 0) {
    throw conflict(`The secret name${taken.length > 1 ? 's' : ''} ${taken.join(', ')} ${taken.length > 1 ? 'are' : 'is'} already used by another secret (live or deleted); a SAS definition keeps its tokens in the secret '{storage-account}-{sas-definition}'.`);
  }
}

/** Writes a fresh token as a new version of the definition's secret (managed: clients cannot change it directly). */
export function issueSasSecret(container: Container, account: StorageObject, sas: SasRecord): void {
  const owner = sasSecretOwner(container, account.name, sas.name);
  if (owner === 'other') return;
  const name = sasSecretName(account.name, sas.name);
  const secrets = secretStore(container);
  // A deleted token secret of ours would block the name; it is only an old token.
  if (owner === 'ours' && secrets.getDeleted(name)) secrets.purge(name);
  const record = current(account);
  const key = record.payload.accountKeys[record.payload.activeKeyName] ?? Object.values(record.payload.accountKeys)[0] ?? newAccountKey();
  addSecretVersion(container, name, {
    value: sasToken(sas, key),
    contentType: SAS_SECRET_CONTENT_TYPE,
    managed: true,
    attributes: { enabled: sas.attributes.enabled },
  });
}

/** Removes the definition's token secret entirely (a deleted definition issues no tokens); others' secrets stay. */
export function dropSasSecret(container: Container, accountName: string, sasName: string): void {
  if (sasSecretOwner(container, accountName, sasName) !== 'ours') return;
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
