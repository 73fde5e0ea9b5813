import * as vscode from 'vscode';
import type { AccountSession } from '../accounts/types';
import { shortDate, type ObjectView } from '../tree/model/objectView';
import { BACK, pickFromPages, required, type Back, type Prompts, type StepInfo } from './pickers';

/**
 * The palette path every object command of secrets, keys and certificates shares: container → object (live or
 * deleted, listed page by page) → version, each step with Back. One loop, so the three families number their steps,
 * go back and report "nothing to pick" the same way; what differs (the service, how an item reads, the words) comes
 * from the family.
 */

/** A vault (or HSM) the object is picked in. */
export interface PickedContainer {
  readonly session: AccountSession;
  readonly url: string;
  readonly name: string;
}

/** The least an object reference carries for these pickers. */
export interface VersionedRef {
  readonly name: string;
  readonly version?: string;
  readonly view?: ObjectView;
  readonly deleted?: boolean;
}

/** A service listing, read page by page so a large vault shows its first page at once. */
interface Pageable<P> {
  byPage(settings: { maxPageSize: number }): AsyncIterable<{ items: P[] }>;
}

/** What a command asks of the resolve: each family's options extend these. */
export interface ResolveObjectOptions {
  /** Palette title, e.g. "Copy Secret Value". */
  title: string;
  /** From the palette: also pick a version (commands about one version). */
  pickVersion?: boolean;
  /** Deleted objects (recover, purge). */
  deleted?: boolean;
}

/** One family's side of resolving an object, built per call (the words depend on the command's options). */
export interface ObjectPickSpec<T extends PickedContainer, R extends VersionedRef, P> {
  /** The object the command argument named, if any: it is used as is once it fits `options.deleted`. */
  readonly argument: R | undefined;
  /** "{name} is not a deleted …", for a live object given to a command about deleted ones. */
  notDeleted(name: string): string;
  /** Set where a deleted object given to a command about live ones is refused here (secrets leave it to the service). */
  stillDeleted?: (name: string) => string;
  /** The container the argument named, which skips the container step. Asked only when no object was given. */
  container(): Promise<T | undefined> | T | undefined;
  /** Asks for the container as step 1 of `totalSteps`. */
  pickContainer(step: StepInfo): Promise<T | Back | undefined>;
  /** The live or deleted listing of the container, as `options.deleted` says. */
  list(target: T): Pageable<P>;
  readonly pageSize: number;
  toView(p: P): ObjectView;
  /** Drops entries the command cannot act on (certificates: only pending ones for CSR, merge, cancel). */
  keep?: (v: ObjectView) => boolean;
  item(view: ObjectView): vscode.QuickPickItem;
  placeholder(target: T): string;
  empty(target: T): string;
  /** The reference to the picked object; may throw when the object does not fit the command. */
  toRef(target: T, view: ObjectView): R;
  /** The version step, for commands about one version. */
  pickVersion(ref: R, request: StepInfo & { title: string }): Promise<R | Back | undefined>;
}

/**
 * The object a command acts on: its argument, else container → object (→ version) pickers with Back; cancelling any
 * step cancels the command.
 */
export async function resolveObject<T extends PickedContainer, R extends VersionedRef, P>(prompts: Prompts, options: ResolveObjectOptions, spec: ObjectPickSpec<T, R, P>): Promise<R> {
  const argument = spec.argument;
  if (argument) {
    if (options.deleted && !argument.deleted) throw new Error(spec.notDeleted(argument.name));
    if (!options.deleted && argument.deleted && spec.stillDeleted) throw new Error(spec.stillDeleted(argument.name));
    return argument;
  }
  const given = await spec.container();
  const steps = options.pickVersion ? 3 : 2;
  // Without a container step, every later step moves up one.
  const shown = given ? steps - 1 : steps;
  let target = given;
  for (;;) {
    target ??= required(await spec.pickContainer({ step: 1, totalSteps: steps }));
    const picked = await pickFromPages(
      prompts,
      { title: options.title, step: given ? 1 : 2, totalSteps: shown, canGoBack: !given, placeholder: spec.placeholder(target), empty: spec.empty(target) },
      viewPages(spec.list(target).byPage({ maxPageSize: spec.pageSize }), (p) => spec.toView(p), spec.keep),
      (v) => spec.item(v),
    );
    if (picked === BACK) {
      target = given;
      continue;
    }
    const ref = spec.toRef(target, required(picked).value);
    if (!options.pickVersion) return ref;
    const version = await spec.pickVersion(ref, { title: options.title, step: shown, totalSteps: shown, canGoBack: true });
    // Back from the version step goes one step back: the object step, in the same container.
    if (version === BACK) continue;
    return required(version);
  }
}

/** A deleted entry reads by its purge date: what is left to decide is recover or purge before then. */
export function withPurgeDate(item: vscode.QuickPickItem, v: ObjectView): vscode.QuickPickItem {
  if (v.deleted?.scheduledPurgeDate) item.description = vscode.l10n.t('purge {0}', shortDate(v.deleted.scheduledPurgeDate));
  return item;
}

/** A listing's pages as views, without the entries `keep` drops. */
async function* viewPages<P>(list: AsyncIterable<{ items: P[] }>, toView: (p: P) => ObjectView, keep?: (v: ObjectView) => boolean): AsyncIterable<ObjectView[]> {
  for await (const page of list) {
    const views = page.items.map(toView);
    yield keep ? views.filter(keep) : views;
  }
}

/** All versions of an object, newest first (the service defines no order). */
export async function newestFirst<P>(versions: AsyncIterable<P>, toView: (p: P) => ObjectView): Promise<ObjectView[]> {
  const out: ObjectView[] = [];
  for await (const p of versions) out.push(toView(p));
  return out.sort((a, b) => (b.createdOn?.getTime() ?? 0) - (a.createdOn?.getTime() ?? 0));
}

/**
 * How a version reads in every family: its id, then created · current · disabled and the family's own notes; the
 * detail line holds the family's dates or thumbprint.
 */
export function versionItem(v: ObjectView, current: boolean, more: { description?: ReadonlyArray<string | undefined>; detail?: ReadonlyArray<string | undefined> } = {}): vscode.QuickPickItem {
  return {
    label: `$(versions) ${v.version ?? ''}`,
    description: [v.createdOn ? shortDate(v.createdOn) : undefined, current ? vscode.l10n.t('current') : undefined, v.enabled ? undefined : vscode.l10n.t('disabled'), ...(more.description ?? [])]
      .filter(Boolean)
      .join(' · '),
    detail: (more.detail ?? []).filter(Boolean).join(' · ') || undefined,
  };
}

/** A version entry; an entry without `view` stands for the object itself (no version pinned). */
export type VersionItem = vscode.QuickPickItem & { view?: ObjectView };

/** The version picker: "Choose a version of {name}"; the pick pins that version on the reference. */
export async function pickVersionOf<R extends VersionedRef>(prompts: Prompts, ref: R, request: StepInfo & { title: string }, items: Promise<VersionItem[]>): Promise<R | Back | undefined> {
  const picked = await prompts.pick<VersionItem>({ ...request, placeholder: vscode.l10n.t('Choose a version of {0}', ref.name), items });
  if (picked === undefined || picked === BACK) return picked;
  if (!picked.view) return ref;
  return { ...ref, version: picked.view.version!, view: picked.view };
}
