// Scripted answers for the secret commands' prompts (the Prompts seam of src/commands/pickers.ts), for the
// extension-host suite. Every prompt is recorded, so tests can check what users would read — and that no secret
// value ever appears in it.
import type * as vscode from 'vscode';
import { BACK, type InputRequest, type MessageRequest, type PickRequest, type Prompts } from '../../../src/commands/pickers';

export { BACK };

type Answer =
  | { kind: 'input'; match?: RegExp; reply: string | typeof BACK | undefined }
  | { kind: 'pick'; match?: RegExp; reply: string | RegExp | typeof BACK | undefined }
  | { kind: 'modal'; match?: RegExp; reply: string | undefined }
  | { kind: 'save'; reply: vscode.Uri | undefined }
  | { kind: 'open'; reply: vscode.Uri[] | undefined };

export interface Seen {
  kind: 'input' | 'pick' | 'modal' | 'notification' | 'save' | 'open';
  text: string;
  /** Input boxes: whether the text was masked. */
  password?: boolean;
  step?: number;
  totalSteps?: number;
  canGoBack?: boolean;
  items?: string[];
  level?: MessageRequest['kind'];
  actions?: readonly string[];
}

/** A quick pick label without its $(icon) prefixes. */
export const stripIcons = (label: string): string => label.replace(/\$\([a-z0-9-]+\)\s*/g, '').trim();

/** Every item of a pick request, whether given as a list or as pages. */
export async function allItems<T extends vscode.QuickPickItem>(items: PickRequest<T>['items']): Promise<T[]> {
  if (Symbol.asyncIterator in (items as object)) {
    const out: T[] = [];
    for await (const batch of items as AsyncIterable<readonly T[]>) out.push(...batch);
    return out;
  }
  return [...((await items) as readonly T[])];
}

export class ScriptedPrompts implements Prompts {
  private readonly queue: Answer[] = [];
  readonly seen: Seen[] = [];
  /** Messages that inline validation showed for rejected answers. */
  readonly validation: string[] = [];
  /** Prompts that came with no scripted answer (they were dismissed). */
  readonly unexpected: string[] = [];

  answerInput(match: RegExp | undefined, reply: string | typeof BACK | undefined): this {
    this.queue.push({ kind: 'input', ...(match ? { match } : {}), reply });
    return this;
  }
  answerPick(match: RegExp | undefined, reply: string | RegExp | typeof BACK | undefined): this {
    this.queue.push({ kind: 'pick', ...(match ? { match } : {}), reply });
    return this;
  }
  answerModal(match: RegExp | undefined, reply: string | undefined): this {
    this.queue.push({ kind: 'modal', ...(match ? { match } : {}), reply });
    return this;
  }
  answerSave(reply: vscode.Uri | undefined): this {
    this.queue.push({ kind: 'save', reply });
    return this;
  }
  answerOpen(reply: vscode.Uri[] | undefined): this {
    this.queue.push({ kind: 'open', reply });
    return this;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Notifications (info, warning, error) shown since the last call. */
  notifications(level?: MessageRequest['kind']): string[] {
    return this.seen.filter((s) => s.kind === 'notification' && (!level || s.level === level)).map((s) => s.text);
  }

  /** The step of every picker shown so far (whose text matches `only`), as `step/totalSteps` ("-" where it shows none). */
  pickSteps(only?: RegExp): string[] {
    return this.seen.filter((s) => s.kind === 'pick' && (!only || only.test(s.text))).map((s) => (s.step === undefined ? '-' : `${s.step}/${s.totalSteps}`));
  }

  /** Everything a user could have read, as one text (for hygiene checks). */
  transcript(): string {
    return JSON.stringify(this.seen) + JSON.stringify(this.validation);
  }

  reset(): void {
    this.queue.length = 0;
    this.seen.length = 0;
    this.validation.length = 0;
    this.unexpected.length = 0;
  }

  private next<K extends Answer['kind']>(kind: K, text: string): Extract<Answer, { kind: K }> | undefined {
    const answer = this.queue[0];
    if (!answer || answer.kind !== kind) {
      this.unexpected.push(`${kind}: ${text}${answer ? ` (the next answer is for a ${answer.kind})` : ''}`);
      return undefined;
    }
    if ('match' in answer && answer.match && !answer.match.test(text)) {
      this.unexpected.push(`${kind}: ${text} (expected one matching ${answer.match})`);
      return undefined;
    }
    this.queue.shift();
    return answer as Extract<Answer, { kind: K }>;
  }

  async input(r: InputRequest): Promise<string | typeof BACK | undefined> {
    const text = [r.title, r.prompt, r.placeholder].filter(Boolean).join(' | ');
    this.seen.push({ kind: 'input', text, password: r.password === true, ...(r.step !== undefined ? { step: r.step, totalSteps: r.totalSteps, canGoBack: r.canGoBack } : {}) });
    for (;;) {
      const answer = this.next('input', text);
      if (!answer) return undefined;
      if (typeof answer.reply !== 'string' || !r.validate) return answer.reply;
      const message = await r.validate(answer.reply);
      if (message === undefined) return answer.reply;
      // Enter is blocked by the message: the next scripted answer is the user's correction.
      this.validation.push(message);
    }
  }

  async pick<T extends vscode.QuickPickItem>(r: PickRequest<T>): Promise<T | typeof BACK | undefined> {
    const items = (await allItems<T>(r.items)).filter((i) => i.kind !== -1);
    const labels = items.map((i) => stripIcons(i.label)).filter(Boolean);
    const text = [r.title, r.placeholder].filter(Boolean).join(' | ');
    this.seen.push({ kind: 'pick', text: `${text} [${labels.join(' / ')}] ${items.map((i) => `${i.description ?? ''} ${i.detail ?? ''}`).join(' ')}`, items: labels, ...(r.step !== undefined ? { step: r.step, totalSteps: r.totalSteps, canGoBack: r.canGoBack } : {}) });
    const answer = this.next('pick', text);
    if (!answer) return undefined;
    if (answer.reply === undefined || answer.reply === BACK) return answer.reply;
    const want = answer.reply;
    const found = items.find((i) => (typeof want === 'string' ? stripIcons(i.label) === want : want.test(stripIcons(i.label))));
    if (!found) {
      this.unexpected.push(`pick: no item ${String(want)} in [${labels.join(' / ')}]`);
      return undefined;
    }
    return found;
  }

  async message(r: MessageRequest): Promise<string | undefined> {
    const text = [r.text, r.detail].filter(Boolean).join(' | ');
    if (!r.modal) {
      this.seen.push({ kind: 'notification', text, level: r.kind, ...(r.actions ? { actions: r.actions } : {}) });
      return undefined;
    }
    this.seen.push({ kind: 'modal', text, level: r.kind, ...(r.actions ? { actions: r.actions } : {}) });
    const answer = this.next('modal', text);
    return answer?.reply;
  }

  async saveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined> {
    this.seen.push({ kind: 'save', text: `${options.title ?? ''} ${options.defaultUri?.path ?? ''}` });
    return this.next('save', options.title ?? '')?.reply;
  }

  async openDialog(options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined> {
    this.seen.push({ kind: 'open', text: options.title ?? '' });
    return this.next('open', options.title ?? '')?.reply;
  }
}
