import * as vscode from 'vscode';
import { isKeyVaultError } from '../../keyvault/errors';
import type { DeletedKey, KeyVaultKey } from '../../keyvault/models/keys';
import { shortDate } from '../../tree/model/objectView';
import { keyDetail } from '../../webviews/crypto/operations';
import { nameFromBackupFile } from '../backupFileNames';
import { required } from '../pickers';
import { askBeforeRestoreOver } from '../restoreOverExisting';
import { confirm, confirmTypedName, defaultSaveUri, eventually, hostOf, readUserFile, refreshKeys, withProgress, writeUserFile, type KeyCommandContext } from './context';
import { describeKey, resolveContainer, resolveKey } from './targets';

/** `Enable` / `Disable` a key version (the current one from a key node). Disabling asks first: it stops every use. */
export async function setKeyEnabled(c: KeyCommandContext, arg: unknown, enabled: boolean): Promise<KeyVaultKey> {
  const title = enabled ? vscode.l10n.t('Enable Key') : vscode.l10n.t('Disable Key');
  const ref = await resolveKey(c, arg, { title, pickVersion: true });
  if (!enabled) {
    await confirm(
      c,
      vscode.l10n.t('Disable {0}?', describeKey(ref)),
      ref.version
        ? vscode.l10n.t('Key Vault refuses every operation with this version until it is enabled again; other versions are not affected.')
        : vscode.l10n.t("Key Vault refuses every operation with the key's current version until it is enabled again."),
      vscode.l10n.t('Disable'),
    );
  }
  const key = await withProgress(enabled ? vscode.l10n.t('Enabling {0}…', describeKey(ref)) : vscode.l10n.t('Disabling {0}…', describeKey(ref)), (signal) =>
    ref.session.service.keys.update(ref.vaultUrl, ref.name, ref.version ?? '', { attributes: { enabled }, abortSignal: signal }),
  );
  c.log.info(`${enabled ? 'Enabled' : 'Disabled'} key ${ref.name} version ${key.version ?? ''} in ${hostOf(ref.vaultUrl)}`);
  await refreshKeys(c, ref.vaultUrl, { listing: true, names: [ref.name] });
  void c.prompts.message({ kind: 'info', text: enabled ? vscode.l10n.t('Enabled {0} (version {1}).', ref.name, (key.version ?? '').slice(0, 8)) : vscode.l10n.t('Disabled {0} (version {1}).', ref.name, (key.version ?? '').slice(0, 8)) });
  return key;
}

/** `Rotate Now`: a new version with the key's type and size (expiry per its rotation policy). */
export async function rotateKey(c: KeyCommandContext, arg: unknown): Promise<KeyVaultKey> {
  const ref = await resolveKey(c, arg, { title: vscode.l10n.t('Rotate Key') });
  const key = await withProgress(vscode.l10n.t('Rotating {0}…', ref.name), (signal) => ref.session.service.keys.rotate(ref.vaultUrl, ref.name, { abortSignal: signal }));
  c.log.info(`Rotated key ${ref.name} in ${hostOf(ref.vaultUrl)}: new version ${key.version ?? ''}`);
  await refreshKeys(c, ref.vaultUrl, { listing: true, names: [ref.name] });
  const expiry = key.attributes.expiresOn ? vscode.l10n.t(', expires {0}', shortDate(key.attributes.expiresOn)) : '';
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Rotated {0}: new current version {1} ({2}{3}).', ref.name, (key.version ?? '').slice(0, 8), keyDetail(key), expiry) });
  return key;
}

const purgeDate = (d: DeletedKey): string => (d.scheduledPurgeDate ? shortDate(d.scheduledPurgeDate) : '');

/** `Delete Key`: soft delete after a confirmation that says what recovery remains. */
export async function deleteKey(c: KeyCommandContext, arg: unknown): Promise<DeletedKey> {
  const ref = await resolveKey(c, arg, { title: vscode.l10n.t('Delete Key') });
  if (ref.view?.managed) throw new Error(vscode.l10n.t('Key {0} backs a certificate: delete the certificate instead.', ref.name));
  const recoverable = !ref.view?.recoveryLevel || /Recoverable/i.test(ref.view.recoveryLevel);
  await confirm(
    c,
    vscode.l10n.t('Delete key {0} from {1}?', ref.name, hostOf(ref.vaultUrl)),
    recoverable
      ? vscode.l10n.t('Every version is deleted. The key stays recoverable (Deleted group) until its scheduled purge date; applications using it fail until then.')
      : vscode.l10n.t('This vault does not keep deleted keys: the key and every version are gone for good.'),
    vscode.l10n.t('Delete'),
  );
  const deleted = await withProgress(vscode.l10n.t('Deleting {0}…', ref.name), (signal) => ref.session.service.keys.delete(ref.vaultUrl, ref.name, { abortSignal: signal }));
  c.log.info(`Deleted key ${ref.name} from ${hostOf(ref.vaultUrl)}`);
  await refreshKeys(c, ref.vaultUrl);
  void c.prompts.message({ kind: 'info', text: deleted.scheduledPurgeDate ? vscode.l10n.t('Deleted key {0}. It can be recovered until {1}.', ref.name, purgeDate(deleted)) : vscode.l10n.t('Deleted key {0}.', ref.name) });
  return deleted;
}

const notFoundYet = (err: unknown): boolean => isKeyVaultError(err) && err.kind === 'not-found';

/** `Recover`: a deleted key back with all its versions. */
export async function recoverKey(c: KeyCommandContext, arg: unknown): Promise<KeyVaultKey> {
  const ref = await resolveKey(c, arg, { title: vscode.l10n.t('Recover Deleted Key'), deleted: true });
  const key = await withProgress(vscode.l10n.t('Recovering {0}…', ref.name), async (signal) => {
    const recovered = await ref.session.service.keys.recover(ref.vaultUrl, ref.name, { abortSignal: signal });
    // Recovery completes asynchronously: wait until the key answers, so the refreshed tree shows it.
    await eventually(() => ref.session.service.keys.get(ref.vaultUrl, ref.name, undefined, { abortSignal: signal }), notFoundYet, signal);
    return recovered;
  });
  c.log.info(`Recovered key ${ref.name} in ${hostOf(ref.vaultUrl)}`);
  await refreshKeys(c, ref.vaultUrl);
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Recovered key {0}.', ref.name) });
  return key;
}

/** `Purge`: permanent; the user types the name. */
export async function purgeKey(c: KeyCommandContext, arg: unknown): Promise<void> {
  const ref = await resolveKey(c, arg, { title: vscode.l10n.t('Purge Deleted Key'), deleted: true });
  await confirmTypedName(c, ref.name, vscode.l10n.t('Purge {0}', ref.name));
  await withProgress(vscode.l10n.t('Purging {0}…', ref.name), (signal) => ref.session.service.keys.purge(ref.vaultUrl, ref.name, { abortSignal: signal }));
  c.log.info(`Purged key ${ref.name} from ${hostOf(ref.vaultUrl)}`);
  await refreshKeys(c, ref.vaultUrl, { deleted: true });
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Purged key {0}: it is gone for good.', ref.name) });
}

/** Back Up names files `<key>.keybackup`; Restore reads the key's name back from that. */
export const KEY_BACKUP_EXTENSION = 'keybackup';

/** `Back Up to File…`: the opaque, encrypted blob Key Vault makes (every version), after saying what it is. */
export async function backupKey(c: KeyCommandContext, arg: unknown, target?: vscode.Uri): Promise<vscode.Uri> {
  const ref = await resolveKey(c, arg, { title: vscode.l10n.t('Back Up Key') });
  await confirm(
    c,
    vscode.l10n.t('Back up key {0} to a file?', ref.name),
    vscode.l10n.t(
      'The file holds every version of the key, private key material included, encrypted by Key Vault. It can be restored only into a vault or HSM of the same Azure subscription and geography. Store it as carefully as the key itself.',
    ),
    vscode.l10n.t('Choose File…'),
  );
  const uri =
    target ??
    (await c.prompts.saveDialog({
      title: vscode.l10n.t('Back up key {0}', ref.name),
      defaultUri: defaultSaveUri(`${ref.name}.${KEY_BACKUP_EXTENSION}`),
      saveLabel: vscode.l10n.t('Back Up'),
      filters: { [vscode.l10n.t('Key Vault key backup')]: [KEY_BACKUP_EXTENSION] },
    }));
  if (!uri) throw new vscode.CancellationError();
  const blob = await withProgress(vscode.l10n.t('Backing up {0}…', ref.name), (signal) => ref.session.service.keys.backup(ref.vaultUrl, ref.name, { abortSignal: signal }));
  await writeUserFile(uri, blob);
  c.log.info(`Backed up key ${ref.name} from ${hostOf(ref.vaultUrl)} to a file (${blob.length} bytes)`);
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Backed up key {0} to {1}.', ref.name, uri.fsPath || uri.toString()) });
  return uri;
}

/** `Restore Key from Backup…`: into the chosen vault or HSM; a key of the same name must not exist there, so that asks first. */
export async function restoreKey(c: KeyCommandContext, arg: unknown, file?: vscode.Uri): Promise<KeyVaultKey> {
  const target = await resolveContainer(c, arg, vscode.l10n.t('Restore Key'));
  const uri =
    file ??
    required(
      await c.prompts.openDialog({
        title: vscode.l10n.t('Restore a key into {0}', target.name),
        canSelectMany: false,
        canSelectFiles: true,
        canSelectFolders: false,
        openLabel: vscode.l10n.t('Restore'),
        filters: { [vscode.l10n.t('Key Vault key backup')]: [KEY_BACKUP_EXTENSION], [vscode.l10n.t('All files')]: ['*'] },
      }),
    )[0];
  if (!uri) throw new vscode.CancellationError();
  const blob = await readUserFile(uri);
  const keys = target.session.service.keys;
  await askBeforeRestoreOver(c, 'key', target.name, nameFromBackupFile(uri.path, KEY_BACKUP_EXTENSION), (name) => keys.listVersions(target.url, name));
  const key = await withProgress(vscode.l10n.t('Restoring into {0}…', target.name), (signal) => keys.restore(target.url, blob, { abortSignal: signal }));
  c.log.info(`Restored key ${key.name} into ${hostOf(target.url)}`);
  await refreshKeys(c, target.url, { listing: true, names: [key.name] });
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Restored key {0} into {1}.', key.name, target.name) });
  return key;
}

/** Rejects files given as arguments that are not URIs (commands are callable by other extensions). */
export function uriArg(x: unknown): vscode.Uri | undefined {
  return x instanceof vscode.Uri ? x : undefined;
}
