import * as vscode from 'vscode';
import { csrToPem } from '../../keyvault/certificates/csr';
import { thumbprintHex } from '../../keyvault/certificates/wire';
import { buildObjectId } from '../../keyvault/identifiers';
import type { CertificateDownloadFormat } from '../../keyvault/models/certificates';
import { required } from '../pickers';
import { confirm, hostOf, suggestedUri, uriArgument, withProgress, writeUserFile, type VaultCommandContext } from './context';
import { DOWNLOAD_FORMATS, downloadFileName, formatInfo } from './files';
import { describeRef, resolveCertificate } from './target';

/** What a command may be given instead of asking (automation and tests). */
export interface DownloadInput {
  format?: CertificateDownloadFormat;
  /** Where to write; a Uri or a path. */
  uri?: unknown;
}

async function saveTarget(c: VaultCommandContext, given: unknown, fileName: string, filters: Record<string, string[]>, title: string): Promise<vscode.Uri> {
  const fromArg = uriArgument(given);
  if (fromArg) return fromArg;
  const defaultUri = suggestedUri(fileName);
  return required(await c.prompts.saveDialog({ title, saveLabel: vscode.l10n.t('Save'), filters, ...(defaultUri ? { defaultUri } : {}) }));
}

/**
 * `Download Certificate…`: CER or PEM (public), or PFX / PEM with the private key read through the certificate's
 * secret — after a warning, into a file the user picks. Returns the file written.
 */
export async function downloadCertificate(c: VaultCommandContext, arg: unknown, input: DownloadInput = {}): Promise<vscode.Uri> {
  const title = vscode.l10n.t('Download Certificate');
  const ref = await resolveCertificate(c, arg, { title });
  if (ref.view?.pending && !ref.view.thumbprint) {
    throw new Error(vscode.l10n.t('Certificate {0} has no issued version yet: complete or merge its pending operation first.', ref.name));
  }
  const format =
    input.format ??
    required(
      await c.prompts.pick({
        title,
        placeholder: vscode.l10n.t('Download {0} as…', describeRef(ref)),
        items: DOWNLOAD_FORMATS.map((f) => ({
          label: f.privateKey ? `$(key) ${vscode.l10n.t(f.label)}` : vscode.l10n.t(f.label),
          description: vscode.l10n.t(f.description),
          detail: f.privateKey ? vscode.l10n.t('Includes the private key: only for certificates created as exportable.') : undefined,
          format: f.format,
        })),
      }),
    ).format;
  const info = formatInfo(format);
  if (info.privateKey) {
    await confirm(
      c,
      vscode.l10n.t('Download {0} with its private key?', describeRef(ref)),
      vscode.l10n.t(
        'The file will hold the private key without a password. Anyone who gets the file can use the certificate as you. Keep it somewhere safe, do not commit it, and delete it when done.',
      ),
      vscode.l10n.t('Download with Private Key'),
    );
  }
  const uri = await saveTarget(c, input.uri, downloadFileName(ref.name, info.extension, ref.version), info.filters, title);
  const download = await withProgress(vscode.l10n.t('Downloading {0}…', describeRef(ref)), (signal) =>
    ref.session.service.certificates.download(ref.vaultUrl, ref.name, format, { ...(ref.version ? { version: ref.version } : {}), abortSignal: signal }),
  );
  try {
    if (info.privateKey && !download.includesPrivateKey) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Certificate {0} is not exportable: the file holds the certificate chain without a private key.', ref.name));
    }
    await writeUserFile(uri, download.bytes);
  } finally {
    // The key material stays nowhere but in the file the user chose.
    if (download.includesPrivateKey) download.bytes.fill(0);
  }
  c.log.info(`Downloaded certificate ${ref.name}${ref.version ? ` version ${ref.version}` : ''} from ${hostOf(ref.vaultUrl)} as ${format}${download.includesPrivateKey ? ' (with private key)' : ''}`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Saved {0} to {1}.', describeRef(ref), vscode.workspace.asRelativePath(uri)));
  return uri;
}

/** `Download CSR…`: the pending operation's signing request as PEM, for a CA to sign. */
export async function downloadCsr(c: VaultCommandContext, arg: unknown, input: { uri?: unknown } = {}): Promise<vscode.Uri> {
  const title = vscode.l10n.t('Download Certificate Signing Request');
  const ref = await resolveCertificate(c, arg, { title, pendingOnly: true });
  const op = await withProgress(vscode.l10n.t('Reading the pending operation of {0}…', ref.name), (signal) => ref.session.service.certificates.getOperation(ref.vaultUrl, ref.name, { abortSignal: signal }));
  if (!op.csr?.length) throw new Error(vscode.l10n.t('The pending operation of {0} has no signing request (status: {1}).', ref.name, op.status ?? 'unknown'));
  const uri = await saveTarget(c, input.uri, `${ref.name}.csr`, { 'Certificate signing request': ['csr', 'pem', 'req'] }, title);
  await writeUserFile(uri, new TextEncoder().encode(csrToPem(op.csr)));
  c.log.info(`Saved the signing request of certificate ${ref.name} (${hostOf(ref.vaultUrl)})`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Saved the signing request of {0} to {1}. Have your CA sign it, then merge the signed certificate.', ref.name, vscode.workspace.asRelativePath(uri)));
  return uri;
}

/** `Copy Thumbprint`: the SHA-1 thumbprint in upper-case hex, as Windows and the portal show it. */
export async function copyThumbprint(c: VaultCommandContext, arg: unknown): Promise<string> {
  const ref = await resolveCertificate(c, arg, { title: vscode.l10n.t('Copy Certificate Thumbprint') });
  let thumbprint = ref.view?.thumbprint;
  if (!thumbprint || ref.version) {
    const cert = await withProgress(vscode.l10n.t('Reading {0}…', describeRef(ref)), (signal) => ref.session.service.certificates.get(ref.vaultUrl, ref.name, ref.version, { abortSignal: signal }));
    thumbprint = cert.thumbprint ?? (cert.x5t ? thumbprintHex(cert.x5t) : undefined);
  }
  if (!thumbprint) throw new Error(vscode.l10n.t('Certificate {0} has no thumbprint yet: it has not been issued.', ref.name));
  await vscode.env.clipboard.writeText(thumbprint);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the thumbprint of {0}', describeRef(ref)), 3000);
  return thumbprint;
}

/** `Copy Identifier`: the certificate's id URL (versioned for a version). */
export async function copyIdentifier(c: VaultCommandContext, arg: unknown): Promise<string> {
  const ref = await resolveCertificate(c, arg, { title: vscode.l10n.t('Copy Certificate Identifier') });
  const id = buildObjectId(ref.vaultUrl, 'certificates', ref.name, ref.version);
  await vscode.env.clipboard.writeText(id);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the identifier of {0}', describeRef(ref)), 3000);
  return id;
}
