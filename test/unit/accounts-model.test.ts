import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TokenCredential } from '@azure/core-auth';
import { CLOUDS, customCloud } from '../../src/azure/clouds';
import type { ArmClient } from '../../src/azure/arm';
import type { AccountInfo, MicrosoftAuth } from '../../src/azure/credentials/microsoftAccount';
import { KeyVaultError } from '../../src/keyvault/errors';
import type { KeyVaultClientConfig } from '../../src/keyvault/http/client';
import { restServiceFactory, setServiceFactoryForTests } from '../../src/keyvault/service';
import { Accounts } from '../../src/accounts/model';
import { PinnedStore, type MementoLike } from '../../src/accounts/pinnedStore';
import { CredentialSession, listSubscriptionsAcrossTenants, type SessionInit } from '../../src/accounts/session';
import { ConfiguredCredentialSource, MicrosoftAccountsSource, type SessionSource } from '../../src/accounts/sources';
import type { IdentityModule } from '../../src/azure/credentials/identity';
import { selectionEntries, subscriptionSelection } from '../../src/accounts/subscriptionFilter';
import { Emitter } from '../../src/accounts/emitter';

const credential: TokenCredential = { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) };
const settings = { apiVersion: () => '2025-07-01', useMethodOverride: () => false, timeoutMs: () => 30_000, userAgentPrefix: 'keyvault-explorer/0.0.0-test' };

function memento(): MementoLike {
  const data = new Map<string, unknown>();
  return { get: <T>(k: string) => data.get(k) as T | undefined, update: async (k, v) => void data.set(k, JSON.parse(JSON.stringify(v)) as unknown) };
}

function session(init: Partial<SessionInit> & { id: string }): CredentialSession {
  return new CredentialSession({ label: init.id, kind: 'identity', cloud: CLOUDS[0]!, credential, settings, selectedSubscriptionIds: () => undefined, ...init });
}

function source(name: string, list: () => CredentialSession[] | Promise<CredentialSession[]>): SessionSource & { emitter: Emitter<void>; loads: number } {
  const emitter = new Emitter<void>();
  const s = { name, emitter, loads: 0, onDidChange: emitter.event, load: async () => (s.loads++, list()) };
  return s;
}

function model(sources: SessionSource[], store = new PinnedStore(memento()), readCa = async (f: string) => `-----BEGIN CERTIFICATE-----${f}`) {
  return new Accounts({ sources, pinned: store, readCa, defaultCloud: () => CLOUDS[0]! });
}

/** A fake Resource Manager per tenant: subscriptions by tenant, vaults by subscription, Resource Graph on/off. */
function fakeArm(world: { tenants: string[]; subs: { subscriptionId: string; tenantId: string; displayName: string }[]; vaults: Record<string, string[]>; graph: boolean }) {
  const calls: string[] = [];
  const factory = (tenantId: string | undefined): Pick<ArmClient, 'send'> => ({
    send: (async (method: string, path: string, options?: { body?: { subscriptions: string[] } }) => {
      const tenant = tenantId ?? world.tenants[0]!;
      calls.push(`${tenant} ${method} ${path.split('?')[0]}`);
      if (path.startsWith('/tenants')) return { value: world.tenants.map((t) => ({ tenantId: t })) };
      if (path.startsWith('/subscriptions?')) return { value: world.subs.filter((s) => s.tenantId === tenant) };
      const vault = (name: string, sub: string) => ({
        id: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${name}`,
        name,
        type: 'Microsoft.KeyVault/vaults',
        location: 'x',
        properties: { vaultUri: `https://${name}.vault.azure.net/` },
      });
      if (method === 'POST') {
        if (!world.graph) throw new KeyVaultError({ kind: 'forbidden-rbac', status: 403, message: 'no graph' });
        for (const s of options!.body!.subscriptions) {
          if (world.subs.find((x) => x.subscriptionId === s)?.tenantId !== tenant) throw new KeyVaultError({ kind: 'bad-request', status: 400, message: `wrong tenant for ${s}` });
        }
        return { data: options!.body!.subscriptions.flatMap((s) => (world.vaults[s] ?? []).map((n) => vault(n, s))) };
      }
      const sub = /\/subscriptions\/([^/]+)\/providers\/Microsoft\.KeyVault\/(\w+)/.exec(path);
      if (sub && sub[2] === 'vaults') return { value: (world.vaults[sub[1]!] ?? []).map((n) => vault(n, sub[1]!)) };
      return { value: [] };
    }) as ArmClient['send'],
  });
  return { factory, calls };
}

const world = {
  tenants: ['ta', 'tb'],
  subs: [
    { subscriptionId: 's1', tenantId: 'ta', displayName: 'Dev' },
    { subscriptionId: 's2', tenantId: 'ta', displayName: 'Prod' },
    { subscriptionId: 's3', tenantId: 'tb', displayName: 'Fabrikam' },
  ],
  vaults: { s1: ['a1'], s2: ['a2'], s3: ['b1'] } as Record<string, string[]>,
  graph: true,
};

describe('a session: subscriptions and discovery across tenants, cached', () => {
  it('lists the subscriptions of every tenant the credential reaches, each with a token of its tenant', async () => {
    const arm = fakeArm(world);
    const s = session({ id: 'x', armFactory: arm.factory });
    const subs = await s.listSubscriptions();
    assert.deepEqual(subs.map((x) => x.subscriptionId).sort(), ['s1', 's2', 's3']);
    assert.ok(arm.calls.includes('tb GET /subscriptions'));
  });

  it('discovers per tenant (one Resource Graph query each) and merges, sorted by name', async () => {
    const arm = fakeArm(world);
    const s = session({ id: 'x', armFactory: arm.factory });
    const result = await s.discover(['s1', 's2', 's3']);
    assert.deepEqual(result.containers.map((c) => c.name), ['a1', 'a2', 'b1']);
    assert.equal(result.via, 'resource-graph');
    assert.deepEqual(result.failures, []);
    assert.equal(arm.calls.filter((c) => c.includes('POST')).length, 2);
  });

  it('says in the log what it found, where and how long it took', async () => {
    const lines: string[] = [];
    const s = session({ id: 'x', label: 'Local emulator', armFactory: fakeArm(world).factory, log: (m) => lines.push(m) });
    await s.discover(['s1', 's3']);
    await new Promise((r) => setImmediate(r));
    assert.match(lines[0] ?? '', /^Local emulator: 2 vaults and HSMs in 2 subscription\(s\) via Resource Graph \(\d+ ms\)$/);
  });

  it('falls back to ARM per subscription when Resource Graph is refused', async () => {
    const arm = fakeArm({ ...world, graph: false });
    const result = await session({ id: 'x', armFactory: arm.factory }).discover(['s1', 's3']);
    assert.equal(result.via, 'arm');
    assert.deepEqual(result.containers.map((c) => c.name), ['a1', 'b1']);
  });

  it('caches subscriptions and discovery until invalidate() or refresh', async () => {
    const arm = fakeArm(world);
    const s = session({ id: 'x', armFactory: arm.factory });
    await s.discover(['s1']);
    await s.discover(['s1']);
    const posts = () => arm.calls.filter((c) => c.includes('POST')).length;
    assert.equal(posts(), 1);
    await s.discover(['s1'], { refresh: true });
    assert.equal(posts(), 2);
    s.invalidate();
    await s.discover(['s1']);
    assert.equal(posts(), 3);
    assert.equal(arm.calls.filter((c) => c.endsWith('GET /tenants')).length, 2, 'subscriptions listed again after invalidate()');
  });

  it('does not cache a failure', async () => {
    let fail = true;
    const s = session({
      id: 'x',
      listSubscriptions: async () => {
        if (fail) throw new Error('ARM down');
        return [];
      },
    });
    await assert.rejects(s.listSubscriptions(), /ARM down/);
    fail = false;
    assert.deepEqual(await s.listSubscriptions(), []);
  });

  it('reports a tenant that fails as failures of its subscriptions, the rest still discovered', async () => {
    const arm = fakeArm(world);
    const s = session({
      id: 'x',
      armFactory: (t) => (t === 'tb' ? { send: (async () => Promise.reject(new Error('MFA required in tb'))) as ArmClient['send'] } : arm.factory(t)),
      listSubscriptions: async () => world.subs,
    });
    const result = await s.discover(['s1', 's3']);
    assert.deepEqual(result.containers.map((c) => c.name), ['a1']);
    assert.deepEqual(result.failures, [{ subscriptionId: 's3', message: 'MFA required in tb' }]);
  });

  it('falls back to the home tenant when /tenants is refused', async () => {
    const arm = fakeArm(world);
    const subs = await listSubscriptionsAcrossTenants((t) =>
      t === undefined
        ? { send: (async (m: string, p: string) => (p.startsWith('/tenants') ? Promise.reject(new Error('403')) : arm.factory(undefined).send(m as 'GET', p))) as ArmClient['send'] }
        : arm.factory(t),
    );
    assert.deepEqual(subs.map((s) => s.subscriptionId), ['s1', 's2']);
  });

  it("builds its Key Vault service from live settings getters and the extension's user agent", () => {
    const configs: KeyVaultClientConfig[] = [];
    setServiceFactoryForTests((config) => {
      configs.push(config);
      return restServiceFactory(config);
    });
    let timeout = 30;
    try {
      session({ id: 'x', settings: { ...settings, timeoutMs: () => timeout * 1000, userAgentPrefix: 'keyvault-explorer/1.2.3' }, customEndpoints: [{ origin: 'https://127.0.0.1:9002' }] }).dispose();
    } finally {
      setServiceFactoryForTests(undefined);
    }
    const config = configs[0]!;
    assert.equal(config.userAgentPrefix, 'keyvault-explorer/1.2.3');
    assert.equal(config.apiVersion?.(), '2025-07-01');
    assert.equal(config.useMethodOverride?.(), false);
    timeout = 5;
    assert.equal(config.timeoutMs?.(), 5000, 'a getter: a settings change applies without a new session');
    assert.deepEqual(config.customEndpoints, [{ origin: 'https://127.0.0.1:9002' }]);
    assert.equal(config.credential, credential);
  });

  it('trusts hosts of its own cloud on 443 and explicitly added endpoints, nothing else', () => {
    const s = session({ id: 'x', customEndpoints: [{ origin: 'https://127.0.0.1:9002' }] });
    assert.equal(s.trusts('https://contoso.vault.azure.net/secrets/x'), true);
    assert.equal(s.trusts('https://contoso.managedhsm.azure.net'), true);
    assert.equal(s.trusts('https://contoso.vault.azure.cn'), false);
    assert.equal(s.trusts('https://contoso.vault.azure.net:8443'), false);
    assert.equal(s.trusts('https://127.0.0.1:9002/'), true);
    assert.equal(s.trusts('https://127.0.0.1:9003/'), false);
    s.addCustomEndpoint({ origin: 'https://127.0.0.1:9003' });
    assert.equal(s.trusts('https://127.0.0.1:9003/'), true);
    const emulator = session({ id: 'emulator', cloud: customCloud({ resourceManagerEndpoint: 'https://127.0.0.1:9001', loginEndpoint: 'https://127.0.0.1:9000' }) });
    assert.equal(emulator.trusts('https://contoso.vault.azure.net'), false, 'a custom cloud trusts no suffix');
  });
});

describe('the accounts model', () => {
  it('starts loading, then lists sessions in source order, and fires onDidChange only when something changed', async () => {
    const a = session({ id: 'microsoft:1' });
    const b = session({ id: 'emulator' });
    const first = source('accounts', () => [a]);
    const second = source('configured', () => [b]);
    const m = model([first, second]);
    assert.equal(m.state, 'loading');
    let changes = 0;
    m.onDidChange(() => changes++);
    await m.whenLoaded();
    assert.equal(m.state, 'ready');
    assert.deepEqual(m.sessions().map((s) => s.id), ['microsoft:1', 'emulator']);
    assert.equal(changes, 1);
    await m.refresh();
    assert.equal(changes, 1, 'same sessions: no event (the tree would reload for nothing)');
    first.emitter.fire();
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(first.loads, 3, 'a source change reloads');
  });

  it("shows a quick source's sessions on the first load without waiting for a slow one, then all of them", async () => {
    const a = session({ id: 'microsoft:1' });
    const b = session({ id: 'emulator' });
    let answer: (sessions: CredentialSession[]) => void = () => undefined;
    const slow = source('accounts', () => new Promise<CredentialSession[]>((resolve) => (answer = resolve)));
    const m = model([slow, source('configured', () => [b])]);
    const loaded = m.whenLoaded();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(m.state, 'ready');
    assert.deepEqual(m.sessions().map((s) => s.id), ['emulator']);
    answer([a]);
    await loaded;
    assert.deepEqual(m.sessions().map((s) => s.id), ['microsoft:1', 'emulator'], 'then every session, in source order');
  });

  it('is signed out with no session, and reports why a source has none', async () => {
    const m = model([source('Configured credential', () => Promise.reject(new Error('No emulator ready file at /x')))]);
    await m.whenLoaded();
    assert.equal(m.state, 'signedOut');
    assert.deepEqual(m.problems(), ['Configured credential: No emulator ready file at /x']);
  });

  it('invalidate() drops every session cache and rechecks the sources', async () => {
    const arm = fakeArm(world);
    const s = session({ id: 'x', armFactory: arm.factory });
    const src = source('s', () => [s]);
    const m = model([src]);
    await m.whenLoaded();
    await s.listSubscriptions();
    m.invalidate();
    await m.refresh();
    await s.listSubscriptions();
    assert.equal(arm.calls.filter((c) => c.endsWith('GET /tenants')).length, 2);
    assert.ok(src.loads >= 2);
  });

  it('sessionFor: a pinned session first, else the first session whose cloud or endpoints know the URL', async () => {
    const store = new PinnedStore(memento());
    const one = session({ id: 'microsoft:1' });
    const two = session({ id: 'microsoft:2' });
    const emu = session({ id: 'emulator', cloud: customCloud({ resourceManagerEndpoint: 'https://127.0.0.1:9001', loginEndpoint: 'https://127.0.0.1:9000' }), customEndpoints: [{ origin: 'https://127.0.0.1:9002' }] });
    const m = model([source('s', () => [one, two, emu])], store);
    await m.whenLoaded();
    assert.equal(m.sessionFor('https://contoso.vault.azure.net')?.id, 'microsoft:1');
    assert.equal(m.sessionFor('https://127.0.0.1:9002/secrets/x')?.id, 'emulator');
    assert.equal(m.sessionFor('https://contoso.vault.azure.cn'), undefined, 'no session of that cloud');
    assert.equal(m.sessionFor('not a url'), undefined);
    await m.pin({ kind: 'vault', name: 'contoso', url: 'https://contoso.vault.azure.net', sessionId: 'microsoft:2' });
    assert.equal(m.sessionFor('https://contoso.vault.azure.net')?.id, 'microsoft:2');
    await m.pin({ kind: 'vault', name: 'gone', url: 'https://gone.vault.azure.net', sessionId: 'microsoft:9' });
    assert.equal(m.sessionFor('https://gone.vault.azure.net')?.id, 'microsoft:1', 'a signed-out account falls back for Azure hosts');
  });

  it('sessionFor: a pinned custom endpoint is added (with its CA) to its own session only, never to another account', async () => {
    const store = new PinnedStore(memento());
    const one = session({ id: 'microsoft:1' });
    const two = session({ id: 'microsoft:2' });
    const read: string[] = [];
    const m = model([source('s', () => [one, two])], store, async (f) => (read.push(f), `-----BEGIN CERTIFICATE-----${f}`));
    await m.whenLoaded();
    await m.pin({ kind: 'vault', name: 'proxy', url: 'https://kv-proxy.corp.example:8443', sessionId: 'microsoft:2', custom: { caFile: '/ca.pem' } });
    assert.equal(m.sessionFor('https://kv-proxy.corp.example:8443')?.id, 'microsoft:2');
    assert.equal(two.trusts('https://kv-proxy.corp.example:8443'), true);
    assert.equal(one.trusts('https://kv-proxy.corp.example:8443'), false);
    assert.deepEqual(read, ['/ca.pem']);
    await m.pin({ kind: 'vault', name: 'orphan', url: 'https://orphan.example', sessionId: 'microsoft:9', custom: {} });
    assert.equal(m.sessionFor('https://orphan.example'), undefined);
    await m.pin({ kind: 'hsm', name: 'unpaired', url: 'https://unpaired.example', custom: {} });
    assert.equal(m.sessionFor('https://unpaired.example')?.id, 'microsoft:1', 'pinned before any sign-in: the first session');
  });

  it('pin/unpin persist and fire onDidChange; pinned() reads globalState', async () => {
    const store = new PinnedStore(memento());
    const m = model([], store);
    await m.whenLoaded();
    let changes = 0;
    m.onDidChange(() => changes++);
    await m.pin({ kind: 'hsm', name: 'h', url: 'https://h.managedhsm.azure.net' });
    assert.deepEqual(m.pinned().map((p) => p.name), ['h']);
    assert.equal(await m.unpin('https://h.managedhsm.azure.net/'), true);
    assert.equal(await m.unpin('https://h.managedhsm.azure.net/'), false);
    assert.equal(changes, 2);
    assert.deepEqual(new PinnedStore(memento()).list(), []);
  });

  it('expands bare names into the first non-custom session cloud, else the VS Code sign-in cloud', async () => {
    const gov = session({ id: 'microsoft:g', cloud: CLOUDS[2]! });
    const emu = session({ id: 'emulator', cloud: customCloud({ resourceManagerEndpoint: 'https://127.0.0.1:9001', loginEndpoint: 'https://127.0.0.1:9000' }) });
    const m = model([source('s', () => [emu, gov])]);
    await m.whenLoaded();
    assert.equal(m.activeCloud().id, 'AzureUSGovernment');
    const onlyEmu = model([source('s', () => [emu])]);
    await onlyEmu.whenLoaded();
    assert.equal(onlyEmu.activeCloud().id, 'AzureCloud');
  });
});

describe('VS Code Microsoft accounts as sessions (fake VS Code auth)', () => {
  function fakeAuth(accounts: AccountInfo[], granted: Set<string>) {
    const changed = new Emitter<void>();
    const requests: string[] = [];
    const auth: MicrosoftAuth = {
      cloud: () => CLOUDS[0]!,
      getAccounts: async () => accounts,
      getSession: async (request, options) => {
        requests.push(`${options.account.id} ${request.scopes.join(' ')} ${options.silent ? 'silent' : ''}`);
        return granted.has(options.account.id) ? { accessToken: 'x' } : undefined;
      },
      listSubscriptions: async (account) => [{ subscriptionId: `sub-of-${account.id}`, displayName: 'S', tenantId: 't' }],
      onDidChangeSessions: changed.event,
    };
    return { auth, changed, requests };
  }

  it('one session per account that granted this extension a session, none for hidden ones, reused across loads', async () => {
    const { auth, requests } = fakeAuth(
      [
        { id: 'a', label: 'alice@contoso.com' },
        { id: 'b', label: 'bob@fabrikam.com' },
        { id: 'c', label: 'carol@contoso.com' },
      ],
      new Set(['a', 'b']),
    );
    let hidden: string[] = ['b'];
    const src = new MicrosoftAccountsSource(auth, () => hidden, { settings, selectedSubscriptionIds: () => undefined });
    const first = await src.load();
    assert.deepEqual(first.map((s) => [s.id, s.label, s.kind, s.cloud.id]), [['microsoft:a', 'alice@contoso.com', 'microsoft', 'AzureCloud']]);
    assert.ok(requests.every((r) => r.endsWith('https://management.azure.com/.default silent')), 'checks silently, never prompts');
    hidden = [];
    const second = await src.load();
    assert.equal(second[0], first[0], 'the same session object (its caches survive)');
    assert.deepEqual(second.map((s) => s.id), ['microsoft:a', 'microsoft:b']);
    assert.deepEqual(await second[1]!.listSubscriptions(), [{ subscriptionId: 'sub-of-b', displayName: 'S', tenantId: 't' }], 'subscriptions through the azureauth provider');
  });

  it('sessions change when VS Code says sessions changed', async () => {
    const accounts: AccountInfo[] = [];
    const { auth, changed } = fakeAuth(accounts, new Set(['a']));
    const src = new MicrosoftAccountsSource(auth, () => [], { settings, selectedSubscriptionIds: () => undefined });
    const m = model([src]);
    await m.whenLoaded();
    assert.equal(m.state, 'signedOut');
    accounts.push({ id: 'a', label: 'alice' });
    const seen = new Promise<void>((resolve) => m.onDidChange(() => resolve()));
    changed.fire();
    await seen;
    assert.deepEqual(m.sessions().map((s) => s.id), ['microsoft:a']);
  });
});

describe('subscription selection', () => {
  it("ours wins; else the Azure extensions' azureResourceGroups.selectedSubscriptions; else everything", () => {
    assert.equal(subscriptionSelection([], undefined), undefined);
    assert.equal(subscriptionSelection(undefined, []), undefined);
    assert.deepEqual(subscriptionSelection([], ['TA/S1', 'tb/s3', 42, 'a/b/c']), { source: 'azureResourceGroups', subscriptionIds: ['s1', 's3'], tenantIds: ['ta', 'tb'] });
    assert.deepEqual(subscriptionSelection(['s2'], ['ta/s1']), { source: 'keyVault', subscriptionIds: ['s2'], tenantIds: [] });
    assert.deepEqual(selectionEntries([{ tenantId: 'ta', subscriptionId: 's1' }, { tenantId: 'ta', subscriptionId: 's1' }]), ['ta/s1']);
  });
});

describe('the configured credential as a session (fake @azure/identity)', () => {
  const identity = {
    AzureCliCredential: class {
      getToken = async () => ({ token: 'cli', expiresOnTimestamp: Date.now() + 3_600_000 });
    },
  } as unknown as IdentityModule;
  const deps = (credential: string, cloud = CLOUDS[0]!) => ({
    config: () => ({ credential: credential as never, emulatorReadyFile: '', managedIdentityClientId: '' }),
    envReadyFile: () => undefined,
    cloud: () => cloud,
    common: { settings, selectedSubscriptionIds: () => undefined },
    loadIdentity: async () => identity,
  });

  it('keyVault.credential = azureCli gives one "Azure CLI" session in the VS Code sign-in cloud, kept while nothing changes', async () => {
    let cloud = CLOUDS[0]!;
    const src = new ConfiguredCredentialSource({ ...deps('azureCli'), cloud: () => cloud });
    const [first] = await src.load();
    assert.deepEqual([first!.id, first!.label, first!.kind, first!.cloud.id], ['identity:azureCli', 'Azure CLI', 'identity', 'AzureCloud']);
    assert.equal((await src.load())[0], first);
    cloud = CLOUDS[1]!;
    const [second] = await src.load();
    assert.notEqual(second, first, 'another cloud: another session');
    assert.equal(second!.cloud.id, 'AzureChinaCloud');
  });

  it('auto without the emulator variable, and microsoft, add no session', async () => {
    assert.deepEqual(await new ConfiguredCredentialSource(deps('auto')).load(), []);
    assert.deepEqual(await new ConfiguredCredentialSource(deps('microsoft')).load(), []);
  });

  it('a model whose Microsoft sign-in is unavailable still loads the other sources, and says why', async () => {
    const broken: MicrosoftAuth = {
      cloud: () => CLOUDS[0]!,
      getAccounts: () => Promise.reject(new Error('VS Code\'s "microsoft" sign-in is not available here')),
      getSession: async () => undefined,
      listSubscriptions: async () => [],
      onDidChangeSessions: new Emitter<void>().event,
    };
    const m = model([new MicrosoftAccountsSource(broken, () => [], { settings, selectedSubscriptionIds: () => undefined }), new ConfiguredCredentialSource(deps('azureCli'))]);
    await m.whenLoaded();
    assert.deepEqual(m.sessions().map((s) => s.id), ['identity:azureCli']);
    assert.match(m.problems()[0] ?? '', /^Microsoft accounts: .*not available here/);
  });
});
