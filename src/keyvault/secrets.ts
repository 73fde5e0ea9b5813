import { attributesFromWire, attributesToWire, deletedInfoFromWire, type WireAttributes } from './models/common';
import type { DeletedSecret, SecretProperties, SecretWithValue, SetSecretOptions, UpdateSecretOptions } from './models/secrets';
import { isValidObjectName, parseObjectId } from './identifiers';
import { KeyVaultError } from './errors';
import type { KeyVaultHttp } from './http/client';
import { pagedList, type PagedList } from './paging';
import { registerSensitive } from './sensitive';

interface WireSecret {
  id?: string;
  value?: string;
  contentType?: string;
  tags?: Record<string, string>;
  managed?: boolean;
  kid?: string;
  attributes?: WireAttributes;
  recoveryId?: string;
  deletedDate?: number;
  scheduledPurgeDate?: number;
}

export interface Cancellable {
  abortSignal?: AbortSignal;
}

export interface SecretsService {
  list(vaultUrl: string, options?: Cancellable): PagedList<SecretProperties>;
  listVersions(vaultUrl: string, name: string, options?: Cancellable): PagedList<SecretProperties>;
  /** Reads the value. Callers decide where it may go (clipboard, reveal panel, virtual document) — never a log. */
  get(vaultUrl: string, name: string, version?: string, options?: Cancellable): Promise<SecretWithValue>;
  set(vaultUrl: string, name: string, value: string, options?: SetSecretOptions): Promise<SecretProperties>;
  update(vaultUrl: string, name: string, version: string, update: UpdateSecretOptions): Promise<SecretProperties>;
  delete(vaultUrl: string, name: string, options?: Cancellable): Promise<DeletedSecret>;
  listDeleted(vaultUrl: string, options?: Cancellable): PagedList<DeletedSecret>;
  getDeleted(vaultUrl: string, name: string, options?: Cancellable): Promise<DeletedSecret>;
  recover(vaultUrl: string, name: string, options?: Cancellable): Promise<SecretProperties>;
  purge(vaultUrl: string, name: string, options?: Cancellable): Promise<void>;
  backup(vaultUrl: string, name: string, options?: Cancellable): Promise<Uint8Array>;
  restore(vaultUrl: string, backup: Uint8Array, options?: Cancellable): Promise<SecretProperties>;
}

export function secretPropertiesFromWire(w: WireSecret): SecretProperties {
  const id = parseObjectId(w.id ?? '');
  const p: SecretProperties = {
    id: id.id,
    vaultUrl: id.vaultUrl,
    name: id.name,
    tags: w.tags ?? {},
    managed: w.managed === true,
    attributes: attributesFromWire(w.attributes),
  };
  if (id.version) p.version = id.version;
  if (w.contentType !== undefined) p.contentType = w.contentType;
  if (w.kid) p.keyId = w.kid;
  return p;
}

function deletedFromWire(w: WireSecret): DeletedSecret {
  return { ...secretPropertiesFromWire(w), ...deletedInfoFromWire(w) };
}

export function checkName(name: string, what = 'Secret'): void {
  if (!isValidObjectName(name)) {
    throw new KeyVaultError({ kind: 'bad-request', message: `'${name}' is not a valid ${what.toLowerCase()} name.`, hint: `${what} names are 1-127 characters: letters, digits and dashes.` });
  }
}

const base = (vaultUrl: string): string => new URL(vaultUrl).origin;
const seg = encodeURIComponent;
const signal = (o?: Cancellable): { abortSignal?: AbortSignal } => (o?.abortSignal ? { abortSignal: o.abortSignal } : {});

export class RestSecretsService implements SecretsService {
  constructor(private readonly http: KeyVaultHttp) {}

  list(vaultUrl: string, options?: Cancellable): PagedList<SecretProperties> {
    return pagedList(this.http, `${base(vaultUrl)}/secrets`, secretPropertiesFromWire, signal(options));
  }

  listVersions(vaultUrl: string, name: string, options?: Cancellable): PagedList<SecretProperties> {
    checkName(name);
    return pagedList(this.http, `${base(vaultUrl)}/secrets/${seg(name)}/versions`, secretPropertiesFromWire, signal(options));
  }

  async get(vaultUrl: string, name: string, version = '', options?: Cancellable): Promise<SecretWithValue> {
    checkName(name);
    const r = await this.http.send<WireSecret>('GET', `${base(vaultUrl)}/secrets/${seg(name)}/${seg(version)}`, signal(options));
    registerSensitive(r.body.value);
    return { properties: secretPropertiesFromWire(r.body), value: r.body.value ?? '' };
  }

  async set(vaultUrl: string, name: string, value: string, options: SetSecretOptions = {}): Promise<SecretProperties> {
    checkName(name);
    registerSensitive(value);
    const body: Record<string, unknown> = { value };
    if (options.contentType !== undefined) body.contentType = options.contentType;
    if (options.tags) body.tags = options.tags;
    const attributes = attributesToWire(options.attributes);
    if (attributes) body.attributes = attributes;
    const r = await this.http.send<WireSecret>('PUT', `${base(vaultUrl)}/secrets/${seg(name)}`, { body, ...signal(options) });
    return secretPropertiesFromWire(r.body);
  }

  async update(vaultUrl: string, name: string, version: string, update: UpdateSecretOptions): Promise<SecretProperties> {
    checkName(name);
    const body: Record<string, unknown> = {};
    if (update.contentType !== undefined) body.contentType = update.contentType;
    if (update.tags) body.tags = update.tags;
    const attributes = attributesToWire(update.attributes);
    if (attributes) body.attributes = attributes;
    const r = await this.http.send<WireSecret>('PATCH', `${base(vaultUrl)}/secrets/${seg(name)}/${seg(version)}`, { body, ...signal(update) });
    return secretPropertiesFromWire(r.body);
  }

  async delete(vaultUrl: string, name: string, options?: Cancellable): Promise<DeletedSecret> {
    checkName(name);
    const r = await this.http.send<WireSecret>('DELETE', `${base(vaultUrl)}/secrets/${seg(name)}`, signal(options));
    return deletedFromWire(r.body);
  }

  listDeleted(vaultUrl: string, options?: Cancellable): PagedList<DeletedSecret> {
    return pagedList(this.http, `${base(vaultUrl)}/deletedsecrets`, deletedFromWire, signal(options));
  }

  async getDeleted(vaultUrl: string, name: string, options?: Cancellable): Promise<DeletedSecret> {
    checkName(name);
    const r = await this.http.send<WireSecret>('GET', `${base(vaultUrl)}/deletedsecrets/${seg(name)}`, signal(options));
    return deletedFromWire(r.body);
  }

  async recover(vaultUrl: string, name: string, options?: Cancellable): Promise<SecretProperties> {
    checkName(name);
    const r = await this.http.send<WireSecret>('POST', `${base(vaultUrl)}/deletedsecrets/${seg(name)}/recover`, signal(options));
    return secretPropertiesFromWire(r.body);
  }

  async purge(vaultUrl: string, name: string, options?: Cancellable): Promise<void> {
    checkName(name);
    await this.http.send('DELETE', `${base(vaultUrl)}/deletedsecrets/${seg(name)}`, signal(options));
  }

  async backup(vaultUrl: string, name: string, options?: Cancellable): Promise<Uint8Array> {
    checkName(name);
    const r = await this.http.send<{ value?: string }>('POST', `${base(vaultUrl)}/secrets/${seg(name)}/backup`, signal(options));
    return Buffer.from(r.body.value ?? '', 'base64url');
  }

  async restore(vaultUrl: string, backup: Uint8Array, options?: Cancellable): Promise<SecretProperties> {
    const r = await this.http.send<WireSecret>('POST', `${base(vaultUrl)}/secrets/restore`, { body: { value: Buffer.from(backup).toString('base64url') }, ...signal(options) });
    return secretPropertiesFromWire(r.body);
  }
}
