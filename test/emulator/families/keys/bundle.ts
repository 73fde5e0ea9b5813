import type { KeyObject } from 'node:crypto';
import { badParameter } from '../../core/errors';
import { newVersion } from '../../core/ids';
import { RECOVERABLE_DAYS, newAttributes, type Attributes, type DeletedRecord, type ObjectRecord, type VersionRecord } from '../../core/store';
import type { Container } from '../../core/types';
import { jwkFromKeyObject, keyObjectOf, keySizeOf, publicMembers } from './jwk';
import { KEY_TYPES, defaultKeyOps, familyOf, keyStore, parseKeyOps, type KeyPayload, type KeyType, type PrivateJwk, type ReleasePolicy } from './model';

/** Key Vault's recovery level for the container's retention: 90 days is the default level, fewer days a customised one. */
export function recoveryLevelFor(days: number): string {
  if (days <= 0) return 'Purgeable';
  return days < RECOVERABLE_DAYS ? 'CustomizedRecoverable+Purgeable' : 'Recoverable+Purgeable';
}

export function attributesOut(container: Container, a: Attributes, payload: KeyPayload): Record<string, unknown> {
  const out: Record<string, unknown> = { enabled: a.enabled };
  if (a.nbf !== undefined) out.nbf = a.nbf;
  if (a.exp !== undefined) out.exp = a.exp;
  out.created = a.created;
  out.updated = a.updated;
  out.recoveryLevel = a.recoveryLevel;
  out.recoverableDays = a.recoverableDays;
  // A Managed HSM reports exportable on every key; a vault only on keys created with it.
  if (a.exportable !== undefined) out.exportable = a.exportable;
  else if (container.spec.kind === 'hsm') out.exportable = false;
  // Symmetric keys have no public members, so their size is only visible here.
  if (payload.jwk.kty === 'oct') out.key_size = keySizeOf(payload.jwk);
  return out;
}

export const keyId = (origin: string, name: string, version?: string): string => `${origin}/keys/${name}${version ? `/${version}` : ''}`;

/** KeyItem (lists): no key material, the kid unversioned in GetKeys and versioned in GetKeyVersions. */
export function keyItem(container: Container, object: ObjectRecord<KeyPayload>, record: VersionRecord<KeyPayload>, versioned: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    kid: keyId(container.origin, object.name, versioned ? record.version : undefined),
    attributes: attributesOut(container, record.attributes, record.payload),
  };
  if (record.tags) out.tags = record.tags;
  if (record.payload.managed) out.managed = true;
  return out;
}

/** KeyBundle: the public JWK only (n, e or crv, x, y; nothing for oct), attributes, tags, managed, release policy. */
export function keyBundle(container: Container, object: ObjectRecord<KeyPayload>, record: VersionRecord<KeyPayload>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    key: { kid: keyId(container.origin, object.name, record.version), kty: record.payload.kty, key_ops: record.payload.keyOps, ...publicMembers(record.payload.jwk) },
    attributes: attributesOut(container, record.attributes, record.payload),
  };
  if (record.tags) out.tags = record.tags;
  if (record.payload.managed) out.managed = true;
  if (record.payload.releasePolicy) out.release_policy = { ...record.payload.releasePolicy };
  return out;
}

export function deletedFields(container: Container, deleted: DeletedRecord<KeyPayload>): Record<string, unknown> {
  return { recoveryId: `${container.origin}/deletedkeys/${deleted.object.name}`, deletedDate: deleted.deletedDate, scheduledPurgeDate: deleted.scheduledPurgeDate };
}

export interface NewKeyVersion {
  kty: KeyType;
  jwk: PrivateJwk;
  keyOps?: string[];
  attributes?: Partial<Attributes>;
  tags?: Record<string, string>;
  managed?: boolean;
  version?: string;
  releasePolicy?: ReleasePolicy;
}

/** Adds a version, creating the key when needed; used by the routes, the seed and the certificates family. */
export function addKeyVersion(container: Container, name: string, input: NewKeyVersion): { object: ObjectRecord<KeyPayload>; record: VersionRecord<KeyPayload> } {
  const attributes = newAttributes(input.attributes, container.spec.softDeleteRetentionDays);
  attributes.recoveryLevel = recoveryLevelFor(attributes.recoverableDays);
  const record: VersionRecord<KeyPayload> = {
    version: input.version ?? newVersion(),
    attributes,
    payload: { kty: input.kty, keyOps: input.keyOps ?? defaultKeyOps(input.kty), jwk: input.jwk },
  };
  if (input.tags) record.tags = input.tags;
  if (input.managed) record.payload.managed = true;
  if (input.releasePolicy) record.payload.releasePolicy = input.releasePolicy;
  const store = keyStore(container);
  const object = store.addVersion(store.get(name)?.name ?? name, record);
  return { object, record };
}

export interface AddKeyVersionService {
  privateKey: KeyObject;
  kty: string;
  keyOps?: string[];
  attributes?: Partial<Attributes>;
  tags?: Record<string, string>;
  managed?: boolean;
  version?: string;
  exportable?: boolean;
}

/** `emulator.services.addKeyVersion`: the key behind a certificate, from the certificate's own key pair and version. */
export function addKeyVersionService(container: Container, name: string, input: AddKeyVersionService): { kid: string } {
  const kty = KEY_TYPES.find((t) => t === input.kty);
  if (!kty) throw badParameter(`Invalid kty value: ${input.kty}`);
  const jwk = jwkFromKeyObject(input.privateKey);
  if (jwk.kty !== familyOf(kty)) throw new Error(`addKeyVersion: a ${jwk.kty} key cannot be stored as ${kty}`);
  const keyOps = input.keyOps ? parseKeyOps(input.keyOps) : undefined;
  const attributes: Partial<Attributes> = { ...(input.attributes ?? {}) };
  if (input.exportable !== undefined) attributes.exportable = input.exportable;
  const { object, record } = addKeyVersion(container, name, {
    kty,
    jwk,
    attributes,
    ...(keyOps ? { keyOps } : {}),
    ...(input.tags ? { tags: input.tags } : {}),
    ...(input.managed ? { managed: true } : {}),
    ...(input.version ? { version: input.version } : {}),
  });
  return { kid: keyId(container.origin, object.name, record.version) };
}

/** `emulator.services.getKeyPrivate`: the private KeyObject of a live key version (the latest when none is named). */
export function getKeyPrivate(container: Container, name: string, version?: string): KeyObject | undefined {
  const found = keyStore(container).getVersion(name, version ?? '');
  return found ? keyObjectOf(found.record.payload.jwk) : undefined;
}
