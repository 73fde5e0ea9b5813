import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { KeyVaultError } from '../errors';
import type { KeyUsageType, SubjectAlternativeNames } from '../models/certificates';
import { childrenOf, decodeDirectoryString, isContext, parseAsn1, pkiExtras, type ForgeExtension } from './forge';

/** What a user wants to see about a certificate, read locally from its DER bytes. */
export interface CertificateDetails {
  /** Most specific first, as Key Vault writes it in a policy: `CN=www.contoso.com, O=Contoso, C=US`. */
  subject: string;
  issuer: string;
  /** The common name (CN) of the subject, when it has one. */
  commonName?: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-1 of the DER, upper-case hex: the thumbprint Windows and the portal show. */
  thumbprintSha1: string;
  thumbprintSha256: string;
  /** SHA-1 thumbprint base64url, as Key Vault's `x5t`. */
  x5t: string;
  subjectAlternativeNames: SubjectAlternativeNames;
  keyUsage: KeyUsageType[];
  /** Extended key usage OIDs. */
  extendedKeyUsage: string[];
  isCertificateAuthority: boolean;
  selfIssued: boolean;
  publicKey: { type: 'RSA' | 'EC' | string; size?: number; curve?: string };
  signatureAlgorithm?: string;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const BASE64 = /^[A-Za-z0-9+/=_\-\s]+$/;

const bad = (message: string, hint?: string): KeyVaultError => new KeyVaultError({ kind: 'bad-request', message, ...(hint ? { hint } : {}) });

/** PEM blocks of a text, with their labels (`CERTIFICATE`, `PRIVATE KEY`, …) and DER bytes. */
export function pemBlocks(text: string): { label: string; der: Buffer; pem: string }[] {
  return [...text.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1]!, der: Buffer.from(m[2]!.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'), pem: m[0] }));
}

export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const body = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

const looksLikeDer = (bytes: Uint8Array): boolean => bytes.length > 2 && bytes[0] === 0x30;

/**
 * Reads certificates from whatever a user or a CA hands over: PEM (one or a chain), DER bytes, base64 of DER or
 * of PEM, or a list of those. Returns DER buffers in the order given; refuses anything that does not parse.
 */
export function readCertificates(input: string | Uint8Array | readonly (string | Uint8Array)[]): Buffer[] {
  if (Array.isArray(input)) return (input as readonly (string | Uint8Array)[]).flatMap((x) => readCertificates(x));
  const one = input as string | Uint8Array;
  let ders: Buffer[];
  if (typeof one !== 'string' && looksLikeDer(one)) ders = [Buffer.from(one)];
  else {
    const text = typeof one === 'string' ? one : Buffer.from(one).toString('utf8');
    if (text.includes('-----BEGIN')) {
      const blocks = pemBlocks(text);
      const certs = blocks.filter((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE');
      if (certs.length === 0) throw bad('The text has no CERTIFICATE block.', 'Give PEM with -----BEGIN CERTIFICATE----- blocks, or DER bytes.');
      ders = certs.map((b) => b.der);
    } else if (BASE64.test(text.trim())) {
      const decoded = Buffer.from(text.replace(/\s/g, ''), /[-_]/.test(text) ? 'base64url' : 'base64');
      // base64 of a PEM file is also common (e.g. copied from a portal); unwrap it once.
      return decoded.toString('latin1').includes('-----BEGIN') ? readCertificates(decoded.toString('utf8')) : readCertificates(new Uint8Array(decoded));
    } else throw bad('The certificate is neither PEM, DER nor base64.');
  }
  for (const der of ders) checkParses(der);
  return ders;
}

function checkParses(der: Buffer): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch {
    throw bad('A certificate could not be read: it is not a valid X.509 certificate.');
  }
}

const LABELS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.7': 'L',
  '2.5.4.8': 'S',
  '2.5.4.6': 'C',
  '1.2.840.113549.1.9.1': 'E',
  '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.12': 'T',
  '2.5.4.42': 'G',
  '2.5.4.4': 'SN',
  '2.5.4.17': 'PostalCode',
};

const quoteIfNeeded = (v: string): string => (/[,;+"\\<>=]|^\s|\s$/.test(v) ? `"${v.replace(/(["\\])/g, '\\$1')}"` : v);

/** An RDNSequence → `CN=…, O=…` with the most specific part first (RFC 4514 order; DER holds it root first). */
export function formatName(rdn: forge.asn1.Asn1): { text: string; parts: { type: string; value: string }[] } {
  const parts = pkiExtras.RDNAttributesAsArray(rdn).map((a) => ({ type: LABELS[a.type] ?? `OID.${a.type}`, value: decodeDirectoryString(a.value, a.valueTagClass) }));
  parts.reverse();
  return { text: parts.map((p) => `${p.type}=${quoteIfNeeded(p.value)}`).join(', '), parts };
}

/** The pieces of a certificate we read with forge: names, extensions, signature algorithm. */
function tbsPieces(der: Uint8Array): { issuer: forge.asn1.Asn1; subject: forge.asn1.Asn1; extensions: ForgeExtension[]; signatureOid?: string } {
  const cert = parseAsn1(der);
  const [tbs, sigAlg] = childrenOf(cert);
  const fields = childrenOf(tbs);
  // version [0] is optional (absent for v1 certificates)
  const offset = fields[0] && isContext(fields[0], 0) ? 1 : 0;
  const issuer = fields[offset + 2]!;
  const subject = fields[offset + 4]!;
  const extWrapper = fields.find((f) => isContext(f, 3));
  const extensions = childrenOf(childrenOf(extWrapper)[0]).map((e) => pkiExtras.certificateExtensionFromAsn1(e));
  const oidNode = childrenOf(sigAlg)[0];
  const signatureOid = oidNode ? forge.asn1.derToOid(oidNode.value as string) : undefined;
  return { issuer, subject, extensions, ...(signatureOid ? { signatureOid } : {}) };
}

const UPN_OID = '1.3.6.1.4.1.311.20.2.3';

export function sansOf(extensions: ForgeExtension[]): SubjectAlternativeNames {
  const out: Required<SubjectAlternativeNames> = { dnsNames: [], emails: [], upns: [], uris: [], ipAddresses: [] };
  const san = extensions.find((e) => e.id === '2.5.29.17');
  for (const n of san?.altNames ?? []) {
    if (n.type === 2 && typeof n.value === 'string') out.dnsNames.push(n.value);
    else if (n.type === 1 && typeof n.value === 'string') out.emails.push(n.value);
    else if (n.type === 6 && typeof n.value === 'string') out.uris.push(n.value);
    else if (n.type === 7 && n.ip) out.ipAddresses.push(n.ip);
    else if (n.type === 0 && Array.isArray(n.value)) {
      // otherName: type-id OID, then [0] EXPLICIT value; a UPN's value is a UTF8String.
      const [oid, wrapped] = n.value;
      if (oid && forge.asn1.derToOid(oid.value as string) === UPN_OID) {
        const inner = childrenOf(wrapped)[0];
        if (inner && typeof inner.value === 'string') out.upns.push(decodeDirectoryString(inner.value, inner.type));
      }
    }
  }
  const result: SubjectAlternativeNames = {};
  for (const [k, v] of Object.entries(out) as [keyof SubjectAlternativeNames, string[]][]) if (v.length) result[k] = v;
  return result;
}

// forge's OID table names RSA signatures only.
const ECDSA_SIGNATURES: Record<string, string> = { '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256', '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384', '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512' };

const KEY_USAGE_FLAGS: readonly KeyUsageType[] = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

// OpenSSL's curve names → Key Vault's (JsonWebKeyCurveName).
const CURVE_NAMES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', secp256k1: 'P-256K' };

/** RSA with its size, or EC with Key Vault's curve name. */
export function describePublicKey(key: KeyObject): CertificateDetails['publicKey'] {
  const d = key.asymmetricKeyDetails ?? {};
  return {
    type: key.asymmetricKeyType === 'rsa' ? 'RSA' : key.asymmetricKeyType === 'ec' ? 'EC' : String(key.asymmetricKeyType),
    ...(d.modulusLength ? { size: d.modulusLength } : {}),
    ...(d.namedCurve ? { curve: CURVE_NAMES[d.namedCurve] ?? d.namedCurve } : {}),
  };
}

/** Reads a certificate (DER bytes or PEM text) locally: names, SANs, validity, thumbprints, key usage, key. */
export function certificateDetails(input: Uint8Array | string): CertificateDetails {
  const der = typeof input === 'string' ? readCertificates(input)[0]! : Buffer.from(input);
  const x509 = checkParses(der);
  let pieces: ReturnType<typeof tbsPieces>;
  try {
    pieces = tbsPieces(der);
  } catch {
    throw bad('The certificate could not be decoded.');
  }
  const subject = formatName(pieces.subject);
  const issuer = formatName(pieces.issuer);
  const ku = pieces.extensions.find((e) => e.id === '2.5.29.15');
  const sha1 = createHash('sha1').update(der).digest();
  const cn = subject.parts.find((p) => p.type === 'CN')?.value;
  const details: CertificateDetails = {
    subject: subject.text,
    issuer: issuer.text,
    serialNumber: x509.serialNumber.toUpperCase(),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    thumbprintSha1: sha1.toString('hex').toUpperCase(),
    thumbprintSha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
    x5t: sha1.toString('base64url'),
    subjectAlternativeNames: sansOf(pieces.extensions),
    keyUsage: ku ? KEY_USAGE_FLAGS.filter((f) => ku[f] === true) : [],
    extendedKeyUsage: x509.keyUsage ?? [],
    isCertificateAuthority: x509.ca,
    selfIssued: x509.subject === x509.issuer,
    publicKey: describePublicKey(x509.publicKey),
  };
  if (cn !== undefined) details.commonName = cn;
  if (pieces.signatureOid) details.signatureAlgorithm = ECDSA_SIGNATURES[pieces.signatureOid] ?? (forge.pki.oids as Record<string, string>)[pieces.signatureOid] ?? pieces.signatureOid;
  return details;
}

/** Expired (notAfter in the past) or not yet valid, relative to `now`. */
export function validityState(details: Pick<CertificateDetails, 'notBefore' | 'notAfter'>, now = new Date()): 'valid' | 'expired' | 'not-yet-valid' {
  if (details.notAfter.getTime() < now.getTime()) return 'expired';
  if (details.notBefore.getTime() > now.getTime()) return 'not-yet-valid';
  return 'valid';
}

/**
 * Orders a chain leaf first, each certificate followed by its issuer, as Key Vault's merge and import expect.
 * Certificates that are not part of the path from the leaf keep their relative order at the end.
 */
export function orderChain(ders: readonly Buffer[]): Buffer[] {
  if (ders.length < 2) return [...ders];
  const certs = ders.map((der) => ({ der, x: new X509Certificate(der) }));
  // The leaf is the certificate that issued no other one in the set.
  const leaf = certs.find((c) => !certs.some((o) => o !== c && o.x.checkIssued(c.x) && o.x.subject !== c.x.subject)) ?? certs[0]!;
  const ordered = [leaf];
  let current = leaf;
  for (;;) {
    const issuer = certs.find((c) => !ordered.includes(c) && current.x.checkIssued(c.x));
    if (!issuer) break;
    ordered.push(issuer);
    current = issuer;
  }
  return [...ordered, ...certs.filter((c) => !ordered.includes(c))].map((c) => c.der);
}
