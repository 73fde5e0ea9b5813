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
  content: Uint8Array;
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

/**
 * A FileSystemProvider for `keyvault-secret:/{vault host}/{name}`: readFile returns the value fetched when the
 * document was opened, writeFile (Save) sets it as a new version, and closing the last editor drops it. The value
 * lives in this object's memory only while the document is open.
 */
export class SecretFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly saved = new vscode.EventEmitter<SavedVersion>();
  /** After each save (the commands refresh the tree and tell the user). */
  readonly onDidSave = this.saved.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {
    // Closing discards: when no tab and no document shows an entry any more, forget its value.
    this.subscriptions.push(
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
    this.entries.set(uri.toString(), { source, content: new TextEncoder().encode(value), ctime: now, mtime: now });
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    return uri;
  }

  private discardIfUnused(uri: vscode.Uri): void {
    // A language change closes and reopens the document at once: look again a moment later.
    setTimeout(() => {
      const key = uri.toString();
      if (!this.entries.has(key)) return;
      const inTabs = vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key));
      const inDocs = vscode.workspace.textDocuments.some((d) => d.uri.toString() === key && !d.isClosed);
      if (inTabs || inDocs) return;
      this.entries.delete(key);
      this.log.debug(`Edit Value: discarded ${uri.path}`);
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

  /** Save: the text becomes a new version of the secret (same content type and tags). */
  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const e = this.entry(uri);
    const value = new TextDecoder('utf-8', { fatal: false }).decode(content);
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
    e.content = content;
    e.mtime = Date.now();
    e.source = { ...e.source, ...(version ? { version } : {}) };
    this.log.info(`Edit Value: saved secret ${name} in ${new URL(vaultUrl).host} as new version ${version ?? '(unknown)'}`);
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
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
    this.entries.clear();
    this.changed.dispose();
    this.saved.dispose();
  }
}
