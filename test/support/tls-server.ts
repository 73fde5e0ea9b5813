// https endpoints with certificates made here (self-signed, another host's name, expired, from an unknown or a given
// CA), for the TLS paths: the service tier's TLS tests, the UI test of Add Vault by URL and the tree's TLS error node.
// Each server counts connections and records requests: a TLS failure must never get as far as a request (a token).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import forge from 'node-forge';

export interface Signer {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
}

function rsa(): { key: forge.pki.rsa.PrivateKey; pem: string; pub: forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
  const key = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { key, pem, pub: forge.pki.setRsaPublicKey(key.n, key.e) };
}

/** A server certificate for `names` (IPs or DNS names), signed by `signer` or by itself. */
export function serverCertificate(names: string[], options: { signer?: Signer; notAfter?: Date; ca?: boolean } = {}): { certPem: string; keyPem: string; signer: Signer } {
  const pair = rsa();
  const cert = forge.pki.createCertificate();
  cert.publicKey = pair.pub;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 2 * 86400_000);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 30 * 86400_000);
  const subject = [{ name: 'commonName', value: names[0] ?? 'server' }];
  cert.setSubject(subject);
  cert.setIssuer(options.signer ? options.signer.cert.subject.attributes : subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: options.ca === true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: options.ca === true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: names.map((n) => (/^[\d.]+$/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
  ]);
  cert.sign(options.signer?.key ?? pair.key, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: pair.pem, signer: { cert, key: pair.key } };
}

export interface TlsServer {
  origin: string;
  /** TCP connections accepted and HTTP requests received (a request would carry the token). */
  connections: number;
  requests: { authorization?: string }[];
  close(): Promise<void>;
}

export async function startTlsServer(material: { certPem: string; keyPem: string }): Promise<TlsServer> {
  const requests: TlsServer['requests'] = [];
  const server: Server = createServer({ key: material.keyPem, cert: material.certPem }, (req, res) => {
    requests.push({ ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"value":[]}');
  });
  const state = { connections: 0 };
  server.on('connection', () => state.connections++);
  // Failed handshakes are expected here; they must not crash the test process.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `https://127.0.0.1:${port}`,
    get connections() {
      return state.connections;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An https server on 127.0.0.1 with a self-signed certificate nobody trusts. */
export function startUntrusted(): Promise<TlsServer> {
  return startTlsServer(serverCertificate(['127.0.0.1']));
}
