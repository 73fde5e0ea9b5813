import * as vscode from 'vscode';
import type { AccountSession } from '../../accounts/types';
import type { DeletedSasDefinition, SasDefinition } from '../../keyvault/models/storage';
import { ErrorNode } from '../../tree/ErrorNode';
import { shortDate } from '../../tree/model/objectView';
import { MessageNode } from '../../tree/nodes/MessageNode';
import { objectChildren, type ObjectNode } from '../../tree/nodes/ObjectNode';
import type { TreeNode } from '../../tree/TreeNode';
import { describeSas, sasTooltipRows } from './sasInput';

/** How many SAS definitions a storage account node lists; accounts hold a handful, Key Vault pages by 25. */
const MAX_LISTED = 200;

async function collect<T>(list: AsyncIterable<T>, max = MAX_LISTED): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  for await (const item of list) {
    if (items.length >= max) return { items, truncated: true };
    items.push(item);
  }
  return { items, truncated: false };
}

const escapeMd = (s: string): string => s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');

/**
 * A SAS definition under its storage account (or a deleted one under "Deleted"). Shows name, type and token lifetime;
 * never the template's signature or a token.
 */
export class SasDefinitionNode implements TreeNode {
  readonly id: string;

  constructor(
    readonly sas: SasDefinition | DeletedSasDefinition,
    readonly deleted: boolean,
    readonly session: AccountSession,
    readonly parent: TreeNode,
  ) {
    // Under its parent's id: the same vault may show twice (two accounts, or pinned and discovered).
    this.id = `${parent.id}/${deleted ? '' : 'sas/'}${sas.name}`;
  }

  get vaultUrl(): string {
    return this.sas.vaultUrl;
  }

  getTreeItem(): vscode.TreeItem {
    const s = this.sas;
    const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const parts = [s.attributes.enabled ? undefined : vscode.l10n.t('disabled'), describeSas(s)];
    const purge = (s as DeletedSasDefinition).scheduledPurgeDate;
    if (this.deleted && purge) parts.push(vscode.l10n.t('purge {0}', shortDate(purge)));
    item.description = parts.filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(this.deleted ? 'trash' : 'link', s.attributes.enabled ? undefined : new vscode.ThemeColor('disabledForeground'));
    item.contextValue = `${this.deleted ? 'keyvault.sasDefinitionDeleted' : 'keyvault.sasDefinition'}+${s.attributes.enabled ? 'enabled' : 'disabled'}`;
    item.accessibilityInformation = { label: vscode.l10n.t('SAS definition {0}, {1}', s.name, item.description) };
    return item;
  }

  resolveTooltip(): vscode.MarkdownString {
    const md = new vscode.MarkdownString(`**${escapeMd(this.sas.name)}** · ${vscode.l10n.t('SAS definition')}\n\n| | |\n|---|---|\n${sasTooltipRows(this.sas).map(([k, v]) => `| ${k} | ${escapeMd(v)} |`).join('\n')}`);
    md.isTrusted = false;
    return md;
  }
}

/** "Deleted" under a storage account: its soft-deleted SAS definitions, listed when expanded. */
export class DeletedSasGroupNode implements TreeNode {
  readonly id: string;

  constructor(
    readonly account: ObjectNode,
  ) {
    this.id = `${account.id}/deletedsas`;
  }

  get parent(): TreeNode {
    return this.account;
  }

  getTreeItem(): vscode.TreeItem {
    // Named in full: it sits right above the Storage accounts' own Deleted group.
    const item = new vscode.TreeItem(vscode.l10n.t('Deleted SAS definitions'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('trash');
    item.contextValue = 'keyvault.sasDeletedGroup';
    item.tooltip = vscode.l10n.t('Soft-deleted SAS definitions of {0}: recover them until their scheduled purge date.', this.account.view.name);
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    const v = this.account.view;
    try {
      const { items, truncated } = await collect(this.account.session.service.storage.listDeletedSasDefinitions(v.vaultUrl, v.name));
      const nodes: TreeNode[] = items.map((s) => new SasDefinitionNode(s, true, this.account.session, this));
      if (nodes.length === 0) nodes.push(new MessageNode(`${this.id}/empty`, vscode.l10n.t('No deleted SAS definitions')));
      if (truncated) nodes.push(new MessageNode(`${this.id}/more`, vscode.l10n.t('Showing the first {0}', MAX_LISTED)));
      return nodes;
    } catch (err) {
      return [new ErrorNode(`${this.id}/error`, err, 'storage', this)];
    }
  }
}

/** Listings omit the SAS type and token lifetime; accounts hold a handful of definitions, so read those details. */
const DETAILED = 25;

async function withDetails(account: ObjectNode, items: SasDefinition[]): Promise<SasDefinition[]> {
  if (items.length > DETAILED) return items;
  const s = account.session.service.storage;
  // A definition that cannot be read (permissions, just deleted) still shows from its list entry.
  return Promise.all(items.map((i) => s.getSasDefinition(i.vaultUrl, i.accountName, i.name).catch(() => i)));
}

/** A storage account's children: its SAS definitions, then its Deleted group. */
export async function storageAccountChildren(account: ObjectNode): Promise<TreeNode[]> {
  const v = account.view;
  let listed: { items: SasDefinition[]; truncated: boolean };
  try {
    listed = await collect(account.session.service.storage.listSasDefinitions(v.vaultUrl, v.name));
    listed = { ...listed, items: await withDetails(account, listed.items) };
  } catch (err) {
    return [new ErrorNode(`${account.id}/sas/error`, err, 'storage', account)];
  }
  const nodes: TreeNode[] = listed.items.map((s) => new SasDefinitionNode(s, false, account.session, account));
  if (nodes.length === 0) nodes.push(new MessageNode(`${account.id}/sas/empty`, vscode.l10n.t('No SAS definitions')));
  if (listed.truncated) nodes.push(new MessageNode(`${account.id}/sas/more`, vscode.l10n.t('Showing the first {0}', MAX_LISTED)));
  nodes.push(new DeletedSasGroupNode(account));
  return nodes;
}

/** Makes storage account nodes expandable (ObjectNode's hook); returns the undo for tests and deactivation. */
export function registerSasChildren(): vscode.Disposable {
  objectChildren.storage = storageAccountChildren;
  return new vscode.Disposable(() => {
    if (objectChildren.storage === storageAccountChildren) delete objectChildren.storage;
  });
}
