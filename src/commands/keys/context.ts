import * as vscode from 'vscode';
import { isKeyVaultError } from '../../keyvault/errors';
import type { TreeContext } from '../../tree/context';
import type { TreeNode } from '../../tree/TreeNode';
import type { VaultsTreeDataProvider } from '../../tree/VaultsTreeDataProvider';
import { confirmTypedName as confirmTyped } from '../confirm';
import type { Prompts, RecentContainers } from '../pickers';
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

// Shared with the secret and certificate commands; re-exported so the key commands keep importing them from here.
export { confirm } from '../confirm';
export { eventually } from '../eventually';
export { withProgress } from '../progress';
export { toUserError } from '../userErrors';
export { readUserFile, writeUserFile } from '../userFiles';
export { hostOf } from '../vaultNames';

/** The message of any error, for a webview or an inline validation (userMessage for KeyVaultErrors). */
export function errorText(err: unknown): string {
  if (isKeyVaultError(err)) return err.userMessage;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Reloads what a key command changed, wherever the tree shows that vault or HSM: by default the Keys listing and its
 * Deleted group; `names` also reloads those keys' versions. Never fails the command.
 */
export async function refreshKeys(c: KeyCommandContext, vaultUrl: string, scope: MutationScope = { listing: true, deleted: true }): Promise<void> {
  await refreshAfterMutation(c.provider, vaultUrl, 'keys', scope);
}

/** Purge cannot be undone: the user types the name. */
export function confirmTypedName(c: KeyCommandContext, name: string, title: string): Promise<void> {
  return confirmTyped(c, name, title, vscode.l10n.t('Purging key {0} deletes it and every version permanently; it cannot be recovered. Type its name to confirm.', name));
}

/** A default folder for save dialogs: the first workspace folder, else the home directory. */
export function defaultSaveUri(fileName: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (folder) return vscode.Uri.joinPath(folder, fileName);
  return vscode.Uri.file(`${process.env.HOME ?? process.env.USERPROFILE ?? '.'}/${fileName}`);
}
