// Moved to src/tree/walk.ts (refreshAfterMutation needs it, and the tree must not import commands); kept for imports.
export { isFilterable, loadedContainers, loadedObjects } from '../../tree/walk';
