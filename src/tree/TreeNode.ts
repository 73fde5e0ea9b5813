import type * as vscode from 'vscode';

/**
 * A plain node object: the provider only delegates to it. `id` is stable across refreshes (for Key Vault objects
 * it will be the object's id URL) so VS Code keeps expansion and selection.
 */
export interface TreeNode {
  readonly id: string;
  getTreeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
  getChildren?(): TreeNode[] | Promise<TreeNode[]>;
}
