import { KvError, badParameter, conflict, notFound } from '../../core/errors';
import { VersionedStore } from '../../core/store';
import type { Container } from '../../core/types';

/** Key types as Key Vault names them on the wire (JsonWebKeyType). */
export const KEY_TYPES = ['EC', 'EC-HSM', 'RSA', 'RSA-HSM', 'oct', 'oct-HSM'] as const;
export type KeyType = (typeof KEY_TYPES)[number];
export type KeyFamily = 'RSA' | 'EC' | 'oct';

export const KEY_OPERATIONS = ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey', 'import', 'export'] as const;
export type KeyOperation = (typeof KEY_OPERATIONS)[number];

export const CURVES = ['P-256', 'P-384', 'P-521', 'P-256K'] as const;
export type Curve = (typeof CURVES)[number];

export const RSA_SIZES = [2048, 3072, 4096] as const;
export const AES_SIZES = [128, 192, 256] as const;

/** Private key material, stored as a JWK with Key Vault's names (crv "P-256K", not node's "secp256k1"). */
export type PrivateJwk =
  | { kty: 'RSA'; n: string; e: string; d: string; p: string; q: string; dp: string; dq: string; qi: string }
  | { kty: 'EC'; crv: Curve; x: string; y: string; d: string }
  | { kty: 'oct'; k: string };

export interface ReleasePolicy {
  contentType: string;
  /** base64url of the policy JSON, as on the wire. */
  data: string;
  immutable?: boolean;
}

/** One key version as kept in the JSON state (so `--state` persists the private material too). */
export interface KeyPayload {
  kty: KeyType;
  keyOps: string[];
  jwk: PrivateJwk;
  /** Set on keys that back a certificate: their lifetime is managed by the certificate. */
  managed?: boolean;
  releasePolicy?: ReleasePolicy;
}

export interface StoredLifetimeAction {
  trigger: { timeAfterCreate?: string; timeBeforeExpiry?: string };
  action: { type: 'Rotate' | 'Notify' };
}

/** Per-key (unversioned) rotation policy, kept in the object's `meta`. */
export interface StoredRotationPolicy {
  lifetimeActions: StoredLifetimeAction[];
  expiryTime?: string;
  created: number;
  updated: number;
}

export const keyStore = (c: Container): VersionedStore<KeyPayload> => new VersionedStore(c.data.keys as never);

export const familyOf = (kty: KeyType): KeyFamily => kty.replace(/-HSM$/, '') as KeyFamily;
export const isHsmType = (kty: KeyType): boolean => kty.endsWith('-HSM');

/** Default key_ops by family: what Key Vault answers when a create or import names none. */
export function defaultKeyOps(kty: KeyType): string[] {
  switch (familyOf(kty)) {
    case 'RSA':
      return ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'];
    case 'EC':
      return ['sign', 'verify'];
    case 'oct':
      return ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'];
  }
}

export const keyNotFound = (name: string, version = ''): KvError =>
  notFound(
    'KeyNotFound',
    `A key with (name/id) ${name}${version ? `/${version}` : ''} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
  );

export const deletedKeyNotFound = (name: string): KvError => notFound('KeyNotFound', `Deleted Key not found: ${name}`);

export const deletedKeyConflict = (name: string): KvError =>
  conflict(`Key ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the key can only be recovered or purged.`);

export const managedKeyForbidden = (name: string, what: string): KvError =>
  new KvError(403, 'Forbidden', `Key ${name} backs a certificate and its lifetime is managed by Key Vault: ${what}`);

/** Key Vault's answer to a key type the container cannot hold (innererror KeyTypeNotSupported). */
export const unsupportedKeyType = (kty: string, why = ''): KvError => new KvError(400, 'BadParameter', `Invalid kty value: ${kty}${why ? `. ${why}` : ''}`, 'KeyTypeNotSupported');

/**
 * Which key types a container accepts: a Managed HSM only hardware types (oct-HSM included); a vault RSA and EC,
 * and their -HSM variants only on the premium SKU; no vault holds symmetric keys.
 */
export function checkKeyTypeAllowed(container: Container, kty: KeyType): void {
  if (container.spec.kind === 'hsm') {
    if (!isHsmType(kty)) throw unsupportedKeyType(kty, 'A Managed HSM holds only hardware-protected keys: RSA-HSM, EC-HSM or oct-HSM.');
    return;
  }
  if (familyOf(kty) === 'oct') throw unsupportedKeyType(kty);
  if (isHsmType(kty) && container.spec.sku !== 'premium') {
    throw unsupportedKeyType(kty, `HSM-protected keys require a Premium vault; ${container.spec.name} is a Standard vault.`);
  }
}

export function parseKeyType(value: unknown): KeyType {
  if (value === undefined || value === null || value === '') throw badParameter("Property 'kty' is required: one of EC, EC-HSM, RSA, RSA-HSM, oct, oct-HSM.");
  if (typeof value !== 'string' || !(KEY_TYPES as readonly string[]).includes(value)) throw unsupportedKeyType(String(value));
  return value as KeyType;
}

export function parseCurve(value: unknown): Curve {
  if (typeof value !== 'string' || !(CURVES as readonly string[]).includes(value)) {
    throw badParameter(`Invalid crv value: ${String(value)}. Valid curves are P-256, P-384, P-521 and P-256K.`);
  }
  return value as Curve;
}

/** Reads `key_ops`: an array of JsonWebKeyOperation values, without duplicates. */
export function parseKeyOps(value: unknown, property = 'key_ops'): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw badParameter(`Property '${property}' has invalid value: expected an array of key operations.`);
  const ops: string[] = [];
  for (const op of value) {
    if (typeof op !== 'string' || !(KEY_OPERATIONS as readonly string[]).includes(op)) {
      throw badParameter(`Invalid ${property} value: '${String(op)}'. Valid key operations are ${KEY_OPERATIONS.join(', ')}.`);
    }
    if (!ops.includes(op)) ops.push(op);
  }
  return ops;
}

/** Decodes a base64url (or base64) request field; Key Vault refuses anything else with 400. */
export function decodeBase64Url(value: unknown, property: string, required = true): Buffer | undefined {
  if (value === undefined || value === null) {
    if (required) throw badParameter(`Property '${property}' is required.`);
    return undefined;
  }
  if (typeof value !== 'string' || !/^[A-Za-z0-9_\-+/]*={0,2}$/.test(value)) throw badParameter(`Property '${property}' has invalid value: expected a base64url-encoded string.`);
  return Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

export const b64u = (b: Buffer): string => b.toString('base64url');
