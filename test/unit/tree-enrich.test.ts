import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KeyVaultService } from '../../src/keyvault/service';
import { enrichInBackground, FAMILIES } from '../../src/tree/families';
import { keyView, type ObjectView } from '../../src/tree/model/objectView';

const VAULT = 'https://kv-test.vault.azure.net';

/** A keys service whose get() records how many reads are in flight at once. */
function countingService(delayMs: number) {
  const stats = { inFlight: 0, max: 0, calls: 0 };
  const service = {
    keys: {
      async get(_vault: string, name: string) {
        stats.calls++;
        stats.inFlight++;
        stats.max = Math.max(stats.max, stats.inFlight);
        await new Promise((r) => setTimeout(r, delayMs));
        stats.inFlight--;
        return { key: { kty: 'RSA' }, keyOps: ['sign'], id: `${VAULT}/keys/${name}/v1`, name, vaultUrl: VAULT, version: 'v1', keyType: 'RSA', keySize: 2048, tags: {}, managed: false, attributes: { enabled: true } };
      },
    },
  } as unknown as KeyVaultService;
  return { service, stats };
}

const listed = (n: number): ObjectView[] =>
  Array.from({ length: n }, (_, i) => keyView({ id: `${VAULT}/keys/k${i}`, name: `k${i}`, vaultUrl: VAULT, tags: {}, managed: false, attributes: { enabled: true } }));

function enrichAll(service: KeyVaultService, views: ObjectView[], concurrency: number): Promise<ObjectView[]> {
  return new Promise((resolve) => enrichInBackground(FAMILIES.keys, service, views, concurrency, resolve));
}

describe('key details under a listing (keyVault.bulk.concurrency)', () => {
  for (const concurrency of [1, 3, 6]) {
    it(`reads each listed key once, at most ${concurrency} at a time`, async () => {
      const { service, stats } = countingService(15);
      const views = listed(20);
      const changed = await enrichAll(service, views, concurrency);
      assert.equal(stats.calls, 20);
      assert.equal(stats.max, concurrency);
      assert.equal(changed.length, 20);
      assert.ok(views.every((v) => v.keyType === 'RSA'));
    });
  }

  it('does not read a key twice when the category renders again', async () => {
    const { service, stats } = countingService(1);
    const views = listed(5);
    await enrichAll(service, views, 6);
    enrichInBackground(FAMILIES.keys, service, views, 6, () => assert.fail('nothing left to enrich'));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(stats.calls, 5);
  });
});
