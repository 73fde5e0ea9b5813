import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { RestError } from '@azure/core-rest-pipeline';
import { CertificateClient } from '@azure/keyvault-certificates';
import { KeyClient } from '@azure/keyvault-keys';
import { SecretClient } from '@azure/keyvault-secrets';
import type { Emulator } from './emulator';
import { RawClient, errorOf } from './schema/http-client';
import { containerUrl, credentialFor, sdkOptions, startTestEmulator } from '../support/emulator';

// ImportCertificate with the official CertificateClient: PFX with and without password, PEM with key and
// certificates in any order, chains, EC keys, and the refusals (wrong password, key that does not match, no key,
// deleted or taken names). Test material is made here with node-forge and node:crypto, as a user's tools would.

let emulator: Emulator;
let raw: RawClient;
let client: CertificateClient;
const poll = { intervalInMs: 10 };

let counter = 0;
const uniqueName = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${counter++}`;

async function restError(fn: () => Promise<unknown>): Promise<RestError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof RestError, `expected a RestError, got ${String(err)}`);
    return err;
  }
  assert.fail('the call succeeded but should have failed');
}

const secrets = (): SecretClient => new SecretClient(containerUrl(emulator.ready, 'kv-demo'), credentialFor(emulator.ready, 'app'), sdkOptions);
const keys = (): KeyClient => new KeyClient(containerUrl(emulator.ready, 'kv-demo'), credentialFor(emulator.ready, 'app'), sdkOptions);

interface Material {
  key: forge.pki.rsa.PrivateKey;
  cert: forge.pki.Certificate;
  der: Buffer;
}

function rsaKey(): forge.pki.rsa.PrivateKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return forge.pki.privateKeyFromPem(privateKey.export({ format: 'pem', type: 'pkcs1' }).toString()) as forge.pki.rsa.PrivateKey;
}

const derOf = (cert: forge.pki.Certificate): Buffer => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');

/** A certificate for `cn` with DNS SANs and server auth, signed by `issuer` (self-signed without one). */
function certificate(cn: string, issuer?: Material, options: { ca?: boolean } = {}): Material {
  const key = rsaKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 180 * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: cn }, { name: 'organizationName', value: 'Fabrikam' }]);
  cert.setIssuer(issuer ? issuer.cert.subject.attributes : cert.subject.attributes);
  cert.setExtensions(
    options.ca
      ? [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, critical: true }]
      : [
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
          { name: 'extKeyUsage', serverAuth: true },
          { name: 'subjectAltName', altNames: [{ type: 2, value: cn }, { type: 2, value: `www.${cn}` }] },
        ],
  );
  cert.sign(issuer?.key ?? key, forge.md.sha256.create());
  return { key, cert, der: derOf(cert) };
}

function pfx(key: forge.pki.rsa.PrivateKey | null, certs: forge.pki.Certificate[], password: string | null, algorithm: '3des' | 'aes256' = 'aes256'): Buffer {
  return Buffer.from(forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(key, certs, password, { algorithm })).getBytes(), 'binary');
}

const keyPem = (key: forge.pki.rsa.PrivateKey): string => forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key)));

function openPfx(base64: string): { key?: KeyObject; certs: Buffer[] } {
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.decode64(base64)));
  const out: { key?: KeyObject; certs: Buffer[] } = { certs: [] };
  for (const bag of p12.safeContents.flatMap((s) => s.safeBags)) {
    if (bag.type === forge.pki.oids.certBag) out.certs.push(bag.cert ? derOf(bag.cert) : Buffer.from(forge.asn1.toDer(bag.asn1).getBytes(), 'binary'));
    if (bag.type === forge.pki.oids.keyBag || bag.type === forge.pki.oids.pkcs8ShroudedKeyBag) {
      const node = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1;
      out.key = createPrivateKey({ key: Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary'), format: 'der', type: 'pkcs8' });
    }
  }
  return out;
}

before(async () => {
  emulator = await startTestEmulator({ seed: 'empty' });
  raw = new RawClient(emulator.ready);
  client = new CertificateClient(containerUrl(emulator.ready, 'kv-demo'), credentialFor(emulator.ready, 'app'), sdkOptions);
});

after(async () => {
  raw.close();
  await emulator.close();
});

describe('importing certificates', () => {
  it('imports a PFX without password and derives the policy from the certificate and its key', async () => {
    const m = certificate('nopwd.fabrikam.test');
    const name = uniqueName('pfx-nopwd');
    const imported = await client.importCertificate(name, pfx(m.key, [m.cert], null), { tags: { source: 'pfx' } });
    assert.ok(Buffer.from(imported.cer!).equals(m.der), 'the certificate is stored byte for byte');
    assert.deepEqual(imported.properties.tags, { source: 'pfx' });
    assert.equal(imported.properties.enabled, true);
    const x = new X509Certificate(m.der);
    assert.equal(imported.properties.expiresOn?.getTime(), Date.parse(x.validTo));
    assert.equal(imported.properties.notBefore?.getTime(), Date.parse(x.validFrom));
    const policy = imported.policy!;
    // The file encodes CN then O; the string form lists RDNs from the last one (RFC 4514), as Key Vault shows them.
    assert.equal(policy.subject, 'O=Fabrikam, CN=nopwd.fabrikam.test');
    assert.deepEqual(policy.subjectAlternativeNames?.dnsNames, ['nopwd.fabrikam.test', 'www.nopwd.fabrikam.test']);
    assert.equal(policy.issuerName, 'Unknown');
    assert.equal(policy.keyType, 'RSA');
    assert.equal(policy.keySize, 2048);
    assert.deepEqual(policy.keyUsage, ['digitalSignature', 'keyEncipherment']);
    assert.deepEqual(policy.enhancedKeyUsage, ['1.3.6.1.5.5.7.3.1']);
    assert.equal(policy.contentType, 'application/x-pkcs12');
    assert.equal(policy.validityInMonths, 6);
    const secret = openPfx((await secrets().getSecret(name)).value!);
    assert.ok(secret.certs[0]!.equals(m.der));
    assert.ok(x.checkPrivateKey(secret.key!), 'the secret holds the imported private key');
  });

  it('imports a PFX protected by a password, with 3DES or AES', async () => {
    for (const algorithm of ['3des', 'aes256'] as const) {
      const m = certificate(`pwd-${algorithm}.fabrikam.test`);
      const name = uniqueName(`pfx-${algorithm}`);
      const imported = await client.importCertificate(name, pfx(m.key, [m.cert], 'S3cret!', algorithm), { password: 'S3cret!' });
      assert.ok(Buffer.from(imported.cer!).equals(m.der), algorithm);
      assert.ok(new X509Certificate(m.der).checkPrivateKey(openPfx((await secrets().getSecret(name)).value!).key!), `${algorithm}: the secret opens without the password`);
    }
  });

  it('refuses a wrong or missing password with 400 and a message that says so', async () => {
    const m = certificate('wrongpwd.fabrikam.test');
    const file = pfx(m.key, [m.cert], 'right-password');
    for (const password of ['wrong-password', undefined]) {
      const err = await restError(() => client.importCertificate(uniqueName('pfx-wrong'), file, password ? { password } : {}));
      assert.equal(err.statusCode, 400);
      assert.equal((err.details as { error?: { code?: string } }).error?.code, 'BadParameter');
      assert.match(err.message, /password/i);
    }
  });

  it('imports PEM with the certificate before or after the private key, and keeps PEM as the secret’s format', async () => {
    for (const order of ['cert-first', 'key-first'] as const) {
      const m = certificate(`${order}.fabrikam.test`);
      const certPem = forge.pki.certificateToPem(m.cert);
      const text = order === 'cert-first' ? certPem + keyPem(m.key) : forge.pki.privateKeyToPem(m.key) + certPem;
      const name = uniqueName(`pem-${order}`);
      // The SDK sends PEM as text when told the content type (and, in this release, drops the policy itself).
      const imported = await client.importCertificate(name, Buffer.from(text), { policy: { contentType: 'application/x-pem-file' } });
      assert.ok(Buffer.from(imported.cer!).equals(m.der), order);
      const secret = await secrets().getSecret(name);
      assert.equal(secret.properties.contentType, 'application/x-pem-file');
      assert.match(secret.value!, /^-----BEGIN PRIVATE KEY-----[\s\S]+-----BEGIN CERTIFICATE-----/);
      assert.ok(new X509Certificate(m.der).checkPrivateKey(createPrivateKey(secret.value!)), order);
    }
  });

  it('refuses a private key that does not belong to the certificate, in PEM and in PFX', async () => {
    const m = certificate('mismatch.fabrikam.test');
    const stranger = rsaKey();
    const pemErr = await restError(() => client.importCertificate(uniqueName('pem-mismatch'), Buffer.from(forge.pki.certificateToPem(m.cert) + keyPem(stranger)), { policy: { contentType: 'application/x-pem-file' } }));
    assert.equal(pemErr.statusCode, 400);
    assert.match(pemErr.message, /private key does not match the certificate/);
    const pfxErr = await restError(() => client.importCertificate(uniqueName('pfx-mismatch'), pfx(stranger, [m.cert], null)));
    assert.equal(pfxErr.statusCode, 400);
    assert.match(pfxErr.message, /private key does not match the certificate/);
  });

  it('refuses a certificate without its private key, and content that is no certificate at all', async () => {
    const m = certificate('nokey.fabrikam.test');
    const noKey = await restError(() => client.importCertificate(uniqueName('no-key'), pfx(null, [m.cert], null)));
    assert.equal(noKey.statusCode, 400);
    assert.match(noKey.message, /no private key/);
    const garbage = await raw.request('kv-demo', 'POST', `/certificates/${uniqueName('garbage')}/import`, { body: { value: randomBytes(300).toString('base64') } });
    assert.equal(garbage.status, 400);
    assert.equal(errorOf(garbage)?.code, 'BadParameter');
    const notBase64 = await raw.request('kv-demo', 'POST', `/certificates/${uniqueName('text')}/import`, { body: { value: 'this is not a certificate!' } });
    assert.equal(notBase64.status, 400);
  });

  it('puts the leaf first and keeps the chain when the file lists the CA first, unless preserveCertOrder is set', async () => {
    const ca = certificate('Fabrikam Issuing CA', undefined, { ca: true });
    const leaf = certificate('chain.fabrikam.test', ca);
    const file = pfx(leaf.key, [ca.cert, leaf.cert], null);
    const name = uniqueName('chain');
    const imported = await client.importCertificate(name, file);
    assert.ok(Buffer.from(imported.cer!).equals(leaf.der), 'the leaf is the certificate, whatever its place in the file');
    const chain = openPfx((await secrets().getSecret(name)).value!).certs;
    assert.ok(chain[0]!.equals(leaf.der) && chain[1]!.equals(ca.der), 'leaf first, then the CA');
    const preserved = uniqueName('chain-kept');
    const kept = await client.importCertificate(preserved, file, { preserveCertificateOrder: true });
    assert.equal(kept.properties.preserveCertificateOrder, true);
    const keptChain = openPfx((await secrets().getSecret(preserved)).value!).certs;
    assert.ok(keptChain[0]!.equals(ca.der) && keptChain[1]!.equals(leaf.der), 'the file’s order is kept');
  });

  it('imports an EC certificate from another certificate’s PFX secret', async () => {
    const source = uniqueName('ec-source');
    const original = await (await client.beginCreateCertificate(source, { issuerName: 'Self', subject: 'CN=ec.fabrikam.test', keyType: 'EC', keyCurveName: 'P-521' }, poll)).pollUntilDone();
    const exported = Buffer.from((await secrets().getSecret(source)).value!, 'base64');
    const name = uniqueName('ec-copy');
    const imported = await client.importCertificate(name, exported);
    assert.ok(Buffer.from(imported.cer!).equals(Buffer.from(original.cer!)));
    assert.equal(imported.policy?.keyType, 'EC');
    assert.equal(imported.policy?.keyCurveName, 'P-521');
    // Depends on the keys family's addKeyVersion service.
    assert.equal((await keys().getKey(name)).key?.crv, 'P-521');
  });

  it('applies the requested policy’s exportable flag and attributes', async () => {
    const m = certificate('policy.fabrikam.test');
    const name = uniqueName('pfx-policy');
    // This SDK release drops `policy` and `enabled` from importCertificate's options, so the request goes raw.
    const r = await raw.request('kv-demo', 'POST', `/certificates/${name}/import`, {
      body: { value: pfx(m.key, [m.cert], null).toString('base64'), policy: { key_props: { exportable: false }, secret_props: { contentType: 'application/x-pkcs12' } }, attributes: { enabled: false } },
    });
    assert.equal(r.status, 200, r.text);
    const imported = r.json as { attributes: { enabled: boolean }; policy: { key_props: { exportable: boolean } } };
    assert.equal(imported.attributes.enabled, false);
    assert.equal(imported.policy.key_props.exportable, false);
    await client.updateCertificateProperties(name, '', { enabled: true });
    assert.equal(openPfx((await secrets().getSecret(name)).value!).key, undefined, 'a non-exportable key stays out of the secret');
  });

  it('adds a version to an existing certificate, and refuses a deleted name or one taken by a plain secret', async () => {
    const name = uniqueName('versioned');
    const first = certificate('v1.fabrikam.test');
    const second = certificate('v2.fabrikam.test');
    const v1 = await client.importCertificate(name, pfx(first.key, [first.cert], null));
    const v2 = await client.importCertificate(name, pfx(second.key, [second.cert], null));
    assert.notEqual(v1.properties.version, v2.properties.version);
    assert.ok(Buffer.from((await client.getCertificate(name)).cer!).equals(second.der));
    await (await client.beginDeleteCertificate(name, poll)).pollUntilDone();
    const deleted = await restError(() => client.importCertificate(name, pfx(first.key, [first.cert], null)));
    assert.equal(deleted.statusCode, 409);
    assert.match(deleted.message, /deleted but recoverable/);
    const taken = uniqueName('taken');
    await secrets().setSecret(taken, 'plain');
    assert.equal((await restError(() => client.importCertificate(taken, pfx(first.key, [first.cert], null)))).statusCode, 409);
  });
});
