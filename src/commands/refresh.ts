import type * as vscode from 'vscode';
import type { TreeNode } from '../tree/TreeNode';
import type { VaultsTreeDataProvider } from '../tree/VaultsTreeDataProvider';

/** `Key Vault: Refresh`: from the view title (no node) reloads everything; from a node, just that branch. */
export function refresh(vaults: VaultsTreeDataProvider, log: vscode.LogOutputChannel, node?: TreeNode): void {
  log.info(node ? `Refreshing ${node.id}` : 'Refreshing all vaults');
  vaults.refresh(node);
}
