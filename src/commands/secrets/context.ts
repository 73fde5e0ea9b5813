import * as vscode from 'vscode';
import type { AccountSession } from '../../accounts/types';
import type { ClipboardGuard } from '../../clipboard/clipboardGuard';
import type { TreeContext } from '../../tree/context';
import type { TreeNode } from '../../tree/TreeNode';
import type { VaultsTreeDataProvider } from '../../tree/VaultsTreeDataProvider';
import { withProgress as sharedWithProgress } from '../progress';
import { refreshFamily } from '../refreshFamily';
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

// Shared with the key and certificate commands; re-exported so the secret commands keep their names for them.
export { eventually } from '../eventually';
export { hostOf as vaultHost } from '../vaultNames';
export { toUserError } from '../userErrors';

/**
 * Long work with a cancellable notification; the AbortSignal reaches the service so Cancel stops the request.
 * Cancelling surfaces as vscode.CancellationError; other errors pass on unchanged (callers read the service error).
 */
export function withProgress<T>(title: string, work: (signal: AbortSignal, progress: vscode.Progress<{ message?: string }>) => Promise<T>): Promise<T> {
  return sharedWithProgress(title, work, (err) => err);
}

/** Reloads the secrets of a vault in the tree (the listing and its Deleted group) wherever that vault is loaded. */
export function refreshSecrets(c: SecretCommandContext, vaultUrl: string): Promise<void> {
  return refreshFamily(c, vaultUrl, 'secrets');
}
