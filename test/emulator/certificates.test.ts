import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { RestError } from '@azure/core-rest-pipeline';
import { CertificateClient, type CertificatePolicy, type KeyVaultCertificateWithPolicy, type ListPropertiesOfCertificatesOptions } from '@azure/keyvault-certificates';
import { KeyClient } from '@azure/keyvault-keys';
import { SecretClient } from '@azure/keyvault-secrets';
import type { Emulator } from './emulator';
import { RawClient, errorOf } from './schema/http-client';
import { containerUrl, credentialFor, sdkOptions, startTestEmulator, type IdentityHandle } from '../support/emulator';

// Conformance of the certificates family with the official CertificateClient (plus SecretClient and KeyClient for
// the secret and key behind each version): creation with real X.509 for every key type, the secret's PFX/PEM,
// reads, updates, lists, policy, soft delete, backup/restore, validation, access errors and the demo seed.

let emulator: Emulator;
let raw: RawClient;
const poll = { intervalInMs: 10 };

function certificates(vault = 'kv-demo', who: IdentityHandle = 'app'): CertificateClient {
  return new CertificateClient(containerUrl(emulator.ready, vault), credentialFor(emulator.ready, who), sdkOptions);
}
const secrets = (vault = 'kv-demo'): SecretClient => new SecretClient(containerUrl(emulator.ready, vault), credentialFor(emulator.ready, 'app'), sdkOptions);
const keys = (vault = 'kv-demo'): KeyClient => new KeyClient(containerUrl(emulator.ready, vault), credentialFor(emulator.ready, 'app'), sdkOptions);

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

const errorCode = (err: RestError): unknown => (err.details as { error?: { code?: string } } | undefined)?.error?.code;

async function create(name: string, policy: CertificatePolicy, options: { tags?: Record<string, string>; vault?: string } = {}): Promise<KeyVaultCertificateWithPolicy> {
  const poller = await certificates(options.vault).beginCreateCertificate(name, policy, { ...poll, ...(options.tags ? { tags: options.tags } : {}) });
  return poller.pollUntilDone();
}

const x509 = (cert: { cer?: Uint8Array }): X509Certificate => {
  assert.ok(cert.cer && cert.cer.length > 0, 'the certificate has its CER');
  return new X509Certificate(Buffer.from(cert.cer));
};

/** The months Key Vault adds to "now" for validity_months, checked to within a minute. */
function assertValidFor(cert: X509Certificate, months: number): void {
  const expected = new Date();
  expected.setUTCMonth(expected.getUTCMonth() + months);
  assert.ok(Math.abs(Date.parse(cert.validTo) - expected.getTime()) < 120_000, `validTo ${cert.validTo} is ${months} months from now`);
  assert.ok(Math.abs(Date.parse(cert.validFrom) - (Date.now() - 600_000)) < 120_000, `validFrom ${cert.validFrom} is ten minutes ago`);
}

/** Opens a password-less PFX with node-forge; EC keys come back as PKCS#8 ASN.1, RSA keys as forge keys. */
function openPfx(base64: string): { key?: KeyObject; certs: Buffer[] } {
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.decode64(base64)));
  const out: { key?: KeyObject; certs: Buffer[] } = { certs: [] };
  for (const safe of p12.safeContents) {
    for (const bag of safe.safeBags) {
      if (bag.type === forge.pki.oids.certBag) {
        const node = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
        out.certs.push(Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary'));
      } else if (bag.type === forge.pki.oids.keyBag || bag.type === forge.pki.oids.pkcs8ShroudedKeyBag) {
        const node = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1;
        out.key = createPrivateKey({ key: Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary'), format: 'der', type: 'pkcs8' });
      }
    }
  }
  return out;
}

function openPem(text: string): { key?: KeyObject; certs: Buffer[]; labels: string[] } {
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/g)];
  const keyBlock = blocks.find((b) => b[1]!.endsWith('PRIVATE KEY'));
  return {
    ...(keyBlock ? { key: createPrivateKey(keyBlock[0]) } : {}),
    certs: blocks.filter((b) => b[1] === 'CERTIFICATE').map((b) => Buffer.from(b[2]!.replace(/\s+/g, ''), 'base64')),
    labels: blocks.map((b) => b[1]!),
  };
}

const rsaPolicy = (subject: string, extra: Partial<CertificatePolicy> = {}): CertificatePolicy =>
  ({ issuerName: 'Self', subject, keyType: 'RSA', keySize: 2048, validityInMonths: 12, ...extra }) as CertificatePolicy;

before(async () => {
  emulator = await startTestEmulator({ seed: 'demo' });
  emulator.recordExchanges = true;
  raw = new RawClient(emulator.ready);
});

after(async () => {
  raw.close();
  await emulator.close();
});

describe('certificates: self-signed creation', () => {
  it('gives an RSA certificate the subject, SANs, validity, key usage and EKUs of its policy, signed by its own key', async () => {
    const name = uniqueName('rsa-full');
    const cert = await create(name, {
      issuerName: 'Self',
      subject: 'CN=app.contoso.test, O=Contoso Ltd, C=US',
      subjectAlternativeNames: { dnsNames: ['app.contoso.test', '*.app.contoso.test'], emails: ['pki@contoso.test'], userPrincipalNames: ['svc@contoso.test'] },
      validityInMonths: 6,
      keyType: 'RSA',
      keySize: 2048,
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      enhancedKeyUsage: ['1.3.6.1.5.5.7.3.1'],
    });
    const x = x509(cert);
    assert.deepEqual(x.subject.split('\n'), ['C=US', 'O=Contoso Ltd', 'CN=app.contoso.test']);
    assert.equal(x.issuer, x.subject);
    for (const san of ['DNS:app.contoso.test', 'DNS:*.app.contoso.test', 'email:pki@contoso.test', 'UPN:svc@contoso.test']) assert.ok(x.subjectAltName?.includes(san), `${san} in ${x.subjectAltName}`);
    assertValidFor(x, 6);
    assert.equal(x.publicKey.asymmetricKeyType, 'rsa');
    assert.equal(x.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.ok(x.verify(x.publicKey), 'self-signed: its own key verifies it');
    assert.deepEqual(x.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    const usage = forge.pki.certificateFromAsn1(forge.asn1.fromDer(Buffer.from(cert.cer!).toString('binary'))).getExtension('keyUsage') as Record<string, boolean>;
    assert.equal(usage.digitalSignature, true);
    assert.equal(usage.keyEncipherment, true);
    assert.equal(usage.dataEncipherment, false);
    assert.equal(cert.properties.notBefore?.getTime(), Date.parse(x.validFrom));
    assert.equal(cert.properties.expiresOn?.getTime(), Date.parse(x.validTo));
    assert.equal(cert.properties.x509ThumbprintString?.toUpperCase(), x.fingerprint.replace(/:/g, ''));
    assert.equal(cert.properties.enabled, true);
    assert.equal(cert.keyId, `${containerUrl(emulator.ready, 'kv-demo')}/keys/${name}/${cert.properties.version}`);
    assert.equal(cert.secretId, `${containerUrl(emulator.ready, 'kv-demo')}/secrets/${name}/${cert.properties.version}`);
    assert.equal(cert.policy?.subject, 'CN=app.contoso.test, O=Contoso Ltd, C=US');
    assert.deepEqual(cert.policy?.subjectAlternativeNames?.dnsNames, ['app.contoso.test', '*.app.contoso.test']);
  });

  it('makes RSA keys of 3072 and 4096 bits when asked', async () => {
    for (const keySize of [3072, 4096]) {
      const cert = await create(uniqueName(`rsa-${keySize}`), rsaPolicy(`CN=rsa${keySize}.contoso.test`, { keySize }));
      assert.equal(x509(cert).publicKey.asymmetricKeyDetails?.modulusLength, keySize);
      assert.equal(cert.policy?.keySize, keySize);
    }
  });

  it('makes EC certificates on each curve Key Vault offers, signed with ECDSA', async () => {
    const nodeCurve = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1', 'P-256K': 'secp256k1' } as const;
    for (const crv of ['P-256', 'P-384', 'P-521', 'P-256K'] as const) {
      const cert = await create(uniqueName(`ec-${crv.toLowerCase()}`), { issuerName: 'Self', subject: `CN=${crv.toLowerCase()}.contoso.test`, keyType: 'EC', keyCurveName: crv });
      const x = x509(cert);
      assert.equal(x.publicKey.asymmetricKeyType, 'ec');
      assert.equal(x.publicKey.asymmetricKeyDetails?.namedCurve, nodeCurve[crv]);
      assert.ok(x.verify(x.publicKey), `${crv}: signature verifies`);
      assert.equal(cert.policy?.keyType, 'EC');
      assert.equal(cert.policy?.keyCurveName, crv);
    }
  });

  it('answers the create request with an operation in progress and reports it completed at the first poll', async () => {
    const name = uniqueName('poll');
    const created = await raw.request('kv-demo', 'POST', `/certificates/${name}/create`, { body: { policy: { issuer: { name: 'Self' }, x509_props: { subject: 'CN=poll.contoso.test' } } } });
    assert.equal(created.status, 202);
    const op = created.json as Record<string, unknown>;
    assert.equal(op.status, 'inProgress');
    assert.equal(op.id, `${raw.origin('kv-demo')}/certificates/${name}/pending`);
    assert.match(String(op.csr), /^[A-Za-z0-9+/]+=*$/);
    assert.match(String(created.headers.location), new RegExp(`/certificates/${name}/pending\\?api-version=`));
    const polled = await raw.request('kv-demo', 'GET', `/certificates/${name}/pending`);
    assert.equal((polled.json as Record<string, unknown>).status, 'completed');
    assert.equal((polled.json as Record<string, unknown>).target, `${raw.origin('kv-demo')}/certificates/${name}`);
    assert.equal((polled.json as Record<string, unknown>).request_id, op.request_id);
  });

  it('stores the certificate’s secret as a PFX without password whose private key matches the certificate', async () => {
    const name = uniqueName('pfx');
    const cert = await create(name, rsaPolicy('CN=pfx.contoso.test', { contentType: 'application/x-pkcs12' }));
    const secret = await secrets().getSecret(name);
    assert.equal(secret.properties.contentType, 'application/x-pkcs12');
    assert.equal(secret.properties.managed, true);
    assert.equal(secret.properties.version, cert.properties.version);
    assert.equal(secret.properties.certificateKeyId, cert.keyId);
    const pfx = openPfx(secret.value!);
    assert.equal(pfx.certs.length, 1);
    assert.ok(pfx.certs[0]!.equals(Buffer.from(cert.cer!)), 'the PFX holds the certificate');
    assert.ok(pfx.key, 'the PFX holds the private key');
    assert.ok(x509(cert).checkPrivateKey(pfx.key), 'the private key matches the certificate');
  });

  it('stores a PEM secret with the private key first and the certificate after it', async () => {
    const name = uniqueName('pem');
    const cert = await create(name, { issuerName: 'Self', subject: 'CN=pem.contoso.test', keyType: 'EC', keyCurveName: 'P-384', contentType: 'application/x-pem-file' });
    const secret = await secrets().getSecret(name);
    assert.equal(secret.properties.contentType, 'application/x-pem-file');
    const pem = openPem(secret.value!);
    assert.deepEqual(pem.labels, ['PRIVATE KEY', 'CERTIFICATE']);
    assert.ok(pem.certs[0]!.equals(Buffer.from(cert.cer!)));
    assert.ok(x509(cert).checkPrivateKey(pem.key!));
  });

  it('converts the secret between PFX and PEM on GET secret ?outContentType=', async () => {
    const pfxName = uniqueName('out-pem');
    const pfxCert = await create(pfxName, rsaPolicy('CN=out-pem.contoso.test'));
    const asPem = await secrets().getSecret(pfxName, { outContentType: 'application/x-pem-file' });
    assert.equal(asPem.properties.contentType, 'application/x-pem-file');
    assert.ok(x509(pfxCert).checkPrivateKey(openPem(asPem.value!).key!));

    const pemName = uniqueName('out-pfx');
    const pemCert = await create(pemName, { issuerName: 'Self', subject: 'CN=out-pfx.contoso.test', keyType: 'EC', keyCurveName: 'P-256', contentType: 'application/x-pem-file' });
    const asPfx = await secrets().getSecret(pemName, { outContentType: 'application/x-pkcs12' });
    const opened = openPfx(asPfx.value!);
    assert.ok(opened.certs[0]!.equals(Buffer.from(pemCert.cer!)));
    assert.ok(x509(pemCert).checkPrivateKey(opened.key!));
  });

  it('keeps the private key out of the secret when the policy makes the key non-exportable', async () => {
    const name = uniqueName('no-export');
    await create(name, rsaPolicy('CN=no-export.contoso.test', { exportable: false }));
    const pfx = openPfx((await secrets().getSecret(name)).value!);
    assert.equal(pfx.certs.length, 1);
    assert.equal(pfx.key, undefined);
  });

  // Depends on the keys family's `addKeyVersion` service.
  it('registers the certificate’s key as a managed key of the same version and public key', async () => {
    const name = uniqueName('with-key');
    const cert = await create(name, rsaPolicy('CN=with-key.contoso.test'));
    const key = await keys().getKey(name);
    assert.equal(key.properties.managed, true);
    assert.equal(key.properties.version, cert.properties.version);
    assert.equal(key.id, cert.keyId);
    const fromCert = x509(cert).publicKey.export({ format: 'jwk' });
    assert.equal(Buffer.from(key.key!.n!).toString('base64url'), fromCert.n);
    const ec = await create(uniqueName('with-ec-key'), { issuerName: 'Self', subject: 'CN=ec-key.contoso.test', keyType: 'EC', keyCurveName: 'P-256' });
    const ecKey = await keys().getKey(ec.name);
    assert.equal(ecKey.keyType, 'EC');
    assert.equal(ecKey.key?.crv, 'P-256');
    assert.equal(Buffer.from(ecKey.key!.x!).toString('base64url'), x509(ec).publicKey.export({ format: 'jwk' }).x);
  });

  it('renews with the same key pair when reuse_key is set, and with a new one otherwise', async () => {
    const spki = (c: KeyVaultCertificateWithPolicy) => x509(c).publicKey.export({ type: 'spki', format: 'der' });
    const reused = uniqueName('reuse');
    const first = await create(reused, rsaPolicy('CN=reuse.contoso.test', { reuseKey: true }));
    const second = await create(reused, rsaPolicy('CN=reuse.contoso.test', { reuseKey: true }));
    assert.notEqual(first.properties.version, second.properties.version);
    assert.ok(spki(first).equals(spki(second)), 'reuse_key keeps the key pair');
    const fresh = uniqueName('fresh');
    const a = await create(fresh, rsaPolicy('CN=fresh.contoso.test'));
    const b = await create(fresh, rsaPolicy('CN=fresh.contoso.test'));
    assert.ok(!spki(a).equals(spki(b)), 'a new key pair for each version');
  });
});

describe('certificates: read, update, list, policy', () => {
  it('gets the latest and a given version, and lists both versions newest last', async () => {
    const name = uniqueName('versions');
    const v1 = await create(name, rsaPolicy('CN=v1.contoso.test'));
    const v2 = await create(name, rsaPolicy('CN=v2.contoso.test'));
    assert.equal((await certificates().getCertificate(name)).properties.version, v2.properties.version);
    const old = await certificates().getCertificateVersion(name, v1.properties.version!);
    assert.ok(Buffer.from(old.cer!).equals(Buffer.from(v1.cer!)));
    const versions: string[] = [];
    for await (const p of certificates().listPropertiesOfCertificateVersions(name)) versions.push(p.version!);
    assert.deepEqual(versions, [v1.properties.version, v2.properties.version]);
    const missing = await restError(() => certificates().getCertificateVersion(name, '0'.repeat(32)));
    assert.equal(missing.statusCode, 404);
    assert.equal(errorCode(missing), 'CertificateNotFound');
  });

  it('updates tags and disables a version together with its key and secret', async () => {
    const name = uniqueName('update');
    const cert = await create(name, rsaPolicy('CN=update.contoso.test'), { tags: { env: 'test' } });
    assert.deepEqual(cert.properties.tags, { env: 'test' });
    const updated = await certificates().updateCertificateProperties(name, cert.properties.version!, { tags: { env: 'prod', owner: 'pki' }, enabled: false });
    assert.deepEqual(updated.properties.tags, { env: 'prod', owner: 'pki' });
    assert.equal(updated.properties.enabled, false);
    const secretError = await restError(() => secrets().getSecret(name));
    assert.equal(secretError.statusCode, 403, 'the disabled certificate’s secret cannot be read');
    await certificates().updateCertificateProperties(name, '', { enabled: true });
    assert.ok((await secrets().getSecret(name)).value, 'enabled again, the secret is readable');
  });

  it('lists certificates with their thumbprints over several pages, and pending ones only when asked', async () => {
    const done = uniqueName('listed');
    const cert = await create(done, rsaPolicy('CN=listed.contoso.test'));
    const pending = uniqueName('listed-pending');
    await certificates().beginCreateCertificate(pending, { issuerName: 'Unknown', subject: 'CN=listed-pending.contoso.test' });
    const names = async (includePending: boolean): Promise<Map<string, string | undefined>> => {
      const out = new Map<string, string | undefined>();
      let pages = 0;
      // The certificates SDK ignores byPage's maxPageSize but passes a `maxresults` option through to the query.
      const options = { includePending, maxresults: 3 } as ListPropertiesOfCertificatesOptions;
      for await (const page of certificates().listPropertiesOfCertificates(options).byPage()) {
        pages++;
        for (const p of page) out.set(p.name!, p.x509ThumbprintString);
      }
      assert.ok(pages > 1, 'several pages');
      return out;
    };
    const plain = await names(false);
    assert.equal(plain.get(done), cert.properties.x509ThumbprintString);
    assert.ok(!plain.has(pending));
    assert.ok((await names(true)).has(pending));
  });

  it('gets and partially updates the policy; the next version follows the new policy', async () => {
    const name = uniqueName('policy');
    await create(name, rsaPolicy('CN=policy.contoso.test'));
    const policy = await certificates().getCertificatePolicy(name);
    assert.equal(policy.issuerName, 'Self');
    assert.equal(policy.validityInMonths, 12);
    assert.deepEqual(policy.enhancedKeyUsage, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    const updated = await raw.request('kv-demo', 'PATCH', `/certificates/${name}/policy`, { body: { x509_props: { validity_months: 3 }, key_props: { kty: 'EC', crv: 'P-384' } } });
    assert.equal(updated.status, 200);
    const body = updated.json as { x509_props: { subject: string; validity_months: number }; key_props: { kty: string; crv: string } };
    assert.equal(body.x509_props.subject, 'CN=policy.contoso.test', 'fields not sent are kept');
    assert.equal(body.x509_props.validity_months, 3);
    const x = x509(await createWithoutPolicy(name));
    assertValidFor(x, 3);
    assert.equal(x.publicKey.asymmetricKeyDetails?.namedCurve, 'secp384r1');
  });
});

/** POST create without a policy (a new version under the stored one; the SDK always sends one), then the certificate. */
async function createWithoutPolicy(name: string): Promise<KeyVaultCertificateWithPolicy> {
  const r = await raw.request('kv-demo', 'POST', `/certificates/${name}/create`, { body: {} });
  assert.equal(r.status, 202, r.text);
  return certificates().getCertificate(name);
}

describe('certificates: delete, recover, purge, backup and restore', () => {
  it('soft-deletes the certificate with its key and secret, and refuses the name while deleted', async () => {
    const name = uniqueName('deleted');
    await create(name, rsaPolicy('CN=deleted.contoso.test'));
    const deleted = await (await certificates().beginDeleteCertificate(name, poll)).pollUntilDone();
    assert.equal(deleted.recoveryId, `${containerUrl(emulator.ready, 'kv-demo')}/deletedcertificates/${name}`);
    assert.ok(deleted.deletedOn instanceof Date && deleted.scheduledPurgeDate instanceof Date);
    assert.equal((await restError(() => certificates().getCertificate(name))).statusCode, 404);
    assert.equal((await certificates().getDeletedCertificate(name)).name, name);
    const deletedNames: string[] = [];
    for await (const d of certificates().listDeletedCertificates()) deletedNames.push(d.name);
    assert.ok(deletedNames.includes(name));
    assert.equal((await secrets().getDeletedSecret(name)).name, name, 'the secret is deleted with it');
    assert.equal((await keys().getDeletedKey(name)).name, name, 'the key is deleted with it (keys family)');
    const conflict = await restError(() => certificates().beginCreateCertificate(name, rsaPolicy('CN=again.contoso.test')));
    assert.equal(conflict.statusCode, 409);
  });

  it('recovers the certificate together with its key and secret', async () => {
    const name = uniqueName('recovered');
    const cert = await create(name, rsaPolicy('CN=recovered.contoso.test'));
    await (await certificates().beginDeleteCertificate(name, poll)).pollUntilDone();
    const recovered = await (await certificates().beginRecoverDeletedCertificate(name, poll)).pollUntilDone();
    assert.equal(recovered.properties.version, cert.properties.version);
    assert.ok(openPfx((await secrets().getSecret(name)).value!).key, 'the secret is back');
    assert.equal((await keys().getKey(name)).properties.version, cert.properties.version, 'the key is back (keys family)');
  });

  it('purges the certificate, its key and its secret', async () => {
    const name = uniqueName('purged');
    await create(name, rsaPolicy('CN=purged.contoso.test'));
    await (await certificates().beginDeleteCertificate(name, poll)).pollUntilDone();
    await certificates().purgeDeletedCertificate(name);
    assert.equal((await restError(() => certificates().getDeletedCertificate(name))).statusCode, 404);
    assert.equal((await restError(() => secrets().getDeletedSecret(name))).statusCode, 404);
    assert.equal((await restError(() => keys().getDeletedKey(name))).statusCode, 404);
  });

  it('restores a purged certificate from its backup with key and secret, and refuses to restore over an existing one', async () => {
    const name = uniqueName('backup');
    const cert = await create(name, rsaPolicy('CN=backup.contoso.test'));
    const backup = await certificates().backupCertificate(name);
    assert.ok(backup && backup.length > 0);
    await (await certificates().beginDeleteCertificate(name, poll)).pollUntilDone();
    await certificates().purgeDeletedCertificate(name);
    const restored = await certificates().restoreCertificateBackup(backup);
    assert.equal(restored.properties.version, cert.properties.version);
    assert.ok(Buffer.from(restored.cer!).equals(Buffer.from(cert.cer!)));
    assert.ok(x509(cert).checkPrivateKey(openPfx((await secrets().getSecret(name)).value!).key!));
    const conflict = await restError(() => certificates().restoreCertificateBackup(backup));
    assert.equal(conflict.statusCode, 409);
    const tampered = Buffer.from(backup);
    tampered[tampered.length - 3] ^= 0xff;
    assert.equal((await restError(() => certificates().restoreCertificateBackup(tampered))).statusCode, 400);
  });
});

describe('certificates: validation and access', () => {
  const createRaw = (name: string, policy: unknown, vault = 'kv-demo') => raw.request(vault, 'POST', `/certificates/${name}/create`, { body: { policy } });
  const self = (x509_props: Record<string, unknown>, key_props: Record<string, unknown> = {}) => ({ issuer: { name: 'Self' }, x509_props: { subject: 'CN=bad.contoso.test', ...x509_props }, key_props });

  it('refuses malformed SANs, out-of-range validity and unsupported keys with 400 BadParameter', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['a DNS name with a space', self({ sans: { dns_names: ['bad name.contoso.test'] } }), /DNS name 'bad name\.contoso\.test'/],
      ['a DNS label starting with a hyphen', self({ sans: { dns_names: ['-x.contoso.test'] } }), /DNS name/],
      ['an email without a domain', self({ sans: { emails: ['nobody'] } }), /email address 'nobody'/],
      ['an IP address out of range', self({ sans: { ipAddresses: ['300.1.1.1'] } }), /IP address/],
      ['zero months of validity', self({ validity_months: 0 }), /validity_months 0 is out of range/],
      ['more than 1200 months', self({ validity_months: 1201 }), /validity_months 1201 is out of range/],
      ['a 1024-bit RSA key', self({}, { kty: 'RSA', key_size: 1024 }), /key_size 1024 is not supported/],
      ['an unknown curve', self({}, { kty: 'EC', crv: 'P-192' }), /crv 'P-192' is not supported/],
      ['an oct key', self({}, { kty: 'oct' }), /kty 'oct' is not supported/],
      ['a key usage outside the enum', self({ key_usage: ['signEverything'] }), /key_usage entry 'signEverything'/],
      ['a subject that is not a distinguished name', self({ subject: 'just text' }), /not a valid X\.500 distinguished name/],
      ['no subject and no SANs', { issuer: { name: 'Self' }, x509_props: {} }, /needs x509_props\.subject/],
      ['an issuer that is not configured', { issuer: { name: 'nobody-ca' }, x509_props: { subject: 'CN=x' } }, /Issuer 'nobody-ca' is not configured/],
      ['no issuer', { x509_props: { subject: 'CN=x' } }, /needs issuer\.name/],
      ['AutoRenew with issuer Unknown', { issuer: { name: 'Unknown' }, x509_props: { subject: 'CN=x' }, lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'AutoRenew' } }] }, /cannot use the 'AutoRenew'/],
      ['days_before_expiry beyond the validity', { ...self({ validity_months: 1 }), lifetime_actions: [{ trigger: { days_before_expiry: 90 }, action: { action_type: 'EmailContacts' } }] }, /between 1 and 27/],
      ['a lifetime action with two triggers', { ...self({}), lifetime_actions: [{ trigger: { days_before_expiry: 9, lifetime_percentage: 50 }, action: { action_type: 'EmailContacts' } }] }, /exactly one of/],
      ['a key_size that does not fit the curve', self({}, { kty: 'EC', crv: 'P-384', key_size: 256 }), /does not match curve P-384/],
      ['a content type other than PFX or PEM', { ...self({}), secret_props: { contentType: 'text/plain' } }, /contentType 'text\/plain' is not supported/],
    ];
    for (const [what, policy, message] of cases) {
      const r = await createRaw(uniqueName('invalid'), policy);
      assert.equal(r.status, 400, `${what}: ${r.text}`);
      assert.equal(errorOf(r)?.code, 'BadParameter', what);
      assert.match(errorOf(r)?.message ?? '', message, what);
    }
    const noPolicy = await raw.request('kv-demo', 'POST', `/certificates/${uniqueName('no-policy')}/create`, { body: {} });
    assert.equal(noPolicy.status, 400);
    const badName = await createRaw('bad_name', self({}));
    assert.equal(badName.status, 400);
  });

  it('refuses HSM-protected keys in a Standard vault and accepts them, non-exportable, in a Premium one', async () => {
    const standard = await createRaw(uniqueName('hsm-std'), self({}, { kty: 'RSA-HSM', exportable: false }), 'kv-scale');
    assert.equal(standard.status, 400);
    assert.match(errorOf(standard)?.message ?? '', /Premium/);
    const exportable = await createRaw(uniqueName('hsm-exp'), self({}, { kty: 'RSA-HSM', exportable: true }));
    assert.equal(exportable.status, 400);
    const name = uniqueName('hsm-ok');
    const ok = await createRaw(name, self({}, { kty: 'EC-HSM', crv: 'P-256', exportable: false }));
    assert.equal(ok.status, 202, ok.text);
    assert.equal((await certificates().getCertificatePolicy(name)).keyType, 'EC-HSM');
  });

  it('refuses a certificate whose name is taken by a plain secret', async () => {
    const name = uniqueName('taken');
    await secrets().setSecret(name, 'value');
    const r = await createRaw(name, self({}));
    assert.equal(r.status, 409);
    assert.equal(errorOf(r)?.code, 'Conflict');
  });

  it('lets the list-only reader list certificates but not read one, and the no-access identity do neither', async () => {
    let listed = 0;
    for await (const p of certificates('kv-demo', 'reader').listPropertiesOfCertificates()) if (p.name) listed++;
    assert.ok(listed > 0);
    const denied = await restError(() => certificates('kv-demo', 'reader').getCertificate('web-contoso-com'));
    assert.equal(denied.statusCode, 403);
    assert.equal(errorCode(denied), 'Forbidden');
    assert.match(denied.message, /does not have certificates get permission/);
    const create403 = await createRaw(uniqueName('reader'), self({}));
    assert.equal(create403.status, 202, 'the app may create');
    const readerCreate = await raw.request('kv-demo', 'POST', `/certificates/${uniqueName('reader')}/create`, { body: { policy: self({}) }, identity: 'reader' });
    assert.equal(readerCreate.status, 403);
    const none = await raw.request('kv-demo', 'GET', '/certificates', { identity: 'noaccess' });
    assert.equal(none.status, 403);
  });

  it('serves no certificates on a Managed HSM', async () => {
    const r = await raw.request('hsm-demo', 'GET', '/certificates');
    assert.equal(r.status, 404);
  });
});

describe('certificates: demo seed', () => {
  it('seeds kv-demo with renewed, EC, expiring, CA-issued, pending and deleted certificates, contacts and an issuer', async () => {
    const web = await certificates().getCertificate('web-contoso-com');
    assert.ok(x509(web).subjectAltName?.includes('DNS:api.contoso.com'));
    const webVersions: string[] = [];
    for await (const v of certificates().listPropertiesOfCertificateVersions('web-contoso-com')) webVersions.push(v.version!);
    assert.equal(webVersions.length, 2);
    assert.equal(x509(await certificates().getCertificate('api-gateway-ec')).publicKey.asymmetricKeyType, 'ec');
    const expiring = await certificates().getCertificate('expiring-soon-cert');
    const daysLeft = (expiring.properties.expiresOn!.getTime() - Date.now()) / 86_400_000;
    assert.ok(daysLeft > 9 && daysLeft < 11, `${daysLeft} days left`);
    const shop = await certificates().getCertificate('shop-contoso-com');
    assert.notEqual(x509(shop).issuer, x509(shop).subject, 'issued by the configured issuer’s CA');
    assert.equal(openPfx((await secrets().getSecret('shop-contoso-com')).value!).certs.length, 2);
    const pending = await certificates().getCertificateOperation('pending-csr-cert');
    const state = pending.getOperationState().certificateOperation;
    assert.equal(state?.status, 'inProgress');
    assert.ok(state?.csr && state.csr.length > 100);
    assert.equal((await certificates().getDeletedCertificate('old-intranet-cert')).name, 'old-intranet-cert');
    assert.ok(((await certificates().getContacts()) ?? []).length >= 1);
    assert.equal((await certificates().getIssuer('contoso-digicert')).provider, 'DigiCert');
  });

  it('gives its seeded certificates their secrets and keys (keys family)', async () => {
    const web = await certificates().getCertificate('web-contoso-com');
    assert.ok(x509(web).checkPrivateKey(openPfx((await secrets().getSecret('web-contoso-com')).value!).key!));
    assert.equal((await keys().getKey('web-contoso-com')).properties.version, web.properties.version);
    const digest = createHash('sha1').update(Buffer.from(web.cer!)).digest('hex');
    assert.equal(web.properties.x509ThumbprintString, digest);
  });
});
