// What the security and fault suites share inside the extension host (code-server): the emulator's ready file and
// admin endpoint (fault injection, request statistics), a CLI emulator that can be killed and restarted with its
// state, and the Vaults tree as VS Code sees it. Imports 'vscode': extension-host code only.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AccountSession, AccountsModel } from '../../src/accounts/types';
import type { Prompts } from '../../src/commands/pickers';
import { activatedExtension, EXTENSION_ID, sleep, waitFor } from '../vscode/suite/helpers';

export const READY_FILE_ENV = 'KEYVAULT_TEST_EMULATOR_READY_FILE';
export { EXTENSION_ID };

export interface Ready {
  tenantId: string;
  authorityHost: string;
  caCertFile: string;
  adminUrl: string;
  adminKey: string;
  containers: { name: string; kind: 'vault' | 'hsm'; url: string; tenantId: string }[];
  identities: { handle: string; clientId: string; clientSecret: string }[];
  clientSecret: string;
  pid: number;
}

export interface TreeNodeLike {
  id: string;
  contextValue?: string;
  ref?: { name: string; url: string; kind?: string };
  family?: string;
  kind?: string;
  view?: { name: string; version?: string; enabled: boolean; managed: boolean; family: string; id: string; vaultUrl: string };
  deletedGroup?: TreeNodeLike;
  parent?: TreeNodeLike;
  session?: AccountSession;
}

export interface Provider {
  getChildren(node?: TreeNodeLike): Promise<TreeNodeLike[] | undefined> | TreeNodeLike[] | undefined;
  getTreeItem(node: TreeNodeLike): vscode.TreeItem | Promise<vscode.TreeItem>;
  resolveTreeItem?(item: vscode.TreeItem, node: TreeNodeLike, token: vscode.CancellationToken): vscode.TreeItem | Promise<vscode.TreeItem | undefined> | undefined;
  refresh(node?: TreeNodeLike): void;
}

/** The extension's exports under the test harness (see src/extension.ts), loosely typed. */
export interface Api {
  accounts: AccountsModel & { whenLoaded(): Promise<void>; refresh(): Promise<void> };
  secrets?: { setPrompts(p: Prompts | undefined): void; clipboard: { hasPending: boolean }; revealPanels: { size: number } };
  keys?: { setPrompts(p: Prompts | undefined): void; cryptoPanels: { list(): PanelHost[] }; createKeyPanels: { list(): PanelHost[] } };
  certificates?: { setPrompts(p: Prompts | undefined): void; createPanels: { size: number }; detailsPanels: { size: number }; errors: string[] };
  storage?: { setPrompts(p: Prompts | undefined): void; errors: string[] };
  tree?: { provider: Provider; commands: { setPrompts(p: Prompts | undefined): void } };
}

/** A webview panel host as the keys test API hands it out. */
export interface PanelHost {
  panel: vscode.WebviewPanel;
  receive(raw: unknown): Promise<void>;
}

export { sleep, waitFor };

/** The tier's ready file, or undefined outside the code-server tier (then the suites skip). */
export function tierReadyFile(): string | undefined {
  const file = process.env[READY_FILE_ENV];
  return file && existsSync(file) ? file : undefined;
}

export const readReady = (file: string): Ready => JSON.parse(readFileSync(file, 'utf8')) as Ready;

export const containerUrl = (ready: Ready, name: string): string => {
  const c = ready.containers.find((x) => x.name === name);
  assert.ok(c, `no container ${name}`);
  return c.url;
};

/** test-results/vscode of this run (the extension-host report is written there). */
export function resultsDir(): string {
  const report = process.env.KEYVAULT_EXT_TESTS_REPORT;
  assert.ok(report, 'KEYVAULT_EXT_TESTS_REPORT is set by the tier');
  return path.dirname(report);
}

/** The repository (the tier's results folder is test-results/vscode under it). */
export const repoRoot = (): string => path.resolve(resultsDir(), '..', '..');

export async function extensionApi(): Promise<Api> {
  return (await activatedExtension()).exports as Api;
}

/** Connects the extension to the emulator of `readyFile` (as Key Vault: Use Local Emulator… does) and returns its session for `vaultUrl`. */
export async function connect(api: Api, readyFile: string, vaultUrl: string): Promise<AccountSession> {
  await api.accounts.whenLoaded();
  await vscode.commands.executeCommand('keyVault.useLocalEmulator', readyFile);
  return waitFor('the emulator session is up', async () => {
    await api.accounts.refresh();
    return api.accounts.sessionFor(vaultUrl);
  });
}

// ---- the emulator's admin endpoint ----

export interface FaultRule {
  target?: string;
  method?: string;
  path?: string;
  kind: 'latency' | 'throttle' | 'error' | 'reset' | 'stall' | 'expire-token' | 'lose-answer';
  ms?: number;
  status?: number;
  retryAfter?: number;
  times?: number;
  probability?: number;
}

export interface Stats {
  containers: Record<string, { requests: number; open: number }>;
  tokenRequests: number;
}

export class Admin {
  private readonly ca: string;
  constructor(private readonly ready: Ready) {
    this.ca = readFileSync(ready.caCertFile, 'utf8');
  }

  private call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const url = new URL(`${this.ready.adminUrl}/${route}`);
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        { method, ca: this.ca, headers: { 'x-emulator-admin-key': this.ready.adminKey, ...(data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {}) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 500) >= 300) reject(new Error(`admin ${method} ${route}: ${res.statusCode} ${text}`));
            else resolve((text ? JSON.parse(text) : {}) as T);
          });
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  }

  addFault(rule: FaultRule): Promise<{ id: string }> {
    return this.call('POST', 'faults', rule);
  }
  clearFaults(): Promise<void> {
    return this.call('DELETE', 'faults');
  }
  stats(): Promise<Stats> {
    return this.call('GET', 'stats');
  }
  revokeTokens(): Promise<void> {
    return this.call('POST', 'revoke-tokens');
  }
  setTokenLifetime(seconds: number): Promise<void> {
    return this.call('PUT', 'token-lifetime', { seconds });
  }
}

// ---- a CLI emulator that can be killed and restarted with its state ----

async function freeBasePort(count: number): Promise<number> {
  const probe = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    let ok = true;
    for (let p = base; p < base + count && ok; p++) ok = await probe(p);
    if (ok) return base;
  }
  throw new Error('no free port range for the restartable emulator');
}

/**
 * `node --import tsx test/emulator/cli.ts --state F --base-port P --ready-file R`, started from the extension host
 * (Node of code-server), killable at any moment (SIGKILL: nothing is flushed that was not already saved) and
 * restartable on the same ports, CA and content.
 */
export class RestartableEmulator {
  private child: ChildProcess | undefined;
  private basePort = 0;
  output = '';

  constructor(
    readonly stateFile: string,
    readonly readyFile: string,
  ) {}

  async start(): Promise<Ready> {
    if (!this.basePort) this.basePort = await freeBasePort(12);
    const root = repoRoot();
    const { rmSync } = await import('node:fs');
    rmSync(this.readyFile, { force: true });
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test', 'emulator', 'cli.ts'), '--seed', 'empty', '--state', this.stateFile, '--base-port', String(this.basePort), '--ready-file', this.readyFile], {
      cwd: root,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child = child;
    await waitFor(`the emulator writes ${this.readyFile}`, () => {
      if (child.exitCode !== null) throw new Error(`the emulator exited (${child.exitCode}): ${this.output.slice(-2000)}`);
      return existsSync(this.readyFile);
    }, 60_000, 100);
    return readReady(this.readyFile);
  }

  /** Kills the process at once, as a crash or a power cut would. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  async restart(): Promise<Ready> {
    await this.kill();
    return this.start();
  }

  async stop(): Promise<void> {
    await this.kill();
    this.child = undefined;
  }
}

// ---- the tree as VS Code sees it ----

export class TreeAccess {
  constructor(private readonly provider: Provider) {}

  async children(node?: TreeNodeLike): Promise<TreeNodeLike[]> {
    return ((await this.provider.getChildren(node)) ?? []) as TreeNodeLike[];
  }

  async item(node: TreeNodeLike): Promise<vscode.TreeItem> {
    const it = await this.provider.getTreeItem(node);
    return (await this.provider.resolveTreeItem?.(it, node, new vscode.CancellationTokenSource().token)) ?? it;
  }

  /** The container node of `name` (a vault or HSM) among the roots and their session/subscription groups. */
  async container(name: string, timeoutMs = 30_000): Promise<TreeNodeLike> {
    return waitFor(`${name} is in the tree`, async () => {
      const stack = [...(await this.children())];
      for (let i = 0; i < stack.length && i < 200; i++) {
        const n = stack[i]!;
        if (n.ref?.name === name) return n;
        if (!n.ref && !n.view && !n.family) stack.push(...(await this.children(n)));
      }
      return undefined;
    }, timeoutMs, 300);
  }

  async category(vault: string, family: string): Promise<TreeNodeLike> {
    const children = await this.children(await this.container(vault));
    const c = children.find((n) => n.family === family && !/deleted/.test(n.id));
    assert.ok(c, `${vault} has no ${family} category (children: ${children.map((x) => x.id).join(', ')})`);
    return c;
  }

  /** Object nodes listed under a category, loading every page. */
  async objects(category: TreeNodeLike, maxPages = 100): Promise<TreeNodeLike[]> {
    let nodes = await this.children(category);
    for (let page = 0; page < maxPages; page++) {
      const more = nodes.find((n) => /\/more$/.test(n.id));
      if (!more) break;
      await vscode.commands.executeCommand('keyVault.loadMore', more);
      nodes = await this.children(category);
    }
    return nodes.filter((n) => n.kind === 'object' || n.kind === 'deleted' || n.kind === 'version');
  }

  refresh(node?: TreeNodeLike): void {
    this.provider.refresh(node);
  }
}

export const label = (it: vscode.TreeItem): string => (typeof it.label === 'string' ? it.label : (it.label?.label ?? ''));
export const tooltipText = (it: vscode.TreeItem): string => (typeof it.tooltip === 'string' ? it.tooltip : (it.tooltip?.value ?? ''));
/** Everything a tree row shows or announces. */
export const rowText = (it: vscode.TreeItem): string => [label(it), String(it.description ?? ''), tooltipText(it), it.accessibilityInformation?.label ?? ''].join('\n');
