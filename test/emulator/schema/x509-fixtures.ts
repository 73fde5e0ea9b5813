import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/** Real X.509 material for the fidelity tests (node-forge, the project's X.509/PKCS library): PFX, PEM, CSR signing. */

/** A node-crypto RSA key as a node-forge key (forge's own key generation is slow). */
function forgeKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ format: 'pem', type: 'pkcs1' }).toString()) as forge.pki.rsa.PrivateKey;
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

function selfSigned(cn: string): { cert: forge.pki.Certificate; privateKey: forge.pki.rsa.PrivateKey } {
  const keys = forgeKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  const attrs = [{ name: 'commonName', value: cn }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert, privateKey: keys.privateKey };
}

export function makePfx(password: string, cn = 'import-pfx.contoso.test'): Uint8Array {
  const { cert, privateKey } = selfSigned(cn);
  const p12 = forge.pkcs12.toPkcs12Asn1(privateKey, [cert], password, { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}

export function makePem(): string {
  const { cert, privateKey } = selfSigned('import-pem.contoso.test');
  return `${forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(privateKey)))}${forge.pki.certificateToPem(cert)}`;
}

/** Issues a certificate for a CSR from our own throwaway CA, as an external issuer would. */
export function signCsr(csrDer: Uint8Array): Uint8Array {
  const csr = forge.pki.certificationRequestFromAsn1(forge.asn1.fromDer(Buffer.from(csrDer).toString('binary')));
  const ca = selfSigned('Fidelity Test CA');
  const cert = forge.pki.createCertificate();
  cert.publicKey = csr.publicKey as forge.pki.rsa.PublicKey;
  cert.serialNumber = `02${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 90 * 86_400_000);
  cert.setSubject(csr.subject.attributes);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.sign(ca.privateKey, forge.md.sha256.create());
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
}

/** A self-signed certificate (DER) for a key nobody else has: merging it must fail the public-key match. */
export function selfSignedDer(cn: string): Uint8Array {
  const { cert } = selfSigned(cn);
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
}
