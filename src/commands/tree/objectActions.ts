import type { ObjectView } from '../../tree/model/objectView';
import type { ObjectNodeKind } from '../../tree/nodes/ObjectNode';

/** An action offered for an object when it is opened by identifier or found outside the tree. */
export interface ObjectAction {
  command: string;
  title: string;
  families: ReadonlyArray<ObjectView['family']>;
  /** Which nodes it applies to; default an object or one of its versions (not a deleted one). */
  kinds?: ReadonlyArray<ObjectNodeKind>;
  /** Hide the action when it cannot apply (e.g. disabled objects, managed secrets). */
  when?(view: ObjectView): boolean;
}

const actions: ObjectAction[] = [];
const DEFAULT_KINDS: readonly ObjectNodeKind[] = ['object', 'version'];

/**
 * Each family's commands register the actions a user can take on one object (the same ones its context menu shows);
 * deleted objects' actions (recover, purge) say `kinds: ['deleted']`. The command receives an ObjectNode.
 */
export function registerObjectAction(action: ObjectAction): void {
  if (!actions.some((a) => a.command === action.command)) actions.push(action);
}

export function actionsFor(view: ObjectView, kind: ObjectNodeKind = 'object'): ObjectAction[] {
  return actions.filter((a) => a.families.includes(view.family) && (a.kinds ?? DEFAULT_KINDS).includes(kind) && (a.when?.(view) ?? true));
}
