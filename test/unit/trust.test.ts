import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CLOUDS, cloudById } from '../../src/azure/clouds';
import { TrustedHosts } from '../../src/keyvault/http/trust';
import { parseBearerChallenge } from '../../src/keyvault/http/challenge';

const publicCloud = cloudById('AzureCloud')!;

describe('trusted hosts', () => {
  const trust = new TrustedHosts(publicCloud, [{ origin: 'https://127.0.0.1:8443', authorityHost: 'https://127.0.0.1:9000' }]);

  it('trusts vaults and HSMs under the active cloud suffixes, for that cloud resource only', () => {
    const vault = trust.decide('https://contoso.vault.azure.net/secrets/x');
    assert.deepEqual(vault?.resources, ['https://vault.azure.net']);
    assert.deepEqual(vault?.authorities, ['https://login.microsoftonline.com']);
    assert.deepEqual(trust.decide('https://contoso.managedhsm.azure.net/keys')?.resources, ['https://managedhsm.azure.net']);
  });

  it('refuses look-alike hosts, other clouds, plain http and odd ports', () => {
    for (const url of [
      'https://contoso.vault.azure.net.evil.example/secrets',
      'https://vault.azure.net/secrets',
      'https://contosovault.azure.net/secrets',
      'https://contoso.vault.azure.cn/secrets',
      'http://contoso.vault.azure.net/secrets',
      'https://contoso.vault.azure.net:8443/secrets',
      'https://127.0.0.1:8444/secrets',
      'not a url',
    ]) {
      assert.equal(trust.decide(url), undefined, url);
    }
  });

  it('trusts a custom endpoint only at its exact origin and only for its own resource', () => {
    const d = trust.decide('https://127.0.0.1:8443/secrets');
    assert.ok(d);
    assert.ok(TrustedHosts.resourceAllowed(d, 'https://127.0.0.1:8443/'));
    assert.ok(!TrustedHosts.resourceAllowed(d, 'https://127.0.0.1:8444'));
    assert.ok(!TrustedHosts.resourceAllowed(d, 'https://vault.azure.net'));
    assert.ok(TrustedHosts.authorityAllowed(d, 'https://127.0.0.1:9000/tenant'));
    assert.ok(!TrustedHosts.authorityAllowed(d, 'https://login.microsoftonline.com/tenant'));
  });

  it('uses each sovereign cloud its own suffixes', () => {
    for (const cloud of CLOUDS) {
      const t = new TrustedHosts(cloud);
      assert.deepEqual(t.decide(`https://x.${cloud.keyVaultDnsSuffix}/keys`)?.resources, [cloud.keyVaultResource]);
      for (const other of CLOUDS.filter((c) => c !== cloud)) assert.equal(t.decide(`https://x.${other.keyVaultDnsSuffix}/keys`), undefined);
    }
  });

  it('refuses to add a custom endpoint that is not https', () => {
    assert.throws(() => trust.addCustom({ origin: 'http://127.0.0.1:1' }), /https/);
  });
});

describe('WWW-Authenticate parsing', () => {
  it('reads authorization, resource and the tenant from a Key Vault challenge', () => {
    const c = parseBearerChallenge('Bearer authorization="https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47", resource="https://vault.azure.net"');
    assert.equal(c?.tenantId, '72f988bf-86f1-41af-91ab-2d7cd011db47');
    assert.equal(c?.resource, 'https://vault.azure.net');
  });

  it('reads a CAE claims challenge', () => {
    const c = parseBearerChallenge('Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="');
    assert.equal(c?.error, 'insufficient_claims');
    assert.equal(c?.claims, 'eyJhY2Nlc3NfdG9rZW4iOnt9fQ==');
  });

  it('ignores headers that are not Bearer challenges', () => {
    assert.equal(parseBearerChallenge('Basic realm="x"'), undefined);
    assert.equal(parseBearerChallenge(undefined), undefined);
  });
});
