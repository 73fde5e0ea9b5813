import { attributesFromWire, deletedInfoFromWire, type WireAttributes } from './models/common';
import type {
  DeletedSasDefinition,
  DeletedStorageAccount,
  SasDefinition,
  SetSasDefinitionOptions,
  SetStorageAccountOptions,
  StorageAccount,
  StorageAccountKeyName,
  UpdateSasDefinitionOptions,
  UpdateStorageAccountOptions,
} from './models/storage';
import { KeyVaultError } from './errors';
import type { KeyVaultHttp } from './http/client';
import { pagedList, type PagedList } from './paging';
import type { Cancellable } from './secrets';

/**
 * Managed storage accounts and their SAS definitions (storage.json, api-version 7.5 and later; Azure deprecated the
 * feature but vaults that use it still serve it). Paths: /storage, /deletedstorage.
 */
export interface StorageService {
  list(vaultUrl: string, options?: Cancellable): PagedList<StorageAccount>;
  get(vaultUrl: string, name: string, options?: Cancellable): Promise<StorageAccount>;
  set(vaultUrl: string, name: string, options: SetStorageAccountOptions): Promise<StorageAccount>;
  update(vaultUrl: string, name: string, update: UpdateStorageAccountOptions): Promise<StorageAccount>;
  delete(vaultUrl: string, name: string, options?: Cancellable): Promise<DeletedStorageAccount>;
  listDeleted(vaultUrl: string, options?: Cancellable): PagedList<DeletedStorageAccount>;
  getDeleted(vaultUrl: string, name: string, options?: Cancellable): Promise<DeletedStorageAccount>;
  recover(vaultUrl: string, name: string, options?: Cancellable): Promise<StorageAccount>;
  purge(vaultUrl: string, name: string, options?: Cancellable): Promise<void>;
  backup(vaultUrl: string, name: string, options?: Cancellable): Promise<Uint8Array>;
  restore(vaultUrl: string, backup: Uint8Array, options?: Cancellable): Promise<StorageAccount>;
  /** Asks Key Vault to regenerate one of the account's keys (SAS tokens signed with it are reissued). */
  regenerateKey(vaultUrl: string, name: string, keyName: StorageAccountKeyName, options?: Cancellable): Promise<StorageAccount>;

  listSasDefinitions(vaultUrl: string, accountName: string, options?: Cancellable): PagedList<SasDefinition>;
  getSasDefinition(vaultUrl: string, accountName: string, name: string, options?: Cancellable): Promise<SasDefinition>;
  setSasDefinition(vaultUrl: string, accountName: string, name: string, options: SetSasDefinitionOptions): Promise<SasDefinition>;
  updateSasDefinition(vaultUrl: string, accountName: string, name: string, update: UpdateSasDefinitionOptions): Promise<SasDefinition>;
  deleteSasDefinition(vaultUrl: string, accountName: string, name: string, options?: Cancellable): Promise<DeletedSasDefinition>;
  listDeletedSasDefinitions(vaultUrl: string, accountName: string, options?: Cancellable): PagedList<DeletedSasDefinition>;
  getDeletedSasDefinition(vaultUrl: string, accountName: string, name: string, options?: Cancellable): Promise<DeletedSasDefinition>;
  recoverSasDefinition(vaultUrl: string, accountName: string, name: string, options?: Cancellable): Promise<SasDefinition>;
}

interface WireStorage {
  id?: string;
  resourceId?: string;
  activeKeyName?: string;
  autoRegenerateKey?: boolean;
  regenerationPeriod?: string;
  attributes?: WireAttributes;
  tags?: Record<string, string>;
  recoveryId?: string;
  deletedDate?: number;
  scheduledPurgeDate?: number;
}

interface WireSas {
  id?: string;
  sid?: string;
  templateUri?: string;
  sasType?: string;
  validityPeriod?: string;
  attributes?: WireAttributes;
  tags?: Record<string, string>;
  recoveryId?: string;
  deletedDate?: number;
  scheduledPurgeDate?: number;
}

// Storage account and SAS definition names have no dashes, unlike keys, secrets and certificates.
const STORAGE_NAME = /^[0-9a-zA-Z]{1,127}$/;
const KEY_NAMES: readonly StorageAccountKeyName[] = ['key1', 'key2'];
const RESOURCE_ID = /^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.Storage\/storageAccounts\/[a-z0-9]{3,24}$/i;
const DURATION = /^P(?!$)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$/;

const bad = (message: string, hint?: string): KeyVaultError => new KeyVaultError({ kind: 'bad-request', message, ...(hint ? { hint } : {}) });

export function checkStorageName(name: string, what: 'Storage account' | 'SAS definition'): void {
  if (!STORAGE_NAME.test(name)) throw bad(`'${name}' is not a valid ${what === 'Storage account' ? 'storage account' : 'SAS definition'} name.`, `${what} names are 1-127 letters and digits (no dashes).`);
}

export function checkStorageResourceId(resourceId: string): void {
  if (!RESOURCE_ID.test(resourceId)) {
    throw bad(
      `'${resourceId}' is not a storage account resource id.`,
      'Expected /subscriptions/{subscription-id}/resourceGroups/{group}/providers/Microsoft.Storage/storageAccounts/{account} (3-24 lowercase letters and digits).',
    );
  }
}

function checkKeyName(keyName: string, what: string): void {
  if (!(KEY_NAMES as readonly string[]).includes(keyName)) throw bad(`${what} must be key1 or key2, not '${keyName}'.`);
}

/** ISO 8601 durations such as P90D or PT2H; Key Vault rejects zero and calendar-free nonsense alike. */
export function checkIsoDuration(value: string, what: string): void {
  if (!DURATION.test(value) || !/[1-9]/.test(value)) throw bad(`${what} '${value}' is not a positive ISO 8601 duration.`, 'Examples: P90D (90 days), PT2H (2 hours), P1M (1 month).');
}

/** The template is a SAS URI whose parameters must fit its type: account SAS needs ss and srt, service SAS needs sr. */
export function checkSasTemplate(templateUri: string, sasType: string): void {
  if (sasType !== 'account' && sasType !== 'service') throw bad(`SAS type must be 'account' or 'service', not '${sasType}'.`);
  let url: URL;
  try {
    url = new URL(templateUri);
  } catch {
    throw bad('The SAS template is not an absolute URI.', 'Paste a complete SAS URI, e.g. https://account.blob.core.windows.net/?sv=…&sig=…');
  }
  if (url.protocol !== 'https:') throw bad('The SAS template must be an https URI.');
  const required = ['sv', 'sp', 'sig', ...(sasType === 'account' ? ['ss', 'srt'] : ['sr'])];
  const missing = required.filter((p) => !url.searchParams.get(p));
  // Only parameter names go into the message: the signature of a template is a credential of sorts.
  if (missing.length) throw bad(`The SAS template lacks ${missing.join(', ')} for a ${sasType} SAS.`);
}

const base = (vaultUrl: string): string => new URL(vaultUrl).origin;
const seg = encodeURIComponent;
const signal = (o?: Cancellable): { abortSignal?: AbortSignal } => (o?.abortSignal ? { abortSignal: o.abortSignal } : {});

/** `https://vault/storage/{account}` (or /deletedstorage/…) → origin and name. */
function parseStorageId(id: string | undefined): { vaultUrl: string; parts: string[] } {
  const url = new URL(id ?? '');
  return { vaultUrl: url.origin, parts: url.pathname.split('/').filter(Boolean).map(decodeURIComponent) };
}

export function storageAccountFromWire(w: WireStorage): StorageAccount {
  const { vaultUrl, parts } = parseStorageId(w.id);
  const a: StorageAccount = {
    id: w.id!,
    vaultUrl,
    name: parts[1] ?? '',
    resourceId: w.resourceId ?? '',
    attributes: attributesFromWire(w.attributes),
    tags: w.tags ?? {},
  };
  if (w.activeKeyName !== undefined) a.activeKeyName = w.activeKeyName;
  if (w.autoRegenerateKey !== undefined) a.autoRegenerateKey = w.autoRegenerateKey;
  if (w.regenerationPeriod !== undefined) a.regenerationPeriod = w.regenerationPeriod;
  return a;
}

const deletedAccountFromWire = (w: WireStorage): DeletedStorageAccount => ({ ...storageAccountFromWire(w), ...deletedInfoFromWire(w) });

export function sasDefinitionFromWire(w: WireSas): SasDefinition {
  // /storage/{account}/sas/{name}
  const { vaultUrl, parts } = parseStorageId(w.id);
  const s: SasDefinition = {
    id: w.id!,
    vaultUrl,
    accountName: parts[1] ?? '',
    name: parts[3] ?? '',
    secretId: w.sid ?? '',
    attributes: attributesFromWire(w.attributes),
    tags: w.tags ?? {},
  };
  if (w.templateUri !== undefined) s.templateUri = w.templateUri;
  if (w.sasType !== undefined) s.sasType = w.sasType;
  if (w.validityPeriod !== undefined) s.validityPeriod = w.validityPeriod;
  return s;
}

const deletedSasFromWire = (w: WireSas): DeletedSasDefinition => ({ ...sasDefinitionFromWire(w), ...deletedInfoFromWire(w) });

/** Storage and SAS attributes take only `enabled` as input; Key Vault manages the rest. */
const enabledAttributes = (enabled: boolean | undefined): { attributes?: { enabled: boolean } } => (enabled === undefined ? {} : { attributes: { enabled } });

export class RestStorageService implements StorageService {
  constructor(private readonly http: KeyVaultHttp) {}

  private accountUrl(vaultUrl: string, name: string, deleted = false): string {
    checkStorageName(name, 'Storage account');
    return `${base(vaultUrl)}/${deleted ? 'deletedstorage' : 'storage'}/${seg(name)}`;
  }

  private sasUrl(vaultUrl: string, accountName: string, name: string, deleted = false): string {
    checkStorageName(name, 'SAS definition');
    return `${this.accountUrl(vaultUrl, accountName, deleted)}/sas/${seg(name)}`;
  }

  list(vaultUrl: string, options?: Cancellable): PagedList<StorageAccount> {
    return pagedList(this.http, `${base(vaultUrl)}/storage`, storageAccountFromWire, signal(options));
  }

  async get(vaultUrl: string, name: string, options?: Cancellable): Promise<StorageAccount> {
    const r = await this.http.send<WireStorage>('GET', this.accountUrl(vaultUrl, name), signal(options));
    return storageAccountFromWire(r.body);
  }

  async set(vaultUrl: string, name: string, options: SetStorageAccountOptions): Promise<StorageAccount> {
    const url = this.accountUrl(vaultUrl, name);
    checkStorageResourceId(options.resourceId);
    checkKeyName(options.activeKeyName, 'The active key name');
    if (options.regenerationPeriod !== undefined) checkIsoDuration(options.regenerationPeriod, 'Regeneration period');
    const body: Record<string, unknown> = {
      resourceId: options.resourceId,
      activeKeyName: options.activeKeyName,
      autoRegenerateKey: options.autoRegenerateKey,
      ...(options.regenerationPeriod !== undefined ? { regenerationPeriod: options.regenerationPeriod } : {}),
      ...enabledAttributes(options.enabled),
      ...(options.tags ? { tags: options.tags } : {}),
    };
    const r = await this.http.send<WireStorage>('PUT', url, { body, ...signal(options) });
    return storageAccountFromWire(r.body);
  }

  async update(vaultUrl: string, name: string, update: UpdateStorageAccountOptions): Promise<StorageAccount> {
    const url = this.accountUrl(vaultUrl, name);
    if (update.activeKeyName !== undefined) checkKeyName(update.activeKeyName, 'The active key name');
    if (update.regenerationPeriod !== undefined) checkIsoDuration(update.regenerationPeriod, 'Regeneration period');
    const body: Record<string, unknown> = {
      ...(update.activeKeyName !== undefined ? { activeKeyName: update.activeKeyName } : {}),
      ...(update.autoRegenerateKey !== undefined ? { autoRegenerateKey: update.autoRegenerateKey } : {}),
      ...(update.regenerationPeriod !== undefined ? { regenerationPeriod: update.regenerationPeriod } : {}),
      ...enabledAttributes(update.enabled),
      ...(update.tags ? { tags: update.tags } : {}),
    };
    const r = await this.http.send<WireStorage>('PATCH', url, { body, ...signal(update) });
    return storageAccountFromWire(r.body);
  }

  async delete(vaultUrl: string, name: string, options?: Cancellable): Promise<DeletedStorageAccount> {
    const r = await this.http.send<WireStorage>('DELETE', this.accountUrl(vaultUrl, name), signal(options));
    return deletedAccountFromWire(r.body);
  }

  listDeleted(vaultUrl: string, options?: Cancellable): PagedList<DeletedStorageAccount> {
    return pagedList(this.http, `${base(vaultUrl)}/deletedstorage`, deletedAccountFromWire, signal(options));
  }

  async getDeleted(vaultUrl: string, name: string, options?: Cancellable): Promise<DeletedStorageAccount> {
    const r = await this.http.send<WireStorage>('GET', this.accountUrl(vaultUrl, name, true), signal(options));
    return deletedAccountFromWire(r.body);
  }

  async recover(vaultUrl: string, name: string, options?: Cancellable): Promise<StorageAccount> {
    const r = await this.http.send<WireStorage>('POST', `${this.accountUrl(vaultUrl, name, true)}/recover`, signal(options));
    return storageAccountFromWire(r.body);
  }

  async purge(vaultUrl: string, name: string, options?: Cancellable): Promise<void> {
    await this.http.send('DELETE', this.accountUrl(vaultUrl, name, true), signal(options));
  }

  async backup(vaultUrl: string, name: string, options?: Cancellable): Promise<Uint8Array> {
    const r = await this.http.send<{ value?: string }>('POST', `${this.accountUrl(vaultUrl, name)}/backup`, signal(options));
    return Buffer.from(r.body.value ?? '', 'base64url');
  }

  async restore(vaultUrl: string, backup: Uint8Array, options?: Cancellable): Promise<StorageAccount> {
    if (backup.length === 0) throw bad('The backup is empty.');
    const r = await this.http.send<WireStorage>('POST', `${base(vaultUrl)}/storage/restore`, { body: { value: Buffer.from(backup).toString('base64url') }, ...signal(options) });
    return storageAccountFromWire(r.body);
  }

  async regenerateKey(vaultUrl: string, name: string, keyName: StorageAccountKeyName, options?: Cancellable): Promise<StorageAccount> {
    const url = `${this.accountUrl(vaultUrl, name)}/regeneratekey`;
    checkKeyName(keyName, 'The key to regenerate');
    const r = await this.http.send<WireStorage>('POST', url, { body: { keyName }, ...signal(options) });
    return storageAccountFromWire(r.body);
  }

  listSasDefinitions(vaultUrl: string, accountName: string, options?: Cancellable): PagedList<SasDefinition> {
    return pagedList(this.http, `${this.accountUrl(vaultUrl, accountName)}/sas`, sasDefinitionFromWire, signal(options));
  }

  async getSasDefinition(vaultUrl: string, accountName: string, name: string, options?: Cancellable): Promise<SasDefinition> {
    const r = await this.http.send<WireSas>('GET', this.sasUrl(vaultUrl, accountName, name), signal(options));
    return sasDefinitionFromWire(r.body);
  }

  async setSasDefinition(vaultUrl: string, accountName: string, name: string, options: SetSasDefinitionOptions): Promise<SasDefinition> {
    const url = this.sasUrl(vaultUrl, accountName, name);
    checkSasTemplate(options.templateUri, options.sasType);
    checkIsoDuration(options.validityPeriod, 'Validity period');
    const body: Record<string, unknown> = {
      templateUri: options.templateUri,
      sasType: options.sasType,
      validityPeriod: options.validityPeriod,
      ...enabledAttributes(options.enabled),
      ...(options.tags ? { tags: options.tags } : {}),
    };
    const r = await this.http.send<WireSas>('PUT', url, { body, ...signal(options) });
    return sasDefinitionFromWire(r.body);
  }

  async updateSasDefinition(vaultUrl: string, accountName: string, name: string, update: UpdateSasDefinitionOptions): Promise<SasDefinition> {
    const url = this.sasUrl(vaultUrl, accountName, name);
    // A template can only be checked against a type; without a new type, Key Vault checks it against the stored one.
    if (update.templateUri !== undefined && update.sasType !== undefined) checkSasTemplate(update.templateUri, update.sasType);
    else if (update.sasType !== undefined && update.sasType !== 'account' && update.sasType !== 'service') throw bad(`SAS type must be 'account' or 'service', not '${String(update.sasType)}'.`);
    if (update.validityPeriod !== undefined) checkIsoDuration(update.validityPeriod, 'Validity period');
    const body: Record<string, unknown> = {
      ...(update.templateUri !== undefined ? { templateUri: update.templateUri } : {}),
      ...(update.sasType !== undefined ? { sasType: update.sasType } : {}),
      ...(update.validityPeriod !== undefined ? { validityPeriod: update.validityPeriod } : {}),
      ...enabledAttributes(update.enabled),
      ...(update.tags ? { tags: update.tags } : {}),
    };
    const r = await this.http.send<WireSas>('PATCH', url, { body, ...signal(update) });
    return sasDefinitionFromWire(r.body);
  }

  async deleteSasDefinition(vaultUrl: string, accountName: string, name: string, options?: Cancellable): Promise<DeletedSasDefinition> {
    const r = await this.http.send<WireSas>('DELETE', this.sasUrl(vaultUrl, accountName, name), signal(options));
    return deletedSasFromWire(r.body);
  }

  listDeletedSasDefinitions(vaultUrl: string, accountName: string, options?: Cancellable): PagedList<DeletedSasDefinition> {
    return pagedList(this.http, `${this.accountUrl(vaultUrl, accountName, true)}/sas`, deletedSasFromWire, signal(options));
  }

  async getDeletedSasDefinition(vaultUrl: string, accountName: string, name: string, options?: Cancellable): Promise<DeletedSasDefinition> {
    const r = await this.http.send<WireSas>('GET', this.sasUrl(vaultUrl, accountName, name, true), signal(options));
    return deletedSasFromWire(r.body);
  }

  async recoverSasDefinition(vaultUrl: string, accountName: string, name: string, options?: Cancellable): Promise<SasDefinition> {
    const r = await this.http.send<WireSas>('POST', `${this.sasUrl(vaultUrl, accountName, name, true)}/recover`, signal(options));
    return sasDefinitionFromWire(r.body);
  }
}
