import * as vscode from 'vscode';
import { isKeyVaultError } from '../../keyvault/errors';
import type { KeyVaultCertificate } from '../../keyvault/models/certificates';
import { nameFromBackupFile } from '../backupFileNames';
import { deletedMessage } from '../deleteOutcome';
import { required } from '../pickers';
import { askBeforeRestoreOver } from '../restoreOverExisting';
import { confirm, confirmTypedName, eventually, hostOf, readUserFile, refreshFamily, suggestedUri, uriArgument, withProgress, writeUserFile, type VaultCommandContext } from './context';
import { describeRef, resolveCertificate, resolveVault } from './target';

/** Enable / Disable: the certificate's current version, or the version node it was run on. */
export async function setCertificateEnabled(c: VaultCommandContext, arg: unknown, enabled: boolean): Promise<KeyVaultCertificate> {
  const ref = await resolveCertificate(c, arg, { title: enabled ? vscode.l10n.t('Enable Certificate') : vscode.l10n.t('Disable Certificate') });
  if (!enabled) {
    await confirm(
      c,
      vscode.l10n.t('Disable certificate {0}?', describeRef(ref)),
      vscode.l10n.t('Applications can no longer read it (nor its key and secret) until it is enabled again.'),
      vscode.l10n.t('Disable'),
    );
  }
  const updated = await withProgress(enabled ? vscode.l10n.t('Enabling {0}…', describeRef(ref)) : vscode.l10n.t('Disabling {0}…', describeRef(ref)), (signal) =>
    ref.session.service.certificates.update(ref.vaultUrl, ref.name, ref.version ?? '', { enabled, abortSignal: signal }),
  );
  c.log.info(`${enabled ? 'Enabled' : 'Disabled'} certificate ${ref.name}${ref.version ? ` version ${ref.version}` : ''} in ${hostOf(ref.vaultUrl)}`);
  await refreshFamily(c, ref.vaultUrl, 'certificates');
  return updated;
}

/** Delete Certificate…: soft delete (with its key and secret) after a confirmation that says what can still be done. */
export async function deleteCertificate(c: VaultCommandContext, arg: unknown): Promise<void> {
  const ref = await resolveCertificate(c, arg, { title: vscode.l10n.t('Delete Certificate') });
  const vault = hostOf(ref.vaultUrl);
  await confirm(
    c,
    vscode.l10n.t('Delete certificate {0} from {1}?', ref.name, vault),
    vscode.l10n.t(
      'Every version is deleted, with the key and secret Key Vault keeps for it. With soft delete on (the default) it stays recoverable in the Deleted group until its purge date; applications that use it fail until then.',
    ),
    vscode.l10n.t('Delete'),
  );
  const deleted = await withProgress(vscode.l10n.t('Deleting {0}…', ref.name), (signal) => ref.session.service.certificates.delete(ref.vaultUrl, ref.name, { abortSignal: signal }));
  c.log.info(`Deleted certificate ${ref.name} in ${vault}`);
  await refreshFamily(c, ref.vaultUrl, 'certificates');
  void c.prompts.message({ kind: 'info', text: deletedMessage(ref.name, deleted) });
}

/** Recover: from a deleted node, or the palette (vault → deleted certificate). */
export async function recoverCertificate(c: VaultCommandContext, arg: unknown): Promise<void> {
  const ref = await resolveCertificate(c, arg, { title: vscode.l10n.t('Recover Deleted Certificate'), deleted: true });
  const service = ref.session.service.certificates;
  await withProgress(vscode.l10n.t('Recovering {0}…', ref.name), async (signal) => {
    await service.recover(ref.vaultUrl, ref.name, { abortSignal: signal });
    // Recovery finishes asynchronously: wait until the certificate answers, so the tree shows it at once.
    await eventually(() => service.get(ref.vaultUrl, ref.name, undefined, { abortSignal: signal }), (e) => isKeyVaultError(e) && e.kind === 'not-found', signal, 60_000).catch(() => undefined);
  });
  c.log.info(`Recovered certificate ${ref.name} in ${hostOf(ref.vaultUrl)}`);
  await refreshFamily(c, ref.vaultUrl, 'certificates');
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Recovered certificate {0} with all its versions, its key and its secret.', ref.name) });
}

/** Purge: deleted certificates only; a modal, then the typed name. */
export async function purgeCertificate(c: VaultCommandContext, arg: unknown): Promise<void> {
  const ref = await resolveCertificate(c, arg, { title: vscode.l10n.t('Purge Deleted Certificate'), deleted: true });
  const vault = hostOf(ref.vaultUrl);
  await confirm(
    c,
    vscode.l10n.t('Purge certificate {0} from {1} for good?', ref.name, vault),
    vscode.l10n.t('Every version, its private key and its secret are deleted permanently: they cannot be recovered, and backups are the only way back. You will type the name to confirm.'),
    vscode.l10n.t('Purge…'),
  );
  await confirmTypedName(c, vscode.l10n.t('certificate'), ref.name, vscode.l10n.t('Purge {0}', ref.name));
  await withProgress(vscode.l10n.t('Purging {0}…', ref.name), (signal) => ref.session.service.certificates.purge(ref.vaultUrl, ref.name, { abortSignal: signal }));
  c.log.info(`Purged certificate ${ref.name} in ${vault}`);
  await refreshFamily(c, ref.vaultUrl, 'certificates');
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Purged {0}. Its name can be used again once Key Vault finishes (usually seconds).', ref.name) });
}

export const CERTIFICATE_BACKUP_EXTENSION = 'certificate-backup';

/** Back Up Certificate to File…: what the file is first, then where it goes. */
export async function backupCertificate(c: VaultCommandContext, arg: unknown, input: { uri?: unknown } = {}): Promise<vscode.Uri> {
  const ref = await resolveCertificate(c, arg, { title: vscode.l10n.t('Back Up Certificate') });
  let target = uriArgument(input.uri);
  if (!target) {
    await confirm(
      c,
      vscode.l10n.t('Back up certificate {0} to a file?', ref.name),
      vscode.l10n.t(
        'The file holds every version with its private key, encrypted by Key Vault: it can only be restored into a key vault in the same Azure subscription and geography. Treat it as sensitive anyway.',
      ),
      vscode.l10n.t('Choose File…'),
    );
    const defaultUri = suggestedUri(`${ref.name}.${CERTIFICATE_BACKUP_EXTENSION}`);
    target = required(
      await c.prompts.saveDialog({
        title: vscode.l10n.t('Save backup of {0}', ref.name),
        saveLabel: vscode.l10n.t('Save Backup'),
        filters: { [vscode.l10n.t('Key Vault certificate backup')]: [CERTIFICATE_BACKUP_EXTENSION], [vscode.l10n.t('All files')]: ['*'] },
        ...(defaultUri ? { defaultUri } : {}),
      }),
    );
  }
  const blob = await withProgress(vscode.l10n.t('Backing up {0}…', ref.name), (signal) => ref.session.service.certificates.backup(ref.vaultUrl, ref.name, { abortSignal: signal }));
  await writeUserFile(target, blob);
  c.log.info(`Backed up certificate ${ref.name} of ${hostOf(ref.vaultUrl)} (${blob.byteLength} bytes) to a file the user chose`);
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Saved the backup of {0} ({1} bytes).', ref.name, blob.byteLength) });
  return target;
}

/** Restore Certificate from Backup…: a backup file into a vault (the certificate's name must be free there, so that asks first). */
export async function restoreCertificate(c: VaultCommandContext, arg: unknown, input: { uri?: unknown } = {}): Promise<KeyVaultCertificate> {
  const title = vscode.l10n.t('Restore Certificate from Backup');
  const vault = await resolveVault(c, arg, 'certificates', title);
  const uri =
    uriArgument(input.uri) ??
    required(
      await c.prompts.openDialog({
        title: vscode.l10n.t('Restore a certificate backup into {0}', vault.name),
        openLabel: vscode.l10n.t('Restore'),
        canSelectMany: false,
        filters: { [vscode.l10n.t('Key Vault certificate backup')]: [CERTIFICATE_BACKUP_EXTENSION], [vscode.l10n.t('All files')]: ['*'] },
      }),
    )[0]!;
  const blob = await readUserFile(uri);
  const certificates = vault.session.service.certificates;
  await askBeforeRestoreOver(c, 'certificate', vault.name, nameFromBackupFile(uri.path, CERTIFICATE_BACKUP_EXTENSION), (name) => certificates.listVersions(vault.url, name));
  const restored = await withProgress(vscode.l10n.t('Restoring into {0}…', vault.name), (signal) => certificates.restore(vault.url, blob, { abortSignal: signal }));
  c.log.info(`Restored certificate ${restored.name} into ${hostOf(vault.url)}`);
  await refreshFamily(c, vault.url, 'certificates');
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Restored certificate {0} into {1}.', restored.name, vault.name) });
  return restored;
}
