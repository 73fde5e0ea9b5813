import { attributesFromWire, attributesToWire, deletedInfoFromWire, type AttributesUpdate, type WireAttributes } from './models/common';
import {
  AES_KEY_SIZES,
  KEY_CURVES,
  KEY_RELEASE_ALGORITHMS,
  KEY_ROTATION_ACTIONS,
  KEY_TYPES,
  RSA_KEY_SIZES,
  keyFamilyOf,
  type CreateKeyOptions,
  type DeletedKey,
  type ImportKeyOptions,
  type JsonWebPrivateKey,
  type JsonWebPublicKey,
  type KeyAttributes,
  type KeyCurveName,
  type KeyOperation,
  type KeyProperties,
  type KeyReleasePolicy,
  type KeyRotationLifetimeAction,
  type KeyRotationPolicy,
  type KeyRotationPolicyUpdate,
  type KeyType,
  type KeyVaultKey,
  type ReleaseKeyOptions,
  type ReleaseKeyResult,
  type UpdateKeyOptions,
} from './models/keys';
import { containerKindOf, parseObjectId } from './identifiers';
import { KeyVaultError } from './errors';
import type { KeyVaultHttp } from './http/client';
import { pagedList, type PagedList } from './paging';
import { checkName, type Cancellable } from './secrets';
import { checkImportJwk, checkKeyOps, modulusBits } from './crypto/jwk';
import { CURVES } from './crypto/ecdsa';
import { invalidInput } from './crypto/invalid';
import { parseIsoDuration } from './crypto/duration';

interface WireJwk {
  kid?: string;
  kty?: string;
  key_ops?: string[];
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
}

interface WireKeyAttributes extends WireAttributes {
  hsmPlatform?: string;
  key_size?: number;
}

interface WireReleasePolicy {
  contentType?: string;
  immutable?: boolean;
  data?: string;
}

/** KeyBundle, KeyItem, DeletedKeyBundle and DeletedKeyItem in one: items have `kid`, bundles `key.kid`. */
interface WireKey {
  key?: WireJwk;
  kid?: string;
  attributes?: WireKeyAttributes;
  tags?: Record<string, string>;
  managed?: boolean;
  release_policy?: WireReleasePolicy;
  recoveryId?: string;
  deletedDate?: number;
  scheduledPurgeDate?: number;
}

interface WireRotationPolicy {
  id?: string;
  lifetimeActions?: { trigger?: { timeAfterCreate?: string; timeBeforeExpiry?: string }; action?: { type?: string } }[];
  attributes?: { expiryTime?: string; created?: number; updated?: number };
}

export interface KeysService {
  list(vaultUrl: string, options?: Cancellable): PagedList<KeyProperties>;
  listVersions(vaultUrl: string, name: string, options?: Cancellable): PagedList<KeyProperties>;
  /** The latest version when `version` is empty or absent. */
  get(vaultUrl: string, name: string, version?: string, options?: Cancellable): Promise<KeyVaultKey>;
  /** A new key, or a new version of an existing one. */
  create(vaultUrl: string, name: string, options: CreateKeyOptions): Promise<KeyVaultKey>;
  /** Imports a private JWK (see pemToJwk for PEM files); validated locally first, never kept or logged. */
  import(vaultUrl: string, name: string, jwk: JsonWebPrivateKey, options?: ImportKeyOptions): Promise<KeyVaultKey>;
  /** Attributes, key_ops, tags and release policy of one version ('' for the latest). */
  update(vaultUrl: string, name: string, version: string, update: UpdateKeyOptions): Promise<KeyVaultKey>;
  delete(vaultUrl: string, name: string, options?: Cancellable): Promise<DeletedKey>;
  listDeleted(vaultUrl: string, options?: Cancellable): PagedList<DeletedKey>;
  getDeleted(vaultUrl: string, name: string, options?: Cancellable): Promise<DeletedKey>;
  recover(vaultUrl: string, name: string, options?: Cancellable): Promise<KeyVaultKey>;
  purge(vaultUrl: string, name: string, options?: Cancellable): Promise<void>;
  /** An opaque blob with every version, restorable into a vault of the same subscription and geography. */
  backup(vaultUrl: string, name: string, options?: Cancellable): Promise<Uint8Array>;
  restore(vaultUrl: string, backup: Uint8Array, options?: Cancellable): Promise<KeyVaultKey>;
  /** A new version made with the key's current type and size (per its rotation policy's expiry). */
  rotate(vaultUrl: string, name: string, options?: Cancellable): Promise<KeyVaultKey>;
  getRotationPolicy(vaultUrl: string, name: string, options?: Cancellable): Promise<KeyRotationPolicy>;
  updateRotationPolicy(vaultUrl: string, name: string, policy: KeyRotationPolicyUpdate): Promise<KeyRotationPolicy>;
  /** Releases an exportable key to an attested environment; the result holds key material (never log it). */
  release(vaultUrl: string, name: string, version: string, options: ReleaseKeyOptions): Promise<ReleaseKeyResult>;
  /** 1–128 random bytes from a Managed HSM. */
  getRandomBytes(hsmUrl: string, count: number, options?: Cancellable): Promise<Uint8Array>;
}

const isKeyType = (v: unknown): v is KeyType => typeof v === 'string' && (KEY_TYPES as readonly string[]).includes(v);
const isCurve = (v: unknown): v is KeyCurveName => typeof v === 'string' && (KEY_CURVES as readonly string[]).includes(v);

function releasePolicyFromWire(w: WireReleasePolicy | undefined): KeyReleasePolicy | undefined {
  if (!w) return undefined;
  const p: KeyReleasePolicy = { encodedPolicy: new Uint8Array(Buffer.from(w.data ?? '', 'base64url')) };
  if (w.contentType !== undefined) p.contentType = w.contentType;
  if (w.immutable !== undefined) p.immutable = w.immutable;
  return p;
}

export function keyPropertiesFromWire(w: WireKey): KeyProperties {
  const id = parseObjectId(w.key?.kid ?? w.kid ?? '');
  const attributes: KeyAttributes = attributesFromWire(w.attributes);
  if (w.attributes?.exportable !== undefined) attributes.exportable = w.attributes.exportable;
  if (w.attributes?.hsmPlatform) attributes.hsmPlatform = w.attributes.hsmPlatform;
  const p: KeyProperties = { id: id.id, vaultUrl: id.vaultUrl, name: id.name, tags: w.tags ?? {}, managed: w.managed === true, attributes };
  if (id.version) p.version = id.version;
  const jwk = w.key;
  if (jwk) {
    if (isKeyType(jwk.kty)) p.keyType = jwk.kty;
    p.keyOps = (jwk.key_ops ?? []) as KeyOperation[];
    if (isCurve(jwk.crv)) p.curve = jwk.crv;
  }
  // The service reports a size for some keys (oct-HSM); RSA's follows from the modulus, EC's from the curve.
  const size = w.attributes?.key_size ?? (jwk?.n ? modulusBits(jwk.n) : p.curve ? CURVES[p.curve].bits : undefined);
  if (size) p.keySize = size;
  const policy = releasePolicyFromWire(w.release_policy);
  if (policy) p.releasePolicy = policy;
  return p;
}

export function keyFromWire(w: WireKey): KeyVaultKey {
  const props = keyPropertiesFromWire(w);
  const jwk = w.key;
  if (!jwk || !props.keyType) throw new KeyVaultError({ kind: 'server', message: 'The service answered without the key (no JSON Web Key in the response).' });
  // Public members only: whatever else a response might carry is not copied.
  const key: JsonWebPublicKey = { kid: props.id, kty: props.keyType, key_ops: props.keyOps ?? [] };
  if (jwk.n) key.n = jwk.n;
  if (jwk.e) key.e = jwk.e;
  if (props.curve) key.crv = props.curve;
  if (jwk.x) key.x = jwk.x;
  if (jwk.y) key.y = jwk.y;
  return { ...props, keyType: props.keyType, keyOps: props.keyOps ?? [], key };
}

function deletedKeyFromWire(w: WireKey): DeletedKey {
  return { ...keyPropertiesFromWire(w), ...deletedInfoFromWire(w) };
}

function rotationPolicyFromWire(w: WireRotationPolicy): KeyRotationPolicy {
  const lifetimeActions: KeyRotationLifetimeAction[] = (w.lifetimeActions ?? []).map((a) => {
    // Some service versions answer "rotate"/"notify"; the enum is capitalised.
    const type = KEY_ROTATION_ACTIONS.find((t) => t.toLowerCase() === (a.action?.type ?? '').toLowerCase()) ?? 'Notify';
    const out: KeyRotationLifetimeAction = { action: type };
    if (a.trigger?.timeAfterCreate) out.timeAfterCreate = a.trigger.timeAfterCreate;
    if (a.trigger?.timeBeforeExpiry) out.timeBeforeExpiry = a.trigger.timeBeforeExpiry;
    return out;
  });
  const p: KeyRotationPolicy = { lifetimeActions };
  if (w.id) p.id = w.id;
  if (w.attributes?.expiryTime) p.expiryTime = w.attributes.expiryTime;
  if (typeof w.attributes?.created === 'number') p.createdOn = new Date(w.attributes.created * 1000);
  if (typeof w.attributes?.updated === 'number') p.updatedOn = new Date(w.attributes.updated * 1000);
  return p;
}

// ---- local validation: everything the request itself shows is checked before a round trip ----

const checkKeyName = (name: string): void => checkName(name, 'Key');

/** Key Vault's limits on tags. */
const MAX_TAGS = 15;
function checkTags(tags: Record<string, string> | undefined): void {
  if (!tags) return;
  const entries = Object.entries(tags);
  if (entries.length > MAX_TAGS) throw invalidInput(`A key has at most ${MAX_TAGS} tags; ${entries.length} were given.`);
  for (const [k, v] of entries) {
    if (!k || k.length > 512) throw invalidInput(`Tag names are 1-512 characters; '${k.slice(0, 40)}' is not.`);
    if (typeof v !== 'string' || v.length > 256) throw invalidInput(`The value of tag '${k}' must be text of at most 256 characters.`);
  }
}

function checkDates(a: AttributesUpdate | undefined): void {
  if (a?.notBefore && a.expiresOn && a.notBefore.getTime() >= a.expiresOn.getTime()) {
    throw invalidInput('The activation date (not before) must come before the expiration date.');
  }
  for (const [field, d] of [['notBefore', a?.notBefore], ['expiresOn', a?.expiresOn]] as const) {
    if (d && Number.isNaN(d.getTime())) throw invalidInput(`${field} is not a valid date.`);
  }
}

const JSON_CONTENT = /^application\/json\b/i;

function checkReleasePolicy(policy: KeyReleasePolicy | undefined): void {
  if (!policy) return;
  if (!(policy.encodedPolicy instanceof Uint8Array) || policy.encodedPolicy.length === 0) throw invalidInput('The release policy is empty.');
  if (policy.contentType === undefined || JSON_CONTENT.test(policy.contentType)) {
    let doc: unknown;
    try {
      doc = JSON.parse(Buffer.from(policy.encodedPolicy).toString('utf8'));
    } catch {
      throw invalidInput('The release policy is not valid JSON.', 'A release policy is a JSON document with "version" and "anyOf" (attestation authorities and claims).');
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || (!('anyOf' in doc) && !('allOf' in doc))) {
      throw invalidInput('The release policy must be a JSON object with an anyOf or allOf rule set.');
    }
  }
}

function releasePolicyToWire(p: KeyReleasePolicy): WireReleasePolicy {
  return {
    contentType: p.contentType ?? 'application/json; charset=utf-8',
    data: Buffer.from(p.encodedPolicy).toString('base64url'),
    ...(p.immutable !== undefined ? { immutable: p.immutable } : {}),
  };
}

/** Where a container's kind is known from its host (cloud suffixes), refuses key types it cannot hold. */
function checkTypeForContainer(vaultUrl: string, kty: KeyType): void {
  const kind = containerKindOf(vaultUrl);
  if (kind === 'hsm' && !kty.endsWith('-HSM')) throw invalidInput(`A Managed HSM holds hardware keys only: use ${kty.replace(/-HSM$/, '')}-HSM instead of ${kty}.`);
  if (kind === 'vault' && keyFamilyOf(kty) === 'oct') throw invalidInput('Vaults do not hold symmetric (oct) keys: create them in a Managed HSM.');
}

function writeBody(options: { tags?: Record<string, string>; attributes?: AttributesUpdate & { exportable?: boolean }; releasePolicy?: KeyReleasePolicy }): Record<string, unknown> {
  checkTags(options.tags);
  checkDates(options.attributes);
  checkReleasePolicy(options.releasePolicy);
  const body: Record<string, unknown> = {};
  const attributes: WireAttributes = attributesToWire(options.attributes) ?? {};
  if (options.attributes?.exportable !== undefined) attributes.exportable = options.attributes.exportable;
  if (Object.keys(attributes).length) body.attributes = attributes;
  if (options.tags) body.tags = options.tags;
  if (options.releasePolicy) body.release_policy = releasePolicyToWire(options.releasePolicy);
  return body;
}

/**
 * Key Vault's rules for a new key version: only hardware keys are exportable, and a release policy belongs to an
 * exportable key. (The first version of an exportable key also needs a policy; later ones inherit it, and only the
 * service knows which case this is.)
 */
function checkExportable(kty: KeyType, options: { attributes?: { exportable?: boolean }; releasePolicy?: KeyReleasePolicy }): void {
  const exportable = options.attributes?.exportable === true;
  if (exportable && !kty.endsWith('-HSM')) throw invalidInput(`Only hardware-protected keys (RSA-HSM, EC-HSM, oct-HSM) can be exportable, not ${kty}.`);
  if (!exportable && options.releasePolicy) throw invalidInput('A release policy applies only to an exportable key: set exportable too.');
}

function createBody(o: CreateKeyOptions): Record<string, unknown> {
  if (!isKeyType(o.kty)) throw invalidInput(`'${String(o.kty)}' is not a key type: use one of ${KEY_TYPES.join(', ')}.`);
  const family = keyFamilyOf(o.kty);
  if (family === 'RSA' && o.keySize !== undefined && !(RSA_KEY_SIZES as readonly number[]).includes(o.keySize)) {
    throw invalidInput(`RSA keys are ${RSA_KEY_SIZES.join(', ')} bits; ${o.keySize} is not offered.`);
  }
  if (family === 'oct' && o.keySize !== undefined && !(AES_KEY_SIZES as readonly number[]).includes(o.keySize)) {
    throw invalidInput(`Symmetric keys are ${AES_KEY_SIZES.join(', ')} bits; ${o.keySize} is not offered.`);
  }
  if (family === 'EC' && o.keySize !== undefined) throw invalidInput('EC keys take a curve, not a key size.');
  if (o.curve !== undefined && (family !== 'EC' || !isCurve(o.curve))) {
    throw invalidInput(family === 'EC' ? `'${String(o.curve)}' is not a curve: use ${KEY_CURVES.join(', ')}.` : `A curve applies to EC keys only, not ${o.kty}.`);
  }
  if (o.publicExponent !== undefined) {
    if (family !== 'RSA') throw invalidInput(`A public exponent applies to RSA keys only, not ${o.kty}.`);
    if (!Number.isInteger(o.publicExponent) || o.publicExponent < 3 || o.publicExponent % 2 === 0 || o.publicExponent > 0x7fffffff) {
      throw invalidInput(`The public exponent must be an odd whole number from 3 to 2147483647 (65537 is usual), not ${o.publicExponent}.`);
    }
  }
  const keyOps = checkKeyOps(o.keyOps, 'keyOps');
  checkExportable(o.kty, o);
  const body: Record<string, unknown> = { kty: o.kty, ...writeBody(o) };
  if (o.keySize !== undefined) body.key_size = o.keySize;
  if (o.publicExponent !== undefined) body.public_exponent = o.publicExponent;
  if (o.curve !== undefined) body.crv = o.curve;
  if (keyOps) body.key_ops = keyOps;
  return body;
}

function checkRotationPolicy(policy: KeyRotationPolicyUpdate): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (policy.lifetimeActions) {
    body.lifetimeActions = policy.lifetimeActions.map((a, i) => {
      const where = `Lifetime action ${i + 1}`;
      if (!(KEY_ROTATION_ACTIONS as readonly string[]).includes(a.action)) throw invalidInput(`${where}: '${String(a.action)}' is not an action; use Rotate or Notify.`);
      const triggers = [a.timeAfterCreate, a.timeBeforeExpiry].filter((t) => t !== undefined);
      if (triggers.length !== 1) throw invalidInput(`${where} needs exactly one trigger: a time after creation or a time before expiry.`);
      const trigger: Record<string, string> = {};
      if (a.timeAfterCreate !== undefined) {
        parseIsoDuration(a.timeAfterCreate, `${where}: time after creation`);
        trigger.timeAfterCreate = a.timeAfterCreate;
      }
      if (a.timeBeforeExpiry !== undefined) {
        parseIsoDuration(a.timeBeforeExpiry, `${where}: time before expiry`);
        trigger.timeBeforeExpiry = a.timeBeforeExpiry;
      }
      return { trigger, action: { type: a.action } };
    });
  }
  if (policy.expiryTime !== undefined) {
    parseIsoDuration(policy.expiryTime, 'Expiry time');
    body.attributes = { expiryTime: policy.expiryTime };
  }
  return body;
}

const base = (vaultUrl: string): string => new URL(vaultUrl).origin;
const seg = encodeURIComponent;
const signal = (o?: Cancellable): { abortSignal?: AbortSignal } => (o?.abortSignal ? { abortSignal: o.abortSignal } : {});

export class RestKeysService implements KeysService {
  constructor(private readonly http: KeyVaultHttp) {}

  list(vaultUrl: string, options?: Cancellable): PagedList<KeyProperties> {
    return pagedList(this.http, `${base(vaultUrl)}/keys`, keyPropertiesFromWire, signal(options));
  }

  listVersions(vaultUrl: string, name: string, options?: Cancellable): PagedList<KeyProperties> {
    checkKeyName(name);
    return pagedList(this.http, `${base(vaultUrl)}/keys/${seg(name)}/versions`, keyPropertiesFromWire, signal(options));
  }

  async get(vaultUrl: string, name: string, version = '', options?: Cancellable): Promise<KeyVaultKey> {
    checkKeyName(name);
    const r = await this.http.send<WireKey>('GET', `${base(vaultUrl)}/keys/${seg(name)}/${seg(version)}`, signal(options));
    return keyFromWire(r.body);
  }

  async create(vaultUrl: string, name: string, options: CreateKeyOptions): Promise<KeyVaultKey> {
    checkKeyName(name);
    const body = createBody(options);
    checkTypeForContainer(vaultUrl, options.kty);
    const r = await this.http.send<WireKey>('POST', `${base(vaultUrl)}/keys/${seg(name)}/create`, { body, ...signal(options) });
    return keyFromWire(r.body);
  }

  async import(vaultUrl: string, name: string, jwk: JsonWebPrivateKey, options: ImportKeyOptions = {}): Promise<KeyVaultKey> {
    checkKeyName(name);
    const key = checkImportJwk(jwk);
    // Hsm: true asks for hardware protection, and a Managed HSM protects every key it imports in hardware.
    const hardware = options.hsm === true || containerKindOf(vaultUrl) === 'hsm';
    const effective = hardware && !key.kty.endsWith('-HSM') ? (`${key.kty}-HSM` as KeyType) : key.kty;
    checkTypeForContainer(vaultUrl, effective);
    checkExportable(effective, options);
    const body: Record<string, unknown> = { key, ...writeBody(options) };
    if (options.hsm !== undefined) body.Hsm = options.hsm;
    const r = await this.http.send<WireKey>('PUT', `${base(vaultUrl)}/keys/${seg(name)}`, { body, ...signal(options) });
    return keyFromWire(r.body);
  }

  async update(vaultUrl: string, name: string, version: string, update: UpdateKeyOptions): Promise<KeyVaultKey> {
    checkKeyName(name);
    const keyOps = checkKeyOps(update.keyOps, 'keyOps');
    const body = writeBody(update);
    if (keyOps) body.key_ops = keyOps;
    const r = await this.http.send<WireKey>('PATCH', `${base(vaultUrl)}/keys/${seg(name)}/${seg(version)}`, { body, ...signal(update) });
    return keyFromWire(r.body);
  }

  async delete(vaultUrl: string, name: string, options?: Cancellable): Promise<DeletedKey> {
    checkKeyName(name);
    const r = await this.http.send<WireKey>('DELETE', `${base(vaultUrl)}/keys/${seg(name)}`, signal(options));
    return deletedKeyFromWire(r.body);
  }

  listDeleted(vaultUrl: string, options?: Cancellable): PagedList<DeletedKey> {
    return pagedList(this.http, `${base(vaultUrl)}/deletedkeys`, deletedKeyFromWire, signal(options));
  }

  async getDeleted(vaultUrl: string, name: string, options?: Cancellable): Promise<DeletedKey> {
    checkKeyName(name);
    const r = await this.http.send<WireKey>('GET', `${base(vaultUrl)}/deletedkeys/${seg(name)}`, signal(options));
    return deletedKeyFromWire(r.body);
  }

  async recover(vaultUrl: string, name: string, options?: Cancellable): Promise<KeyVaultKey> {
    checkKeyName(name);
    const r = await this.http.send<WireKey>('POST', `${base(vaultUrl)}/deletedkeys/${seg(name)}/recover`, signal(options));
    return keyFromWire(r.body);
  }

  async purge(vaultUrl: string, name: string, options?: Cancellable): Promise<void> {
    checkKeyName(name);
    await this.http.send('DELETE', `${base(vaultUrl)}/deletedkeys/${seg(name)}`, signal(options));
  }

  async backup(vaultUrl: string, name: string, options?: Cancellable): Promise<Uint8Array> {
    checkKeyName(name);
    const r = await this.http.send<{ value?: string }>('POST', `${base(vaultUrl)}/keys/${seg(name)}/backup`, signal(options));
    return new Uint8Array(Buffer.from(r.body.value ?? '', 'base64url'));
  }

  async restore(vaultUrl: string, backup: Uint8Array, options?: Cancellable): Promise<KeyVaultKey> {
    if (!backup.length) throw invalidInput('The key backup is empty.');
    const r = await this.http.send<WireKey>('POST', `${base(vaultUrl)}/keys/restore`, { body: { value: Buffer.from(backup).toString('base64url') }, ...signal(options) });
    return keyFromWire(r.body);
  }

  async rotate(vaultUrl: string, name: string, options?: Cancellable): Promise<KeyVaultKey> {
    checkKeyName(name);
    const r = await this.http.send<WireKey>('POST', `${base(vaultUrl)}/keys/${seg(name)}/rotate`, signal(options));
    return keyFromWire(r.body);
  }

  async getRotationPolicy(vaultUrl: string, name: string, options?: Cancellable): Promise<KeyRotationPolicy> {
    checkKeyName(name);
    const r = await this.http.send<WireRotationPolicy>('GET', `${base(vaultUrl)}/keys/${seg(name)}/rotationpolicy`, signal(options));
    return rotationPolicyFromWire(r.body ?? {});
  }

  async updateRotationPolicy(vaultUrl: string, name: string, policy: KeyRotationPolicyUpdate): Promise<KeyRotationPolicy> {
    checkKeyName(name);
    const body = checkRotationPolicy(policy);
    const r = await this.http.send<WireRotationPolicy>('PUT', `${base(vaultUrl)}/keys/${seg(name)}/rotationpolicy`, { body, ...signal(policy) });
    return rotationPolicyFromWire(r.body ?? {});
  }

  async release(vaultUrl: string, name: string, version: string, options: ReleaseKeyOptions): Promise<ReleaseKeyResult> {
    checkKeyName(name);
    if (typeof options.targetAttestationToken !== 'string' || !options.targetAttestationToken.trim()) {
      throw invalidInput('Releasing a key needs the attestation token of the environment that receives it.');
    }
    if (options.algorithm !== undefined && !(KEY_RELEASE_ALGORITHMS as readonly string[]).includes(options.algorithm)) {
      throw invalidInput(`'${String(options.algorithm)}' is not a release wrapping algorithm: use ${KEY_RELEASE_ALGORITHMS.join(', ')}.`);
    }
    const body: Record<string, unknown> = { target: options.targetAttestationToken };
    if (options.nonce !== undefined) body.nonce = options.nonce;
    if (options.algorithm !== undefined) body.enc = options.algorithm;
    const r = await this.http.send<{ value?: string }>('POST', `${base(vaultUrl)}/keys/${seg(name)}/${seg(version)}/release`, { body, ...signal(options) });
    return { value: r.body.value ?? '' };
  }

  async getRandomBytes(hsmUrl: string, count: number, options?: Cancellable): Promise<Uint8Array> {
    if (!Number.isInteger(count) || count < 1 || count > 128) throw invalidInput(`A Managed HSM returns 1 to 128 random bytes per request, not ${count}.`);
    if (containerKindOf(hsmUrl) === 'vault') throw invalidInput(`Random bytes come from a Managed HSM; ${new URL(hsmUrl).host} is a vault.`);
    const r = await this.http.send<{ value?: string }>('POST', `${base(hsmUrl)}/rng`, { body: { count }, ...signal(options) });
    return new Uint8Array(Buffer.from(r.body.value ?? '', 'base64url'));
  }
}
