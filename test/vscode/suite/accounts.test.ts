import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { AccountsModel, PinnedContainer } from '../../../src/accounts/types';
import { activatedExtension } from './helpers';

/** What the extension's activate() returns (src/extension.ts KeyVaultExplorerApi); the model is the real one. */
interface Api {
  accounts: AccountsModel & { whenLoaded(): Promise<void>; refresh(): Promise<void>; state: string; problems(): readonly string[] };
}

const READY_FILE_ENV = 'KEYVAULT_TEST_EMULATOR_READY_FILE';
const config = () => vscode.workspace.getConfiguration('keyVault');

/** Waits for the model to settle after a settings change (the change event arrives asynchronously). */
async function settled(api: Api, until: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!until()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}; problems: ${api.accounts.problems().join(' | ')}`);
    await api.accounts.refresh();
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Accounts, sign-in and pinned vaults in a real VS Code', function () {
  this.timeout(60_000);
  let api: Api;
  let readyFile: string;
  let ready: { containers: { name: string; kind: 'vault' | 'hsm'; url: string; tenantId: string }[]; subscriptions: { subscriptionId: string; tenantId: string }[] };

  before(async function () {
    readyFile = process.env[READY_FILE_ENV] ?? '';
    if (!readyFile || !existsSync(readyFile)) {
      console.log(`[suite] ${READY_FILE_ENV} is not set (the code-server tier starts the emulator): skipping the emulator tests`);
      this.skip();
    }
    ready = JSON.parse(readFileSync(readyFile, 'utf8')) as typeof ready;
    api = (await activatedExtension()).exports as Api;
    await api.accounts.whenLoaded();
  });

  after(async () => {
    // Leave the extension as the next suites expect it: signed out, nothing pinned, default settings.
    for (const p of api?.accounts.pinned() ?? []) await vscode.commands.executeCommand('keyVault.removePinnedVault', p.url);
    for (const key of ['credential', 'emulator.readyFile', 'selectedSubscriptions']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await api?.accounts.refresh();
  });

  it('starts signed out with nothing pinned, so the view shows its welcome content', () => {
    assert.equal(api.accounts.state, 'signedOut');
    assert.deepEqual(api.accounts.sessions(), []);
    assert.deepEqual(api.accounts.pinned(), []);
  });

  it("VS Code's Microsoft sign-in is there (wiring only: it cannot reach a login server here), with no account", async () => {
    // The Microsoft sign-in flow itself is tested with fakes in test/unit/accounts-credentials.test.ts.
    assert.deepEqual(await vscode.authentication.getAccounts('microsoft'), []);
    assert.deepEqual(api.accounts.problems(), []);
  });

  it('registers the account commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['signIn', 'signOut', 'selectSubscriptions', 'addVaultByUrl', 'removePinnedVault', 'useLocalEmulator']) assert.ok(commands.includes(`keyVault.${id}`), id);
  });

  it('Use Local Emulator connects through the ready file: one session, subscriptions of both tenants, every vault and the HSM', async () => {
    await vscode.commands.executeCommand('keyVault.useLocalEmulator', readyFile);
    assert.equal(config().get('credential'), 'emulator');
    assert.equal(config().get('emulator.readyFile'), readyFile);
    await settled(api, () => api.accounts.sessions().length === 1, 'the emulator session appears');
    const [session] = api.accounts.sessions();
    assert.equal(session!.id, 'emulator');
    assert.equal(api.accounts.state, 'ready');
    const subs = await session!.listSubscriptions();
    assert.deepEqual(subs.map((s) => s.subscriptionId).sort(), ready.subscriptions.map((s) => s.subscriptionId).sort());
    const found = await session!.discover(subs.map((s) => s.subscriptionId));
    assert.deepEqual(found.containers.map((c) => c.name).sort(), ready.containers.map((c) => c.name).sort());
    assert.ok(found.containers.some((c) => c.kind === 'hsm'));
  });

  it('the emulator session reaches a vault of the second tenant through the data plane', async () => {
    const tenant2 = ready.containers.find((c) => c.name === 'kv-tenant2')!;
    const session = api.accounts.sessionFor(tenant2.url);
    assert.equal(session?.id, 'emulator');
    const page = await session!.service.secrets.list(tenant2.url).byPage({ maxPageSize: 1 }).next();
    assert.ok(Array.isArray(page.value?.items));
  });

  it('Add Vault or HSM by URL pins an emulator vault typed as host:port, with no question asked (the emulator already trusts it)', async () => {
    const hsm = ready.containers.find((c) => c.kind === 'hsm')!;
    const pin = (await vscode.commands.executeCommand('keyVault.addVaultByUrl', hsm.url.replace('https://', ''))) as PinnedContainer | undefined;
    assert.deepEqual(pin, { kind: 'hsm', name: hsm.name, url: hsm.url, sessionId: 'emulator' });
    assert.deepEqual(api.accounts.pinned(), [pin]);
    assert.equal(api.accounts.sessionFor(`${hsm.url}/keys/k1`)?.id, 'emulator');
  });

  it('Add Vault or HSM by URL pins a vault of a cloud no session reaches yet (it works with no ARM access at all)', async () => {
    const pin = (await vscode.commands.executeCommand('keyVault.addVaultByUrl', { url: 'contoso-kv', kind: 'vault' })) as PinnedContainer | undefined;
    assert.deepEqual(pin, { kind: 'vault', name: 'contoso-kv', url: 'https://contoso-kv.vault.azure.net' });
    assert.equal(api.accounts.sessionFor(pin!.url), undefined, 'the emulator never gets a token meant for Azure');
    assert.equal(api.accounts.pinned().length, 2);
  });

  it('refuses what is not a vault address, with the reason, and pins nothing', async () => {
    const before = api.accounts.pinned().length;
    const result = await vscode.commands.executeCommand('keyVault.addVaultByUrl', 'http://contoso.vault.azure.net');
    assert.equal(result, undefined);
    assert.equal(api.accounts.pinned().length, before);
  });

  it('Select Subscriptions stores tenant/subscription entries, and the session then reports that selection', async () => {
    const first = ready.subscriptions[0]!;
    await vscode.commands.executeCommand('keyVault.selectSubscriptions', [first.subscriptionId]);
    assert.deepEqual(config().get('selectedSubscriptions'), [`${first.tenantId}/${first.subscriptionId}`]);
    await settled(api, () => api.accounts.sessions()[0]?.selectedSubscriptionIds()?.length === 1, 'the selection applies');
    await vscode.commands.executeCommand('keyVault.selectSubscriptions', ready.subscriptions.map((s) => s.subscriptionId));
    assert.equal(config().get('selectedSubscriptions', []).length, 0, 'all selected: no filter');
  });

  it('Remove Pinned Vault forgets pins, from a URL or a tree node', async () => {
    const [hsmPin, cloudPin] = api.accounts.pinned();
    await vscode.commands.executeCommand('keyVault.removePinnedVault', { vaultUrl: hsmPin!.url, ref: { url: hsmPin!.url } });
    await vscode.commands.executeCommand('keyVault.removePinnedVault', cloudPin!.url);
    assert.deepEqual(api.accounts.pinned(), []);
  });

  it('Sign In with the Azure CLI makes it the configured credential in place of the emulator, and Sign Out removes it', async () => {
    // No `az` here: the session exists, and its first token request fails with the CLI's own message.
    await vscode.commands.executeCommand('keyVault.signIn', 'azureCli');
    assert.equal(config().get('credential'), 'azureCli');
    await settled(api, () => api.accounts.sessions().map((s) => s.id).join() === 'identity:azureCli', 'the Azure CLI session replaces the emulator');
    const cli = api.accounts.sessions()[0]!;
    assert.equal(cli.label, 'Azure CLI');
    await assert.rejects(cli.listSubscriptions(), /Azure CLI/i);
    await vscode.commands.executeCommand('keyVault.signOut', 'identity:azureCli');
    await settled(api, () => api.accounts.sessions().length === 0, 'the Azure CLI session is gone');
    await vscode.commands.executeCommand('keyVault.useLocalEmulator', readyFile);
    await settled(api, () => api.accounts.sessions().length === 1, 'the emulator is back');
  });

  it('Sign Out of the emulator returns to signed out', async () => {
    await vscode.commands.executeCommand('keyVault.signOut', 'emulator');
    await settled(api, () => api.accounts.sessions().length === 0, 'no session is left');
    assert.equal(api.accounts.state, 'signedOut');
    assert.equal(config().inspect('credential')?.globalValue, undefined, 'back to the default (auto)');
  });
});
