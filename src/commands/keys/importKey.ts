import * as vscode from 'vscode';
import { isKeyVaultError } from '../../keyvault/errors';
import type { KeyVaultKey } from '../../keyvault/models/keys';
import { validateKeyName } from '../../webviews/createKey/form';
import { required, type Back } from '../pickers';
import { announceKey } from './createKey';
import { readUserFile, withProgress, type KeyCommandContext } from './context';
import { inspectKeyFile, keyNameFromFileName, readKeyFile, type ReadKeyFile } from './keyFile';
import { resolveContainer } from './targets';

/** What a test (or another command) may pass instead of answering the prompts one by one. */
export interface ImportKeyArgs {
  /** The vault/HSM node or URL. */
  container?: unknown;
  file?: vscode.Uri;
}

const isArgs = (x: unknown): x is ImportKeyArgs => typeof x === 'object' && x !== null && ('file' in x || 'container' in x) && !('session' in x);

/** The passphrase prompt, again after a wrong one; the passphrase is used once and never stored or logged. */
async function readWithPassphrase(c: KeyCommandContext, content: Uint8Array, fileName: string): Promise<ReadKeyFile> {
  let problem: string | undefined;
  for (;;) {
    const passphrase = required<string>(
      (await c.prompts.input({
        title: vscode.l10n.t('Import Key: {0}', fileName),
        prompt: problem ?? vscode.l10n.t('The private key is encrypted: enter its passphrase (used once, never stored).'),
        password: true,
        validate: (v) => (v.length === 0 ? vscode.l10n.t('Enter the passphrase.') : undefined),
      })) as string | Back | undefined,
    );
    try {
      return readKeyFile(content, passphrase);
    } catch (err) {
      // Only a wrong passphrase is worth another try; a damaged or unsupported file is not.
      if (isKeyVaultError(err) && /passphrase/i.test(err.message)) {
        problem = vscode.l10n.t('{0} Try again, or press Escape to cancel.', err.message);
        continue;
      }
      throw err;
    }
  }
}

/**
 * `Import Key from File…`: a PEM (PKCS#8, PKCS#1 or SEC1; RSA or EC; passphrase-protected too) or JWK file, parsed
 * and checked with Node's crypto before anything is sent; name and protection; ImportKey. The private key exists only
 * in this function's locals and the request body: never logged, never kept, and the file bytes are zeroed afterwards.
 */
export async function importKey(c: KeyCommandContext, arg?: unknown): Promise<KeyVaultKey> {
  const title = vscode.l10n.t('Import Key');
  const args = isArgs(arg) ? arg : undefined;
  const target = await resolveContainer(c, args ? args.container : arg, title);
  const uri =
    args?.file ??
    required(
      await c.prompts.openDialog({
        title: vscode.l10n.t('Import a key into {0}', target.name),
        canSelectMany: false,
        canSelectFiles: true,
        canSelectFolders: false,
        openLabel: vscode.l10n.t('Import'),
        filters: { [vscode.l10n.t('Key files (PEM, JWK)')]: ['pem', 'key', 'json', 'jwk'], [vscode.l10n.t('All files')]: ['*'] },
      }),
    )[0];
  if (!uri) throw new vscode.CancellationError();
  const fileName = uri.path.split('/').pop() ?? 'key';
  const content = await readUserFile(uri);
  try {
    const inspection = inspectKeyFile(content);
    const parsed = inspection.encrypted ? await readWithPassphrase(c, content, fileName) : readKeyFile(content);
    const name = required(
      await c.prompts.input({
        title: vscode.l10n.t('Import {0} key into {1}', parsed.summary, target.name),
        prompt: vscode.l10n.t('Key name: letters, digits and dashes (an existing name gets a new version)'),
        value: keyNameFromFileName(fileName),
        validate: (v) => validateKeyName(v.trim()),
      }),
    ).trim();
    let hsm: boolean | undefined;
    if (target.kind === 'vault') {
      const choice = required(
        await c.prompts.pick({
          title: vscode.l10n.t('Import {0}: protection', name),
          items: [
            { label: vscode.l10n.t('Software-protected'), description: vscode.l10n.t('any vault tier'), hsm: false },
            { label: vscode.l10n.t('HSM-protected'), description: vscode.l10n.t('Premium vaults only'), hsm: true },
          ],
        }),
      );
      hsm = choice.hsm;
    }
    const key = await withProgress(vscode.l10n.t('Importing key {0}…', name), (signal) =>
      target.session.service.keys.import(target.url, name, parsed.jwk, { ...(hsm !== undefined ? { hsm } : {}), abortSignal: signal }),
    );
    c.log.info(`Imported key ${name} (${parsed.summary}, from ${inspection.format.toUpperCase()}${inspection.encrypted ? ', encrypted' : ''}) into ${new URL(target.url).host}`);
    await c.recent.touch({ url: target.url, name: target.name, kind: target.kind });
    announceKey(c, target, key, vscode.l10n.t('Imported'), `${parsed.summary}${key.keyType.endsWith('-HSM') ? ', HSM-protected' : ''}`);
    return key;
  } finally {
    content.fill(0);
  }
}
