// Concurrency in a real VS Code (code-server) against the emulator: many refreshes and expansions of the tree while
// secrets are created and deleted (with listings slowed at random, so answers come back out of order), concurrent
// expansions sharing one request, and cancelling a long listing (the 1,200-secret vault, streamed into a picker)
// leaving no request behind. The emulator's request statistics (admin endpoint) are the referee.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AccountSession } from '../../../src/accounts/types';
import type { InputRequest, MessageRequest, PickRequest, Prompts } from '../../../src/commands/pickers';
import { Admin, connect, containerUrl, extensionApi, readReady, sleep, tierReadyFile, TreeAccess, waitFor, type Api, type Ready, type TreeNodeLike } from '../../support/hygiene-suite';
import { ScriptedPrompts } from './secrets-prompts';

const run = (command: string, ...args: unknown[]) => vscode.commands.executeCommand(command, ...args);
const suffix = Math.random().toString(36).slice(2, 7);

/** Answers the vault picker, then reads `batches` batches of the streamed object list and dismisses it, as a user pressing Escape while it loads. */
class DismissWhileLoading implements Prompts {
  batchesSeen = 0;
  dismissedAt = 0;
  constructor(
    private readonly vaultName: string,
    private readonly batches: number,
  ) {}
  async input(_r: InputRequest): Promise<undefined> {
    return undefined;
  }
  async pick<T extends vscode.QuickPickItem>(r: PickRequest<T>): Promise<T | undefined> {
    const isVault = (i: T) => i.kind !== vscode.QuickPickItemKind.Separator && new RegExp(`(^|\\s)${this.vaultName}$`).test(i.label);
    const items = r.items;
    if (!(Symbol.asyncIterator in (items as object))) {
      const list = [...(await (items as PromiseLike<readonly T[]>))];
      return list.find(isVault) ?? list[0];
    }
    let vaultPicker = false;
    // As vscodePrompts.pick does: consume batches until settled, then stop the iteration.
    for await (const batch of items as AsyncIterable<readonly T[]>) {
      const vault = batch.find(isVault);
      if (vault) return vault;
      // The container picker's items carry the vault choice; the object picker's do not.
      if (batch.some((i) => 'choice' in i)) vaultPicker = true;
      if (!vaultPicker && ++this.batchesSeen >= this.batches) {
        this.dismissedAt = Date.now();
        return undefined;
      }
    }
    return undefined;
  }
  async message(_r: MessageRequest): Promise<undefined> {
    return undefined;
  }
  async saveDialog(): Promise<undefined> {
    return undefined;
  }
  async openDialog(): Promise<undefined> {
    return undefined;
  }
}

describe('Concurrency and cancellation in the tree', function () {
  this.timeout(240_000);
  let api: Api;
  let tree: TreeAccess;
  let ready: Ready;
  let admin: Admin;
  let session: AccountSession;
  let vault: string;
  const prompts = new ScriptedPrompts();

  before(async function () {
    const file = tierReadyFile();
    if (!file) this.skip();
    ready = readReady(file!);
    admin = new Admin(ready);
    vault = containerUrl(ready, 'kv-demo');
    api = await extensionApi();
    session = await connect(api, file!, vault);
    tree = new TreeAccess(api.tree!.provider);
    api.secrets!.setPrompts(prompts);
  });
  beforeEach(() => prompts.reset());
  afterEach(async () => {
    await admin?.clearFaults();
    api?.secrets?.setPrompts(prompts);
  });
  after(() => api?.secrets?.setPrompts(undefined));

  const serviceNames = async (): Promise<string[]> => {
    const out: string[] = [];
    for await (const p of session.service.secrets.list(vault)) out.push(p.name);
    return out.sort();
  };
  const treeNames = async (category: TreeNodeLike): Promise<string[]> => (await tree.objects(category)).map((n) => n.view!.name).sort();

  it('twenty concurrent expansions of a freshly refreshed category share one listing request', async () => {
    const category = await tree.category('kv-demo', 'secrets');
    await tree.children(category);
    tree.refresh(category);
    const before = (await admin.stats()).containers['kv-demo']!.requests;
    const results = await Promise.all(Array.from({ length: 20 }, () => tree.children(category)));
    const after = (await admin.stats()).containers['kv-demo']!.requests;
    assert.equal(after - before, 1, `one request for twenty expansions (got ${after - before})`);
    for (const r of results) assert.deepEqual(r.map((n) => n.id), results[0]!.map((n) => n.id));
  });

  it('refreshes and expansions fired while secrets are created and deleted (listings slowed at random) end with the tree equal to the vault', async () => {
    const category = await tree.category('kv-demo', 'secrets');
    // Half of the listings take 0.8 s: answers come back in another order than they were asked.
    await admin.addFault({ target: 'kv-demo', method: 'GET', path: '^/secrets$', kind: 'latency', ms: 800, probability: 0.5 });
    // Mutations take a moment too, so the storm runs through all of them.
    await admin.addFault({ target: 'kv-demo', method: 'PUT', path: '^/secrets/', kind: 'latency', ms: 400 });
    await admin.addFault({ target: 'kv-demo', method: 'DELETE', path: '^/secrets/', kind: 'latency', ms: 400 });
    let stop = false;
    let storms = 0;
    const problems: string[] = [];
    const inFlight: Promise<unknown>[] = [];
    const expand = (node: TreeNodeLike) =>
      inFlight.push(
        tree.children(node).then(
          (nodes) => {
            for (const n of nodes) if (/error$/.test(n.id)) problems.push(`error node ${n.id}`);
            // A few objects too (their versions).
            for (const n of nodes.slice(0, 3)) if (n.kind === 'object') inFlight.push(tree.children(n).catch((e: unknown) => problems.push(String(e))));
          },
          (e: unknown) => problems.push(String(e)),
        ),
      );
    // Every 60 ms: refresh, expand the category and its Deleted group, without waiting for the answers.
    const storm = (async () => {
      while (!stop) {
        tree.refresh(category);
        expand(category);
        expand(category.deletedGroup!);
        storms++;
        await sleep(60);
      }
    })();
    const created: string[] = [];
    for (let i = 0; i < 6; i++) {
      const name = `conc-${suffix}-${i}`;
      prompts.answerInput(/Secret name/, name).answerInput(/Value of/, `conc-value-${i}-${Math.random().toString(36).slice(2)}`).answerPick(/Create now/, 'Create Secret');
      await run('keyVault.secret.create', category);
      created.push(name);
    }
    // Delete two of them while the storm goes on.
    for (const name of created.slice(0, 2)) {
      prompts.answerModal(/Delete secret/, 'Delete');
      await run('keyVault.secret.delete', `${vault}/secrets/${name}`);
    }
    stop = true;
    await storm;
    await Promise.all(inFlight);
    await admin.clearFaults();
    assert.deepEqual(prompts.notifications('error'), []);
    assert.deepEqual(problems, []);
    assert.ok(storms >= 10, `the storm ran (${storms} rounds)`);
    // No refresh here: what the tree holds after the last mutation's own refresh must be the vault's listing.
    const listed = await treeNames(category);
    assert.deepEqual(listed, await serviceNames());
    for (const name of created.slice(2)) assert.ok(listed.includes(name), `${name} is in the tree`);
    for (const name of created.slice(0, 2)) assert.ok(!listed.includes(name), `${name} left the tree`);
  });

  it('dismissing a picker that streams the 1,200-secret vault stops the listing: no further page, nothing left open', async () => {
    // Every page of kv-scale takes 1 s, so the listing is still going when the picker is dismissed.
    await admin.addFault({ target: 'kv-scale', method: 'GET', path: '^/secrets$', kind: 'latency', ms: 1000 });
    const dismiss = new DismissWhileLoading('kv-scale', 2);
    api.secrets!.setPrompts(dismiss);
    const before = (await admin.stats()).containers['kv-scale']!.requests;
    await run('keyVault.secret.copyIdentifier');
    assert.ok(dismiss.dismissedAt > 0, 'the picker was dismissed while loading');
    // The page in flight at that moment finishes (within its 1 s); then nothing more.
    const quiet = await waitFor('no kv-scale request is open', async () => ((await admin.stats()).containers['kv-scale']!.open === 0 ? true : undefined), 5000);
    assert.ok(quiet);
    const settled = (await admin.stats()).containers['kv-scale']!.requests;
    await sleep(2500);
    const later = (await admin.stats()).containers['kv-scale']!;
    assert.equal(later.requests, settled, 'no page was requested after the dismissal settled');
    assert.equal(later.open, 0);
    // Two batches seen, at most one more in flight: far from the 48 pages of the whole vault.
    assert.ok(settled - before <= 4, `${settled - before} page requests for a dismissed picker`);
  });
});
