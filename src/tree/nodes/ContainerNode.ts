import * as vscode from 'vscode';
import type { AccountSession, PinnedContainer } from '../../accounts/types';
import type { DiscoveredContainer } from '../../azure/discovery';
import type { TreeContext } from '../context';
import { FAMILIES } from '../families';
import { describeFilter, isEmptyFilter } from '../model/filter';
import { codeSpan } from '../model/objectView';
import type { TreeNode } from '../TreeNode';
import { CategoryNode } from './CategoryNode';
import { HsmSettingsNode, RoleAssignmentsNode } from './HsmNodes';
import { defaultContainerId, hasPortal } from './ObjectNode';

export interface ContainerRef {
  kind: 'vault' | 'hsm';
  name: string;
  /** Origin of the data plane. */
  url: string;
  discovered?: DiscoveredContainer;
  pinned?: PinnedContainer;
}

/** A vault or Managed HSM. Children are its categories; they keep their loaded pages until refreshed. */
export class ContainerNode implements TreeNode {
  readonly id: string;
  private children: TreeNode[] | undefined;

  constructor(
    readonly ref: ContainerRef,
    readonly session: AccountSession,
    readonly parent: TreeNode | undefined,
    private readonly ctx: TreeContext,
    /** Tells apart two entries of one vault in one session (pinned, and in its subscription). */
    scope?: string,
  ) {
    // The same vault may be reachable through two sessions; the session keeps their ids apart. Every node below
    // is scoped by this id.
    this.id = scope ? `${session.id}|${scope}|${ref.url}` : defaultContainerId(session.id, ref.url);
  }

  get containerId(): string {
    return this.id;
  }

  get vaultUrl(): string {
    return this.ref.url;
  }

  getTreeItem(): vscode.TreeItem {
    const r = this.ref;
    const item = new vscode.TreeItem(r.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(r.kind === 'hsm' ? 'shield' : 'lock');
    const parts: string[] = [];
    if (r.kind === 'hsm') parts.push('Managed HSM');
    if (r.pinned) parts.push(vscode.l10n.t('pinned'));
    if (r.discovered?.location) parts.push(r.discovered.location);
    const filter = this.ctx.filters.get(this.id);
    if (!isEmptyFilter(filter)) parts.push(vscode.l10n.t('filter: {0}', describeFilter(filter!)));
    item.description = parts.join(' · ');
    // The same two-column table as objects' tooltips; values in code spans, so nothing in them is markdown.
    const rows: [string, string][] = [[vscode.l10n.t('URL'), codeSpan(r.url)]];
    if (r.discovered) {
      rows.push([vscode.l10n.t('Subscription'), codeSpan(r.discovered.subscriptionId)], [vscode.l10n.t('Resource group'), codeSpan(r.discovered.resourceGroup)]);
      if (r.discovered.location) rows.push([vscode.l10n.t('Location'), codeSpan(r.discovered.location)]);
      if (r.discovered.rbacAuthorization !== undefined) rows.push([vscode.l10n.t('Permission model'), r.discovered.rbacAuthorization ? 'Azure RBAC' : vscode.l10n.t('access policies')]);
      if (r.discovered.sku) rows.push([vscode.l10n.t('SKU'), codeSpan(r.discovered.sku)]);
    }
    if (r.pinned) rows.push([vscode.l10n.t('Pinned'), vscode.l10n.t('yes (added by URL)')]);
    rows.push([vscode.l10n.t('Account'), codeSpan(this.session.label)]);
    if (!isEmptyFilter(filter)) rows.push([vscode.l10n.t('Filter'), codeSpan(describeFilter(filter!))]);
    const md = new vscode.MarkdownString(`**${r.name.replace(/[\\`*_[\]<>]/g, '\\$&')}** · ${r.kind === 'hsm' ? 'Managed HSM' : 'Key Vault'}\n\n| | |\n|---|---|\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}`);
    item.tooltip = md;
    const flags = [r.kind === 'hsm' ? 'keyvault.hsm' : 'keyvault.vault'];
    if (r.pinned) flags.push('pinned');
    if (r.discovered) flags.push('discovered');
    if (r.discovered && hasPortal(this.session)) flags.push('portal');
    if (this.ctx.filters.has(this.id)) flags.push('filtered');
    item.contextValue = flags.join('+');
    return item;
  }

  getChildren(): TreeNode[] {
    this.children ??=
      this.ref.kind === 'hsm'
        ? [new CategoryNode(FAMILIES.keys, this.ref.url, this.session, this, this.ctx, this.id), new RoleAssignmentsNode(this.ref.url, this.session, this), new HsmSettingsNode(this.ref.url, this.session, this, this.ctx)]
        : [FAMILIES.keys, FAMILIES.secrets, FAMILIES.certificates, FAMILIES.storage].map((f) => new CategoryNode(f, this.ref.url, this.session, this, this.ctx, this.id));
    return this.children;
  }

  /** Children already created, without creating them (refreshAfterMutation). */
  loadedChildren(): readonly TreeNode[] {
    return this.children ?? [];
  }

  /** Categories already created (for refresh-after-mutation and Find Object). */
  categories(): CategoryNode[] {
    return (this.children ?? []).filter((c): c is CategoryNode => c instanceof CategoryNode);
  }

  category(family: CategoryNode['family']): CategoryNode | undefined {
    return (this.getChildren() as TreeNode[]).find((c): c is CategoryNode => c instanceof CategoryNode && c.family === family);
  }

  reset(): void {
    this.children = undefined;
  }
}
