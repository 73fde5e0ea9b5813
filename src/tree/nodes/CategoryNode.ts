import * as vscode from 'vscode';
import type { AccountSession } from '../../accounts/types';
import type { TreeContext } from '../context';
import { ErrorNode } from '../ErrorNode';
import { enrichInBackground, type FamilyAdapter } from '../families';
import { compileFilter, describeFilter, isEmptyFilter } from '../model/filter';
import type { ObjectView } from '../model/objectView';
import { PagedLoader, firstPage } from '../model/pagedLoader';
import type { TreeNode } from '../TreeNode';
import { LoadMoreNode } from './LoadMoreNode';
import { MessageNode } from './MessageNode';
import { ObjectNode, versionsLoader } from './ObjectNode';

/**
 * Keys / Secrets / Certificates / Storage accounts of one vault or HSM. Page one appears after one round trip;
 * "Load more…" continues; the filter applies to what is loaded and shows in the description.
 */
export class CategoryNode implements TreeNode {
  readonly id: string;
  readonly loader: PagedLoader<ObjectView>;
  readonly deletedGroup: DeletedGroupNode;
  /** The object nodes of the last render, by view: what VS Code holds, so they can be re-rendered one by one. */
  private rendered = new WeakMap<ObjectView, ObjectNode>();
  /** Versions of expanded objects, by object name (lower case): kept across re-renders, dropped on reload. */
  private readonly versions = new Map<string, PagedLoader<ObjectView>>();

  constructor(
    readonly adapter: FamilyAdapter,
    readonly vaultUrl: string,
    readonly session: AccountSession,
    readonly parent: TreeNode,
    readonly ctx: TreeContext,
    /** The vault/HSM node's id: every node below is scoped by it. */
    readonly containerId: string,
  ) {
    // Scoped by the container's id (session + URL): two accounts may reach the same vault.
    this.id = `${containerId}/${adapter.family}`;
    this.loader = new PagedLoader((token) => firstPage(adapter.list(session.service, vaultUrl, { maxPageSize: ctx.config().pageSize, ...(token ? { continuationToken: token } : {}) })));
    this.deletedGroup = new DeletedGroupNode(adapter, vaultUrl, session, this, ctx, containerId);
  }

  get family(): FamilyAdapter['family'] {
    return this.adapter.family;
  }

  /** Own filter, else the vault's. */
  get filter() {
    return this.ctx.filters.get(this.id) ?? this.ctx.filters.get(this.containerId);
  }

  /** "25+ loaded · filter: …": what is loaded, and the filter in force. */
  private description(): string {
    const parts: string[] = [];
    if (this.loader.loaded) parts.push(this.loader.hasMore ? vscode.l10n.t('{0}+ loaded', this.loader.items.length) : String(this.loader.items.length));
    const filter = this.filter;
    if (!isEmptyFilter(filter)) parts.push(vscode.l10n.t('filter: {0}', describeFilter(filter!)));
    return parts.join(' · ');
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.adapter.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.adapter.icon);
    item.description = this.description();
    item.contextValue = `keyvault.category+${this.adapter.family}${this.ctx.filters.has(this.id) ? '+filtered' : ''}`;
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    await this.loader.ensureFirstPage();
    if (this.loader.error !== undefined) return [new ErrorNode(`${this.id}/error`, this.loader.error, this.adapter.family, this)];
    this.ctx.observe?.(this.loader.items);
    // Re-render only the objects whose details arrived (not the category: a refresh of it while the user expands one
    // of its objects would leave that object expanded but empty).
    enrichInBackground(this.adapter, this.session.service, this.loader.items, this.ctx.settings.current.bulkConcurrency, (changed) => {
      for (const v of changed) {
        const node = this.rendered.get(v);
        if (node) this.ctx.refresh(node);
      }
    });
    const filter = this.filter;
    const threshold = this.ctx.config().expiryWarningDays;
    const matches = isEmptyFilter(filter) ? () => true : compileFilter(filter!, threshold, this.ctx.now());
    const nodes: TreeNode[] = [];
    this.rendered = new WeakMap();
    for (const v of this.loader.items) {
      if (!matches(v)) continue;
      const node = new ObjectNode(v, 'object', this.session, this, this.ctx);
      this.rendered.set(v, node);
      nodes.push(node);
    }
    if (nodes.length === 0) {
      nodes.push(
        new MessageNode(
          `${this.id}/empty`,
          this.loader.items.length === 0 ? vscode.l10n.t('No {0}', this.adapter.label.toLowerCase()) : vscode.l10n.t('No loaded {0} match the filter', this.adapter.label.toLowerCase()),
        ),
      );
    }
    if (this.loader.hasMore) nodes.push(new LoadMoreNode(`${this.id}/more`, this, this.loader.items.length));
    nodes.push(this.deletedGroup);
    return nodes;
  }

  async loadMore(): Promise<void> {
    await this.loader.loadMore();
    this.ctx.refresh(this);
  }

  /** ObjectNode asks here for its versions loader, so versions survive this category's re-renders. */
  versionsOf(node: ObjectNode): PagedLoader<ObjectView> {
    const key = node.view.name.toLowerCase();
    let loader = this.versions.get(key);
    if (!loader) {
      loader = versionsLoader(this.session, node.view, this.ctx);
      this.versions.set(key, loader);
    }
    return loader;
  }

  /**
   * Drops what a change made stale: the listing (and, when `names` is given, only those objects' versions; other
   * expanded objects keep theirs), and/or the Deleted group. The caller re-renders (see refreshAfterMutation).
   */
  reload(what: { listing?: boolean; deleted?: boolean; names?: readonly string[] }): void {
    if (what.listing) {
      this.loader.reset();
      if (what.names) for (const n of what.names) this.versions.delete(n.toLowerCase());
      else this.versions.clear();
    } else if (what.names) {
      for (const n of what.names) this.versions.delete(n.toLowerCase());
    }
    if (what.deleted) this.deletedGroup.reset();
  }

  reset(): void {
    this.loader.reset();
    this.versions.clear();
    this.deletedGroup.reset();
  }
}

/** "Deleted" inside a category: soft-deleted objects, listed only when expanded (listing may be forbidden). */
export class DeletedGroupNode implements TreeNode {
  readonly id: string;
  readonly loader: PagedLoader<ObjectView>;

  constructor(
    readonly adapter: FamilyAdapter,
    readonly vaultUrl: string,
    readonly session: AccountSession,
    readonly parent: TreeNode,
    private readonly ctx: TreeContext,
    readonly containerId: string,
  ) {
    this.id = `${containerId}/deleted${adapter.family}`;
    this.loader = new PagedLoader((token) => firstPage(adapter.listDeleted(session.service, vaultUrl, { maxPageSize: ctx.config().pageSize, ...(token ? { continuationToken: token } : {}) })));
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Deleted'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('trash');
    item.description = this.description();
    item.contextValue = `keyvault.deletedGroup+${this.adapter.family}`;
    item.tooltip = vscode.l10n.t('Soft-deleted {0}: recover or purge them until their scheduled purge date.', this.adapter.label.toLowerCase());
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    await this.loader.ensureFirstPage();
    if (this.loader.error !== undefined) return [new ErrorNode(`${this.id}/error`, this.loader.error, this.adapter.family, this)];
    const nodes: TreeNode[] = this.loader.items.map((v) => new ObjectNode(v, 'deleted', this.session, this, this.ctx));
    if (nodes.length === 0) nodes.push(new MessageNode(`${this.id}/empty`, vscode.l10n.t('No deleted {0}', this.adapter.label.toLowerCase())));
    if (this.loader.hasMore) nodes.push(new LoadMoreNode(`${this.id}/more`, this, this.loader.items.length));
    return nodes;
  }

  private description(): string {
    return this.loader.loaded ? (this.loader.hasMore ? `${this.loader.items.length}+` : String(this.loader.items.length)) : '';
  }

  async loadMore(): Promise<void> {
    await this.loader.loadMore();
    this.ctx.refresh(this);
  }

  reset(): void {
    this.loader.reset();
  }
}

