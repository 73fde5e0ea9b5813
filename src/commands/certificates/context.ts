import * as vscode from 'vscode';
import type { AccountSession } from '../../accounts/types';
import { isKeyVaultError } from '../../keyvault/errors';
import type { TreeContext } from '../../tree/context';
import type { ObjectFamily } from '../../tree/model/objectView';
import type { TreeNode } from '../../tree/TreeNode';
import type { VaultsTreeDataProvider } from '../../tree/VaultsTreeDataProvider';
import { required, type Prompts, type RecentContainers } from '../pickers';
import { loadedContainers } from '../tree/walk';

/** What the certificate and storage commands use; built once at registration. */
export interface VaultCommandContext {
  readonly tree: TreeContext;
  readonly provider: VaultsTreeDataProvider;
  readonly treeView?: vscode.TreeView<TreeNode>;
  /** Swappable so the extension-host tests can answer prompts. */
  prompts: Prompts;
  readonly recent: RecentContainers;
  readonly log: vscode.LogOutputChannel;
  readonly extensionUri: vscode.Uri;
}

/** A vault picked for a command (certificates and storage accounts live in vaults only, never in an HSM). */
export interface VaultTarget {
  readonly session: AccountSession;
  readonly url: string;
  readonly name: string;
}

export const hostOf = (url: string): string => new URL(url).host;
/** `kv-demo` from `https://kv-demo.vault.azure.net`; the host for custom endpoints without a vault name. */
export const vaultNameOf = (url: string): string => {
  const host = new URL(url).hostname;
  return /\.(vault|managedhsm)\./i.test(host) ? host.split('.')[0]! : new URL(url).host;
};

/** The vault's name as the tree shows it (emulator and custom endpoints have no name in their host). */
export async function vaultDisplayName(c: VaultCommandContext, url: string): Promise<string> {
  const origin = new URL(url).origin.toLowerCase();
  try {
    const container = (await loadedContainers(c.provider.roots_)).find((x) => x.vaultUrl.toLowerCase() === origin);
    if (container) return container.ref.name;
  } catch {
    // Fall back to the host.
  }
  return vaultNameOf(url);
}

/**
 * A service error as users see it (message + the REST layer's hint); an aborted request becomes a cancellation,
 * which runCommand does not report.
 */
export function toUserError(err: unknown): unknown {
  if (err instanceof vscode.CancellationError) return err;
  if (isKeyVaultError(err)) {
    if (err.kind === 'cancelled') return new vscode.CancellationError();
    return new Error(err.userMessage);
  }
  return err;
}

/** Runs `work` and turns service errors into user errors (for runCommand). */
export async function userErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toUserError(err);
  }
}

/** Long work in a cancellable notification; Cancel aborts the request through the AbortSignal. */
export async function withProgress<T>(title: string, work: (signal: AbortSignal, progress: vscode.Progress<{ message?: string }>) => Promise<T>): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      return await work(controller.signal, progress);
    } catch (err) {
      if (token.isCancellationRequested) throw new vscode.CancellationError();
      throw toUserError(err);
    } finally {
      sub.dispose();
    }
  });
}

/**
 * Reloads one family's listing (and its Deleted group) of a vault wherever the tree shows that vault. Walks the
 * tree's own nodes by URL, so it works whatever node (or none) the command started from.
 */
export async function refreshFamily(c: VaultCommandContext, vaultUrl: string, family: ObjectFamily): Promise<void> {
  const origin = new URL(vaultUrl).origin.toLowerCase();
  try {
    for (const container of await loadedContainers(c.provider.roots_)) {
      if (container.vaultUrl.toLowerCase() !== origin) continue;
      const category = container.categories().find((k) => k.family === family);
      if (category) c.provider.refresh(category);
    }
  } catch (err) {
    c.log.warn(`Could not refresh the ${family} of ${hostOf(vaultUrl)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Key Vault applies delete, recover and purge asynchronously: retry the follow-up until it sticks. */
export async function eventually<T>(attempt: () => Promise<T>, retryOn: (err: unknown) => boolean, signal?: AbortSignal, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 200;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!retryOn(err) || Date.now() > deadline || signal?.aborted) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 2000);
  }
}

/** A modal warning with one destructive action; anything else cancels. */
export async function confirm(c: VaultCommandContext, text: string, detail: string, action: string): Promise<void> {
  const choice = await c.prompts.message({ kind: 'warning', text, detail, modal: true, actions: [action] });
  if (choice !== action) throw new vscode.CancellationError();
}

/** Purge cannot be undone: the user types the name. */
export async function confirmTypedName(c: VaultCommandContext, what: string, name: string, title: string): Promise<void> {
  required(
    await c.prompts.input({
      title,
      prompt: vscode.l10n.t('Purging {0} {1} deletes it permanently; it cannot be recovered. Type its name to confirm.', what, name),
      placeholder: name,
      validate: (v) => (v === name ? undefined : vscode.l10n.t('Type {0} exactly to confirm.', name)),
    }),
  );
}

/** Reads a file the user chose (or a test gave), with a readable error when it cannot be read. */
export async function readUserFile(uri: vscode.Uri): Promise<Uint8Array> {
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch (err) {
    throw new Error(vscode.l10n.t('Could not read {0}: {1}', uri.fsPath || uri.toString(), err instanceof Error ? err.message : String(err)));
  }
}

/** Writes a file the user chose; never logs its content. */
export async function writeUserFile(uri: vscode.Uri, bytes: Uint8Array): Promise<void> {
  try {
    await vscode.workspace.fs.writeFile(uri, bytes);
  } catch (err) {
    throw new Error(vscode.l10n.t('Could not write {0}: {1}', uri.fsPath || uri.toString(), err instanceof Error ? err.message : String(err)));
  }
}

/** `file:///…/name.ext` next to the workspace (or home), as the save dialog's suggestion. */
export function suggestedUri(fileName: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, fileName) : undefined;
}

/** Accepts a Uri or a path string from a command argument (tests, automation). */
export function uriArgument(x: unknown): vscode.Uri | undefined {
  if (x instanceof vscode.Uri) return x;
  if (typeof x === 'string' && x) return /^[a-z][a-z0-9+.-]*:/i.test(x) && !/^[a-z]:[\\/]/i.test(x) ? vscode.Uri.parse(x) : vscode.Uri.file(x);
  if (x && typeof x === 'object' && typeof (x as { scheme?: unknown }).scheme === 'string' && typeof (x as { path?: unknown }).path === 'string') {
    return vscode.Uri.from(x as { scheme: string; path: string });
  }
  return undefined;
}
