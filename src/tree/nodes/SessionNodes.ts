import * as vscode from 'vscode';
import type { AccountSession } from '../../accounts/types';
import type { DiscoveredContainer, Subscription } from '../../azure/discovery';
import type { TreeContext } from '../context';
import { ErrorNode } from '../ErrorNode';
import type { TreeNode } from '../TreeNode';
import { ContainerNode, type ContainerRef } from './ContainerNode';
import { MessageNode } from './MessageNode';

/**
 * The containers one session reaches: discovered through ARM (grouped by subscription or flat, per setting) plus
 * the ones pinned by URL. Shared by the session node and the root when only one session exists.
 */
export async function sessionChildren(session: AccountSession, parent: TreeNode | undefined, ctx: TreeContext, cache: Map<string, TreeNode>): Promise<TreeNode[]> {
  const nodes: TreeNode[] = [];
  const pinned = ctx.accounts.pinned().filter((p) => ctx.accounts.sessionFor(p.url)?.id === session.id);
  const reuse = <T extends TreeNode>(node: T): T => {
    // Keep node objects (and their loaded pages) across re-renders; a refresh resets them explicitly.
    const existing = cache.get(node.id) as T | undefined;
    if (existing) return existing;
    cache.set(node.id, node);
    return node;
  };
  let subscriptions: Subscription[] = [];
  let armError: unknown;
  if (session.arm) {
    try {
      subscriptions = await session.listSubscriptions();
      const selected = session.selectedSubscriptionIds();
      if (selected) subscriptions = subscriptions.filter((s) => selected.includes(s.subscriptionId));
    } catch (err) {
      armError = err;
    }
  }
  const pinnedByUrl = new Map(pinned.map((p) => [p.url.toLowerCase(), p]));
  const grouped = ctx.config().groupBySubscription && subscriptions.length > 0;
  if (grouped) {
    for (const s of subscriptions) nodes.push(reuse(new SubscriptionNode(s, session, parent, ctx, cache)));
  } else if (subscriptions.length > 0) {
    try {
      const result = await session.discover(subscriptions.map((s) => s.subscriptionId));
      for (const c of result.containers) {
        // A pinned vault that discovery also finds shows once, with both its pin and its Azure resource.
        const pin = pinnedByUrl.get(c.url.toLowerCase());
        pinnedByUrl.delete(c.url.toLowerCase());
        nodes.push(reuse(new ContainerNode({ ...refOf(c), ...(pin ? { pinned: pin } : {}) }, session, parent, ctx)));
      }
      for (const f of result.failures) nodes.push(new ErrorNode(`${session.id}/sub/${f.subscriptionId}/error`, new Error(f.message), 'vaults', parent));
    } catch (err) {
      nodes.push(new ErrorNode(`${session.id}/discovery/error`, err, 'vaults', parent));
    }
  }
  // Grouped by subscription, a pinned vault may also sit in its subscription: its pinned entry gets its own id.
  for (const p of pinnedByUrl.values()) nodes.push(reuse(new ContainerNode({ kind: p.kind, name: p.name, url: p.url, pinned: p }, session, parent, ctx, grouped ? 'pinned' : undefined)));
  if (armError !== undefined) nodes.push(new ErrorNode(`${session.id}/subscriptions/error`, armError, 'vaults', parent));
  // One session that sees no subscription and has nothing pinned: an empty tree lets the "no subscriptions"
  // welcome explain why and offer the ways out.
  if (nodes.length === 0 && parent === undefined && subscriptions.length === 0) return [];
  if (nodes.length === 0) {
    nodes.push(
      new MessageNode(`${session.id}/none`, vscode.l10n.t('No vaults found. Add one by URL…'), {
        icon: 'add',
        command: { command: 'keyVault.addVaultByUrl', title: vscode.l10n.t('Add Vault or HSM by URL…') },
      }),
    );
  }
  return nodes;
}

export function refOf(c: DiscoveredContainer): ContainerRef {
  return { kind: c.kind, name: c.name, url: c.url, discovered: c };
}

/** One account (or credential) in one cloud; shown only when several sessions exist. */
export class SessionNode implements TreeNode {
  readonly id: string;
  readonly parent = undefined;
  constructor(
    readonly session: AccountSession,
    private readonly ctx: TreeContext,
    private readonly cache: Map<string, TreeNode>,
  ) {
    this.id = `session:${session.id}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.session.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = this.session.cloud.displayName;
    item.iconPath = new vscode.ThemeIcon(this.session.id === 'emulator' ? 'beaker' : 'account');
    item.contextValue = `keyvault.session+${this.session.id.split(':')[0]}`;
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    return sessionChildren(this.session, this, this.ctx, this.cache);
  }
}

export class SubscriptionNode implements TreeNode {
  readonly id: string;
  constructor(
    readonly subscription: Subscription,
    readonly session: AccountSession,
    readonly parent: TreeNode | undefined,
    private readonly ctx: TreeContext,
    private readonly cache: Map<string, TreeNode>,
  ) {
    this.id = `${session.id}|subscription:${subscription.subscriptionId}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.subscription.displayName, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = this.subscription.subscriptionId;
    item.iconPath = new vscode.ThemeIcon('key');
    item.contextValue = 'keyvault.subscription';
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    try {
      const result = await this.session.discover([this.subscription.subscriptionId]);
      if (result.failures.length) return result.failures.map((f) => new ErrorNode(`${this.id}/error`, new Error(f.message), 'vaults', this));
      if (result.containers.length === 0) return [new MessageNode(`${this.id}/empty`, vscode.l10n.t('No vaults or HSMs in this subscription'))];
      return result.containers.map((c) => {
        const node = new ContainerNode(refOf(c), this.session, this, this.ctx);
        const existing = this.cache.get(node.id);
        if (existing) return existing;
        this.cache.set(node.id, node);
        return node;
      });
    } catch (err) {
      return [new ErrorNode(`${this.id}/error`, err, 'vaults', this)];
    }
  }
}
