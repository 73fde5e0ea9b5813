import { createECDH, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import {
  AES_KEY_SIZES,
  KEY_CURVES,
  KEY_OPERATIONS,
  KEY_TYPES,
  RSA_KEY_SIZES,
  keyFamilyOf,
  type JsonWebPrivateKey,
  type JsonWebPublicKey,
  type KeyCurveName,
  type KeyOperation,
  type KeyType,
} from '../models/keys';
import { bytesToBigInt, CURVES } from './ecdsa';
import { invalidInput } from './invalid';

/** Key Vault's curve names → the JWK names Node's crypto reads and writes (RFC 8812 calls secp256k1 by its name). */
export const NODE_JWK_CURVE: Record<KeyCurveName, string> = { 'P-256': 'P-256', 'P-384': 'P-384', 'P-521': 'P-521', 'P-256K': 'secp256k1' };

/** Key Vault's name for a curve given by its JWK or OpenSSL name; undefined for curves Key Vault does not hold. */
export function curveFromNode(name: string | undefined): KeyCurveName | undefined {
  switch (name) {
    case 'P-256':
    case 'prime256v1':
      return 'P-256';
    case 'P-384':
    case 'secp384r1':
      return 'P-384';
    case 'P-521':
    case 'secp521r1':
      return 'P-521';
    case 'P-256K':
    case 'secp256k1':
      return 'P-256K';
    default:
      return undefined;
  }
}

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** Reads a base64url member; the message names the member, never its value. */
function member(jwk: Record<string, unknown>, name: string, what: string): string {
  const v = jwk[name];
  if (v === undefined || v === null || v === '') throw invalidInput(`The JSON Web Key has no '${name}' (${what}).`);
  if (typeof v !== 'string' || !BASE64URL.test(v)) throw invalidInput(`The JSON Web Key member '${name}' is not base64url text.`);
  return v.replace(/=+$/, '');
}

const bigOf = (b64url: string): bigint => bytesToBigInt(Buffer.from(b64url, 'base64url'));

/** Bits of an RSA modulus given base64url, leading zero bytes ignored. */
export function modulusBits(n: string): number {
  const v = bigOf(n);
  return v === 0n ? 0 : v.toString(2).length;
}

/**
 * A bad member value as a message names it: a short name as written ('OKP'), anything else by its kind only. A long
 * text may be key material that landed in the wrong member, and messages reach notifications and the log.
 */
function shown(v: unknown): string {
  if (typeof v === 'string') return v.length <= 16 && /^[\w.-]*$/.test(v) ? `'${v}'` : `(a text of ${v.length} characters)`;
  if (v === null) return '(null)';
  return Array.isArray(v) ? '(a list)' : typeof v === 'object' ? '(an object)' : `(a ${typeof v})`;
}

function curveOf(jwk: { crv?: unknown }): KeyCurveName {
  if (typeof jwk.crv !== 'string' || !(KEY_CURVES as readonly string[]).includes(jwk.crv)) {
    throw invalidInput(`The EC key's curve ${jwk.crv === undefined ? 'is missing' : `${shown(jwk.crv)} is not one Key Vault holds`}: use ${KEY_CURVES.join(', ')}.`);
  }
  return jwk.crv as KeyCurveName;
}

function ktyOf(jwk: { kty?: unknown }): KeyType {
  if (typeof jwk.kty !== 'string' || !(KEY_TYPES as readonly string[]).includes(jwk.kty)) {
    throw invalidInput(`The JSON Web Key's kty ${jwk.kty === undefined ? 'is missing' : `${shown(jwk.kty)} is not valid`}: use one of ${KEY_TYPES.join(', ')}.`);
  }
  return jwk.kty as KeyType;
}

export function checkKeyOps(ops: unknown, property = 'key_ops'): KeyOperation[] | undefined {
  if (ops === undefined || ops === null) return undefined;
  if (!Array.isArray(ops)) throw invalidInput(`${property} must be a list of key operations.`);
  for (const op of ops) {
    if (typeof op !== 'string' || !(KEY_OPERATIONS as readonly string[]).includes(op)) {
      throw invalidInput(`${shown(op)} is not a key operation: use ${KEY_OPERATIONS.join(', ')}.`);
    }
  }
  return [...new Set(ops as KeyOperation[])];
}

/**
 * The public key of an RSA or EC JWK as a Node KeyObject; fails with a clear error for symmetric keys, missing
 * members, or an EC point that is not on its curve (OpenSSL checks it on import).
 */
export function publicKeyObject(jwk: JsonWebPublicKey): KeyObject {
  const kty = ktyOf(jwk);
  const family = keyFamilyOf(kty);
  if (family === 'oct') throw invalidInput('A symmetric (oct) key has no public key: its operations run only in the service.');
  const raw = jwk as unknown as Record<string, unknown>;
  if (family === 'RSA') {
    const n = member(raw, 'n', 'the RSA modulus');
    const e = member(raw, 'e', 'the RSA public exponent');
    try {
      return createPublicKey({ key: { kty: 'RSA', n, e }, format: 'jwk' });
    } catch {
      throw invalidInput('The RSA members n and e do not form a valid public key.');
    }
  }
  const crv = curveOf(jwk);
  const x = member(raw, 'x', 'the x coordinate of the EC point');
  const y = member(raw, 'y', 'the y coordinate of the EC point');
  try {
    return createPublicKey({ key: { kty: 'EC', crv: NODE_JWK_CURVE[crv], x, y }, format: 'jwk' });
  } catch {
    throw invalidInput(`The EC point (x, y) is not a valid public key on curve ${crv}${crv === 'P-256K' ? ' (or this Node.js build lacks secp256k1)' : ''}.`);
  }
}

/** A standard public JWK (RFC 7517) for download: kty RSA or EC, crv secp256k1 for P-256K, no private members. */
export interface StandardPublicJwk {
  kty: 'RSA' | 'EC';
  kid?: string;
  key_ops?: KeyOperation[];
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
}

/**
 * The public key as a standard JWK that other tools (jose libraries, openssl via PEM) understand: validated through
 * node:crypto, with Key Vault's -HSM suffix dropped and P-256K written as RFC 8812's secp256k1.
 */
export function publicKeyJwk(jwk: JsonWebPublicKey): StandardPublicJwk {
  const exported = publicKeyObject(jwk).export({ format: 'jwk' });
  const out: StandardPublicJwk = { kty: exported.kty === 'RSA' ? 'RSA' : 'EC' };
  if (jwk.kid) out.kid = jwk.kid;
  if (jwk.key_ops?.length) out.key_ops = [...jwk.key_ops];
  if (exported.kty === 'RSA') {
    out.n = exported.n;
    out.e = exported.e;
  } else {
    out.crv = exported.crv;
    out.x = exported.x;
    out.y = exported.y;
  }
  return out;
}

/** The public key as PEM (SubjectPublicKeyInfo, `-----BEGIN PUBLIC KEY-----`). */
export function publicKeyToPem(jwk: JsonWebPublicKey): string {
  return publicKeyObject(jwk).export({ type: 'spki', format: 'pem' }).toString();
}

/** Key Vault's JWK of a Node private key (RSA or EC on a curve Key Vault holds). */
export function privateJwkFromKeyObject(key: KeyObject): JsonWebPrivateKey {
  if (key.type !== 'private') throw invalidInput('This is not a private key: importing needs the private key.');
  const type = key.asymmetricKeyType;
  if (type === 'ec') {
    const crv = curveFromNode(key.asymmetricKeyDetails?.namedCurve);
    if (!crv) throw invalidInput(`The EC key is on curve ${key.asymmetricKeyDetails?.namedCurve ?? '(unknown)'}; Key Vault holds ${KEY_CURVES.join(', ')} only.`);
    const j = key.export({ format: 'jwk' });
    return { kty: 'EC', crv, x: j.x!, y: j.y!, d: j.d! };
  }
  if (type === 'rsa') {
    const j = key.export({ format: 'jwk' });
    return { kty: 'RSA', n: j.n!, e: j.e!, d: j.d!, p: j.p!, q: j.q!, dp: j.dp!, dq: j.dq!, qi: j.qi! };
  }
  throw invalidInput(`This is ${type === 'rsa-pss' ? 'an RSA-PSS-restricted' : `an ${type ?? 'unknown'}`} key; Key Vault imports RSA and EC keys only.`);
}

/**
 * Validates a JWK before ImportKey sends it: known kty and key_ops, all private members present and base64url, and a
 * private part that matches the public one (node:crypto builds the key; the RSA CRT values and the EC point are
 * checked against each other). Returns a clean copy holding only JWK members. Messages never include key material.
 */
export function checkImportJwk(input: unknown): JsonWebPrivateKey {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw invalidInput('The key to import must be a JSON Web Key object.');
  const raw = input as Record<string, unknown>;
  const kty = ktyOf(raw);
  if (raw.key_hsm !== undefined) throw invalidInput('BYOK transfer blobs (key_hsm) cannot be imported here; import a plain JSON Web Key.');
  const keyOps = checkKeyOps(raw.key_ops);
  const family = keyFamilyOf(kty);
  const withOps = <T extends JsonWebPrivateKey>(k: T): T => (keyOps ? { ...k, key_ops: keyOps } : k);
  if (family === 'oct') {
    const k = member(raw, 'k', 'the symmetric key');
    const bits = Buffer.from(k, 'base64url').length * 8;
    if (!(AES_KEY_SIZES as readonly number[]).includes(bits)) throw invalidInput(`A symmetric key must be ${AES_KEY_SIZES.join(', ')} bits long; this one has ${bits}.`);
    return withOps({ kty, k });
  }
  if (raw.d === undefined) throw invalidInput('The JSON Web Key has no private part (d): Key Vault imports private keys only.');
  if (family === 'RSA') {
    const [n, e, d, p, q, dp, dq, qi] = (['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const).map((m) => member(raw, m, m === 'n' || m === 'e' ? 'the RSA public key' : 'the RSA private key')) as [string, string, string, string, string, string, string, string];
    try {
      createPrivateKey({ key: { kty: 'RSA', n, e, d, p, q, dp, dq, qi }, format: 'jwk' });
    } catch {
      throw invalidInput('The RSA members do not form a private key that Node.js can read.');
    }
    const bits = modulusBits(n);
    if (!(RSA_KEY_SIZES as readonly number[]).includes(bits)) throw invalidInput(`Key Vault imports RSA keys of ${RSA_KEY_SIZES.join(', ')} bits; this one has ${bits}.`);
    checkRsaConsistency({ n, e, d, p, q, dp, dq, qi });
    return withOps({ kty, n, e, d, p, q, dp, dq, qi });
  }
  const crv = curveOf(raw);
  const x = member(raw, 'x', 'the public point');
  const y = member(raw, 'y', 'the public point');
  const d = member(raw, 'd', 'the private key');
  const size = CURVES[crv].bytes;
  for (const [name, value] of [['x', x], ['y', y], ['d', d]] as const) {
    if (Buffer.from(value, 'base64url').length !== size) throw invalidInput(`The EC member '${name}' must be ${size} bytes for curve ${crv}.`);
  }
  try {
    createPrivateKey({ key: { kty: 'EC', crv: NODE_JWK_CURVE[crv], x, y, d }, format: 'jwk' });
  } catch {
    throw invalidInput(`The EC members do not form a private key on curve ${crv} that Node.js can read.`);
  }
  // Node takes (x, y) as given; the point the private scalar gives must be that one.
  let derived: Buffer;
  try {
    const ecdh = createECDH(CURVES[crv].openssl);
    ecdh.setPrivateKey(Buffer.from(d, 'base64url'));
    derived = ecdh.getPublicKey();
  } catch {
    throw invalidInput(`The EC private key d is not valid for curve ${crv}.`);
  }
  if (!derived.equals(Buffer.concat([Buffer.from([4]), Buffer.from(x, 'base64url'), Buffer.from(y, 'base64url')]))) {
    throw invalidInput('The EC private key d does not belong to the public point (x, y).');
  }
  return withOps({ kty, crv, x, y, d });
}

/** p·q = n, e·d ≡ 1 modulo p−1 and q−1, and the CRT values derived from them: what makes the key usable everywhere. */
function checkRsaConsistency(k: Record<'n' | 'e' | 'd' | 'p' | 'q' | 'dp' | 'dq' | 'qi', string>): void {
  const [n, e, d, p, q, dp, dq, qi] = [k.n, k.e, k.d, k.p, k.q, k.dp, k.dq, k.qi].map(bigOf) as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
  if (p <= 1n || q <= 1n || p * q !== n) throw invalidInput('The RSA primes p and q do not match the modulus n.');
  if ((e * d) % (p - 1n) !== 1n || (e * d) % (q - 1n) !== 1n) throw invalidInput('The RSA private exponent d does not match the public exponent e.');
  if (dp !== d % (p - 1n) || dq !== d % (q - 1n) || (qi * q) % p !== 1n) throw invalidInput('The RSA CRT values dp, dq and qi do not match p, q and d.');
}

