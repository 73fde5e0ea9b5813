import { randomBytes } from 'node:crypto';
import {
  ENCRYPTION_ALGORITHMS,
  WRAP_ALGORITHMS,
  type CryptoKeyRef,
  type CryptoOptions,
  type DecryptOptions,
  type DecryptResult,
  type EncryptionAlgorithm,
  type EncryptOptions,
  type EncryptResult,
  type SignatureAlgorithm,
  type SignDataResult,
  type SignResult,
  type UnwrapResult,
  type WrapAlgorithm,
  type WrapResult,
} from './models/crypto';
import type { KeyVaultKey } from './models/keys';
import type { KeyVaultHttp } from './http/client';
import { parseObjectId } from './identifiers';
import { isKeyVaultError, KeyVaultError } from './errors';
import { checkKeyAllows, type CryptoOperation } from './crypto/algorithms';
import { checkDigestLength, checkSignatureAlgorithm, digestFor } from './crypto/digest';
import { invalidInput } from './crypto/invalid';
import { isRsaEncryptionAlgorithm, rsaMaxPlaintext } from './crypto/localVerify';

export interface CryptoService {
  /** Signs a digest (the hash of the data, of the algorithm's length) with the key in the vault or HSM. */
  sign(key: CryptoKeyRef, algorithm: SignatureAlgorithm, digest: Uint8Array, options?: CryptoOptions): Promise<SignResult>;
  /** Hashes the data locally with the algorithm's hash, then signs the digest; only the digest is sent. */
  signData(key: CryptoKeyRef, algorithm: SignatureAlgorithm, data: Uint8Array | string, options?: CryptoOptions): Promise<SignDataResult>;
  /** Verification by the service (see verifyLocally to do it with the public key, without a round trip). */
  verify(key: CryptoKeyRef, algorithm: SignatureAlgorithm, digest: Uint8Array, signature: Uint8Array, options?: CryptoOptions): Promise<boolean>;
  encrypt(key: CryptoKeyRef, algorithm: EncryptionAlgorithm, plaintext: Uint8Array, options?: EncryptOptions): Promise<EncryptResult>;
  decrypt(key: CryptoKeyRef, algorithm: EncryptionAlgorithm, ciphertext: Uint8Array, options?: DecryptOptions): Promise<DecryptResult>;
  wrapKey(key: CryptoKeyRef, algorithm: WrapAlgorithm, keyToWrap: Uint8Array, options?: CryptoOptions): Promise<WrapResult>;
  unwrapKey(key: CryptoKeyRef, algorithm: WrapAlgorithm, encryptedKey: Uint8Array, options?: CryptoOptions): Promise<UnwrapResult>;
}

interface WireOperationResult {
  kid?: string;
  value?: string;
  iv?: string;
  tag?: string;
  aad?: string;
}

const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
const bytes = (s: string | undefined): Uint8Array => new Uint8Array(Buffer.from(s ?? '', 'base64url'));
const signal = (o?: CryptoOptions): { abortSignal?: AbortSignal } => (o?.abortSignal ? { abortSignal: o.abortSignal } : {});

interface ResolvedKey {
  /** `https://{vault}/keys/{name}/{version}` — version empty for the latest. */
  url: string;
  key?: KeyVaultKey;
}

/** The operation URL of a key reference, after the checks its properties allow. */
function resolve(ref: CryptoKeyRef, operation: CryptoOperation, algorithm: string): ResolvedKey {
  if (typeof ref !== 'string') {
    checkKeyAllows(ref, operation, algorithm);
    return { url: keyUrl(ref.id), key: ref };
  }
  return { url: keyUrl(ref) };
}

function keyUrl(id: string): string {
  let parsed;
  try {
    parsed = parseObjectId(id);
  } catch (err) {
    throw invalidInput(err instanceof Error ? err.message : 'Not a key identifier.');
  }
  if (parsed.collection !== 'keys') throw invalidInput(`'${parsed.id}' is not a key identifier: it points into ${parsed.collection}.`);
  return `${parsed.vaultUrl}/keys/${encodeURIComponent(parsed.name)}/${encodeURIComponent(parsed.version ?? '')}`;
}

function aesMode(alg: string): { mode: 'gcm' | 'cbc' | 'cbcpad' | 'kw'; bits: number } | undefined {
  const m = /^A(128|192|256)(GCM|CBCPAD|CBC|KW)$/.exec(alg);
  return m ? { mode: m[2]!.toLowerCase() as 'gcm' | 'cbc' | 'cbcpad' | 'kw', bits: Number(m[1]) } : undefined;
}

/** RSA limits that the key's size tells, when we have the key. */
function checkRsaLength(key: KeyVaultKey | undefined, alg: string, data: Uint8Array, direction: 'in' | 'out'): void {
  if (!key?.keySize || !isRsaEncryptionAlgorithm(alg)) return;
  if (direction === 'in') {
    const max = rsaMaxPlaintext(alg, key.keySize);
    if (data.length > max) throw invalidInput(`${alg} with a ${key.keySize}-bit key takes at most ${max} bytes; this has ${data.length}.`);
  } else {
    const k = Math.ceil(key.keySize / 8);
    if (data.length !== k) throw invalidInput(`A ciphertext of a ${key.keySize}-bit RSA key is ${k} bytes; this has ${data.length}.`);
  }
}

function checkEncryptionAlgorithm(alg: string): EncryptionAlgorithm {
  if (!(ENCRYPTION_ALGORITHMS as readonly string[]).includes(alg)) throw invalidInput(`'${alg}' is not an encryption algorithm: use one of ${ENCRYPTION_ALGORITHMS.join(', ')}.`);
  return alg as EncryptionAlgorithm;
}

function checkWrapAlgorithm(alg: string): WrapAlgorithm {
  if (!(WRAP_ALGORITHMS as readonly string[]).includes(alg)) throw invalidInput(`'${alg}' is not a key-wrap algorithm: use one of ${WRAP_ALGORITHMS.join(', ')}.`);
  return alg as WrapAlgorithm;
}

const KEY_STATE_CODES = new Set(['KeyOperationForbidden', 'KeyExpired', 'KeyNotYetValid']);
const KEY_STATE_MESSAGE = /^Operation \S+ is not (?:permitted|allowed) on (?:this key|an expired key|a key that is not yet valid)/i;

/**
 * A 403 because of the key itself (operation missing from key_ops, outside its validity dates) is not a missing
 * permission, though it shares the status: it becomes the same 'bad-request' the local checks give, with a hint
 * about the key instead of one about access policies.
 */
function refineKeyStateError(err: unknown, url: string): unknown {
  if (!isKeyVaultError(err) || err.status !== 403 || err.kind === 'disabled') return err;
  if (!(err.innerCode && KEY_STATE_CODES.has(err.innerCode)) && !KEY_STATE_MESSAGE.test(err.message)) return err;
  const dates = /expired|not yet valid/i.test(err.message) || err.innerCode === 'KeyExpired' || err.innerCode === 'KeyNotYetValid';
  return new KeyVaultError({
    kind: 'bad-request',
    status: err.status,
    message: err.message,
    ...(err.code ? { code: err.code } : {}),
    ...(err.innerCode ? { innerCode: err.innerCode } : {}),
    ...(err.requestId ? { requestId: err.requestId } : {}),
    host: new URL(url).host,
    hint: dates ? "Check the key's activation and expiration dates (Edit attributes), or use another version." : "Add the operation to the key's permitted operations, or use another key.",
    cause: err,
  });
}

export class RestCryptoService implements CryptoService {
  constructor(private readonly http: KeyVaultHttp) {}

  private async send<T>(url: string, operation: string, body: Record<string, unknown>, options?: CryptoOptions): Promise<T> {
    try {
      const r = await this.http.send<T>('POST', `${url}/${operation}`, { body, ...signal(options) });
      return r.body;
    } catch (err) {
      throw refineKeyStateError(err, url);
    }
  }

  private async post(url: string, operation: string, body: Record<string, unknown>, options?: CryptoOptions): Promise<WireOperationResult> {
    return (await this.send<WireOperationResult | undefined>(url, operation, body, options)) ?? {};
  }

  async sign(key: CryptoKeyRef, algorithm: SignatureAlgorithm, digest: Uint8Array, options?: CryptoOptions): Promise<SignResult> {
    const alg = checkSignatureAlgorithm(algorithm);
    checkDigestLength(alg, digest);
    const { url } = resolve(key, 'sign', alg);
    const r = await this.post(url, 'sign', { alg, value: b64u(digest) }, options);
    return { keyId: r.kid ?? url, algorithm: alg, signature: bytes(r.value) };
  }

  async signData(key: CryptoKeyRef, algorithm: SignatureAlgorithm, data: Uint8Array | string, options?: CryptoOptions): Promise<SignDataResult> {
    const digest = digestFor(checkSignatureAlgorithm(algorithm), data);
    return { ...(await this.sign(key, algorithm, digest, options)), digest };
  }

  async verify(key: CryptoKeyRef, algorithm: SignatureAlgorithm, digest: Uint8Array, signature: Uint8Array, options?: CryptoOptions): Promise<boolean> {
    const alg = checkSignatureAlgorithm(algorithm);
    checkDigestLength(alg, digest);
    if (!signature.length) throw invalidInput('The signature to verify is empty.');
    const { url } = resolve(key, 'verify', alg);
    const r = await this.send<{ value?: boolean } | undefined>(url, 'verify', { alg, digest: b64u(digest), value: b64u(signature) }, options);
    return r?.value === true;
  }

  async encrypt(key: CryptoKeyRef, algorithm: EncryptionAlgorithm, plaintext: Uint8Array, options: EncryptOptions = {}): Promise<EncryptResult> {
    const alg = checkEncryptionAlgorithm(algorithm);
    const { url, key: known } = resolve(key, 'encrypt', alg);
    checkRsaLength(known, alg, plaintext, 'in');
    const body: Record<string, unknown> = { alg, value: b64u(plaintext) };
    const aes = aesMode(alg);
    if (aes?.mode === 'gcm') {
      // Key Vault generates GCM nonces itself, so a nonce can never be reused by mistake.
      if (options.iv) throw invalidInput(`${alg} takes no iv: the service generates it and returns it with the ciphertext.`);
      if (options.additionalAuthenticatedData) body.aad = b64u(options.additionalAuthenticatedData);
    } else if (aes) {
      if (options.additionalAuthenticatedData) throw invalidInput(`${alg} does not authenticate additional data; only the GCM algorithms do.`);
      if (aes.mode === 'cbc' && plaintext.length % 16 !== 0) throw invalidInput(`${alg} encrypts whole 16-byte blocks; this plaintext has ${plaintext.length} bytes (use ${alg}PAD).`);
      const iv = options.iv ?? randomBytes(16);
      if (iv.length !== 16) throw invalidInput(`${alg} needs a 16-byte iv; this one has ${iv.length}.`);
      body.iv = b64u(iv);
    } else if (options.iv || options.additionalAuthenticatedData) {
      throw invalidInput(`${alg} takes no iv or additional data.`);
    }
    const r = await this.post(url, 'encrypt', body, options);
    const out: EncryptResult = { keyId: r.kid ?? url, algorithm: alg, ciphertext: bytes(r.value) };
    if (r.iv) out.iv = bytes(r.iv);
    else if (typeof body.iv === 'string') out.iv = bytes(body.iv);
    if (r.tag) out.authenticationTag = bytes(r.tag);
    if (r.aad) out.additionalAuthenticatedData = bytes(r.aad);
    else if (options.additionalAuthenticatedData) out.additionalAuthenticatedData = options.additionalAuthenticatedData;
    return out;
  }

  async decrypt(key: CryptoKeyRef, algorithm: EncryptionAlgorithm, ciphertext: Uint8Array, options: DecryptOptions = {}): Promise<DecryptResult> {
    const alg = checkEncryptionAlgorithm(algorithm);
    const { url, key: known } = resolve(key, 'decrypt', alg);
    checkRsaLength(known, alg, ciphertext, 'out');
    const body: Record<string, unknown> = { alg, value: b64u(ciphertext) };
    const aes = aesMode(alg);
    if (aes) {
      if (!options.iv?.length) throw invalidInput(`Decrypting with ${alg} needs the iv returned by the encryption.`);
      body.iv = b64u(options.iv);
      if (aes.mode === 'gcm') {
        const tag = options.authenticationTag;
        if (!tag?.length) throw invalidInput(`Decrypting with ${alg} needs the authentication tag returned by the encryption.`);
        if (tag.length < 12 || tag.length > 16) throw invalidInput(`A GCM authentication tag is 12 to 16 bytes; this one has ${tag.length}.`);
        body.tag = b64u(tag);
        if (options.additionalAuthenticatedData) body.aad = b64u(options.additionalAuthenticatedData);
      } else {
        if (options.iv.length !== 16) throw invalidInput(`${alg} needs a 16-byte iv; this one has ${options.iv.length}.`);
        if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) throw invalidInput(`A ${alg} ciphertext is whole 16-byte blocks; this one has ${ciphertext.length} bytes.`);
      }
    }
    const r = await this.post(url, 'decrypt', body, options);
    return { keyId: r.kid ?? url, algorithm: alg, plaintext: bytes(r.value) };
  }

  async wrapKey(key: CryptoKeyRef, algorithm: WrapAlgorithm, keyToWrap: Uint8Array, options?: CryptoOptions): Promise<WrapResult> {
    const alg = checkWrapAlgorithm(algorithm);
    const { url, key: known } = resolve(key, 'wrapKey', alg);
    checkRsaLength(known, alg, keyToWrap, 'in');
    if (aesMode(alg) && (keyToWrap.length < 16 || keyToWrap.length % 8 !== 0)) {
      throw invalidInput(`${alg} (RFC 3394) wraps keys of 16 bytes or more, in multiples of 8; this one has ${keyToWrap.length} bytes.`);
    }
    const r = await this.post(url, 'wrapkey', { alg, value: b64u(keyToWrap) }, options);
    return { keyId: r.kid ?? url, algorithm: alg, encryptedKey: bytes(r.value) };
  }

  async unwrapKey(key: CryptoKeyRef, algorithm: WrapAlgorithm, encryptedKey: Uint8Array, options?: CryptoOptions): Promise<UnwrapResult> {
    const alg = checkWrapAlgorithm(algorithm);
    const { url, key: known } = resolve(key, 'unwrapKey', alg);
    checkRsaLength(known, alg, encryptedKey, 'out');
    if (aesMode(alg) && (encryptedKey.length < 24 || encryptedKey.length % 8 !== 0)) {
      throw invalidInput(`An ${alg} wrapped key is 24 bytes or more, in multiples of 8; this one has ${encryptedKey.length} bytes.`);
    }
    const r = await this.post(url, 'unwrapkey', { alg, value: b64u(encryptedKey) }, options);
    return { keyId: r.kid ?? url, algorithm: alg, key: bytes(r.value) };
  }
}
