// The Vaults tree in a real VS Code (code-server) against the emulator the tier started, driven as VS Code drives it
// (provider.getChildren / getTreeItem / resolveTreeItem) and through its commands, whose prompts are answered through
// the Prompts seam. Classes come from the extension's own bundle, so nodes are recognised by their contextValue and
// shape, not instanceof. Other suites change kv-demo before this one runs: assertions compare with what the service
// says now, not with a fixed list.
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AccountsModel } from '../../../src/accounts/types';
import type { MessageRequest } from '../../../src/commands/pickers';
import type { TreeFilter } from '../../../src/tree/model/filter';
import type { ObjectView } from '../../../src/tree/model/objectView';
import { activatedExtension, EXTENSION_ID, sleep, waitFor } from './helpers';
import { startUntrusted } from '../../support/tls-server';
import { BACK, ScriptedPrompts } from './secrets-prompts';

interface Loader {
  items: ObjectView[];
  loaded: boolean;
  hasMore: boolean;
  error: unknown;
}
interface Node {
  id: string;
  getTreeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
  getChildren?(): Node[] | Promise<Node[]>;
  parent?: Node;
  loader?: Loader;
  deletedGroup?: Node & { loader: Loader };
  view?: ObjectView;
  kind?: string;
  versions?: Loader;
  learnMore?: string;
}
interface Ready {
  containers: { name: string; kind: 'vault' | 'hsm'; url: string; tenantId: string; subscriptionId: string }[];
  subscriptions: { subscriptionId: string; tenantId: string }[];
  identities: { handle: string; clientId: string; clientSecret: string }[];
  caCertFile: string;
  adminUrl: string;
  adminKey: string;
}
interface Api {
  accounts: AccountsModel & { whenLoaded(): Promise<void>; refresh(): Promise<void> };
  tree: {
    provider: vscode.TreeDataProvider<Node> & { refresh(n?: Node): void; readonly roots_: readonly Node[] };
    context: { filters: Map<string, TreeFilter> };
    view: vscode.TreeView<Node>;
    commands: {
      setPrompts(p: ScriptedPrompts | undefined): void;
      expiry?: { delayMs: number; settled(): Promise<void> };
      propertyDocuments: { readonly size: number };
      refreshAfterMutation(vaultUrl: string, family: string, scope?: { listing?: boolean; deleted?: boolean; names?: string[] }): Promise<number>;
    };
  };
}

/** ScriptedPrompts that can also answer a notification (the expiry watch's "Show"). */
class TreePrompts extends ScriptedPrompts {
  private readonly notificationAnswers: { match: RegExp; reply: string }[] = [];
  answerNotification(match: RegExp, reply: string): this {
    this.notificationAnswers.push({ match, reply });
    return this;
  }
  override async message(r: MessageRequest): Promise<string | undefined> {
    const answer = await super.message(r);
    if (r.modal) return answer;
    const i = this.notificationAnswers.findIndex((a) => a.match.test(r.text));
    return i < 0 ? undefined : this.notificationAnswers.splice(i, 1)[0]!.reply;
  }
}

const READY_FILE_ENV = 'KEYVAULT_TEST_EMULATOR_READY_FILE';
const config = () => vscode.workspace.getConfiguration('keyVault');
const run = <T = unknown>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(command, ...args);
const suffix = Math.random().toString(36).slice(2, 7);

const label = (it: vscode.TreeItem): string => (typeof it.label === 'string' ? it.label : (it.label?.label ?? ''));
const tooltip = (it: vscode.TreeItem): string => (typeof it.tooltip === 'string' ? it.tooltip : (it.tooltip?.value ?? ''));
const text = (it: vscode.TreeItem): string => [label(it), String(it.description ?? ''), tooltip(it), it.accessibilityInformation?.label ?? ''].join('\n');
const icon = (it: vscode.TreeItem): string => (it.iconPath as vscode.ThemeIcon | undefined)?.id ?? '';

describe('The tree against the emulator', function () {
  this.timeout(180_000);
  let api: Api;
  let readyFile: string;
  let ready: Ready;
  let prompts: TreePrompts;
  const url = (name: string): string => ready.containers.find((c) => c.name === name)!.url;

  async function item(node: Node): Promise<vscode.TreeItem> {
    const it = await api.tree.provider.getTreeItem(node);
    return (await api.tree.provider.resolveTreeItem?.(it, node, new vscode.CancellationTokenSource().token)) ?? it;
  }
  async function children(node?: Node): Promise<Node[]> {
    return ((await api.tree.provider.getChildren(node)) ?? []) as Node[];
  }
  async function labels(node?: Node): Promise<string[]> {
    return Promise.all((await children(node)).map(async (n) => label(await item(n))));
  }
  /** A child by label; under a category, loads more pages until it shows up (other suites add objects). */
  async function find(parent: Node | undefined, name: string): Promise<Node> {
    for (let page = 0; page < 20; page++) {
      const nodes = await children(parent);
      for (const c of nodes) if (label(await item(c)) === name) return c;
      const more = nodes.find((n) => /\/more$/.test(n.id));
      if (!more) break;
      await run('keyVault.loadMore', more);
    }
    throw new Error(`no child '${name}' under ${parent?.id ?? 'the root'}: ${(await labels(parent)).join(', ')}`);
  }
  /** Loads every page of a category (clicks Load more until there is none). */
  async function loadAll(parent: Node): Promise<void> {
    for (let page = 0; page < 50; page++) {
      const more = (await children(parent)).find((n) => /\/more$/.test(n.id));
      if (!more) return;
      await run('keyVault.loadMore', more);
    }
  }
  const objectsOf = async (nodes: Node[]) => (await Promise.all(nodes.map(async (n) => ({ n, it: await item(n) })))).filter(({ it }) => /^keyvault\.(secret|key|certificate|storage)\b/.test(it.contextValue ?? ''));
  const category = async (vault: string, name: string) => find(await find(undefined, vault), name);
  /** The emulator's admin endpoint: per-vault request counts and fault rules. */
  async function admin<T = unknown>(method: string, route: string, body?: unknown): Promise<T> {
    // node:https with the emulator's CA given explicitly: the extension host need not trust it process-wide.
    const url = new URL(route, ready.adminUrl);
    const ca = readFileSync(path.resolve(path.dirname(readyFile), ready.caCertFile), 'utf8');
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = https.request(url, { method, ca, headers: { 'x-emulator-admin-key': ready.adminKey, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          if ((res.statusCode ?? 500) >= 300) return reject(new Error(`${method} ${route}: ${res.statusCode} ${text}`));
          try {
            resolve((text ? JSON.parse(text) : undefined) as T);
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  }
  const requests = async (vault: string): Promise<number> => (await admin<{ containers: Record<string, { requests: number }> }>('GET', '/_admin/stats')).containers[vault]!.requests;

  before(async function () {
    readyFile = process.env[READY_FILE_ENV] ?? '';
    if (!readyFile || !existsSync(readyFile)) this.skip();
    ready = JSON.parse(readFileSync(readyFile, 'utf8')) as Ready;
    api = (await activatedExtension()).exports as Api;
    if (!api.tree?.commands) this.skip();
    await api.accounts.whenLoaded();
    await run('keyVault.useLocalEmulator', readyFile);
    await waitFor('the emulator session appears', async () => {
      if (api.accounts.sessions().length === 1) return true;
      await api.accounts.refresh();
      return undefined;
    });
    api.tree.provider.refresh();
  });

  beforeEach(() => {
    prompts = new TreePrompts();
    api.tree.commands.setPrompts(prompts);
  });

  afterEach(async function () {
    const unexpected = prompts.unexpected;
    api.tree.commands.setPrompts(undefined);
    await run('keyVault.clearFilter');
    if (this.currentTest?.state === 'passed') assert.deepEqual(unexpected, [], 'every prompt had a scripted answer');
  });

  after(async () => {
    for (const key of ['credential', 'emulator.readyFile', 'tree.groupBySubscription', 'expiry.notify']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await api?.accounts.refresh();
  });

  it('lists every vault and the HSM of the emulator at the top (one session: no account level)', async () => {
    const top = await labels();
    for (const c of ready.containers) assert.ok(top.includes(c.name), `${c.name} missing from ${top.join(', ')}`);
    const hsm = await item(await find(undefined, 'hsm-demo'));
    assert.equal(icon(hsm), 'shield');
    assert.match(String(hsm.description), /Managed HSM/);
    assert.match(hsm.contextValue ?? '', /^keyvault\.hsm\+discovered\b/);
    const vault = await item(await find(undefined, 'kv-demo'));
    assert.match(vault.contextValue ?? '', /^keyvault\.vault\+discovered\b/);
    assert.doesNotMatch(vault.contextValue ?? '', /\+portal/, 'the emulator has no portal');
    assert.match(tooltip(vault), /\| Permission model \| access policies \|/);
  });

  it('shows Keys, Secrets, Certificates, Storage accounts under a vault and Keys, Role assignments, Settings under an HSM', async () => {
    const vault = await find(undefined, 'kv-demo');
    assert.deepEqual(await labels(vault), ['Keys', 'Secrets', 'Certificates', 'Storage accounts']);
    assert.deepEqual(await Promise.all((await children(vault)).map(async (n) => icon(await item(n)))), ['key', 'gist-secret', 'verified', 'database']);
    const hsm = await find(undefined, 'hsm-demo');
    assert.deepEqual(await labels(hsm), ['Keys', 'Role assignments', 'Settings']);
    const assignments = await children(await find(hsm, 'Role assignments'));
    assert.ok(assignments.length >= 1);
    assert.match(label(await item(assignments[0]!)), /Managed HSM/);
    const settings = await labels(await find(hsm, 'Settings'));
    assert.ok(settings.some((s) => / = /.test(s)), settings.join());
  });

  it('describes HSM keys by type and size or curve (read after the page shows), and flags them +hsmKey', async () => {
    const category_ = await category('hsm-demo', 'Keys');
    const first = await objectsOf(await children(category_));
    assert.ok(first.length >= 1);
    // The listing has no key types: the page shows at once, each key is read once in the background.
    const keys = await waitFor('the key types arrive', async () => {
      const now = await objectsOf(await children(category_));
      return now.every(({ it }) => /\+hsmKey/.test(it.contextValue ?? '')) ? now : undefined;
    });
    for (const { it } of keys) {
      assert.match(it.contextValue ?? '', /^keyvault\.key\+(enabled|disabled)\b.*\+hsmKey\+(rsa|ec|oct)$/);
      assert.match(String(it.description), /^(RSA|EC|oct)-HSM( \d+| P-\d+(K)?)?/);
      assert.match(tooltip(it), /Key type/);
    }
  });

  it('shows 25 secrets of the 1,200-secret vault after one page, then 25 more on Load more', async () => {
    const secrets = await category('kv-scale', 'Secrets');
    const started = Date.now();
    let nodes = await children(secrets);
    const firstPageMs = Date.now() - started;
    assert.equal((await objectsOf(nodes)).length, 25);
    assert.equal(secrets.loader!.items.length, 25, 'one page loaded, not the vault');
    assert.match(String((await item(secrets)).description), /^25\+ loaded/);
    const more = nodes.find((n) => n.id.endsWith('/more'));
    assert.ok(more, 'a Load more node');
    const moreItem = await item(more);
    assert.equal(label(moreItem), 'Load more…');
    assert.equal(moreItem.command?.command, 'keyVault.loadMore');
    await run('keyVault.loadMore', more);
    nodes = await children(secrets);
    assert.equal((await objectsOf(nodes)).length, 50);
    assert.match(String((await item(secrets)).description), /^50\+ loaded/);
    console.log(`[tree] kv-scale first page of secrets in ${firstPageMs} ms`);
  });

  it('asks the vault for one page when a category expands, one more per Load more, and versions only when an object expands', async () => {
    // A warm token first (the first request to a vault is the unauthenticated challenge round trip).
    const vault = await find(undefined, 'kv-scale');
    await children(await find(vault, 'Keys'));
    const secrets = await find(vault, 'Secrets');
    api.tree.provider.refresh(secrets);
    let before = await requests('kv-scale');
    const nodes = await children(secrets);
    assert.equal(await requests('kv-scale') - before, 1, 'the first page is one request');
    before = await requests('kv-scale');
    await run('keyVault.loadMore', nodes.find((n) => n.id.endsWith('/more')));
    assert.equal(await requests('kv-scale') - before, 1, 'Load more is one request');
    const first = (await objectsOf(await children(secrets)))[0]!.n;
    assert.equal(await requests('kv-scale') - before, 1, 're-rendering asks nothing');
    before = await requests('kv-scale');
    await children(first);
    assert.equal(await requests('kv-scale') - before, 1, 'expanding an object lists its versions');
  });

  /**
   * With a fault rule in place, the node a category shows once refreshed: an error node with Retry, handed to `check`.
   * The rule is removed afterwards (and may be earlier, by `check`, to test Retry).
   */
  async function underFault(cat: Node, rule: Record<string, unknown>, check: (error: Node, it: vscode.TreeItem) => Promise<void>): Promise<void> {
    await admin('POST', '/_admin/faults', rule);
    try {
      api.tree.provider.refresh(cat);
      const [error] = await children(cat);
      const it = await item(error!);
      assert.match(it.contextValue ?? '', /^keyvault\.error\b/, label(it));
      assert.equal(it.command?.command, 'keyVault.retry');
      await check(error!, it);
    } finally {
      await admin('DELETE', '/_admin/faults');
      api.tree.provider.refresh(cat);
    }
  }
  /** Retry on an error node once the fault is gone: the category lists again, with no error node. */
  async function retryLists(cat: Node, error: Node): Promise<void> {
    await admin('DELETE', '/_admin/faults');
    await run('keyVault.retry', error);
    const after = await Promise.all((await children(cat)).map(item));
    assert.ok(after.every((i) => !/^keyvault\.error/.test(i.contextValue ?? '')), after.map(label).join());
  }

  it('a vault that drops connections shows "Cannot reach …" with Retry; Retry after it recovers lists again', async () => {
    const keys = await category('kv-tenant2', 'Keys');
    await underFault(keys, { target: 'kv-tenant2', path: '^/keys', kind: 'reset' }, async (error, it) => {
      assert.match(label(it), /^Cannot reach 127\.0\.0\.1:\d+/, label(it));
      assert.match(it.contextValue ?? '', /\+learnMore/);
      console.log(`[tree] connection reset: ${label(it)} — ${tooltip(it).replace(/\s+/g, ' ')}`);
      await retryLists(keys, error);
    });
  });

  it('a vault answering 503 shows a server error node, not an exception', async () => {
    const certificates = await category('kv-tenant2', 'Certificates');
    await underFault(certificates, { target: 'kv-tenant2', path: '^/certificates', kind: 'error', status: 503 }, async (_error, it) => {
      assert.match(label(it), /server error \(HTTP 503\)/, label(it));
    });
  });

  it('a collection answering 404 (Key Vault\'s NotFound) shows "Not found" with the hint and Retry; Retry after it is back lists again', async () => {
    const secrets = await category('kv-tenant2', 'Secrets');
    await underFault(secrets, { target: 'kv-tenant2', path: '^/secrets', kind: 'error', status: 404 }, async (error, it) => {
      assert.equal(label(it), 'Not found: was the vault or the object deleted?');
      assert.match(tooltip(it), /not found \(injected 404\)/);
      assert.match(tooltip(it), /It may have been deleted; check the Deleted group, or refresh\./);
      assert.equal(icon(it), 'error');
      assert.doesNotMatch(it.contextValue ?? '', /\+learnMore/, 'no documentation page for a 404');
      await retryLists(secrets, error);
    });
  });

  it('a pinned endpoint whose TLS certificate is not trusted shows a TLS error node with the hint, Retry and Learn more; no request reaches it', async () => {
    const server = await startUntrusted();
    try {
      await run('keyVault.addVaultByUrl', { url: server.origin, kind: 'vault', trustCustomEndpoint: true, addIfUnreachable: true });
      const vault = await waitFor('the endpoint is in the tree', async () => (await children()).find((n) => n.id.endsWith(server.origin)));
      const [error] = await children(await find(vault, 'Secrets'));
      const it = await item(error!);
      assert.match(label(it), /^TLS certificate of 127\.0\.0\.1(:\d+)? is not trusted$/, label(it));
      assert.match(tooltip(it), /set NODE_EXTRA_CA_CERTS or add the endpoint with its CA file; certificate checks are never skipped/);
      assert.equal(it.command?.command, 'keyVault.retry');
      assert.match(it.contextValue ?? '', /^keyvault\.error\b.*\+learnMore/);
      assert.match(error!.learnMore ?? '', /^https:\/\/code\.visualstudio\.com\/docs\/setup\/network/);
      assert.ok(server.connections > 0, 'the tree did try the endpoint');
      assert.deepEqual(server.requests, [], 'no HTTP request (so no token) went past the failed handshake');
      console.log(`[tree] untrusted TLS: ${label(it)} — ${tooltip(it).replace(/\s+/g, ' ')}`);
    } finally {
      await run('keyVault.removePinnedVault', server.origin);
      await server.close();
    }
  });

  it('Key Vault: Filter… on a category: validated as typed, matches by tag, state and regex, shows in the description, and clears', async () => {
    const secrets = await category('kv-demo', 'Secrets');
    // Other suites add secrets to kv-demo, and a filter applies to what is loaded: load every page first.
    await loadAll(secrets);
    const expect = (pred: (v: ObjectView) => boolean) => secrets.loader!.items.filter(pred).map((v) => v.name).sort();
    const shown = async () => (await objectsOf(await children(secrets))).map(({ it }) => label(it)).sort();

    prompts.answerInput(/Filter Secrets/, '/[/').answerInput(/Filter Secrets/, 'tag:app=orders');
    assert.equal(await run('keyVault.filter', secrets), 'tag:app=orders');
    assert.match(prompts.validation[0] ?? '', /Invalid regular expression/);
    assert.deepEqual(await shown(), expect((v) => v.tags.app === 'orders'));
    assert.ok((await shown()).includes('database-password'));
    const it = await item(secrets);
    assert.match(String(it.description), /filter: tag:app=orders/);
    assert.match(it.contextValue ?? '', /\+filtered/);

    prompts.answerInput(/Filter Secrets/, 'is:disabled');
    await run('keyVault.filter', secrets);
    assert.deepEqual(await shown(), expect((v) => !v.enabled));
    assert.ok((await shown()).includes('legacy-token-disabled'));

    prompts.answerInput(/Filter Secrets/, '/^(database|storage)-/ type:password');
    await run('keyVault.filter', secrets);
    assert.deepEqual(await shown(), expect((v) => /^(database|storage)-/i.test(v.name) && v.contentType?.toLowerCase() === 'password'));

    prompts.answerInput(/Filter Secrets/, 'no-such-secret-anywhere');
    await run('keyVault.filter', secrets);
    // kv-demo may hold more than a page of secrets by now (other suites create some): Load more may follow.
    assert.deepEqual((await labels(secrets)).filter((l) => l !== 'Load more…'), ['No loaded secrets match the filter', 'Deleted']);

    await run('keyVault.clearFilter', secrets);
    assert.equal(api.tree.context.filters.size, 0);
    assert.deepEqual(await shown(), expect(() => true));
    assert.doesNotMatch(String((await item(secrets)).description), /filter/);
  });

  it('Key Vault: Filter… from the palette picks a vault; its filter applies to every category of that vault', async () => {
    prompts.answerPick(/Filter which vault or category/, 'kv-demo').answerInput(/Filter kv-demo/, 'database');
    assert.equal(await run('keyVault.filter'), '"database"');
    const vault = await find(undefined, 'kv-demo');
    assert.match(String((await item(vault)).description), /filter: "database"/);
    const secrets = await find(vault, 'Secrets');
    assert.match(String((await item(secrets)).description), /filter: "database"/);
    for (const { it } of await objectsOf(await children(secrets))) assert.match(label(it), /database/i);
    prompts.answerInput(/Filter kv-demo/, '');
    await run('keyVault.filter', vault);
    assert.equal(api.tree.context.filters.size, 0, 'an empty filter clears it');
  });

  it('loads versions only when an object is expanded, newest first, and keeps them when the category re-renders', async () => {
    const secrets = await category('kv-demo', 'Secrets');
    const db = await find(secrets, 'database-password');
    assert.equal((await item(db)).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const loader = db.versions!;
    assert.equal(loader.loaded, false, 'no versions requested before expanding');
    const versions = await children(db);
    assert.ok(versions.length >= 2);
    const its = await Promise.all(versions.map(item));
    for (const it of its) {
      assert.match(it.contextValue ?? '', /^keyvault\.secretVersion\+/);
      assert.equal(icon(it), 'versions');
      assert.equal(it.collapsibleState, vscode.TreeItemCollapsibleState.None);
    }
    const created = its.map((it) => String(it.description).slice(0, 16));
    assert.deepEqual([...created].sort().reverse(), created);
    assert.match(String(its[0]!.description), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} · current/, 'the newest is marked current');
    assert.ok(its.slice(1).every((it) => !/current/.test(String(it.description))));
    assert.ok(its.every((it) => !/password/.test(String(it.description))), 'the content type the object shows is not repeated');
    const again = await find(secrets, 'database-password');
    assert.notEqual(again, db, 'a re-render builds new object nodes');
    assert.equal(again.versions, loader, 'but their versions are kept');
  });

  it('lists soft-deleted secrets in the Deleted group, with their purge date', async () => {
    const deleted = await find(await category('kv-demo', 'Secrets'), 'Deleted');
    const it = await item(deleted);
    assert.equal(icon(it), 'trash');
    assert.equal(it.contextValue, 'keyvault.deletedGroup+secrets');
    const old = await find(deleted, 'old-service-password');
    const oldItem = await item(old);
    assert.match(oldItem.contextValue ?? '', /^keyvault\.secretDeleted\+/);
    assert.match(String(oldItem.description), /purge \d{4}-\d{2}-\d{2}/);
    assert.match(tooltip(oldItem), /Purge scheduled/);
  });

  it('marks disabled, expiring, expired and not-yet-valid items in words, not only colour', async () => {
    const [session] = api.accounts.sessions();
    const expiredName = `tree-expired-${suffix}`;
    await session!.service.secrets.set(url('kv-tenant2'), expiredName, `v-${randomUUID()}`, { attributes: { expiresOn: new Date(Date.now() - 86_400_000) } });
    try {
      const secrets = await category('kv-tenant2', 'Secrets');
      api.tree.provider.refresh(secrets);
      const disabled = await item(await find(secrets, 'legacy-token-disabled'));
      assert.match(String(disabled.description), /disabled/);
      assert.match(disabled.accessibilityInformation?.label ?? '', /disabled/);
      assert.match(tooltip(disabled), /no \(disabled\)/);
      const expiring = await item(await find(secrets, 'api-key-expiring'));
      assert.match(String(expiring.description), /expires in \d+ days/);
      assert.equal((expiring.iconPath as vscode.ThemeIcon).color?.id, 'list.warningForeground');
      assert.match(tooltip(expiring), /Expires soon/);
      const expired = await item(await find(secrets, expiredName));
      assert.match(String(expired.description), /expired \d{4}-\d{2}-\d{2}/);
      assert.equal(icon(expired), 'warning');
      assert.equal((expired.iconPath as vscode.ThemeIcon).color?.id, 'list.errorForeground');
      assert.match(String((await item(await find(secrets, 'future-secret'))).description), /valid from \d{4}-/);
      assert.match(String((await item(await find(secrets, 'database-password'))).description), /password/);
    } finally {
      await session!.service.secrets.delete(url('kv-tenant2'), expiredName).catch(() => undefined);
    }
  });

  it('gives keys, secrets and certificates composable context flags that the menus match by regex', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string; group?: string }[]> } };
    const menu = pkg.contributes.menus['view/item/context']!;
    const commandsFor = (contextValue: string, inline = false): string[] =>
      menu
        .filter((m) => (m.group ?? '').startsWith('inline') === inline)
        .filter((m) => {
          const re = /viewItem =~ \/(.*)\/(\s|$)/.exec(m.when ?? '')?.[1];
          return re !== undefined && new RegExp(re).test(contextValue);
        })
        .map((m) => m.command);

    const keysNode = await category('kv-demo', 'Keys');
    await children(keysNode);
    const keys = await waitFor('the key types arrive', async () => {
      const now = await objectsOf(await children(keysNode));
      // A disabled key cannot be read, so it keeps its listing (no type).
      return now.every(({ it }) => /\+(rsa|ec|oct)\b|\+disabled\b/.test(it.contextValue ?? '')) ? now : undefined;
    });
    const rsa = keys.find(({ it }) => /\+rsa\b/.test(it.contextValue ?? ''));
    const ec = keys.find(({ it }) => /\+ec\b/.test(it.contextValue ?? ''));
    assert.ok(rsa && ec, keys.map(({ it }) => it.contextValue).join());
    assert.match(String(rsa.it.description), /^RSA(-HSM)? \d{4}/);
    assert.match(String(ec.it.description), /^EC(-HSM)? P-\d+/);
    const secret = (await item(await find(await category('kv-demo', 'Secrets'), 'database-password'))).contextValue!;
    assert.match(secret, /^keyvault\.secret\+enabled$/);
    const certificates = await objectsOf(await children(await category('kv-demo', 'Certificates')));
    assert.ok(certificates.length >= 1);
    for (const { it } of certificates) assert.match(icon(it), /^(verified|warning)$/);
    const managed = await objectsOf(await children(await category('kv-demo', 'Secrets')));
    const backing = managed.find(({ it }) => /\+managed\b/.test(it.contextValue ?? ''));
    if (certificates.some(({ it }) => !/\+pending/.test(it.contextValue ?? ''))) assert.ok(backing, 'a certificate-backed secret is +managed');

    const menuOf = (cv: string) => commandsFor(cv);
    assert.ok(menuOf(secret).includes('keyVault.showProperties'));
    assert.ok(menuOf(secret).includes('keyVault.refresh'), 'an object refreshes its versions');
    assert.ok(!menuOf(secret).includes('keyVault.openInPortal'), 'no portal for the emulator');
    assert.ok(menuOf(`${secret}+portal`).includes('keyVault.openInPortal'));
    assert.ok(menuOf('keyvault.secretVersion+enabled').includes('keyVault.showProperties'));
    assert.ok(!menuOf('keyvault.secretVersion+enabled').includes('keyVault.refresh'));
    assert.ok(menuOf('keyvault.secretDeleted+enabled').includes('keyVault.showProperties'));
    assert.ok(!menuOf('keyvault.hsmRoleAssignment+builtIn').includes('keyVault.showProperties'));
    assert.ok(!menuOf('keyvault.hsmSettings').includes('keyVault.showProperties'));
    assert.deepEqual(commandsFor('keyvault.error+learnMore', true).sort(), ['keyVault.learnMore', 'keyVault.retry']);
    assert.deepEqual(commandsFor('keyvault.error', true), ['keyVault.retry']);
    assert.ok(commandsFor('keyvault.category+secrets', true).includes('keyVault.filter'));
    assert.ok(commandsFor('keyvault.category+secrets+filtered', true).includes('keyVault.clearFilter'));
    assert.ok(!commandsFor('keyvault.category+secrets', true).includes('keyVault.clearFilter'));
    assert.ok(commandsFor('keyvault.vault+discovered', true).includes('keyVault.filter'));
    // Every command a menu names exists.
    const all = new Set(await vscode.commands.getCommands(true));
    for (const m of menu) assert.ok(all.has(m.command), `${m.command} in view/item/context is not registered`);
  });

  it('turns a firewalled vault into an error node that names the firewall, with the hint, Retry and Learn more', async () => {
    const secrets = await category('kv-firewalled', 'Secrets');
    const [error] = await children(secrets);
    const it = await item(error!);
    assert.match(label(it), /firewall/i);
    assert.equal(icon(it), 'error');
    assert.equal(it.command?.command, 'keyVault.retry');
    assert.match(it.contextValue ?? '', /^keyvault\.error\b.*\+learnMore/);
    assert.match(error!.learnMore ?? '', /^https:\/\/learn\.microsoft\.com\/.*network-security/);
    assert.ok(tooltip(it).length > label(it).length, 'the tooltip explains more than the label');
    await run('keyVault.retry', error);
    assert.equal(secrets.loader!.loaded, false);
    assert.equal(secrets.loader!.error, undefined, 'Retry forgets the failure and reloads');
    const [again] = await children(secrets);
    assert.match(label(await item(again!)), /firewall/i);
  });

  it('Refresh on a category reloads only that category', async () => {
    const vault = await find(undefined, 'kv-demo');
    const keys = await find(vault, 'Keys');
    const secrets = await find(vault, 'Secrets');
    await children(keys);
    await children(secrets);
    const keyItems = keys.loader!.items;
    await run('keyVault.refresh', secrets);
    assert.equal(secrets.loader!.loaded, false, 'the secrets reload');
    assert.equal(keys.loader!.items, keyItems, 'the keys are untouched');
    assert.ok((await objectsOf(await children(secrets))).length > 0);
  });

  it('the view title\'s Refresh and Clear All Filters act on everything, whatever node VS Code hands them (the focused one)', async () => {
    const vault = await find(undefined, 'kv-demo');
    const secrets = await find(vault, 'Secrets');
    api.tree.context.filters.set(vault.id, { text: 'database' });
    api.tree.context.filters.set(secrets.id, { state: 'enabled' });
    await run('keyVault.clearAllFilters', secrets);
    assert.equal(api.tree.context.filters.size, 0);
    await run('keyVault.refreshAll', secrets);
    assert.notEqual(await find(undefined, 'kv-demo'), vault, 'every node was rebuilt');
  });

  it('after a mutation, refreshAfterMutation reloads that family of that vault only, keeping other expanded versions', async () => {
    const [session] = api.accounts.sessions();
    const vaultUrl = url('kv-demo');
    const name = `tree-new-${suffix}`;
    const secrets = await category('kv-demo', 'Secrets');
    const keys = await category('kv-demo', 'Keys');
    await children(keys);
    const keyItems = keys.loader!.items;
    const db = await find(secrets, 'database-password');
    await children(db);
    const dbVersions = db.versions!;
    await session!.service.secrets.set(vaultUrl, name, `v-${randomUUID()}`);
    try {
      assert.ok((await api.tree.commands.refreshAfterMutation(vaultUrl, 'secrets', { listing: true, names: [name] })) >= 1);
      await find(secrets, name);
      assert.equal(keys.loader!.items, keyItems, 'keys untouched');
      assert.equal((await find(secrets, 'database-password')).versions, dbVersions, 'database-password versions kept');
      await session!.service.secrets.delete(vaultUrl, name);
      await waitFor('the deleted secret is listed', async () => {
        await api.tree.commands.refreshAfterMutation(vaultUrl, 'secrets', { listing: true, deleted: true, names: [name] });
        const deleted = await find(secrets, 'Deleted');
        return (await labels(deleted)).includes(name) || undefined;
      });
      assert.ok(!(await objectsOf(await children(secrets))).some(({ it }) => label(it) === name));
      assert.equal(await api.tree.commands.refreshAfterMutation('https://not-loaded.vault.azure.net', 'secrets'), 0);
    } finally {
      await session!.service.secrets.purge(vaultUrl, name).catch(() => undefined);
    }
  });

  it('Show Properties opens a read-only JSON document of metadata: for an object, a version, a deleted object and a vault', async () => {
    const [session] = api.accounts.sessions();
    const secrets = await category('kv-demo', 'Secrets');
    const db = await find(secrets, 'database-password');
    const uri = await run<string>('keyVault.showProperties', db);
    assert.ok(uri?.startsWith('keyvault-properties:'), uri);
    const doc = vscode.window.activeTextEditor!.document;
    assert.equal(doc.uri.toString(), uri);
    assert.equal(doc.languageId, 'json');
    const props = JSON.parse(doc.getText()) as Record<string, unknown>;
    assert.equal(props.name, 'database-password');
    assert.equal(props.kind, 'secret');
    assert.equal((props.tags as Record<string, string>).owner, 'data-team');
    const value = (await session!.service.secrets.get(url('kv-demo'), 'database-password')).value;
    assert.ok(!doc.getText().includes(value), 'no value in the properties');
    // Read-only in the editor (a content provider's document): the UI test types into it and sees nothing change.

    const [version] = await children(db);
    await run('keyVault.showProperties', version);
    assert.match(JSON.parse(vscode.window.activeTextEditor!.document.getText()).version as string, /^[0-9a-f]{32}$/);
    await run('keyVault.showProperties', await find(await find(secrets, 'Deleted'), 'old-service-password'));
    assert.ok(JSON.parse(vscode.window.activeTextEditor!.document.getText()).deleted.scheduledPurgeDate);
    await run('keyVault.showProperties', await find(undefined, 'kv-demo'));
    const vault = JSON.parse(vscode.window.activeTextEditor!.document.getText()) as Record<string, unknown>;
    assert.equal(vault.kind, 'Key Vault');
    assert.match(String(vault.resourceId), /\/providers\/Microsoft\.KeyVault\/vaults\/kv-demo$/i);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Show Properties from the palette asks vault (recent first) → what → object, with Back', async () => {
    prompts
      .answerPick(/Show Properties/, 'kv-demo')
      .answerPick(/The vault itself, or which kind/, 'Keys')
      .answerPick(/Choose a key/, BACK)
      .answerPick(/The vault itself, or which kind/, 'Secrets')
      .answerPick(/Choose a secret in kv-demo/, 'database-password');
    await run('keyVault.showProperties');
    assert.equal(JSON.parse(vscode.window.activeTextEditor!.document.getText()).name, 'database-password');
    const steps = prompts.seen.filter((s) => s.kind === 'pick').map((s) => `${s.step}/${s.totalSteps}`);
    assert.deepEqual(steps, ['1/3', '2/3', '3/3', '2/3', '3/3']);
    // The vault just used comes first next time.
    prompts.answerPick(/Show Properties/, undefined);
    await run('keyVault.showProperties');
    assert.deepEqual(prompts.seen.at(-1)!.items!.slice(0, 1), ['kv-demo']);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Open in Portal says why there is no portal page for the emulator, and is not offered in its menus', async () => {
    assert.equal(await run('keyVault.openInPortal', await find(undefined, 'kv-demo')), undefined);
    assert.doesNotMatch((await item(await find(await category('kv-demo', 'Secrets'), 'database-password'))).contextValue ?? '', /\+portal/);
  });

  it('Key Vault: Find Object… picks among loaded objects only and reveals the choice in the tree', async () => {
    await children(await category('kv-demo', 'Secrets'));
    prompts.answerPick(/Find Object/, 'api-key-expiring');
    const node = await run<Node>('keyVault.findObject');
    assert.ok(node);
    await waitFor('the tree selects it', () => api.tree.view.selection[0]?.id === node.id || undefined);
    const seen = prompts.seen.find((s) => s.kind === 'pick')!;
    assert.ok(seen.items!.includes('database-password'));
    assert.ok(!seen.items!.some((i) => /^billing-setting-0[5-9]\d\d$/.test(i)), 'only what the tree loaded');
  });

  it('Open by Identifier reveals an object, a version and a deleted object in the tree', async () => {
    const [session] = api.accounts.sessions();
    const vaultUrl = url('kv-demo');
    const r1 = await run<{ node: Node; revealed: boolean }>('keyVault.openById', `${vaultUrl}/secrets/database-password`);
    assert.equal(r1?.revealed, true);
    await waitFor('the tree selects the secret', () => api.tree.view.selection[0]?.id === r1!.node.id || undefined);
    let version: string | undefined;
    for await (const v of session!.service.secrets.listVersions(vaultUrl, 'database-password')) version ??= v.version;
    prompts.answerInput(/Open by Identifier/, `${vaultUrl}/secrets/database-password/${version}`);
    const r2 = await run<{ node: Node; revealed: boolean }>('keyVault.openById');
    assert.equal(r2?.revealed, true);
    assert.equal(r2!.node.kind, 'version');
    await waitFor('the tree selects the version', () => api.tree.view.selection[0]?.id === r2!.node.id || undefined);
    const r3 = await run<{ node: Node; revealed: boolean }>('keyVault.openById', `${vaultUrl}/deletedsecrets/old-service-password`);
    assert.equal(r3?.node.kind, 'deleted');
    assert.equal(r3?.revealed, true);
  });

  it('Open by Identifier lands on an object of a vault that is not in the tree, with its actions', async () => {
    const hidden = ready.containers.find((c) => c.name === 'kv-tenant2')!;
    await run('keyVault.selectSubscriptions', ready.subscriptions.map((s) => s.subscriptionId).filter((s) => s !== hidden.subscriptionId));
    try {
      await waitFor('kv-tenant2 leaves the tree', async () => !(await labels()).includes('kv-tenant2') || undefined);
      prompts.answerPick(/secret database-password in/, 'Show Properties');
      const r = await run<{ revealed: boolean; action?: string }>('keyVault.openById', `${hidden.url}/secrets/database-password`);
      assert.deepEqual(r && { revealed: r.revealed, action: r.action }, { revealed: false, action: 'keyVault.showProperties' });
      const actions = prompts.seen.find((s) => s.kind === 'pick')!.items!;
      assert.ok(actions.includes('Show Properties'));
      assert.ok(actions.includes('Copy Value'), `secret actions registered by the secret commands: ${actions.join(', ')}`);
      assert.equal(JSON.parse(vscode.window.activeTextEditor!.document.getText()).name, 'database-password');
    } finally {
      await run('keyVault.selectSubscriptions', ready.subscriptions.map((s) => s.subscriptionId));
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('Open by Identifier offers to add a vault nobody reaches yet, through Add Vault or HSM by URL with the URL', async () => {
    const id = 'https://contoso-tree-test.vault.azure.net/secrets/db-password';
    prompts.answerModal(/contoso-tree-test\.vault\.azure\.net is not in the Key Vault view yet/, undefined);
    assert.equal(await run('keyVault.openById', id), undefined);
    assert.ok(!api.accounts.pinned().some((p) => p.name === 'contoso-tree-test'), 'declined: nothing added');
    prompts.answerModal(/not in the Key Vault view yet/, 'Add Vault…');
    assert.equal(await run('keyVault.openById', id), undefined, 'no signed-in account reaches Azure here');
    const pin = api.accounts.pinned().find((p) => p.name === 'contoso-tree-test');
    assert.deepEqual(pin && { url: pin.url, kind: pin.kind }, { url: 'https://contoso-tree-test.vault.azure.net', kind: 'vault' });
    await run('keyVault.removePinnedVault', pin!.url);
  });

  it('the expiry watch reports what a refresh loads that expires soon, in one notification, and Show reveals it', async () => {
    const expiry = api.tree.commands.expiry!;
    expiry.delayMs = 300;
    prompts.answerNotification(/expired or expire within 30 days/, 'Show').answerPick(/Expired or expiring soon/, 'api-key-expiring');
    api.tree.provider.refresh();
    await children(await category('kv-demo', 'Secrets'));
    await waitFor('the notification', () => prompts.notifications('warning').find((n) => /expire within 30 days/.test(n)));
    await expiry.settled();
    const note = prompts.notifications('warning').find((n) => /expire within 30 days/.test(n))!;
    assert.match(note, /api-key-expiring/);
    assert.doesNotMatch(note, /legacy-token-disabled/, 'disabled objects are not reported');
    await waitFor('Show reveals it in the tree', () => /\/secrets\/api-key-expiring$/.test(api.tree.view.selection[0]?.id ?? '') || undefined);
    // Only once per refresh.
    prompts.reset();
    await children(await category('kv-demo', 'Secrets'));
    await sleep(600);
    assert.deepEqual(prompts.notifications('warning'), []);
  });

  it('the expiry watch stays quiet when keyVault.expiry.notify is off', async () => {
    await config().update('expiry.notify', false, vscode.ConfigurationTarget.Global);
    api.tree.commands.expiry!.delayMs = 200;
    await sleep(200);
    api.tree.provider.refresh();
    await children(await category('kv-demo', 'Secrets'));
    await sleep(600);
    assert.deepEqual(prompts.notifications('warning'), []);
    await config().update('expiry.notify', undefined, vscode.ConfigurationTarget.Global);
  });

  it('never shows a secret value in any label, description or tooltip of the whole loaded tree', async () => {
    const [session] = api.accounts.sessions();
    api.tree.provider.refresh();
    const values: string[] = [];
    for (const vaultUrl of [url('kv-demo'), url('kv-tenant2')]) {
      for await (const p of session!.service.secrets.list(vaultUrl)) {
        for await (const v of session!.service.secrets.listVersions(vaultUrl, p.name)) {
          try {
            values.push((await session!.service.secrets.get(vaultUrl, p.name, v.version)).value);
          } catch {
            // disabled / not yet valid versions cannot be read; they cannot leak either
          }
        }
      }
    }
    assert.ok(values.length >= 10);
    const seen: string[] = [];
    const walk = async (nodes: Node[], depth: number): Promise<void> => {
      for (const n of nodes) {
        const it = await item(n);
        seen.push(text(it));
        // Everything expandable (versions, Deleted groups, HSM nodes), except the 1,200-secret vault's listing.
        if (depth < 6 && it.collapsibleState !== vscode.TreeItemCollapsibleState.None && !n.id.includes(url('kv-scale'))) await walk(await children(n), depth + 1);
      }
    };
    await walk(await children(), 0);
    const all = seen.join('\n');
    assert.ok(seen.length > 60, `walked ${seen.length} items`);
    assert.ok(/secretVersion|versions/.test(JSON.stringify(seen)) || all.includes('·'), 'versions were walked');
    for (const v of values) assert.ok(!all.includes(v), `a secret value (${v.length} chars) appears in the tree`);
    console.log(`[tree] walked ${seen.length} items, checked ${values.length} secret values`);
  });
});

describe('The tree for an identity without access (the emulator\'s noaccess identity)', function () {
  this.timeout(120_000);
  let api: Api;
  let readyFile: string;
  let ready: Ready;
  let dir: string;
  const pinned: string[] = [];

  async function item(node: Node): Promise<vscode.TreeItem> {
    const it = await api.tree.provider.getTreeItem(node);
    return (await api.tree.provider.resolveTreeItem?.(it, node, new vscode.CancellationTokenSource().token)) ?? it;
  }
  const children = async (node?: Node): Promise<Node[]> => ((await api.tree.provider.getChildren(node)) ?? []) as Node[];
  async function find(parent: Node | undefined, name: string): Promise<Node> {
    for (const c of await children(parent)) if (label(await item(c)) === name) return c;
    throw new Error(`no child '${name}' under ${parent?.id ?? 'the root'}`);
  }
  async function pin(name: string): Promise<void> {
    const c = ready.containers.find((x) => x.name === name)!;
    await run('keyVault.addVaultByUrl', c.url);
    pinned.push(c.url);
    await waitFor(`${name} is pinned`, () => api.accounts.pinned().some((p) => p.url === c.url) || undefined);
  }

  before(async function () {
    readyFile = process.env[READY_FILE_ENV] ?? '';
    if (!readyFile || !existsSync(readyFile)) this.skip();
    ready = JSON.parse(readFileSync(readyFile, 'utf8')) as Ready;
    api = (await activatedExtension()).exports as Api;
    if (!api.tree?.commands) this.skip();
    const noaccess = ready.identities.find((i) => i.handle === 'noaccess')!;
    // The same emulator through another identity: a copy of the ready file with that identity's client secret.
    dir = mkdtempSync(path.join(tmpdir(), 'kv-tree-noaccess-'));
    const file = path.join(dir, 'ready.json');
    writeFileSync(file, JSON.stringify({ ...ready, clientId: noaccess.clientId, clientSecret: noaccess.clientSecret, caCertFile: path.resolve(path.dirname(readyFile), ready.caCertFile) }));
    await run('keyVault.useLocalEmulator', file);
    await waitFor('the noaccess session appears', async () => {
      await api.accounts.refresh();
      return api.accounts.sessions().length === 1 || undefined;
    });
    api.tree.provider.refresh();
  });

  after(async () => {
    for (const u of pinned) await run('keyVault.removePinnedVault', u);
    for (const key of ['credential', 'emulator.readyFile']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await api?.accounts.refresh();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('discovery fails with an error node (Retry), and the view still offers to add a vault by URL', async () => {
    const nodes = await children();
    const its = await Promise.all(nodes.map(item));
    const errors = its.filter((it) => /^keyvault\.error\b/.test(it.contextValue ?? ''));
    assert.ok(errors.length >= 1, its.map(label).join(' | '));
    for (const e of errors) assert.equal(e.command?.command, 'keyVault.retry');
    console.log(`[tree] noaccess at the top: ${its.map((it) => `${label(it)} [${it.contextValue}]`).join(' | ')}`);
  });

  it('a pinned access-policy vault shows "No permission to list secrets (access policy)" with the hint and Learn more', async () => {
    await pin('kv-demo');
    const vault = await waitFor('kv-demo shows', async () => (await children()).find((n) => n.id.endsWith(ready.containers.find((c) => c.name === 'kv-demo')!.url)));
    for (const family of ['Secrets', 'Keys', 'Certificates']) {
      const [error] = await children(await find(vault, family));
      const it = await item(error!);
      assert.match(label(it), new RegExp(`No permission to list ${family.toLowerCase()} \\(access policy\\)`), label(it));
      assert.match(it.contextValue ?? '', /\+learnMore/);
      assert.match(error!.learnMore ?? '', /assign-access-policy/);
      assert.match(tooltip(it), /access polic/i);
      if (family === 'Secrets') console.log(`[tree] noaccess on kv-demo secrets: ${label(it)} — ${tooltip(it).replace(/\s+/g, ' ')}`);
    }
    const deleted = await find(await find(vault, 'Secrets'), 'Deleted').catch(() => undefined);
    assert.equal(deleted, undefined, 'no Deleted group under a listing that failed');
  });

  it('a pinned Azure RBAC vault names RBAC and the missing data action', async () => {
    await pin('kv-scale');
    const vault = await waitFor('kv-scale shows', async () => (await children()).find((n) => n.id.endsWith(ready.containers.find((c) => c.name === 'kv-scale')!.url)));
    const [error] = await children(await find(vault, 'Secrets'));
    const it = await item(error!);
    assert.match(label(it), /No permission to list secrets \(Azure RBAC\)/);
    assert.match(error!.learnMore ?? '', /rbac-guide/);
    assert.match(tooltip(it), /Microsoft\.KeyVault\/vaults\/secrets\/readMetadata\/action|RBAC/);
    console.log(`[tree] noaccess on kv-scale secrets: ${label(it)} — ${tooltip(it).replace(/\s+/g, ' ')}`);
  });

  it('a vault of a tenant the identity does not belong to fails with an error node, not a throw', async () => {
    await pin('kv-tenant2');
    const vault = await waitFor('kv-tenant2 shows', async () => (await children()).find((n) => n.id.endsWith(ready.containers.find((c) => c.name === 'kv-tenant2')!.url)));
    const [error] = await children(await find(vault, 'Secrets'));
    const it = await item(error!);
    assert.match(it.contextValue ?? '', /^keyvault\.error\b/);
    assert.equal(it.command?.command, 'keyVault.retry');
    console.log(`[tree] noaccess on kv-tenant2 secrets: ${label(it)} — ${tooltip(it).replace(/\s+/g, ' ')}`);
  });
});
