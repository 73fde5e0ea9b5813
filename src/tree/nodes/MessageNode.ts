import * as vscode from 'vscode';
import type { TreeNode } from '../TreeNode';

/** A quiet informational child ("No secrets", "No matches for the filter"), optionally with a command. */
export class MessageNode implements TreeNode {
  constructor(
    readonly id: string,
    private readonly label: string,
    private readonly options: { icon?: string; command?: vscode.Command; tooltip?: string } = {},
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.options.icon ?? 'info');
    item.contextValue = 'keyvault.message';
    if (this.options.command) item.command = this.options.command;
    if (this.options.tooltip) item.tooltip = this.options.tooltip;
    return item;
  }
}
