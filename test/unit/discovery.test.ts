import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Discovery, containerFromResource } from '../../src/azure/discovery';
import { KeyVaultError } from '../../src/keyvault/errors';
import type { ArmClient } from '../../src/azure/arm';

type Send = ArmClient['send'];

/** A fake Resource Manager that answers from tables, recording the calls. */
function fakeArm(handler: (method: string, path: string, body: unknown) => unknown): { arm: Pick<ArmClient, 'send'>; calls: string[] } {
  const calls: string[] = [];
  const send = (async (method: string, path: string, options?: { body?: unknown }) => {
    calls.push(`${method} ${path}`);
    return handler(method, path, options?.body);
  }) as Send;
  return { arm: { send }, calls };
}

const vault = (name: string, sub: string) => ({
  id: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${name}`,
  name,
  type: 'Microsoft.KeyVault/vaults',
  location: 'eastus',
  properties: { vaultUri: `https://${name}.vault.azure.net/`, tenantId: 't1', enableRbacAuthorization: true },
});

describe('discovery', () => {
  it('maps vault and HSM resources to data-plane origins', () => {
    const v = containerFromResource(vault('contoso', 's1'));
    assert.equal(v?.url, 'https://contoso.vault.azure.net');
    assert.equal(v?.subscriptionId, 's1');
    assert.equal(v?.resourceGroup, 'rg');
    const h = containerFromResource({ id: '/subscriptions/s2/resourceGroups/g/providers/Microsoft.KeyVault/managedHSMs/h1', name: 'h1', type: 'Microsoft.KeyVault/managedHSMs', location: 'x', properties: { hsmUri: 'https://h1.managedhsm.azure.net/' } });
    assert.equal(h?.kind, 'hsm');
    assert.equal(containerFromResource({ id: '/x', name: 'x', type: 'Microsoft.Storage/storageAccounts', location: 'x' }), undefined);
  });

  it('follows Resource Graph $skipToken pages across all subscriptions in one query stream', async () => {
    const pages = [
      { data: [vault('a', 's1'), vault('b', 's2')], $skipToken: 'p2' },
      { data: [vault('c', 's3')] },
    ];
    const bodies: unknown[] = [];
    const { arm, calls } = fakeArm((_m, _p, body) => {
      bodies.push(body);
      return pages.shift();
    });
    const result = await new Discovery(arm).discover(['s1', 's2', 's3']);
    assert.equal(result.via, 'resource-graph');
    assert.deepEqual(result.containers.map((c) => c.name), ['a', 'b', 'c']);
    assert.equal(calls.length, 2);
    assert.equal((bodies[1] as { options: { $skipToken: string } }).options.$skipToken, 'p2');
    assert.deepEqual((bodies[0] as { subscriptions: string[] }).subscriptions, ['s1', 's2', 's3']);
  });

  it('falls back to Resource Manager per subscription when Resource Graph answers 403, following nextLink', async () => {
    const { arm, calls } = fakeArm((method, path) => {
      if (method === 'POST') throw new KeyVaultError({ kind: 'forbidden-rbac', status: 403, message: 'AuthorizationFailed' });
      if (path.includes('page=2')) return { value: [vault('b', 's1')] };
      if (path.includes('/s1/') && path.includes('/vaults?')) return { value: [vault('a', 's1')], nextLink: 'https://management.azure.com/subscriptions/s1/providers/Microsoft.KeyVault/vaults?page=2' };
      if (path.includes('/s2/') && path.includes('/vaults?')) return { value: [vault('c', 's2')] };
      return { value: [] };
    });
    const result = await new Discovery(arm).discover(['s1', 's2']);
    assert.equal(result.via, 'arm');
    assert.deepEqual(result.containers.map((c) => c.name), ['a', 'b', 'c']);
    assert.ok(calls.some((c) => c.includes('managedHSMs')));
    assert.deepEqual(result.failures, []);
  });

  it('reports subscriptions it could not read instead of failing the whole discovery', async () => {
    const { arm } = fakeArm((method, path) => {
      if (method === 'POST') throw new KeyVaultError({ kind: 'forbidden-rbac', status: 403, message: 'no graph' });
      if (path.includes('/s2/')) throw new KeyVaultError({ kind: 'forbidden-rbac', status: 403, message: 'no access to s2' });
      return { value: path.includes('/vaults?') ? [vault('a', 's1')] : [] };
    });
    const result = await new Discovery(arm).discover(['s1', 's2']);
    assert.deepEqual(result.containers.map((c) => c.name), ['a']);
    assert.deepEqual(result.failures, [{ subscriptionId: 's2', message: 'no access to s2' }]);
  });

  it('does not fall back on errors other than "not allowed" (e.g. network), so they are reported', async () => {
    const { arm } = fakeArm(() => {
      throw new KeyVaultError({ kind: 'network', message: 'Could not reach management.azure.com' });
    });
    await assert.rejects(new Discovery(arm).discover(['s1']), /Could not reach/);
  });

  it('lists subscriptions across nextLink pages', async () => {
    const { arm } = fakeArm((_m, path) =>
      path.includes('skip') ? { value: [{ subscriptionId: 's2', displayName: 'Two', tenantId: 't' }] } : { value: [{ subscriptionId: 's1', displayName: 'One', tenantId: 't' }], nextLink: 'https://management.azure.com/subscriptions?skip=1' },
    );
    assert.deepEqual((await new Discovery(arm).listSubscriptions()).map((s) => s.subscriptionId), ['s1', 's2']);
  });
});

describe('paging guards', () => {
  it('stops with an error when Resource Manager repeats a next-page link', async () => {
    const { arm } = fakeArm(() => ({ value: [], nextLink: 'https://management.azure.com/subscriptions?same' }));
    await assert.rejects(new Discovery(arm).listSubscriptions(), /same next-page link twice/);
  });
});
