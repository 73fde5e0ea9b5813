import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestEmulator, credentialFor, containerUrl } from '../support/emulator';
import type { Emulator } from '../emulator';
import { ArmClient } from '../../src/azure/arm';
import { customCloud } from '../../src/azure/clouds';
import { Discovery } from '../../src/azure/discovery';
import { httpClientTrusting } from '../../src/azure/credentials/caHttpClient';
import { KeyVaultError } from '../../src/keyvault/errors';
import { Accounts } from '../../src/accounts/model';
import { PinnedStore, type MementoLike } from '../../src/accounts/pinnedStore';
import { checkReachable } from '../../src/accounts/reachability';
import { CredentialSession } from '../../src/accounts/session';
import { ConfiguredCredentialSource, type CredentialConfig } from '../../src/accounts/sources';
import { CLOUDS } from '../../src/azure/clouds';
import { parseContainerInput } from '../../src/accounts/containerInput';

const settings = { apiVersion: () => '2025-07-01', useMethodOverride: () => false, timeoutMs: () => 30_000, userAgentPrefix: 'keyvault-explorer/0.0.0-test' };
const common = { settings, selectedSubscriptionIds: () => undefined };

function memento(): MementoLike {
  const data = new Map<string, string>();
  return { get: <T>(k: string) => (data.has(k) ? (JSON.parse(data.get(k)!) as T) : undefined), update: async (k, v) => void data.set(k, JSON.stringify(v)) };
}

describe('Discovery and sign-in against the emulator (HTTPS)', () => {
  let emu: Emulator;
  let dir: string;
  let readyFile: string;
  let ca: string;
  const arm = (handle: 'app' | 'reader' | 'noaccess', tenantId?: string) =>
    new ArmClient({
      credential: credentialFor(emu.ready, handle),
      cloud: customCloud({ resourceManagerEndpoint: emu.ready.armEndpoint, loginEndpoint: emu.ready.authorityHost }),
      ...(tenantId ? { tenantId } : {}),
      httpClient: httpClientTrusting(ca),
    });

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kv-discovery-'));
    readyFile = path.join(dir, 'ready.json');
    emu = await startTestEmulator({ seed: 'empty', readyFile });
    ca = readFileSync(emu.ready.caCertFile, 'utf8');
  });
  after(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('Discovery with ArmClient on the emulator', () => {
    it("lists the app identity's subscriptions in its home tenant (2+), then finds every vault and the HSM with one Resource Graph query", async () => {
      const client = arm('app');
      const discovery = new Discovery(client);
      const subs = await discovery.listSubscriptions();
      assert.ok(subs.length >= 2, `subscriptions: ${subs.map((s) => s.displayName).join(', ')}`);
      assert.ok(subs.every((s) => s.tenantId === emu.ready.tenantId));
      const before = client.requestCount;
      const result = await discovery.discover(subs.map((s) => s.subscriptionId));
      assert.equal(result.via, 'resource-graph');
      assert.equal(client.requestCount - before, 1, 'one query for all subscriptions');
      const byName = new Map(result.containers.map((c) => [c.name, c]));
      assert.deepEqual([...byName.keys()].sort(), ['hsm-demo', 'kv-demo', 'kv-firewalled', 'kv-scale']);
      assert.equal(byName.get('hsm-demo')?.kind, 'hsm');
      assert.equal(byName.get('kv-demo')?.url, containerUrl(emu.ready, 'kv-demo'));
      assert.equal(byName.get('kv-demo')?.rbacAuthorization, false);
      assert.equal(byName.get('kv-scale')?.rbacAuthorization, true);
      assert.deepEqual(result.failures, []);
    });

    it("falls back to Resource Manager per subscription when Resource Graph refuses the 'reader' identity (403)", async () => {
      const client = arm('reader');
      await assert.rejects(client.send('POST', '/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01', { body: { subscriptions: [emu.ready.subscriptionId], query: 'resources' } }), (e: unknown) => e instanceof KeyVaultError && e.status === 403);
      const discovery = new Discovery(client);
      const subs = await discovery.listSubscriptions();
      const result = await discovery.discover(subs.map((s) => s.subscriptionId));
      assert.equal(result.via, 'arm');
      assert.deepEqual(result.containers.map((c) => c.name).sort(), ['hsm-demo', 'kv-demo', 'kv-firewalled', 'kv-scale']);
    });

    it("tells the 'noaccess' identity that it cannot read Resource Manager, and to add vaults by URL", async () => {
      await assert.rejects(new Discovery(arm('noaccess')).listSubscriptions(), (e: unknown) => e instanceof KeyVaultError && e.status === 403 && /Add Vault or HSM by URL/.test(e.hint));
    });
  });

  describe('the emulator session built from its ready file', () => {
    let source: ConfiguredCredentialSource;
    let session: CredentialSession;
    const config: CredentialConfig = { credential: 'emulator', emulatorReadyFile: '', managedIdentityClientId: '' };

    before(async () => {
      source = new ConfiguredCredentialSource({ config: () => config, envReadyFile: () => readyFile, cloud: () => CLOUDS[0]!, common });
      [session] = (await source.load()) as [CredentialSession];
    });
    after(() => source.dispose());

    it('is the emulator session in a custom cloud whose ARM and login are the emulator, trusting exactly its vaults and HSMs', () => {
      assert.equal(session.id, 'emulator');
      assert.equal(session.cloud.resourceManagerEndpoint, emu.ready.armEndpoint);
      assert.equal(session.cloud.loginEndpoint, emu.ready.authorityHost);
      for (const c of emu.ready.containers) assert.ok(session.trusts(c.url), c.name);
      assert.equal(session.trusts('https://contoso.vault.azure.net'), false);
    });

    it('lists subscriptions of both tenants (the app identity is in two)', async () => {
      const subs = await session.listSubscriptions();
      assert.deepEqual(subs.map((s) => s.subscriptionId).sort(), emu.ready.subscriptions.map((s) => s.subscriptionId).sort());
      assert.equal(new Set(subs.map((s) => s.tenantId)).size, 2);
    });

    it('discovers every vault and HSM of every tenant, kv-tenant2 included', async () => {
      const subs = await session.listSubscriptions();
      const result = await session.discover(subs.map((s) => s.subscriptionId));
      assert.deepEqual(result.containers.map((c) => c.name).sort(), emu.ready.containers.map((c) => c.name).sort());
      assert.deepEqual(result.failures, []);
    });

    it("reaches kv-tenant2, whose challenge names the second tenant, and the HSM's keys", async () => {
      const tenant2 = containerUrl(emu.ready, 'kv-tenant2');
      assert.deepEqual(await checkReachable(session, 'vault', tenant2), { outcome: 'ok' });
      assert.deepEqual(await checkReachable(session, 'hsm', containerUrl(emu.ready, 'hsm-demo')), { outcome: 'ok' });
      const names: string[] = [];
      for await (const s of session.service.secrets.list(tenant2)) names.push(s.name);
      assert.ok(Array.isArray(names));
    });

    it('keeps the same session while the ready file is unchanged, and explains a missing one', async () => {
      assert.equal((await source.load())[0], session);
      const missing = new ConfiguredCredentialSource({ config: () => ({ ...config, emulatorReadyFile: path.join(dir, 'nope.json') }), envReadyFile: () => undefined, cloud: () => CLOUDS[0]!, common });
      await assert.rejects(missing.load(), /No emulator ready file at .*nope\.json \(is the emulator running\?\)/);
    });
  });

  describe('pinning by URL, without Resource Manager', () => {
    it('pins an emulator vault typed as host:port, reached through the emulator session', async () => {
      const source = new ConfiguredCredentialSource({ config: () => ({ credential: 'auto', emulatorReadyFile: '', managedIdentityClientId: '' }), envReadyFile: () => readyFile, cloud: () => CLOUDS[0]!, common });
      const model = new Accounts({ sources: [source], pinned: new PinnedStore(memento()), readCa: async () => ca, defaultCloud: () => CLOUDS[0]! });
      try {
        await model.whenLoaded();
        const url = containerUrl(emu.ready, 'kv-demo');
        const parsed = parseContainerInput(url.replace('https://', ''), model.activeCloud());
        assert.ok(parsed.ok && parsed.type === 'custom');
        assert.equal(parsed.url, url);
        const session = model.sessionFor(parsed.url)!;
        assert.equal(session.id, 'emulator');
        assert.deepEqual(await checkReachable(session, 'vault', parsed.url), { outcome: 'ok' });
        await model.pin({ kind: 'vault', name: 'kv-demo', url: parsed.url, sessionId: session.id });
        assert.deepEqual(model.pinned(), [{ kind: 'vault', name: 'kv-demo', url, sessionId: 'emulator' }]);
        assert.equal(model.sessionFor(`${url}/secrets/x`)?.id, 'emulator');
      } finally {
        model.dispose();
      }
    });

    it("a vault the identity may not read is reachable but 'denied' (pinned with a reason), and a dead port 'failed'", async () => {
      const noaccess = new CredentialSession({
        id: 'identity:noaccess',
        label: 'no access',
        kind: 'identity',
        cloud: customCloud({ resourceManagerEndpoint: emu.ready.armEndpoint, loginEndpoint: emu.ready.authorityHost }),
        credential: credentialFor(emu.ready, 'noaccess'),
        settings: { ...settings, timeoutMs: () => 5_000 },
        selectedSubscriptionIds: () => undefined,
        customEndpoints: emu.ready.containers.map((c) => ({ origin: c.url, authorityHost: emu.ready.authorityHost, ca })),
      });
      try {
        const denied = await checkReachable(noaccess, 'vault', containerUrl(emu.ready, 'kv-demo'));
        assert.equal(denied.outcome, 'denied');
        noaccess.addCustomEndpoint({ origin: 'https://127.0.0.1:1', authorityHost: emu.ready.authorityHost, ca });
        const dead = await checkReachable(noaccess, 'vault', 'https://127.0.0.1:1');
        assert.equal(dead.outcome, 'failed');
        assert.match(dead.outcome === 'failed' ? dead.message : '', /Could not reach 127\.0\.0\.1:1/);
      } finally {
        noaccess.dispose();
      }
    });
  });
});
