import { constants, createHash, publicDecrypt, publicEncrypt, type KeyObject } from 'node:crypto';
import { RSA_ENCRYPTION_ALGORITHMS, type RsaEncryptionAlgorithm, type SignatureAlgorithm } from '../models/crypto';
import { keyFamilyOf, type JsonWebPublicKey } from '../models/keys';
import { curveForAlgorithm } from './algorithms';
import { checkDigestLength, checkSignatureAlgorithm, hashFor, HASH_BYTES, type HashName } from './digest';
import { bytesToBigInt, CURVES, ecdsaVerifyDigest } from './ecdsa';
import { modulusBits, publicKeyObject } from './jwk';
import { invalidInput } from './invalid';

// Local operations need only the public key, so they work without the 'verify'/'encrypt' permission and without a
// round trip. Node's sign/verify hash the message themselves and Key Vault works on digests, so RSA verification
// uses Node's raw public-key operation (publicDecrypt) and checks the encoding here: PKCS#1 v1.5 DigestInfo
// (RFC 8017 §9.2) or EMSA-PSS (§9.1.2) with a salt as long as the hash, as JWA's PS* algorithms define.

/** DER prefix of DigestInfo for each hash (RFC 8017 §9.2, note 1). */
const DIGEST_INFO_PREFIX: Record<HashName, Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

function requireFamily(jwk: JsonWebPublicKey, family: 'RSA' | 'EC', alg: string): void {
  const actual = keyFamilyOf(jwk.kty);
  if (actual !== family) throw invalidInput(`${alg} needs an ${family} key; this is a ${jwk.kty} key.`);
}

/**
 * Verifies a signature Key Vault made (or anyone made with the same algorithm) from the public key alone. Throws
 * KeyVaultError 'bad-request' for an algorithm that does not fit the key or a digest of the wrong length; a signature
 * that does not verify — malformed or of the wrong length included — gives false.
 */
export function verifyLocally(publicJwk: JsonWebPublicKey, algorithm: SignatureAlgorithm, digest: Uint8Array, signature: Uint8Array): boolean {
  const alg = checkSignatureAlgorithm(algorithm);
  if (alg.startsWith('ES')) {
    requireFamily(publicJwk, 'EC', alg);
    const wanted = curveForAlgorithm(alg)!;
    if (publicJwk.crv !== wanted) throw invalidInput(`${alg} needs a key on curve ${wanted}; this key is on ${publicJwk.crv ?? 'no curve'}.`);
    checkDigestLength(alg, digest);
    // Validates the point (on the curve, right sizes) through node:crypto before the arithmetic uses it.
    const jwk = publicKeyObject(publicJwk).export({ format: 'jwk' });
    const c = CURVES[wanted];
    return ecdsaVerifyDigest(c, bytesToBigInt(Buffer.from(jwk.x!, 'base64url')), bytesToBigInt(Buffer.from(jwk.y!, 'base64url')), digest, signature);
  }
  requireFamily(publicJwk, 'RSA', alg);
  checkDigestLength(alg, digest);
  const key = publicKeyObject(publicJwk);
  const bits = modulusBits(publicJwk.n!);
  const k = Math.ceil(bits / 8);
  if (signature.length !== k) return false;
  const hash = hashFor(alg);
  if (alg.startsWith('PS')) return pssVerify(key, bits, hash!, digest, signature);
  let decoded: Buffer;
  try {
    decoded = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
  const expected = hash ? Buffer.concat([DIGEST_INFO_PREFIX[hash], digest]) : Buffer.from(digest);
  return decoded.equals(expected);
}

function mgf1(seed: Buffer, length: number, hash: HashName): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * HASH_BYTES[hash] < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    blocks.push(createHash(hash).update(seed).update(c).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2) over the raw RSA result, MGF1 with the same hash, salt length = hash length. */
function pssVerify(key: KeyObject, modBits: number, hash: HashName, mHash: Uint8Array, signature: Uint8Array): boolean {
  let m: Buffer;
  try {
    m = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return false;
  }
  const hLen = HASH_BYTES[hash];
  const sLen = hLen;
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  // When modBits − 1 is a multiple of 8 the encoded message is one byte shorter than the modulus: that byte is 0.
  if (m.subarray(0, m.length - emLen).some((b) => b !== 0)) return false;
  const em = m.subarray(m.length - emLen);
  if (emLen < hLen + sLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const unusedBits = 8 * emLen - emBits;
  const topMask = 0xff >> unusedBits;
  if ((maskedDb[0]! & ~topMask & 0xff) !== 0) return false;
  const dbMask = mgf1(h, maskedDb.length, hash);
  const db = Buffer.alloc(maskedDb.length);
  for (let i = 0; i < db.length; i++) db[i] = maskedDb[i]! ^ dbMask[i]!;
  db[0] = db[0]! & topMask;
  const psLen = emLen - hLen - sLen - 2;
  for (let i = 0; i < psLen; i++) if (db[i] !== 0) return false;
  if (db[psLen] !== 0x01) return false;
  const salt = db.subarray(db.length - sLen);
  const hPrime = createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  return hPrime.equals(h);
}

const RSA_PADDING: Record<RsaEncryptionAlgorithm, { padding: number; oaepHash?: 'sha1' | 'sha256'; overhead: number }> = {
  RSA1_5: { padding: constants.RSA_PKCS1_PADDING, overhead: 11 },
  'RSA-OAEP': { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1', overhead: 2 * 20 + 2 },
  'RSA-OAEP-256': { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', overhead: 2 * 32 + 2 },
};

/** The most plaintext bytes an RSA algorithm encrypts with a modulus of `bits` bits. */
export function rsaMaxPlaintext(algorithm: RsaEncryptionAlgorithm, bits: number): number {
  return Math.ceil(bits / 8) - RSA_PADDING[algorithm].overhead;
}

export function isRsaEncryptionAlgorithm(alg: string): alg is RsaEncryptionAlgorithm {
  return (RSA_ENCRYPTION_ALGORITHMS as readonly string[]).includes(alg);
}

/**
 * RSA encryption with the public key, no round trip; the service (or anyone holding the private key) decrypts.
 * Plaintext longer than the algorithm allows for this modulus is refused with the limit.
 */
export function encryptLocally(publicJwk: JsonWebPublicKey, algorithm: RsaEncryptionAlgorithm, plaintext: Uint8Array): Uint8Array {
  if (!isRsaEncryptionAlgorithm(algorithm)) {
    throw invalidInput(`Local encryption does ${RSA_ENCRYPTION_ALGORITHMS.join(', ')} with an RSA public key; ${String(algorithm)} runs only in the service.`);
  }
  requireFamily(publicJwk, 'RSA', algorithm);
  const key = publicKeyObject(publicJwk);
  const bits = modulusBits(publicJwk.n!);
  const max = rsaMaxPlaintext(algorithm, bits);
  if (plaintext.length > max) throw invalidInput(`${algorithm} with a ${bits}-bit key encrypts at most ${max} bytes; this plaintext has ${plaintext.length}.`);
  const spec = RSA_PADDING[algorithm];
  return new Uint8Array(publicEncrypt({ key, padding: spec.padding, ...(spec.oaepHash ? { oaepHash: spec.oaepHash } : {}) }, plaintext));
}
