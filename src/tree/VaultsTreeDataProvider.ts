import * as vscode from 'vscode';
import { ErrorNode } from './ErrorNode';
import type { TreeNode } from './TreeNode';

/** Where the top-level nodes come from. Sign-in discovery and vaults added by URL will plug in here. */
export type RootSource = () => TreeNode[] | Promise<TreeNode[]>;

/**
 * The provider for the `keyVaultExplorer.vaults` view. It holds no tree logic: nodes build their own items and
 * children. With no roots it returns [] and VS Code shows the view's welcome content.
 */
export class VaultsTreeDataProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly roots: RootSource,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  getTreeItem(node: TreeNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    return node.getTreeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    try {
      if (node === undefined) return await this.roots();
      return (await node.getChildren?.()) ?? [];
    } catch (err) {
      // Never throw from getChildren: VS Code would show a bare error and drop the branch.
      const message = err instanceof Error ? err.message : String(err);
      this.log.error(`Could not load ${node?.id ?? 'vaults'}: ${message}`);
      return [new ErrorNode(`${node?.id ?? 'root'}/error`, `Could not load: ${message}`)];
    }
  }

  /** Reloads one branch, or everything when no node is given. */
  refresh(node?: TreeNode): void {
    this.changed.fire(node);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
