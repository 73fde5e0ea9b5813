// Pure: no 'vscode'. Reads a key file the user picked for Import Key (PEM or JWK) and turns it into the private JWK
// that ImportKey takes, validated locally with Node's crypto first. Messages never carry key material, and nothing
// here keeps what it read: the caller drops the JWK after the import.
import { KeyVaultError } from '../../keyvault/errors';
import { checkImportJwk, curveFromNode } from '../../keyvault/crypto/jwk';
import { pemToJwk } from '../../keyvault/crypto/pem';
import { invalidInput } from '../../keyvault/crypto/invalid';
import type { JsonWebPrivateKey } from '../../keyvault/models/keys';

/** No real key file is this large; refusing early keeps a wrong pick (a disk image, a log) from being read whole. */
export const MAX_KEY_FILE_BYTES = 1024 * 1024;

export type KeyFileFormat = 'pem' | 'jwk';

export interface KeyFileInspection {
  format: KeyFileFormat;
  /** A passphrase is needed (encrypted PKCS#8, or legacy OpenSSL encryption of PKCS#1/SEC1). */
  encrypted: boolean;
}

export interface ReadKeyFile {
  jwk: JsonWebPrivateKey;
  format: KeyFileFormat;
  /** "RSA 2048-bit", "EC P-256", "oct 256-bit": for the confirmation and the log (no key material). */
  summary: string;
}

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{1,40}-----/;
const ENCRYPTED_PEM = /-----BEGIN ENCRYPTED PRIVATE KEY-----|^Proc-Type:\s*4,\s*ENCRYPTED/m;

function textOf(content: Uint8Array): string {
  if (content.length === 0) throw invalidInput('The file is empty.');
  if (content.length > MAX_KEY_FILE_BYTES) throw invalidInput(`The file has ${content.length} bytes; a PEM or JWK key file is a few kilobytes.`, 'Pick the key file itself (.pem, .key, .json or .jwk).');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw invalidInput('The file is binary, not PEM or JSON.', 'DER keys need converting first: openssl pkey -in key.der -inform DER -out key.pem.');
  }
  // A BOM from Windows editors is not part of either format.
  return text.replace(/^\uFEFF/, '');
}

/** What kind of key file this is, without parsing the key (so the passphrase is asked for only when needed). */
export function inspectKeyFile(content: Uint8Array): KeyFileInspection {
  const text = textOf(content);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return { format: 'jwk', encrypted: false };
  if (PEM_BEGIN.test(text)) return { format: 'pem', encrypted: ENCRYPTED_PEM.test(text) };
  throw invalidInput('This is neither a PEM file nor a JSON Web Key.', 'Import takes PEM (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY) or a JWK (a JSON object with "kty").');
}

const PRIVATE_MEMBERS = ['d', 'k'];
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The one private JWK of a JWK or a JWK Set ({"keys":[…]}); the standard `secp256k1` curve name is accepted. */
function jwkFromJson(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // Only the position: V8's message may quote the text around the error, and that text can be key material.
    const position = err instanceof SyntaxError ? /position (\d+)/.exec(err.message) : null;
    throw invalidInput(`The file is not valid JSON${position ? ` (at character ${Number(position[1]) + 1})` : ''}.`);
  }
  if (!isObject(parsed)) throw invalidInput('The JSON is not a JSON Web Key: expected an object with "kty".');
  let jwk: Record<string, unknown> = parsed;
  if (Array.isArray(parsed.keys) && parsed.kty === undefined) {
    const privateKeys = parsed.keys.filter((k): k is Record<string, unknown> => isObject(k) && PRIVATE_MEMBERS.some((m) => k[m] !== undefined));
    if (privateKeys.length === 0) throw invalidInput(`The JWK Set has ${parsed.keys.length} key(s) but no private key: Key Vault imports private keys only.`);
    if (privateKeys.length > 1) throw invalidInput(`The JWK Set has ${privateKeys.length} private keys; import them one at a time (one key per file).`);
    jwk = privateKeys[0]!;
  }
  if (typeof jwk.crv === 'string') {
    const crv = curveFromNode(jwk.crv);
    if (crv) jwk = { ...jwk, crv };
  }
  return jwk;
}

function summaryOf(jwk: JsonWebPrivateKey): string {
  const family = jwk.kty.replace(/-HSM$/, '');
  if (family === 'EC') return `EC ${jwk.crv ?? ''}`.trim();
  if (family === 'RSA' && jwk.n) return `RSA ${modulusBitsOf(jwk.n)}-bit`;
  if (family === 'oct' && jwk.k) return `oct ${Buffer.from(jwk.k, 'base64url').length * 8}-bit`;
  return family;
}

function modulusBitsOf(n: string): number {
  const bytes = Buffer.from(n, 'base64url');
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + bytes[i]!.toString(2).length;
}

/**
 * Parses and checks a key file: PEM (PKCS#8, PKCS#1 or SEC1; RSA or EC; encrypted with `passphrase` or not) or JWK.
 * Every failure is a KeyVaultError 'bad-request' saying what is wrong: not a key file, public key only, passphrase
 * missing or wrong, damaged, unsupported type, size or curve, inconsistent members.
 */
export function readKeyFile(content: Uint8Array, passphrase?: string): ReadKeyFile {
  const { format } = inspectKeyFile(content);
  const text = textOf(content);
  let jwk: JsonWebPrivateKey;
  try {
    jwk = format === 'pem' ? checkImportJwk(pemToJwk(text, passphrase)) : checkImportJwk(jwkFromJson(text));
  } catch (err) {
    if (err instanceof KeyVaultError) throw err;
    // Anything else is a parser surprise on hostile input: report it as bad input, without its text.
    throw invalidInput(format === 'pem' ? 'The PEM file could not be read as a private key.' : 'The JSON Web Key could not be read.');
  }
  return { jwk, format, summary: summaryOf(jwk) };
}

/** A key name from a file name: `my_signing.key.pem` → `my-signing-key`; empty when nothing usable is left. */
export function keyNameFromFileName(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.(pem|key|json|jwk|der|txt)$/i, '').replace(/\.(pem|key|json|jwk)$/i, '');
  return base
    .replace(/[^0-9a-zA-Z-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 127);
}
