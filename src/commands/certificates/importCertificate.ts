import * as vscode from 'vscode';
import { readPem, readPfx, type ImportMaterial } from '../../keyvault/certificates/pfx';
import { validityState } from '../../keyvault/certificates/x509';
import { isKeyVaultError, KeyVaultError } from '../../keyvault/errors';
import { isValidObjectName } from '../../keyvault/identifiers';
import type { KeyVaultCertificate } from '../../keyvault/models/certificates';
import { required } from '../pickers';
import { CertificateCommandIds } from './certificateCommandIds';
import { checkNameBeforeCreate } from './create';
import { confirm, hostOf, readUserFile, refreshFamily, uriArgument, withProgress, type VaultCommandContext } from './context';
import { importFormatOf, nameFromFileName } from './files';
import { resolveVault } from './target';

/** What the command may be given instead of asking (automation and tests). A password given here is never stored. */
export interface ImportInput {
  uri?: unknown;
  name?: string;
  password?: string;
  /** Import an expired certificate without asking. */
  allowExpired?: boolean;
}

const PASSWORD_PROBLEM = /password/i;

/** Opens the file locally the way the service will: wrong password, no key, mismatched key — all before sending. */
function open(format: 'pfx' | 'pem', bytes: Uint8Array, password: string | undefined): ImportMaterial {
  // Expiry is asked about separately, so the user can agree to import an expired certificate.
  return format === 'pfx' ? readPfx(bytes, password, { allowExpired: true }) : readPem(Buffer.from(bytes).toString('utf8'), password, { allowExpired: true });
}

const needsPassword = (err: unknown): boolean => err instanceof KeyVaultError && PASSWORD_PROBLEM.test(err.message);

/**
 * Opens the file, asking for its password (masked) as long as the password is what is wrong. Other problems
 * (no private key, a key that does not belong to the certificate) are thrown with their explanation.
 */
async function openWithPassword(c: VaultCommandContext, format: 'pfx' | 'pem', bytes: Uint8Array, fileName: string, given: string | undefined): Promise<{ material: ImportMaterial; password: string | undefined }> {
  let password = given;
  let problem: string | undefined;
  for (;;) {
    try {
      return { material: open(format, bytes, password), password };
    } catch (err) {
      if (!needsPassword(err) || given !== undefined) throw err;
      problem = password === undefined ? undefined : (err as KeyVaultError).message;
    }
    password = required(
      await c.prompts.input({
        title: vscode.l10n.t('Import Certificate'),
        prompt: problem
          ? vscode.l10n.t('{0} Enter the password of {1} again.', problem, fileName)
          : format === 'pfx'
            ? vscode.l10n.t('{0} is protected by a password. Enter it to open the file.', fileName)
            : vscode.l10n.t('The private key in {0} is encrypted. Enter its password.', fileName),
        password: true,
        placeholder: vscode.l10n.t('Password'),
      }),
    );
  }
}

/**
 * `Import Certificate…`: a PFX (PKCS #12) or PEM file with the certificate and its private key, checked locally
 * first — the password opens it, the key belongs to the certificate, it has not expired (unless the user agrees).
 */
export async function importCertificate(c: VaultCommandContext, arg: unknown, input: ImportInput = {}): Promise<KeyVaultCertificate> {
  const title = vscode.l10n.t('Import Certificate');
  const vault = await resolveVault(c, arg, 'certificates', title);
  const uri =
    uriArgument(input.uri) ??
    required(
      await c.prompts.openDialog({
        title: vscode.l10n.t('Import a certificate into {0}', vault.name),
        openLabel: vscode.l10n.t('Import'),
        canSelectMany: false,
        filters: { [vscode.l10n.t('Certificates with private key')]: ['pfx', 'p12', 'pem'], [vscode.l10n.t('All files')]: ['*'] },
      }),
    )[0]!;
  const fileName = uri.path.split('/').pop() ?? 'the file';
  const bytes = await readUserFile(uri);
  try {
    if (bytes.length === 0) throw new Error(vscode.l10n.t('{0} is empty.', fileName));
    if (bytes.length > 1024 * 1024) throw new Error(vscode.l10n.t('{0} is larger than 1 MB: it is not a certificate file.', fileName));
    const format = importFormatOf(bytes);
    const { material, password } = await openWithPassword(c, format, bytes, fileName, input.password);
    const leaf = material.leaf;
    const state = validityState(leaf, new Date(c.tree.now()));
    let allowExpired = input.allowExpired === true;
    if (state === 'expired' && !allowExpired) {
      await confirm(
        c,
        vscode.l10n.t('The certificate in {0} expired on {1}.', fileName, leaf.notAfter.toISOString().slice(0, 10)),
        vscode.l10n.t('Subject: {0}. Key Vault stores expired certificates, but applications using it will fail. Import it anyway?', leaf.subject),
        vscode.l10n.t('Import Expired Certificate'),
      );
      allowExpired = true;
    }

    const name =
      input.name ??
      required(
        await c.prompts.input({
          title,
          prompt: vscode.l10n.t('Name for {0} ({1}, valid until {2}) in {3}', leaf.commonName ?? leaf.subject, format.toUpperCase(), leaf.notAfter.toISOString().slice(0, 10), vault.name),
          value: nameFromFileName(fileName) || leaf.commonName?.replace(/[^0-9A-Za-z-]+/g, '-').replace(/^-|-$/g, '') || '',
          validate: (v) => (isValidObjectName(v.trim()) ? undefined : vscode.l10n.t('1-127 letters, digits and dashes.')),
        }),
      ).trim();
    if (input.name === undefined) await checkNameBeforeCreate(c, vault, name);

    const imported = await withProgress(vscode.l10n.t('Importing {0} into {1}…', name, vault.name), (signal) =>
      vault.session.service.certificates.import(vault.url, name, {
        ...(format === 'pfx' ? { pfx: bytes } : { pem: Buffer.from(bytes).toString('utf8') }),
        ...(password !== undefined ? { password } : {}),
        ...(allowExpired ? { allowExpired: true } : {}),
        abortSignal: signal,
      }),
    );
    c.log.info(`Imported certificate ${name} (${format.toUpperCase()}, ${material.chain.length} certificate(s)) into ${hostOf(vault.url)}`);
    void refreshFamily(c, vault.url, 'certificates');
    const details = vscode.l10n.t('Show Details');
    void vscode.window.showInformationMessage(vscode.l10n.t('Imported {0} into {1}.', name, vault.name), details).then((choice) => {
      if (choice === details) void vscode.commands.executeCommand(CertificateCommandIds.showCertificateDetails, { session: vault.session, vaultUrl: vault.url, name });
    });
    return imported;
  } catch (err) {
    if (isKeyVaultError(err) && err.kind === 'bad-request' && !err.status) {
      // A local check failed: say which file, so the message stands on its own in a notification.
      throw new Error(vscode.l10n.t('{0}: {1}', fileName, err.userMessage));
    }
    throw err;
  } finally {
    bytes.fill(0);
  }
}
