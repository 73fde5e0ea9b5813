import { notFound } from '../../core/errors';
import { VersionedStore, type Attributes, type ObjectRecord, type VersionRecord } from '../../core/store';
import type { Container } from '../../core/types';

export type SasType = 'account' | 'service';

export interface SasRecord {
  name: string;
  templateUri: string;
  sasType: SasType;
  validityPeriod: string;
  attributes: Attributes;
  tags?: Record<string, string>;
}

export interface DeletedSasRecord {
  sas: SasRecord;
  deletedDate: number;
  scheduledPurgeDate: number;
}

/**
 * A managed storage account. Storage accounts are unversioned on the wire, so each lives in the versioned store
 * with exactly one version; its SAS definitions (live and deleted) travel with it through delete, backup and restore.
 */
export interface StoragePayload {
  resourceId: string;
  activeKeyName: string;
  autoRegenerateKey: boolean;
  regenerationPeriod?: string;
  /** The storage account's two access keys as Key Vault holds them; never returned, they sign the SAS tokens. */
  accountKeys: Record<string, string>;
  sas: Record<string, SasRecord>;
  deletedSas: Record<string, DeletedSasRecord>;
}

export type StorageObject = ObjectRecord<StoragePayload>;
export type StorageRecord = VersionRecord<StoragePayload>;

export const storageStore = (c: Container): VersionedStore<StoragePayload> => new VersionedStore(c.data.storage as never);

/** The single record that holds a storage account's state. */
export const current = (o: StorageObject): StorageRecord => o.versions[o.versions.length - 1]!;

/** SAS definitions are keyed case-insensitively, like every Key Vault object name. */
export const sasKey = (name: string): string => name.toLowerCase();

export const STORAGE_NAME_RULE = /^[0-9a-zA-Z]{1,127}$/;

export const accountNotFound = (name: string): ReturnType<typeof notFound> =>
  notFound(
    'StorageAccountNotFound',
    `A storage account with (name/id) ${name} was not found in this key vault. If you recently deleted this storage account you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
  );

export const deletedAccountNotFound = (name: string): ReturnType<typeof notFound> => notFound('StorageAccountNotFound', `Deleted Storage Account not found: ${name}`);

export const sasNotFound = (account: string, name: string): ReturnType<typeof notFound> =>
  notFound('SasDefinitionNotFound', `A SAS definition with (name/id) ${name} was not found for storage account ${account} in this key vault.`);

export const deletedSasNotFound = (account: string, name: string): ReturnType<typeof notFound> =>
  notFound('SasDefinitionNotFound', `Deleted SAS definition not found: ${account}/${name}`);
