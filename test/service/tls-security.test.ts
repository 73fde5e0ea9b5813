// TLS errors are never bypassed: a vault origin whose certificate is not trusted (self-signed, another host's name,
// expired, issued by an unknown CA) gives a clear 'tls' KeyVaultError, no HTTP request reaches it, so no token does
// either. A CA given for one added endpoint is trusted for that origin only. Runs with the emulator's CA in
// NODE_EXTRA_CA_CERTS, as npm test does.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import forge from 'node-forge';
import { isKeyVaultError, type KeyVaultError } from '../../src/keyvault/errors';
import type { Emulator } from '../emulator';
import { startTestEmulator } from '../support/emulator';
import { collect, serviceFor } from '../support/service';
import { serverCertificate, startTlsServer, type Signer, type TlsServer } from '../support/tls-server';

const tlsError = (pattern?: RegExp) => (e: unknown) => {
  assert.ok(isKeyVaultError(e), `not a KeyVaultError: ${String(e)}`);
  const err = e as KeyVaultError;
  assert.equal(err.kind, 'tls', `${err.kind}: ${err.message}`);
  assert.match(err.message, /^TLS error talking to 127\.0\.0\.1:\d+/);
  if (pattern) assert.match(err.message, pattern);
  // The hint says what to do and that checks are not skipped.
  assert.match(err.userMessage, /never skipped/);
  return true;
};

describe('TLS errors are never bypassed', () => {
  let emu: Emulator;
  let trustedCa: Signer;
  const servers: TlsServer[] = [];

  before(async () => {
    emu = await startTestEmulator({ seed: 'empty' });
    // The emulator's CA is trusted by this process (NODE_EXTRA_CA_CERTS): use it to sign the misnamed and expired ones.
    const caDir = process.env.KEYVAULT_EMULATOR_CA_DIR;
    assert.ok(caDir, 'KEYVAULT_EMULATOR_CA_DIR is set (npm test sets it)');
    trustedCa = {
      cert: forge.pki.certificateFromPem(readFileSync(path.join(caDir, 'ca.pem'), 'utf8')),
      key: forge.pki.privateKeyFromPem(readFileSync(path.join(caDir, 'ca-key.pem'), 'utf8')) as forge.pki.rsa.PrivateKey,
    };
  });
  after(async () => {
    await Promise.all([emu.close(), ...servers.map((s) => s.close())]);
  });

  const start = async (material: { certPem: string; keyPem: string }) => {
    const server = await startTlsServer(material);
    servers.push(server);
    return server;
  };

  /** Lists secrets at `origin` through an added custom endpoint, the way an emulator or private proxy is added. */
  const listThrough = (origin: string, ca?: string) => {
    const svc = serviceFor(emu.ready);
    svc.addCustomEndpoint({ origin, authorityHost: emu.ready.authorityHost, ...(ca ? { ca } : {}) });
    return { svc, listing: collect(svc.secrets.list(origin)) };
  };

  it('a self-signed certificate: a clear TLS error, and the server never sees a request (so never a token)', async () => {
    const server = await start(serverCertificate(['127.0.0.1']));
    const { svc, listing } = listThrough(server.origin);
    await assert.rejects(listing, tlsError(/SELF_SIGNED|self.signed/i));
    assert.ok(server.connections >= 1, 'the client did connect');
    assert.deepEqual(server.requests, []);
    svc.dispose();
  });

  it('a certificate for another host name, from a trusted CA: a clear TLS error, no request', async () => {
    const server = await start(serverCertificate(['vault.other.example'], { signer: trustedCa }));
    const { svc, listing } = listThrough(server.origin);
    await assert.rejects(listing, tlsError(/ALTNAME|HOSTNAME|IP/i));
    assert.deepEqual(server.requests, []);
    svc.dispose();
  });

  it('an expired certificate from a trusted CA: a clear TLS error, no request', async () => {
    const server = await start(serverCertificate(['127.0.0.1'], { signer: trustedCa, notAfter: new Date(Date.now() - 86400_000) }));
    const { svc, listing } = listThrough(server.origin);
    await assert.rejects(listing, tlsError(/EXPIRED/i));
    assert.deepEqual(server.requests, []);
    svc.dispose();
  });

  it('a certificate from an unknown CA: a clear TLS error, no request', async () => {
    const unknownCa = serverCertificate(['Unknown CA'], { ca: true }).signer;
    const server = await start(serverCertificate(['127.0.0.1'], { signer: unknownCa }));
    const { svc, listing } = listThrough(server.origin);
    await assert.rejects(listing, tlsError(/UNABLE_TO|ISSUER|LOCAL/i));
    assert.deepEqual(server.requests, []);
    svc.dispose();
  });

  it('the CA given with an added endpoint is trusted for that origin only, not for another one', async () => {
    const privateCa = serverCertificate(['Private CA'], { ca: true });
    const material = serverCertificate(['127.0.0.1'], { signer: privateCa.signer });
    const withCa = await start(material);
    const sameCertElsewhere = await start(material);
    const trusted = listThrough(withCa.origin, privateCa.certPem);
    assert.deepEqual(await trusted.listing, [], 'the handshake succeeds with the endpoint’s own CA');
    assert.equal(withCa.requests.length, 1);
    // The same CA was not given for this origin: its certificate is as untrusted as ever.
    const { svc, listing } = listThrough(sameCertElsewhere.origin);
    await assert.rejects(listing, tlsError());
    assert.deepEqual(sameCertElsewhere.requests, []);
    trusted.svc.dispose();
    svc.dispose();
  });

  it('nothing in the extension turns certificate checks off', () => {
    const root = path.join(__dirname, '..', '..');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.(ts|js)$/.test(entry.name)) files.push(full);
      }
    };
    walk(path.join(root, 'src'));
    walk(path.join(root, 'media', 'webview'));
    assert.ok(files.length > 50, `scanned ${files.length} files`);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      assert.ok(!/rejectUnauthorized\s*:\s*false|NODE_TLS_REJECT_UNAUTHORIZED|checkServerIdentity\s*:|insecureSkipVerify|allowInsecure/i.test(text), `${path.relative(root, f)} weakens TLS`);
    }
  });
});
