import * as vscode from 'vscode';
import { CommandIds } from '../commands/commandIds';
import { presentError } from './errors';
import type { TreeNode } from './TreeNode';

/**
 * Shown in place of children that failed to load, so one failure never empties or breaks the whole tree.
 * Clicking it retries (refreshes its parent); the inline actions offer Retry and Learn more.
 */
export class ErrorNode implements TreeNode {
  readonly label: string;
  readonly detail: string;
  readonly learnMore: string | undefined;

  constructor(
    readonly id: string,
    error: unknown,
    what: string,
    readonly parent?: TreeNode,
  ) {
    const p = presentError(error, what);
    this.label = p.label;
    this.detail = p.detail;
    this.learnMore = p.learnMore;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    const tooltip = new vscode.MarkdownString(this.detail.replace(/\r?\n/g, '  \n'));
    tooltip.appendMarkdown(`\n\n${vscode.l10n.t('Click to retry.')}`);
    item.tooltip = tooltip;
    item.description = vscode.l10n.t('Retry');
    item.contextValue = this.learnMore ? 'keyvault.error+learnMore' : 'keyvault.error';
    item.command = { command: CommandIds.retry, title: vscode.l10n.t('Retry'), arguments: [this] };
    return item;
  }
}
