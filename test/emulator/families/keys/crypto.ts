import { constants, createCipheriv, createDecipheriv, createECDH, createHash, createPublicKey, privateDecrypt, privateEncrypt, publicDecrypt, publicEncrypt, randomBytes, type CipherGCMTypes, type KeyObject } from 'node:crypto';
import { badParameter } from '../../core/errors';
import { CURVE_INFO, keyObjectOf, keySizeOf } from './jwk';
import { familyOf, type KeyType, type PrivateJwk } from './model';

// Key Vault signs and verifies digests the client computed, which Node's sign/verify cannot do (they hash the input
// themselves). So: RSASSA-PKCS1-v1_5 is a private-key operation over DigestInfo || digest, RSASSA-PSS encodes
// EMSA-PSS (RFC 8017 §9.1) and applies the raw RSA primitive, and ECDSA does its scalar multiplications with Node's
// ECDH and the rest with BigInt modular arithmetic (FIPS 186-4 §6.4). Every primitive is Node's crypto (OpenSSL).

export interface StoredKey {
  kty: KeyType;
  jwk: PrivateJwk;
}

export const SIGNATURE_ALGORITHMS = ['PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'HS256', 'HS384', 'HS512', 'RSNULL', 'ES256', 'ES384', 'ES512', 'ES256K'] as const;
export const ENCRYPTION_ALGORITHMS = [
  'RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5', 'A128GCM', 'A192GCM', 'A256GCM', 'A128KW', 'A192KW', 'A256KW',
  'A128CBC', 'A192CBC', 'A256CBC', 'A128CBCPAD', 'A192CBCPAD', 'A256CBCPAD', 'CKM_AES_KEY_WRAP', 'CKM_AES_KEY_WRAP_PAD',
] as const;
/** Wrap algorithms: the encryption enum's RSA and key-wrap members, plus the padded AES key wraps of JsonWebKeyWrapAlgorithm. */
export const WRAP_ALGORITHMS = ['RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5', 'A128KW', 'A192KW', 'A256KW', 'A128KWPAD', 'A192KWPAD', 'A256KWPAD', 'CKM_AES_KEY_WRAP', 'CKM_AES_KEY_WRAP_PAD'] as const;

type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512';
const HASH_BYTES: Record<HashName, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/** DER prefixes of DigestInfo for each hash (RFC 8017 §9.2, note 1). */
const DIGEST_INFO: Record<'sha256' | 'sha384' | 'sha512', Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

const SIGN_SPEC: Record<string, { family: 'RSA' | 'EC'; scheme: 'pkcs1' | 'pss' | 'ecdsa' | 'raw'; hash?: 'sha256' | 'sha384' | 'sha512'; curve?: keyof typeof CURVE_INFO }> = {
  RS256: { family: 'RSA', scheme: 'pkcs1', hash: 'sha256' },
  RS384: { family: 'RSA', scheme: 'pkcs1', hash: 'sha384' },
  RS512: { family: 'RSA', scheme: 'pkcs1', hash: 'sha512' },
  PS256: { family: 'RSA', scheme: 'pss', hash: 'sha256' },
  PS384: { family: 'RSA', scheme: 'pss', hash: 'sha384' },
  PS512: { family: 'RSA', scheme: 'pss', hash: 'sha512' },
  RSNULL: { family: 'RSA', scheme: 'raw' },
  ES256: { family: 'EC', scheme: 'ecdsa', hash: 'sha256', curve: 'P-256' },
  ES384: { family: 'EC', scheme: 'ecdsa', hash: 'sha384', curve: 'P-384' },
  ES512: { family: 'EC', scheme: 'ecdsa', hash: 'sha512', curve: 'P-521' },
  ES256K: { family: 'EC', scheme: 'ecdsa', hash: 'sha256', curve: 'P-256K' },
};

function wrongKeyType(alg: string, kty: KeyType): never {
  throw badParameter(`Algorithm ${alg} is not valid for a key of type ${kty}.`);
}

/** Resolves a signature algorithm against the key, checking the digest length as Key Vault does. */
function signSpec(key: StoredKey, alg: string, digest: Buffer, property: string) {
  if (!(SIGNATURE_ALGORITHMS as readonly string[]).includes(alg)) throw badParameter(`Invalid algorithm: '${alg}'. Valid signature algorithms are ${SIGNATURE_ALGORITHMS.join(', ')}.`);
  const spec = SIGN_SPEC[alg];
  if (!spec) throw badParameter(`Algorithm ${alg} is not supported by this service for keys of type ${key.kty}.`);
  if (familyOf(key.kty) !== spec.family) wrongKeyType(alg, key.kty);
  if (spec.curve && key.jwk.kty === 'EC' && key.jwk.crv !== spec.curve) {
    throw badParameter(`Algorithm ${alg} requires a key on curve ${spec.curve}; this key uses ${key.jwk.crv}.`);
  }
  if (spec.hash && digest.length !== HASH_BYTES[spec.hash]) {
    throw badParameter(`Invalid length of '${property}': ${digest.length} bytes. ${alg} requires ${HASH_BYTES[spec.hash]} bytes, encoded with base64url.`);
  }
  return spec;
}

const rsaBytes = (jwk: PrivateJwk): number => Math.ceil(keySizeOf(jwk) / 8);

export function signDigest(key: StoredKey, alg: string, digest: Buffer): Buffer {
  const spec = signSpec(key, alg, digest, 'value');
  const priv = keyObjectOf(key.jwk);
  switch (spec.scheme) {
    case 'pkcs1':
      return privateEncrypt({ key: priv, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([DIGEST_INFO[spec.hash!], digest]));
    case 'raw':
      if (digest.length > rsaBytes(key.jwk) - 11) throw badParameter(`Invalid length of 'value': ${digest.length} bytes is too long for RSNULL with a ${keySizeOf(key.jwk)}-bit key.`);
      return privateEncrypt({ key: priv, padding: constants.RSA_PKCS1_PADDING }, digest);
    case 'pss': {
      const modBits = keySizeOf(key.jwk);
      const em = emsaPssEncode(digest, modBits - 1, spec.hash!);
      return privateEncrypt({ key: priv, padding: constants.RSA_NO_PADDING }, leftPad(em, rsaBytes(key.jwk)));
    }
    case 'ecdsa':
      return ecdsaSign(key.jwk as Extract<PrivateJwk, { kty: 'EC' }>, digest);
  }
}

export function verifyDigest(key: StoredKey, alg: string, digest: Buffer, signature: Buffer): boolean {
  const spec = signSpec(key, alg, digest, 'digest');
  const priv = keyObjectOf(key.jwk);
  switch (spec.scheme) {
    case 'pkcs1':
    case 'raw': {
      if (signature.length !== rsaBytes(key.jwk)) return false;
      const expected = spec.scheme === 'raw' ? digest : Buffer.concat([DIGEST_INFO[spec.hash!], digest]);
      try {
        return publicDecrypt({ key: publicOf(priv), padding: constants.RSA_PKCS1_PADDING }, signature).equals(expected);
      } catch {
        return false;
      }
    }
    case 'pss': {
      if (signature.length !== rsaBytes(key.jwk)) return false;
      let m: Buffer;
      try {
        m = publicDecrypt({ key: publicOf(priv), padding: constants.RSA_NO_PADDING }, signature);
      } catch {
        return false;
      }
      const emBits = keySizeOf(key.jwk) - 1;
      const emLen = Math.ceil(emBits / 8);
      if (m.subarray(0, m.length - emLen).some((b) => b !== 0)) return false;
      return emsaPssVerify(digest, m.subarray(m.length - emLen), emBits, spec.hash!);
    }
    case 'ecdsa':
      return ecdsaVerify(key.jwk as Extract<PrivateJwk, { kty: 'EC' }>, digest, signature);
  }
}

const publicKeys = new WeakMap<KeyObject, KeyObject>();
function publicOf(priv: KeyObject): KeyObject {
  let pub = publicKeys.get(priv);
  if (!pub) {
    pub = createPublicKey(priv);
    publicKeys.set(priv, pub);
  }
  return pub;
}

function leftPad(b: Buffer, length: number): Buffer {
  return b.length >= length ? b : Buffer.concat([Buffer.alloc(length - b.length), b]);
}

function mgf1(seed: Buffer, length: number, hash: HashName): Buffer {
  const out: Buffer[] = [];
  let produced = 0;
  for (let counter = 0; produced < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHash(hash).update(seed).update(c).digest();
    out.push(block);
    produced += block.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

/** EMSA-PSS-ENCODE with MGF1 over the same hash and a salt as long as the hash (what JWA's PS* algorithms use). */
function emsaPssEncode(mHash: Buffer, emBits: number, hash: HashName): Buffer {
  const hLen = HASH_BYTES[hash];
  const sLen = hLen;
  const emLen = Math.ceil(emBits / 8);
  if (emLen < hLen + sLen + 2) throw badParameter('The key is too small for this PSS algorithm.');
  const salt = randomBytes(sLen);
  const h = createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - sLen - hLen - 2), Buffer.from([1]), salt]);
  const mask = mgf1(h, emLen - hLen - 1, hash);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

function emsaPssVerify(mHash: Buffer, em: Buffer, emBits: number, hash: HashName): boolean {
  const hLen = HASH_BYTES[hash];
  const sLen = hLen;
  const emLen = Math.ceil(emBits / 8);
  if (em.length !== emLen || emLen < hLen + sLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topMask = 0xff >> (8 * emLen - emBits);
  if ((maskedDb[0]! & ~topMask) !== 0) return false;
  const mask = mgf1(h, maskedDb.length, hash);
  const db = Buffer.from(maskedDb);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= topMask;
  const psLen = emLen - hLen - sLen - 2;
  if (db.subarray(0, psLen).some((b) => b !== 0) || db[psLen] !== 1) return false;
  const salt = db.subarray(db.length - sLen);
  return createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest().equals(h);
}

const toBigInt = (b: Buffer): bigint => (b.length ? BigInt(`0x${b.toString('hex')}`) : 0n);
const toBuffer = (v: bigint, length: number): Buffer => Buffer.from(v.toString(16).padStart(length * 2, '0'), 'hex');

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

/** The digest as an integer, truncated to the order's bit length (FIPS 186-4 §6.4). */
function digestToInt(digest: Buffer, orderBits: number): bigint {
  const z = toBigInt(digest);
  const excess = digest.length * 8 - orderBits;
  return excess > 0 ? z >> BigInt(excess) : z;
}

/** x coordinate of k·G, computed by OpenSSL through ECDH. */
function baseMultX(curve: keyof typeof CURVE_INFO, k: bigint): bigint {
  const info = CURVE_INFO[curve];
  const ecdh = createECDH(info.openssl);
  ecdh.setPrivateKey(toBuffer(k, info.bytes));
  return toBigInt(ecdh.getPublicKey().subarray(1, 1 + info.bytes));
}

function ecdsaSign(jwk: Extract<PrivateJwk, { kty: 'EC' }>, digest: Buffer): Buffer {
  const info = CURVE_INFO[jwk.crv];
  const n = info.order;
  const d = toBigInt(Buffer.from(jwk.d, 'base64url'));
  const z = digestToInt(digest, info.bits);
  for (;;) {
    const k = (toBigInt(randomBytes(info.bytes + 8)) % (n - 1n)) + 1n;
    const r = baseMultX(jwk.crv, k) % n;
    if (r === 0n) continue;
    const s = (modPow(k, n - 2n, n) * ((z + r * d) % n)) % n;
    if (s === 0n) continue;
    // IEEE P1363: r || s, each the curve's byte length — the form Key Vault returns.
    return Buffer.concat([toBuffer(r, info.bytes), toBuffer(s, info.bytes)]);
  }
}

function ecdsaVerify(jwk: Extract<PrivateJwk, { kty: 'EC' }>, digest: Buffer, signature: Buffer): boolean {
  const info = CURVE_INFO[jwk.crv];
  const n = info.order;
  if (signature.length !== 2 * info.bytes) return false;
  const r = toBigInt(signature.subarray(0, info.bytes));
  const s = toBigInt(signature.subarray(info.bytes));
  if (r <= 0n || r >= n || s <= 0n || s >= n) return false;
  const w = modPow(s, n - 2n, n);
  const u1 = (digestToInt(digest, info.bits) * w) % n;
  const u2 = (r * w) % n;
  // u1·G + u2·Q = (u1 + u2·d)·G since the service holds d: one scalar multiplication instead of a point addition.
  const t = (u1 + u2 * toBigInt(Buffer.from(jwk.d, 'base64url'))) % n;
  if (t === 0n) return false;
  return baseMultX(jwk.crv, t) % n === r;
}

export interface EncryptResult {
  value: Buffer;
  iv?: Buffer;
  tag?: Buffer;
  aad?: Buffer;
}

export interface SymmetricParams {
  iv?: Buffer;
  aad?: Buffer;
  tag?: Buffer;
}

const RSA_ENCRYPTION: Record<string, { padding: number; oaepHash?: HashName; overhead: number }> = {
  RSA1_5: { padding: constants.RSA_PKCS1_PADDING, overhead: 11 },
  'RSA-OAEP': { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1', overhead: 2 * 20 + 2 },
  'RSA-OAEP-256': { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', overhead: 2 * 32 + 2 },
};

function aesSpec(alg: string): { bits: number; mode: 'gcm' | 'cbc' | 'cbcpad' | 'kw' | 'kwpad' } | undefined {
  const m = /^A(128|192|256)(GCM|CBC|CBCPAD|KW|KWPAD)$/.exec(alg);
  if (!m) return undefined;
  return { bits: Number(m[1]), mode: m[2]!.toLowerCase() as 'gcm' | 'cbc' | 'cbcpad' | 'kw' | 'kwpad' };
}

function checkAesKey(key: StoredKey, alg: string, bits: number): Buffer {
  if (familyOf(key.kty) !== 'oct' || key.jwk.kty !== 'oct') wrongKeyType(alg, key.kty);
  const k = Buffer.from(key.jwk.k, 'base64url');
  if (k.length * 8 !== bits) throw badParameter(`Algorithm ${alg} requires a ${bits}-bit key; this key is ${k.length * 8} bits.`);
  return k;
}

function rsaEncrypt(key: StoredKey, alg: string, plaintext: Buffer, property: string): Buffer {
  const spec = RSA_ENCRYPTION[alg]!;
  if (familyOf(key.kty) !== 'RSA') wrongKeyType(alg, key.kty);
  const max = rsaBytes(key.jwk) - spec.overhead;
  if (plaintext.length > max) throw badParameter(`Invalid length of '${property}': ${plaintext.length} bytes. ${alg} with a ${keySizeOf(key.jwk)}-bit key accepts at most ${max} bytes.`);
  const pub = publicOf(keyObjectOf(key.jwk));
  return publicEncrypt({ key: pub, padding: spec.padding, ...(spec.oaepHash ? { oaepHash: spec.oaepHash } : {}) }, plaintext);
}

function rsaDecrypt(key: StoredKey, alg: string, ciphertext: Buffer): Buffer {
  const spec = RSA_ENCRYPTION[alg]!;
  if (familyOf(key.kty) !== 'RSA') wrongKeyType(alg, key.kty);
  const k = rsaBytes(key.jwk);
  if (ciphertext.length !== k) throw badParameter(`Invalid length of 'value': ${ciphertext.length} bytes. A ciphertext for a ${keySizeOf(key.jwk)}-bit key is ${k} bytes.`);
  const priv = keyObjectOf(key.jwk);
  try {
    if (alg === 'RSA1_5') {
      // Node refuses PKCS#1 v1.5 private decryption (Marvin attack); the raw primitive plus EME-PKCS1-v1_5 decoding is fine here.
      const em = privateDecrypt({ key: priv, padding: constants.RSA_NO_PADDING }, ciphertext);
      const sep = em.indexOf(0, 2);
      if (em[0] !== 0 || em[1] !== 2 || sep < 10) throw new Error('padding');
      return em.subarray(sep + 1);
    }
    return privateDecrypt({ key: priv, padding: spec.padding, oaepHash: spec.oaepHash! }, ciphertext);
  } catch {
    throw badParameter(`Decryption with ${alg} failed: the ciphertext was not produced with this key and algorithm.`);
  }
}

export function encrypt(key: StoredKey, alg: string, plaintext: Buffer, params: SymmetricParams): EncryptResult {
  if (!(ENCRYPTION_ALGORITHMS as readonly string[]).includes(alg)) throw badParameter(`Invalid algorithm: '${alg}'. Valid encryption algorithms are ${ENCRYPTION_ALGORITHMS.join(', ')}.`);
  if (RSA_ENCRYPTION[alg]) return { value: rsaEncrypt(key, alg, plaintext, 'value') };
  const spec = aesSpec(alg);
  if (!spec || spec.mode === 'kw' || spec.mode === 'kwpad') {
    if (familyOf(key.kty) !== 'oct') wrongKeyType(alg, key.kty);
    throw badParameter(`Algorithm ${alg} is a key-wrap algorithm: use the wrapkey operation.`);
  }
  const k = checkAesKey(key, alg, spec.bits);
  if (spec.mode === 'gcm') {
    if (params.iv) throw badParameter(`Property 'iv' must not be set for ${alg}: the service generates the initialization vector.`);
    const iv = randomBytes(12);
    const cipher = createCipheriv(`aes-${spec.bits}-gcm` as CipherGCMTypes, k, iv);
    if (params.aad) cipher.setAAD(params.aad);
    const value = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { value, iv, tag: cipher.getAuthTag(), ...(params.aad ? { aad: params.aad } : {}) };
  }
  if (spec.mode === 'cbc' && plaintext.length % 16 !== 0) {
    throw badParameter(`Invalid length of 'value': ${plaintext.length} bytes. ${alg} encrypts whole 16-byte blocks; use ${alg}PAD for other lengths.`);
  }
  const iv = params.iv ?? randomBytes(16);
  if (iv.length !== 16) throw badParameter(`Invalid length of 'iv': ${iv.length} bytes. ${alg} needs a 16-byte initialization vector.`);
  const cipher = createCipheriv(`aes-${spec.bits}-cbc`, k, iv);
  cipher.setAutoPadding(spec.mode === 'cbcpad');
  return { value: Buffer.concat([cipher.update(plaintext), cipher.final()]), iv };
}

export function decrypt(key: StoredKey, alg: string, ciphertext: Buffer, params: SymmetricParams): Buffer {
  if (!(ENCRYPTION_ALGORITHMS as readonly string[]).includes(alg)) throw badParameter(`Invalid algorithm: '${alg}'. Valid encryption algorithms are ${ENCRYPTION_ALGORITHMS.join(', ')}.`);
  if (RSA_ENCRYPTION[alg]) return rsaDecrypt(key, alg, ciphertext);
  const spec = aesSpec(alg);
  if (!spec || spec.mode === 'kw' || spec.mode === 'kwpad') {
    if (familyOf(key.kty) !== 'oct') wrongKeyType(alg, key.kty);
    throw badParameter(`Algorithm ${alg} is a key-wrap algorithm: use the unwrapkey operation.`);
  }
  const k = checkAesKey(key, alg, spec.bits);
  if (!params.iv) throw badParameter(`Property 'iv' is required to decrypt with ${alg}.`);
  if (spec.mode === 'gcm') {
    if (!params.tag) throw badParameter(`Property 'tag' is required to decrypt with ${alg}.`);
    if (params.iv.length < 12 || params.tag.length < 12 || params.tag.length > 16) throw badParameter(`Invalid 'iv' or 'tag' length for ${alg}.`);
    try {
      const decipher = createDecipheriv(`aes-${spec.bits}-gcm` as CipherGCMTypes, k, params.iv);
      if (params.aad) decipher.setAAD(params.aad);
      decipher.setAuthTag(params.tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      throw badParameter(`Decryption with ${alg} failed: the authentication tag does not match the ciphertext, iv and aad.`);
    }
  }
  if (params.iv.length !== 16) throw badParameter(`Invalid length of 'iv': ${params.iv.length} bytes. ${alg} needs a 16-byte initialization vector.`);
  if (ciphertext.length % 16 !== 0) throw badParameter(`Invalid length of 'value': ${ciphertext.length} bytes. ${alg} ciphertexts are whole 16-byte blocks.`);
  try {
    const decipher = createDecipheriv(`aes-${spec.bits}-cbc`, k, params.iv);
    decipher.setAutoPadding(spec.mode === 'cbcpad');
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw badParameter(`Decryption with ${alg} failed: the padding is not valid for this key and iv.`);
  }
}

const KW_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');
const KWP_IV = Buffer.from('A65959A6', 'hex');

/** AES key wrap: RFC 3394 (A*KW, CKM_AES_KEY_WRAP) or with padding, RFC 5649 (A*KWPAD, CKM_AES_KEY_WRAP_PAD). */
function aesWrapSpec(key: StoredKey, alg: string): { k: Buffer; padded: boolean } {
  if (alg === 'CKM_AES_KEY_WRAP' || alg === 'CKM_AES_KEY_WRAP_PAD') {
    if (familyOf(key.kty) !== 'oct' || key.jwk.kty !== 'oct') wrongKeyType(alg, key.kty);
    return { k: Buffer.from(key.jwk.k, 'base64url'), padded: alg === 'CKM_AES_KEY_WRAP_PAD' };
  }
  const spec = aesSpec(alg);
  if (!spec || (spec.mode !== 'kw' && spec.mode !== 'kwpad')) {
    if (familyOf(key.kty) !== 'oct') wrongKeyType(alg, key.kty);
    throw badParameter(`Algorithm ${alg} cannot wrap keys; use A128KW, A192KW, A256KW or their PAD variants with a symmetric key.`);
  }
  return { k: checkAesKey(key, alg, spec.bits), padded: spec.mode === 'kwpad' };
}

export function wrapKey(key: StoredKey, alg: string, cek: Buffer): Buffer {
  if (!(WRAP_ALGORITHMS as readonly string[]).includes(alg)) throw badParameter(`Invalid algorithm: '${alg}'. Valid key-wrap algorithms are ${WRAP_ALGORITHMS.join(', ')}.`);
  if (RSA_ENCRYPTION[alg]) return rsaEncrypt(key, alg, cek, 'value');
  const { k, padded } = aesWrapSpec(key, alg);
  if (!padded && (cek.length < 16 || cek.length % 8 !== 0)) throw badParameter(`Invalid length of 'value': ${cek.length} bytes. ${alg} wraps keys of at least 16 bytes in multiples of 8; use a PAD variant otherwise.`);
  if (cek.length === 0) throw badParameter("Property 'value' must not be empty.");
  const cipher = createCipheriv(`id-aes${k.length * 8}-wrap${padded ? '-pad' : ''}`, k, padded ? KWP_IV : KW_IV);
  return Buffer.concat([cipher.update(cek), cipher.final()]);
}

export function unwrapKey(key: StoredKey, alg: string, wrapped: Buffer): Buffer {
  if (!(WRAP_ALGORITHMS as readonly string[]).includes(alg)) throw badParameter(`Invalid algorithm: '${alg}'. Valid key-wrap algorithms are ${WRAP_ALGORITHMS.join(', ')}.`);
  if (RSA_ENCRYPTION[alg]) return rsaDecrypt(key, alg, wrapped);
  const { k, padded } = aesWrapSpec(key, alg);
  if (wrapped.length < 16 || wrapped.length % 8 !== 0) throw badParameter(`Invalid length of 'value': ${wrapped.length} bytes is not a wrapped key.`);
  try {
    const decipher = createDecipheriv(`id-aes${k.length * 8}-wrap${padded ? '-pad' : ''}`, k, padded ? KWP_IV : KW_IV);
    return Buffer.concat([decipher.update(wrapped), decipher.final()]);
  } catch {
    throw badParameter(`Unwrapping with ${alg} failed: the integrity check of the wrapped key did not pass.`);
  }
}
