import { createPublicKey } from 'node:crypto';
import forge from 'node-forge';
import { KeyVaultError } from '../errors';
import type { SubjectAlternativeNames } from '../models/certificates';
import { childrenOf, fromBinary, isContext, parseAsn1, pkiExtras } from './forge';
import { describePublicKey, formatName, pemBlocks, sansOf, toPem, type CertificateDetails } from './x509';

/** What a pending certificate's signing request asks for, read locally. */
export interface CsrDetails {
  subject: string;
  subjectAlternativeNames: SubjectAlternativeNames;
  publicKey: CertificateDetails['publicKey'];
}

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';

/** The operation's CSR (DER bytes) as the PEM a CA asks for (`-----BEGIN CERTIFICATE REQUEST-----`). */
export function csrToPem(csr: Uint8Array): string {
  if (csr.length === 0) throw new KeyVaultError({ kind: 'bad-request', message: 'The operation has no certificate signing request.' });
  return toPem(csr, 'CERTIFICATE REQUEST');
}

/** PEM (either label) or DER → DER. */
export function csrFromPem(input: string | Uint8Array): Buffer {
  if (typeof input !== 'string') return Buffer.from(input);
  const block = pemBlocks(input).find((b) => b.label === 'CERTIFICATE REQUEST' || b.label === 'NEW CERTIFICATE REQUEST');
  if (!block) throw new KeyVaultError({ kind: 'bad-request', message: 'The text has no CERTIFICATE REQUEST block.' });
  return block.der;
}

/**
 * Subject, SANs and key of a PKCS#10 request, for RSA and EC keys alike (forge's own CSR reader handles RSA only,
 * so the request is taken apart with its ASN.1 reader).
 */
export function csrDetails(input: string | Uint8Array): CsrDetails {
  const der = csrFromPem(input);
  try {
    const [info] = childrenOf(parseAsn1(der));
    const [, subject, spki, attributes] = childrenOf(info);
    const key = createPublicKey({ key: fromBinary(forge.asn1.toDer(spki!).getBytes()), format: 'der', type: 'spki' });
    let sans: SubjectAlternativeNames = {};
    if (attributes && isContext(attributes, 0)) {
      for (const attr of childrenOf(attributes)) {
        const [oid, values] = childrenOf(attr);
        if (oid && forge.asn1.derToOid(oid.value as string) === EXTENSION_REQUEST) {
          const extensions = childrenOf(values)[0];
          sans = sansOf(childrenOf(extensions).map((e) => pkiExtras.certificateExtensionFromAsn1(e)));
        }
      }
    }
    return {
      subject: formatName(subject!).text,
      subjectAlternativeNames: sans,
      publicKey: describePublicKey(key),
    };
  } catch (err) {
    if (err instanceof KeyVaultError) throw err;
    throw new KeyVaultError({ kind: 'bad-request', message: 'The certificate signing request could not be read.' });
  }
}
