import type { ObjectFamily } from './model/objectView';
import { CategoryNode } from './nodes/CategoryNode';
import { HsmSettingsNode, RoleAssignmentsNode } from './nodes/HsmNodes';
import type { TreeNode } from './TreeNode';
import { loadedContainers } from './walk';

/** What a mutation made stale in one vault's category. */
export interface MutationScope {
  /** The listing changed: created, deleted, recovered, enabled/disabled, tags or dates edited, a new version. */
  listing?: boolean;
  /** The Deleted group changed: deleted, recovered, purged. */
  deleted?: boolean;
  /** Only these objects changed: their versions reload, other expanded objects keep theirs. */
  names?: readonly string[];
}

/** The provider surface this needs (VaultsTreeDataProvider): its last roots, reset-and-reload, re-render. */
export interface RefreshableTree {
  readonly roots_: readonly TreeNode[];
  refresh(node?: TreeNode): void;
  rerender(node?: TreeNode): void;
}

/**
 * After a command changed something in a vault, reloads only that: the family's category in every loaded entry of
 * the vault (another session or a pinned entry may show it too), its Deleted group when it changed, and the versions
 * of the objects named. Categories never expanded are left alone (they load fresh when opened). Never throws: a
 * stale tree must not turn a successful command into a failure. Returns how many nodes were reloaded.
 */
export async function refreshAfterMutation(
  tree: RefreshableTree,
  vaultUrl: string,
  family: ObjectFamily | 'roleAssignments' | 'settings',
  scope: MutationScope = { listing: true, deleted: true },
): Promise<number> {
  let origin: string;
  try {
    origin = new URL(vaultUrl).origin.toLowerCase();
  } catch {
    return 0;
  }
  let count = 0;
  let containers;
  try {
    containers = await loadedContainers(tree.roots_);
  } catch {
    return 0;
  }
  for (const container of containers) {
    if (container.vaultUrl.toLowerCase() !== origin) continue;
    if (family === 'roleAssignments' || family === 'settings') {
      for (const child of container.loadedChildren()) {
        if ((family === 'roleAssignments' && child instanceof RoleAssignmentsNode) || (family === 'settings' && child instanceof HsmSettingsNode)) {
          tree.refresh(child);
          count++;
        }
      }
      continue;
    }
    const category = container.categories().find((c): c is CategoryNode => c instanceof CategoryNode && c.family === family);
    if (!category) continue;
    category.reload(scope);
    if (scope.listing || scope.names?.length) {
      // Re-rendering the category also re-reads its expanded children (the Deleted group, objects' versions).
      tree.rerender(category);
      count++;
    } else if (scope.deleted) {
      tree.rerender(category.deletedGroup);
      count++;
    }
  }
  return count;
}
