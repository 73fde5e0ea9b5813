import { randomBytes } from 'node:crypto';
import { KvError, badParameter, conflict } from '../../core/errors';
import { nowSeconds } from '../../core/ids';
import { pageOf } from '../../core/paging';
import { openBackup, sealBackup } from '../../core/backup';
import type { ObjectRecord } from '../../core/store';
import { checkName, optionalAttributes, optionalTags, requireObject, type AttributeInput } from '../../core/validate';
import type { RouteContext } from '../../core/types';
import { addKeyVersion, deletedFields, keyBundle, keyItem, recoveryLevelFor } from './bundle';
import { generateKeyMaterial, importJwk, keySizeOf } from './jwk';
import {
  AES_SIZES, CURVES, KEY_TYPES, RSA_SIZES, checkKeyTypeAllowed, defaultKeyOps, deletedKeyConflict, deletedKeyNotFound, familyOf, isHsmType,
  keyNotFound, keyStore, managedKeyForbidden, parseCurve, parseKeyOps, parseKeyType, type Curve, type KeyPayload, type KeyType, type ReleasePolicy,
  type StoredRotationPolicy,
} from './model';
import { parseRotationPolicy, rotatedExpiry, rotationPolicyOut } from './rotation';

const DEFAULT_RELEASE_POLICY_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Reads `release_policy`: data must be base64url of a JSON policy document (Key Vault parses it too). */
export function parseReleasePolicy(value: unknown): ReleasePolicy | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw badParameter("Property 'release_policy' has invalid value: expected an object with contentType, data and immutable.");
  const p = value as Record<string, unknown>;
  if (p.contentType !== undefined && typeof p.contentType !== 'string') throw badParameter("Property 'release_policy.contentType' has invalid value: expected a string.");
  if (p.immutable !== undefined && typeof p.immutable !== 'boolean') throw badParameter("Property 'release_policy.immutable' has invalid value: expected true or false.");
  if (typeof p.data !== 'string' || !p.data || !/^[A-Za-z0-9_\-+/]+={0,2}$/.test(p.data)) throw badParameter("Property 'release_policy.data' is required: the base64url-encoded release policy.");
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(p.data, 'base64url').toString('utf8'));
  } catch {
    throw badParameter('The release policy is not valid: its data must be a base64url-encoded JSON document.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || (!('anyOf' in doc) && !('allOf' in doc))) {
    throw badParameter('The release policy is not valid: the policy document needs an anyOf or allOf rule set.');
  }
  const out: ReleasePolicy = { contentType: (p.contentType as string | undefined) ?? DEFAULT_RELEASE_POLICY_CONTENT_TYPE, data: Buffer.from(p.data, 'base64url').toString('base64url') };
  if (p.immutable !== undefined) out.immutable = p.immutable as boolean;
  return out;
}

/** Exportable keys must be hardware-backed and, on their first version, come with a release policy. */
function checkExportable(kty: KeyType, attributes: AttributeInput | undefined, releasePolicy: ReleasePolicy | undefined, firstVersion: boolean): void {
  if (attributes?.exportable) {
    if (!isHsmType(kty)) throw badParameter(`Only HSM-protected keys can be exportable; ${kty} keys cannot.`);
    if (!releasePolicy && firstVersion) throw badParameter('Release policy must be provided when creating the first version of an exportable key.');
  }
  if (releasePolicy && !attributes?.exportable) throw badParameter('A release policy can only be set on an exportable key: set attributes.exportable to true.');
}

/** Refuses names that a deleted key holds, and keys that a certificate manages. */
function checkWritable(name: string): (object: ObjectRecord<KeyPayload> | undefined, deleted: boolean) => void {
  return (object, deleted) => {
    if (deleted) throw deletedKeyConflict(name);
    if (object?.versions.at(-1)?.payload.managed) {
      throw conflict(`Key ${name} backs a certificate; its key material is managed by Key Vault and cannot be replaced directly. Create or import a new version of the certificate instead.`);
    }
  };
}

function optionalInteger(body: Record<string, unknown>, property: string): number | undefined {
  const v = body[property];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw badParameter(`Property '${property}' has invalid value: expected an integer.`);
  return v;
}

const CURVE_BY_SIZE: Record<number, Curve> = { 256: 'P-256', 384: 'P-384', 521: 'P-521' };

export async function createKey(ctx: RouteContext) {
  const name = ctx.params['key-name']!;
  checkName(name, 'Key');
  const body = requireObject(ctx.body, 'CreateKey');
  const kty = parseKeyType(body.kty);
  checkKeyTypeAllowed(ctx.container, kty);
  const family = familyOf(kty);
  const keySize = optionalInteger(body, 'key_size');
  const publicExponent = optionalInteger(body, 'public_exponent');
  const crvRaw = body.crv;
  if (family !== 'EC' && crvRaw !== undefined && crvRaw !== null) throw badParameter(`Property 'crv' applies only to EC keys, not ${kty}.`);
  if (family !== 'RSA' && publicExponent !== undefined) throw badParameter(`Property 'public_exponent' applies only to RSA keys, not ${kty}.`);
  let crv: Curve | undefined;
  if (family === 'RSA') {
    if (keySize !== undefined && !(RSA_SIZES as readonly number[]).includes(keySize)) throw badParameter(`Invalid key_size ${keySize} for ${kty}: RSA keys are 2048, 3072 or 4096 bits.`);
    if (publicExponent !== undefined && publicExponent !== 3 && publicExponent !== 65537) throw badParameter(`Invalid public_exponent ${publicExponent}: use 65537 (or 3).`);
  } else if (family === 'EC') {
    crv = crvRaw === undefined || crvRaw === null ? undefined : parseCurve(crvRaw);
    if (keySize !== undefined) {
      const bySize = CURVE_BY_SIZE[keySize];
      if (!bySize || (crv && crv !== bySize && !(crv === 'P-256K' && keySize === 256))) {
        throw badParameter(`Invalid key_size ${keySize} for ${kty}${crv ? ` on curve ${crv}` : ''}: choose the curve with crv (${CURVES.join(', ')}).`);
      }
      crv ??= bySize;
    }
    crv ??= 'P-256';
  } else if (keySize !== undefined && !(AES_SIZES as readonly number[]).includes(keySize)) {
    throw badParameter(`Invalid key_size ${keySize} for ${kty}: symmetric keys are 128, 192 or 256 bits.`);
  }
  const keyOps = parseKeyOps(body.key_ops) ?? defaultKeyOps(kty);
  const attributes = optionalAttributes(body);
  const tags = optionalTags(body);
  const releasePolicy = parseReleasePolicy(body.release_policy);
  const store = keyStore(ctx.container);
  const existing = store.get(name);
  checkWritable(name)(existing, Boolean(store.getDeleted(name)));
  checkExportable(kty, attributes, releasePolicy ?? existing?.versions.at(-1)?.payload.releasePolicy, !existing);
  const jwk = await generateKeyMaterial(kty, {
    ...(keySize !== undefined && family !== 'EC' ? { keySize } : {}),
    ...(crv ? { crv } : {}),
    ...(publicExponent !== undefined ? { publicExponent } : {}),
  });
  // Key generation is async: the name may have been taken by a concurrent delete meanwhile.
  checkWritable(name)(store.get(name), Boolean(store.getDeleted(name)));
  const { object, record } = addKeyVersion(ctx.container, name, {
    kty,
    jwk,
    keyOps,
    ...(attributes ? { attributes } : {}),
    ...(tags ? { tags } : {}),
    ...(releasePolicy ? { releasePolicy } : {}),
  });
  ctx.save();
  return { body: keyBundle(ctx.container, object, record) };
}

export function importKey(ctx: RouteContext) {
  const name = ctx.params['key-name']!;
  checkName(name, 'Key');
  const body = requireObject(ctx.body, 'ImportKey');
  const hsmFlag = body.Hsm ?? body.hsm;
  if (hsmFlag !== undefined && hsmFlag !== null && typeof hsmFlag !== 'boolean') throw badParameter("Property 'Hsm' has invalid value: expected true or false.");
  const imported = importJwk(body.key);
  let kty = imported.kty;
  // Hsm: true asks for hardware protection; a Managed HSM protects every key it imports in hardware.
  if ((hsmFlag === true || ctx.container.spec.kind === 'hsm') && !isHsmType(kty)) kty = KEY_TYPES.find((t) => t === `${kty}-HSM`)!;
  checkKeyTypeAllowed(ctx.container, kty);
  const keyOps = parseKeyOps(imported.keyOps, 'key.key_ops') ?? defaultKeyOps(kty);
  const attributes = optionalAttributes(body);
  const tags = optionalTags(body);
  const releasePolicy = parseReleasePolicy(body.release_policy);
  const store = keyStore(ctx.container);
  const existing = store.get(name);
  checkWritable(name)(existing, Boolean(store.getDeleted(name)));
  checkExportable(kty, attributes, releasePolicy ?? existing?.versions.at(-1)?.payload.releasePolicy, !existing);
  const { object, record } = addKeyVersion(ctx.container, name, {
    kty,
    jwk: imported.jwk,
    keyOps,
    ...(attributes ? { attributes } : {}),
    ...(tags ? { tags } : {}),
    ...(releasePolicy ? { releasePolicy } : {}),
  });
  ctx.save();
  return { body: keyBundle(ctx.container, object, record) };
}

export function findVersion(ctx: RouteContext) {
  const name = ctx.params['key-name']!;
  const version = ctx.params['key-version'] ?? '';
  const found = keyStore(ctx.container).getVersion(name, version);
  if (!found) throw keyNotFound(name, version);
  return found;
}

export function getKey(ctx: RouteContext) {
  const { object, record } = findVersion(ctx);
  if (!record.attributes.enabled) throw new KvError(403, 'Forbidden', 'Operation get is not allowed on a disabled key.', 'KeyDisabled');
  return { body: keyBundle(ctx.container, object, record) };
}

export function updateKey(ctx: RouteContext) {
  const { object, record } = findVersion(ctx);
  if (record.payload.managed) throw managedKeyForbidden(object.name, 'update the certificate instead of its key.');
  const body = requireObject(ctx.body ?? {}, 'UpdateKey');
  const keyOps = parseKeyOps(body.key_ops);
  const attributes = optionalAttributes(body);
  const tags = optionalTags(body);
  const releasePolicy = parseReleasePolicy(body.release_policy);
  const a = record.attributes;
  if (attributes?.exportable !== undefined && attributes.exportable !== Boolean(a.exportable)) {
    throw badParameter('The exportable attribute of a key cannot be changed after the key is created.');
  }
  if (releasePolicy) {
    if (!a.exportable) throw badParameter('A release policy can only be set on an exportable key.');
    if (record.payload.releasePolicy?.immutable) throw badParameter('The release policy of this key is immutable and cannot be changed.');
  }
  const nbf = attributes?.nbf ?? a.nbf;
  const exp = attributes?.exp ?? a.exp;
  if (nbf !== undefined && exp !== undefined && nbf > exp) throw badParameter('The activation date (nbf) must be before the expiry date (exp).');
  if (attributes?.enabled !== undefined) a.enabled = attributes.enabled;
  if (attributes?.nbf !== undefined) a.nbf = attributes.nbf;
  if (attributes?.exp !== undefined) a.exp = attributes.exp;
  if (keyOps) record.payload.keyOps = keyOps;
  if (tags) record.tags = tags;
  if (releasePolicy) record.payload.releasePolicy = releasePolicy;
  a.updated = nowSeconds();
  ctx.save();
  return { body: keyBundle(ctx.container, object, record) };
}

export function deleteKey(ctx: RouteContext) {
  const name = ctx.params['key-name']!;
  const store = keyStore(ctx.container);
  const object = store.get(name);
  if (!object) throw keyNotFound(name);
  const latest = object.versions.at(-1)!;
  if (latest.payload.managed) throw managedKeyForbidden(name, 'delete the certificate instead.');
  const deleted = store.softDelete(name)!;
  ctx.save();
  return { body: { ...deletedFields(ctx.container, deleted), ...keyBundle(ctx.container, object, latest) } };
}

export function listKeys(ctx: RouteContext) {
  const items = keyStore(ctx.container)
    .list()
    .map((o) => keyItem(ctx.container, o, o.versions.at(-1)!, false));
  return { body: pageOf(items, ctx.url) };
}

export function listKeyVersions(ctx: RouteContext) {
  const name = ctx.params['key-name']!;
  const object = keyStore(ctx.container).get(name);
  if (!object) throw keyNotFound(name);
  return { body: pageOf(object.versions.map((v) => keyItem(ctx.container, object, v, true)), ctx.url) };
}

export function listDeletedKeys(ctx: RouteContext) {
  const items = keyStore(ctx.container)
    .listDeleted()
    .map((d) => ({ ...deletedFields(ctx.container, d), ...keyItem(ctx.container, d.object, d.object.versions.at(-1)!, false) }));
  return { body: pageOf(items, ctx.url) };
}

export function getDeletedKey(ctx: RouteContext) {
  const name = ctx.params['key-name']!;
  const d = keyStore(ctx.container).getDeleted(name);
  if (!d) throw deletedKeyNotFound(name);
  return { body: { ...deletedFields(ctx.container, d), ...keyBundle(ctx.container, d.object, d.object.versions.at(-1)!) } };
}

export function purgeDeletedKey(ctx: RouteContext) {
  const name = ctx.params['key-name']!;
  const store = keyStore(ctx.container);
  const d = store.getDeleted(name);
  if (!d) throw deletedKeyNotFound(name);
  if (d.object.versions.at(-1)?.payload.managed) throw managedKeyForbidden(name, 'purge the deleted certificate instead.');
  store.purge(name);
  ctx.save();
  return { status: 204 };
}

export function recoverDeletedKey(ctx: RouteContext) {
  const name = ctx.params['key-name']!;
  const store = keyStore(ctx.container);
  if (store.get(name)) throw conflict(`Key ${name} already exists and is not deleted.`);
  const object = store.recover(name);
  if (!object) throw deletedKeyNotFound(name);
  ctx.save();
  return { body: keyBundle(ctx.container, object, object.versions.at(-1)!) };
}

export function backupKey(ctx: RouteContext) {
  const name = ctx.params['key-name']!;
  const object = keyStore(ctx.container).get(name);
  if (!object) throw keyNotFound(name);
  if (object.versions.at(-1)?.payload.managed) throw managedKeyForbidden(name, 'back up the certificate instead.');
  return { body: { value: sealBackup('keys', object) } };
}

export function restoreKey(ctx: RouteContext) {
  const body = requireObject(ctx.body, 'RestoreKey');
  const object = openBackup<ObjectRecord<KeyPayload>>('keys', body.value);
  const latest = object.versions?.at(-1);
  if (!latest?.payload?.kty) throw badParameter('Backup blob contains invalid or corrupt version.');
  // A backup can only go back to a container that can hold its key type (no HSM keys in a Standard vault, …).
  for (const v of object.versions) checkKeyTypeAllowed(ctx.container, v.payload.kty);
  const store = keyStore(ctx.container);
  if (store.get(object.name)) throw conflict(`Key ${object.name} already exists. Restore is only possible when no key with that name exists; delete and purge it first.`);
  if (store.getDeleted(object.name)) throw deletedKeyConflict(object.name);
  for (const v of object.versions) {
    v.attributes.recoverableDays = ctx.container.spec.softDeleteRetentionDays;
    v.attributes.recoveryLevel = recoveryLevelFor(v.attributes.recoverableDays);
  }
  store.put(object);
  ctx.save();
  return { body: keyBundle(ctx.container, object, latest) };
}

export async function rotateKey(ctx: RouteContext) {
  const name = ctx.params['key-name']!;
  const store = keyStore(ctx.container);
  const object = store.get(name);
  if (!object) throw keyNotFound(name);
  const latest = object.versions.at(-1)!;
  if (latest.payload.managed) throw managedKeyForbidden(name, 'renew the certificate instead of rotating its key.');
  const { kty, jwk, keyOps, releasePolicy } = latest.payload;
  const material = await generateKeyMaterial(kty, {
    ...(jwk.kty === 'EC' ? { crv: jwk.crv } : { keySize: keySizeOf(jwk) }),
    ...(jwk.kty === 'RSA' ? { publicExponent: Number(BigInt(`0x${Buffer.from(jwk.e, 'base64url').toString('hex')}`)) } : {}),
  });
  if (!store.get(name)) throw keyNotFound(name);
  const exp = rotatedExpiry(object.meta.rotationPolicy as StoredRotationPolicy | undefined);
  const attributes = { enabled: true, ...(exp !== undefined ? { exp } : {}), ...(latest.attributes.exportable !== undefined ? { exportable: latest.attributes.exportable } : {}) };
  const { record } = addKeyVersion(ctx.container, object.name, {
    kty,
    jwk: material,
    keyOps: [...keyOps],
    attributes,
    ...(latest.tags ? { tags: { ...latest.tags } } : {}),
    ...(releasePolicy ? { releasePolicy: { ...releasePolicy } } : {}),
  });
  ctx.save();
  return { body: keyBundle(ctx.container, object, record) };
}

export function getRotationPolicy(ctx: RouteContext) {
  const name = ctx.params['key-name']!;
  const object = keyStore(ctx.container).get(name);
  if (!object) throw keyNotFound(name);
  return { body: rotationPolicyOut(ctx.container.origin, object.name, object.meta.rotationPolicy as StoredRotationPolicy | undefined, ctx.container) };
}

export function updateRotationPolicy(ctx: RouteContext) {
  const name = ctx.params['key-name']!;
  const object = keyStore(ctx.container).get(name);
  if (!object) throw keyNotFound(name);
  if (object.versions.at(-1)?.payload.managed) throw managedKeyForbidden(name, "set the certificate policy's lifetime actions instead of a key rotation policy.");
  const body = requireObject(ctx.body, 'UpdateKeyRotationPolicy');
  const policy = parseRotationPolicy(body, ctx.container, object.meta.rotationPolicy as StoredRotationPolicy | undefined);
  object.meta.rotationPolicy = policy;
  ctx.save();
  return { body: rotationPolicyOut(ctx.container.origin, object.name, policy, ctx.container) };
}

export function releaseKey(ctx: RouteContext): never {
  const body = requireObject(ctx.body, 'release');
  if (typeof body.target !== 'string' || body.target.length === 0) throw badParameter("Property 'target' is required: the attestation token of the environment the key is released to.");
  if (body.nonce !== undefined && body.nonce !== null && typeof body.nonce !== 'string') throw badParameter("Property 'nonce' has invalid value: expected a string.");
  const enc = body.enc;
  if (enc !== undefined && enc !== null && !['CKM_RSA_AES_KEY_WRAP', 'RSA_AES_KEY_WRAP_256', 'RSA_AES_KEY_WRAP_384'].includes(String(enc))) {
    throw badParameter(`Invalid enc value: '${String(enc)}'. Valid values are CKM_RSA_AES_KEY_WRAP, RSA_AES_KEY_WRAP_256 and RSA_AES_KEY_WRAP_384.`);
  }
  const { object, record } = findVersion(ctx);
  if (!record.attributes.enabled) throw new KvError(403, 'Forbidden', 'Operation release is not allowed on a disabled key.', 'KeyDisabled');
  if (!record.attributes.exportable || !record.payload.releasePolicy) {
    throw badParameter(`Key ${object.name} is not exportable: only keys created with attributes.exportable = true and a release policy can be released.`);
  }
  // Releasing means verifying the target's attestation token (issuer keys, claims) against the release policy and
  // wrapping the key for the attested environment; the emulator has no attestation service to do either.
  throw badParameter('Secure key release is not supported by the emulator: it does not emulate attestation, so it cannot evaluate the target token against the release policy.');
}

/** Attestation and secure wrap/unwrap need vendor HSM attestation material the emulator does not have. */
export function notEmulated(what: string): () => never {
  return () => {
    throw badParameter(`${what} is not supported by the emulator: it needs HSM attestation, which the emulator does not emulate.`);
  };
}

export function getRandomBytes(ctx: RouteContext) {
  const body = requireObject(ctx.body, 'GetRandomBytes');
  const count = body.count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 128) {
    throw badParameter(`Property 'count' has invalid value '${String(count)}': the number of random bytes must be an integer from 1 to 128.`);
  }
  return { body: { value: randomBytes(count).toString('base64url') } };
}

