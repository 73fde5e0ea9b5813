import * as vscode from 'vscode';
import type { AccountSession } from '../accounts/types';
import { isKeyVaultError } from '../keyvault/errors';
import { validateSecretValue } from '../commands/secrets/validation';

/** Edit Value documents live under this scheme, in memory only: nothing is ever written to a file. */
export const SECRET_SCHEME = 'keyvault-secret';

export interface SecretDocumentSource {
  readonly session: AccountSession;
  readonly vaultUrl: string;
  readonly name: string;
  /** The version whose value was opened. */
  readonly version?: string;
  /** Kept on the new version when saving. */
  readonly contentType?: string;
  readonly tags: Record<string, string>;
}

interface Entry {
  source: SecretDocumentSource;
  /** What the document holds (edits are staged here as they are typed). */
  content: Uint8Array;
  /** What Key Vault holds: the value opened, or the last one saved. */
  stored: Uint8Array;
  ctime: number;
  mtime: number;
}

export interface SavedVersion {
  uri: vscode.Uri;
  name: string;
  vaultUrl: string;
  version?: string;
}

/** Language for the editor from the content type: JSON gets JSON highlighting, the rest is plain text. */
function extensionFor(contentType: string | undefined, value: string): string {
  const ct = (contentType ?? '').toLowerCase();
  if (ct.includes('json')) return '.json';
  if (!ct && /^\s*[[{]/.test(value)) {
    try {
      JSON.parse(value);
      return '.json';
    } catch {
      // plain text
    }
  }
  return '';
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.byteLength === b.byteLength && a.every((x, i) => x === b[i]);

/** How long typing may pause before an edit is staged (below VS Code's one-second backup of dirty editors). */
const STAGE_DELAY_MS = 250;

/**
 * A FileSystemProvider for `keyvault-secret:/{vault host}/{name}`. The value lives in this object's memory while the
 * document is open, and nowhere else:
 *
 * - Edits are staged here a moment after typing pauses (the document is saved to memory), so it is never dirty for
 *   long: VS Code backs dirty editors up to disk after a second, and auto save (the web default) would otherwise
 *   create a version per pause. A tab badge marks staged changes that Key Vault does not have yet.
 * - An explicit Save (Ctrl+S, File › Save) stores the staged value as a new version.
 * - Closing the last editor discards the value and any staged changes.
 */
export class SecretFileSystem implements vscode.FileSystemProvider, vscode.FileDecorationProvider, vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly decorationsChanged = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeFileDecorations = this.decorationsChanged.event;
  private readonly saved = new vscode.EventEmitter<SavedVersion>();
  /** After each save to Key Vault (the commands refresh the tree and tell the user). */
  readonly onDidSave = this.saved.event;
  private readonly discarded = new vscode.EventEmitter<{ name: string; hadChanges: boolean }>();
  /** A closed document's value was dropped (`hadChanges`: staged edits went with it). */
  readonly onDidDiscard = this.discarded.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Documents being saved by the stager (to memory), not by the user (to Key Vault). */
  private readonly staging = new Set<string>();
  /** Why VS Code is saving each document (auto save stages; an explicit save stores). */
  private readonly saveReasons = new Map<string, vscode.TextDocumentSaveReason>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private saves = 0;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.scheme === SECRET_SCHEME && e.contentChanges.length) this.scheduleStage(e.document);
      }),
      vscode.workspace.onWillSaveTextDocument((e) => {
        if (e.document.uri.scheme === SECRET_SCHEME) this.saveReasons.set(e.document.uri.toString(), e.reason);
      }),
      // Closing discards: when no tab shows an entry any more, forget its value.
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === SECRET_SCHEME) this.discardIfUnused(doc.uri);
      }),
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) {
          const input = tab.input;
          if (input instanceof vscode.TabInputText && input.uri.scheme === SECRET_SCHEME) this.discardIfUnused(input.uri);
        }
      }),
    );
  }

  /** Open values (tests check that closing forgets them). */
  get openCount(): number {
    return this.entries.size;
  }

  /** Saves to Key Vault so far (tests check that staging and closing write nothing there). */
  get saveCount(): number {
    return this.saves;
  }

  /** The open document of this secret, if any (opening it twice shows the same editor, edits and all). */
  find(vaultUrl: string, name: string): vscode.Uri | undefined {
    const host = new URL(vaultUrl).host.toLowerCase();
    for (const [key, e] of this.entries) {
      if (new URL(e.source.vaultUrl).host.toLowerCase() === host && e.source.name.toLowerCase() === name.toLowerCase()) return vscode.Uri.parse(key);
    }
    return undefined;
  }

  /** Registers a value and returns the URI to open. */
  add(source: SecretDocumentSource, value: string): vscode.Uri {
    const host = new URL(source.vaultUrl).host;
    const uri = vscode.Uri.from({ scheme: SECRET_SCHEME, path: `/${host}/${source.name}${extensionFor(source.contentType, value)}` });
    const now = Date.now();
    const bytes = new TextEncoder().encode(value);
    this.entries.set(uri.toString(), { source, content: bytes, stored: bytes, ctime: now, mtime: now });
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    this.decorationsChanged.fire([uri]);
    return uri;
  }

  /** True when the document holds edits Key Vault does not have. */
  hasStagedChanges(uri: vscode.Uri): boolean {
    const e = this.entries.get(uri.toString());
    return e !== undefined && !sameBytes(e.content, e.stored);
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== SECRET_SCHEME || !this.hasStagedChanges(uri)) return undefined;
    return new vscode.FileDecoration('●', vscode.l10n.t('Not in Key Vault yet: Save (Ctrl+S) stores it as a new version; closing discards it.'), new vscode.ThemeColor('gitDecoration.modifiedResourceForeground'));
  }

  private scheduleStage(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (doc.isClosed || !doc.isDirty || !this.entries.has(key)) return;
        this.staging.add(key);
        // Saves to this provider's memory (writeFile sees the flag): the document is clean again, nothing leaves.
        void Promise.resolve(doc.save()).finally(() => this.staging.delete(key));
      }, STAGE_DELAY_MS),
    );
  }

  private discardIfUnused(uri: vscode.Uri): void {
    // A language change closes and reopens the document at once: look again a moment later. Tabs decide: VS Code
    // keeps a closed editor's document model around for a while, and the value must not stay that long.
    setTimeout(() => {
      const key = uri.toString();
      const entry = this.entries.get(key);
      if (!entry) return;
      const inTabs = vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key));
      if (inTabs) return;
      const hadChanges = !sameBytes(entry.content, entry.stored);
      this.entries.delete(key);
      this.saveReasons.delete(key);
      this.log.debug(`Edit Value: discarded ${uri.path}${hadChanges ? ' with unsaved changes' : ''}`);
      this.discarded.fire({ name: entry.source.name, hadChanges });
    }, 1000);
  }

  private entry(uri: vscode.Uri): Entry {
    const e = this.entries.get(uri.toString());
    if (!e) throw vscode.FileSystemError.FileNotFound(vscode.l10n.t('{0} is no longer open: use Edit Value again (values are never kept once closed).', uri.path));
    return e;
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const e = this.entry(uri);
    return { type: vscode.FileType.File, ctime: e.ctime, mtime: e.mtime, size: e.content.byteLength };
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions();
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return this.entry(uri).content;
  }

  /**
   * The stager's and auto save's writes stay in memory; an explicit save stores the text as a new version of the
   * secret (same content type and tags).
   */
  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const key = uri.toString();
    const e = this.entry(uri);
    const reason = this.saveReasons.get(key);
    this.saveReasons.delete(key);
    const explicit = !this.staging.has(key) && reason !== vscode.TextDocumentSaveReason.AfterDelay && reason !== vscode.TextDocumentSaveReason.FocusOut;
    if (!explicit) {
      e.content = content;
      e.mtime = Date.now();
      this.decorationsChanged.fire([uri]);
      return;
    }
    if (sameBytes(content, e.stored)) {
      // Nothing new for Key Vault: no version that repeats the current one.
      e.content = content;
      this.decorationsChanged.fire([uri]);
      return;
    }
    let value = new TextDecoder('utf-8', { fatal: false }).decode(content);
    // files.insertFinalNewline adds a newline on every save; a value that had none (a password) must not gain one.
    const storedText = new TextDecoder().decode(e.stored);
    if (/\r?\n$/.test(value) && !/\n$/.test(storedText) && vscode.workspace.getConfiguration('files', uri).get<boolean>('insertFinalNewline')) {
      value = value.replace(/\r?\n$/, '');
    }
    const problem = validateSecretValue(value);
    if (problem) throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Not saved: {0}', problem));
    const { session, vaultUrl, name, contentType, tags } = e.source;
    let version: string | undefined;
    try {
      const props = await session.service.secrets.set(vaultUrl, name, value, { ...(contentType !== undefined ? { contentType } : {}), tags });
      version = props.version;
    } catch (err) {
      const message = isKeyVaultError(err) ? err.userMessage : err instanceof Error ? err.message : String(err);
      throw vscode.FileSystemError.Unavailable(vscode.l10n.t('Not saved to Key Vault: {0}', message));
    }
    this.saves++;
    e.content = content;
    e.stored = content;
    e.mtime = Date.now();
    e.source = { ...e.source, ...(version ? { version } : {}) };
    this.log.info(`Edit Value: saved secret ${name} in ${new URL(vaultUrl).host} as new version ${version ?? '(unknown)'}`);
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    this.decorationsChanged.fire([uri]);
    this.saved.fire({ uri, name, vaultUrl, ...(version ? { version } : {}) });
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions();
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.entries.clear();
    this.changed.dispose();
    this.decorationsChanged.dispose();
    this.saved.dispose();
    this.discarded.dispose();
  }
}
