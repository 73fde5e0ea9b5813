import { createECDH } from 'node:crypto';
import type { KeyCurveName } from '../models/keys';

// Key Vault signs digests, and Node's verify() only takes the message (it hashes it itself), so ECDSA verification of
// a digest is done here (FIPS 186-4 §6.4): u1·G comes from OpenSSL through ECDH, u2·Q and the sum from the Jacobian
// formulas below. Only public values are involved, so constant time does not matter.

export interface CurveParams {
  /** OpenSSL name, for createECDH. */
  openssl: string;
  /** Field prime. */
  p: bigint;
  /** Coefficient a of y² = x³ + ax + b. */
  a: bigint;
  /** Order of the base point. */
  n: bigint;
  /** Byte length of a coordinate (and of r and s in IEEE P1363 form). */
  bytes: number;
  bits: number;
}

// Published constants (SEC 2, FIPS 186-4 D.1.2); the unit tests check them against OpenSSL.
const P256_P = 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n;
const P384_P = 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n;
const P521_P = 2n ** 521n - 1n;
const K256_P = 2n ** 256n - 2n ** 32n - 977n;

export const CURVES: Record<KeyCurveName, CurveParams> = {
  'P-256': { openssl: 'prime256v1', p: P256_P, a: P256_P - 3n, n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n, bytes: 32, bits: 256 },
  'P-384': {
    openssl: 'secp384r1',
    p: P384_P,
    a: P384_P - 3n,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    bytes: 48,
    bits: 384,
  },
  'P-521': {
    openssl: 'secp521r1',
    p: P521_P,
    a: P521_P - 3n,
    n: BigInt(`0x1ff${'ffffffff'.repeat(7)}fffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409`),
    bytes: 66,
    bits: 521,
  },
  'P-256K': { openssl: 'secp256k1', p: K256_P, a: 0n, n: 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n, bytes: 32, bits: 256 },
};

/** A point in Jacobian coordinates (x = X/Z², y = Y/Z³); Z = 0 is the point at infinity. */
interface Jacobian {
  X: bigint;
  Y: bigint;
  Z: bigint;
}

const INFINITY: Jacobian = { X: 1n, Y: 1n, Z: 0n };

const mod = (v: bigint, m: bigint): bigint => {
  const r = v % m;
  return r < 0n ? r + m : r;
};

function modInverse(v: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(v, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new Error('not invertible');
  return mod(oldS, m);
}

export const bytesToBigInt = (b: Uint8Array): bigint => (b.length ? BigInt(`0x${Buffer.from(b).toString('hex')}`) : 0n);
export const bigIntToBytes = (v: bigint, length: number): Buffer => Buffer.from(v.toString(16).padStart(length * 2, '0'), 'hex');

function double(P: Jacobian, c: CurveParams): Jacobian {
  if (P.Z === 0n || P.Y === 0n) return INFINITY;
  const { p } = c;
  const y2 = mod(P.Y * P.Y, p);
  const s = mod(4n * P.X * y2, p);
  const z2 = mod(P.Z * P.Z, p);
  const m = mod(3n * P.X * P.X + c.a * z2 * z2, p);
  const X = mod(m * m - 2n * s, p);
  const Y = mod(m * (s - X) - 8n * y2 * y2, p);
  const Z = mod(2n * P.Y * P.Z, p);
  return { X, Y, Z };
}

function add(P: Jacobian, Q: Jacobian, c: CurveParams): Jacobian {
  if (P.Z === 0n) return Q;
  if (Q.Z === 0n) return P;
  const { p } = c;
  const pz2 = mod(P.Z * P.Z, p);
  const qz2 = mod(Q.Z * Q.Z, p);
  const u1 = mod(P.X * qz2, p);
  const u2 = mod(Q.X * pz2, p);
  const s1 = mod(P.Y * qz2 * Q.Z, p);
  const s2 = mod(Q.Y * pz2 * P.Z, p);
  if (u1 === u2) return s1 === s2 ? double(P, c) : INFINITY;
  const h = mod(u2 - u1, p);
  const r = mod(s2 - s1, p);
  const h2 = mod(h * h, p);
  const h3 = mod(h2 * h, p);
  const X = mod(r * r - h3 - 2n * u1 * h2, p);
  const Y = mod(r * (u1 * h2 - X) - s1 * h3, p);
  const Z = mod(h * P.Z * Q.Z, p);
  return { X, Y, Z };
}

function multiply(k: bigint, P: Jacobian, c: CurveParams): Jacobian {
  let result = INFINITY;
  for (let i = BigInt(k.toString(2).length - 1); i >= 0n; i--) {
    result = double(result, c);
    if ((k >> i) & 1n) result = add(result, P, c);
  }
  return result;
}

/** k·G by OpenSSL (ECDH's public key for private key k), for 1 ≤ k < n. */
function baseMultiply(k: bigint, c: CurveParams): Jacobian {
  if (k === 0n) return INFINITY;
  const ecdh = createECDH(c.openssl);
  ecdh.setPrivateKey(bigIntToBytes(k, c.bytes));
  const point = ecdh.getPublicKey();
  return { X: bytesToBigInt(point.subarray(1, 1 + c.bytes)), Y: bytesToBigInt(point.subarray(1 + c.bytes)), Z: 1n };
}

/** Affine coordinates, or undefined for the point at infinity. */
export function toAffine(P: Jacobian, c: CurveParams): { x: bigint; y: bigint } | undefined {
  if (P.Z === 0n) return undefined;
  const zInv = modInverse(P.Z, c.p);
  const zInv2 = mod(zInv * zInv, c.p);
  return { x: mod(P.X * zInv2, c.p), y: mod(P.Y * zInv2 * zInv, c.p) };
}

/** k·(x, y) for a point given in affine coordinates (exported for the self-check in the unit tests). */
export function multiplyPoint(k: bigint, x: bigint, y: bigint, c: CurveParams): { x: bigint; y: bigint } | undefined {
  return toAffine(multiply(k, { X: x, Y: y, Z: 1n }, c), c);
}

/** The digest as an integer, keeping its leftmost `bits` bits (FIPS 186-4 §6.4). */
function digestInteger(digest: Uint8Array, bits: number): bigint {
  const z = bytesToBigInt(digest);
  const excess = digest.length * 8 - bits;
  return excess > 0 ? z >> BigInt(excess) : z;
}

/**
 * ECDSA verification of a digest against a public point already validated as on the curve (createPublicKey does),
 * with the signature in IEEE P1363 form (r || s), as Key Vault returns it.
 */
export function ecdsaVerifyDigest(c: CurveParams, qx: bigint, qy: bigint, digest: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 2 * c.bytes) return false;
  const r = bytesToBigInt(signature.subarray(0, c.bytes));
  const s = bytesToBigInt(signature.subarray(c.bytes));
  if (r <= 0n || r >= c.n || s <= 0n || s >= c.n) return false;
  const w = modInverse(s, c.n);
  const u1 = mod(digestInteger(digest, c.bits) * w, c.n);
  const u2 = mod(r * w, c.n);
  const point = toAffine(add(baseMultiply(u1, c), multiply(u2, { X: qx, Y: qy, Z: 1n }, c), c), c);
  return point !== undefined && mod(point.x, c.n) === r;
}
