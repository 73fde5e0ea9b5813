import * as vscode from 'vscode';
import type { AccountSession, AccountsModel } from '../accounts/types';

/*
 * Shared prompts for every family's commands: one seam (Prompts) for input boxes, quick picks, messages and file
 * dialogs, a multi-step runner with Back, and the palette fallbacks (vault → object → version, recent vaults first).
 * Commands take a Prompts so the extension-host tests can answer them; users get vscodePrompts.
 */

/** Returned by a step when the user pressed Back. Symbol.for: the same symbol in the extension and its test bundle. */
export const BACK: unique symbol = Symbol.for('keyVault.prompts.back');
export type Back = typeof BACK;

export interface StepInfo {
  step?: number;
  totalSteps?: number;
  /** Shows the Back button. */
  canGoBack?: boolean;
}

export interface InputRequest extends StepInfo {
  title: string;
  prompt?: string;
  placeholder?: string;
  value?: string;
  /** A password input: the text is masked. */
  password?: boolean;
  /** Live validation: a message blocks Enter. May be async (the newest answer wins). */
  validate?(value: string): string | undefined | PromiseLike<string | undefined>;
}

export interface PickRequest<T extends vscode.QuickPickItem> extends StepInfo {
  title: string;
  placeholder?: string;
  /** Items at once, later, or in batches (busy until the last batch arrives). */
  items: readonly T[] | PromiseLike<readonly T[]> | AsyncIterable<readonly T[]>;
  matchOnDescription?: boolean;
  matchOnDetail?: boolean;
}

export interface MessageRequest {
  kind: 'info' | 'warning' | 'error';
  text: string;
  modal?: boolean;
  detail?: string;
  actions?: readonly string[];
}

export interface Prompts {
  /** The text, BACK, or undefined when dismissed. */
  input(request: InputRequest): Promise<string | Back | undefined>;
  pick<T extends vscode.QuickPickItem>(request: PickRequest<T>): Promise<T | Back | undefined>;
  /** The chosen action, or undefined. A modal message gets VS Code's own Cancel. */
  message(request: MessageRequest): Promise<string | undefined>;
  saveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined>;
  openDialog(options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined>;
}

/** Throws vscode.CancellationError for undefined and BACK: a prompt the caller cannot step back from. */
export function required<T>(answer: T | Back | undefined): T {
  if (answer === undefined || answer === BACK) throw new vscode.CancellationError();
  return answer;
}

function stepTitle(r: StepInfo & { title: string }): Pick<vscode.InputBox, 'title' | 'step' | 'totalSteps'> {
  return { title: r.title, step: r.totalSteps && r.totalSteps > 1 ? r.step : undefined, totalSteps: r.totalSteps && r.totalSteps > 1 ? r.totalSteps : undefined };
}

/** Prompts on VS Code's quick input and notifications. */
export const vscodePrompts: Prompts = {
  input(r) {
    return new Promise((resolve) => {
      const box = vscode.window.createInputBox();
      Object.assign(box, stepTitle(r));
      box.prompt = r.prompt;
      box.placeholder = r.placeholder;
      box.value = r.value ?? '';
      box.password = r.password === true;
      box.ignoreFocusOut = true;
      box.buttons = r.canGoBack ? [vscode.QuickInputButtons.Back] : [];
      let settled = false;
      let generation = 0;
      const finish = (value: string | Back | undefined) => {
        if (settled) return;
        settled = true;
        resolve(value);
        box.dispose();
      };
      const check = async (value: string): Promise<string | undefined> => {
        const mine = ++generation;
        const message = r.validate ? await r.validate(value) : undefined;
        if (mine === generation) box.validationMessage = message;
        return message;
      };
      box.onDidChangeValue((v) => void check(v));
      box.onDidTriggerButton((b) => {
        if (b === vscode.QuickInputButtons.Back) finish(BACK);
      });
      box.onDidAccept(async () => {
        box.busy = true;
        box.enabled = false;
        const message = await check(box.value);
        box.busy = false;
        box.enabled = true;
        if (message === undefined) finish(box.value);
      });
      box.onDidHide(() => finish(undefined));
      box.show();
      // An initial value is validated at once, so a bad prefill is flagged before the user types.
      if (box.value) void check(box.value);
    });
  },

  pick<T extends vscode.QuickPickItem>(r: PickRequest<T>) {
    return new Promise<T | Back | undefined>((resolve) => {
      const qp = vscode.window.createQuickPick<T>();
      Object.assign(qp, stepTitle(r));
      qp.placeholder = r.placeholder;
      qp.ignoreFocusOut = true;
      qp.matchOnDescription = r.matchOnDescription ?? true;
      qp.matchOnDetail = r.matchOnDetail ?? false;
      qp.buttons = r.canGoBack ? [vscode.QuickInputButtons.Back] : [];
      let settled = false;
      const finish = (value: T | Back | undefined) => {
        if (settled) return;
        settled = true;
        resolve(value);
        qp.dispose();
      };
      qp.onDidTriggerButton((b) => {
        if (b === vscode.QuickInputButtons.Back) finish(BACK);
      });
      qp.onDidAccept(() => {
        const chosen = qp.selectedItems[0] ?? qp.activeItems[0];
        if (chosen && chosen.kind !== vscode.QuickPickItemKind.Separator) finish(chosen);
      });
      qp.onDidHide(() => finish(undefined));
      qp.show();
      void (async () => {
        qp.busy = true;
        try {
          const source = r.items;
          if (Symbol.asyncIterator in (source as object)) {
            for await (const batch of source as AsyncIterable<readonly T[]>) {
              if (settled) return;
              // Keep what the user highlighted while more items arrive.
              const active = qp.activeItems;
              qp.items = [...qp.items, ...batch];
              if (active.length) qp.activeItems = active;
            }
          } else {
            qp.items = [...(await (source as PromiseLike<readonly T[]>))];
          }
        } catch (err) {
          qp.placeholder = err instanceof Error ? err.message : String(err);
        } finally {
          qp.busy = false;
        }
      })();
    });
  },

  async message(r) {
    const show = r.kind === 'error' ? vscode.window.showErrorMessage : r.kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const options: vscode.MessageOptions = { modal: r.modal === true, ...(r.detail ? { detail: r.detail } : {}) };
    return show(r.text, options, ...(r.actions ?? []));
  },

  async saveDialog(options) {
    return vscode.window.showSaveDialog(options);
  },

  async openDialog(options) {
    return vscode.window.showOpenDialog(options);
  },
};

/** One step of a wizard: returns 'next', BACK, or undefined to cancel the whole wizard. */
export interface WizardStep<S> {
  run(state: S, info: Required<StepInfo>): Promise<'next' | Back | undefined>;
  /** Skipped steps do not count in "step 2 of 5" and Back jumps over them. */
  skip?(state: S): boolean;
}

/** Runs steps in order; Back returns to the previous step shown. False when the user cancelled. */
export async function runWizard<S>(steps: ReadonlyArray<WizardStep<S>>, state: S): Promise<boolean> {
  const history: number[] = [];
  let i = 0;
  while (i < steps.length) {
    const current = steps[i]!;
    if (current.skip?.(state)) {
      i++;
      continue;
    }
    const shown = steps.filter((s) => !s.skip?.(state));
    const result = await current.run(state, { step: shown.indexOf(current) + 1, totalSteps: shown.length, canGoBack: history.length > 0 });
    if (result === undefined) return false;
    if (result === BACK) {
      i = history.pop() ?? 0;
      continue;
    }
    history.push(i);
    i++;
  }
  return true;
}

// ---- Palette fallbacks ----------------------------------------------------------------------------------------

export interface ContainerChoice {
  readonly session: AccountSession;
  readonly url: string;
  readonly name: string;
  readonly kind: 'vault' | 'hsm';
}

interface RecentEntry {
  url: string;
  name: string;
  kind: 'vault' | 'hsm';
}

const RECENT_KEY = 'keyVault.recentContainers';
const RECENT_MAX = 8;

/** Vaults and HSMs used lately, newest first, in globalState: URLs and names only. */
export class RecentContainers {
  constructor(private readonly memento: vscode.Memento) {}

  list(): RecentEntry[] {
    const raw = this.memento.get<unknown>(RECENT_KEY);
    if (!Array.isArray(raw)) return [];
    return raw.filter((e): e is RecentEntry => typeof e?.url === 'string' && typeof e?.name === 'string' && (e?.kind === 'vault' || e?.kind === 'hsm'));
  }

  async touch(c: { url: string; name: string; kind: 'vault' | 'hsm' }): Promise<void> {
    const url = new URL(c.url).origin;
    const rest = this.list().filter((e) => e.url.toLowerCase() !== url.toLowerCase());
    await this.memento.update(RECENT_KEY, [{ url, name: c.name, kind: c.kind }, ...rest].slice(0, RECENT_MAX));
  }
}

export interface PickerDependencies {
  readonly accounts: AccountsModel;
  readonly prompts: Prompts;
  readonly recent: RecentContainers;
}

type ContainerItem = vscode.QuickPickItem & { choice?: ContainerChoice };

const containerItem = (c: ContainerChoice, showSession: boolean): ContainerItem => ({
  label: `$(${c.kind === 'hsm' ? 'shield' : 'lock'}) ${c.name}`,
  description: [new URL(c.url).host, showSession ? c.session.label : undefined].filter(Boolean).join(' · '),
  choice: c,
});

/** Every vault/HSM the sessions reach, in batches: recent and pinned at once, then each session's discovery. */
async function* containerBatches(deps: PickerDependencies, kinds: ReadonlyArray<'vault' | 'hsm'>): AsyncIterable<ContainerItem[]> {
  const sessions = deps.accounts.sessions();
  const showSession = sessions.length > 1;
  const seen = new Set<string>();
  const key = (c: { session: AccountSession; url: string }) => `${c.session.id}|${c.url.toLowerCase()}`;
  const take = (cs: ContainerChoice[]): ContainerItem[] =>
    cs
      .filter((c) => kinds.includes(c.kind) && !seen.has(key(c)))
      .map((c) => {
        seen.add(key(c));
        return containerItem(c, showSession);
      });

  const recent = take(
    deps.recent.list().flatMap((r) => {
      const session = deps.accounts.sessionFor(r.url);
      return session ? [{ session, url: r.url, name: r.name, kind: r.kind }] : [];
    }),
  );
  if (recent.length) yield [{ label: vscode.l10n.t('recently used'), kind: vscode.QuickPickItemKind.Separator }, ...recent];

  const pinned = take(
    deps.accounts.pinned().flatMap((p) => {
      const session = deps.accounts.sessionFor(p.url);
      return session ? [{ session, url: p.url, name: p.name, kind: p.kind }] : [];
    }),
  );
  let separated = false;
  const separator = (): ContainerItem[] => {
    if (separated || (!recent.length && !pinned.length)) return [];
    separated = true;
    return [{ label: vscode.l10n.t('all'), kind: vscode.QuickPickItemKind.Separator }];
  };
  if (pinned.length) yield [...separator(), ...pinned];

  for (const session of sessions) {
    if (!session.arm) continue;
    try {
      let subs = (await session.listSubscriptions()).map((s) => s.subscriptionId);
      const selected = session.selectedSubscriptionIds();
      if (selected) subs = subs.filter((s) => selected.includes(s));
      if (!subs.length) continue;
      const found = await session.discover(subs);
      const items = take(found.containers.map((c) => ({ session, url: c.url, name: c.name, kind: c.kind })));
      if (items.length) yield [...separator(), ...items];
    } catch {
      // Discovery failures show in the tree with their hint; the picker still offers what it found elsewhere.
    }
  }
}

/** Picks a vault (or HSM) for a command run from the palette; recent ones first. */
export async function pickContainer(
  deps: PickerDependencies,
  request: StepInfo & { title: string; placeholder?: string; kinds?: ReadonlyArray<'vault' | 'hsm'> },
): Promise<ContainerChoice | Back | undefined> {
  if (deps.accounts.sessions().length === 0) {
    throw new Error(vscode.l10n.t('No vaults yet: sign in to Azure or add a vault by URL first (Key Vault view).'));
  }
  const kinds = request.kinds ?? ['vault', 'hsm'];
  const what = kinds.length === 1 && kinds[0] === 'vault' ? vscode.l10n.t('vault') : vscode.l10n.t('vault or HSM');
  const picked = await deps.prompts.pick<ContainerItem>({
    ...request,
    placeholder: request.placeholder ?? vscode.l10n.t('Choose a {0}', what),
    items: containerBatches(deps, kinds),
  });
  if (picked === undefined || picked === BACK) return picked;
  const choice = picked.choice!;
  await deps.recent.touch(choice);
  return choice;
}

/** A quick pick over a paged listing: the first page shows at once, the rest streams in. */
export async function pickFromPages<T, I extends vscode.QuickPickItem>(
  prompts: Prompts,
  request: StepInfo & { title: string; placeholder?: string; empty?: string },
  pages: AsyncIterable<readonly T[]>,
  toItem: (t: T) => I,
): Promise<(I & { value: T }) | Back | undefined> {
  type Item = I & { value: T };
  async function* items(): AsyncIterable<readonly Item[]> {
    let any = false;
    for await (const page of pages) {
      if (page.length) any = true;
      yield page.map((t) => ({ ...toItem(t), value: t }));
    }
    if (!any && request.empty) throw new Error(request.empty);
  }
  return prompts.pick<Item>({ ...request, items: items() });
}
