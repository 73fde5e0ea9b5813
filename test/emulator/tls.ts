import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

export interface TlsMaterial {
  caCertPem: string;
  caKeyPem: string;
  certPem: string;
  keyPem: string;
}

function rsaPair(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey; privatePem: string } {
  // Node generates keys natively; forge's pure-JS generation would cost seconds per start.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(privatePem) as forge.pki.rsa.PrivateKey;
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), privatePem };
}

const serial = (): string => '01' + randomBytes(15).toString('hex');

interface CaMaterial {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
  keyPem: string;
}

const caSubject = [
  { name: 'commonName', value: 'Key Vault Emulator Local CA' },
  { name: 'organizationName', value: 'Azure Key Vault Explorer (test)' },
];

function createCa(): CaMaterial {
  const ca = rsaPair();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.publicKey;
  caCert.serialNumber = serial();
  caCert.validity.notBefore = new Date(Date.now() - 60_000);
  caCert.validity.notAfter = new Date(Date.now() + 365 * 86400_000);
  caCert.setSubject(caSubject);
  caCert.setIssuer(caSubject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());
  return { cert: caCert, key: ca.privateKey, keyPem: ca.privatePem };
}

/**
 * Loads the CA kept in `dir` (ca.pem + ca-key.pem), creating it on first use. A stable CA lets test processes
 * trust the emulator through NODE_EXTRA_CA_CERTS, which Node reads only at start-up.
 */
export function loadOrCreateCa(dir: string): { caCertFile: string } {
  mkdirSync(dir, { recursive: true });
  const certFile = join(dir, 'ca.pem');
  const keyFile = join(dir, 'ca-key.pem');
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    const ca = createCa();
    writeFileSync(`${keyFile}.tmp`, ca.keyPem, { mode: 0o600 });
    renameSync(`${keyFile}.tmp`, keyFile);
    writeFileSync(`${certFile}.tmp`, forge.pki.certificateToPem(ca.cert));
    renameSync(`${certFile}.tmp`, certFile);
  }
  return { caCertFile: certFile };
}

function readCa(dir: string): CaMaterial {
  loadOrCreateCa(dir);
  const keyPem = readFileSync(join(dir, 'ca-key.pem'), 'utf8');
  return { cert: forge.pki.certificateFromPem(readFileSync(join(dir, 'ca.pem'), 'utf8')), key: forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey, keyPem };
}

/** A loopback server certificate (127.0.0.1, ::1, localhost) signed by a throwaway CA, or by the CA kept in `caDir`. */
export function createTlsMaterial(caDir?: string): TlsMaterial {
  const ca = caDir ? readCa(caDir) : createCa();
  const caCert = ca.cert;

  const leaf = rsaPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = leaf.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 180 * 86400_000);
  cert.setSubject([{ name: 'commonName', value: '127.0.0.1' }]);
  cert.setIssuer(caSubject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
        { type: 2, value: 'localhost' },
      ],
    },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.key, forge.md.sha256.create());

  return {
    caCertPem: forge.pki.certificateToPem(caCert),
    caKeyPem: ca.keyPem,
    certPem: forge.pki.certificateToPem(cert),
    keyPem: leaf.privatePem,
  };
}
