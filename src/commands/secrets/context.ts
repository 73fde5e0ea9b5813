import * as vscode from 'vscode';
import type { AccountSession } from '../../accounts/types';
import type { ClipboardGuard } from '../../clipboard/clipboardGuard';
import { isKeyVaultError } from '../../keyvault/errors';
import type { TreeContext } from '../../tree/context';
import type { TreeNode } from '../../tree/TreeNode';
import type { VaultsTreeDataProvider } from '../../tree/VaultsTreeDataProvider';
import { loadedContainers } from '../tree/walk';
import type { Prompts, RecentContainers } from '../pickers';

/** What every secret command uses; built once in registerSecretCommands. */
export interface SecretCommandContext {
  readonly tree: TreeContext;
  readonly provider: VaultsTreeDataProvider;
  readonly treeView?: vscode.TreeView<TreeNode>;
  /** Swappable so the extension-host tests can answer prompts. */
  prompts: Prompts;
  readonly recent: RecentContainers;
  readonly clipboard: ClipboardGuard;
  /** Flags only (e.g. "warned about Edit Value"); never a value. */
  readonly globalState: vscode.Memento;
  readonly log: vscode.LogOutputChannel;
}

/** A vault that holds secrets, from a tree node or a picker. */
export interface VaultTarget {
  readonly session: AccountSession;
  readonly url: string;
  readonly name: string;
}

export const vaultHost = (url: string): string => new URL(url).host;

/**
 * Turns a service error into the message users see (message + the REST layer's hint), and an aborted request into
 * a cancellation, which runCommand does not report.
 */
export function toUserError(err: unknown): unknown {
  if (err instanceof vscode.CancellationError) return err;
  if (isKeyVaultError(err)) {
    if (err.kind === 'cancelled') return new vscode.CancellationError();
    return new Error(err.userMessage);
  }
  return err;
}

/**
 * Long work with a cancellable notification; the AbortSignal reaches the service so Cancel stops the request.
 * Cancelling surfaces as vscode.CancellationError.
 */
export async function withProgress<T>(title: string, work: (signal: AbortSignal, progress: vscode.Progress<{ message?: string }>) => Promise<T>): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      return await work(controller.signal, progress);
    } catch (err) {
      if (token.isCancellationRequested) throw new vscode.CancellationError();
      throw err;
    } finally {
      sub.dispose();
    }
  });
}

/**
 * Reloads the secrets of a vault in the tree (the listing and its Deleted group) wherever that vault is loaded.
 * Walks the tree's own nodes by URL, so it works whatever node (or none) the command started from.
 */
export async function refreshSecrets(c: SecretCommandContext, vaultUrl: string): Promise<void> {
  const origin = new URL(vaultUrl).origin.toLowerCase();
  try {
    for (const container of await loadedContainers(c.provider.roots_)) {
      if (container.vaultUrl.toLowerCase() !== origin) continue;
      const category = container.categories().find((k) => k.family === 'secrets');
      if (category) c.provider.refresh(category);
    }
  } catch (err) {
    c.log.warn(`Could not refresh the secrets of ${new URL(vaultUrl).host}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Polls `attempt` until it succeeds or `give up` says stop; Key Vault applies recover/purge/delete asynchronously. */
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
