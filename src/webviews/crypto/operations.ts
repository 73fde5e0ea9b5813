// Pure host logic of the crypto panels: no 'vscode'. Decodes what the page sent, computes digests locally, calls the
// crypto service (which checks the key's state, key_ops, algorithm and lengths before sending) or the local
// public-key helpers, and shapes the result. Nothing here logs or keeps inputs or outputs.
import { algorithmsFor } from '../../keyvault/crypto/algorithms';
import { checkDigestLength, digestFor, hashFor, HASH_BYTES } from '../../keyvault/crypto/digest';
import { encryptLocally, isRsaEncryptionAlgorithm, verifyLocally } from '../../keyvault/crypto/localVerify';
import { isKeyVaultError } from '../../keyvault/errors';
import type { CryptoService } from '../../keyvault/crypto';
import { ENCRYPTION_ALGORITHMS, SIGNATURE_ALGORITHMS, WRAP_ALGORITHMS, type EncryptionAlgorithm, type SignatureAlgorithm, type WrapAlgorithm } from '../../keyvault/models/crypto';
import { keyFamilyOf, type KeyVaultKey } from '../../keyvault/models/keys';
import { MODE_OPS, type CryptoInit, type CryptoMode, type CryptoOp, type CryptoResult, type Encoding, type KeySummary, type OpAlgorithms, type ResultField, type RunRequest } from './protocol';

/** A problem with one input of the form: the page highlights that field. */
export class FieldError extends Error {
  override readonly name = 'FieldError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const HEX = /^[0-9a-f]*$/i;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * Bytes from hex (spaces, colons and a 0x prefix allowed) or base64 (standard or base64url, whitespace allowed).
 * `what` names the field in the message; the message never repeats the input.
 */
export function decodeBytes(encoding: Encoding, text: string, what: string, field = 'input'): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  if (!compact) throw new FieldError(`${what} is empty.`, field);
  if (encoding === 'hex') {
    const hex = compact.replace(/^0x/i, '').replace(/:/g, '');
    const bad = hex.search(/[^0-9a-f]/i);
    if (!HEX.test(hex)) throw new FieldError(`${what} is not hex: character ${bad + 1} is not 0-9 or a-f.`, field);
    if (hex.length % 2 !== 0) throw new FieldError(`${what} has an odd number of hex digits (${hex.length}): each byte is two digits.`, field);
    return new Uint8Array(Buffer.from(hex, 'hex'));
  }
  if (!BASE64.test(compact)) throw new FieldError(`${what} is not base64: only A-Z, a-z, 0-9, +, / (or - and _) and trailing = are allowed.`, field);
  const unpadded = compact.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) throw new FieldError(`${what} is not valid base64: its length does not decode to whole bytes.`, field);
  return new Uint8Array(Buffer.from(unpadded.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url'));
}

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const toBase64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

/** UTF-8 text when the bytes are valid UTF-8 without control characters (other than tab and newlines). */
export function printableText(b: Uint8Array): string | undefined {
  if (b.length === 0) return '';
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? undefined : text;
}

export function field(id: string, label: string, bytes: Uint8Array, options: { sensitive?: boolean; text?: boolean } = {}): ResultField {
  const f: ResultField = { id, label, base64: toBase64(bytes), hex: toHex(bytes), sensitive: options.sensitive === true };
  if (options.text) {
    const text = printableText(bytes);
    if (text !== undefined) f.text = text;
  }
  return f;
}

const HASH_LABEL = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' } as const;

export function hashLabel(alg: SignatureAlgorithm): string {
  const h = hashFor(alg);
  return h ? HASH_LABEL[h] : '';
}

export function keyDetail(key: Pick<KeyVaultKey, 'keyType' | 'keySize' | 'curve'>): string {
  const family = keyFamilyOf(key.keyType);
  if (family === 'EC') return `EC ${key.curve ?? ''}`.trim();
  if (family === 'oct') return key.keySize ? `AES ${key.keySize}-bit` : 'AES';
  return key.keySize ? `RSA ${key.keySize}-bit` : 'RSA';
}

export function keySummary(key: KeyVaultKey, latest: boolean): KeySummary {
  return {
    name: key.name,
    version: key.version ?? '',
    latest,
    vault: new URL(key.vaultUrl).host,
    keyType: key.keyType,
    detail: `${keyDetail(key)}${key.keyType.endsWith('-HSM') ? ', HSM-protected' : ''}`,
    keyOps: [...key.keyOps],
    enabled: key.attributes.enabled,
  };
}

/** Operations that can also run with the public key alone. */
const LOCAL_OPS: ReadonlySet<CryptoOp> = new Set(['verify', 'encrypt', 'wrapKey']);

/** What each operation of a panel may use: the key's own algorithms for the service, and the public-key ones locally. */
export function opAlgorithms(key: KeyVaultKey, op: CryptoOp): OpAlgorithms {
  const service = algorithmsFor(key)[op] as string[];
  const byType = algorithmsFor({ keyType: key.keyType, ...(key.curve ? { curve: key.curve } : {}), ...(key.keySize ? { keySize: key.keySize } : {}) })[op] as string[];
  const family = keyFamilyOf(key.keyType);
  let local: string[] = [];
  if (LOCAL_OPS.has(op) && family !== 'oct') local = op === 'verify' ? byType : byType.filter((a) => isRsaEncryptionAlgorithm(a));
  const out: OpAlgorithms = { service, local };
  if (service.length === 0) {
    out.unavailable = byType.length === 0 ? `A ${key.keyType} key cannot ${opWord(op)}.` : `This key does not permit ${op}: its operations are ${key.keyOps.length ? key.keyOps.join(', ') : 'none'}.`;
  }
  return out;
}

export function opWord(op: CryptoOp): string {
  return { sign: 'sign', verify: 'verify', encrypt: 'encrypt', decrypt: 'decrypt', wrapKey: 'wrap keys', unwrapKey: 'unwrap keys' }[op];
}

/** Banner lines: what will stop operations before anything is sent. */
export function keyProblems(key: KeyVaultKey, mode: CryptoMode, now: number): string[] {
  const problems: string[] = [];
  if (!key.attributes.enabled) problems.push(`This key version is disabled: Key Vault refuses every operation with it until it is enabled.`);
  const { notBefore, expiresOn } = key.attributes;
  const first = MODE_OPS[mode][0];
  if (notBefore && notBefore.getTime() > now) problems.push(`The key is not valid before ${notBefore.toISOString().slice(0, 16).replace('T', ' ')} UTC: it cannot ${opWord(first)} until then.`);
  if (expiresOn && expiresOn.getTime() <= now) problems.push(`The key expired on ${expiresOn.toISOString().slice(0, 10)}: it can still ${opWord(MODE_OPS[mode][1])}, but not ${opWord(first)}.`);
  return problems;
}

export function initMessage(mode: CryptoMode, key: KeyVaultKey, latest: boolean, now: number): CryptoInit {
  const ops: CryptoInit['ops'] = {};
  for (const op of MODE_OPS[mode]) ops[op] = opAlgorithms(key, op);
  const hashes: Record<string, string> = {};
  const digestBytes: Record<string, number> = {};
  for (const alg of SIGNATURE_ALGORITHMS) {
    hashes[alg] = hashLabel(alg);
    const h = hashFor(alg);
    digestBytes[alg] = h ? HASH_BYTES[h] : 0;
  }
  return { type: 'init', mode, key: keySummary(key, latest), ops, hashes, digestBytes, problems: keyProblems(key, mode, now) };
}

export interface OperationDeps {
  readonly crypto: CryptoService;
  readonly key: KeyVaultKey;
  /** The file the user picked for this operation (only called for inputKind 'file'). */
  readFile(op: CryptoOp): Promise<Uint8Array>;
  readonly signal?: AbortSignal;
}

async function inputBytes(deps: OperationDeps, req: RunRequest, what: string): Promise<Uint8Array> {
  switch (req.inputKind) {
    case 'text':
      if (req.input.length === 0) throw new FieldError(`${what} is empty.`, 'input');
      return new TextEncoder().encode(req.input);
    case 'file':
      return deps.readFile(req.op);
    case 'hex':
    case 'digestHex':
      return decodeBytes('hex', req.input, what);
    case 'base64':
    case 'digestBase64':
      return decodeBytes('base64', req.input, what);
  }
}

function checkAlgorithm<T extends string>(req: RunRequest, list: readonly T[], key: KeyVaultKey): T {
  const allowed = opAlgorithms(key, req.op);
  const usable = req.by === 'local' ? allowed.local : allowed.service;
  if (!(list as readonly string[]).includes(req.algorithm)) throw new FieldError(`'${req.algorithm}' is not an algorithm for ${req.op}.`, 'algorithm');
  if (!usable.includes(req.algorithm)) {
    const where = req.by === 'local' ? 'locally with the public key' : 'by Key Vault';
    if (usable.length === 0) throw new FieldError(req.by === 'local' ? `${opWord(req.op)} cannot run locally with a ${key.keyType} key.` : (allowed.unavailable ?? `This key cannot ${opWord(req.op)}.`), 'algorithm');
    throw new FieldError(`${req.algorithm} is not allowed for ${keyDetail(key)} '${key.name}' ${where}: use ${usable.join(', ')}.`, 'algorithm');
  }
  return req.algorithm as T;
}

/** The digest to sign or verify: computed here from text or a file, or given as hex/base64 and length-checked. */
function digestOf(alg: SignatureAlgorithm, req: RunRequest, bytes: Uint8Array): { digest: Uint8Array; computed: boolean } {
  if (req.inputKind === 'digestHex' || req.inputKind === 'digestBase64') {
    try {
      checkDigestLength(alg, bytes);
    } catch (err) {
      // The service layer's hint speaks to programmers; here the fix is to let the panel hash the data.
      const text = isKeyVaultError(err) ? err.message : String(err);
      throw new FieldError(`${text} Enter the ${hashLabel(alg)} digest of the data, or choose Text or File and the digest is computed here.`, 'input');
    }
    return { digest: bytes, computed: false };
  }
  // RSNULL signs the bytes it is given; every other algorithm signs the digest of its hash.
  if (!hashFor(alg)) return { digest: bytes, computed: false };
  return { digest: digestFor(alg, bytes), computed: true };
}

function sizeText(n: number): string {
  return n === 1 ? '1 byte' : n < 10_240 ? `${n} bytes` : n < 10 * 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Runs one operation of a crypto panel. Errors are KeyVaultErrors (from the service or its local checks) or FieldErrors. */
export async function runOperation(deps: OperationDeps, req: RunRequest): Promise<CryptoResult> {
  const { crypto, key } = deps;
  const options = deps.signal ? { abortSignal: deps.signal } : {};
  switch (req.op) {
    case 'sign': {
      if (req.by !== 'service') throw new FieldError('Signing needs the private key: it runs in Key Vault only.', 'algorithm');
      const alg = checkAlgorithm(req, SIGNATURE_ALGORITHMS, key);
      const data = await inputBytes(deps, req, 'The data to sign');
      const { digest, computed } = digestOf(alg, req, data);
      const r = await crypto.sign(key, alg, digest, options);
      const fields = [field('signature', 'Signature', r.signature)];
      fields.unshift(field('digest', computed ? `${hashLabel(alg)} digest` : hashLabel(alg) ? `${hashLabel(alg)} digest (as given)` : 'Signed value', digest));
      return {
        type: 'result',
        op: 'sign',
        by: 'service',
        keyId: r.keyId,
        summary: `Signed with ${alg} by Key Vault`,
        note: computed
          ? `The ${hashLabel(alg)} digest of the ${req.inputKind === 'file' ? 'file' : 'data'} (${sizeText(data.length)}) was computed here; only the ${digest.length}-byte digest was sent to Key Vault.`
          : `The ${digest.length}-byte value was sent to Key Vault as given.`,
        fields,
      };
    }
    case 'verify': {
      const alg = checkAlgorithm(req, SIGNATURE_ALGORITHMS, key);
      const data = await inputBytes(deps, req, 'The signed data');
      const { digest, computed } = digestOf(alg, req, data);
      if (!req.signature) throw new FieldError('Enter the signature to verify.', 'signature');
      const signature = decodeBytes(req.signature.encoding, req.signature.value, 'The signature', 'signature');
      let valid: boolean;
      if (req.by === 'local') {
        valid = verifyLocally(key.key, alg, digest, signature);
      } else {
        valid = await crypto.verify(key, alg, digest, signature, options);
      }
      const who = req.by === 'local' ? 'locally with the public key (no request was sent)' : 'by Key Vault (verify operation)';
      return {
        type: 'result',
        op: 'verify',
        by: req.by,
        keyId: key.id,
        verified: valid,
        summary: valid ? `Signature valid (${alg})` : `Signature NOT valid (${alg})`,
        note: `Checked ${who}${computed ? ` against the ${hashLabel(alg)} digest computed here` : ''}.${valid ? '' : ' The data, the algorithm, the key version or the signature differs from what was signed.'}`,
        fields: [field('digest', computed ? `${hashLabel(alg)} digest` : 'Digest (as given)', digest)],
      };
    }
    case 'encrypt': {
      const alg = checkAlgorithm<EncryptionAlgorithm>(req, ENCRYPTION_ALGORITHMS, key);
      const plaintext = await inputBytes(deps, req, 'The plaintext');
      if (req.by === 'local') {
        if (!isRsaEncryptionAlgorithm(alg)) throw new FieldError(`${alg} runs only in Key Vault.`, 'algorithm');
        const ciphertext = encryptLocally(key.key, alg, plaintext);
        return {
          type: 'result',
          op: 'encrypt',
          by: 'local',
          keyId: key.id,
          summary: `Encrypted with ${alg} locally`,
          note: `Encrypted here with the public key of version ${key.version ?? ''}: the plaintext was not sent anywhere. Decrypt with the same version.`,
          fields: [field('ciphertext', 'Ciphertext', ciphertext)],
        };
      }
      const aad = req.aad ? decodeBytes(req.aad.encoding, req.aad.value, 'The additional authenticated data', 'aad') : undefined;
      const r = await crypto.encrypt(key, alg, plaintext, { ...options, ...(aad ? { additionalAuthenticatedData: aad } : {}) });
      const fields = [field('ciphertext', 'Ciphertext', r.ciphertext)];
      if (r.iv) fields.push(field('iv', 'IV', r.iv));
      if (r.authenticationTag) fields.push(field('tag', 'Authentication tag', r.authenticationTag));
      return {
        type: 'result',
        op: 'encrypt',
        by: 'service',
        keyId: r.keyId,
        summary: `Encrypted with ${alg} by Key Vault`,
        note: `${sizeText(plaintext.length)} encrypted by Key Vault.${r.iv ? ' Keep the IV' + (r.authenticationTag ? ' and the tag' : '') + ': decryption needs them.' : ''}`,
        fields,
      };
    }
    case 'decrypt': {
      if (req.by !== 'service') throw new FieldError('Decryption needs the private key: it runs in Key Vault only.', 'algorithm');
      const alg = checkAlgorithm<EncryptionAlgorithm>(req, ENCRYPTION_ALGORITHMS, key);
      const ciphertext = await inputBytes(deps, req, 'The ciphertext');
      const iv = req.iv ? decodeBytes(req.iv.encoding, req.iv.value, 'The IV', 'iv') : undefined;
      const tag = req.tag ? decodeBytes(req.tag.encoding, req.tag.value, 'The authentication tag', 'tag') : undefined;
      const aad = req.aad ? decodeBytes(req.aad.encoding, req.aad.value, 'The additional authenticated data', 'aad') : undefined;
      const r = await crypto.decrypt(key, alg, ciphertext, { ...options, ...(iv ? { iv } : {}), ...(tag ? { authenticationTag: tag } : {}), ...(aad ? { additionalAuthenticatedData: aad } : {}) });
      return {
        type: 'result',
        op: 'decrypt',
        by: 'service',
        keyId: r.keyId,
        summary: `Decrypted with ${alg} by Key Vault`,
        note: `${sizeText(r.plaintext.length)} of plaintext. It is shown only on this page and is not kept anywhere.`,
        fields: [field('plaintext', 'Plaintext', r.plaintext, { sensitive: true, text: true })],
      };
    }
    case 'wrapKey': {
      const alg = checkAlgorithm<WrapAlgorithm>(req, WRAP_ALGORITHMS, key);
      const material = await inputBytes(deps, req, 'The key to wrap');
      if (req.by === 'local') {
        if (!isRsaEncryptionAlgorithm(alg)) throw new FieldError(`${alg} runs only in Key Vault.`, 'algorithm');
        const encryptedKey = encryptLocally(key.key, alg, material);
        return {
          type: 'result',
          op: 'wrapKey',
          by: 'local',
          keyId: key.id,
          summary: `Wrapped with ${alg} locally`,
          note: `Wrapped here with the public key of version ${key.version ?? ''}: the key material was not sent anywhere. Unwrap with the same version.`,
          fields: [field('encryptedKey', 'Wrapped key', encryptedKey)],
        };
      }
      const r = await crypto.wrapKey(key, alg, material, options);
      return {
        type: 'result',
        op: 'wrapKey',
        by: 'service',
        keyId: r.keyId,
        summary: `Wrapped with ${alg} by Key Vault`,
        note: `A ${material.length}-byte key wrapped by Key Vault.`,
        fields: [field('encryptedKey', 'Wrapped key', r.encryptedKey)],
      };
    }
    case 'unwrapKey': {
      if (req.by !== 'service') throw new FieldError('Unwrapping needs the private key: it runs in Key Vault only.', 'algorithm');
      const alg = checkAlgorithm<WrapAlgorithm>(req, WRAP_ALGORITHMS, key);
      const encryptedKey = await inputBytes(deps, req, 'The wrapped key');
      const r = await crypto.unwrapKey(key, alg, encryptedKey, options);
      return {
        type: 'result',
        op: 'unwrapKey',
        by: 'service',
        keyId: r.keyId,
        summary: `Unwrapped with ${alg} by Key Vault`,
        note: `${r.key.length} bytes of key material. They are shown only on this page and are not kept anywhere.`,
        fields: [field('key', 'Unwrapped key', r.key, { sensitive: true })],
      };
    }
  }
}
