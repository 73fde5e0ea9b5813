import { createECDH, createPrivateKey, createPublicKey, createSecretKey, generateKeyPair, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { badParameter } from '../../core/errors';
import { AES_SIZES, RSA_SIZES, b64u, familyOf, parseCurve, unsupportedKeyType, type Curve, type KeyType, type PrivateJwk } from './model';

const generateKeyPairAsync = promisify(generateKeyPair);

/** OpenSSL names of Key Vault's curves, their byte length, and the group order n (public constants of each curve). */
export const CURVE_INFO: Record<Curve, { openssl: string; nodeJwk: string; bytes: number; bits: number; order: bigint }> = {
  'P-256': { openssl: 'prime256v1', nodeJwk: 'P-256', bytes: 32, bits: 256, order: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n },
  'P-384': {
    openssl: 'secp384r1',
    nodeJwk: 'P-384',
    bytes: 48,
    bits: 384,
    order: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  },
  'P-521': {
    openssl: 'secp521r1',
    nodeJwk: 'P-521',
    bytes: 66,
    bits: 521,
    order: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
  },
  'P-256K': { openssl: 'secp256k1', nodeJwk: 'secp256k1', bytes: 32, bits: 256, order: 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n },
};

const curveFromNode = (nodeCrv: string): Curve | undefined => (Object.keys(CURVE_INFO) as Curve[]).find((c) => CURVE_INFO[c].nodeJwk === nodeCrv);

export interface GenerateOptions {
  keySize?: number;
  crv?: Curve;
  publicExponent?: number;
}

/** Creates fresh key material with Node's crypto (async: RSA 4096 takes a while and must not block the server). */
export async function generateKeyMaterial(kty: KeyType, options: GenerateOptions = {}): Promise<PrivateJwk> {
  switch (familyOf(kty)) {
    case 'RSA': {
      const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: options.keySize ?? 2048, publicExponent: options.publicExponent ?? 65537 });
      return jwkFromKeyObject(privateKey);
    }
    case 'EC': {
      const { privateKey } = await generateKeyPairAsync('ec', { namedCurve: CURVE_INFO[options.crv ?? 'P-256'].openssl });
      return jwkFromKeyObject(privateKey);
    }
    case 'oct':
      return { kty: 'oct', k: b64u(randomBytes((options.keySize ?? 256) / 8)) };
  }
}

/** Stored JWK from a Node KeyObject (RSA and EC private keys, or an AES secret key). */
export function jwkFromKeyObject(key: KeyObject): PrivateJwk {
  if (key.type === 'secret') return { kty: 'oct', k: b64u(key.export()) };
  if (key.type !== 'private') throw new Error('addKeyVersion needs a private key');
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty === 'RSA') {
    const { n, e, d, p, q, dp, dq, qi } = jwk as Record<string, string>;
    return { kty: 'RSA', n: n!, e: e!, d: d!, p: p!, q: q!, dp: dp!, dq: dq!, qi: qi! };
  }
  if (jwk.kty === 'EC') {
    const crv = curveFromNode(jwk.crv ?? '');
    if (!crv) throw new Error(`unsupported curve ${String(jwk.crv)}`);
    return { kty: 'EC', crv, x: jwk.x!, y: jwk.y!, d: jwk.d! };
  }
  throw new Error(`unsupported key type ${String(jwk.kty)}`);
}

// KeyObjects are rebuilt from the stored JWK on demand; the payload objects live as long as the state does.
const keyObjects = new WeakMap<PrivateJwk, KeyObject>();

export function keyObjectOf(jwk: PrivateJwk): KeyObject {
  let key = keyObjects.get(jwk);
  if (!key) {
    key = buildKeyObject(jwk);
    keyObjects.set(jwk, key);
  }
  return key;
}

function buildKeyObject(jwk: PrivateJwk): KeyObject {
  switch (jwk.kty) {
    case 'RSA':
      return createPrivateKey({ key: { ...jwk }, format: 'jwk' });
    case 'EC':
      return createPrivateKey({ key: { kty: 'EC', crv: CURVE_INFO[jwk.crv].nodeJwk, x: jwk.x, y: jwk.y, d: jwk.d }, format: 'jwk' });
    case 'oct':
      return createSecretKey(Buffer.from(jwk.k, 'base64url'));
  }
}

/** The public members Key Vault returns in a KeyBundle: never d, p, q, dp, dq, qi or k. */
export function publicMembers(jwk: PrivateJwk): Record<string, string> {
  switch (jwk.kty) {
    case 'RSA':
      return { n: jwk.n, e: jwk.e };
    case 'EC':
      return { crv: jwk.crv, x: jwk.x, y: jwk.y };
    case 'oct':
      return {};
  }
}

/** Key size in bits: the RSA modulus, the AES key, or the curve. */
export function keySizeOf(jwk: PrivateJwk): number {
  switch (jwk.kty) {
    case 'RSA':
      return modulusBits(Buffer.from(jwk.n, 'base64url'));
    case 'EC':
      return CURVE_INFO[jwk.crv].bits;
    case 'oct':
      return Buffer.from(jwk.k, 'base64url').length * 8;
  }
}

function modulusBits(n: Buffer): number {
  let i = 0;
  while (i < n.length && n[i] === 0) i++;
  if (i === n.length) return 0;
  return (n.length - i - 1) * 8 + (32 - Math.clz32(n[i]!));
}

const B64URL = /^[A-Za-z0-9_-]+={0,2}$/;

function member(key: Record<string, unknown>, name: string, what: string): string {
  const v = key[name];
  if (v === undefined || v === null || v === '') throw badParameter(`The JSON Web Key is not valid: ${what} is missing the '${name}' parameter.`);
  if (typeof v !== 'string' || !B64URL.test(v)) throw badParameter(`The JSON Web Key is not valid: parameter '${name}' must be a base64url-encoded string.`);
  return v.replace(/=+$/, '');
}

const toBigInt = (b64: string): bigint => {
  const hex = Buffer.from(b64, 'base64url').toString('hex');
  return hex ? BigInt(`0x${hex}`) : 0n;
};

/**
 * Validates a JWK sent to ImportKey the way Key Vault does: a known kty, every private member present, and a private
 * part that matches the public one (checked by building Node key objects and using them).
 */
export function importJwk(input: unknown): { kty: KeyType; jwk: PrivateJwk; keyOps: unknown } {
  if (input === undefined || input === null || typeof input !== 'object' || Array.isArray(input)) throw badParameter("Property 'key' is required: the JSON Web Key to import.");
  const key = input as Record<string, unknown>;
  if (key.key_hsm !== undefined && key.key_hsm !== null) {
    throw badParameter('The JSON Web Key carries key_hsm (a BYOK transfer blob from a vendor HSM); Bring Your Own Key is not supported by the emulator.');
  }
  const ktyRaw = key.kty;
  if (typeof ktyRaw !== 'string' || !ktyRaw) throw badParameter("The JSON Web Key is not valid: the 'kty' parameter is required.");
  const kty = (['EC', 'EC-HSM', 'RSA', 'RSA-HSM', 'oct', 'oct-HSM'] as const).find((t) => t === ktyRaw);
  if (!kty) throw unsupportedKeyType(ktyRaw);
  const family = familyOf(kty);
  if (family === 'RSA') {
    if (key.d === undefined && key.p === undefined) throw badParameter('The JSON Web Key is not valid: an RSA key to import must include its private key (d, p, q, dp, dq, qi).');
    const jwk: PrivateJwk = {
      kty: 'RSA',
      n: member(key, 'n', 'the RSA key'),
      e: member(key, 'e', 'the RSA key'),
      d: member(key, 'd', 'the RSA private key'),
      p: member(key, 'p', 'the RSA private key'),
      q: member(key, 'q', 'the RSA private key'),
      dp: member(key, 'dp', 'the RSA private key'),
      dq: member(key, 'dq', 'the RSA private key'),
      qi: member(key, 'qi', 'the RSA private key'),
    };
    const bits = modulusBits(Buffer.from(jwk.n, 'base64url'));
    if (!(RSA_SIZES as readonly number[]).includes(bits)) throw badParameter(`The JSON Web Key is not valid: RSA key size ${bits} is not supported; use 2048, 3072 or 4096 bits.`);
    checkRsaMembers(jwk);
    checkPair(jwk, () => createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' }), 'the RSA private key does not match its public key (n, e)');
    return { kty, jwk, keyOps: key.key_ops };
  }
  if (family === 'EC') {
    if (key.crv === undefined || key.crv === null) throw badParameter("The JSON Web Key is not valid: the 'crv' parameter is required for an EC key.");
    const crv = parseCurve(key.crv);
    if (key.d === undefined) throw badParameter("The JSON Web Key is not valid: an EC key to import must include its private key 'd'.");
    const jwk: PrivateJwk = { kty: 'EC', crv, x: member(key, 'x', 'the EC key'), y: member(key, 'y', 'the EC key'), d: member(key, 'd', 'the EC private key') };
    const size = CURVE_INFO[crv].bytes;
    for (const m of ['x', 'y', 'd'] as const) {
      if (Buffer.from(jwk[m], 'base64url').length !== size) throw badParameter(`The JSON Web Key is not valid: parameter '${m}' must be ${size} bytes for curve ${crv}.`);
    }
    // The public point must be the one the private scalar gives; ECDH does the scalar multiplication.
    let derived: Buffer;
    try {
      const ecdh = createECDH(CURVE_INFO[crv].openssl);
      ecdh.setPrivateKey(Buffer.from(jwk.d, 'base64url'));
      derived = ecdh.getPublicKey();
    } catch {
      throw badParameter(`The JSON Web Key is not valid: 'd' is not a valid private key for curve ${crv}.`);
    }
    if (!derived.subarray(1).equals(Buffer.concat([Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]))) {
      throw badParameter('The JSON Web Key is not valid: the EC private key d does not match the public point (x, y).');
    }
    checkPair(jwk, () => createPublicKey({ key: { kty: 'EC', crv: CURVE_INFO[crv].nodeJwk, x: jwk.x, y: jwk.y }, format: 'jwk' }), 'the EC private key does not match its public point');
    return { kty, jwk, keyOps: key.key_ops };
  }
  const k = member(key, 'k', 'the symmetric key');
  const bits = Buffer.from(k, 'base64url').length * 8;
  if (!(AES_SIZES as readonly number[]).includes(bits)) throw badParameter(`The JSON Web Key is not valid: a symmetric key must be 128, 192 or 256 bits long, not ${bits}.`);
  return { kty, jwk: { kty: 'oct', k }, keyOps: key.key_ops };
}

/** OpenSSL signs with the CRT members only, so d and the CRT members are checked against each other here. */
function checkRsaMembers(jwk: Extract<PrivateJwk, { kty: 'RSA' }>): void {
  const [n, e, d, p, q, dp, dq, qi] = [jwk.n, jwk.e, jwk.d, jwk.p, jwk.q, jwk.dp, jwk.dq, jwk.qi].map(toBigInt) as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
  const invalid = (what: string): never => {
    throw badParameter(`The JSON Web Key is not valid: ${what}.`);
  };
  if (p < 2n || q < 2n || p * q !== n) invalid('the RSA primes p and q do not match the modulus n');
  if (d % (p - 1n) !== dp || d % (q - 1n) !== dq) invalid('the RSA private exponent d does not match dp and dq');
  if ((e * dp) % (p - 1n) !== 1n || (e * dq) % (q - 1n) !== 1n) invalid('the RSA private exponent does not match the public exponent e');
  if ((qi * q) % p !== 1n) invalid('the RSA coefficient qi is not the inverse of q modulo p');
}

/** Signs with the private key and verifies with the public one: any mismatch or malformed member fails here. */
function checkPair(jwk: PrivateJwk, publicKey: () => KeyObject, mismatch: string): void {
  let priv: KeyObject;
  let pub: KeyObject;
  try {
    priv = keyObjectOf(jwk);
    pub = publicKey();
  } catch (err) {
    throw badParameter(`The JSON Web Key is not valid: ${err instanceof Error ? err.message : 'it cannot be read'}.`);
  }
  const probe = randomBytes(32);
  let ok = false;
  try {
    ok = verify('sha256', probe, pub, sign('sha256', probe, priv));
  } catch {
    ok = false;
  }
  if (!ok) throw badParameter(`The JSON Web Key is not valid: ${mismatch}.`);
}
