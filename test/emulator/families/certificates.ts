import { newVersion } from '../core/ids';
import type { Container, EmulatorInternals, FamilyModule, RouteDef } from '../core/types';
import { startVersion } from './certificates/issuance';
import { deleteContacts, deleteIssuer, getContacts, getIssuer, listIssuers, seedContacts, seedIssuer, setContacts, setIssuer, updateIssuer } from './certificates/issuers';
import {
  backupCertificate,
  deleteCertificate,
  getCertificate,
  getDeleted,
  getPolicy,
  listCertificates,
  listDeleted,
  listVersions,
  purgeDeleted,
  recoverDeleted,
  restoreCertificate,
  updateCertificate,
  updatePolicy,
} from './certificates/lifecycle';
import { certStore, linkedStores } from './certificates/model';
import { createCertificate, deleteOperation, getOperation, importCertificate, mergeCertificate, policyContext, updateOperation } from './certificates/operations';
import { convertCertificateSecret } from './certificates/pfx';
import { keyShapeOfPolicy, resolvePolicy } from './certificates/policy';
import { generatePrivateKey } from './certificates/x509';

// Certificates exist on vaults only: Managed HSMs have no certificates (their routes answer 404 there).
const vault = ['vault'] as const;
const perm = (action: string) => ({ family: 'certificates' as const, action });

const routes: RouteDef[] = [
  { method: 'GET', path: '/certificates', operationId: 'GetCertificates', on: vault, permission: perm('list'), handler: listCertificates },
  { method: 'POST', path: '/certificates/restore', operationId: 'RestoreCertificate', on: vault, permission: perm('restore'), handler: restoreCertificate },
  { method: 'GET', path: '/certificates/contacts', operationId: 'GetCertificateContacts', on: vault, permission: perm('managecontacts'), handler: getContacts },
  { method: 'PUT', path: '/certificates/contacts', operationId: 'SetCertificateContacts', on: vault, permission: perm('managecontacts'), handler: setContacts },
  { method: 'DELETE', path: '/certificates/contacts', operationId: 'DeleteCertificateContacts', on: vault, permission: perm('managecontacts'), handler: deleteContacts },
  { method: 'GET', path: '/certificates/issuers', operationId: 'GetCertificateIssuers', on: vault, permission: perm('listissuers'), handler: listIssuers },
  { method: 'GET', path: '/certificates/issuers/{issuer-name}', operationId: 'GetCertificateIssuer', on: vault, permission: perm('getissuers'), handler: getIssuer },
  { method: 'PUT', path: '/certificates/issuers/{issuer-name}', operationId: 'SetCertificateIssuer', on: vault, permission: perm('setissuers'), handler: setIssuer },
  { method: 'PATCH', path: '/certificates/issuers/{issuer-name}', operationId: 'UpdateCertificateIssuer', on: vault, permission: perm('setissuers'), handler: updateIssuer },
  { method: 'DELETE', path: '/certificates/issuers/{issuer-name}', operationId: 'DeleteCertificateIssuer', on: vault, permission: perm('deleteissuers'), handler: deleteIssuer },
  { method: 'DELETE', path: '/certificates/{certificate-name}', operationId: 'DeleteCertificate', on: vault, permission: perm('delete'), handler: deleteCertificate },
  { method: 'POST', path: '/certificates/{certificate-name}/create', operationId: 'CreateCertificate', on: vault, permission: perm('create'), handler: createCertificate },
  { method: 'POST', path: '/certificates/{certificate-name}/import', operationId: 'ImportCertificate', on: vault, permission: perm('import'), handler: importCertificate },
  { method: 'POST', path: '/certificates/{certificate-name}/backup', operationId: 'BackupCertificate', on: vault, permission: perm('backup'), handler: backupCertificate },
  { method: 'GET', path: '/certificates/{certificate-name}/versions', operationId: 'GetCertificateVersions', on: vault, permission: perm('list'), handler: listVersions },
  { method: 'GET', path: '/certificates/{certificate-name}/policy', operationId: 'GetCertificatePolicy', on: vault, permission: perm('get'), handler: getPolicy },
  { method: 'PATCH', path: '/certificates/{certificate-name}/policy', operationId: 'UpdateCertificatePolicy', on: vault, permission: perm('update'), handler: updatePolicy },
  { method: 'GET', path: '/certificates/{certificate-name}/pending', operationId: 'GetCertificateOperation', on: vault, permission: perm('get'), handler: getOperation },
  { method: 'PATCH', path: '/certificates/{certificate-name}/pending', operationId: 'UpdateCertificateOperation', on: vault, permission: perm('update'), handler: updateOperation },
  { method: 'DELETE', path: '/certificates/{certificate-name}/pending', operationId: 'DeleteCertificateOperation', on: vault, permission: perm('update'), handler: deleteOperation },
  { method: 'POST', path: '/certificates/{certificate-name}/pending/merge', operationId: 'MergeCertificate', on: vault, permission: perm('create'), handler: mergeCertificate },
  { method: 'GET', path: '/certificates/{certificate-name}/{certificate-version?}', operationId: 'GetCertificate', on: vault, permission: perm('get'), handler: getCertificate },
  { method: 'PATCH', path: '/certificates/{certificate-name}/{certificate-version?}', operationId: 'UpdateCertificate', on: vault, permission: perm('update'), handler: updateCertificate },
  { method: 'GET', path: '/deletedcertificates', operationId: 'GetDeletedCertificates', on: vault, permission: perm('list'), handler: listDeleted },
  { method: 'GET', path: '/deletedcertificates/{certificate-name}', operationId: 'GetDeletedCertificate', on: vault, permission: perm('get'), handler: getDeleted },
  { method: 'DELETE', path: '/deletedcertificates/{certificate-name}', operationId: 'PurgeDeletedCertificate', on: vault, permission: perm('purge'), handler: purgeDeleted },
  { method: 'POST', path: '/deletedcertificates/{certificate-name}/recover', operationId: 'RecoverDeletedCertificate', on: vault, permission: perm('recover'), handler: recoverDeleted },
];

const DAY_MS = 86400_000;

interface DemoCertificate {
  name: string;
  policy: Record<string, unknown>;
  tags?: Record<string, string>;
  window?: { notBefore: Date; notAfter: Date };
  deleted?: boolean;
}

function demoCertificatesFor(container: Container): DemoCertificate[] {
  if (container.spec.name === 'kv-tenant2') {
    return [{ name: 'fabrikam-intranet', policy: { issuer: { name: 'Self' }, key_props: { kty: 'EC', crv: 'P-256' }, x509_props: { subject: 'CN=intranet.fabrikam.com, O=Fabrikam', sans: { dns_names: ['intranet.fabrikam.com'] } } } }];
  }
  if (container.spec.name !== 'kv-demo') return [];
  const web = {
    issuer: { name: 'Self' },
    key_props: { kty: 'RSA', key_size: 2048, exportable: true, reuse_key: false },
    secret_props: { contentType: 'application/x-pkcs12' },
    x509_props: { subject: 'CN=www.contoso.com, O=Contoso Ltd, L=Redmond, S=WA, C=US', sans: { dns_names: ['www.contoso.com', 'contoso.com', 'api.contoso.com'] }, validity_months: 12 },
  };
  return [
    // Two versions: the older one was renewed a month later.
    { name: 'web-contoso-com', policy: web, tags: { app: 'web', env: 'prod' }, window: { notBefore: new Date(Date.now() - 40 * DAY_MS), notAfter: new Date(Date.now() + 325 * DAY_MS) } },
    { name: 'web-contoso-com', policy: web, tags: { app: 'web', env: 'prod', renewed: 'true' } },
    {
      name: 'api-gateway-ec',
      policy: {
        issuer: { name: 'Self' },
        key_props: { kty: 'EC', crv: 'P-256' },
        secret_props: { contentType: 'application/x-pem-file' },
        x509_props: { subject: 'CN=gateway.contoso.com, O=Contoso Ltd', sans: { dns_names: ['gateway.contoso.com'] }, key_usage: ['digitalSignature'], validity_months: 24 },
      },
      tags: { app: 'gateway' },
    },
    {
      name: 'expiring-soon-cert',
      policy: {
        issuer: { name: 'Self' },
        x509_props: { subject: 'CN=legacy.contoso.com', sans: { dns_names: ['legacy.contoso.com'] }, validity_months: 12 },
        lifetime_actions: [{ trigger: { days_before_expiry: 30 }, action: { action_type: 'EmailContacts' } }],
      },
      tags: { owner: 'legacy-team' },
      window: { notBefore: new Date(Date.now() - 355 * DAY_MS), notAfter: new Date(Date.now() + 10 * DAY_MS) },
    },
    {
      name: 'shop-contoso-com',
      policy: { issuer: { name: 'contoso-digicert', cty: 'OV-SSL' }, x509_props: { subject: 'CN=shop.contoso.com, O=Contoso Ltd, C=US', sans: { dns_names: ['shop.contoso.com'] }, validity_months: 12 } },
      tags: { app: 'shop' },
    },
    {
      name: 'pending-csr-cert',
      policy: { issuer: { name: 'Unknown' }, x509_props: { subject: 'CN=partner.fabrikam.com, O=Contoso Ltd', sans: { dns_names: ['partner.fabrikam.com'] }, validity_months: 12 } },
      tags: { waiting: 'external-ca' },
    },
    { name: 'old-intranet-cert', policy: { issuer: { name: 'Self' }, key_props: { kty: 'EC', crv: 'P-256' }, x509_props: { subject: 'CN=intranet.contoso.com' } }, deleted: true },
  ];
}

/**
 * kv-demo: a renewed RSA web certificate with SANs, an EC one kept as PEM, one that expires in ten days, one issued
 * through a configured issuer (with its chain), one waiting for a merge (issuer Unknown, real CSR), contacts, an
 * issuer, and a deleted certificate (its key and secret deleted with it). kv-tenant2 gets one certificate.
 * Every key is made up front, in parallel on libuv's pool: RSA generation dominates the emulator's start.
 */
async function seedDemo(container: Container, emulator: EmulatorInternals): Promise<void> {
  if (container.spec.kind !== 'vault') return;
  const demo = demoCertificatesFor(container);
  if (demo.length === 0) return;
  if (container.spec.name === 'kv-demo') {
    seedContacts(container, [
      { email: 'pki-team@contoso.com', name: 'PKI Team', phone: '+1 425 555 0100' },
      { email: 'secops@contoso.com', name: 'Security Operations' },
    ]);
    seedIssuer(container, 'contoso-digicert', 'DigiCert', 'contoso-pki', { first_name: 'Dana', last_name: 'Reyes', email: 'dana.reyes@contoso.com', phone: '+1 425 555 0142' });
  }
  const ctx = policyContext(container);
  const policies = demo.map((d) => resolvePolicy(d.policy, undefined, ctx, 'create'));
  const keys = await Promise.all(policies.map((p) => generatePrivateKey(keyShapeOfPolicy(p))));
  for (const [i, d] of demo.entries()) {
    await startVersion(container, emulator, {
      name: d.name,
      policy: policies[i]!,
      key: keys[i]!,
      ...(d.tags ? { tags: d.tags } : {}),
      ...(d.window ? { window: d.window } : {}),
      version: newVersion(),
      requestId: newVersion(),
    });
    if (d.deleted) {
      certStore(container).softDelete(d.name);
      for (const store of linkedStores(container)) store.softDelete(d.name);
    }
  }
}

export const certificates: FamilyModule = {
  routes,
  seedDemo,
  register(emulator) {
    emulator.services.convertCertificateSecret = convertCertificateSecret;
  },
};
