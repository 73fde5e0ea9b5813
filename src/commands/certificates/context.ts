import * as vscode from 'vscode';
import type { AccountSession } from '../../accounts/types';
import type { TreeContext } from '../../tree/context';
import type { TreeNode } from '../../tree/TreeNode';
import type { VaultsTreeDataProvider } from '../../tree/VaultsTreeDataProvider';
import { confirmTypedName as confirmTyped } from '../confirm';
import type { Prompts, RecentContainers } from '../pickers';
import { loadedContainers } from '../tree/walk';
import { vaultNameOf } from '../vaultNames';

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

// Shared with the secret and key commands; re-exported so the certificate and storage commands keep importing them from here.
export { confirm } from '../confirm';
export { eventually } from '../eventually';
export { withProgress } from '../progress';
export { refreshFamily } from '../refreshFamily';
export { toUserError, userErrors } from '../userErrors';
export { readUserFile, writeUserFile } from '../userFiles';
export { hostOf, vaultNameOf } from '../vaultNames';

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

/** Purge cannot be undone: the user types the name. */
export function confirmTypedName(c: VaultCommandContext, what: string, name: string, title: string): Promise<void> {
  return confirmTyped(c, name, title, vscode.l10n.t('Purging {0} {1} deletes it permanently; it cannot be recovered. Type its name to confirm.', what, name));
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
