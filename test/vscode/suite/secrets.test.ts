// Every secret command in a real VS Code (code-server) against the emulator the tier started: from tree nodes and
// from the palette (pickers), with prompts answered through the commands' Prompts seam. Values used here are
// collected and searched for afterwards in everything a user or a disk could see.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AccountSession, AccountsModel } from '../../../src/accounts/types';
import { activatedExtension, sleep, waitFor as waitForValue, type Probe } from './helpers';
import { BACK, ScriptedPrompts } from './secrets-prompts';

interface TreeNodeLike {
  id: string;
  ref?: { name: string; url: string };
  family?: string;
  kind?: string;
  view?: { name: string; version?: string; enabled: boolean; managed: boolean; family: string };
  deletedGroup?: TreeNodeLike;
  loadMore?(): Promise<void>;
}

interface Api {
  accounts: AccountsModel & { whenLoaded(): Promise<void>; refresh(): Promise<void> };
  secrets?: {
    setPrompts(p: ScriptedPrompts | undefined): void;
    clipboard: { hasPending: boolean; onDidClear(l: (outcome: string) => void): { dispose(): void } };
    revealPanels: {
      size: number;
      list(): { panel: vscode.WebviewPanel; name: string; receive(raw: unknown): Promise<void> }[];
      onDidPost(l: (e: { panel: vscode.WebviewPanel; message: RevealMessage }) => void): { dispose(): void };
    };
    valueDocuments: { openCount: number; saveCount: number };
    tree: { getChildren(node?: TreeNodeLike): Promise<TreeNodeLike[]>; refresh(node?: TreeNodeLike): void };
  };
}

type RevealMessage = { type: 'init'; enabled: boolean } | { type: 'value'; value: string; lines: number; bytes: number } | { type: 'problem'; message: string } | { type: 'copied' };

const READY_FILE_ENV = 'KEYVAULT_TEST_EMULATOR_READY_FILE';
const config = () => vscode.workspace.getConfiguration('keyVault');
const run = (command: string, ...args: unknown[]) => vscode.commands.executeCommand(command, ...args);
const suffix = Math.random().toString(36).slice(2, 8);
/** Every value put in a secret by this suite: none may show up anywhere a user or a disk could see. */
const VALUES: string[] = [];
const value = (label: string): string => {
  const v = `${label}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}-VALUE`;
  VALUES.push(v);
  return v;
};

/** Files under the tier's user-data folder that hold any of the needles (logs, state databases, backups…). */
function userDataHits(needles: readonly string[]): { hits: string[]; files: number } {
  const report = process.env.KEYVAULT_EXT_TESTS_REPORT;
  assert.ok(report, 'the harness names the report file');
  const userData = path.join(path.dirname(report), 'user-data');
  assert.ok(existsSync(userData), userData);
  const bytes = needles.map((v) => Buffer.from(v));
  const hits: string[] = [];
  let files = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      else if (st.isFile() && st.size < 50 * 1024 * 1024) {
        files++;
        const content = readFileSync(full);
        for (const n of bytes) if (content.includes(n)) hits.push(`${path.relative(userData, full)}: ${n.toString().slice(0, 12)}…`);
      }
    }
  };
  walk(userData);
  return { hits, files };
}

// This suite's waits default to 15 s.
const waitFor = <T>(what: string, probe: Probe<T>, timeoutMs = 15_000): Promise<T> => waitForValue(what, probe, timeoutMs);

describe('Secret workflows against the emulator', function () {
  this.timeout(120_000);
  let api: Api;
  let secretsApi: NonNullable<Api['secrets']>;
  let session: AccountSession;
  let vaultUrl: string;
  let firewalledUrl: string;
  const prompts = new ScriptedPrompts();
  let scratch: string;

  const svc = () => session.service.secrets;
  const getValue = async (name: string, version?: string) => (await svc().get(vaultUrl, name, version)).value;
  const versionsOf = async (name: string) => {
    const out = [];
    for await (const p of svc().listVersions(vaultUrl, name)) out.push(p);
    return out.sort((a, b) => (b.attributes.createdOn?.getTime() ?? 0) - (a.attributes.createdOn?.getTime() ?? 0));
  };
  /** The current version (what a versionless read returns) and another one: listing order cannot say which is newer. */
  const currentAndOlder = async (name: string) => {
    const current = (await svc().get(vaultUrl, name)).properties.version!;
    const older = (await versionsOf(name)).find((v) => v.version !== current)!.version!;
    return { current, older };
  };
  /** A new secret whose only version is disabled; returns its value. */
  const disabledSecret = async (name: string): Promise<string> => {
    const v = value(name);
    const p = await svc().set(vaultUrl, name, v);
    await svc().update(vaultUrl, name, p.version!, { attributes: { enabled: false } });
    return v;
  };
  const deletedNames = async () => {
    const out: string[] = [];
    for await (const d of svc().listDeleted(vaultUrl)) out.push(d.name);
    return out;
  };

  // Real tree nodes, as a context menu would pass them.
  async function vaultNode(): Promise<TreeNodeLike> {
    const roots = await secretsApi.tree.getChildren();
    return waitFor('kv-demo is in the tree', () => roots.find((n) => n.ref?.name === 'kv-demo'));
  }
  async function secretsCategory(): Promise<TreeNodeLike> {
    const children = await secretsApi.tree.getChildren(await vaultNode());
    return children.find((c) => c.family === 'secrets')!;
  }
  async function secretNode(name: string): Promise<TreeNodeLike> {
    const category = await secretsCategory();
    return waitFor(`${name} is listed`, async () => {
      secretsApi.tree.refresh(category);
      // The tree lists 25 per page and other suites add secrets here too: follow Load more.
      for (;;) {
        const children = await secretsApi.tree.getChildren(category);
        const found = children.find((n) => n.kind === 'object' && n.view?.name === name);
        if (found || !children.some((n) => n.id.endsWith('/more'))) return found;
        await category.loadMore!();
      }
    });
  }
  async function versionNodes(name: string): Promise<TreeNodeLike[]> {
    return secretsApi.tree.getChildren(await secretNode(name));
  }
  async function deletedNode(name: string): Promise<TreeNodeLike> {
    const category = await secretsCategory();
    return waitFor(`${name} is in the Deleted group`, async () => {
      secretsApi.tree.refresh(category);
      await secretsApi.tree.getChildren(category);
      const group = category.deletedGroup!;
      for (;;) {
        const children = await secretsApi.tree.getChildren(group);
        const found = children.find((n) => n.view?.name === name);
        if (found || !children.some((n) => n.id.endsWith('/more'))) return found;
        await group.loadMore!();
      }
    });
  }

  before(async function () {
    const readyFile = process.env[READY_FILE_ENV] ?? '';
    if (!readyFile || !existsSync(readyFile)) {
      console.log(`[suite] ${READY_FILE_ENV} is not set (the code-server tier starts the emulator): skipping the secret tests`);
      this.skip();
    }
    const ready = JSON.parse(readFileSync(readyFile, 'utf8')) as { containers: { name: string; url: string }[] };
    vaultUrl = ready.containers.find((c) => c.name === 'kv-demo')!.url;
    firewalledUrl = ready.containers.find((c) => c.name === 'kv-firewalled')!.url;
    api = (await activatedExtension()).exports as Api;
    assert.ok(api.secrets, 'the extension exposes the secrets test API under the test harness');
    secretsApi = api.secrets;
    await api.accounts.whenLoaded();
    await run('keyVault.useLocalEmulator', readyFile);
    session = await waitFor('the emulator session is up', async () => {
      await api.accounts.refresh();
      return api.accounts.sessionFor(vaultUrl);
    });
    secretsApi.setPrompts(prompts);
    scratch = mkdtempSync(path.join(tmpdir(), 'kv-secrets-'));
    await config().update('clipboard.clearAfterSeconds', 30, vscode.ConfigurationTarget.Global);
  });

  beforeEach(() => prompts.reset());

  // Checked after every test and reported by the last one (a failing afterEach hook would stop the suite).
  const problems: string[] = [];
  afterEach(function () {
    const title = this.currentTest?.title ?? '?';
    const transcript = prompts.transcript();
    for (const v of VALUES) if (transcript.includes(v)) problems.push(`${title}: a value appeared in a prompt or message (${v.slice(0, 12)}…)`);
    if (this.currentTest?.state === 'passed') {
      for (const u of prompts.unexpected) problems.push(`${title}: unexpected prompt ${u}`);
      if (prompts.pending) problems.push(`${title}: ${prompts.pending} scripted answer(s) left over`);
    }
  });

  after(async () => {
    secretsApi?.setPrompts(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of ['credential', 'emulator.readyFile', 'clipboard.clearAfterSeconds', 'reveal.autoHideSeconds']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await api?.accounts.refresh();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  // ---- Create ----------------------------------------------------------------------------------------------

  it('Create Secret from the palette: vault, name (checked live), hidden value, then tags, content type and expiry, with Back', async () => {
    const name = `palette-created-${suffix}`;
    const v = value('created');
    prompts
      .answerPick(/Create Secret/, 'kv-demo')
      .answerInput(/Secret name/, 'bad name!')
      .answerInput(/Secret name/, name)
      .answerInput(/Value of/, BACK)
      .answerInput(/Secret name/, name)
      .answerInput(/Value of/, '')
      .answerInput(/Value of/, v)
      .answerPick(/Create now, or set options/, 'Tags')
      .answerInput(/Tags/, 'env=test, owner=secrets-suite')
      .answerPick(/Create now/, 'Content type')
      .answerInput(/Content type/, 'text/plain')
      .answerPick(/Create now/, 'Activation date')
      .answerInput(/Activation/, '+2d')
      .answerPick(/Create now/, 'Expiry date')
      .answerInput(/Expiry/, '+1d')
      .answerInput(/Expiry/, '+30d')
      .answerPick(/Create now/, 'Create Secret');
    await run('keyVault.secret.create');
    const [latest] = await versionsOf(name);
    assert.deepEqual(latest!.tags, { env: 'test', owner: 'secrets-suite' });
    assert.equal(latest!.contentType, 'text/plain');
    assert.ok(latest!.attributes.expiresOn! > new Date(Date.now() + 29 * 86_400_000));
    assert.ok(latest!.attributes.notBefore! > new Date(Date.now() + 86_400_000));
    // Not active for two days: move the activation into the past to read the value back.
    await svc().update(vaultUrl, name, latest!.version!, { attributes: { notBefore: new Date(Date.now() - 60_000) } });
    assert.equal(await getValue(name), v);
    // Validation said why, inline: the name's characters, the empty value, the expiry before the activation.
    assert.equal(prompts.validation.length, 3);
    assert.match(prompts.validation[0]!, /Only letters, digits and dashes/);
    assert.match(prompts.validation[1]!, /cannot be empty/);
    assert.match(prompts.validation[2]!, /must be after the activation date/);
    const valueStep = prompts.seen.find((s) => s.kind === 'input' && /Value of/.test(s.text))!;
    assert.equal(valueStep.password, true, 'the value box masks what is typed');
    assert.deepEqual([valueStep.step, valueStep.totalSteps, valueStep.canGoBack], [3, 4, true]);
    assert.ok(prompts.notifications('info').some((t) => t.includes(`Created secret ${name}`)));
  });

  it('Create Secret on the Secrets node of a vault skips the vault step; the tree lists the new secret', async () => {
    const name = `node-created-${suffix}`;
    const v = value('node-created');
    prompts.answerInput(/Secret name/, name).answerInput(/Value of/, v).answerPick(/Create now/, 'Create Secret');
    await run('keyVault.secret.create', await secretsCategory());
    assert.equal(await getValue(name), v);
    assert.equal(prompts.seen[0]!.kind, 'input', 'no vault picker');
    assert.ok(await secretNode(name));
  });

  it('Create Secret with a name that exists adds a version and says so', async () => {
    const name = `node-created-${suffix}`;
    const v = value('second');
    prompts.answerInput(/Secret name/, name).answerInput(/new version/, v).answerPick(/Create now/, 'Create New Version');
    await run('keyVault.secret.create', await vaultNode());
    assert.equal(await getValue(name), v);
    assert.equal((await versionsOf(name)).length, 2);
    assert.ok(prompts.seen.some((s) => s.kind === 'pick' && /exists: this adds a new version/.test(s.text)));
  });

  it('a name held by a deleted secret offers Recover (the value becomes its new version) or Purge', async () => {
    const name = `deleted-name-${suffix}`;
    const old = value('old');
    await svc().set(vaultUrl, name, old);
    await svc().delete(vaultUrl, name);
    const fresh = value('fresh');
    prompts
      .answerInput(/Secret name/, name)
      .answerInput(/Value of/, fresh)
      .answerPick(/Create now/, 'Create Secret')
      .answerModal(/A deleted secret named .* still holds this name/, 'Recover');
    await run('keyVault.secret.create', await secretsCategory());
    assert.equal(await getValue(name), fresh);
    const versions = await versionsOf(name);
    assert.equal(versions.length, 2, 'the recovered version and the new one');
    assert.deepEqual((await Promise.all(versions.map((x) => getValue(name, x.version)))).sort(), [fresh, old].sort());

    await svc().delete(vaultUrl, name);
    const third = value('after-purge');
    prompts
      .answerInput(/Secret name/, name)
      .answerInput(/Value of/, third)
      .answerPick(/Create now/, 'Create Secret')
      .answerModal(/still holds this name/, 'Purge…')
      .answerModal(/Purge secret .* for good/, 'Purge…')
      .answerInput(/Type .* to purge/, name);
    await run('keyVault.secret.create', await secretsCategory());
    assert.equal(await getValue(name), third);
    assert.equal((await versionsOf(name)).length, 1, 'purged, then created anew');
  });

  it('Create Secret from Selection stores the selected text (and only that)', async () => {
    const name = `from-selection-${suffix}`;
    const v = value('selected');
    const doc = await vscode.workspace.openTextDocument({ content: `before ${v} after`, language: 'plaintext' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 7, 0, 7 + v.length);
    prompts.answerPick(/Create Secret from the selection/, 'kv-demo').answerInput(/Secret name/, name).answerPick(/Create now/, 'Create Secret');
    await run('keyVault.secret.createFromSelection');
    assert.equal(await getValue(name), v);
    assert.ok(!prompts.seen.some((s) => s.kind === 'input' && /Value of/.test(s.text)), 'no value prompt');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Create Secret from File reads the file, suggests a name from it and guesses the content type', async () => {
    const v = value('file');
    const file = path.join(scratch, 'app.settings.json');
    writeFileSync(file, JSON.stringify({ connection: v }));
    prompts.answerPick(/from app\.settings\.json/, 'kv-demo').answerInput(/Secret name/, `app-settings-${suffix}`).answerPick(/Create now/, 'Create Secret');
    await run('keyVault.secret.createFromFile', vscode.Uri.file(file));
    const got = await svc().get(vaultUrl, `app-settings-${suffix}`);
    assert.equal(got.value, JSON.stringify({ connection: v }));
    assert.equal(got.properties.contentType, 'application/json');
    const nameStep = prompts.seen.find((s) => s.kind === 'input')!;
    assert.match(nameStep.text, /Create Secret from app\.settings\.json/);
  });

  it('refuses a file over 25 KB with the reason, before asking anything', async () => {
    const file = path.join(scratch, 'big.txt');
    writeFileSync(file, 'x'.repeat(25 * 1024 + 1));
    await run('keyVault.secret.createFromFile', vscode.Uri.file(file));
    assert.ok(prompts.notifications('error').some((t) => /25,601 bytes; Key Vault accepts values up to 25,600 bytes/.test(t)));
  });

  it('New Secret Version on a secret keeps its content type and tags and asks only for the value', async () => {
    const name = `palette-created-${suffix}`;
    const v = value('new-version');
    prompts.answerInput(/Value of the new version/, v).answerPick(/New Version of/, 'Create New Version');
    await run('keyVault.secret.newVersion', await secretNode(name));
    const [latest] = await versionsOf(name);
    assert.deepEqual(latest!.tags, { env: 'test', owner: 'secrets-suite' });
    assert.equal(latest!.contentType, 'text/plain');
    assert.equal(await getValue(name), v);
  });

  // ---- Copy ------------------------------------------------------------------------------------------------

  it('Copy Secret Value puts the value on the clipboard; the notification names the secret, never the value', async () => {
    const name = `node-created-${suffix}`;
    await run('keyVault.secret.copyValue', await secretNode(name));
    const expected = await getValue(name);
    assert.equal(await vscode.env.clipboard.readText(), expected);
    const [note] = prompts.notifications('info');
    assert.match(note ?? '', new RegExp(`Copied the value of ${name}.*cleared in 30 s`));
    assert.ok(!note!.includes(expected));
    assert.equal(secretsApi.clipboard.hasPending, true);
  });

  it('clears the clipboard after clipboard.clearAfterSeconds when it still holds the value', async () => {
    await config().update('clipboard.clearAfterSeconds', 2, vscode.ConfigurationTarget.Global);
    try {
      const cleared = new Promise<string>((resolve) => {
        const sub = secretsApi.clipboard.onDidClear((outcome) => {
          sub.dispose();
          resolve(outcome);
        });
      });
      await run('keyVault.secret.copyValue', await secretNode(`node-created-${suffix}`));
      assert.notEqual(await vscode.env.clipboard.readText(), '');
      assert.equal(await cleared, 'cleared');
      assert.equal(await vscode.env.clipboard.readText(), '');
    } finally {
      await config().update('clipboard.clearAfterSeconds', 30, vscode.ConfigurationTarget.Global);
    }
  });

  it('does not clear what the user copied after the value', async () => {
    await config().update('clipboard.clearAfterSeconds', 2, vscode.ConfigurationTarget.Global);
    try {
      const outcome = new Promise<string>((resolve) => {
        const sub = secretsApi.clipboard.onDidClear((o) => {
          sub.dispose();
          resolve(o);
        });
      });
      await run('keyVault.secret.copyValue', await secretNode(`node-created-${suffix}`));
      await vscode.env.clipboard.writeText('something the user copied');
      assert.equal(await outcome, 'not-ours');
      assert.equal(await vscode.env.clipboard.readText(), 'something the user copied');
    } finally {
      await config().update('clipboard.clearAfterSeconds', 30, vscode.ConfigurationTarget.Global);
    }
  });

  it('Copy Secret Value from the palette: vault, then secret', async () => {
    const name = `node-created-${suffix}`;
    prompts.answerPick(/Copy Secret Value/, 'kv-demo').answerPick(/Copy Secret Value/, name);
    await run('keyVault.secret.copyValue');
    assert.equal(await vscode.env.clipboard.readText(), await getValue(name));
    const steps = prompts.seen.filter((s) => s.kind === 'pick').map((s) => [s.step, s.totalSteps]);
    assert.deepEqual(steps, [[1, 2], [2, 2]]);
  });

  it('a disabled secret: copy explains why and offers to enable it; declining copies nothing', async () => {
    const name = `disabled-${suffix}`;
    const v = await disabledSecret(name);
    await vscode.env.clipboard.writeText('untouched');
    prompts.answerModal(/is disabled, so Key Vault does not return its value/, undefined);
    await run('keyVault.secret.copyValue', await secretNode(name));
    assert.equal(await vscode.env.clipboard.readText(), 'untouched');
    assert.deepEqual(prompts.notifications('error'), [], 'declining is not an error');

    prompts.answerModal(/is disabled/, 'Enable and Continue');
    await run('keyVault.secret.copyValue', await secretNode(name));
    assert.equal(await vscode.env.clipboard.readText(), v);
    assert.equal((await versionsOf(name))[0]!.attributes.enabled, true);
  });

  it('an expired or not-yet-active secret: copy goes to Key Vault, which returns the value, with no prompt in between', async () => {
    // Key Vault returns the value of a secret past its expiry or before its activation (its docs say otherwise): the
    // extension must not refuse on its own from the dates the tree had.
    for (const [name, attributes] of [
      [`expired-${suffix}`, { expiresOn: new Date(Date.now() - 86_400_000) }],
      [`future-${suffix}`, { notBefore: new Date(Date.now() + 86_400_000) }],
    ] as const) {
      const v = value(name);
      await svc().set(vaultUrl, name, v, { attributes });
      prompts.reset();
      await run('keyVault.secret.copyValue', await secretNode(name));
      assert.equal(await vscode.env.clipboard.readText(), v, name);
      assert.deepEqual(prompts.seen.filter((s) => s.kind === 'modal'), [], `${name}: no prompt`);
    }
  });

  it('Copy Secret Identifier: a version node copies its versioned id; a secret asks which one', async () => {
    const name = `node-created-${suffix}`;
    const { current, older } = await currentAndOlder(name);
    const versions = await versionNodes(name);
    const olderNode = versions.find((n) => n.view?.version === older)!;
    await run('keyVault.secret.copyIdentifier', olderNode);
    assert.equal(await vscode.env.clipboard.readText(), `${vaultUrl}/secrets/${name}/${older}`);
    prompts.answerPick(/Which identifier/, 'Without version');
    await run('keyVault.secret.copyIdentifier', await secretNode(name));
    assert.equal(await vscode.env.clipboard.readText(), `${vaultUrl}/secrets/${name}`);
    prompts.answerPick(/Which identifier/, 'Current version');
    await run('keyVault.secret.copyIdentifier', await secretNode(name));
    assert.equal(await vscode.env.clipboard.readText(), `${vaultUrl}/secrets/${name}/${current}`);
  });

  it('Copy Key Vault Reference: the SecretUri forms (the VaultName form needs a vault in a known cloud)', async () => {
    const name = `node-created-${suffix}`;
    const { current } = await currentAndOlder(name);
    prompts.answerPick(/App Service \/ Functions reference/, /SecretUri=…\/\)$/);
    await run('keyVault.secret.copyReference', await secretNode(name));
    assert.equal(await vscode.env.clipboard.readText(), `@Microsoft.KeyVault(SecretUri=${vaultUrl}/secrets/${name}/)`);
    const offered = prompts.seen.find((s) => s.kind === 'pick')!.items!;
    assert.equal(offered.length, 2, `only the SecretUri forms for ${new URL(vaultUrl).host}: ${offered.join(', ')}`);
    await run('keyVault.secret.copyReference', await secretNode(name), 'uri-versioned');
    assert.equal(await vscode.env.clipboard.readText(), `@Microsoft.KeyVault(SecretUri=${vaultUrl}/secrets/${name}/${current})`);
    await run('keyVault.secret.copyReference', await secretNode(name), 'name');
    assert.ok(prompts.notifications('error').some((t) => /not in a known Azure cloud.*SecretUri form/.test(t)));
  });

  // ---- Reveal and Edit Value --------------------------------------------------------------------------------

  it('Reveal Secret Value opens one panel per secret (the value appears only after Show: see the UI tests)', async () => {
    const name = `node-created-${suffix}`;
    const before = secretsApi.revealPanels.size;
    await run('keyVault.secret.reveal', await secretNode(name));
    assert.equal(secretsApi.revealPanels.size, before + 1);
    await run('keyVault.secret.reveal', await secretNode(name));
    assert.equal(secretsApi.revealPanels.size, before + 1, 'the same panel comes forward');
    prompts.answerPick(/Reveal Secret Value/, 'kv-demo').answerPick(/Reveal Secret Value/, 'database-password');
    await run('keyVault.secret.reveal');
    assert.equal(secretsApi.revealPanels.size, before + 2);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('the panels are gone', () => secretsApi.revealPanels.size === 0);
  });

  /** Opens the Reveal panel of a secret node and returns a function that sends a page message and collects what the host posts back. */
  async function revealHost(name: string): Promise<(raw: unknown) => Promise<RevealMessage[]>> {
    await run('keyVault.secret.reveal', await secretNode(name));
    const handle = secretsApi.revealPanels.list().find((p) => p.name === name);
    assert.ok(handle, `a Reveal panel for ${name}`);
    return async (raw) => {
      const posted: RevealMessage[] = [];
      const sub = secretsApi.revealPanels.onDidPost((e) => e.panel === handle.panel && posted.push(e.message));
      try {
        await handle.receive(raw);
      } finally {
        sub.dispose();
      }
      return posted;
    };
  }

  it('Reveal on a disabled secret: Show explains and offers to enable it; declining shows nothing, enabling shows the value (and Show again asks no more)', async () => {
    const name = `reveal-disabled-${suffix}`;
    const v = await disabledSecret(name);
    const send = await revealHost(name);
    assert.deepEqual((await send({ type: 'ready' })).map((m) => m.type === 'init' && m.enabled), [false]);
    prompts.answerModal(/is disabled, so Key Vault does not return its value \(to reveal it\)/, undefined);
    const declined = await send({ type: 'show' });
    assert.deepEqual(declined.map((m) => m.type), ['problem']);
    assert.equal((await versionsOf(name))[0]!.attributes.enabled, false, 'declining changes nothing');

    prompts.answerModal(/is disabled/, 'Enable and Continue');
    const shown = await send({ type: 'show' });
    assert.equal(shown.length, 1);
    assert.equal(shown[0]!.type === 'value' && shown[0]!.value, v, JSON.stringify(shown[0]));
    assert.equal((await versionsOf(name))[0]!.attributes.enabled, true);
    // Shown again (after an auto-hide, say): the secret is enabled now, nothing is asked.
    const again = await send({ type: 'show' });
    assert.equal(again[0]?.type === 'value' && again[0].value, v, JSON.stringify(again.map((m) => m.type)));
    assert.equal(prompts.seen.filter((s) => s.kind === 'modal').length, 2);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Reveal shows a 24 KB multi-line value whole, with its line and byte counts', async () => {
    const name = `reveal-large-${suffix}`;
    const line = value('large-line');
    const lines: string[] = [];
    for (let i = 0; lines.join('\n').length < 24 * 1024 - 100; i++) lines.push(`${String(i).padStart(4, '0')} ${line}`);
    const big = lines.join('\n');
    assert.ok(Buffer.byteLength(big) > 24_000 && Buffer.byteLength(big) < 25 * 1024, String(Buffer.byteLength(big)));
    await svc().set(vaultUrl, name, big);
    const send = await revealHost(name);
    await send({ type: 'ready' });
    const [shown] = await send({ type: 'show' });
    assert.equal(shown?.type, 'value', JSON.stringify(shown));
    if (shown?.type !== 'value') return;
    assert.equal(shown.value.length, big.length);
    assert.ok(shown.value === big, 'the value arrives whole');
    assert.equal(shown.lines, lines.length);
    assert.equal(shown.bytes, Buffer.byteLength(big));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Edit Secret Value warns once, opens the value in a keyvault-secret: document, saves a new version, and forgets it on close', async () => {
    const name = `edit-value-${suffix}`;
    const v1 = value('edit-1');
    await svc().set(vaultUrl, name, v1, { contentType: 'text/plain', tags: { team: 'a' } });
    prompts.answerModal(/will be visible in an editor/, 'Open Value');
    await run('keyVault.secret.editValue', await secretNode(name));
    const doc = await waitFor('the value document is open', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'keyvault-secret' && d.uri.path.endsWith(`/${name}`)));
    assert.equal(doc.getText(), v1);
    assert.equal(secretsApi.valueDocuments.openCount, 1);

    const v2 = value('edit-2');
    const editor = await vscode.window.showTextDocument(doc);
    const saves = secretsApi.valueDocuments.saveCount;
    await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), v2));
    // Typing pauses: the edit is staged in memory (the editor is clean again), Key Vault does not have it yet.
    await waitFor('the edit is staged', () => !doc.isDirty);
    await sleep(1500);
    assert.equal(secretsApi.valueDocuments.saveCount, saves, 'staging and auto save store nothing');
    assert.equal(await getValue(name), v1);
    // An explicit Save stores it as a new version.
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor('saved to Key Vault', () => secretsApi.valueDocuments.saveCount === saves + 1);
    assert.equal(await getValue(name), v2);
    const [latest] = await versionsOf(name);
    assert.equal(latest!.contentType, 'text/plain');
    assert.deepEqual(latest!.tags, { team: 'a' });
    assert.ok(prompts.notifications('info').some((t) => t.includes(`Saved ${name} as a new version`)));

    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor('the value is forgotten', () => secretsApi.valueDocuments.openCount === 0, 10_000);

    // Warned once: the second time opens at once.
    await run('keyVault.secret.editValue', await secretNode(name));
    assert.equal(prompts.seen.filter((s) => s.kind === 'modal').length, 1);
    await waitFor('opened again', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'keyvault-secret' && !d.isClosed && d.getText() === v2));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('closing an edited value without saving discards it: no new version', async () => {
    const name = `edit-value-${suffix}`;
    await waitFor('the last test\'s value is forgotten', () => secretsApi.valueDocuments.openCount === 0, 10_000);
    const before = (await versionsOf(name)).length;
    const saves = secretsApi.valueDocuments.saveCount;
    await run('keyVault.secret.editValue', await secretNode(name));
    const doc = await waitFor('open', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'keyvault-secret' && !d.isClosed && d.uri.path.endsWith(`/${name}`)));
    const editor = await vscode.window.showTextDocument(doc);
    const unsaved = value('unsaved');
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), unsaved));
    // Staged in memory before VS Code's one-second backup of dirty editors could write it to disk.
    await waitFor('the edit is staged', () => !doc.isDirty, 1000);
    await sleep(3000);
    assert.deepEqual(userDataHits([unsaved]).hits, []);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), doc.uri.toString());
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor('the value is forgotten', () => secretsApi.valueDocuments.openCount === 0, 10_000);
    assert.ok(prompts.notifications('info').some((t) => t.includes(`Closed ${name} without saving`)));
    assert.equal(secretsApi.valueDocuments.saveCount, saves, 'nothing was saved');
    assert.equal((await versionsOf(name)).length, before);
  });

  it('Edit Secret Value refuses an empty value on save, and a certificate-backed secret outright', async () => {
    const name = `edit-value-${suffix}`;
    await run('keyVault.secret.editValue', await secretNode(name));
    const doc = await waitFor('open', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'keyvault-secret' && !d.isClosed && d.uri.path.endsWith(`/${name}`)));
    const editor = await vscode.window.showTextDocument(doc);
    const before = (await versionsOf(name)).length;
    const saves = secretsApi.valueDocuments.saveCount;
    await editor.edit((e) => e.delete(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length))));
    await vscode.commands.executeCommand('workbench.action.files.save');
    await sleep(1000);
    assert.equal(secretsApi.valueDocuments.saveCount, saves, 'an empty value is not saved');
    assert.equal((await versionsOf(name)).length, before);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor('the value is forgotten', () => secretsApi.valueDocuments.openCount === 0, 10_000);

    const managed = (await secretsApi.tree.getChildren(await secretsCategory())).find((n) => n.view?.managed);
    assert.ok(managed, 'the demo vault has a certificate-backed secret');
    await run('keyVault.secret.editValue', managed);
    assert.ok(prompts.notifications('error').some((t) => /backs a certificate/.test(t)));
  });

  it('Edit Secret Value on a disabled secret explains and offers to enable it; declining opens nothing, enabling opens the value', async () => {
    const name = `edit-disabled-${suffix}`;
    const v = await disabledSecret(name);
    // The first-time warning was answered by the Edit Value test above.
    prompts.answerModal(/is disabled, so Key Vault does not return its value \(to edit it\)/, undefined);
    await run('keyVault.secret.editValue', await secretNode(name));
    assert.equal(secretsApi.valueDocuments.openCount, 0);
    assert.deepEqual(prompts.notifications('error'), [], 'declining is not an error');
    assert.equal((await versionsOf(name))[0]!.attributes.enabled, false);

    prompts.answerModal(/is disabled/, 'Enable and Continue');
    await run('keyVault.secret.editValue', await secretNode(name));
    const doc = await waitFor('the value document is open', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'keyvault-secret' && !d.isClosed && d.uri.path.endsWith(`/${name}`)));
    assert.ok(doc.getText() === v, 'the document holds the value');
    assert.equal((await versionsOf(name))[0]!.attributes.enabled, true);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor('the value is forgotten', () => secretsApi.valueDocuments.openCount === 0, 10_000);
  });

  // ---- Attributes and versions -----------------------------------------------------------------------------

  it('Edit Secret Attributes: toggle enabled, set tags and expiry, save once; a managed secret is read-only with the reason', async () => {
    const name = `attributes-${suffix}`;
    await svc().set(vaultUrl, name, value('attrs'), { tags: { a: '1' } });
    prompts
      .answerPick(/Pick a field/, /^Tags/)
      .answerInput(/Tags/, 'a=2, b=3')
      .answerPick(/Pick a field/, /^Expiry date/)
      .answerInput(/Expiry/, '2099-12-31')
      .answerPick(/Pick a field/, /^Enabled/)
      .answerPick(/Pick a field/, 'Save Changes');
    await run('keyVault.secret.editAttributes', await secretNode(name));
    const [latest] = await versionsOf(name);
    assert.deepEqual(latest!.tags, { a: '2', b: '3' });
    assert.equal(latest!.attributes.expiresOn?.toISOString(), '2099-12-31T00:00:00.000Z');
    assert.equal(latest!.attributes.enabled, false);

    const managed = (await secretsApi.tree.getChildren(await secretsCategory())).find((n) => n.view?.managed)!;
    prompts.answerModal(/read-only here/, undefined);
    await run('keyVault.secret.editAttributes', managed);
    assert.ok(prompts.seen.some((s) => s.kind === 'modal' && /read-only here.*backs a certificate/.test(s.text)));
  });

  it('Enable / Disable a version from its tree node, and from the palette (vault → secret → version)', async () => {
    const name = `node-created-${suffix}`;
    const { older } = await currentAndOlder(name);
    const olderNode = (await versionNodes(name)).find((n) => n.view?.version === older)!;
    await run('keyVault.secret.disable', olderNode);
    assert.equal((await versionsOf(name)).find((v) => v.version === older)!.attributes.enabled, false);
    prompts.answerPick(/Enable Secret Version/, 'kv-demo').answerPick(/Enable Secret Version/, name).answerPick(/Choose a version/, new RegExp(older));
    await run('keyVault.secret.enable');
    assert.equal((await versionsOf(name)).find((v) => v.version === older)!.attributes.enabled, true);
  });

  it('Restore This Version makes a new version with the old value, content type and tags', async () => {
    const name = `node-created-${suffix}`;
    const { older } = await currentAndOlder(name);
    const oldValue = await getValue(name, older);
    const count = (await versionsOf(name)).length;
    prompts.answerModal(/Make the value of version/, 'Restore');
    await run('keyVault.secret.restoreVersion', (await versionNodes(name)).find((n) => n.view?.version === older));
    const after = await versionsOf(name);
    assert.equal(after.length, count + 1);
    assert.equal(await getValue(name), oldValue);
  });

  it('Show Secret Versions lists the versions newest first and runs an action on the one picked', async () => {
    const name = `node-created-${suffix}`;
    const versions = await versionsOf(name);
    const { older } = await currentAndOlder(name);
    prompts.answerPick(/Versions of/, new RegExp(older)).answerPick(/version/, 'Copy Identifier');
    await run('keyVault.secret.showVersions', await secretNode(name));
    const listed = prompts.seen.find((s) => s.kind === 'pick')!.items!;
    assert.deepEqual([...listed].sort(), versions.map((v) => v.version).sort());
    assert.equal(await vscode.env.clipboard.readText(), `${vaultUrl}/secrets/${name}/${older}`);
  });

  // ---- Delete, recover, purge, backup, restore ------------------------------------------------------------------

  it('Delete Secret asks first; declining keeps it', async () => {
    const name = `lifecycle-${suffix}`;
    await svc().set(vaultUrl, name, value('lifecycle'));
    prompts.answerModal(/Delete secret .*\?/, undefined);
    await run('keyVault.secret.delete', await secretNode(name));
    assert.ok((await versionsOf(name)).length > 0);
    assert.deepEqual(prompts.notifications('error'), []);
  });

  it('Delete Secret, then Recover from its Deleted node, with the purge date in the message', async () => {
    const name = `lifecycle-${suffix}`;
    prompts.answerModal(/Delete secret/, 'Delete');
    await run('keyVault.secret.delete', await secretNode(name));
    assert.ok((await deletedNames()).includes(name));
    assert.ok(prompts.notifications('info').some((t) => /recovered from the Deleted group until \d{4}-\d{2}-\d{2}/.test(t)));
    await run('keyVault.secret.recover', await deletedNode(name));
    assert.ok(!(await deletedNames()).includes(name));
    assert.ok((await versionsOf(name)).length > 0);
  });

  it('Purge asks in a modal, then for the typed name (a wrong name is refused inline)', async () => {
    const name = `lifecycle-${suffix}`;
    await svc().delete(vaultUrl, name);
    prompts.answerModal(/Purge secret .* for good/, 'Purge…').answerInput(/Type .* to purge/, 'wrong-name').answerInput(/Type .* to purge/, name);
    await run('keyVault.secret.purge', await deletedNode(name));
    assert.match(prompts.validation[0] ?? '', /Type the name exactly/);
    assert.ok(!(await deletedNames()).includes(name));
  });

  it('Recover and Purge from the palette pick among deleted secrets only', async () => {
    const name = `palette-lifecycle-${suffix}`;
    await svc().set(vaultUrl, name, value('palette-lifecycle'));
    await svc().delete(vaultUrl, name);
    await waitFor('deleted', async () => (await deletedNames()).includes(name));
    prompts.answerPick(/Recover Deleted Secret/, 'kv-demo').answerPick(/Choose a deleted secret/, name);
    await run('keyVault.secret.recover');
    assert.ok((await versionsOf(name)).length > 0);
    prompts.answerPick(/Delete Secret/, 'kv-demo').answerPick(/Delete Secret/, name).answerModal(/Delete secret/, 'Delete');
    await run('keyVault.secret.delete');
    prompts.answerPick(/Purge Deleted Secret/, 'kv-demo').answerPick(/Choose a deleted secret/, name).answerModal(/for good/, 'Purge…').answerInput(/Type/, name);
    await run('keyVault.secret.purge');
    assert.ok(!(await deletedNames()).includes(name));
  });

  it('Back Up Secret warns what the file is, writes where the user chose; Restore asks before a name that exists, then restores', async () => {
    const name = `backup-${suffix}`;
    const v = value('backup');
    await svc().set(vaultUrl, name, v);
    const file = vscode.Uri.file(path.join(scratch, `${name}.secret-backup`));
    prompts.answerModal(/Back up secret .* to a file/, 'Choose File…').answerSave(file);
    await run('keyVault.secret.backup', await secretNode(name));
    const modal = prompts.seen.find((s) => s.kind === 'modal')!;
    assert.match(modal.text, /encrypted by Key Vault.*same Azure subscription and geography/);
    const bytes = readFileSync(file.fsPath);
    assert.ok(bytes.length > 0);
    assert.ok(!bytes.includes(Buffer.from(v)), 'the backup does not hold the value in clear');

    // The name still exists: asked first, declining restores nothing.
    prompts.answerOpen([file]).answerModal(/already has a secret named/, undefined);
    await run('keyVault.secret.restoreBackup', await secretsCategory());

    await svc().delete(vaultUrl, name);
    await waitFor('deleted', async () => (await deletedNames()).includes(name));
    await svc().purge(vaultUrl, name);
    await waitFor('purged', async () => !(await deletedNames()).includes(name));
    prompts.answerPick(/Restore Secret from Backup/, 'kv-demo').answerOpen([file]);
    await run('keyVault.secret.restoreBackup');
    assert.equal(await getValue(name), v);
    assert.ok(prompts.notifications('info').some((t) => t.includes(`Restored secret ${name}`)));
  });

  it('every other secret command works from the palette too: vault → secret (→ version) pickers first', async () => {
    const name = `palette-all-${suffix}`;
    const v1 = value('palette-all-1');
    await svc().set(vaultUrl, name, v1, { contentType: 'text/plain' });
    const vaultAndSecret = (title: RegExp) => prompts.answerPick(title, 'kv-demo').answerPick(title, name);

    const v2 = value('palette-all-2');
    vaultAndSecret(/New Secret Version/).answerInput(/Value of the new version/, v2).answerPick(/Create now/, 'Create New Version');
    await run('keyVault.secret.newVersion');
    assert.equal(await getValue(name), v2);
    const { current, older } = await currentAndOlder(name);

    vaultAndSecret(/Copy Secret Identifier/).answerPick(/Which identifier/, 'Current version');
    await run('keyVault.secret.copyIdentifier');
    assert.equal(await vscode.env.clipboard.readText(), `${vaultUrl}/secrets/${name}/${current}`);

    vaultAndSecret(/Copy Key Vault Reference/).answerPick(/reference/, /SecretUri=…\/\{version\}\)$/);
    await run('keyVault.secret.copyReference');
    assert.equal(await vscode.env.clipboard.readText(), `@Microsoft.KeyVault(SecretUri=${vaultUrl}/secrets/${name}/${current})`);

    vaultAndSecret(/Edit Secret Attributes/).answerPick(/Pick a field/, /^Content type/).answerInput(/Content type/, 'application/x-test').answerPick(/Pick a field/, 'Save Changes');
    await run('keyVault.secret.editAttributes');
    assert.equal((await svc().get(vaultUrl, name)).properties.contentType, 'application/x-test');

    vaultAndSecret(/Disable Secret Version/).answerPick(/Choose a version/, new RegExp(older));
    await run('keyVault.secret.disable');
    assert.equal((await versionsOf(name)).find((x) => x.version === older)!.attributes.enabled, false);

    vaultAndSecret(/Restore Secret Version/).answerPick(/Choose a version/, new RegExp(older)).answerModal(/Make the value of version/, 'Restore').answerModal(/is disabled/, 'Enable and Continue');
    await run('keyVault.secret.restoreVersion');
    assert.equal(await getValue(name), v1);

    vaultAndSecret(/Show Secret Versions/).answerPick(/Versions of/, new RegExp(older)).answerPick(/version/, 'Copy Value');
    await run('keyVault.secret.showVersions');
    assert.equal(await vscode.env.clipboard.readText(), v1);

    vaultAndSecret(/Edit Secret Value/);
    await run('keyVault.secret.editValue');
    await waitFor('the value document is open', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'keyvault-secret' && !d.isClosed && d.uri.path.endsWith(`/${name}`)));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor('the value is forgotten', () => secretsApi.valueDocuments.openCount === 0, 10_000);

    const file = vscode.Uri.file(path.join(scratch, `${name}.secret-backup`));
    vaultAndSecret(/Back Up Secret/).answerModal(/Back up secret/, 'Choose File…').answerSave(file);
    await run('keyVault.secret.backup');
    assert.ok(statSync(file.fsPath).size > 0);

    const textFile = path.join(scratch, 'palette-note.txt');
    const v3 = value('palette-file');
    writeFileSync(textFile, v3);
    prompts.answerOpen([vscode.Uri.file(textFile)]).answerPick(/from palette-note\.txt/, 'kv-demo').answerInput(/Secret name/, `palette-note-${suffix}`).answerPick(/Create now/, 'Create Secret');
    await run('keyVault.secret.createFromFile');
    const created = await svc().get(vaultUrl, `palette-note-${suffix}`);
    assert.equal(created.value, v3);
    assert.equal(created.properties.contentType, 'text/plain');
    assert.deepEqual(prompts.notifications('error'), []);
  });

  // ---- Errors ----------------------------------------------------------------------------------------------

  it('shows the REST layer\'s hint for a service error (a vault behind a firewall)', async () => {
    prompts.reset();
    await run('keyVault.secret.copyValue', `${firewalledUrl}/secrets/anything`);
    const [error] = prompts.notifications('error');
    assert.match(error ?? '', /firewall/i);
  });

  it('a secret that does not exist: the error says so, with the hint', async () => {
    await run('keyVault.secret.copyValue', `${vaultUrl}/secrets/no-such-secret-${suffix}`);
    const [error] = prompts.notifications('error');
    assert.match(error ?? '', /not found|was not found/i);
    assert.match(error ?? '', /Deleted group|refresh/);
  });

  // ---- Hygiene -----------------------------------------------------------------------------------------------

  it('every prompt was expected, every scripted answer used, and no prompt or message ever showed a value', () => {
    assert.deepEqual(problems, []);
  });

  it('no value used here is in the user-data folder (logs, global and workspace state, backups) or the extension log', async () => {
    // Let the log flush.
    await sleep(1500);
    const { hits, files } = userDataHits(VALUES);
    console.log(`[suite] secret hygiene: ${VALUES.length} values searched in ${files} files under the user-data folder`);
    assert.deepEqual(hits, []);
  });
});
