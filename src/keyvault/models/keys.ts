import type { AttributesUpdate, DeletedInfo, ObjectAttributes } from './common';

/** JsonWebKeyType: the -HSM variants are hardware-protected (Premium vaults, Managed HSMs). */
export const KEY_TYPES = ['EC', 'EC-HSM', 'RSA', 'RSA-HSM', 'oct', 'oct-HSM'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** JsonWebKeyCurveName, with Key Vault's name for secp256k1. */
export const KEY_CURVES = ['P-256', 'P-384', 'P-521', 'P-256K'] as const;
export type KeyCurveName = (typeof KEY_CURVES)[number];

/** JsonWebKeyOperation. */
export const KEY_OPERATIONS = ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey', 'import', 'export'] as const;
export type KeyOperation = (typeof KEY_OPERATIONS)[number];

export const RSA_KEY_SIZES = [2048, 3072, 4096] as const;
export const AES_KEY_SIZES = [128, 192, 256] as const;

/** KeyEncryptionAlgorithm: how a released key is wrapped for the attested target. */
export const KEY_RELEASE_ALGORITHMS = ['CKM_RSA_AES_KEY_WRAP', 'RSA_AES_KEY_WRAP_256', 'RSA_AES_KEY_WRAP_384'] as const;
export type KeyReleaseAlgorithm = (typeof KEY_RELEASE_ALGORITHMS)[number];

export type KeyFamily = 'RSA' | 'EC' | 'oct';
export const keyFamilyOf = (kty: KeyType): KeyFamily => kty.replace(/-HSM$/, '') as KeyFamily;

/**
 * The public members of a key as Key Vault returns them, with JWK wire names (so it can go straight to node:crypto
 * or a download). Never holds d, p, q, dp, dq, qi or k.
 */
export interface JsonWebPublicKey {
  kid?: string;
  kty: KeyType;
  key_ops?: KeyOperation[];
  n?: string;
  e?: string;
  crv?: KeyCurveName;
  x?: string;
  y?: string;
}

/** A private JWK to import. Private material: never log it, never keep it longer than the import. */
export interface JsonWebPrivateKey {
  kty: KeyType;
  key_ops?: KeyOperation[];
  n?: string;
  e?: string;
  d?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
  crv?: KeyCurveName;
  x?: string;
  y?: string;
  k?: string;
}

export interface KeyAttributes extends ObjectAttributes {
  /** The private part may leave the HSM through `release` (needs a release policy). */
  exportable?: boolean;
  /** Firmware/platform of the HSM that holds the key (Managed HSM and Premium vaults). */
  hsmPlatform?: string;
}

/** KeyReleasePolicy: the policy document is JSON, base64url on the wire. */
export interface KeyReleasePolicy {
  /** Defaults to `application/json; charset=utf-8`. */
  contentType?: string;
  /** Once immutable, the policy can no longer be changed. */
  immutable?: boolean;
  encodedPolicy: Uint8Array;
}

/** What a list shows: lists carry no key type or public members, a get does. */
export interface KeyProperties {
  /** The kid: `https://{vault}/keys/{name}/{version}`. */
  id: string;
  vaultUrl: string;
  name: string;
  version?: string;
  tags: Record<string, string>;
  /** True for keys that back a certificate: their lifetime follows the certificate. */
  managed: boolean;
  attributes: KeyAttributes;
  keyType?: KeyType;
  keyOps?: KeyOperation[];
  /** RSA: bits of the modulus n; oct: as the service reports it; EC: the curve's size. */
  keySize?: number;
  curve?: KeyCurveName;
  releasePolicy?: KeyReleasePolicy;
}

/** A key as a get, create, import or update returns it: type, operations and public members are known. */
export interface KeyVaultKey extends KeyProperties {
  keyType: KeyType;
  keyOps: KeyOperation[];
  key: JsonWebPublicKey;
}

export type DeletedKey = KeyProperties & DeletedInfo;

interface KeyWriteOptions {
  tags?: Record<string, string>;
  attributes?: AttributesUpdate & { exportable?: boolean };
  releasePolicy?: KeyReleasePolicy;
  abortSignal?: AbortSignal;
}

export interface CreateKeyOptions extends KeyWriteOptions {
  kty: KeyType;
  /** RSA: 2048, 3072 or 4096 (default 2048); oct-HSM: 128, 192 or 256 (default 256). */
  keySize?: number;
  /** RSA only; Key Vault's default is 65537. */
  publicExponent?: number;
  /** EC only; default P-256. */
  curve?: KeyCurveName;
  keyOps?: KeyOperation[];
}

export interface ImportKeyOptions extends KeyWriteOptions {
  /** Import as a hardware-protected key (Premium vaults); HSMs always hold keys in hardware. */
  hsm?: boolean;
}

export interface UpdateKeyOptions extends KeyWriteOptions {
  keyOps?: KeyOperation[];
}

export const KEY_ROTATION_ACTIONS = ['Rotate', 'Notify'] as const;
export type KeyRotationAction = (typeof KEY_ROTATION_ACTIONS)[number];

/** One lifetime action: exactly one of the two triggers, each an ISO 8601 duration such as `P90D`. */
export interface KeyRotationLifetimeAction {
  action: KeyRotationAction;
  timeAfterCreate?: string;
  timeBeforeExpiry?: string;
}

export interface KeyRotationPolicy {
  id?: string;
  lifetimeActions: KeyRotationLifetimeAction[];
  /** ISO 8601 duration: how long each rotated version is valid (`P2Y`). */
  expiryTime?: string;
  createdOn?: Date;
  updatedOn?: Date;
}

export interface KeyRotationPolicyUpdate {
  lifetimeActions?: KeyRotationLifetimeAction[];
  expiryTime?: string;
  abortSignal?: AbortSignal;
}

export interface ReleaseKeyOptions {
  /** Attestation token of the environment that receives the key. */
  targetAttestationToken: string;
  nonce?: string;
  algorithm?: KeyReleaseAlgorithm;
  abortSignal?: AbortSignal;
}

/** A JWS holding the key wrapped for the attested target. Key material: never log it. */
export interface ReleaseKeyResult {
  value: string;
}
