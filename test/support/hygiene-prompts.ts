// Answers every prompt of a command on its own, for the scripted security session (test/vscode/suite/security-session.test.ts): a
// step may script some answers (matched in order), everything else is answered by rules (vault and object pickers
// prefer what the session made, names are made up, secret values are fresh needles, confirmations are confirmed,
// "Type X to purge" gets X). A step that keeps asking is cut off, so no command can hang the session. Everything
// shown is kept in a transcript, which the session searches for values.
import type * as vscode from 'vscode';
import { BACK, type InputRequest, type MessageRequest, type PickRequest, type Prompts } from '../../src/commands/pickers';
import { allItems, stripIcons } from '../vscode/suite/secrets-prompts';

export type Scripted = { match: RegExp; answer: string | RegExp | undefined | typeof BACK | vscode.Uri | vscode.Uri[] };

export interface AutoPromptsContext {
  /** A fresh secret value; the session remembers it as a needle. */
  newValue(label: string): string;
  /** A fresh object name. */
  newName(prefix: string): string;
  /** Passwords and passphrases the session's files need. */
  passwords: string[];
  /** Where Save dialogs write (outside test-results: these are the user's explicit exports). */
  saveTo(suggested: string): vscode.Uri;
  /** Files for Open dialogs, by what the dialog is for. */
  openFor(title: string): vscode.Uri[] | undefined;
}

export class AutoPrompts implements Prompts {
  /** Everything shown (titles, prompts, items, messages), for the value search. */
  readonly transcript: string[] = [];
  readonly errors: string[] = [];
  readonly infos: string[] = [];
  /** Prompts the rules could not answer validly (they were dismissed). */
  readonly stuck: string[] = [];
  /** Object names to prefer in pickers (the session's own objects first). */
  prefer: RegExp[] = [];
  private scripted: Scripted[] = [];
  private asked = 0;
  private titles = new Map<string, number>();
  maxPrompts = 20;
  /** False: every modal confirmation is declined (commands the session runs without knowing what they change). */
  confirmModals = true;

  constructor(private readonly ctx: AutoPromptsContext) {}

  /** Starts a step: its scripted answers, and the count that cuts off a command that keeps asking. */
  step(scripted: Scripted[] = [], prefer: RegExp[] = [], names: string[] = []): void {
    this.scripted = [...scripted];
    this.prefer = prefer;
    this.names = names;
    this.asked = 0;
    this.titles.clear();
  }

  get unusedScript(): string[] {
    return this.scripted.map((s) => String(s.match));
  }

  private take(text: string): Scripted | undefined {
    const i = this.scripted.findIndex((s) => s.match.test(text));
    return i < 0 ? undefined : this.scripted.splice(i, 1)[0];
  }

  private over(text: string): boolean {
    this.asked++;
    const key = text.slice(0, 80);
    const seen = (this.titles.get(key) ?? 0) + 1;
    this.titles.set(key, seen);
    // The same question a third time means a loop (manage issuers, contacts…): end it by dismissing.
    return this.asked > this.maxPrompts || seen > 2;
  }

  async input(r: InputRequest): Promise<string | typeof BACK | undefined> {
    const text = [r.title, r.prompt, r.placeholder].filter(Boolean).join(' | ');
    this.transcript.push(`input: ${text}`);
    const scripted = this.take(text);
    if (scripted) return typeof scripted.answer === 'string' || scripted.answer === undefined || scripted.answer === BACK ? scripted.answer : undefined;
    if (this.over(text)) return undefined;
    for (const candidate of this.candidates(text, r)) {
      const problem = r.validate ? await r.validate(candidate) : undefined;
      if (problem === undefined) return candidate;
      this.transcript.push(`validation: ${problem}`);
    }
    this.stuck.push(`input: ${text}`);
    return undefined;
  }

  /** Names the current step is about: tried first where a name must be typed to confirm (purge). */
  names: string[] = [];

  private candidates(text: string, r: InputRequest): string[] {
    const typed = /Type ['"“]?([0-9A-Za-z-]+)['"”]? to/.exec(text);
    if (typed) return [typed[1]!, ...this.names];
    if (/\bpurg|to confirm|type (its|the) name/i.test(text)) return [...this.names, ...(r.placeholder ? [r.placeholder] : [])];
    if (/passphrase|password/i.test(text)) return [...this.ctx.passwords, ''];
    if (/tags/i.test(text)) return ['purpose=security-session', ''];
    if (/content type/i.test(text)) return ['text/plain', ''];
    if (/e-?mail/i.test(text)) return ['security-session@contoso.com'];
    if (/activation|not before/i.test(text)) return ['', '+0d'];
    if (/expir/i.test(text)) return ['+90d', '', '90 days'];
    if (/phone/i.test(text)) return ['', '+41 00 000 00 00'];
    if (/principal|object id/i.test(text)) return ['00000000-0000-0000-0000-00000000a11c'];
    if (/random bytes|how many|count/i.test(text)) return ['32', '16'];
    if (/resource id/i.test(text)) return ['/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-session/providers/Microsoft.Storage/storageAccounts/sessionstore'];
    if (/template/i.test(text)) return [`https://sessionstore.blob.core.windows.net/?sv=2024-11-04&ss=b&srt=sco&sp=rl&se=2030-01-01T00:00:00Z&sig=${encodeURIComponent(this.ctx.newValue('SAS template signature'))}`];
    if (/period|duration|after|before|validity/i.test(text)) return ['30 days', 'P30D', 'PT2H', '30d'];
    if (/value|secret\b/i.test(text) && !/name/i.test(text)) return [this.ctx.newValue(`value typed in "${(r.title ?? '').slice(0, 40)}"`)];
    if (/name/i.test(text)) return [...(r.value ? [r.value] : []), this.ctx.newName('sess')];
    return [...(r.value !== undefined ? [r.value] : []), this.ctx.newName('sess'), this.ctx.newValue('free text')];
  }

  async pick<T extends vscode.QuickPickItem>(r: PickRequest<T>): Promise<T | typeof BACK | undefined> {
    const items = (await allItems<T>(r.items)).filter((i) => i.kind !== -1);
    const text = [r.title, r.placeholder].filter(Boolean).join(' | ');
    this.transcript.push(`pick: ${text} [${items.map((i) => `${stripIcons(i.label)} ${i.description ?? ''} ${i.detail ?? ''}`).join(' / ')}]`);
    const scripted = this.take(text);
    if (scripted) {
      if (scripted.answer === undefined || scripted.answer === BACK) return scripted.answer;
      const want = scripted.answer;
      if (typeof want === 'string' || want instanceof RegExp) {
        const found = items.find((i) => (typeof want === 'string' ? stripIcons(i.label) === want : want.test(stripIcons(i.label))));
        if (found) return found;
        this.stuck.push(`pick: no ${String(want)} in ${text}`);
        return undefined;
      }
      return undefined;
    }
    if (this.over(text)) return undefined;
    for (const p of this.prefer) {
      const found = items.find((i) => p.test(stripIcons(i.label)) || p.test(`${stripIcons(i.label)} ${i.description ?? ''}`));
      if (found) return found;
    }
    // Go forward: create/save/confirm when offered, else the first real choice.
    const forward = items.find((i) => /^(Create|Save|Import|Add|Restore|Merge|Regenerate|Confirm|Done|Apply)\b/.test(stripIcons(i.label)) && !/…$/.test(stripIcons(i.label)));
    if (forward) return forward;
    const first = items.find((i) => !/Browse|Back|Cancel|Custom…|Remove All/.test(stripIcons(i.label)));
    if (!first) this.stuck.push(`pick: nothing to choose in ${text}`);
    return first;
  }

  async message(r: MessageRequest): Promise<string | undefined> {
    const text = [r.text, r.detail].filter(Boolean).join(' | ');
    this.transcript.push(`${r.modal ? 'modal' : 'notification'} (${r.kind}): ${text}`);
    if (!r.modal) {
      if (r.kind === 'error') this.errors.push(r.text);
      else this.infos.push(r.text);
      return undefined;
    }
    const scripted = this.take(text);
    if (scripted) return typeof scripted.answer === 'string' ? scripted.answer : undefined;
    if (this.over(text) || !this.confirmModals) return undefined;
    return r.actions?.find((a) => !/Cancel|Keep|Not now|Don.t|Show Log/i.test(a)) ?? r.actions?.[0];
  }

  async saveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined> {
    this.transcript.push(`save: ${options.title ?? ''}`);
    const scripted = this.take(`save: ${options.title ?? ''}`);
    if (scripted) return scripted.answer && typeof scripted.answer === 'object' && 'fsPath' in scripted.answer ? (scripted.answer as vscode.Uri) : undefined;
    const suggested = options.defaultUri?.path.split('/').pop() ?? 'export.bin';
    return this.ctx.saveTo(suggested);
  }

  async openDialog(options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined> {
    const what = `${options.title ?? ''} ${options.openLabel ?? ''} ${Object.keys(options.filters ?? {}).join(' ')}`;
    this.transcript.push(`open: ${what}`);
    const scripted = this.take(`open: ${what}`);
    if (scripted) return Array.isArray(scripted.answer) ? scripted.answer : undefined;
    const files = this.ctx.openFor(what);
    if (!files) this.stuck.push(`open: ${what}`);
    return files;
  }
}
