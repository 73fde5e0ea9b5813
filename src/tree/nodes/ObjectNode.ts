import * as vscode from 'vscode';
import type { AccountSession } from '../../accounts/types';
import type { TreeContext } from '../context';
import { FAMILIES } from '../families';
import { contextValue, describe, expiryState, tooltipMarkdown, type ObjectView } from '../model/objectView';
import { PagedLoader, firstPage } from '../model/pagedLoader';
import { ErrorNode } from '../ErrorNode';
import type { TreeNode } from '../TreeNode';
import { LoadMoreNode } from './LoadMoreNode';

export type ObjectNodeKind = 'object' | 'version' | 'deleted';

/** Children other than versions (storage accounts list their SAS definitions); set by that family's commands. */
export const objectChildren: Partial<Record<ObjectView['family'], (node: ObjectNode) => Promise<TreeNode[]>>> = {};

const ICON_COLOR = {
  expired: new vscode.ThemeColor('list.errorForeground'),
  expiring: new vscode.ThemeColor('list.warningForeground'),
  disabled: new vscode.ThemeColor('disabledForeground'),
};

/**
 * A key, secret, certificate or storage account (or one of its versions, or a deleted one). Its id is the object's
 * id URL, so expansion survives refreshes. Versions load only when it is expanded.
 */
export class ObjectNode implements TreeNode {
  readonly id: string;
  private versions: PagedLoader<ObjectView> | undefined;

  constructor(
    readonly view: ObjectView,
    readonly kind: ObjectNodeKind,
    readonly session: AccountSession,
    readonly parent: TreeNode,
    private readonly ctx: TreeContext,
  ) {
    this.id = kind === 'deleted' ? `${view.vaultUrl}/deleted${view.family}/${view.name}` : kind === 'version' ? `${view.id}#version` : view.id.replace(/\/[0-9a-f]{32}$/i, '');
  }

  get vaultUrl(): string {
    return this.view.vaultUrl;
  }

  getTreeItem(): vscode.TreeItem {
    const v = this.view;
    const threshold = this.ctx.config().expiryWarningDays;
    const now = this.ctx.now();
    const expandable = this.kind === 'object' && (FAMILIES[v.family].hasVersions || objectChildren[v.family] !== undefined);
    const label = this.kind === 'version' ? (v.version ?? v.name) : v.name;
    const item = new vscode.TreeItem(label, expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const text = describe(v, now, threshold);
    item.description = this.kind === 'version' && v.createdOn ? [v.createdOn.toISOString().slice(0, 10), text].filter(Boolean).join(' · ') : text;
    // The tooltip is built on hover (resolveTooltip): a category with thousands of items must render fast.
    item.contextValue = contextValue(v, this.kind);
    const state = text ? expiryState(v, now, threshold) : 'ok';
    const icon = this.kind === 'deleted' ? 'trash' : this.kind === 'version' ? 'versions' : FAMILIES[v.family].icon;
    item.iconPath = new vscode.ThemeIcon(
      state === 'expired' ? 'warning' : icon,
      state === 'expired' ? ICON_COLOR.expired : state === 'expiring' ? ICON_COLOR.expiring : !v.enabled ? ICON_COLOR.disabled : undefined,
    );
    item.accessibilityInformation = { label: `${FAMILIES[v.family].singular} ${label}${text ? `, ${text}` : ''}` };
    return item;
  }

  /** Markdown tooltip, built lazily by the provider's resolveTreeItem when the user hovers. */
  resolveTooltip(): vscode.MarkdownString {
    const tooltip = new vscode.MarkdownString(tooltipMarkdown(this.view, this.ctx.now(), this.ctx.config().expiryWarningDays), true);
    tooltip.isTrusted = false;
    return tooltip;
  }

  async getChildren(): Promise<TreeNode[]> {
    const adapter = FAMILIES[this.view.family];
    const extra = objectChildren[this.view.family];
    if (this.kind === 'object' && extra && !adapter.listVersions) return extra(this);
    if (this.kind !== 'object' || !adapter.listVersions) return [];
    const pageSize = this.ctx.config().pageSize;
    this.versions ??= new PagedLoader((token) =>
      firstPage(adapter.listVersions!(this.session.service, this.view.vaultUrl, this.view.name, { maxPageSize: pageSize, ...(token ? { continuationToken: token } : {}) })),
    );
    await this.versions.ensureFirstPage();
    if (this.versions.error !== undefined) return [new ErrorNode(`${this.id}/versions/error`, this.versions.error, adapter.family, this)];
    // Newest first, as the portal shows them.
    const sorted = [...this.versions.items].sort((a, b) => (b.createdOn?.getTime() ?? 0) - (a.createdOn?.getTime() ?? 0));
    const nodes: TreeNode[] = sorted.map((v) => new ObjectNode(v, 'version', this.session, this, this.ctx));
    if (this.versions.hasMore) nodes.push(new LoadMoreNode(`${this.id}/versions/more`, this, this.versions.items.length));
    return nodes;
  }

  async loadMore(): Promise<void> {
    await this.versions?.loadMore();
    this.ctx.refresh(this);
  }

  /** Forget loaded versions so the next expansion reads them again. */
  reset(): void {
    this.versions?.reset();
  }
}
