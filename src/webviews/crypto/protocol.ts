// The crypto panels' message protocol (Sign/Verify, Encrypt/Decrypt, Wrap/Unwrap), shared by the host
// (src/webviews/crypto/cryptoPanel.ts) and the page (media/webview/crypto.ts). Pure: no 'vscode', no DOM. Each side
// validates what it receives and drops anything else.

export const CRYPTO_MODES = ['sign', 'encrypt', 'wrap'] as const;
export type CryptoMode = (typeof CRYPTO_MODES)[number];

export const CRYPTO_OPS = ['sign', 'verify', 'encrypt', 'decrypt', 'wrapKey', 'unwrapKey'] as const;
export type CryptoOp = (typeof CRYPTO_OPS)[number];

/** The two operations of each panel, in tab order. */
export const MODE_OPS: Record<CryptoMode, readonly [CryptoOp, CryptoOp]> = {
  sign: ['sign', 'verify'],
  encrypt: ['encrypt', 'decrypt'],
  wrap: ['wrapKey', 'unwrapKey'],
};

/**
 * How the main input is given. text/file: the data itself (for sign/verify the extension hashes it with the
 * algorithm's hash); hex/base64: the bytes; digestHex/digestBase64: a digest computed elsewhere (sign/verify only).
 */
export const INPUT_KINDS = ['text', 'file', 'hex', 'base64', 'digestHex', 'digestBase64'] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

/** Which input kinds each operation offers, first = default. */
export const INPUT_KINDS_FOR: Record<CryptoOp, readonly InputKind[]> = {
  sign: ['text', 'file', 'digestHex', 'digestBase64'],
  verify: ['text', 'file', 'digestHex', 'digestBase64'],
  encrypt: ['text', 'file', 'hex', 'base64'],
  decrypt: ['base64', 'hex', 'file'],
  wrapKey: ['hex', 'base64', 'file'],
  unwrapKey: ['base64', 'hex', 'file'],
};

export const ENCODINGS = ['hex', 'base64'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** Who runs an operation that can also run with the public key alone (verify, RSA encrypt and wrap). */
export type RunBy = 'service' | 'local';

export interface EncodedBytes {
  encoding: Encoding;
  value: string;
}

// ---- host → page ----

export interface KeySummary {
  name: string;
  /** The version the panel works with (the current one when opened on the key). */
  version: string;
  /** True when the panel follows the key's current version. */
  latest: boolean;
  vault: string;
  keyType: string;
  /** "RSA 2048-bit", "EC P-256", "AES 256-bit". */
  detail: string;
  keyOps: string[];
  enabled: boolean;
}

/** Algorithms for one operation: what the key lets the service do, and what runs locally with the public key. */
export interface OpAlgorithms {
  service: string[];
  local: string[];
  /** Why the service list is empty (missing key_ops, key type), when it is. */
  unavailable?: string;
}

export interface CryptoInit {
  type: 'init';
  mode: CryptoMode;
  key: KeySummary;
  ops: Partial<Record<CryptoOp, OpAlgorithms>>;
  /** Hash of each signature algorithm ("SHA-256"), '' for RSNULL (no hash). */
  hashes: Record<string, string>;
  /** Digest lengths in bytes per signature algorithm (0 for RSNULL). */
  digestBytes: Record<string, number>;
  /** Shown above the form: disabled key, validity dates, missing operations. */
  problems: string[];
}

/** A file the user picked (the host keeps its path, not its content). */
export interface CryptoFilePicked {
  type: 'file';
  op: CryptoOp;
  name: string;
  size: number;
}

export interface CryptoBusy {
  type: 'busy';
  op: CryptoOp;
  busy: boolean;
}

export interface ResultField {
  /** Stable per result: 'signature', 'digest', 'ciphertext', 'iv', 'tag', 'plaintext', 'key', 'encryptedKey'. */
  id: string;
  label: string;
  base64: string;
  hex: string;
  /** UTF-8 text when the bytes are printable text (decrypted plaintext). */
  text?: string;
  /** Plaintext or key material: masked until the user asks to see it; copied through the guarded clipboard. */
  sensitive: boolean;
}

export interface CryptoResult {
  type: 'result';
  op: CryptoOp;
  /** One line: "Signed with RS256 by Key Vault", "Signature valid", "Signature NOT valid". */
  summary: string;
  /** verify: the outcome. */
  verified?: boolean;
  by: RunBy;
  /** What happened to the data, in one sentence ("Only the 32-byte SHA-256 digest was sent to Key Vault."). */
  note: string;
  fields: ResultField[];
  /** The versioned key id that did the work. */
  keyId: string;
}

export interface CryptoError {
  type: 'error';
  op: CryptoOp;
  message: string;
  /** The input to highlight: 'input', 'signature', 'iv', 'tag', 'aad', 'algorithm'. */
  field?: string;
}

export interface CryptoCopied {
  type: 'copied';
  label: string;
  /** For sensitive values: seconds until the clipboard is cleared (0 = never). */
  clearsInSeconds?: number;
}

export type HostMessage = CryptoInit | CryptoFilePicked | CryptoBusy | CryptoResult | CryptoError | CryptoCopied;

// ---- page → host ----

export interface PageReady {
  type: 'ready';
}

export interface RunRequest {
  type: 'run';
  op: CryptoOp;
  algorithm: string;
  inputKind: InputKind;
  /** The text, hex or base64; empty for a file (the host reads the picked file). */
  input: string;
  /** verify: the signature to check. */
  signature?: EncodedBytes;
  /** AES decrypt: iv and tag from the encryption. */
  iv?: EncodedBytes;
  tag?: EncodedBytes;
  /** AES-GCM: additional authenticated data. */
  aad?: EncodedBytes;
  by: RunBy;
}

export interface PagePickFile {
  type: 'pickFile';
  op: CryptoOp;
}

export interface PageCopy {
  type: 'copy';
  label: string;
  text: string;
  sensitive: boolean;
}

/** Enable the disabled key version (the banner's button). */
export interface PageEnable {
  type: 'enable';
}

export type PageMessage = PageReady | RunRequest | PagePickFile | PageCopy | PageEnable;

/** Text inputs beyond this are refused at the boundary (files go through pickFile, not the message). */
export const MAX_INLINE_INPUT = 4 * 1024 * 1024;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const oneOf = <T extends string>(x: unknown, list: readonly T[]): x is T => typeof x === 'string' && (list as readonly string[]).includes(x);
const shortString = (x: unknown, max = 64): x is string => typeof x === 'string' && x.length <= max;
const onlyKeys = (x: Record<string, unknown>, allowed: readonly string[]): boolean => Object.keys(x).every((k) => allowed.includes(k));

function encoded(x: unknown): EncodedBytes | undefined | null {
  if (x === undefined) return undefined;
  if (!isObject(x) || !onlyKeys(x, ['encoding', 'value']) || !oneOf(x.encoding, ENCODINGS) || typeof x.value !== 'string' || x.value.length > MAX_INLINE_INPUT) return null;
  return { encoding: x.encoding, value: x.value };
}

const RUN_KEYS = ['type', 'op', 'algorithm', 'inputKind', 'input', 'signature', 'iv', 'tag', 'aad', 'by'];

/** What the host accepts from the page; anything else is undefined (the host logs its type only). */
export function parsePageMessage(x: unknown): PageMessage | undefined {
  if (!isObject(x)) return undefined;
  switch (x.type) {
    case 'ready':
    case 'enable':
      return Object.keys(x).length === 1 ? { type: x.type } : undefined;
    case 'pickFile':
      return onlyKeys(x, ['type', 'op']) && oneOf(x.op, CRYPTO_OPS) ? { type: 'pickFile', op: x.op } : undefined;
    case 'copy':
      if (!onlyKeys(x, ['type', 'label', 'text', 'sensitive']) || !shortString(x.label, 80) || typeof x.text !== 'string' || x.text.length > MAX_INLINE_INPUT || typeof x.sensitive !== 'boolean') return undefined;
      return { type: 'copy', label: x.label, text: x.text, sensitive: x.sensitive };
    case 'run': {
      if (!onlyKeys(x, RUN_KEYS)) return undefined;
      if (!oneOf(x.op, CRYPTO_OPS) || !shortString(x.algorithm, 32) || !oneOf(x.inputKind, INPUT_KINDS) || typeof x.input !== 'string' || x.input.length > MAX_INLINE_INPUT) return undefined;
      if (x.by !== 'service' && x.by !== 'local') return undefined;
      const parts = { signature: encoded(x.signature), iv: encoded(x.iv), tag: encoded(x.tag), aad: encoded(x.aad) };
      if (Object.values(parts).some((p) => p === null)) return undefined;
      const run: RunRequest = { type: 'run', op: x.op, algorithm: x.algorithm, inputKind: x.inputKind, input: x.input, by: x.by };
      for (const [k, v] of Object.entries(parts)) if (v) run[k as 'signature' | 'iv' | 'tag' | 'aad'] = v;
      return run;
    }
    default:
      return undefined;
  }
}

const stringList = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');
const stringRecord = (x: unknown): x is Record<string, string> => isObject(x) && Object.values(x).every((v) => typeof v === 'string');
const numberRecord = (x: unknown): x is Record<string, number> => isObject(x) && Object.values(x).every((v) => typeof v === 'number');

function opAlgorithms(x: unknown): x is OpAlgorithms {
  return isObject(x) && stringList(x.service) && stringList(x.local) && (x.unavailable === undefined || typeof x.unavailable === 'string');
}

function keySummary(x: unknown): x is KeySummary {
  return (
    isObject(x) &&
    typeof x.name === 'string' &&
    typeof x.version === 'string' &&
    typeof x.latest === 'boolean' &&
    typeof x.vault === 'string' &&
    typeof x.keyType === 'string' &&
    typeof x.detail === 'string' &&
    stringList(x.keyOps) &&
    typeof x.enabled === 'boolean'
  );
}

function resultField(x: unknown): x is ResultField {
  return isObject(x) && typeof x.id === 'string' && typeof x.label === 'string' && typeof x.base64 === 'string' && typeof x.hex === 'string' && (x.text === undefined || typeof x.text === 'string') && typeof x.sensitive === 'boolean';
}

/** What the page accepts from the host. */
export function parseHostMessage(x: unknown): HostMessage | undefined {
  if (!isObject(x)) return undefined;
  switch (x.type) {
    case 'init':
      if (!oneOf(x.mode, CRYPTO_MODES) || !keySummary(x.key) || !isObject(x.ops) || !stringRecord(x.hashes) || !numberRecord(x.digestBytes) || !stringList(x.problems)) return undefined;
      if (!Object.entries(x.ops).every(([op, algs]) => oneOf(op, CRYPTO_OPS) && opAlgorithms(algs))) return undefined;
      return x as unknown as CryptoInit;
    case 'file':
      return oneOf(x.op, CRYPTO_OPS) && typeof x.name === 'string' && typeof x.size === 'number' ? { type: 'file', op: x.op, name: x.name, size: x.size } : undefined;
    case 'busy':
      return oneOf(x.op, CRYPTO_OPS) && typeof x.busy === 'boolean' ? { type: 'busy', op: x.op, busy: x.busy } : undefined;
    case 'result':
      if (!oneOf(x.op, CRYPTO_OPS) || typeof x.summary !== 'string' || typeof x.note !== 'string' || typeof x.keyId !== 'string' || (x.by !== 'service' && x.by !== 'local')) return undefined;
      if (x.verified !== undefined && typeof x.verified !== 'boolean') return undefined;
      if (!Array.isArray(x.fields) || !x.fields.every(resultField)) return undefined;
      return x as unknown as CryptoResult;
    case 'error':
      return oneOf(x.op, CRYPTO_OPS) && typeof x.message === 'string' && (x.field === undefined || typeof x.field === 'string')
        ? { type: 'error', op: x.op, message: x.message, ...(typeof x.field === 'string' ? { field: x.field } : {}) }
        : undefined;
    case 'copied':
      return typeof x.label === 'string' && (x.clearsInSeconds === undefined || typeof x.clearsInSeconds === 'number')
        ? { type: 'copied', label: x.label, ...(typeof x.clearsInSeconds === 'number' ? { clearsInSeconds: x.clearsInSeconds } : {}) }
        : undefined;
    default:
      return undefined;
  }
}

const PAGE_TYPES: readonly string[] = ['ready', 'enable', 'pickFile', 'copy', 'run'];

/** For logs: what kind of message was dropped, never its content (it may be plaintext or key material). */
export function describeDropped(x: unknown): string {
  if (!isObject(x)) return typeof x;
  // Only a type this panel knows is named: any other is the page's text, and could be anything (even a value).
  const type = typeof x.type !== 'string' ? 'object' : PAGE_TYPES.includes(x.type) ? `type '${x.type}'` : `an unknown type (${x.type.length} characters)`;
  return `${type} with ${Object.keys(x).length} field(s)`;
}
