import type { ObjectView } from '../../tree/model/objectView';

/** An action offered for an object when it is opened by identifier or found outside the tree. */
export interface ObjectAction {
  command: string;
  title: string;
  families: ReadonlyArray<ObjectView['family']>;
  /** Hide the action when it cannot apply (e.g. disabled objects, managed secrets). */
  when?(view: ObjectView): boolean;
}

const actions: ObjectAction[] = [];

/** Each family's commands register the actions a user can take on one object (the same ones its context menu shows). */
export function registerObjectAction(action: ObjectAction): void {
  if (!actions.some((a) => a.command === action.command)) actions.push(action);
}

export function actionsFor(view: ObjectView): ObjectAction[] {
  return actions.filter((a) => a.families.includes(view.family) && (a.when?.(view) ?? true));
}
