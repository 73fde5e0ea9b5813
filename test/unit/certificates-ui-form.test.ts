import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KeyVaultHttp } from '../../src/keyvault/http/client';
import { RestCertificatesService } from '../../src/keyvault/certificates';
import { CURVES as POLICY_CURVES, KEY_USAGES as POLICY_KEY_USAGES, RSA_KEY_SIZES as POLICY_RSA_SIZES } from '../../src/keyvault/certificates/policy';
import { checkForm, createRequestBody } from '../../src/webviews/createCertificate/form';
import { CURVES, DEFAULT_FORM, KEY_USAGES, parseForm, RSA_KEY_SIZES, splitList, type CreateCertificateForm } from '../../src/webviews/createCertificate/formModel';
import { parsePageMessage } from '../../src/webviews/createCertificate/protocol';

const form = (over: Partial<CreateCertificateForm> = {}): CreateCertificateForm => ({ ...DEFAULT_FORM, name: 'web-cert', subject: 'CN=www.contoso.com', ...over });

describe('Create Certificate form', () => {
  it('turns the defaults plus a name and subject into a self-signed RSA 2048 PFX policy that renews at 80%', () => {
    const r = checkForm(form());
    assert.deepEqual(r.errors, {});
    const policy = (r.request as { policy: Record<string, unknown> }).policy;
    assert.deepEqual(policy.key_props, { kty: 'RSA', key_size: 2048, exportable: true, reuse_key: false });
    assert.deepEqual(policy.secret_props, { contentType: 'application/x-pkcs12' });
    assert.deepEqual(policy.x509_props, { subject: 'CN=www.contoso.com', validity_months: 12 });
    assert.deepEqual(policy.issuer, { name: 'Self' });
    assert.deepEqual(policy.lifetime_actions, [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'AutoRenew' } }]);
  });

  it('previews exactly the body the service sends to POST /certificates/{name}/create', async () => {
    const r = checkForm(
      form({
        dnsNames: 'www.contoso.com\ncontoso.com, *.contoso.com',
        keyType: 'EC',
        curve: 'P-384',
        contentType: 'PEM',
        issuer: 'Unknown',
        lifetimeAction: 'EmailContacts',
        lifetimeTrigger: 'daysBeforeExpiry',
        lifetimeValue: '30',
        keyUsage: ['digitalSignature'],
        ekus: ['1.3.6.1.5.5.7.3.1'],
        tags: [{ key: 'env', value: 'dev' }],
        enabled: false,
      }),
    );
    assert.deepEqual(r.errors, {});
    let sent: unknown;
    const http = {
      send: async (_method: string, _url: string, options: { body?: unknown }) => {
        sent = options.body;
        return { status: 202, headers: {}, body: { id: 'https://kv.vault.azure.net/certificates/web-cert/pending', status: 'inProgress' } };
      },
    } as unknown as KeyVaultHttp;
    await new RestCertificatesService(http).create('https://kv.vault.azure.net', 'web-cert', r.options!);
    assert.deepEqual(sent, r.request);
    assert.deepEqual((r.request as { tags: unknown }).tags, { env: 'dev' });
    assert.deepEqual((r.request as { attributes: unknown }).attributes, { enabled: false });
  });

  it('leaves the lifetime action out when None is chosen, so Key Vault applies its default', () => {
    const r = checkForm(form({ lifetimeAction: 'none' }));
    assert.equal((r.request as { policy: Record<string, unknown> }).policy.lifetime_actions, undefined);
  });

  it('names the field that is wrong, in words a user can act on', () => {
    const cases: [Partial<CreateCertificateForm>, string, RegExp][] = [
      [{ name: '' }, 'name', /Give the certificate a name/],
      [{ name: 'web_cert' }, 'name', /not a valid certificate name/],
      [{ subject: '', dnsNames: '' }, 'subject', /subject .* or at least one DNS name/],
      [{ subject: 'CN=x, XX=y' }, 'subject', /'XX' is not a distinguished name attribute/],
      [{ subject: 'CN=x, C=USA' }, 'subject', /two-letter/],
      [{ dnsNames: 'web..contoso.com' }, 'dnsNames', /'web\.\.contoso\.com' is not a valid DNS name/],
      [{ dnsNames: '10.0.0.1' }, 'dnsNames', /is an IP address, not a DNS name/],
      [{ dnsNames: 'foo.*.com' }, 'dnsNames', /not a valid DNS name/],
      [{ validityMonths: '0' }, 'validityMonths', /1 to 1200/],
      [{ validityMonths: '1.5' }, 'validityMonths', /whole number/],
      [{ keySize: '1024' }, 'keySize', /2048, 3072, 4096/],
      [{ keyType: 'RSA-HSM', exportable: true }, 'exportable', /never leaves the HSM/],
      [{ issuer: 'Unknown', lifetimeAction: 'AutoRenew' }, 'lifetimeAction', /Unknown cannot renew itself/],
      [{ lifetimeTrigger: 'lifetimePercentage', lifetimeValue: '100' }, 'lifetimeValue', /1 to 99/],
      [{ lifetimeTrigger: 'daysBeforeExpiry', lifetimeValue: '400', validityMonths: '12' }, 'lifetimeValue', /1 to 324/],
      [{ tags: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] }, 'tags', /appears twice/],
      [{ tags: [{ key: '', value: 'x' }] }, 'tags', /no name/],
      [{ ekus: ['serverAuth'] }, 'ekus', /not an OID/],
    ];
    for (const [over, field, pattern] of cases) {
      const r = checkForm(form(over));
      assert.match(r.errors[field as keyof typeof r.errors] ?? '(no error)', pattern, `${JSON.stringify(over)} → ${field}`);
      assert.equal(r.request, undefined);
    }
  });

  it('accepts a configured issuer only when the vault has it (once the list is known)', () => {
    assert.match(checkForm(form({ issuer: 'digicert' }), ['contoso-digicert']).errors.issuer ?? '', /no issuer named 'digicert'/);
    assert.deepEqual(checkForm(form({ issuer: 'Contoso-DigiCert', certificateType: 'OV-SSL' }), ['contoso-digicert']).errors, {});
    // Before the list arrives the service decides.
    assert.deepEqual(checkForm(form({ issuer: 'anything' })).errors, {});
  });

  it('sends the curve for EC keys and the size for RSA keys, never both', () => {
    const ec = checkForm(form({ keyType: 'EC', curve: 'P-256K', keySize: '4096' }));
    assert.deepEqual((ec.request as { policy: { key_props: unknown } }).policy.key_props, { kty: 'EC', crv: 'P-256K', exportable: true, reuse_key: false });
    const rsa = checkForm(form({ keyType: 'RSA', keySize: '4096', curve: 'P-384' }));
    assert.deepEqual((rsa.request as { policy: { key_props: unknown } }).policy.key_props, { kty: 'RSA', key_size: 4096, exportable: true, reuse_key: false });
  });

  it('splits DNS names on lines, commas, semicolons and spaces', () => {
    assert.deepEqual(splitList(' a.com\nb.com, c.com;d.com  e.com\n\n'), ['a.com', 'b.com', 'c.com', 'd.com', 'e.com']);
  });

  it("keeps the page's option lists equal to the service layer's", () => {
    assert.deepEqual([...CURVES], [...POLICY_CURVES]);
    assert.deepEqual([...RSA_KEY_SIZES], [...POLICY_RSA_SIZES]);
    assert.deepEqual([...KEY_USAGES], [...POLICY_KEY_USAGES]);
  });
});

describe('Create Certificate protocol', () => {
  it('reads forms defensively: unknown fields dropped, wrong types replaced, lists bounded', () => {
    const parsed = parseForm({ name: 'x', keyType: 'DSA', exportable: 'yes', keyUsage: ['digitalSignature', 'bogus', 'digitalSignature'], tags: [{ key: 'a', value: 1 }], evil: '<script>' });
    assert.ok(parsed);
    assert.equal(parsed.name, 'x');
    assert.equal(parsed.keyType, 'RSA');
    assert.equal(parsed.exportable, true);
    assert.deepEqual(parsed.keyUsage, ['digitalSignature']);
    assert.deepEqual(parsed.tags, [{ key: 'a', value: '' }]);
    assert.equal('evil' in parsed, false);
    assert.equal(parseForm({ name: 'x'.repeat(20_000) })?.name, '');
    assert.equal(parseForm([]), undefined);
  });

  it('accepts only the messages the page may send', () => {
    assert.deepEqual(parsePageMessage({ type: 'ready' }), { type: 'ready' });
    assert.equal(parsePageMessage({ type: 'change', seq: -1, form: {} }), undefined);
    assert.equal(parsePageMessage({ type: 'change', seq: 1 }), undefined);
    assert.equal(parsePageMessage({ type: 'change', seq: 1, form: {} })?.type, 'change');
    assert.equal(parsePageMessage({ type: 'action', action: 'rm -rf' }), undefined);
    assert.deepEqual(parsePageMessage({ type: 'action', action: 'downloadCsr' }), { type: 'action', action: 'downloadCsr' });
    assert.equal(parsePageMessage({ type: 'eval', code: '1' }), undefined);
    assert.equal(parsePageMessage('ready'), undefined);
  });

  it('builds the request body the same way for a minimal set of options', () => {
    assert.deepEqual(createRequestBody({ subject: 'CN=a' }), {
      policy: {
        key_props: { kty: 'RSA', key_size: 2048, exportable: true, reuse_key: false },
        secret_props: { contentType: 'application/x-pkcs12' },
        x509_props: { subject: 'CN=a', validity_months: 12 },
        issuer: { name: 'Self' },
      },
    });
  });
});
