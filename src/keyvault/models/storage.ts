import type { DeletedInfo, ObjectAttributes } from './common';

/** The two access keys of an Azure storage account; Key Vault rotates between them. */
export type StorageAccountKeyName = 'key1' | 'key2';

/** `account` SAS tokens cover services of the whole account; `service` tokens one container, blob, queue or table. */
export type SasTokenType = 'account' | 'service';

/** A storage account managed by the vault (storage.json, api-version 7.5). Storage objects have no versions. */
export interface StorageAccount {
  id: string;
  vaultUrl: string;
  name: string;
  /** ARM id of the storage account: /subscriptions/…/providers/Microsoft.Storage/storageAccounts/{name}. */
  resourceId: string;
  /** Absent in list items; present when read one by one. */
  activeKeyName?: StorageAccountKeyName | string;
  autoRegenerateKey?: boolean;
  /** ISO 8601 duration, e.g. P90D. */
  regenerationPeriod?: string;
  /** Only enabled, createdOn, updatedOn and the recovery settings apply to storage accounts. */
  attributes: ObjectAttributes;
  tags: Record<string, string>;
}

export type DeletedStorageAccount = StorageAccount & DeletedInfo;

export interface SasDefinition {
  id: string;
  vaultUrl: string;
  accountName: string;
  name: string;
  /** The secret that holds the current SAS token (read it with the secrets service). */
  secretId: string;
  /** Absent in list items. */
  templateUri?: string;
  sasType?: SasTokenType | string;
  /** ISO 8601 duration of each token, e.g. PT2H. */
  validityPeriod?: string;
  attributes: ObjectAttributes;
  tags: Record<string, string>;
}

export type DeletedSasDefinition = SasDefinition & DeletedInfo;

export interface SetStorageAccountOptions {
  resourceId: string;
  activeKeyName: StorageAccountKeyName;
  autoRegenerateKey: boolean;
  /** Required by Key Vault when autoRegenerateKey is true. */
  regenerationPeriod?: string;
  enabled?: boolean;
  tags?: Record<string, string>;
  abortSignal?: AbortSignal;
}

export interface UpdateStorageAccountOptions {
  activeKeyName?: StorageAccountKeyName;
  autoRegenerateKey?: boolean;
  regenerationPeriod?: string;
  enabled?: boolean;
  tags?: Record<string, string>;
  abortSignal?: AbortSignal;
}

export interface SetSasDefinitionOptions {
  /** A SAS URI signed with any key: tokens issued by Key Vault get the same permissions and services. */
  templateUri: string;
  sasType: SasTokenType;
  validityPeriod: string;
  enabled?: boolean;
  tags?: Record<string, string>;
  abortSignal?: AbortSignal;
}

export interface UpdateSasDefinitionOptions {
  templateUri?: string;
  sasType?: SasTokenType;
  validityPeriod?: string;
  enabled?: boolean;
  tags?: Record<string, string>;
  abortSignal?: AbortSignal;
}
