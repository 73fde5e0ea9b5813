import * as vscode from 'vscode';
import { isKeyVaultError } from '../../keyvault/errors';
import type { TreeContext } from '../../tree/context';
import type { TreeNode } from '../../tree/TreeNode';
import type { VaultsTreeDataProvider } from '../../tree/VaultsTreeDataProvider';
import { required, type Prompts, type RecentContainers } from '../pickers';
import { refreshAfterMutation, type MutationScope } from '../../tree/refreshAfterMutation';

/** The clipboard as the key commands need it: ClipboardGuard fits (values are cleared after the configured delay). */
export interface KeyClipboard {
  /** Sensitive bytes (random bytes, decrypted plaintext, unwrapped keys): cleared later if still there. */
  copySecret(value: string, what: string): Promise<{ clearsInSeconds: number }>;
  /** Identifiers, public keys, signatures. */
  copyText(text: string): Promise<void>;
}

/** What every key command uses; built once in registerKeyCommands. */
export interface KeyCommandContext {
  readonly tree: TreeContext;
  readonly provider: VaultsTreeDataProvider;
  readonly treeView?: vscode.TreeView<TreeNode>;
  /** Swappable so the extension-host tests can answer prompts. */
  prompts: Prompts;
  readonly recent: RecentContainers;
  readonly clipboard: KeyClipboard;
  readonly log: vscode.LogOutputChannel;
  readonly extensionUri: vscode.Uri;
}

export const hostOf = (url: string): string => new URL(url).host;

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

/** The message of any error, for a webview or an inline validation (userMessage for KeyVaultErrors). */
export function errorText(err: unknown): string {
  if (isKeyVaultError(err)) return err.userMessage;
  return err instanceof Error ? err.message : String(err);
}

/** Long work in a cancellable notification; Cancel aborts the request through the AbortSignal. */
export async function withProgress<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, token) => {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      return await work(controller.signal);
    } catch (err) {
      if (token.isCancellationRequested) throw new vscode.CancellationError();
      throw toUserError(err);
    } finally {
      sub.dispose();
    }
  });
}

/**
 * Reloads what a key command changed, wherever the tree shows that vault or HSM: by default the Keys listing and its
 * Deleted group; `names` also reloads those keys' versions. Never fails the command.
 */
export async function refreshKeys(c: KeyCommandContext, vaultUrl: string, scope: MutationScope = { listing: true, deleted: true }): Promise<void> {
  await refreshAfterMutation(c.provider, vaultUrl, 'keys', scope);
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

/** A modal warning with one action; anything else cancels. */
export async function confirm(c: KeyCommandContext, text: string, detail: string, action: string): Promise<void> {
  const choice = await c.prompts.message({ kind: 'warning', text, detail, modal: true, actions: [action] });
  if (choice !== action) throw new vscode.CancellationError();
}

/** Purge cannot be undone: the user types the name. */
export async function confirmTypedName(c: KeyCommandContext, name: string, title: string): Promise<void> {
  required(
    await c.prompts.input({
      title,
      prompt: vscode.l10n.t('Purging key {0} deletes it and every version permanently; it cannot be recovered. Type its name to confirm.', name),
      placeholder: name,
      validate: (v) => (v === name ? undefined : vscode.l10n.t('Type {0} exactly to confirm.', name)),
    }),
  );
}

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

/** A default folder for save dialogs: the first workspace folder, else the home directory. */
export function defaultSaveUri(fileName: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (folder) return vscode.Uri.joinPath(folder, fileName);
  return vscode.Uri.file(`${process.env.HOME ?? process.env.USERPROFILE ?? '.'}/${fileName}`);
}
