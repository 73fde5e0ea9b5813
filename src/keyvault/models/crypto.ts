import type { KeyVaultKey } from './keys';

/** JsonWebKeySignatureAlgorithm values Key Vault serves for RSA and EC keys (HS* needs HMAC keys it does not offer here). */
export const SIGNATURE_ALGORITHMS = ['PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'RSNULL', 'ES256', 'ES384', 'ES512', 'ES256K'] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

/** JsonWebKeyEncryptionAlgorithm values for encrypt/decrypt: RSA, and AES for oct-HSM keys. */
export const ENCRYPTION_ALGORITHMS = [
  'RSA-OAEP',
  'RSA-OAEP-256',
  'RSA1_5',
  'A128GCM',
  'A192GCM',
  'A256GCM',
  'A128CBC',
  'A192CBC',
  'A256CBC',
  'A128CBCPAD',
  'A192CBCPAD',
  'A256CBCPAD',
] as const;
export type EncryptionAlgorithm = (typeof ENCRYPTION_ALGORITHMS)[number];

/** Algorithms for wrapKey/unwrapKey: RSA, and AES key wrap (RFC 3394) for oct-HSM keys. */
export const WRAP_ALGORITHMS = ['RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5', 'A128KW', 'A192KW', 'A256KW'] as const;
export type WrapAlgorithm = (typeof WRAP_ALGORITHMS)[number];

export const RSA_ENCRYPTION_ALGORITHMS = ['RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5'] as const;
export type RsaEncryptionAlgorithm = (typeof RSA_ENCRYPTION_ALGORITHMS)[number];

/**
 * A key for a crypto operation: its id (`https://{vault}/keys/{name}[/{version}]`, latest version when none), or the
 * key as the service returned it — then what its properties already tell (disabled, key_ops, type, curve, size) is
 * checked before anything is sent.
 */
export type CryptoKeyRef = string | KeyVaultKey;

/** The algorithms a key allows, per operation, after its type, curve, size and key_ops. */
export interface KeyAlgorithms {
  sign: SignatureAlgorithm[];
  verify: SignatureAlgorithm[];
  encrypt: EncryptionAlgorithm[];
  decrypt: EncryptionAlgorithm[];
  wrapKey: WrapAlgorithm[];
  unwrapKey: WrapAlgorithm[];
}

export interface CryptoOptions {
  abortSignal?: AbortSignal;
}

export interface SignResult {
  /** The versioned kid that signed. */
  keyId: string;
  algorithm: SignatureAlgorithm;
  signature: Uint8Array;
}

/** signData: the digest computed locally is returned so callers can verify or show it. */
export interface SignDataResult extends SignResult {
  digest: Uint8Array;
}

export interface EncryptOptions extends CryptoOptions {
  /** CBC: 16 bytes, generated here when absent. GCM: not allowed, the service generates it. */
  iv?: Uint8Array;
  /** GCM only: additional authenticated data. */
  additionalAuthenticatedData?: Uint8Array;
}

export interface EncryptResult {
  keyId: string;
  algorithm: EncryptionAlgorithm;
  ciphertext: Uint8Array;
  iv?: Uint8Array;
  /** GCM authentication tag. */
  authenticationTag?: Uint8Array;
  additionalAuthenticatedData?: Uint8Array;
}

export interface DecryptOptions extends CryptoOptions {
  /** Required for AES (CBC and GCM). */
  iv?: Uint8Array;
  /** Required for GCM. */
  authenticationTag?: Uint8Array;
  additionalAuthenticatedData?: Uint8Array;
}

/** The plaintext: may be sensitive, never log it. */
export interface DecryptResult {
  keyId: string;
  algorithm: EncryptionAlgorithm;
  plaintext: Uint8Array;
}

export interface WrapResult {
  keyId: string;
  algorithm: WrapAlgorithm;
  encryptedKey: Uint8Array;
}

/** The unwrapped key material: never log it. */
export interface UnwrapResult {
  keyId: string;
  algorithm: WrapAlgorithm;
  key: Uint8Array;
}
