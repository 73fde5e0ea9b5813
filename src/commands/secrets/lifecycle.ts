import * as vscode from 'vscode';
import { isKeyVaultError } from '../../keyvault/errors';
import { confirm } from '../confirm';
import { deletedMessage } from '../deleteOutcome';
import { askBeforeRestoreOver } from '../restoreOverExisting';
import { required } from '../pickers';
import { eventually, refreshSecrets, vaultHost, withProgress, type SecretCommandContext } from './context';
import { managedMessage, resolveSecret, resolveVault, vaultLabel } from './target';
import { backupFileName, nameFromBackupFileName } from './validation';

/** Purge cannot be undone: a modal, then the user types the name. */
export async function confirmPurge(c: SecretCommandContext, name: string, vaultName: string): Promise<void> {
  const purge = vscode.l10n.t('Purge…');
  const choice = await c.prompts.message({
    kind: 'warning',
    modal: true,
    text: vscode.l10n.t('Purge secret {0} from {1} for good?', name, vaultName),
    detail: vscode.l10n.t('Purging deletes every version permanently: it cannot be recovered, and backups are the only way back. You will type the name to confirm.'),
    actions: [purge],
  });
  if (choice !== purge) throw new vscode.CancellationError();
  required(
    await c.prompts.input({
      title: vscode.l10n.t('Purge {0}', name),
      prompt: vscode.l10n.t('Type {0} to purge it permanently', name),
      placeholder: name,
      validate: (t) => (t === name ? undefined : vscode.l10n.t('Type the name exactly: {0}', name)),
    }),
  );
}

/** Delete Secret…: soft delete after a confirmation that says what can still be done (recover until the purge date). */
export async function deleteSecret(c: SecretCommandContext, arg: unknown): Promise<void> {
  const ref = await resolveSecret(c, arg, { title: vscode.l10n.t('Delete Secret'), includeManaged: false });
  if (ref.view?.managed) throw new Error(managedMessage(ref.name));
  const vaultName = vaultLabel(ref);
  await confirm(
    c,
    vscode.l10n.t('Delete secret {0} from {1}?', ref.name, vaultName),
    vscode.l10n.t('Every version is deleted. With soft delete on (the default) it stays recoverable in the Deleted group until its purge date; applications that read it fail until then.'),
    vscode.l10n.t('Delete'),
  );
  const deleted = await withProgress(vscode.l10n.t('Deleting {0}…', ref.name), (signal) => ref.session.service.secrets.delete(ref.vaultUrl, ref.name, { abortSignal: signal }));
  c.log.info(`Deleted secret ${ref.name} in ${vaultName}`);
  await refreshSecrets(c, ref.vaultUrl);
  void c.prompts.message({ kind: 'info', text: deletedMessage(ref.name, deleted) });
}

/** Recover Secret: from a deleted node, or the palette (vault → deleted secret). */
export async function recoverSecret(c: SecretCommandContext, arg: unknown): Promise<void> {
  const ref = await resolveSecret(c, arg, { title: vscode.l10n.t('Recover Deleted Secret'), deleted: true });
  const secrets = ref.session.service.secrets;
  await withProgress(vscode.l10n.t('Recovering {0}…', ref.name), async (signal) => {
    await secrets.recover(ref.vaultUrl, ref.name, { abortSignal: signal });
    // Recovery finishes asynchronously: wait until the secret answers again, so the tree shows it at once.
    await eventually(async () => {
      const first = await secrets.listVersions(ref.vaultUrl, ref.name, { abortSignal: signal }).byPage({ maxPageSize: 1 }).next();
      if (first.done || !first.value.items.length) throw new Error('not yet');
      return true;
    }, (e) => !isKeyVaultError(e) || e.kind === 'not-found', signal, 60_000).catch(() => undefined);
  });
  c.log.info(`Recovered secret ${ref.name} in ${vaultHost(ref.vaultUrl)}`);
  await refreshSecrets(c, ref.vaultUrl);
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Recovered secret {0} with all its versions.', ref.name) });
}

/** Purge Secret…: deleted secrets only; a modal and the typed name first. */
export async function purgeSecret(c: SecretCommandContext, arg: unknown): Promise<void> {
  const ref = await resolveSecret(c, arg, { title: vscode.l10n.t('Purge Deleted Secret'), deleted: true });
  const vaultName = vaultLabel(ref);
  await confirmPurge(c, ref.name, vaultName);
  await withProgress(vscode.l10n.t('Purging {0}…', ref.name), (signal) => ref.session.service.secrets.purge(ref.vaultUrl, ref.name, { abortSignal: signal }));
  c.log.info(`Purged secret ${ref.name} in ${vaultName}`);
  await refreshSecrets(c, ref.vaultUrl);
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Purged {0}. Its name can be used again once Key Vault finishes (usually seconds).', ref.name) });
}

/**
 * Back Up Secret to File…: says what the file is first (every version, encrypted by Key Vault, restorable only to a
 * vault in the same subscription and geography), then the user picks where it goes.
 */
export async function backupSecret(c: SecretCommandContext, arg: unknown): Promise<void> {
  const ref = await resolveSecret(c, arg, { title: vscode.l10n.t('Back Up Secret'), includeManaged: false });
  if (ref.view?.managed) throw new Error(managedMessage(ref.name));
  const proceed = vscode.l10n.t('Choose File…');
  const choice = await c.prompts.message({
    kind: 'warning',
    modal: true,
    text: vscode.l10n.t('Back up secret {0} to a file?', ref.name),
    detail: vscode.l10n.t(
      'The file holds every version of the secret, encrypted by Key Vault: it can only be restored into a key vault in the same Azure subscription and geography (not read, and not restored elsewhere). Treat it as sensitive anyway, and keep it where only you can read it.',
    ),
    actions: [proceed],
  });
  if (choice !== proceed) throw new vscode.CancellationError();
  const defaultFolder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = required(
    await c.prompts.saveDialog({
      title: vscode.l10n.t('Save backup of {0}', ref.name),
      saveLabel: vscode.l10n.t('Save Backup'),
      filters: { [vscode.l10n.t('Key Vault secret backup')]: ['secret-backup'], [vscode.l10n.t('All files')]: ['*'] },
      ...(defaultFolder ? { defaultUri: vscode.Uri.joinPath(defaultFolder, backupFileName(ref.name)) } : {}),
    }),
  );
  const blob = await withProgress(vscode.l10n.t('Backing up {0}…', ref.name), (signal) => ref.session.service.secrets.backup(ref.vaultUrl, ref.name, { abortSignal: signal }));
  await vscode.workspace.fs.writeFile(target, blob);
  c.log.info(`Backed up secret ${ref.name} of ${vaultHost(ref.vaultUrl)} (${blob.byteLength} bytes) to a file the user chose`);
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Saved the backup of {0} ({1} bytes). Restore it with "Restore Secret from Backup…".', ref.name, blob.byteLength) });
}

/**
 * Restore Secret from Backup…: pick a file and a vault. Key Vault restores only into a free name, so when the file's
 * secret (known from its file name) already exists the user is asked first, and told what to do.
 */
export async function restoreSecret(c: SecretCommandContext, arg: unknown): Promise<void> {
  const vault = await resolveVault(c, arg, vscode.l10n.t('Restore Secret from Backup'));
  const [file] = required(
    await c.prompts.openDialog({
      title: vscode.l10n.t('Restore a secret into {0}', vault.name),
      openLabel: vscode.l10n.t('Restore'),
      canSelectMany: false,
      filters: { [vscode.l10n.t('Key Vault secret backup')]: ['secret-backup'], [vscode.l10n.t('All files')]: ['*'] },
    }),
  );
  if (!file) throw new vscode.CancellationError();
  const fileName = file.path.split('/').pop() ?? '';
  const bytes = await vscode.workspace.fs.readFile(file);
  if (bytes.byteLength === 0) throw new Error(vscode.l10n.t('{0} is empty: not a Key Vault backup.', fileName));
  const secrets = vault.session.service.secrets;
  await askBeforeRestoreOver(c, 'secret', vault.name, nameFromBackupFileName(fileName), (name) => secrets.listVersions(vault.url, name));
  let restored;
  try {
    restored = await withProgress(vscode.l10n.t('Restoring {0}…', fileName), (signal) => secrets.restore(vault.url, bytes, { abortSignal: signal }));
  } catch (err) {
    if (isKeyVaultError(err) && (err.kind === 'conflict' || err.kind === 'conflict-deleted')) {
      throw new Error(
        err.kind === 'conflict-deleted'
          ? vscode.l10n.t('A deleted secret holds that name in {0}: recover it, or purge it, then restore. ({1})', vault.name, err.message)
          : vscode.l10n.t('A secret with that name already exists in {0}: delete and purge it first, then restore. ({1})', vault.name, err.message),
      );
    }
    if (isKeyVaultError(err) && err.kind === 'bad-request') {
      throw new Error(vscode.l10n.t('Key Vault refused {0}: {1} A backup restores only into a vault in the same subscription and geography.', fileName, err.userMessage));
    }
    throw err;
  }
  c.log.info(`Restored secret ${restored.name} into ${vaultHost(vault.url)} from a backup file`);
  await refreshSecrets(c, vault.url);
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Restored secret {0} into {1}.', restored.name, vault.name) });
}
