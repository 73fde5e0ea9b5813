import * as vscode from 'vscode';
import type { TreeContext } from './context';
import { ErrorNode } from './ErrorNode';
import { SessionNode, sessionChildren } from './nodes/SessionNodes';
import type { TreeNode } from './TreeNode';

/**
 * The provider for the `keyVaultExplorer.vaults` view. It holds no tree logic: nodes build their own items and
 * children. With no sessions and nothing pinned it returns [] and VS Code shows the view's welcome content.
 */
export class VaultsTreeDataProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly refreshedAll = new vscode.EventEmitter<void>();
  /** A full refresh (not a re-render): the expiry watch reports what loads next. */
  readonly onDidRefreshAll = this.refreshedAll.event;
  /** Node objects by id, reused across renders so loaded pages and expansion state survive. */
  private readonly cache = new Map<string, TreeNode>();
  private rootNodes: TreeNode[] = [];
  /** The top level, loading since the last full refresh, for the view's next request. */
  private prefetched: Promise<TreeNode[]> | undefined;
  private rootRequested = false;
  private ctx: TreeContext | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Set once in activate(): the context refers back to this provider for refreshes. */
  attach(ctx: TreeContext): void {
    this.ctx = ctx;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    return node.getTreeItem();
  }

  /** Tooltips that are costly to build are made on hover only. */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    const lazy = node as { resolveTooltip?: () => vscode.MarkdownString | string };
    if (item.tooltip === undefined && lazy.resolveTooltip) item.tooltip = lazy.resolveTooltip();
    return item;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return (node as { parent?: TreeNode }).parent;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    try {
      if (node === undefined) {
        this.rootRequested = true;
        const pending = this.prefetched ?? this.timedRoots();
        this.prefetched = undefined;
        this.rootNodes = await pending;
        return this.rootNodes;
      }
      return (await node.getChildren?.()) ?? [];
    } catch (err) {
      // Never throw from getChildren: VS Code would show a bare error and drop the branch.
      const message = err instanceof Error ? err.message : String(err);
      this.log.error(`Could not load ${node?.id ?? 'vaults'}: ${message}`);
      return [new ErrorNode(`${node?.id ?? 'root'}/error`, err, 'vaults', node)];
    }
  }

  private async timedRoots(): Promise<TreeNode[]> {
    const started = performance.now();
    const nodes = await this.roots();
    // Subscriptions and discovery are cached per session: only a real load takes time, and is worth a line (it
    // answers "why is the tree slow to fill", and `npm run bench` reads it).
    const ms = performance.now() - started;
    if (ms >= 5 && nodes.length > 0) this.log.info(`Vaults: ${nodes.length} top-level items loaded in ${ms.toFixed(0)} ms`);
    return nodes;
  }

  private async roots(): Promise<TreeNode[]> {
    const ctx = this.ctx;
    if (!ctx) return [];
    const sessions = ctx.accounts.sessions();
    if (sessions.length === 0) return [];
    if (sessions.length === 1) return sessionChildren(sessions[0]!, undefined, ctx, this.cache);
    return sessions.map((s) => {
      const node = new SessionNode(s, ctx, this.cache);
      const existing = this.cache.get(node.id);
      if (existing) return existing;
      this.cache.set(node.id, node);
      return node;
    });
  }

  /** Top-level nodes as last rendered (Find Object walks them). */
  get roots_(): readonly TreeNode[] {
    return this.rootNodes;
  }

  /**
   * Reloads one branch (its loaded pages are dropped), or everything when no node is given.
   */
  refresh(node?: TreeNode): void {
    if (node) {
      (node as { reset?: () => void }).reset?.();
    } else {
      this.cache.clear();
      this.ctx?.accounts.invalidate();
      this.refreshedAll.fire();
      // VS Code asks for the top level only after a round trip through the window (a few hundred ms on a busy
      // machine): once the view has been shown, start loading it now. Never for a view nobody opened.
      if (this.rootRequested) {
        this.prefetched = this.timedRoots();
        this.prefetched.catch(() => undefined);
      }
    }
    this.changed.fire(node);
  }

  /** Re-renders without dropping loaded data (filters, load more). */
  rerender(node?: TreeNode): void {
    this.changed.fire(node);
  }

  dispose(): void {
    this.changed.dispose();
    this.refreshedAll.dispose();
  }
}
