import { createHash, createPublicKey, generateKeyPair, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { badParameter } from '../../core/errors';
import { children, encodeDer, parseDer, pkiInternals, toBinary, type ForgeExtension } from './forge-internals';
import { formatDistinguishedName, valueTagOf, type DnAttribute, type SubjectAlternativeNames } from './names';

// Certificates are built with node-forge's X.509 and PKCS#10 structures and signed with node:crypto. forge only
// knows RSA public keys, so the subjectPublicKeyInfo it would write is replaced by the one node exports (RSA or
// EC alike), and the signature is made by node — which also keeps RSA 4096 and every EC curve fast.

const generateKeyPairAsync = promisify(generateKeyPair);

export type CurveName = 'P-256' | 'P-384' | 'P-521' | 'P-256K';

const CURVES: Record<CurveName, { node: string; bits: number; hash: 'sha256' | 'sha384' | 'sha512' }> = {
  'P-256': { node: 'prime256v1', bits: 256, hash: 'sha256' },
  'P-384': { node: 'secp384r1', bits: 384, hash: 'sha384' },
  'P-521': { node: 'secp521r1', bits: 521, hash: 'sha512' },
  'P-256K': { node: 'secp256k1', bits: 256, hash: 'sha256' },
};
export const CURVE_NAMES = Object.keys(CURVES) as CurveName[];
export const curveBits = (crv: CurveName): number => CURVES[crv].bits;
export const RSA_KEY_SIZES = [2048, 3072, 4096];

export interface KeyShape {
  kty: 'RSA' | 'EC';
  keySize?: number;
  crv?: CurveName;
}

export async function generatePrivateKey(shape: KeyShape): Promise<KeyObject> {
  if (shape.kty === 'RSA') return (await generateKeyPairAsync('rsa', { modulusLength: shape.keySize ?? 2048 })).privateKey;
  return (await generateKeyPairAsync('ec', { namedCurve: CURVES[shape.crv ?? 'P-256'].node })).privateKey;
}

/** Key type, size and curve of a private or public key; other key types are refused. */
export function keyShapeOf(key: KeyObject): KeyShape {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return { kty: 'RSA', keySize: details.modulusLength ?? 0 };
  if (key.asymmetricKeyType === 'ec') {
    const crv = CURVE_NAMES.find((c) => CURVES[c].node === details.namedCurve);
    if (crv) return { kty: 'EC', crv, keySize: CURVES[crv].bits };
    throw badParameter(`The elliptic curve '${details.namedCurve ?? 'unknown'}' is not supported. Supported curves: ${CURVE_NAMES.join(', ')}.`);
  }
  throw badParameter(`Key type '${key.asymmetricKeyType ?? 'unknown'}' is not supported for certificates; use RSA or EC keys.`);
}

/** SubjectPublicKeyInfo DER of a public key, or of a private key's public half. */
export const spkiDer = (key: KeyObject): Buffer => (key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' });
export const sameKey = (a: KeyObject, b: KeyObject): boolean => spkiDer(a).equals(spkiDer(b));

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey bits. */
export function subjectKeyIdentifier(publicKey: KeyObject): Buffer {
  const shape = keyShapeOf(publicKey);
  let bits: Buffer;
  if (shape.kty === 'RSA') {
    bits = publicKey.export({ type: 'pkcs1', format: 'der' });
  } else {
    const jwk = publicKey.export({ format: 'jwk' });
    bits = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  }
  return createHash('sha1').update(bits).digest();
}

interface SignatureAlgorithm {
  oid: string;
  hash: string;
  /** ECDSA AlgorithmIdentifiers carry no parameters (RFC 5758); RSA ones carry NULL. */
  ecdsa: boolean;
}

function signatureAlgorithm(signer: KeyObject): SignatureAlgorithm {
  const shape = keyShapeOf(signer);
  if (shape.kty === 'RSA') return { oid: forge.pki.oids.sha256WithRSAEncryption!, hash: 'sha256', ecdsa: false };
  const hash = CURVES[shape.crv!].hash;
  const oid = { sha256: '1.2.840.10045.4.3.2', sha384: '1.2.840.10045.4.3.3', sha512: '1.2.840.10045.4.3.4' }[hash];
  return { oid, hash, ecdsa: true };
}

/** forge writes a NULL parameter into every non-PSS AlgorithmIdentifier; ECDSA ones must have none. */
function dropParameters(algorithmIdentifier: forge.asn1.Asn1): void {
  const parts = children(algorithmIdentifier);
  if (parts.length > 1 && parts[1]!.type === forge.asn1.Type.NULL) parts.splice(1);
}

/** Placeholder RSA key so forge can lay out structures; its subjectPublicKeyInfo is replaced before signing. */
const PLACEHOLDER_KEY = forge.pki.setRsaPublicKey(new forge.jsbn.BigInteger('3'), new forge.jsbn.BigInteger('65537'));

function forgeName(attributes: readonly DnAttribute[]): forge.pki.CertificateField[] {
  const tags = { utf8: forge.asn1.Type.UTF8, printable: forge.asn1.Type.PRINTABLESTRING, ia5: forge.asn1.Type.IA5STRING };
  return attributes.map((a) => ({ type: a.oid, value: a.value, valueTagClass: tags[valueTagOf(a.oid)] }) as unknown as forge.pki.CertificateField);
}

const UPN_OID = '1.3.6.1.4.1.311.20.2.3';

// forge.util.bytesFromIP exists at run time but is missing from @types/node-forge.
const ipBytes = (ip: string): string => (forge.util as unknown as { bytesFromIP(ip: string): string | null }).bytesFromIP(ip) ?? '';

/** GeneralNames for the SAN extension: forge encodes dNSName/rfc822Name/URI/IP but not the otherName a UPN needs. */
function generalNames(sans: SubjectAlternativeNames): forge.asn1.Asn1 {
  const { asn1 } = forge;
  const tagged = (tag: number, bytes: string) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, false, bytes);
  const names: forge.asn1.Asn1[] = [
    ...(sans.emails ?? []).map((e) => tagged(1, e)),
    ...(sans.dns_names ?? []).map((d) => tagged(2, d)),
    ...(sans.uris ?? []).map((u) => tagged(6, u)),
    ...(sans.ipAddresses ?? []).map((ip) => tagged(7, ipBytes(ip))),
    ...(sans.upns ?? []).map((upn) =>
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(UPN_OID).getBytes()),
        asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, forge.util.encodeUtf8(upn))]),
      ]),
    ),
  ];
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, names);
}

export const KEY_USAGES = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'] as const;

/** What goes into a certificate or a CSR besides the key: the policy's x509_props. */
export interface CertificateProfile {
  subject: DnAttribute[];
  sans: SubjectAlternativeNames;
  keyUsage: string[];
  ekus: string[];
  /** Issuing CA certificates get basicConstraints cA=true. */
  ca?: boolean;
}

function profileExtensions(profile: CertificateProfile): ForgeExtension[] {
  const exts: Record<string, unknown>[] = [];
  if (profile.keyUsage.length > 0) exts.push({ name: 'keyUsage', critical: true, ...Object.fromEntries(profile.keyUsage.map((u) => [u, true])) });
  exts.push({ name: 'basicConstraints', cA: Boolean(profile.ca), ...(profile.ca ? { critical: true } : {}) });
  // forge looks EKU keys up in its OID table, so known OIDs must be given by their forge name.
  const ekuKey = (oid: string): string => (forge.pki.oids[oid] as string | undefined) ?? oid;
  if (profile.ekus.length > 0) exts.push({ name: 'extKeyUsage', ...Object.fromEntries(profile.ekus.map((oid) => [ekuKey(oid), true])) });
  const sansPresent = Object.values(profile.sans).some((l) => Array.isArray(l) && l.length > 0);
  // Without a subject the SAN extension must be critical (RFC 5280 4.2.1.6).
  if (sansPresent) exts.push({ name: 'subjectAltName', id: '2.5.29.17', critical: profile.subject.length === 0, value: generalNames(profile.sans) });
  return exts as unknown as ForgeExtension[];
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  // Positive and minimally encoded: top bit clear, first byte non-zero.
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return bytes.toString('hex');
}

export interface IssueInput {
  profile: CertificateProfile;
  /** The certified public key. */
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  /** Issuer name and key; omit for a self-signed certificate (signed with `selfKey`). */
  issuer?: { name: DnAttribute[]; privateKey: KeyObject; publicKey: KeyObject };
  selfKey?: KeyObject;
}

/** Builds and signs an X.509 v3 certificate; returns its DER. */
export function issueCertificate(input: IssueInput): Buffer {
  const signer = input.issuer?.privateKey ?? input.selfKey;
  if (!signer) throw new Error('issueCertificate needs an issuer or the self-signing key');
  const issuerPublic = input.issuer?.publicKey ?? input.publicKey;
  const algorithm = signatureAlgorithm(signer);

  const cert = forge.pki.createCertificate();
  cert.publicKey = PLACEHOLDER_KEY;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = input.notBefore;
  cert.validity.notAfter = input.notAfter;
  cert.setSubject(forgeName(input.profile.subject));
  cert.setIssuer(forgeName(input.issuer?.name ?? input.profile.subject));
  const ski = subjectKeyIdentifier(input.publicKey);
  const aki = subjectKeyIdentifier(issuerPublic);
  cert.setExtensions([
    ...profileExtensions(input.profile),
    { name: 'authorityKeyIdentifier', keyIdentifier: toBinary(aki) },
    { name: 'subjectKeyIdentifier', value: forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OCTETSTRING, false, toBinary(ski)) },
  ]);
  cert.siginfo.algorithmOid = algorithm.oid;
  cert.signatureOid = algorithm.oid;

  const tbs = pkiInternals.getTBSCertificate(cert);
  const fields = children(tbs);
  // [0] version, serial, signature, issuer, validity, subject, subjectPublicKeyInfo, [3] extensions
  fields[6] = parseDer(spkiDer(input.publicKey));
  if (algorithm.ecdsa) dropParameters(fields[2]!);
  const signature = sign(algorithm.hash, encodeDer(tbs), signer);
  const full = forge.pki.certificateToAsn1({ tbsCertificate: tbs, signatureOid: algorithm.oid, signatureParameters: undefined, signature: toBinary(signature) } as unknown as forge.pki.Certificate);
  if (algorithm.ecdsa) dropParameters(children(full)[1]!);
  return encodeDer(full);
}

/** Builds a PKCS#10 request signed with the pending key; returns its DER. */
export function createCsr(profile: CertificateProfile, privateKey: KeyObject, publicKey: KeyObject): Buffer {
  const algorithm = signatureAlgorithm(privateKey);
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = PLACEHOLDER_KEY;
  csr.setSubject(forgeName(profile.subject));
  csr.setAttributes([{ name: 'extensionRequest', extensions: profileExtensions(profile) } as unknown as forge.pki.CertificateField]);
  const info = pkiInternals.getCertificationRequestInfo(csr);
  // version, subject, subjectPublicKeyInfo, [0] attributes
  children(info)[2] = parseDer(spkiDer(publicKey));
  const signature = sign(algorithm.hash, encodeDer(info), privateKey);
  const full = forge.pki.certificationRequestToAsn1({ certificationRequestInfo: info, signatureOid: algorithm.oid, signatureParameters: undefined, signature: toBinary(signature) } as unknown as forge.pki.CertificateSigningRequest);
  if (algorithm.ecdsa) dropParameters(children(full)[1]!);
  return encodeDer(full);
}

/** What the emulator needs to know about a certificate it stores or imports. */
export interface CertificateDetails {
  der: Buffer;
  x509: X509Certificate;
  subject: DnAttribute[];
  subjectText: string;
  issuerText: string;
  sans: SubjectAlternativeNames;
  keyUsage: string[];
  ekus: string[];
  notBefore: number;
  notAfter: number;
  publicKey: KeyObject;
}

function readName(node: forge.asn1.Asn1): DnAttribute[] {
  return pkiInternals.RDNAttributesAsArray(node).map((a) => ({
    oid: a.type,
    value: a.valueTagClass === forge.asn1.Type.UTF8 ? forge.util.decodeUtf8(a.value) : a.value,
  }));
}

function readSans(ext: ForgeExtension): SubjectAlternativeNames {
  const sans: Required<SubjectAlternativeNames> = { dns_names: [], emails: [], upns: [], uris: [], ipAddresses: [] };
  for (const name of ext.altNames ?? []) {
    if (name.type === 1 && typeof name.value === 'string') sans.emails.push(name.value);
    else if (name.type === 2 && typeof name.value === 'string') sans.dns_names.push(name.value);
    else if (name.type === 6 && typeof name.value === 'string') sans.uris.push(name.value);
    else if (name.type === 7 && name.ip) sans.ipAddresses.push(name.ip);
    else if (name.type === 0 && Array.isArray(name.value)) {
      const [oid, wrapped] = name.value;
      const inner = wrapped ? children(wrapped)[0] : undefined;
      if (oid && typeof oid.value === 'string' && forge.asn1.derToOid(oid.value) === UPN_OID && inner && typeof inner.value === 'string') {
        sans.upns.push(forge.util.decodeUtf8(inner.value));
      }
    }
  }
  return Object.fromEntries(Object.entries(sans).filter(([, list]) => list.length > 0));
}

/** Parses a DER certificate (any key type node supports); throws 400 when it is not one. */
export function readCertificate(der: Buffer): CertificateDetails {
  let x509: X509Certificate;
  let tbsFields: forge.asn1.Asn1[];
  try {
    x509 = new X509Certificate(der);
    tbsFields = children(children(parseDer(der))[0]!);
  } catch {
    throw badParameter('The certificate is not a valid DER-encoded X.509 certificate.');
  }
  const offset = tbsFields[0]?.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const subject = readName(tbsFields[offset + 4]!);
  const extensionsNode = tbsFields.find((f) => f.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && f.type === 3);
  const extensions = extensionsNode ? children(children(extensionsNode)[0]!).map((e) => pkiInternals.certificateExtensionFromAsn1(e)) : [];
  const sanExt = extensions.find((e) => e.id === '2.5.29.17');
  const kuExt = extensions.find((e) => e.id === '2.5.29.15');
  return {
    der,
    x509,
    subject,
    subjectText: formatDistinguishedName(subject),
    issuerText: formatDistinguishedName(readName(tbsFields[offset + 2]!)),
    sans: sanExt ? readSans(sanExt) : {},
    keyUsage: kuExt ? KEY_USAGES.filter((u) => kuExt[u] === true) : [],
    ekus: x509.keyUsage ?? [],
    notBefore: Math.floor(Date.parse(x509.validFrom) / 1000),
    notAfter: Math.floor(Date.parse(x509.validTo) / 1000),
    publicKey: x509.publicKey,
  };
}

/** x5t: base64url SHA-1 of the DER, as Key Vault returns it. */
export const thumbprint = (der: Buffer): string => createHash('sha1').update(der).digest('base64url');

export function pemBlock(label: string, der: Buffer): string {
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}
