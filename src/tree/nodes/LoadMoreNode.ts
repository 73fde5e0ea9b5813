import * as vscode from 'vscode';
import { CommandIds } from '../../commands/commandIds';
import type { TreeNode } from '../TreeNode';

/** Continues a listing from its continuation token when clicked; nothing loads the rest of a big vault silently. */
export class LoadMoreNode implements TreeNode {
  constructor(
    readonly id: string,
    readonly parent: TreeNode & { loadMore(): Promise<void> },
    private readonly loadedCount: number,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = vscode.l10n.t('{0} loaded', this.loadedCount);
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = 'keyvault.loadMore';
    item.command = { command: CommandIds.loadMore, title: vscode.l10n.t('Load more'), arguments: [this] };
    return item;
  }
}
