import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { KeyVaultError } from '../errors';
import { fromBinary, toBinary } from './forge';
import { certificateDetails, orderChain, pemBlocks, readCertificates, toPem, validityState, type CertificateDetails } from './x509';

/**
 * What an import will send, checked locally first: the certificate(s) and a private key that belongs to the leaf.
 * Holds key material: never log it, never put it in an error.
 */
export interface ImportMaterial {
  format: 'pfx' | 'pem';
  /** DER certificates, leaf first. */
  chain: Buffer[];
  leaf: CertificateDetails;
  privateKey: KeyObject;
}

export interface ImportCheckOptions {
  allowExpired?: boolean;
  now?: Date;
}

const bad = (message: string, hint?: string): KeyVaultError => new KeyVaultError({ kind: 'bad-request', message, ...(hint ? { hint } : {}) });

/**
 * Opens a PFX (PKCS#12) with its password and checks it the way Key Vault would, but with clearer messages: wrong
 * password, no private key, no certificate, key that belongs to none of the certificates, expired leaf.
 */
export function readPfx(pfx: Uint8Array, password: string | undefined, options: ImportCheckOptions = {}): ImportMaterial {
  let p12: forge.pkcs12.Pkcs12Pfx;
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(toBinary(pfx), true);
  } catch {
    throw bad('The file is not a PFX (PKCS#12) file.', 'Export the certificate with its private key as .pfx or .p12, or import PEM instead.');
  }
  try {
    p12 = openPkcs12(asn1, password);
  } catch (err) {
    // Only forge's own wording decides the message; the password itself never appears in it.
    if (/MAC could not be verified|Invalid password|wrong password|decrypt/i.test((err as Error).message)) {
      throw bad(password ? 'The password does not open this PFX file.' : 'This PFX file is protected by a password; give its password.', 'Check the password you exported the file with.');
    }
    throw bad('The PFX file could not be read.', 'It may be damaged or use an unsupported format; export it again, or import PEM.');
  }
  const bags = p12.safeContents.flatMap((s) => s.safeBags);
  const certs: Buffer[] = [];
  const keys: KeyObject[] = [];
  for (const bag of bags) {
    if (bag.type === forge.pki.oids.certBag) {
      const node = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : (bag as { asn1?: forge.asn1.Asn1 }).asn1;
      if (node) certs.push(fromBinary(forge.asn1.toDer(node).getBytes()));
    } else if (bag.type === forge.pki.oids.pkcs8ShroudedKeyBag || bag.type === forge.pki.oids.keyBag) {
      // forge decodes RSA keys only; other keys come back as PrivateKeyInfo ASN.1, which Node reads.
      const node = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : (bag as { asn1?: forge.asn1.Asn1 }).asn1;
      if (node) keys.push(createPrivateKey({ key: fromBinary(forge.asn1.toDer(node).getBytes()), format: 'der', type: 'pkcs8' }));
    }
  }
  return checkMaterial('pfx', certs, keys, options);
}

/**
 * Opens a PKCS#12 structure. "No password" is written two ways (an empty string, which OpenSSL uses, or no password
 * at all, which Key Vault's own PFX files and forge's use), so without a password both are tried, as OpenSSL does.
 */
export function openPkcs12(asn1: forge.asn1.Asn1, password: string | undefined): forge.pkcs12.Pkcs12Pfx {
  if (password) return forge.pkcs12.pkcs12FromAsn1(asn1, true, password);
  try {
    return forge.pkcs12.pkcs12FromAsn1(asn1, true, '');
  } catch {
    return forge.pkcs12.pkcs12FromAsn1(asn1, true, undefined);
  }
}

const KEY_LABELS = ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'];

/** Reads PEM text holding the certificate (and optionally its chain) and exactly one private key. */
export function readPem(pem: string, password: string | undefined, options: ImportCheckOptions = {}): ImportMaterial {
  const blocks = pemBlocks(pem);
  const keyBlocks = blocks.filter((b) => KEY_LABELS.includes(b.label));
  if (keyBlocks.length === 0) throw bad('The PEM has no private key.', 'Key Vault imports a certificate together with its private key: add the -----BEGIN PRIVATE KEY----- block.');
  if (keyBlocks.length > 1) throw bad(`The PEM has ${keyBlocks.length} private keys; give exactly one.`);
  const keyBlock = keyBlocks[0]!;
  if (keyBlock.label === 'ENCRYPTED PRIVATE KEY' && !password) throw bad('The private key is encrypted; give its password.');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: keyBlock.pem, format: 'pem', ...(password ? { passphrase: password } : {}) });
  } catch {
    throw bad(keyBlock.label === 'ENCRYPTED PRIVATE KEY' ? 'The password does not decrypt the private key.' : 'The private key in the PEM could not be read.');
  }
  const certs = blocks.some((b) => b.label === 'CERTIFICATE') ? readCertificates(pem) : [];
  return checkMaterial('pem', certs, [key], options);
}

function checkMaterial(format: 'pfx' | 'pem', certs: Buffer[], keys: KeyObject[], options: ImportCheckOptions): ImportMaterial {
  if (certs.length === 0) throw bad(`The ${format.toUpperCase()} has no certificate.`);
  if (keys.length === 0) throw bad(`The ${format.toUpperCase()} has no private key.`, 'Key Vault imports a certificate together with its private key; export it again with the key.');
  if (keys.length > 1) throw bad(`The ${format.toUpperCase()} has ${keys.length} private keys; Key Vault takes exactly one.`);
  const privateKey = keys[0]!;
  const ordered = orderChain(certs);
  const withKey = ordered.find((der) => new X509Certificate(der).checkPrivateKey(privateKey));
  if (!withKey) {
    throw bad('The private key does not belong to the certificate.', 'The key and the certificate come from different pairs; export them together again.');
  }
  // The certificate that holds the key is the leaf, whatever order the file used.
  const chain = [withKey, ...ordered.filter((d) => d !== withKey)];
  const leaf = certificateDetails(withKey);
  if (!options.allowExpired && validityState(leaf, options.now) === 'expired') {
    throw bad(`The certificate expired on ${leaf.notAfter.toISOString().slice(0, 10)}.`, 'Import a current certificate, or allow expired certificates explicitly.');
  }
  return { format, chain, leaf, privateKey };
}

/** The PEM Key Vault receives for a PEM import: the key (PKCS#8, unencrypted) and then the chain, leaf first. */
export function pemForImport(material: ImportMaterial): string {
  const key = material.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return key + material.chain.map((der) => toPem(der)).join('');
}
