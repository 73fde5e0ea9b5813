import { randomBytes } from 'node:crypto';
import { CertificateClient, type CertificatePolicy } from '@azure/keyvault-certificates';
import { KeyClient } from '@azure/keyvault-keys';
import { SecretClient } from '@azure/keyvault-secrets';
import { containerUrl, credentialFor, sdkOptions } from '../../support/emulator';
import { drainPages, fastPoll, uniqueName, type SessionContext } from './session-context';
import { expectStatus } from './session';
import { makePem, makePfx, signCsr } from './x509-fixtures';

/** Every certificates operation through @azure/keyvault-certificates: self-signed, pending + merge, import, issuers, contacts. */
export async function certificatesSession({ ready, raw, s }: SessionContext): Promise<void> {
  const credential = credentialFor(ready, 'app');
  const url = containerUrl(ready, 'kv-demo');
  const client = new CertificateClient(url, credential, sdkOptions);
  const name = uniqueName('schema-cert');
  const policy: CertificatePolicy = {
    issuerName: 'Self',
    subject: 'CN=schema.contoso.test',
    subjectAlternativeNames: { dnsNames: ['schema.contoso.test', 'www.schema.contoso.test'] },
    validityInMonths: 12,
    keyType: 'RSA',
    keySize: 2048,
    reuseKey: false,
    exportable: true,
    contentType: 'application/x-pkcs12',
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    enhancedKeyUsage: ['1.3.6.1.5.5.7.3.1'],
    lifetimeActions: [{ action: 'AutoRenew', daysBeforeExpiry: 30 }],
  };
  const created = await s.step('CreateCertificate self-signed (polled to completion)', async () => (await client.beginCreateCertificate(name, policy, { ...fastPoll, tags: { team: 'fidelity' } })).pollUntilDone());
  await s.step('GetCertificate latest', () => client.getCertificate(name));
  const version = created?.properties.version;
  if (version) {
    await s.step('GetCertificate by version', () => client.getCertificateVersion(name, version));
    await s.step('UpdateCertificate tags', () => client.updateCertificateProperties(name, version, { tags: { team: 'fidelity', updated: 'yes' }, enabled: true }));
  } else {
    s.blocked('GetCertificate by version / UpdateCertificate', 'CreateCertificate');
  }
  await s.step('GetCertificatePolicy', () => client.getCertificatePolicy(name));
  await s.step('UpdateCertificatePolicy', () => client.updateCertificatePolicy(name, { ...policy, validityInMonths: 24, keyType: 'EC', keyCurveName: 'P-256', keySize: undefined }));
  await s.step('GetCertificates, several pages', () => drainPages(client.listPropertiesOfCertificates().byPage({ maxPageSize: 2 })));
  await s.step('GetCertificateVersions', () => drainPages(client.listPropertiesOfCertificateVersions(name).byPage()));
  if (created) {
    await s.step('GetSecret of the certificate’s managed secret', () => new SecretClient(url, credential, sdkOptions).getSecret(name));
    await s.step('GetKey of the certificate’s managed key', () => new KeyClient(url, credential, sdkOptions).getKey(name));
  }

  // Pending: issuer Unknown stays pending with a CSR until merged, cancelled or deleted.
  const pendingName = uniqueName('schema-pending');
  const unknownPolicy: CertificatePolicy = { issuerName: 'Unknown', subject: 'CN=pending.contoso.test', keyType: 'RSA', keySize: 2048 };
  await s.step('CreateCertificate with issuer Unknown (202, pending)', () => client.beginCreateCertificate(pendingName, unknownPolicy));
  const operation = await s.step('GetCertificateOperation', async () => (await client.getCertificateOperation(pendingName)).getOperationState().certificateOperation);
  await s.step('UpdateCertificateOperation (cancel)', async () => (await client.getCertificateOperation(pendingName)).cancelOperation());
  await s.step('DeleteCertificateOperation', () => client.deleteCertificateOperation(pendingName));
  const mergeName = uniqueName('schema-merge');
  await s.step('CreateCertificate to merge', () => client.beginCreateCertificate(mergeName, unknownPolicy));
  const csr = await s.step('GetCertificateOperation for its CSR', async () => (await client.getCertificateOperation(mergeName)).getOperationState().certificateOperation?.csr);
  if (csr && operation) await s.step('MergeCertificate with a CA-signed certificate', () => client.mergeCertificate(mergeName, [signCsr(csr)]));
  else s.blocked('MergeCertificate', 'a pending operation with a CSR');

  // Import: PFX with password, and PEM.
  const pfx = makePfx('import-pwd');
  await s.step('ImportCertificate PFX with password', () => client.importCertificate(uniqueName('schema-pfx'), pfx, { password: 'import-pwd', policy: { contentType: 'application/x-pkcs12' } }));
  await s.step('ImportCertificate PEM', () => client.importCertificate(uniqueName('schema-pem'), Buffer.from(makePem()), { policy: { contentType: 'application/x-pem-file' } }));

  // Issuers and contacts.
  const issuer = uniqueName('schema-issuer');
  await s.step('SetCertificateIssuer', () =>
    client.createIssuer(issuer, 'Test', { accountId: 'account', password: 'pwd', organizationId: 'org-1', administratorContacts: [{ email: 'admin@contoso.test', firstName: 'Ada', lastName: 'Admin', phone: '555-0100' }], enabled: true }),
  );
  await s.step('GetCertificateIssuer', () => client.getIssuer(issuer));
  await s.step('UpdateCertificateIssuer', () => client.updateIssuer(issuer, { accountId: 'account-2' }));
  await s.step('GetCertificateIssuers', () => drainPages(client.listPropertiesOfIssuers().byPage()));
  await s.step('DeleteCertificateIssuer', () => client.deleteIssuer(issuer));
  await s.step('SetCertificateContacts', () => client.setContacts([{ email: 'ops@contoso.test', name: 'Ops', phone: '555-0101' }]));
  await s.step('GetCertificateContacts', () => client.getContacts());
  await s.step('DeleteCertificateContacts', () => client.deleteContacts());

  // Soft delete and backup.
  if (created) {
    const backup = await s.step('BackupCertificate', () => client.backupCertificate(name));
    await s.step('DeleteCertificate', async () => (await client.beginDeleteCertificate(name, fastPoll)).pollUntilDone());
    await s.step('GetDeletedCertificate', () => client.getDeletedCertificate(name));
    await s.step('GetDeletedCertificates', () => drainPages(client.listDeletedCertificates().byPage({ maxPageSize: 2 })));
    await s.step('RecoverDeletedCertificate', async () => (await client.beginRecoverDeletedCertificate(name, fastPoll)).pollUntilDone());
    await s.step('DeleteCertificate again', async () => (await client.beginDeleteCertificate(name, fastPoll)).pollUntilDone());
    await s.step('PurgeDeletedCertificate', () => client.purgeDeletedCertificate(name));
    if (backup) await s.step('RestoreCertificate after purge', () => client.restoreCertificateBackup(backup));
  } else {
    s.blocked('certificate backup, delete, recover, purge, restore', 'CreateCertificate');
  }

  await s.step('GetCertificate of a missing certificate is 404', async () => expectStatus(await raw.request('kv-demo', 'GET', `/certificates/${uniqueName('missing')}/`), 404));
  await s.step('ImportCertificate of garbage bytes is 400', async () =>
    expectStatus(await raw.request('kv-demo', 'POST', `/certificates/${uniqueName('garbage')}/import`, { body: { value: randomBytes(64).toString('base64') } }), 400),
  );
}
