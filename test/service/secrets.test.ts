import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestEmulator, containerUrl } from '../support/emulator';
import { collect, serviceFor } from '../support/service';
import type { Emulator } from '../emulator';
import type { KeyVaultService } from '../../src/keyvault/service';
import { isKeyVaultError, KeyVaultError } from '../../src/keyvault/errors';

describe('secrets service against the emulator', () => {
  let emu: Emulator;
  let svc: KeyVaultService;
  let vault: string;

  before(async () => {
    emu = await startTestEmulator({ seed: 'demo' });
    svc = serviceFor(emu.ready);
    vault = containerUrl(emu.ready, 'kv-demo');
  });
  after(async () => {
    svc.dispose();
    await emu.close();
  });

  it('sets a secret and reads its value, tags and content type back', async () => {
    const props = await svc.secrets.set(vault, 'svc-test-1', 's3cr3t-value', { contentType: 'text/plain', tags: { env: 'test' } });
    assert.equal(props.name, 'svc-test-1');
    assert.match(props.version ?? '', /^[0-9a-f]{32}$/);
    const got = await svc.secrets.get(vault, 'svc-test-1');
    assert.equal(got.value, 's3cr3t-value');
    assert.deepEqual(got.properties.tags, { env: 'test' });
    assert.equal(got.properties.contentType, 'text/plain');
    assert.equal(got.properties.version, props.version);
  });

  it('lists page by page with a continuation token', async () => {
    const scale = containerUrl(emu.ready, 'kv-scale');
    const pages = svc.secrets.list(scale).byPage({ maxPageSize: 25 });
    const first = await pages.next();
    assert.equal(first.done, false);
    assert.equal(first.value!.items.length, 25);
    assert.ok(first.value!.continuationToken);
    const resumed = svc.secrets.list(scale).byPage({ continuationToken: first.value!.continuationToken! });
    const second = await resumed.next();
    assert.equal(second.value!.items.length, 25);
    assert.notEqual(second.value!.items[0]!.name, first.value!.items[0]!.name);
  });

  it('lists all 1,200 secrets of the scale vault in ceil(1200/25) round trips', async () => {
    const scale = containerUrl(emu.ready, 'kv-scale');
    const fresh = serviceFor(emu.ready);
    // Warm the challenge (1 round trip for the 401) so only list requests are counted.
    await collect(fresh.secrets.listVersions(scale, 'billing-setting-0000'));
    const before = fresh.requestCount();
    const all = await collect(fresh.secrets.list(scale));
    assert.equal(all.length, 1200);
    assert.equal(fresh.requestCount() - before, Math.ceil(1200 / 25));
    fresh.dispose();
  });

  it('updates attributes without touching the value', async () => {
    const p = await svc.secrets.set(vault, 'svc-update', 'v1');
    const expires = new Date(Date.now() + 86400_000);
    const updated = await svc.secrets.update(vault, 'svc-update', p.version!, { attributes: { enabled: false, expiresOn: expires }, tags: { a: 'b' } });
    assert.equal(updated.attributes.enabled, false);
    assert.equal(Math.floor(updated.attributes.expiresOn!.getTime() / 1000), Math.floor(expires.getTime() / 1000));
    await assert.rejects(svc.secrets.get(vault, 'svc-update'), (e: unknown) => isKeyVaultError(e) && e.kind === 'disabled' && e.status === 403);
  });

  it('deletes, lists deleted, recovers, deletes again and purges', async () => {
    await svc.secrets.set(vault, 'svc-lifecycle', 'x');
    const deleted = await svc.secrets.delete(vault, 'svc-lifecycle');
    assert.ok(deleted.recoveryId?.endsWith('/deletedsecrets/svc-lifecycle'));
    assert.ok(deleted.scheduledPurgeDate! > new Date());
    const names = (await collect(svc.secrets.listDeleted(vault))).map((d) => d.name);
    assert.ok(names.includes('svc-lifecycle'));
    await assert.rejects(svc.secrets.set(vault, 'svc-lifecycle', 'y'), (e: unknown) => isKeyVaultError(e) && e.kind === 'conflict-deleted' && /recover/.test(e.hint));
    await svc.secrets.recover(vault, 'svc-lifecycle');
    assert.equal((await svc.secrets.get(vault, 'svc-lifecycle')).value, 'x');
    await svc.secrets.delete(vault, 'svc-lifecycle');
    await svc.secrets.purge(vault, 'svc-lifecycle');
    await assert.rejects(svc.secrets.getDeleted(vault, 'svc-lifecycle'), (e: unknown) => isKeyVaultError(e) && e.kind === 'not-found');
  });

  it('backs up and restores a secret with all its versions', async () => {
    await svc.secrets.set(vault, 'svc-backup', 'one');
    await svc.secrets.set(vault, 'svc-backup', 'two');
    const blob = await svc.secrets.backup(vault, 'svc-backup');
    assert.ok(blob.length > 32);
    await assert.rejects(svc.secrets.restore(vault, blob), (e: unknown) => isKeyVaultError(e) && e.status === 409);
    await svc.secrets.delete(vault, 'svc-backup');
    await svc.secrets.purge(vault, 'svc-backup');
    await svc.secrets.restore(vault, blob);
    assert.equal((await collect(svc.secrets.listVersions(vault, 'svc-backup'))).length, 2);
    assert.equal((await svc.secrets.get(vault, 'svc-backup')).value, 'two');
  });

  it('refuses an invalid name before any request is sent', async () => {
    const before = svc.requestCount();
    await assert.rejects(svc.secrets.set(vault, 'bad_name!', 'x'), (e: unknown) => e instanceof KeyVaultError && e.kind === 'bad-request');
    assert.equal(svc.requestCount(), before);
  });

  it('names the missing access-policy permission when the reader reads a value', async () => {
    const reader = serviceFor(emu.ready, 'reader');
    const list = await collect(reader.secrets.list(vault));
    assert.ok(list.length > 0);
    await assert.rejects(reader.secrets.get(vault, 'database-password'), (e: unknown) => {
      assert.ok(isKeyVaultError(e));
      assert.equal(e.kind, 'forbidden-access-policy');
      assert.match(e.hint, /secrets get/);
      return true;
    });
    reader.dispose();
  });

  it('names an RBAC role on an RBAC vault and the firewall on a firewalled one', async () => {
    const none = serviceFor(emu.ready, 'noaccess');
    await assert.rejects(collect(none.secrets.list(containerUrl(emu.ready, 'kv-scale'))), (e: unknown) => isKeyVaultError(e) && e.kind === 'forbidden-rbac' && /Key Vault (Secrets User|Reader)/.test(e.hint));
    await assert.rejects(collect(svc.secrets.list(containerUrl(emu.ready, 'kv-firewalled'))), (e: unknown) => isKeyVaultError(e) && e.kind === 'forbidden-firewall' && /firewall/.test(e.hint));
    none.dispose();
  });

  it('sends PATCH and DELETE as POST with X-HTTP-METHOD when the override is on', async () => {
    const overridden = serviceFor(emu.ready, 'app', { useMethodOverride: () => true });
    emu.recordExchanges = true;
    emu.exchanges.length = 0;
    const p = await overridden.secrets.set(vault, 'svc-override', 'v');
    await overridden.secrets.update(vault, 'svc-override', p.version!, { tags: { via: 'override' } });
    await overridden.secrets.delete(vault, 'svc-override');
    emu.recordExchanges = false;
    const ops = emu.exchanges.filter((x) => x.status < 400).map((x) => `${x.method} ${x.operationId}`);
    assert.ok(ops.includes('PATCH UpdateSecret'), ops.join());
    assert.ok(ops.includes('DELETE DeleteSecret'), ops.join());
    overridden.dispose();
  });

  it('sends the configured api-version on every request', async () => {
    const v76 = serviceFor(emu.ready, 'app', { apiVersion: () => '7.6' });
    emu.recordExchanges = true;
    emu.exchanges.length = 0;
    await collect(v76.secrets.list(vault));
    emu.recordExchanges = false;
    assert.ok(emu.exchanges.length >= 1);
    assert.ok(emu.exchanges.every((x) => x.apiVersion === '7.6'));
    v76.dispose();
  });
});
