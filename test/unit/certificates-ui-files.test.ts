import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyVaultError } from '../../src/keyvault/errors';
import type { CertificatePolicy } from '../../src/keyvault/models/certificates';
import { certificatesInBundle, DOWNLOAD_FORMATS, downloadFileName, formatInfo, importFormatOf, nameFromFileName } from '../../src/commands/certificates/files';
import { checkEmail, checkIssuerName } from '../../src/commands/certificates/issuerInput';
import { editablePolicyJson, parseEditedPolicy } from '../../src/commands/certificates/policyJson';
import { derOf, issue, keyPemOf, LocalCa, pemOf, pfxOf, rsaKey, csrOf } from './certificates-ui-fixtures';

describe('Certificate files', () => {
  it('suggests a certificate name from a file name', () => {
    assert.equal(nameFromFileName('/home/me/Contoso Web (2024).pfx'), 'Contoso-Web-2024');
    assert.equal(nameFromFileName('C:\\certs\\api.contoso.com.p12'), 'api-contoso-com');
    assert.equal(nameFromFileName('___.pem'), '');
    assert.equal(nameFromFileName(`${'a'.repeat(200)}.pfx`).length, 127);
  });

  it('names downloads after the certificate (and version)', () => {
    assert.equal(downloadFileName('web', 'cer'), 'web.cer');
    assert.equal(downloadFileName('web', '.pfx', '0123456789abcdef'), 'web-01234567.pfx');
  });

  it('marks which download formats carry the private key', () => {
    assert.deepEqual(
      DOWNLOAD_FORMATS.map((f) => [f.format, f.privateKey]),
      [
        ['cer', false],
        ['pem', false],
        ['pfx', true],
        ['pem-with-key', true],
      ],
    );
    assert.throws(() => formatInfo('zip' as never), /not a download format/);
  });

  it('tells PEM from PFX by content, not by extension', () => {
    const key = rsaKey();
    const cert = issue('a.contoso.com', key);
    assert.equal(importFormatOf(new TextEncoder().encode(pemOf(cert) + keyPemOf(key))), 'pem');
    assert.equal(importFormatOf(pfxOf(key, [cert], 'pw')), 'pfx');
  });

  it('reads the chain out of a PFX or PEM bundle, leaf first, without the key', () => {
    const ca = new LocalCa();
    const key = rsaKey();
    const leaf = ca.sign(csrOf(key, 'leaf.contoso.com'));
    const fromPfx = certificatesInBundle(pfxOf(key, [ca.cert, leaf], null), 'application/x-pkcs12');
    assert.deepEqual(fromPfx, [derOf(leaf), derOf(ca.cert)]);
    const pem = keyPemOf(key) + pemOf(ca.cert) + pemOf(leaf);
    const fromPem = certificatesInBundle(new TextEncoder().encode(pem), 'application/x-pem-file');
    assert.deepEqual(fromPem, [derOf(leaf), derOf(ca.cert)]);
    assert.throws(() => certificatesInBundle(new Uint8Array([1, 2, 3]), 'application/x-pkcs12'), /could not be read/);
  });
});

describe('Issuer and contact input', () => {
  it('checks issuer names and emails as the service does', () => {
    assert.equal(checkIssuerName('contoso-digicert'), undefined);
    assert.match(checkIssuerName('Self') ?? '', /built in/);
    assert.match(checkIssuerName('a b') ?? '', /letters, digits and dashes/);
    assert.equal(checkEmail('pki@contoso.com'), undefined);
    assert.match(checkEmail('pki') ?? '', /not a valid email/);
    assert.match(checkEmail('pki@-contoso.com') ?? '', /not a valid email/);
  });
});

describe('Policy documents', () => {
  const policy: CertificatePolicy = {
    id: 'https://kv.vault.azure.net/certificates/web/policy',
    keyProperties: { keyType: 'RSA', keySize: 2048, exportable: true, reuseKey: false },
    secretProperties: { contentType: 'application/x-pkcs12' },
    x509Properties: { subject: 'CN=www.contoso.com', subjectAlternativeNames: { dnsNames: ['www.contoso.com'] }, validityInMonths: 12 },
    lifetimeActions: [{ action: 'AutoRenew', lifetimePercentage: 80 }],
    issuer: { name: 'Self' },
    attributes: { enabled: true, createdOn: new Date(0) },
  };

  it('shows what can be edited (no id, no attributes) and reads it back unchanged', () => {
    const text = editablePolicyJson(policy);
    assert.doesNotMatch(text, /"id"|"attributes"/);
    const { id: _id, attributes: _a, ...rest } = policy;
    assert.deepEqual(parseEditedPolicy(text), rest);
  });

  it('says what is wrong with an edited policy', () => {
    assert.throws(() => parseEditedPolicy('{ "issuer": '), /not valid JSON/);
    assert.throws(() => parseEditedPolicy('[]'), /must be a JSON object/);
    assert.throws(() => parseEditedPolicy('{ "keyProps": {} }'), /Unknown policy field: keyProps/);
    assert.throws(() => parseEditedPolicy('{ "keyProperties": { "keySize": "2048" } }'), /must be a number/);
    assert.throws(() => parseEditedPolicy('{ "keyProperties": { "exportable": "yes" } }'), /true or false/);
    assert.throws(() => parseEditedPolicy('{ "lifetimeActions": {} }'), /must be a list/);
    assert.throws(() => parseEditedPolicy('{ "x509Properties": { "subjectAlternativeNames": { "dnsNames": "a.com" } } }'), /list of strings/);
    assert.throws(
      () => parseEditedPolicy('{ "x509Properties": { "subjectAlternativeNames": { "dnsNames": ["bad_name.com"] } } }'),
      (e: unknown) => e instanceof KeyVaultError && /not a valid DNS name/.test(e.message),
    );
    assert.throws(
      () => parseEditedPolicy('{ "issuer": { "name": "Unknown" }, "lifetimeActions": [{ "action": "AutoRenew", "lifetimePercentage": 80 }] }'),
      (e: unknown) => e instanceof KeyVaultError && /cannot renew themselves/.test(e.message),
    );
  });
});
