import * as vscode from 'vscode';
import { certificateDetails, readCertificates } from '../../keyvault/certificates/x509';
import type { CertificateOperation, KeyVaultCertificate } from '../../keyvault/models/certificates';
import { required } from '../pickers';
import { confirm, hostOf, readUserFile, refreshFamily, uriArgument, withProgress, type VaultCommandContext } from './context';
import { describeOperation } from './create';
import { resolveCertificate } from './target';

/**
 * `Merge Signed Certificate…`: completes an issuer-Unknown operation with the certificate the CA signed (PEM, DER or
 * base64, optionally with its chain), read from a file the user picks.
 */
export async function mergeCertificate(c: VaultCommandContext, arg: unknown, input: { uri?: unknown } = {}): Promise<KeyVaultCertificate> {
  const title = vscode.l10n.t('Merge Signed Certificate');
  const ref = await resolveCertificate(c, arg, { title, pendingOnly: true });
  const uri =
    uriArgument(input.uri) ??
    required(
      await c.prompts.openDialog({
        title: vscode.l10n.t('The signed certificate for {0}', ref.name),
        openLabel: vscode.l10n.t('Merge'),
        canSelectMany: false,
        filters: { [vscode.l10n.t('Certificates')]: ['cer', 'crt', 'pem', 'der'], [vscode.l10n.t('All files')]: ['*'] },
      }),
    )[0]!;
  const bytes = await readUserFile(uri);
  const fileName = uri.path.split('/').pop() ?? '';
  // Read it locally first: a file that is not a certificate gets a clear message instead of Key Vault's 400.
  let count: number;
  let subject: string;
  try {
    const ders = readCertificates(bytes);
    count = ders.length;
    subject = certificateDetails(ders[0]!).subject;
  } catch (err) {
    throw new Error(vscode.l10n.t('{0} does not hold a certificate to merge: {1}', fileName, err instanceof Error ? err.message : String(err)));
  }
  const merged = await withProgress(vscode.l10n.t('Merging the signed certificate into {0}…', ref.name), (signal) =>
    ref.session.service.certificates.merge(ref.vaultUrl, ref.name, bytes, { abortSignal: signal }),
  );
  c.log.info(`Merged a signed certificate (${count} in chain) into ${ref.name} (${hostOf(ref.vaultUrl)})`);
  void refreshFamily(c, ref.vaultUrl, 'certificates');
  void vscode.window.showInformationMessage(vscode.l10n.t('Merged: certificate {0} is issued ({1}).', ref.name, subject));
  return merged;
}

/** `Cancel Operation`: asks Key Vault to stop issuing; the certificate stays pending until the operation is deleted. */
export async function cancelOperation(c: VaultCommandContext, arg: unknown): Promise<CertificateOperation> {
  const ref = await resolveCertificate(c, arg, { title: vscode.l10n.t('Cancel Certificate Operation'), pendingOnly: true });
  await confirm(
    c,
    vscode.l10n.t('Cancel the pending operation of {0}?', ref.name),
    vscode.l10n.t('Key Vault stops issuing this version. The signing request becomes useless; a certificate the CA already signed for it can no longer be merged.'),
    vscode.l10n.t('Cancel Operation'),
  );
  const op = await withProgress(vscode.l10n.t('Cancelling the operation of {0}…', ref.name), (signal) => ref.session.service.certificates.cancelOperation(ref.vaultUrl, ref.name, { abortSignal: signal }));
  c.log.info(`Cancellation requested for the operation of certificate ${ref.name} (${hostOf(ref.vaultUrl)})`);
  void refreshFamily(c, ref.vaultUrl, 'certificates');
  void vscode.window.showInformationMessage(op.status?.toLowerCase() === 'cancelled' ? describeOperation(ref.name, op) : vscode.l10n.t('Cancellation of {0} was requested.', ref.name));
  return op;
}

/** `Delete Operation`: removes the pending operation (and, for a first version, what was pending). */
export async function deleteOperation(c: VaultCommandContext, arg: unknown): Promise<CertificateOperation> {
  const ref = await resolveCertificate(c, arg, { title: vscode.l10n.t('Delete Certificate Operation'), pendingOnly: true });
  await confirm(
    c,
    vscode.l10n.t('Delete the pending operation of {0}?', ref.name),
    vscode.l10n.t('Its signing request and status are removed. Issued versions of the certificate are not affected.'),
    vscode.l10n.t('Delete Operation'),
  );
  const op = await withProgress(vscode.l10n.t('Deleting the operation of {0}…', ref.name), (signal) => ref.session.service.certificates.deleteOperation(ref.vaultUrl, ref.name, { abortSignal: signal }));
  c.log.info(`Deleted the operation of certificate ${ref.name} (${hostOf(ref.vaultUrl)})`);
  void refreshFamily(c, ref.vaultUrl, 'certificates');
  void vscode.window.showInformationMessage(vscode.l10n.t('Deleted the pending operation of {0}.', ref.name));
  return op;
}
