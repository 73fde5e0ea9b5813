import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { RestError } from '@azure/core-rest-pipeline';
import { CertificateClient, type CertificatePolicy } from '@azure/keyvault-certificates';
import { KeyClient } from '@azure/keyvault-keys';
import { SecretClient } from '@azure/keyvault-secrets';
import type { Emulator } from './emulator';
import { RawClient, errorOf } from './schema/http-client';
import { containerUrl, credentialFor, sdkOptions, startTestEmulator } from '../support/emulator';

// Certificates that wait for someone else: issuer Unknown (a real PKCS#10 CSR, signed here by a throwaway CA and
// merged back), cancellation and deletion of the operation, configured issuers (the emulator's own CA per issuer,
// or a failed operation when the issuer is disabled), issuer CRUD and certificate contacts.

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
const errorCode = (err: RestError): unknown => (err.details as { error?: { code?: string } } | undefined)?.error?.code;

const secrets = (): SecretClient => new SecretClient(containerUrl(emulator.ready, 'kv-demo'), credentialFor(emulator.ready, 'app'), sdkOptions);
const keys = (): KeyClient => new KeyClient(containerUrl(emulator.ready, 'kv-demo'), credentialFor(emulator.ready, 'app'), sdkOptions);

const unknownPolicy = (cn: string, dnsNames: [string, ...string[]] = [cn]): CertificatePolicy => ({ issuerName: 'Unknown', subject: `CN=${cn}`, subjectAlternativeNames: { dnsNames }, keyType: 'RSA', keySize: 2048 });

/** Starts an Unknown-issuer certificate and returns its CSR (DER). */
async function startPending(name: string, policy: CertificatePolicy): Promise<Buffer> {
  await client.beginCreateCertificate(name, policy);
  const op = (await client.getCertificateOperation(name)).getOperationState().certificateOperation;
  assert.equal(op?.status, 'inProgress');
  assert.ok(op?.csr, 'the operation carries a CSR');
  return Buffer.from(op.csr);
}

interface LocalCa {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
  der: Buffer;
}

function forgeRsa(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; node: KeyObject } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ format: 'pem', type: 'pkcs1' }).toString()) as forge.pki.rsa.PrivateKey;
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e), node: privateKey };
}

const derOf = (cert: forge.pki.Certificate): Buffer => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');

/** A throwaway CA, as an external issuer would have. */
function localCa(): LocalCa {
  const keys = forgeRsa();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  const name = [{ name: 'commonName', value: 'Merge Test CA' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, critical: true }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert, key: keys.privateKey, der: derOf(cert) };
}

/** Signs a certificate for `publicKey` with the CA, copying the CSR's subject. */
function issue(ca: LocalCa, subject: forge.pki.CertificateField[], publicKey: forge.pki.PublicKey, days = 90): Buffer {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `02${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + days * 86_400_000);
  cert.setSubject(subject);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.sign(ca.key, forge.md.sha256.create());
  return derOf(cert);
}

const parseCsr = (der: Buffer): forge.pki.CertificateSigningRequest => forge.pki.certificationRequestFromAsn1(forge.asn1.fromDer(der.toString('binary')));

function openPfx(base64: string): { key?: KeyObject; certs: Buffer[] } {
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.decode64(base64)));
  const out: { key?: KeyObject; certs: Buffer[] } = { certs: [] };
  for (const bag of p12.safeContents.flatMap((s) => s.safeBags)) {
    if (bag.cert) out.certs.push(derOf(bag.cert));
    else if (bag.type === forge.pki.oids.certBag) out.certs.push(Buffer.from(forge.asn1.toDer(bag.asn1).getBytes(), 'binary'));
    if (bag.key) out.key = createPrivateKey(forge.pki.privateKeyToPem(bag.key));
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

describe('certificates with issuer Unknown', () => {
  it('stay in progress with a real PKCS#10 CSR for the policy’s subject, SANs and key usage', async () => {
    const name = uniqueName('csr');
    const csr = parseCsr(await startPending(name, unknownPolicy('csr.contoso.test', ['csr.contoso.test', 'alt.contoso.test'])));
    assert.ok(csr.verify(), 'the CSR is signed by the pending key');
    assert.equal(csr.subject.getField('CN').value, 'csr.contoso.test');
    const request = csr.getAttribute({ name: 'extensionRequest' }) as unknown as { extensions: { name: string; altNames?: { value: string }[]; digitalSignature?: boolean }[] };
    const san = request.extensions.find((e) => e.name === 'subjectAltName');
    assert.deepEqual(san?.altNames?.map((a) => a.value), ['csr.contoso.test', 'alt.contoso.test']);
    assert.equal(request.extensions.find((e) => e.name === 'keyUsage')?.digitalSignature, true);
    const op = await raw.request('kv-demo', 'GET', `/certificates/${name}/pending`);
    assert.match(String((op.json as Record<string, unknown>).status_details), /Perform Merge/);
  });

  it('show a disabled version without certificate, key or secret until merged', async () => {
    const name = uniqueName('waiting');
    await startPending(name, unknownPolicy('waiting.contoso.test'));
    const cert = await client.getCertificate(name);
    assert.equal(cert.properties.enabled, false);
    assert.equal(cert.cer?.length ?? 0, 0);
    assert.equal(cert.keyId, undefined);
    assert.equal(cert.policy?.issuerName, 'Unknown');
    assert.equal((await restError(() => secrets().getSecret(name))).statusCode, 404);
    const listed: string[] = [];
    for await (const p of client.listPropertiesOfCertificates()) listed.push(p.name!);
    assert.ok(!listed.includes(name), 'not listed without includePending');
  });

  it('complete when a certificate signed by an outside CA is merged: version, key and secret with the chain', async () => {
    const name = uniqueName('merged');
    const csr = parseCsr(await startPending(name, unknownPolicy('merged.contoso.test')));
    const ca = localCa();
    const leaf = issue(ca, csr.subject.attributes, csr.publicKey!);
    const merged = await client.mergeCertificate(name, [leaf, ca.der]);
    assert.ok(Buffer.from(merged.cer!).equals(leaf), 'the merged leaf is the certificate');
    assert.equal(merged.properties.enabled, true);
    const x = new X509Certificate(leaf);
    assert.equal(merged.properties.expiresOn?.getTime(), Date.parse(x.validTo));
    const op = (await client.getCertificateOperation(name)).getOperationState().certificateOperation;
    assert.equal(op?.status, 'completed');
    assert.equal(op?.target, `${containerUrl(emulator.ready, 'kv-demo')}/certificates/${name}`);
    const pfx = openPfx((await secrets().getSecret(name)).value!);
    assert.equal(pfx.certs.length, 2, 'leaf and CA');
    assert.ok(pfx.certs[0]!.equals(leaf) && pfx.certs[1]!.equals(ca.der), 'leaf first, then the CA');
    assert.ok(x.checkPrivateKey(pfx.key!), 'the pending key is the certificate’s key');
    // Depends on the keys family's addKeyVersion service.
    assert.equal((await keys().getKey(name)).properties.version, merged.properties.version);
  });

  it('accept a merge of the certificate as PEM text, as the SDK samples send it', async () => {
    const name = uniqueName('merged-pem');
    const csr = parseCsr(await startPending(name, unknownPolicy('merged-pem.contoso.test')));
    const leaf = issue(localCa(), csr.subject.attributes, csr.publicKey!);
    const pem = `-----BEGIN CERTIFICATE-----\n${leaf.toString('base64')}\n-----END CERTIFICATE-----\n`;
    const merged = await client.mergeCertificate(name, [Buffer.from(pem)]);
    assert.ok(Buffer.from(merged.cer!).equals(leaf));
  });

  it('refuse to merge a certificate for another key with 400', async () => {
    const name = uniqueName('mismatch');
    const csr = parseCsr(await startPending(name, unknownPolicy('mismatch.contoso.test')));
    const other = issue(localCa(), csr.subject.attributes, forgeRsa().publicKey);
    const err = await restError(() => client.mergeCertificate(name, [other]));
    assert.equal(err.statusCode, 400);
    assert.match(err.message, /Public key from x509 certificate and key of this instance doesn't match/);
    assert.equal((await client.getCertificateOperation(name)).getOperationState().certificateOperation?.status, 'inProgress', 'still pending');
    const garbage = await raw.request('kv-demo', 'POST', `/certificates/${name}/pending/merge`, { body: { x5c: [randomBytes(40).toString('base64')] } });
    assert.equal(garbage.status, 400);
    const empty = await raw.request('kv-demo', 'POST', `/certificates/${name}/pending/merge`, { body: { x5c: [] } });
    assert.equal(empty.status, 400);
  });

  it('refuse a new version while the operation is pending', async () => {
    const name = uniqueName('busy');
    await startPending(name, unknownPolicy('busy.contoso.test'));
    const err = await restError(() => client.beginCreateCertificate(name, { issuerName: 'Self', subject: 'CN=busy.contoso.test' }));
    assert.equal(err.statusCode, 409);
  });

  it('let only one of two simultaneous requests start an operation', async () => {
    const name = uniqueName('race');
    const body = { policy: { issuer: { name: 'Unknown' }, x509_props: { subject: 'CN=race.contoso.test' } } };
    const answers = await Promise.all([0, 1].map(() => raw.request('kv-demo', 'POST', `/certificates/${name}/create`, { body })));
    assert.deepEqual(answers.map((a) => a.status).sort(), [202, 409]);
    const versions: string[] = [];
    for await (const v of client.listPropertiesOfCertificateVersions(name)) versions.push(v.version!);
    assert.equal(versions.length, 1, 'one version was reserved');
  });

  it('can be cancelled, after which the operation refuses updates and merges', async () => {
    const name = uniqueName('cancelled');
    const csr = parseCsr(await startPending(name, unknownPolicy('cancelled.contoso.test')));
    const poller = await client.getCertificateOperation(name);
    await poller.cancelOperation();
    const op = poller.getOperationState().certificateOperation;
    assert.equal(op?.status, 'cancelled');
    assert.equal(op?.cancellationRequested, true);
    const again = await raw.request('kv-demo', 'PATCH', `/certificates/${name}/pending`, { body: { cancellation_requested: true } });
    assert.equal(again.status, 403);
    assert.match(errorOf(again)?.message ?? '', /Pending status must be in progress/);
    const leaf = issue(localCa(), csr.subject.attributes, csr.publicKey!);
    assert.equal((await restError(() => client.mergeCertificate(name, [leaf]))).statusCode, 403);
    const missingFlag = await raw.request('kv-demo', 'PATCH', `/certificates/${name}/pending`, { body: {} });
    assert.equal(missingFlag.status, 400);
  });

  it('lose their operation when it is deleted, keeping the disabled version', async () => {
    const name = uniqueName('op-deleted');
    await startPending(name, unknownPolicy('op-deleted.contoso.test'));
    const deleted = await client.deleteCertificateOperation(name);
    assert.equal(deleted.status, 'inProgress');
    const err = await restError(() => client.getCertificateOperation(name));
    assert.equal(err.statusCode, 404);
    assert.equal(errorCode(err), 'PendingCertificateNotFound');
    const cert = await client.getCertificate(name);
    assert.equal(cert.properties.enabled, false);
    assert.equal((await restError(() => client.deleteCertificateOperation(name))).statusCode, 404);
    const renewed = await (await client.beginCreateCertificate(name, { issuerName: 'Self', subject: 'CN=op-deleted.contoso.test' }, poll)).pollUntilDone();
    assert.equal(renewed.properties.enabled, true, 'a new version can follow');
  });
});

describe('certificates from a configured issuer', () => {
  it('are issued at once by the issuer’s emulated CA, with the CA in the secret’s chain', async () => {
    const issuer = uniqueName('ca');
    await client.createIssuer(issuer, 'Test', { accountId: 'acct' });
    const name = uniqueName('issued');
    const cert = await (await client.beginCreateCertificate(name, { issuerName: issuer, subject: 'CN=issued.contoso.test', subjectAlternativeNames: { dnsNames: ['issued.contoso.test'] } }, poll)).pollUntilDone();
    const leaf = new X509Certificate(Buffer.from(cert.cer!));
    assert.match(leaf.issuer, new RegExp(`Emulated CA \\(${issuer}\\)`));
    const pfx = openPfx((await secrets().getSecret(name)).value!);
    assert.equal(pfx.certs.length, 2);
    const ca = new X509Certificate(pfx.certs[1]!);
    assert.ok(ca.ca, 'the second certificate is a CA');
    assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey), 'the CA signed the leaf');
    assert.ok(leaf.checkPrivateKey(pfx.key!));
    const second = await (await client.beginCreateCertificate(uniqueName('issued-again'), { issuerName: issuer, subject: 'CN=again.contoso.test' }, poll)).pollUntilDone();
    assert.ok(new X509Certificate(Buffer.from(second.cer!)).verify(ca.publicKey), 'the issuer keeps its CA');
  });

  it('fail their operation while the issuer is disabled', async () => {
    const issuer = uniqueName('off');
    await client.createIssuer(issuer, 'Test', { enabled: false });
    const name = uniqueName('refused');
    // The SDK's first poll already sees the failed operation and rejects.
    await assert.rejects(async () => (await client.beginCreateCertificate(name, { issuerName: issuer, subject: 'CN=refused.contoso.test' }, poll)).pollUntilDone(), /is disabled/);
    const op = (await raw.request('kv-demo', 'GET', `/certificates/${name}/pending`)).json as { status: string; error?: { code: string; message: string } };
    assert.equal(op.status, 'failed');
    assert.equal(op.error?.code, 'IssuerDisabled');
    assert.equal((await client.getCertificate(name)).properties.enabled, false, 'the version stays pending');
  });
});

describe('certificate issuers and contacts', () => {
  it('creates, reads, updates, lists and deletes an issuer, never returning its password', async () => {
    const name = uniqueName('issuer');
    const created = await client.createIssuer(name, 'DigiCert', { accountId: 'acct-1', password: 'p@ss', organizationId: 'org-1', administratorContacts: [{ email: 'admin@contoso.test', firstName: 'Ada', lastName: 'Admin', phone: '555-0100' }] });
    assert.equal(created.provider, 'DigiCert');
    assert.equal(created.password, undefined);
    const got = await client.getIssuer(name);
    assert.equal(got.accountId, 'acct-1');
    assert.equal(got.organizationId, 'org-1');
    assert.equal(got.administratorContacts?.[0]?.email, 'admin@contoso.test');
    assert.equal(got.enabled, true);
    const updated = await client.updateIssuer(name, { accountId: 'acct-2' });
    assert.equal(updated.accountId, 'acct-2');
    assert.equal(updated.organizationId, 'org-1', 'fields not sent are kept');
    // The SDK's updateIssuer sends `enabled` only when true, so disabling goes over the wire directly.
    const disabled = await raw.request('kv-demo', 'PATCH', `/certificates/issuers/${name}`, { body: { attributes: { enabled: false } } });
    assert.equal((disabled.json as { attributes: { enabled: boolean } }).attributes.enabled, false);
    assert.equal((await client.getIssuer(name)).enabled, false);
    // Issuer list items carry only id and provider.
    const listed: string[] = [];
    for await (const i of client.listPropertiesOfIssuers()) listed.push(i.id!);
    assert.ok(listed.includes(`${containerUrl(emulator.ready, 'kv-demo')}/certificates/issuers/${name}`));
    const deleted = await client.deleteIssuer(name);
    // The SDK derives `name` from the id as if it were a certificate's (…/certificates/issuers/x gives "issuers").
    assert.equal(deleted.id, `${containerUrl(emulator.ready, 'kv-demo')}/certificates/issuers/${name}`);
    const missing = await restError(() => client.getIssuer(name));
    assert.equal(missing.statusCode, 404);
    assert.equal(errorCode(missing), 'CertificateIssuerNotFound');
  });

  it('refuses the reserved names Self and Unknown and an issuer without provider', async () => {
    for (const name of ['Self', 'unknown']) {
      const r = await raw.request('kv-demo', 'PUT', `/certificates/issuers/${name}`, { body: { provider: 'Test' } });
      assert.equal(r.status, 400, name);
    }
    const noProvider = await raw.request('kv-demo', 'PUT', `/certificates/issuers/${uniqueName('np')}`, { body: {} });
    assert.equal(noProvider.status, 400);
  });

  it('sets, reads and deletes the contacts, then answers 404 ContactsNotFound', async () => {
    const set = await client.setContacts([{ email: 'ops@contoso.test', name: 'Ops', phone: '555-0101' }, { email: 'pki@contoso.test', name: 'PKI' }]);
    assert.equal(set?.length, 2);
    assert.deepEqual((await client.getContacts())?.map((c) => c?.email), ['ops@contoso.test', 'pki@contoso.test']);
    // The SDK's deleteContacts drops the answer's contacts (it reads the wire body with the model's names), so read it raw.
    const deleted = await raw.request('kv-demo', 'DELETE', '/certificates/contacts');
    assert.equal(deleted.status, 200);
    assert.equal((deleted.json as { contacts: unknown[] }).contacts.length, 2);
    const err = await restError(() => client.getContacts());
    assert.equal(err.statusCode, 404);
    assert.equal(errorCode(err), 'ContactsNotFound');
    const bad = await raw.request('kv-demo', 'PUT', '/certificates/contacts', { body: { contacts: [{ name: 'no email' }] } });
    assert.equal(bad.status, 400);
  });

  it('lets the list-only reader list issuers but not read, set or delete them', async () => {
    await client.createIssuer(uniqueName('visible'), 'Test');
    const list = await raw.request('kv-demo', 'GET', '/certificates/issuers', { identity: 'reader' });
    assert.equal(list.status, 200);
    const get = await raw.request('kv-demo', 'GET', '/certificates/issuers/anything', { identity: 'reader' });
    assert.equal(get.status, 403);
    const contacts = await raw.request('kv-demo', 'GET', '/certificates/contacts', { identity: 'reader' });
    assert.equal(contacts.status, 403);
  });
});

describe('certificate state across restarts', () => {
  it('keeps a pending certificate, its CSR key and its issuer CA in the --state file, so a merge still works after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kv-cert-state-'));
    const stateFile = join(dir, 'state.json');
    try {
      const first = await startTestEmulator({ seed: 'empty', stateFile });
      const firstClient = new CertificateClient(containerUrl(first.ready, 'kv-demo'), credentialFor(first.ready, 'app'), sdkOptions);
      const name = uniqueName('restart');
      await firstClient.beginCreateCertificate(name, unknownPolicy('restart.contoso.test'));
      const csrDer = Buffer.from((await firstClient.getCertificateOperation(name)).getOperationState().certificateOperation!.csr!);
      await firstClient.createIssuer('restart-ca', 'Test');
      const issued = await (await firstClient.beginCreateCertificate(uniqueName('restart-issued'), { issuerName: 'restart-ca', subject: 'CN=a.contoso.test' }, poll)).pollUntilDone();
      await first.close();
      // Let the SDK's shared keep-alive agent see its sockets to the first emulator close before the same ports reopen.
      await new Promise((r) => setTimeout(r, 200));

      const second = await startTestEmulator({ seed: 'empty', stateFile });
      try {
        const secondClient = new CertificateClient(containerUrl(second.ready, 'kv-demo'), credentialFor(second.ready, 'app'), sdkOptions);
        const csr = parseCsr(csrDer);
        const leaf = issue(localCa(), csr.subject.attributes, csr.publicKey!);
        const merged = await secondClient.mergeCertificate(name, [leaf]);
        assert.ok(Buffer.from(merged.cer!).equals(leaf), 'the pending key survived the restart');
        const again = await (await secondClient.beginCreateCertificate(uniqueName('restart-issued'), { issuerName: 'restart-ca', subject: 'CN=b.contoso.test' }, poll)).pollUntilDone();
        assert.equal(new X509Certificate(Buffer.from(again.cer!)).issuer, new X509Certificate(Buffer.from(issued.cer!)).issuer, 'the issuer kept its CA');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
