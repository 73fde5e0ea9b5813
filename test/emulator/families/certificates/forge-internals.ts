import forge from 'node-forge';

// node-forge exports these helpers at run time but @types/node-forge does not declare them (or declares a narrower
// signature). Typing them here keeps every cast in one place.

export interface ForgeExtension {
  id: string;
  name?: string;
  critical: boolean;
  value: string | forge.asn1.Asn1;
  altNames?: { type: number; value: string | forge.asn1.Asn1[]; ip?: string }[];
  [flag: string]: unknown;
}

export interface ForgeRdnAttribute {
  type: string;
  value: string;
  valueTagClass: number;
}

interface PkiInternals {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
  getCertificationRequestInfo(csr: forge.pki.CertificateSigningRequest): forge.asn1.Asn1;
  certificateExtensionFromAsn1(ext: forge.asn1.Asn1): ForgeExtension;
  RDNAttributesAsArray(rdn: forge.asn1.Asn1): ForgeRdnAttribute[];
}

interface Asn1Internals {
  fromDer(bytes: string, options: { strict?: boolean; decodeBitStrings?: boolean; parseAllBytes?: boolean }): forge.asn1.Asn1;
}

export const pkiInternals = forge.pki as unknown as PkiInternals;
export const asn1Internals = forge.asn1 as unknown as Asn1Internals;

/** DER bytes (Buffer) ⇄ forge's binary strings. */
export const toBinary = (der: Buffer): string => der.toString('binary');
export const fromBinary = (bytes: string): Buffer => Buffer.from(bytes, 'binary');

/** Parses DER without decoding BIT STRING contents, so that re-encoding gives back the same bytes. */
export function parseDer(der: Buffer): forge.asn1.Asn1 {
  return asn1Internals.fromDer(toBinary(der), { strict: true, decodeBitStrings: false, parseAllBytes: true });
}

export const encodeDer = (node: forge.asn1.Asn1): Buffer => fromBinary(forge.asn1.toDer(node).getBytes());

export const children = (node: forge.asn1.Asn1): forge.asn1.Asn1[] => (Array.isArray(node.value) ? node.value : []);
