import * as vscode from 'vscode';
import type { TreeNode } from './TreeNode';

/** Shown in place of children that failed to load, so one failure never empties or breaks the whole tree. */
export class ErrorNode implements TreeNode {
  constructor(
    readonly id: string,
    private readonly message: string,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.message, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    item.tooltip = `${this.message}\nSee "Key Vault: Show Log" for details.`;
    item.contextValue = 'keyvault.error';
    item.command = { command: 'keyVault.showLog', title: 'Show Log' };
    return item;
  }
}
