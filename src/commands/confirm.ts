import * as vscode from 'vscode';
import { required, type Prompts } from './pickers';

/** A modal warning with one (destructive) action; anything else cancels. */
export async function confirm(c: { prompts: Prompts }, text: string, detail: string, action: string): Promise<void> {
  const choice = await c.prompts.message({ kind: 'warning', text, detail, modal: true, actions: [action] });
  if (choice !== action) throw new vscode.CancellationError();
}

/** Purge cannot be undone: the user types the name; `prompt` says what is lost. */
export async function confirmTypedName(c: { prompts: Prompts }, name: string, title: string, prompt: string): Promise<void> {
  required(
    await c.prompts.input({
      title,
      prompt,
      placeholder: name,
      validate: (v) => (v === name ? undefined : vscode.l10n.t('Type {0} exactly to confirm.', name)),
    }),
  );
}
