import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import forge from 'node-forge';
import { csrFromPem } from '../../src/keyvault/certificates/csr';
import type { CertificateOperation, CertificatePolicy, KeyVaultCertificate } from '../../src/keyvault/models/certificates';
import { buildDetailsModel, healthOf, policyRows, sanEntries } from '../../src/webviews/certificateDetails/model';
import { parsePageMessage } from '../../src/webviews/certificateDetails/protocol';
import { csrOf, derOf, issue, LocalCa, rsaKey } from './certificates-ui-fixtures';

const VAULT = 'https://kv-demo.vault.azure.net';
const DAY = 86_400_000;

function bundle(cer: Buffer, over: Partial<KeyVaultCertificate> = {}): KeyVaultCertificate {
  return {
    id: `${VAULT}/certificates/web/0123456789abcdef0123456789abcdef`,
    vaultUrl: VAULT,
    name: 'web',
    version: '0123456789abcdef0123456789abcdef',
    attributes: { enabled: true, createdOn: new Date('2026-01-01T00:00:00Z'), updatedOn: new Date('2026-01-02T00:00:00Z'), recoveryLevel: 'Recoverable+Purgeable' },
    tags: { env: 'dev' },
    pending: false,
    cer: new Uint8Array(cer),
    contentType: 'application/x-pkcs12',
    ...over,
  };
}

const policy: CertificatePolicy = {
  keyProperties: { keyType: 'RSA', keySize: 2048, exportable: true, reuseKey: false },
  secretProperties: { contentType: 'application/x-pem-file' },
  x509Properties: { subject: 'CN=www.contoso.com', subjectAlternativeNames: { dnsNames: ['www.contoso.com'], ipAddresses: ['10.0.0.1'] }, validityInMonths: 12, ekus: ['1.3.6.1.5.5.7.3.1'] },
  lifetimeActions: [{ action: 'AutoRenew', lifetimePercentage: 80 }],
  issuer: { name: 'Self' },
};

describe('Certificate details model', () => {
  const key = rsaKey();
  const leaf = issue('www.contoso.com', key, { dnsNames: ['www.contoso.com', 'contoso.com'] });
  const cer = derOf(leaf);

  it('reads subject, issuer, SANs, validity, thumbprints, key usage and key from the CER, not a raw dump', () => {
    const m = buildDetailsModel({ certificate: bundle(cer), name: 'web', vaultUrl: VAULT, vaultName: 'kv-demo', now: Date.now(), warningDays: 30 });
    const c = m.certificate!;
    assert.equal(c.subject, 'CN=www.contoso.com');
    assert.equal(c.issuer, 'CN=www.contoso.com');
    assert.deepEqual(c.sans, [
      { kind: 'DNS', value: 'www.contoso.com' },
      { kind: 'DNS', value: 'contoso.com' },
    ]);
    assert.equal(c.thumbprintSha1, createHash('sha1').update(cer).digest('hex').toUpperCase());
    assert.equal(c.thumbprintSha256, createHash('sha256').update(cer).digest('hex').toUpperCase());
    assert.deepEqual(c.keyUsage, ['Digital signature', 'Key encipherment']);
    assert.deepEqual(c.extendedKeyUsage, ['Server authentication (1.3.6.1.5.5.7.3.1)']);
    assert.equal(c.publicKey, 'RSA 2048 bits');
    assert.equal(c.selfIssued, true);
    assert.equal(m.health, 'valid');
    assert.match(m.healthText, /^Valid for \d+ more days$/);
    assert.equal(m.chainState, 'self-signed');
    assert.equal(m.chain.length, 1);
    assert.deepEqual(m.tags, [['env', 'dev']]);
    assert.equal(m.attributes[0]?.copy, 'id');
    assert.equal(m.vaultHost, 'kv-demo.vault.azure.net');
  });

  it('says expired, expiring, not yet valid and disabled plainly', () => {
    const now = Date.parse('2026-06-01T00:00:00Z');
    assert.deepEqual(healthOf(new Date(now - 100 * DAY), new Date(now - 3 * DAY), now, 30), { health: 'expired', text: 'Expired 3 days ago' });
    assert.deepEqual(healthOf(new Date(now - 100 * DAY), new Date(now + 1 * DAY), now, 30), { health: 'expiring', text: 'Expires in 1 day' });
    assert.deepEqual(healthOf(new Date(now + 2 * DAY), new Date(now + 200 * DAY), now, 30), { health: 'not-yet-valid', text: 'Not valid until 2026-06-03' });
    const m = buildDetailsModel({ certificate: bundle(cer, { attributes: { enabled: false } }), name: 'web', vaultUrl: VAULT, vaultName: 'kv-demo', now: Date.now(), warningDays: 30 });
    assert.equal(m.health, 'disabled');
    assert.match(m.healthText, /^Disabled · valid for/);
  });

  it('shows the chain leaf first once it is loaded, and only the leaf before', () => {
    const ca = new LocalCa();
    const signed = ca.sign(csrOf(key, 'api.contoso.com', ['api.contoso.com']));
    const before = buildDetailsModel({ certificate: bundle(derOf(signed)), name: 'api', vaultUrl: VAULT, vaultName: 'kv-demo', now: Date.now(), warningDays: 30 });
    assert.equal(before.chainState, 'leaf-only');
    const after = buildDetailsModel({ certificate: bundle(derOf(signed)), chain: [derOf(signed), derOf(ca.cert)], name: 'api', vaultUrl: VAULT, vaultName: 'kv-demo', now: Date.now(), warningDays: 30 });
    assert.equal(after.chainState, 'loaded');
    assert.deepEqual(
      after.chain.map((c) => [c.subject, c.isCertificateAuthority]),
      [
        ['CN=api.contoso.com', false],
        ['CN=Key Vault Explorer Test CA', true],
      ],
    );
  });

  it('describes a pending operation waiting for a merge, with what its CSR asks for', () => {
    const csr = csrOf(key, 'pending.contoso.com', ['pending.contoso.com']);
    const op: CertificateOperation = { id: `${VAULT}/certificates/p/pending`, vaultUrl: VAULT, name: 'p', issuerName: 'Unknown', status: 'inProgress', cancellationRequested: false, csr: new Uint8Array(csrFromPem(csr)), requestId: 'r1' };
    const m = buildDetailsModel({ name: 'p', vaultUrl: VAULT, vaultName: 'kv-demo', operation: op, policy, now: Date.now(), warningDays: 30 });
    assert.equal(m.certificate, undefined);
    assert.equal(m.health, 'pending');
    assert.match(m.healthText, /waiting for the signed certificate to be merged/);
    assert.equal(m.operation?.waitingForMerge, true);
    assert.equal(m.operation?.csr?.subject, 'CN=pending.contoso.com');
    assert.deepEqual(m.operation?.csr?.sans, [{ kind: 'DNS', value: 'pending.contoso.com' }]);
    assert.equal(m.operation?.csr?.publicKey, 'RSA 2048 bits');
    assert.equal(m.id, `${VAULT}/certificates/p`);
  });

  it('summarises the policy in words', () => {
    const rows = Object.fromEntries(policyRows(policy).map((r) => [r.label, r.value]));
    assert.equal(rows.Issuer, 'Self');
    assert.equal(rows['DNS names'], 'www.contoso.com, IP: 10.0.0.1');
    assert.equal(rows.Key, 'RSA 2048');
    assert.equal(rows['Content type'], 'PEM');
    assert.equal(rows['Lifetime action'], 'Renew automatically at 80% of the lifetime');
    assert.equal(rows['Extended key usage'], 'Server authentication (1.3.6.1.5.5.7.3.1)');
  });

  it('lists SANs of every kind', () => {
    assert.deepEqual(
      sanEntries({ dnsNames: ['a'], emails: ['e@x.com'], upns: ['u@x.com'], uris: ['https://x'], ipAddresses: ['::1'] }).map((s) => s.kind),
      ['DNS', 'IP', 'Email', 'UPN', 'URI'],
    );
  });

  it('never holds key material: the model of a certificate made from a PFX has no PRIVATE KEY anywhere', () => {
    const m = buildDetailsModel({ certificate: bundle(cer), name: 'web', vaultUrl: VAULT, vaultName: 'kv-demo', now: Date.now(), warningDays: 30 });
    const text = JSON.stringify(m);
    assert.doesNotMatch(text, /PRIVATE KEY/);
    assert.equal(text.includes(forge.util.encode64(forge.asn1.toDer(forge.pki.privateKeyToAsn1(key)).getBytes()).slice(0, 40)), false);
  });
});

describe('Certificate details protocol', () => {
  it('accepts ready and known actions only', () => {
    assert.deepEqual(parsePageMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parsePageMessage({ type: 'action', action: 'copySha256' }), { type: 'action', action: 'copySha256' });
    assert.equal(parsePageMessage({ type: 'action', action: 'purge' }), undefined);
    assert.equal(parsePageMessage({ type: 'action', action: 'copyId', extra: 1 }), undefined);
    assert.equal(parsePageMessage({ type: 'ready', x: 1 }), undefined);
    assert.equal(parsePageMessage(null), undefined);
  });
});
