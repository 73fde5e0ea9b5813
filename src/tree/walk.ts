import { CategoryNode } from './nodes/CategoryNode';
import { ContainerNode } from './nodes/ContainerNode';
import { ObjectNode } from './nodes/ObjectNode';
import { SessionNode, SubscriptionNode } from './nodes/SessionNodes';
import type { TreeNode } from './TreeNode';

/**
 * Loaded containers and objects, without any network call beyond what the tree already shows (a session or
 * subscription node lists its vaults from the session's cache). Find Object, the pickers and refreshAfterMutation
 * use it; nothing here loads a vault's objects behind the user's back.
 */
export async function loadedContainers(roots: readonly TreeNode[]): Promise<ContainerNode[]> {
  const out: ContainerNode[] = [];
  const visit = async (nodes: readonly TreeNode[]): Promise<void> => {
    for (const n of nodes) {
      if (n instanceof ContainerNode) out.push(n);
      else if (n instanceof SessionNode || n instanceof SubscriptionNode) await visit(await n.getChildren());
    }
  };
  await visit(roots);
  return out;
}

export function loadedObjects(containers: readonly ContainerNode[]): ObjectNode[] {
  const out: ObjectNode[] = [];
  for (const c of containers) {
    for (const cat of c.categories()) {
      if (!cat.loader.loaded) continue;
      for (const v of cat.loader.items) out.push(new ObjectNode(v, 'object', cat.session, cat, cat.ctx));
    }
  }
  return out;
}

export function isFilterable(node: TreeNode | undefined): node is ContainerNode | CategoryNode {
  return node instanceof ContainerNode || node instanceof CategoryNode;
}
