import { KeyVaultError } from '../errors';
import { ENCRYPTION_ALGORITHMS, RSA_ENCRYPTION_ALGORITHMS, SIGNATURE_ALGORITHMS, WRAP_ALGORITHMS, type KeyAlgorithms } from '../models/crypto';
import { AES_KEY_SIZES, keyFamilyOf, type KeyCurveName, type KeyOperation, type KeyType, type KeyVaultKey } from '../models/keys';
import { invalidInput } from './invalid';

/** What algorithmsFor needs to know about a key: a KeyVaultKey has it all. */
export interface KeyShape {
  keyType: KeyType;
  keyOps?: readonly KeyOperation[];
  curve?: KeyCurveName;
  keySize?: number;
}

export type CryptoOperation = keyof KeyAlgorithms;

/** The one ECDSA algorithm of each curve (JWA pairs hash and curve). */
export const EC_SIGN: Record<KeyCurveName, 'ES256' | 'ES384' | 'ES512' | 'ES256K'> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512', 'P-256K': 'ES256K' };

export function curveForAlgorithm(alg: string): KeyCurveName | undefined {
  return (Object.keys(EC_SIGN) as KeyCurveName[]).find((c) => EC_SIGN[c] === alg);
}

/** By type, curve and size only (key_ops aside). Unknown curve or size: every algorithm of the family. */
function byKeyType(key: KeyShape): KeyAlgorithms {
  const family = keyFamilyOf(key.keyType);
  if (family === 'RSA') {
    const sign = SIGNATURE_ALGORITHMS.filter((a) => a.startsWith('PS') || a.startsWith('RS'));
    const rsa = [...RSA_ENCRYPTION_ALGORITHMS];
    return { sign, verify: [...sign], encrypt: rsa, decrypt: [...rsa], wrapKey: [...rsa], unwrapKey: [...rsa] };
  }
  if (family === 'EC') {
    const sign = key.curve ? [EC_SIGN[key.curve]] : SIGNATURE_ALGORITHMS.filter((a) => a.startsWith('ES'));
    return { sign, verify: [...sign], encrypt: [], decrypt: [], wrapKey: [], unwrapKey: [] };
  }
  // AES algorithms name their key size: a 256-bit key does A256GCM, not A128GCM.
  const sizes = key.keySize && (AES_KEY_SIZES as readonly number[]).includes(key.keySize) ? [key.keySize] : [...AES_KEY_SIZES];
  const fits = (alg: string): boolean => sizes.some((s) => alg.startsWith(`A${s}`));
  const encrypt = ENCRYPTION_ALGORITHMS.filter((a) => a.startsWith('A') && fits(a));
  const wrap = WRAP_ALGORITHMS.filter((a) => a.startsWith('A') && fits(a));
  return { sign: [], verify: [], encrypt, decrypt: [...encrypt], wrapKey: wrap, unwrapKey: [...wrap] };
}

/**
 * The algorithms a key allows for each operation, after its type, curve, size and key_ops: what the UI offers.
 * An operation missing from key_ops gets an empty list.
 */
export function algorithmsFor(key: KeyShape): KeyAlgorithms {
  const all = byKeyType(key);
  if (!key.keyOps) return all;
  const ops = key.keyOps;
  const keep = <T>(op: CryptoOperation, list: T[]): T[] => (ops.includes(op) ? list : []);
  return {
    sign: keep('sign', all.sign),
    verify: keep('verify', all.verify),
    encrypt: keep('encrypt', all.encrypt),
    decrypt: keep('decrypt', all.decrypt),
    wrapKey: keep('wrapKey', all.wrapKey),
    unwrapKey: keep('unwrapKey', all.unwrapKey),
  };
}

function describeKey(key: KeyShape): string {
  if (key.curve) return `${key.keyType} key on ${key.curve}`;
  if (key.keySize) return `${key.keySize}-bit ${key.keyType} key`;
  return `${key.keyType} key`;
}

/**
 * Refuses, before sending, what the key's own properties already rule out: a disabled key, an operation missing
 * from its key_ops, a sign/encrypt/wrap outside the validity dates, an algorithm its type, curve or size cannot do.
 */
export function checkKeyAllows(key: KeyVaultKey, operation: CryptoOperation, algorithm: string): void {
  if (key.attributes.enabled === false) {
    throw new KeyVaultError({ kind: 'disabled', message: `Key '${key.name}' is disabled.`, hint: 'Enable it (Edit attributes) to use it.' });
  }
  if (!key.keyOps.includes(operation)) {
    throw invalidInput(
      `Key '${key.name}' does not permit ${operation}: its operations are ${key.keyOps.length ? key.keyOps.join(', ') : 'none'}.`,
      `Add ${operation} to the key's operations, or use another key.`,
    );
  }
  // Key Vault keeps verify, decrypt and unwrap working outside the validity period so old data stays readable.
  if (operation === 'sign' || operation === 'encrypt' || operation === 'wrapKey') {
    const now = Date.now();
    const { notBefore, expiresOn } = key.attributes;
    if (notBefore && notBefore.getTime() > now) {
      throw invalidInput(`Key '${key.name}' is not valid before ${notBefore.toISOString()}: it cannot ${operation} yet.`, 'Change its activation date (Edit attributes), or use another key.');
    }
    if (expiresOn && expiresOn.getTime() <= now) {
      throw invalidInput(`Key '${key.name}' expired on ${expiresOn.toISOString()}: it can still verify, decrypt and unwrap, but not ${operation}.`, 'Rotate it or extend its expiration date.');
    }
  }
  const allowed = byKeyType(key)[operation] as readonly string[];
  if (!allowed.includes(algorithm)) {
    throw invalidInput(
      `${algorithm} does not fit ${describeKey(key)} '${key.name}' for ${operation}.`,
      allowed.length ? `Use ${allowed.join(', ')}.` : `A ${key.keyType} key cannot ${operation}.`,
    );
  }
}
