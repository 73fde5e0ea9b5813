import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { badParameter } from '../../core/errors';
import { encodeDer, parseDer, toBinary } from './forge-internals';
import { pemBlock, readCertificate, sameKey } from './x509';

export const PKCS12 = 'application/x-pkcs12';
export const PEM = 'application/x-pem-file';
export type SecretContentType = typeof PKCS12 | typeof PEM;

/** A private key (when the file carries one) and certificates in file order, as DER. */
export interface KeyAndCertificates {
  key?: KeyObject;
  certs: Buffer[];
}

const { asn1 } = forge;
const seq = (items: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
const oid = (id: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
const octets = (bytes: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes);
const explicit0 = (inner: forge.asn1.Asn1) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [inner]);
const dataContentInfo = (content: forge.asn1.Asn1) => seq([oid(forge.pki.oids.data!), explicit0(octets(asn1.toDer(content).getBytes()))]);

/**
 * Writes a PKCS#12 file. forge's own writer (pkcs12.toPkcs12Asn1) takes only forge RSA keys and re-encodes the
 * certificates, so the same layout it produces — certificate bags, a key bag (shrouded with PBES2/AES when there is
 * a password), a localKeyId pairing the leaf with the key, a SHA-1 HMAC — is assembled from forge's ASN.1, PBE and
 * MAC primitives around node's PKCS#8 and the certificates' DER, unchanged. Without a password the key bag is plain
 * and the MAC uses the empty password, as Key Vault's certificate secrets are.
 */
export function writePfx(material: KeyAndCertificates, password: string | null = null): Buffer {
  const localKeyId = material.certs[0] ? createHash('sha1').update(material.certs[0]).digest() : undefined;
  const bagAttributes = localKeyId
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [
        seq([oid(forge.pki.oids.localKeyId!), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [octets(toBinary(localKeyId))])]),
      ])
    : undefined;
  const withAttributes = (parts: forge.asn1.Asn1[], attrs: forge.asn1.Asn1 | undefined) => seq(attrs ? [...parts, attrs] : parts);

  const contents: forge.asn1.Asn1[] = [];
  if (material.certs.length > 0) {
    const certBags = material.certs.map((der, i) =>
      withAttributes([oid(forge.pki.oids.certBag!), explicit0(seq([oid(forge.pki.oids.x509Certificate!), explicit0(octets(toBinary(der)))]))], i === 0 ? bagAttributes : undefined),
    );
    contents.push(dataContentInfo(seq(certBags)));
  }
  if (material.key) {
    const privateKeyInfo = parseDer(material.key.export({ type: 'pkcs8', format: 'der' }));
    const keyBag =
      password === null
        ? withAttributes([oid(forge.pki.oids.keyBag!), explicit0(privateKeyInfo)], bagAttributes)
        : withAttributes([oid(forge.pki.oids.pkcs8ShroudedKeyBag!), explicit0(forge.pki.encryptPrivateKeyInfo(privateKeyInfo, password, { algorithm: 'aes256' }))], bagAttributes);
    contents.push(dataContentInfo(seq([keyBag])));
  }
  const authenticatedSafe = seq(contents);

  const salt = forge.random.getBytesSync(8);
  const iterations = 2048;
  const macKey = forge.pkcs12.generateKey(password, forge.util.createBuffer(salt), 3, iterations, 20);
  const hmac = forge.hmac.create();
  hmac.start('sha1', macKey);
  hmac.update(asn1.toDer(authenticatedSafe).getBytes());
  const macData = seq([
    seq([seq([oid(forge.pki.oids.sha1!), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]), octets(hmac.digest().getBytes())]),
    octets(salt),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(iterations).getBytes()),
  ]);
  const pfx = seq([asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(3).getBytes()), dataContentInfo(authenticatedSafe), macData]);
  return encodeDer(pfx);
}

const wrongPassword = (): Error =>
  badParameter('The PFX could not be opened: the password (pwd) is wrong, or the file is protected and no password was given.');

function openPkcs12(der: Buffer, password: string | undefined): forge.pkcs12.Pkcs12Pfx {
  let parsed: forge.asn1.Asn1;
  try {
    parsed = forge.asn1.fromDer(toBinary(der), true);
  } catch {
    throw badParameter('The certificate content is neither a PKCS#12 (PFX) file nor PEM: it could not be parsed.');
  }
  // An unprotected file's MAC may have been made with the empty or with the absent password; try both.
  const attempts = password !== undefined && password !== '' ? [password] : [undefined, ''];
  let lastError: unknown;
  for (const attempt of attempts) {
    try {
      return forge.pkcs12.pkcs12FromAsn1(parsed, false, attempt as string);
    } catch (err) {
      lastError = err;
    }
  }
  const message = lastError instanceof Error ? lastError.message : '';
  if (/MAC could not be verified|password|decrypt/i.test(message)) throw wrongPassword();
  throw badParameter(`The PKCS#12 (PFX) file could not be read: ${message || 'unsupported content'}.`);
}

/** Reads the key and certificates of a PFX; RSA and EC keys and certificates alike. */
export function readPfx(der: Buffer, password?: string): KeyAndCertificates {
  const p12 = openPkcs12(der, password);
  const out: KeyAndCertificates = { certs: [] };
  for (const safe of p12.safeContents) {
    for (const bag of safe.safeBags) {
      if (bag.type === forge.pki.oids.certBag) {
        // forge keeps certificates with keys it cannot model (EC) as raw ASN.1.
        const node = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
        out.certs.push(encodeDer(node));
      } else if (bag.type === forge.pki.oids.keyBag || bag.type === forge.pki.oids.pkcs8ShroudedKeyBag) {
        const node = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1;
        if (!out.key) {
          try {
            out.key = createPrivateKey({ key: encodeDer(node), format: 'der', type: 'pkcs8' });
          } catch {
            throw badParameter('The private key in the PFX is not a valid PKCS#8 RSA or EC key.');
          }
        }
      }
    }
  }
  return out;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Reads PEM text holding certificates and a private key, in any order (encrypted keys need the password). */
export function readPem(text: string, password?: string): KeyAndCertificates {
  const out: KeyAndCertificates = { certs: [] };
  let blocks = 0;
  for (const match of text.matchAll(PEM_BLOCK)) {
    blocks++;
    const label = match[1]!;
    if (label === 'CERTIFICATE') {
      out.certs.push(Buffer.from(match[2]!.replace(/\s+/g, ''), 'base64'));
    } else if (/PRIVATE KEY$/.test(label) && !out.key) {
      try {
        out.key = createPrivateKey({ key: match[0], format: 'pem', ...(password ? { passphrase: password } : {}) });
      } catch (err) {
        const message = err instanceof Error ? err.message : '';
        if (/passphrase|decrypt/i.test(message)) throw badParameter('The private key in the PEM content is encrypted and the password (pwd) is missing or wrong.');
        throw badParameter(`The private key in the PEM content is not valid: ${message}`);
      }
    }
  }
  if (blocks === 0) throw badParameter('The PEM content has no -----BEGIN ...----- blocks.');
  return out;
}

export function writePem(material: KeyAndCertificates): string {
  const key = material.key ? (material.key.export({ type: 'pkcs8', format: 'pem' }) as string) : '';
  return key + material.certs.map((der) => pemBlock('CERTIFICATE', der)).join('');
}

/** Decodes an import or secret value: PEM text, base64 of PEM text, or base64 of a PFX. */
export function decodeCertificateValue(value: string, password?: string): KeyAndCertificates & { format: SecretContentType } {
  const trimmed = value.trim();
  if (trimmed.startsWith('-----BEGIN') || trimmed.includes('\n-----BEGIN')) return { ...readPem(trimmed, password), format: PEM };
  if (!/^[A-Za-z0-9+/=_\s-]+$/.test(trimmed)) throw badParameter('The certificate value must be a base64-encoded PFX or PEM text.');
  const bytes = Buffer.from(trimmed, 'base64');
  if (bytes.length === 0) throw badParameter('The certificate value is empty.');
  const text = bytes.toString('latin1');
  if (text.trimStart().startsWith('-----BEGIN')) return { ...readPem(text, password), format: PEM };
  return { ...readPfx(bytes, password), format: PKCS12 };
}

/**
 * Finds the leaf (the certificate of the private key) and orders the chain leaf-first, unless the caller asked
 * to keep the file's order. Refuses files without a key, without certificates, or whose key fits none of them.
 */
export function pairKeyWithChain(material: KeyAndCertificates, preserveOrder = false): { key: KeyObject; leaf: Buffer; chain: Buffer[] } {
  if (material.certs.length === 0) throw badParameter('The certificate content has no X.509 certificate.');
  if (!material.key) throw badParameter('The certificate content has no private key. Import needs the certificate together with its private key.');
  const key = material.key;
  const leafIndex = material.certs.findIndex((der) => sameKey(readCertificate(der).publicKey, key));
  if (leafIndex < 0) throw badParameter("The private key does not match the certificate: no certificate in the content has the private key's public key.");
  const leaf = material.certs[leafIndex]!;
  const chain = preserveOrder ? material.certs : [leaf, ...material.certs.filter((_, i) => i !== leafIndex)];
  return { key, leaf, chain };
}

/** Writes a certificate secret value in the given content type (PFX as base64). */
export function encodeSecretValue(material: KeyAndCertificates, contentType: SecretContentType): string {
  return contentType === PEM ? writePem(material) : writePfx(material).toString('base64');
}

/** Converts a certificate-backed secret value between PFX (base64) and PEM, for GET secret ?outContentType=. */
export function convertCertificateSecret(value: string, fromContentType: string | undefined, toContentType: string): string {
  if (toContentType !== PKCS12 && toContentType !== PEM) throw badParameter(`Content type '${toContentType}' is not supported; use ${PKCS12} or ${PEM}.`);
  const decoded = decodeCertificateValue(value);
  if ((fromContentType ?? decoded.format) === toContentType && decoded.format === toContentType) return value;
  return encodeSecretValue(decoded, toContentType);
}
