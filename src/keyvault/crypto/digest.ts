import { createHash } from 'node:crypto';
import { SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from '../models/crypto';
import { invalidInput } from './invalid';

export type HashName = 'sha256' | 'sha384' | 'sha512';

export const HASH_BYTES: Record<HashName, number> = { sha256: 32, sha384: 48, sha512: 64 };

/** The hash each signature algorithm signs; RSNULL signs the bytes it is given as they are. */
const HASH_OF: Record<SignatureAlgorithm, HashName | undefined> = {
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  RSNULL: undefined,
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
  ES256K: 'sha256',
};

export function isSignatureAlgorithm(alg: string): alg is SignatureAlgorithm {
  return (SIGNATURE_ALGORITHMS as readonly string[]).includes(alg);
}

export function checkSignatureAlgorithm(alg: string): SignatureAlgorithm {
  if (!isSignatureAlgorithm(alg)) throw invalidInput(`'${alg}' is not a signature algorithm Key Vault knows: use one of ${SIGNATURE_ALGORITHMS.join(', ')}.`);
  return alg;
}

/** The hash of a signature algorithm, or undefined for RSNULL. */
export function hashFor(alg: SignatureAlgorithm): HashName | undefined {
  return HASH_OF[checkSignatureAlgorithm(alg)];
}

/** Digest of `data` with the hash the algorithm signs (SHA-256 for PS256/RS256/ES256/ES256K, and so on). Strings are UTF-8. */
export function digestFor(alg: SignatureAlgorithm, data: Uint8Array | string): Uint8Array {
  const hash = hashFor(alg);
  if (!hash) throw invalidInput(`${alg} has no hash of its own: it signs the bytes it is given, so compute and encode the digest yourself and use sign().`);
  return new Uint8Array(createHash(hash).update(data).digest());
}

/**
 * Key Vault signs a digest, not a message: a digest of the wrong length is refused here, with the length expected,
 * before a round trip (a frequent mistake is passing the message itself).
 */
export function checkDigestLength(alg: SignatureAlgorithm, digest: Uint8Array): void {
  const hash = hashFor(alg);
  if (!hash) {
    if (digest.length === 0) throw invalidInput('The value to sign with RSNULL is empty.');
    return;
  }
  const expected = HASH_BYTES[hash];
  if (digest.length !== expected) {
    throw invalidInput(
      `${alg} signs a ${hash.toUpperCase().replace('SHA', 'SHA-')} digest of ${expected} bytes; this one has ${digest.length}.`,
      `Pass the digest of the data, not the data itself (signData() computes it for you).`,
    );
  }
}
