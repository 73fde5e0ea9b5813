import forge from 'node-forge';

// node-forge parses X.509 with RSA keys only (certificateFromAsn1 throws for EC), so we take certificates apart with
// its ASN.1 reader and hand the pieces to its public, but untyped, decoders below. Keeping the casts here.

export interface ForgeExtension {
  id: string;
  name?: string;
  critical?: boolean;
  altNames?: { type: number; value: string | forge.asn1.Asn1[]; ip?: string }[];
  [flag: string]: unknown;
}

export interface ForgeRdnAttribute {
  type: string;
  value: string;
  valueTagClass: number;
  shortName?: string;
}

interface ForgePkiExtras {
  /** One Extension SEQUENCE (extnID, critical, extnValue) → forge's decoded form (SANs, key usage flags, …). */
  certificateExtensionFromAsn1(ext: forge.asn1.Asn1): ForgeExtension;
  RDNAttributesAsArray(rdn: forge.asn1.Asn1): ForgeRdnAttribute[];
}

// Read forge.pki at call time, not here: node-forge loads at first use, not when the extension starts (esbuild.js).
const pki = (): ForgePkiExtras => forge.pki as unknown as ForgePkiExtras;
export const pkiExtras: ForgePkiExtras = {
  certificateExtensionFromAsn1: (ext) => pki().certificateExtensionFromAsn1(ext),
  RDNAttributesAsArray: (rdn) => pki().RDNAttributesAsArray(rdn),
};

export const toBinary = (bytes: Uint8Array): string => Buffer.from(bytes).toString('binary');
export const fromBinary = (bytes: string): Buffer => Buffer.from(bytes, 'binary');

export function parseAsn1(der: Uint8Array): forge.asn1.Asn1 {
  // strict: lengths must be exact; forge also refuses trailing bytes by default.
  return forge.asn1.fromDer(toBinary(der), true);
}

export const childrenOf = (node: forge.asn1.Asn1 | undefined): forge.asn1.Asn1[] => (node && Array.isArray(node.value) ? node.value : []);

export const isContext = (node: forge.asn1.Asn1, tag: number): boolean => node.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && node.type === tag;

/** Directory string bytes → text (UTF8String and BMPString need decoding; the rest are ASCII). */
export function decodeDirectoryString(value: string, tag: number): string {
  if (tag === forge.asn1.Type.UTF8) return forge.util.decodeUtf8(value);
  if (tag === forge.asn1.Type.BMPSTRING) {
    let out = '';
    for (let i = 0; i + 1 < value.length; i += 2) out += String.fromCharCode((value.charCodeAt(i) << 8) | value.charCodeAt(i + 1));
    return out;
  }
  return value;
}
