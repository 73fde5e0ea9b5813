import * as vscode from 'vscode';
import type { SecretFileSystem } from '../../secretFs/secretFileSystem';
import type { RevealPanels } from '../../webviews/reveal/revealPanel';
import { SecretCommandIds } from './secretCommandIds';
import { withProgress, type SecretCommandContext } from './context';
import { describeRef, managedMessage, resolveSecret } from './target';
import { readSecretValue } from './value';

const WARNED_KEY = 'keyVault.secrets.editValueWarned';

/**
 * Edit Value: the value opens in an editor (a `keyvault-secret:` document held in memory, never a file). Saving
 * creates a new version; closing discards. The first time, say that the value will be visible on screen.
 */
export async function editValue(c: SecretCommandContext, docs: SecretFileSystem, arg: unknown): Promise<void> {
  const ref = await resolveSecret(c, arg, { title: vscode.l10n.t('Edit Secret Value'), includeManaged: false });
  if (ref.view?.managed) throw new Error(managedMessage(ref.name));
  const open = docs.find(ref.vaultUrl, ref.name);
  if (open) {
    await vscode.window.showTextDocument(open, { preview: false });
    return;
  }
  if (!c.globalState.get<boolean>(WARNED_KEY)) {
    const proceed = vscode.l10n.t('Open Value');
    const choice = await c.prompts.message({
      kind: 'warning',
      modal: true,
      text: vscode.l10n.t('The value of {0} will be visible in an editor.', ref.name),
      detail: vscode.l10n.t(
        'Anyone who can see your screen can read it. It is kept in memory only, never written to a file (your edits are held there too, marked ● on the tab): Save (Ctrl+S) stores them as a new version, closing the editor discards them. You will not be asked again.',
      ),
      actions: [proceed],
    });
    if (choice !== proceed) throw new vscode.CancellationError();
    await c.globalState.update(WARNED_KEY, true);
  }
  const secret = await withProgress(vscode.l10n.t('Reading {0}…', describeRef(ref)), (signal) => readSecretValue(c, ref, vscode.l10n.t('to edit it'), signal));
  if (secret === 'edit-dates') {
    await vscode.commands.executeCommand(SecretCommandIds.editSecretAttributes, ref);
    return;
  }
  const p = secret.properties;
  const uri = docs.add({ session: ref.session, vaultUrl: ref.vaultUrl, name: ref.name, ...(p.version ? { version: p.version } : {}), ...(p.contentType !== undefined ? { contentType: p.contentType } : {}), tags: p.tags }, secret.value);
  await vscode.window.showTextDocument(uri, { preview: false });
  c.log.info(`Edit Value: opened secret ${ref.name}${ref.version ? ` version ${ref.version}` : ''} of ${new URL(ref.vaultUrl).host} in an editor`);
}

/** Reveal Value: the Reveal panel (masked until Show). */
export async function revealValue(c: SecretCommandContext, panels: RevealPanels, arg: unknown): Promise<void> {
  const ref = await resolveSecret(c, arg, { title: vscode.l10n.t('Reveal Secret Value') });
  panels.open(ref);
}
