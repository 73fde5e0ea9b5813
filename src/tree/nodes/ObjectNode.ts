import * as vscode from 'vscode';
import type { AccountSession } from '../../accounts/types';
import type { TreeContext } from '../context';
import { enrichInBackground, FAMILIES } from '../families';
import { contextValue, describe, expiryState, tooltipMarkdown, type ObjectFamily, type ObjectView } from '../model/objectView';
import { PagedLoader, firstPage } from '../model/pagedLoader';
import { ErrorNode } from '../ErrorNode';
import type { TreeNode } from '../TreeNode';
import { LoadMoreNode } from './LoadMoreNode';

export type ObjectNodeKind = 'object' | 'version' | 'deleted';

const ICON_COLOR = {
  expired: new vscode.ThemeColor('list.errorForeground'),
  expiring: new vscode.ThemeColor('list.warningForeground'),
  disabled: new vscode.ThemeColor('disabledForeground'),
};

/** Theme icons are values: one per icon and colour, shared by every item (a big category renders thousands). */
const ICONS = new Map<string, vscode.ThemeIcon>();
function themeIcon(id: string, color: keyof typeof ICON_COLOR | undefined): vscode.ThemeIcon {
  const key = color ? `${id}|${color}` : id;
  let icon = ICONS.get(key);
  if (!icon) {
    icon = new vscode.ThemeIcon(id, color ? ICON_COLOR[color] : undefined);
    ICONS.set(key, icon);
  }
  return icon;
}

/**
 * Children of an object node for families without versions, supplied by that family's commands (storage accounts
 * list their SAS definitions). Set at registration; an object with a provider here is expandable.
 */
export const objectChildren: Partial<Record<ObjectFamily, (node: ObjectNode) => Promise<TreeNode[]>>> = {};

/** Azure clouds have a portal; custom endpoints (the emulator, private clouds) do not. */
export const hasPortal = (session: AccountSession): boolean => (session.cloud as AccountSession['cloud'] | undefined)?.id !== undefined && session.cloud.id !== 'Custom';

/** Where an object's versions are kept: its category, so a re-render (filter, Load more) does not reload them. */
interface VersionsHolder {
  versionsOf(node: ObjectNode): PagedLoader<ObjectView>;
}
const holdsVersions = (n: unknown): n is VersionsHolder => typeof (n as Partial<VersionsHolder> | undefined)?.versionsOf === 'function';

/** The id of the vault node a node sits under, when none says so: ContainerNode's default id. */
export const defaultContainerId = (sessionId: string, vaultUrl: string): string => `${sessionId}|${vaultUrl}`;

/**
 * The tree id of an object node: its vault node's id (session and URL: two accounts, or a pinned and a discovered
 * entry, may show one vault) followed by the object's id path — `emulator|https://v…/secrets/db` for the object,
 * `…/secrets/db/<version>` for a version, `…/deletedsecrets/db` for a deleted one.
 */
export function objectNodeId(containerId: string, view: ObjectView, kind: ObjectNodeKind): string {
  if (kind === 'deleted') return `${containerId}/deleted${view.family}/${view.name}`;
  // Ids normally start with their vault URL; parse only when they do not (10,000 nodes must build fast).
  let path: string;
  if (view.id.startsWith(view.vaultUrl)) path = view.id.slice(view.vaultUrl.length);
  else {
    try {
      path = new URL(view.id).pathname;
    } catch {
      path = `/${view.family}/${view.name}${view.version ? `/${view.version}` : ''}`;
    }
  }
  return `${containerId}${kind === 'version' ? path : path.replace(/\/[0-9a-f]{32}$/i, '')}`;
}

/**
 * A key, secret, certificate or storage account (or one of its versions, or a deleted one). Its id is the object's
 * id URL, so expansion survives refreshes. Versions load only when it is expanded.
 */
export class ObjectNode implements TreeNode {
  readonly id: string;
  /** The vault/HSM node's id (see objectNodeId). */
  readonly containerId: string;
  private ownVersions: PagedLoader<ObjectView> | undefined;
  /** Whether Open in Portal applies: fixed for the node, so worked out at its first render only. */
  private portal: boolean | undefined;

  constructor(
    readonly view: ObjectView,
    readonly kind: ObjectNodeKind,
    readonly session: AccountSession,
    readonly parent: TreeNode,
    private readonly ctx: TreeContext,
    /** A version node: whether it is the newest (the one an unversioned id reads). */
    private readonly options: { current?: boolean } = {},
  ) {
    this.containerId = (parent as { containerId?: string } | undefined)?.containerId ?? defaultContainerId(session.id, view.vaultUrl);
    this.id = objectNodeId(this.containerId, view, kind);
  }

  get vaultUrl(): string {
    return this.view.vaultUrl;
  }

  private get expandable(): boolean {
    return this.kind === 'object' && (FAMILIES[this.view.family].hasVersions || objectChildren[this.view.family] !== undefined);
  }

  getTreeItem(): vscode.TreeItem {
    const v = this.view;
    const threshold = this.ctx.config().expiryWarningDays;
    const now = this.ctx.now();
    const label = this.kind === 'version' ? (v.version ?? v.name) : v.name;
    const item = new vscode.TreeItem(label, this.expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    let text: string;
    if (this.kind === 'version') {
      // When it was made, whether it is current, then only what differs from the object (its content type usually not).
      const parentType = (this.parent as { view?: ObjectView }).view?.contentType;
      const own = describe(parentType === v.contentType ? { ...v, contentType: undefined } : v, now, threshold);
      text = [v.createdOn ? v.createdOn.toISOString().replace('T', ' ').slice(0, 16) : undefined, this.options.current ? 'current' : undefined, own].filter(Boolean).join(' · ');
    } else {
      text = describe(v, now, threshold);
    }
    item.description = text;
    // The tooltip is built on hover (resolveTooltip): a category with thousands of items must render fast.
    // +portal: Open in Portal has a page to open (an Azure cloud, a vault object that is not deleted).
    this.portal ??= hasPortal(this.session) && this.kind !== 'deleted' && v.family !== 'storage' && !/\.managedhsm\./i.test(v.vaultUrl);
    item.contextValue = contextValue(v, this.kind) + (this.portal ? '+portal' : '');
    const state = expiryState(v, now, threshold);
    const icon = this.kind === 'deleted' ? 'trash' : this.kind === 'version' ? 'versions' : FAMILIES[v.family].icon;
    item.iconPath = themeIcon(state === 'expired' ? 'warning' : icon, state === 'expired' ? 'expired' : state === 'expiring' ? 'expiring' : !v.enabled ? 'disabled' : undefined);
    item.accessibilityInformation = { label: `${FAMILIES[v.family].singular} ${label}${item.description ? `, ${item.description}` : ''}` };
    return item;
  }

  /** Markdown tooltip, built lazily by the provider's resolveTreeItem when the user hovers. */
  resolveTooltip(): vscode.MarkdownString {
    const tooltip = new vscode.MarkdownString(tooltipMarkdown(this.view, this.ctx.now(), this.ctx.config().expiryWarningDays), true);
    tooltip.isTrusted = false;
    return tooltip;
  }

  /** The loader of this object's versions (its category's, so it survives re-renders). */
  get versions(): PagedLoader<ObjectView> {
    if (holdsVersions(this.parent)) return this.parent.versionsOf(this);
    this.ownVersions ??= versionsLoader(this.session, this.view, this.ctx);
    return this.ownVersions;
  }

  async getChildren(): Promise<TreeNode[]> {
    if (this.kind !== 'object') return [];
    const extra = objectChildren[this.view.family];
    if (extra) return extra(this);
    if (!FAMILIES[this.view.family].listVersions) return [];
    const versions = this.versions;
    await versions.ensureFirstPage();
    if (versions.error !== undefined) return [new ErrorNode(`${this.id}/versions/error`, versions.error, this.view.family, this)];
    enrichInBackground(FAMILIES[this.view.family], this.session.service, versions.items, this.ctx.settings.current.bulkConcurrency, () => this.ctx.refresh(this));
    // Newest first, as the portal shows them.
    const sorted = [...versions.items].sort((a, b) => (b.createdOn?.getTime() ?? 0) - (a.createdOn?.getTime() ?? 0));
    const nodes: TreeNode[] = sorted.map((v, i) => new ObjectNode(v, 'version', this.session, this, this.ctx, { current: i === 0 && !versions.hasMore }));
    if (versions.hasMore) nodes.push(new LoadMoreNode(`${this.id}/versions/more`, this, versions.items.length));
    return nodes;
  }

  async loadMore(): Promise<void> {
    await this.versions.loadMore();
    this.ctx.refresh(this);
  }

  /** Forget loaded versions so the next expansion reads them again. */
  reset(): void {
    this.versions.reset();
  }
}

/** A paged listing of one object's versions. */
export function versionsLoader(session: AccountSession, view: ObjectView, ctx: TreeContext): PagedLoader<ObjectView> {
  const adapter = FAMILIES[view.family];
  return new PagedLoader((token) =>
    adapter.listVersions
      ? firstPage(adapter.listVersions(session.service, view.vaultUrl, view.name, { maxPageSize: ctx.config().pageSize, ...(token ? { continuationToken: token } : {}) }))
      : Promise.resolve({ items: [] }),
  );
}
