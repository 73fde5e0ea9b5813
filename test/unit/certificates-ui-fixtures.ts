// Certificate material for the certificate UI tests (unit and extension host): a local CA, leaf certificates, PFX
// and PEM bundles, CSRs, and a CA that signs a CSR. RSA keys come from node:crypto (forge's key generation is slow).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export type RsaKey = forge.pki.rsa.PrivateKey;

export function rsaKey(bits = 2048): RsaKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()) as RsaKey;
}

const publicOf = (k: RsaKey): forge.pki.rsa.PublicKey => forge.pki.setRsaPublicKey(k.n, k.e);

export interface IssueOptions {
  subject?: forge.pki.CertificateField[];
  dnsNames?: string[];
  notBefore?: Date;
  notAfter?: Date;
  ca?: boolean;
  /** Signs with this issuer (else self-signed). */
  issuer?: { key: RsaKey; cert: forge.pki.Certificate };
  publicKey?: forge.pki.PublicKey;
}

export function issue(cn: string, key: RsaKey, o: IssueOptions = {}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = o.publicKey ?? publicOf(key);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = o.notBefore ?? new Date(Date.now() - 60_000);
  cert.validity.notAfter = o.notAfter ?? new Date(Date.now() + 90 * 86400_000);
  const subject = o.subject ?? [{ shortName: 'CN', value: cn }];
  cert.setSubject(subject);
  cert.setIssuer(o.issuer ? o.issuer.cert.subject.attributes : subject);
  const extensions: object[] = [{ name: 'basicConstraints', cA: o.ca === true }];
  if (o.ca) extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true });
  else extensions.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true }, { name: 'extKeyUsage', serverAuth: true });
  if (o.dnsNames?.length) extensions.push({ name: 'subjectAltName', altNames: o.dnsNames.map((value) => ({ type: 2, value })) });
  cert.setExtensions(extensions);
  cert.sign(o.issuer?.key ?? key, forge.md.sha256.create());
  return cert;
}

export const derOf = (c: forge.pki.Certificate): Buffer => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes(), 'binary');
export const pemOf = (c: forge.pki.Certificate): string => forge.pki.certificateToPem(c);
export const keyPemOf = (k: RsaKey): string => forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(k)));

export function pfxOf(key: RsaKey, certs: forge.pki.Certificate[], password: string | null): Uint8Array {
  return new Uint8Array(Buffer.from(forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(key, certs, password, { algorithm: '3des' })).getBytes(), 'binary'));
}

export function csrOf(key: RsaKey, cn: string, dnsNames: string[] = []): string {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = publicOf(key);
  csr.setSubject([{ shortName: 'CN', value: cn }]);
  if (dnsNames.length) csr.setAttributes([{ name: 'extensionRequest', extensions: [{ name: 'subjectAltName', altNames: dnsNames.map((value) => ({ type: 2, value })) }] }]);
  csr.sign(key, forge.md.sha256.create());
  return forge.pki.certificationRequestToPem(csr);
}

/** A local CA: makes its own root and signs CSRs (RSA), copying the requested subject and SANs. */
export class LocalCa {
  readonly key = rsaKey();
  readonly cert = issue('Key Vault Explorer Test CA', this.key, { ca: true, notAfter: new Date(Date.now() + 365 * 86400_000) });

  sign(csrPem: string, days = 90): forge.pki.Certificate {
    const csr = forge.pki.certificationRequestFromPem(csrPem);
    if (!csr.verify()) throw new Error('the CSR signature does not verify');
    const ext = (csr.getAttribute({ name: 'extensionRequest' }) as { extensions?: { name: string; altNames?: { type: number; value: string }[] }[] } | null)?.extensions ?? [];
    const san = ext.find((e) => e.name === 'subjectAltName');
    return issue('', this.key, {
      subject: csr.subject.attributes,
      dnsNames: (san?.altNames ?? []).filter((n) => n.type === 2).map((n) => n.value),
      issuer: { key: this.key, cert: this.cert },
      publicKey: csr.publicKey as forge.pki.PublicKey,
      notAfter: new Date(Date.now() + days * 86400_000),
    });
  }
}
