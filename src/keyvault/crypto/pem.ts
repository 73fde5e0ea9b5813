import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { JsonWebPrivateKey } from '../models/keys';
import { privateJwkFromKeyObject } from './jwk';
import { invalidInput } from './invalid';

/** PEM labels of private keys Node's crypto reads: PKCS#8 (plain or encrypted), PKCS#1 (RSA) and SEC1 (EC). */
const PRIVATE_LABELS = ['PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'];
const PUBLIC_LABELS = ['PUBLIC KEY', 'RSA PUBLIC KEY', 'CERTIFICATE', 'TRUSTED CERTIFICATE', 'X509 CERTIFICATE', 'CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'];

const BLOCK = /-----BEGIN ([A-Z0-9 ]{1,40})-----([\s\S]*?)-----END \1-----/g;

interface PemBlock {
  label: string;
  text: string;
  encrypted: boolean;
}

function blocksOf(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const label = m[1]!;
    // PKCS#8 encryption shows in the label; legacy OpenSSL encryption of PKCS#1/SEC1 in a Proc-Type header.
    out.push({ label, text: m[0], encrypted: label === 'ENCRYPTED PRIVATE KEY' || /^Proc-Type:\s*4,\s*ENCRYPTED/m.test(m[2]!) });
  }
  return out;
}

function noPrivateKey(blocks: PemBlock[]): never {
  if (blocks.length === 0) {
    throw invalidInput(
      'No PEM private key found.',
      'Expected text with a block such as -----BEGIN PRIVATE KEY----- (PKCS#8), -----BEGIN RSA PRIVATE KEY----- (PKCS#1) or -----BEGIN EC PRIVATE KEY----- (SEC1).',
    );
  }
  const labels = [...new Set(blocks.map((b) => b.label))];
  if (labels.includes('OPENSSH PRIVATE KEY')) {
    throw invalidInput('This is an OpenSSH private key, which this import does not read.', 'Convert it to PKCS#8 first: ssh-keygen -p -m PKCS8 -f <file>.');
  }
  if (labels.every((l) => PUBLIC_LABELS.includes(l))) {
    throw invalidInput(`The PEM holds only ${labels.join(' and ').toLowerCase()} data: importing a key needs its private key.`);
  }
  throw invalidInput(`The PEM has no RSA or EC private key (found ${labels.join(', ')}).`, 'Key Vault imports RSA and EC keys in PKCS#8, PKCS#1 or SEC1 PEM.');
}

/**
 * Turns a PEM private key (PKCS#8, PKCS#1 or SEC1; RSA or EC; encrypted with a passphrase or not) into the JWK that
 * ImportKey takes. The first private-key block is used, so a file that bundles a certificate chain and its key works.
 * Failures are KeyVaultError 'bad-request' with a message that says which (no PEM, public only, passphrase needed,
 * wrong passphrase, damaged, unsupported type or curve). Nothing is kept: the caller owns the result and drops it
 * after the import.
 */
export function pemToJwk(pem: string | Uint8Array, passphrase?: string): JsonWebPrivateKey {
  const text = typeof pem === 'string' ? pem : Buffer.from(pem).toString('utf8');
  const blocks = blocksOf(text);
  const block = blocks.find((b) => PRIVATE_LABELS.includes(b.label));
  if (!block) noPrivateKey(blocks);
  if (block.encrypted && !passphrase) throw invalidInput('The private key is encrypted: enter its passphrase.');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: block.text, format: 'pem', ...(block.encrypted ? { passphrase } : {}) });
  } catch {
    // A wrong passphrase usually fails the padding check, but may also decrypt to bytes that are not a key.
    if (block.encrypted) throw invalidInput('The passphrase does not decrypt this private key (or the file is damaged).');
    throw invalidInput(`The ${block.label} block is damaged: it does not decode to a private key.`);
  }
  return privateJwkFromKeyObject(key);
}
