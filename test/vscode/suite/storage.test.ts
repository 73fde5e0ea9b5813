// Managed storage accounts in a real VS Code (code-server) against the emulator: accounts list with their SAS
// definitions as children, properties, key regeneration, SAS definitions created through the wizard (checked live),
// shown without their signature, deleted and recovered, and accounts added, deleted, recovered and purged.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { AccountSession, AccountsModel } from '../../../src/accounts/types';
import type { SasDefinition, StorageAccount } from '../../../src/keyvault/models/storage';
import { activatedExtension, waitFor as waitForValue, type Probe } from './helpers';
import { BACK, ScriptedPrompts } from './secrets-prompts';

interface TreeNodeLike {
  id: string;
  ref?: { name: string; url: string };
  family?: string;
  kind?: string;
  view?: { name: string; family: string };
  sas?: { name: string };
  deleted?: boolean;
  deletedGroup?: TreeNodeLike;
  getTreeItem?(): { label?: unknown; description?: unknown; contextValue?: string; collapsibleState?: number };
}

interface Api {
  accounts: AccountsModel & { whenLoaded(): Promise<void>; refresh(): Promise<void> };
  certificates?: { tree: { getChildren(node?: TreeNodeLike): Promise<TreeNodeLike[]>; refresh(node?: TreeNodeLike): void } };
  storage?: { setPrompts(p: ScriptedPrompts | undefined): void; errors: string[] };
}

const READY_FILE_ENV = 'KEYVAULT_TEST_EMULATOR_READY_FILE';
const config = () => vscode.workspace.getConfiguration('keyVault');
const run = <T = unknown>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(command, ...args);
const suffix = Math.random().toString(36).slice(2, 8).replace(/[^a-z0-9]/g, '');
const SIGNATURE = 'c3VpdGUtc2lnbmF0dXJlLXNlY3JldA';

// This suite's waits default to 15 s.
const waitFor = <T>(what: string, probe: Probe<T>, timeoutMs = 15_000): Promise<T> => waitForValue(what, probe, timeoutMs);

describe('Managed storage accounts against the emulator', function () {
  this.timeout(90_000);
  let api: Api;
  let tree: NonNullable<Api['certificates']>['tree'];
  let storage: NonNullable<Api['storage']>;
  let session: AccountSession;
  let vaultUrl: string;
  let subscriptionId: string;
  const prompts = new ScriptedPrompts();
  const svc = () => session.service.storage;

  async function storageCategory(): Promise<TreeNodeLike> {
    const roots = await tree.getChildren();
    const vault = await waitFor('kv-demo is in the tree', () => roots.find((n) => n.ref?.name === 'kv-demo'));
    return (await tree.getChildren(vault)).find((c) => c.family === 'storage')!;
  }
  async function accountNode(name: string): Promise<TreeNodeLike> {
    const category = await storageCategory();
    return waitFor(`${name} is listed`, async () => {
      tree.refresh(category);
      return (await tree.getChildren(category)).find((n) => n.kind === 'object' && n.view?.name === name);
    });
  }
  async function sasNodes(account: string): Promise<TreeNodeLike[]> {
    return tree.getChildren(await accountNode(account));
  }

  before(async function () {
    const readyFile = process.env[READY_FILE_ENV] ?? '';
    if (!readyFile || !existsSync(readyFile)) {
      console.log(`[suite] ${READY_FILE_ENV} is not set (the code-server tier starts the emulator): skipping the storage tests`);
      this.skip();
    }
    const ready = JSON.parse(readFileSync(readyFile, 'utf8')) as { containers: { name: string; url: string; subscriptionId?: string }[]; subscriptions: { subscriptionId: string }[] };
    vaultUrl = ready.containers.find((c) => c.name === 'kv-demo')!.url;
    subscriptionId = ready.subscriptions[0]!.subscriptionId;
    api = (await activatedExtension()).exports as Api;
    assert.ok(api.storage && api.certificates, 'the extension exposes the storage test API under the test harness');
    storage = api.storage;
    tree = api.certificates.tree;
    await api.accounts.whenLoaded();
    await run('keyVault.useLocalEmulator', readyFile);
    session = await waitFor('the emulator session is up', async () => {
      await api.accounts.refresh();
      return api.accounts.sessionFor(vaultUrl);
    });
    storage.setPrompts(prompts);
  });

  beforeEach(() => {
    prompts.reset();
    storage.errors.length = 0;
  });

  afterEach(function () {
    assert.ok(!prompts.transcript().includes(SIGNATURE), 'a SAS template signature appeared in a prompt or message');
    if (this.currentTest?.state === 'passed') {
      assert.deepEqual(prompts.unexpected, [], 'unexpected prompts');
      assert.equal(prompts.pending, 0, 'scripted answers left over');
      assert.deepEqual(storage.errors, []);
    }
  });

  after(async () => {
    storage?.setPrompts(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of ['credential', 'emulator.readyFile']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await api?.accounts.refresh();
  });

  it('lists storage accounts that expand to their SAS definitions and a Deleted group', async () => {
    const account = await accountNode('contosostorage');
    const item = account.getTreeItem!();
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const children = await sasNodes('contosostorage');
    const names = children.filter((n) => n.sas).map((n) => n.sas!.name);
    assert.ok(names.includes('fullaccess') && names.includes('reportsread'), names.join(', '));
    const full = children.find((n) => n.sas?.name === 'fullaccess')!;
    assert.match(String(full.getTreeItem!().description), /account SAS · tokens last 2 hours/);
    assert.match(full.getTreeItem!().contextValue ?? '', /^keyvault\.sasDefinition\+enabled/);
    assert.ok(children.some((n) => n.getTreeItem!().contextValue === 'keyvault.sasDeletedGroup'));
  });

  it('shows the account details (active key, rotation) and regenerates a key after confirming', async () => {
    const account = await run<StorageAccount>('keyVault.storage.showDetails', await accountNode('contosostorage'));
    assert.equal(account?.activeKeyName, 'key1');
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(text, /"activeKeyName": "key1"/);
    assert.match(text, /"regenerationPeriod": "P90D \(90 days\)"/);

    prompts.answerPick(/Regenerate Storage Account Key/, 'key2').answerModal(/Regenerate key2 of storage account contosostorage/, 'Regenerate');
    const updated = await run<StorageAccount>('keyVault.storage.regenerateKey', await accountNode('contosostorage'));
    assert.equal(updated?.name, 'contosostorage');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('creates a SAS definition through the wizard, checking name, template and period as they are typed', async () => {
    const name = `suitesas${suffix}`;
    const account = 'contosostorage';
    const service = `https://${account}.blob.core.windows.net/reports?sv=2021-08-06&sr=c&sp=rl&se=2030-01-01T00:00:00Z&spr=https&sig=${SIGNATURE}`;
    prompts
      .answerInput(/SAS definition name/, 'bad-name')
      .answerInput(/SAS definition name/, name)
      .answerPick(/What the tokens cover/, 'Service SAS')
      .answerInput(/Template SAS URI/, `https://${account}.blob.core.windows.net/?sv=2021-08-06&sp=rl&sig=${SIGNATURE}`)
      .answerInput(/Template SAS URI/, service)
      .answerInput(/How long each token is valid/, '1 hour')
      .answerInput(/How long each token is valid/, 'PT1H');
    const sas = await run<SasDefinition>('keyVault.storage.createSasDefinition', await accountNode(account));
    assert.equal(sas?.name, name);
    assert.ok(prompts.validation.some((m) => /no dashes/.test(m)));
    assert.ok(prompts.validation.some((m) => /lacks sr for a service SAS/.test(m)));
    assert.ok(prompts.validation.some((m) => /not a positive ISO 8601 duration/.test(m)));
    const stored = await svc().getSasDefinition(vaultUrl, account, name);
    assert.equal(stored.sasType, 'service');
    assert.equal(stored.validityPeriod, 'PT1H');
    const node = await waitFor('the new SAS definition shows under its account', async () => (await sasNodes(account)).find((n) => n.sas?.name === name));
    assert.match(String(node.getTreeItem!().description), /service SAS · tokens last 1 hour/);

    await run('keyVault.storage.showSasDefinition', node);
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(text, /sig=\*\*\*/);
    assert.ok(!text.includes(SIGNATURE), 'the template signature is masked in the details');
    await run('keyVault.storage.copySasSecretId', node);
    assert.equal(await vscode.env.clipboard.readText(), stored.secretId);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('deletes a SAS definition after confirming and recovers it from the Deleted group', async () => {
    const name = `suitesas${suffix}`;
    const account = 'contosostorage';
    const node = (await sasNodes(account)).find((n) => n.sas?.name === name)!;
    prompts.answerModal(/Delete SAS definition/, 'Delete');
    await run('keyVault.storage.deleteSasDefinition', node);
    const group = await waitFor('the Deleted group is there', async () => (await sasNodes(account)).find((n) => n.getTreeItem!().contextValue === 'keyvault.sasDeletedGroup'));
    const deleted = await waitFor('the SAS definition is in the Deleted group', async () => (await tree.getChildren(group)).find((n) => n.sas?.name === name));
    assert.equal(deleted.deleted, true);
    await run('keyVault.storage.recoverSasDefinition', deleted);
    assert.equal((await svc().getSasDefinition(vaultUrl, account, name)).name, name);
  });

  it('Show Storage Account Details from the palette: vault (1/2) → account (2/2)', async () => {
    prompts.answerPick(/Show Storage Account Details/, 'kv-demo').answerPick(/Choose a managed storage account in kv-demo/, 'contosostorage');
    const account = await run<StorageAccount>('keyVault.storage.showDetails');
    assert.equal(account?.name, 'contosostorage');
    assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /"activeKeyName": "key1"/);
    assert.deepEqual(prompts.pickSteps(), ['1/2', '2/2']);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Show SAS Definition from the palette: vault → account → SAS definition numbered 1/3 to 3/3, Back going one step back', async () => {
    prompts
      .answerPick(/Show SAS Definition/, 'kv-demo')
      .answerPick(/Choose a managed storage account/, 'contosostorage')
      .answerPick(/Choose a SAS definition of contosostorage/, BACK)
      .answerPick(/Choose a managed storage account/, BACK)
      .answerPick(/Show SAS Definition/, 'kv-demo')
      .answerPick(/Choose a managed storage account/, 'contosostorage')
      .answerPick(/Choose a SAS definition of contosostorage/, 'reportsread');
    const sas = await run<SasDefinition>('keyVault.storage.showSasDefinition');
    assert.equal(sas?.name, 'reportsread');
    assert.deepEqual(prompts.pickSteps(), ['1/3', '2/3', '3/3', '2/3', '1/3', '2/3', '3/3']);
    // From an account node only the SAS step is left, without Back.
    prompts.answerPick(/Choose a SAS definition of contosostorage/, 'fullaccess');
    const fromNode = await run<SasDefinition>('keyVault.storage.showSasDefinition', await accountNode('contosostorage'));
    assert.equal(fromNode?.name, 'fullaccess');
    assert.deepEqual(prompts.seen.at(-1)?.canGoBack, false);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Recover Deleted Storage Account from the palette picks among deleted accounts only', async () => {
    const name = `paletteacct${suffix}`;
    const resourceId = `/subscriptions/${subscriptionId}/resourceGroups/rg-suite/providers/Microsoft.Storage/storageAccounts/${name.slice(0, 24)}`;
    await run('keyVault.storage.add', vaultUrl, { name, resourceId, activeKeyName: 'key1', autoRegenerateKey: false });
    await svc().delete(vaultUrl, name);
    await waitFor('the account shows as deleted', () => svc().getDeleted(vaultUrl, name).then(() => true, () => undefined));
    prompts.answerPick(/Recover Deleted Storage Account/, 'kv-demo').answerPick(/Choose a deleted storage account in kv-demo/, name);
    await run('keyVault.storage.recover');
    assert.equal((await svc().get(vaultUrl, name)).name, name);
    assert.deepEqual(prompts.pickSteps(), ['1/2', '2/2']);
    const listed = prompts.seen.find((s) => /Choose a deleted storage account/.test(s.text))!.items!;
    assert.ok(listed.includes(name) && !listed.includes('contosostorage'), listed.join(', '));
    // Leave the vault as the other tests expect it.
    await svc().delete(vaultUrl, name);
    await waitFor('deleted again', () => svc().getDeleted(vaultUrl, name).then(() => true, () => undefined));
    await svc().purge(vaultUrl, name);
  });

  it('adds a storage account, deletes it, recovers it, and purges it after the typed name', async () => {
    const name = `suiteacct${suffix}`;
    const resourceId = `/subscriptions/${subscriptionId}/resourceGroups/rg-suite/providers/Microsoft.Storage/storageAccounts/${name.slice(0, 24)}`;
    const added = await run<StorageAccount>('keyVault.storage.add', vaultUrl, { name, resourceId, activeKeyName: 'key1', autoRegenerateKey: false });
    assert.equal(added?.name, name);
    await accountNode(name);

    prompts.answerModal(/Stop managing storage account/, 'Delete');
    await run('keyVault.storage.delete', await accountNode(name));
    const category = await storageCategory();
    const deletedNode = await waitFor('the account is in the Deleted group', async () => {
      tree.refresh(category);
      await tree.getChildren(category);
      return (await tree.getChildren(category.deletedGroup!)).find((n) => n.view?.name === name);
    });
    await run('keyVault.storage.recover', deletedNode);
    assert.equal((await svc().get(vaultUrl, name)).name, name);

    prompts.answerModal(/Stop managing storage account/, 'Delete');
    await run('keyVault.storage.delete', `${vaultUrl}/storage/${name}`);
    prompts.answerModal(/Purge storage account/, 'Purge…').answerInput(/Type its name/, name);
    await run('keyVault.storage.purge', `${vaultUrl}/deletedstorage/${name}`);
    await waitFor('the purge is done', async () => svc().getDeleted(vaultUrl, name).then(() => undefined, () => true));
  });
});
