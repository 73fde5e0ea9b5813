// Pure helpers for the certificate files users save and open: names, formats, and the certificates inside a bundle.
// No 'vscode': unit-tested in Node.
import forge from 'node-forge';
import { openPkcs12 } from '../../keyvault/certificates/pfx';
import { orderChain, readCertificates } from '../../keyvault/certificates/x509';
import { fromBinary, toBinary } from '../../keyvault/certificates/forge';
import type { CertificateDownloadFormat } from '../../keyvault/models/certificates';

export interface DownloadFormatInfo {
  format: CertificateDownloadFormat;
  label: string;
  description: string;
  /** Whether the file will hold the private key (warn first, and the certificate must be exportable). */
  privateKey: boolean;
  /** Save dialog filters. */
  filters: Record<string, string[]>;
  extension: string;
}

export const DOWNLOAD_FORMATS: readonly DownloadFormatInfo[] = [
  { format: 'cer', label: 'CER (DER)', description: 'Certificate only, binary', privateKey: false, filters: { Certificate: ['cer', 'crt', 'der'] }, extension: 'cer' },
  { format: 'pem', label: 'PEM', description: 'Certificate only, text', privateKey: false, filters: { 'PEM certificate': ['pem', 'crt'] }, extension: 'pem' },
  { format: 'pfx', label: 'PFX (PKCS #12) with private key', description: 'Certificate chain and private key', privateKey: true, filters: { 'PKCS #12': ['pfx', 'p12'] }, extension: 'pfx' },
  { format: 'pem-with-key', label: 'PEM with private key', description: 'Certificate chain and private key, text', privateKey: true, filters: { PEM: ['pem'] }, extension: 'pem' },
];

export function formatInfo(format: CertificateDownloadFormat): DownloadFormatInfo {
  const info = DOWNLOAD_FORMATS.find((f) => f.format === format);
  if (!info) throw new Error(`'${String(format)}' is not a download format: use cer, pem, pfx or pem-with-key.`);
  return info;
}

/** A file name from an object name (already 1-127 letters, digits and dashes) and an optional version. */
export function downloadFileName(name: string, extension: string, version?: string): string {
  const base = `${name}${version ? `-${version.slice(0, 8)}` : ''}`.replace(/[^0-9A-Za-z._-]/g, '_');
  return `${base}.${extension.replace(/^\./, '')}`;
}

/**
 * A certificate name suggested from a file name: `Contoso Web (2024).pfx` → `Contoso-Web-2024`. Key Vault names are
 * 1-127 letters, digits and dashes. Empty when nothing usable is left.
 */
export function nameFromFileName(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.(pfx|p12|pem|crt|cer|key)$/i, '');
  return base
    .replace(/[^0-9A-Za-z-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 127)
    .replace(/-$/, '');
}

/** PEM text (with BEGIN blocks) or binary PKCS #12, decided by content, not by the file's extension. */
export function importFormatOf(bytes: Uint8Array): 'pem' | 'pfx' {
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 64 * 1024))).toString('latin1');
  return head.includes('-----BEGIN ') ? 'pem' : 'pfx';
}

/**
 * The certificates (DER, leaf first) inside what a certificate's secret holds: a PFX without password, or PEM. The
 * private key in the bundle is never read. Throws a readable Error when nothing can be read.
 */
export function certificatesInBundle(bytes: Uint8Array, contentType: string): Buffer[] {
  if (/pem/i.test(contentType) || importFormatOf(bytes) === 'pem') {
    const text = Buffer.from(bytes).toString('utf8');
    return orderChain(readCertificates(text.replace(/-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g, '')));
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = openPkcs12(forge.asn1.fromDer(toBinary(bytes), true), undefined);
  } catch {
    throw new Error('The certificate bundle could not be read.');
  }
  const ders: Buffer[] = [];
  for (const bag of p12.safeContents.flatMap((s) => s.safeBags)) {
    if (bag.type !== forge.pki.oids.certBag) continue;
    const node = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : (bag as { asn1?: forge.asn1.Asn1 }).asn1;
    if (node) ders.push(fromBinary(forge.asn1.toDer(node).getBytes()));
  }
  if (ders.length === 0) throw new Error('The certificate bundle holds no certificate.');
  return orderChain(ders);
}
