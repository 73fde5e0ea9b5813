import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeNewKey, formToCreateOptions, initFor, protectionsFor, RELEASE_POLICY_EXAMPLE, validateKeyName, vaultTier } from '../../src/webviews/createKey/form';
import { describeDropped, parseHostMessage, parsePageMessage, type CreateKeyFormData } from '../../src/webviews/createKey/protocol';

const NOW = Date.parse('2026-06-01T00:00:00Z');

function form(overrides: Partial<CreateKeyFormData> = {}): CreateKeyFormData {
  return { name: 'signing-key', family: 'RSA', protection: 'software', keySize: 2048, keyOps: ['sign', 'verify'], enabled: true, tags: [], exportable: false, releasePolicyImmutable: false, ...overrides };
}

const fieldsOf = (f: CreateKeyFormData, kind: 'vault' | 'hsm' = 'vault') => {
  const r = formToCreateOptions(f, kind, NOW);
  return r.ok ? {} : r.fields;
};

describe('Create Key: the rules of a new key', () => {
  it('validates names live with the reason', () => {
    assert.equal(validateKeyName('my-key-1'), undefined);
    assert.match(validateKeyName('') ?? '', /Enter a name/);
    assert.match(validateKeyName('my key_1') ?? '', /not space, '_'/);
    assert.match(validateKeyName('a'.repeat(128)) ?? '', /at most 127/);
  });

  it('makes RSA, EC and AES options for vaults and HSMs', () => {
    const rsa = formToCreateOptions(form({ keySize: 4096 }), 'vault', NOW);
    assert.ok(rsa.ok);
    assert.deepEqual(rsa.options, { kty: 'RSA', keySize: 4096, keyOps: ['sign', 'verify'] });
    const hsmRsa = formToCreateOptions(form({ protection: 'hsm' }), 'vault', NOW);
    assert.ok(hsmRsa.ok && hsmRsa.options.kty === 'RSA-HSM');
    const ec = formToCreateOptions(form({ family: 'EC', curve: 'P-256K', keySize: undefined, protection: 'hsm' }), 'hsm', NOW);
    assert.ok(ec.ok);
    assert.deepEqual(ec.options, { kty: 'EC-HSM', curve: 'P-256K', keyOps: ['sign', 'verify'] });
    const aes = formToCreateOptions(form({ family: 'oct', protection: 'hsm', keySize: 128, keyOps: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'] }), 'hsm', NOW);
    assert.ok(aes.ok);
    assert.deepEqual(aes.options, { kty: 'oct-HSM', keySize: 128, keyOps: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'] });
    assert.equal(describeNewKey(aes.options), 'AES 128-bit, HSM-protected');
    assert.equal(describeNewKey(rsa.options), 'RSA 4096-bit');
    assert.equal(describeNewKey(ec.options), 'EC P-256K, HSM-protected');
  });

  it('refuses AES keys in a vault, software keys in an HSM, odd sizes and curves', () => {
    assert.match(fieldsOf(form({ family: 'oct', keySize: 256, keyOps: ['encrypt'] })).family ?? '', /Managed HSM/);
    assert.match(fieldsOf(form(), 'hsm').protection ?? '', /hardware-protected keys only/);
    assert.match(fieldsOf(form({ keySize: 1024 })).keySize ?? '', /2048, 3072, 4096/);
    assert.match(fieldsOf(form({ family: 'EC', curve: 'P-192' })).curve ?? '', /P-256, P-384, P-521, P-256K/);
  });

  it('checks operations against what the key type can do', () => {
    assert.match(fieldsOf(form({ keyOps: [] })).keyOps ?? '', /at least one operation/);
    assert.match(fieldsOf(form({ family: 'EC', curve: 'P-256', keyOps: ['sign', 'encrypt'] })).keyOps ?? '', /An EC key cannot encrypt/);
    assert.match(fieldsOf(form({ keyOps: ['launch'] })).keyOps ?? '', /Unknown operation/);
  });

  it('checks dates: valid, expiry in the future and after activation', () => {
    assert.match(fieldsOf(form({ expiresOn: '2020-01-01T00:00:00Z' })).expiresOn ?? '', /in the past/);
    assert.match(fieldsOf(form({ notBefore: '2027-02-01T00:00:00Z', expiresOn: '2027-01-01T00:00:00Z' })).expiresOn ?? '', /after the activation/);
    assert.match(fieldsOf(form({ notBefore: 'tomorrow' })).notBefore ?? '', /Not a valid date/);
    const ok = formToCreateOptions(form({ notBefore: '2026-07-01T00:00:00.000Z', expiresOn: '2027-07-01T00:00:00.000Z', enabled: false }), 'vault', NOW);
    assert.ok(ok.ok);
    assert.deepEqual(ok.options.attributes, { enabled: false, notBefore: new Date('2026-07-01T00:00:00Z'), expiresOn: new Date('2027-07-01T00:00:00Z') });
  });

  it('checks tags: names, lengths, duplicates and the limit of 15; empty rows are ignored', () => {
    assert.match(fieldsOf(form({ tags: [{ name: '', value: 'x' }] })).tags ?? '', /has no name/);
    assert.match(fieldsOf(form({ tags: [{ name: 'a', value: '1' }, { name: 'a', value: '2' }] })).tags ?? '', /appears twice/);
    assert.match(fieldsOf(form({ tags: Array.from({ length: 16 }, (_, i) => ({ name: `t${i}`, value: '' })) })).tags ?? '', /at most 15 tags/);
    assert.match(fieldsOf(form({ tags: [{ name: 'a', value: 'v'.repeat(257) }] })).tags ?? '', /longer than 256/);
    const ok = formToCreateOptions(form({ tags: [{ name: 'env', value: 'prod' }, { name: ' ', value: '' }] }), 'vault', NOW);
    assert.ok(ok.ok);
    assert.deepEqual(ok.options.tags, { env: 'prod' });
  });

  it('needs HSM protection and a JSON release policy for an exportable key', () => {
    assert.match(fieldsOf(form({ exportable: true, releasePolicy: RELEASE_POLICY_EXAMPLE })).exportable ?? '', /hardware-protected/);
    assert.match(fieldsOf(form({ protection: 'hsm', exportable: true })).releasePolicy ?? '', /needs a release policy/);
    assert.match(fieldsOf(form({ protection: 'hsm', exportable: true, releasePolicy: '{"version": ' })).releasePolicy ?? '', /Not valid JSON/);
    assert.match(fieldsOf(form({ protection: 'hsm', exportable: true, releasePolicy: '{"version":"1.0.0"}' })).releasePolicy ?? '', /anyOf or allOf/);
    const ok = formToCreateOptions(form({ protection: 'hsm', exportable: true, releasePolicy: RELEASE_POLICY_EXAMPLE, releasePolicyImmutable: true }), 'hsm', NOW);
    assert.ok(ok.ok);
    assert.equal(ok.options.attributes?.exportable, true);
    assert.equal(ok.options.releasePolicy?.immutable, true);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(ok.options.releasePolicy!.encodedPolicy)), JSON.parse(RELEASE_POLICY_EXAMPLE));
  });

  it('offers oct and HSM-only protection on a Managed HSM, RSA/EC with both protections in a vault', () => {
    const vault = initFor({ name: 'kv', host: 'kv.vault.azure.net', kind: 'vault' });
    assert.deepEqual(vault.families, ['RSA', 'EC']);
    assert.deepEqual(vault.protections, ['software', 'hsm']);
    const hsm = initFor({ name: 'h', host: 'h.managedhsm.azure.net', kind: 'hsm' }, { name: 'prefilled' });
    assert.deepEqual(hsm.families, ['RSA', 'EC', 'oct']);
    assert.deepEqual(hsm.protections, ['hsm']);
    assert.equal(hsm.prefill?.name, 'prefilled');
    assert.deepEqual(parseHostMessage(JSON.parse(JSON.stringify(hsm))), JSON.parse(JSON.stringify(hsm)));
  });

  it('offers HSM protection in a Premium vault or one of unknown tier, software only in a Standard vault', () => {
    assert.equal(vaultTier('premium'), 'premium');
    assert.equal(vaultTier('Standard'), 'standard');
    assert.equal(vaultTier(undefined), 'unknown');
    assert.equal(vaultTier('Standard_B1'), 'unknown', 'a Managed HSM SKU says nothing about vault tiers');
    assert.deepEqual(protectionsFor('vault', 'premium'), ['software', 'hsm']);
    assert.deepEqual(protectionsFor('vault', 'standard'), ['software']);
    assert.deepEqual(protectionsFor('vault', 'unknown'), ['software', 'hsm'], 'the service decides');
    assert.deepEqual(protectionsFor('hsm', 'standard'), ['hsm']);
    const standard = initFor({ name: 'kv', host: 'kv.vault.azure.net', kind: 'vault' }, undefined, { tier: 'standard', note: 'kv is a Standard vault' });
    assert.deepEqual(standard.protections, ['software']);
    assert.equal(standard.protectionNote, 'kv is a Standard vault');
    assert.deepEqual(parseHostMessage(JSON.parse(JSON.stringify(standard))), JSON.parse(JSON.stringify(standard)));
    assert.equal(parseHostMessage({ ...standard, protectionNote: 42 }), undefined);
  });

  it('refuses an HSM-protected key in a Standard vault, before anything is sent', () => {
    const r = formToCreateOptions(form({ protection: 'hsm' }), 'vault', NOW, 'standard');
    assert.ok(!r.ok);
    assert.match(r.fields.protection ?? '', /Premium/);
    assert.ok(formToCreateOptions(form({ protection: 'hsm' }), 'vault', NOW, 'premium').ok);
    assert.ok(formToCreateOptions(form({ protection: 'hsm' }), 'vault', NOW, 'unknown').ok);
  });
});

describe('Create Key form protocol', () => {
  it('accepts a well-formed submit and drops anything else', () => {
    const ok = parsePageMessage({ type: 'submit', form: form() });
    assert.deepEqual(ok, { type: 'submit', form: form() });
    assert.equal(parsePageMessage({ type: 'submit', form: { ...form(), extra: 1 } }), undefined);
    assert.equal(parsePageMessage({ type: 'submit', form: { ...form(), keySize: '2048' } }), undefined);
    assert.equal(parsePageMessage({ type: 'submit', form: { ...form(), tags: [{ name: 'a' }] } }), undefined);
    assert.equal(parsePageMessage({ type: 'ready', x: 1 }), undefined);
    assert.equal(parsePageMessage('ready'), undefined);
    assert.deepEqual(parsePageMessage({ type: 'cancel' }), { type: 'cancel' });
  });

  it('describes a dropped message without its content', () => {
    assert.equal(describeDropped({ type: 'submit', form: { name: 'secret-name' } }), "type 'submit' with 2 field(s)");
  });
});
