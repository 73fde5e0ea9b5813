import type { TreeContext } from '../context';
import type { TreeNode } from '../TreeNode';

/**
 * A node's description counts what its children loaded, but VS Code asks for the item before the children: once they
 * have loaded, re-render the node if its description changed (once: the next render shows the same text).
 */
export function redescribe(node: TreeNode, shown: { text: string }, now: string, ctx: Pick<TreeContext, 'refresh'>): void {
  if (now === shown.text) return;
  shown.text = now;
  setTimeout(() => ctx.refresh(node), 0);
}
