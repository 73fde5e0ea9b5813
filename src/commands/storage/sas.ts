import * as vscode from 'vscode';
import { isKeyVaultError } from '../../keyvault/errors';
import type { SasDefinition, SasTokenType } from '../../keyvault/models/storage';
import { confirm, eventually, hostOf, refreshFamily, withProgress, type VaultCommandContext } from '../certificates/context';
import type { InfoDocuments } from '../certificates/infoDocuments';
import { BACK, runWizard, type WizardStep } from '../pickers';
import { checkDuration, checkSasName, checkTemplate, describeDuration, sasDefinitionProperties } from './sasInput';
import { resolveSasDefinition, resolveStorageAccount } from './target';

/** What Create SAS Definition may be given instead of asking (automation and tests). */
export interface CreateSasInput {
  name: string;
  sasType: SasTokenType;
  templateUri: string;
  validityPeriod: string;
}

function parseSasInput(x: unknown): CreateSasInput | undefined {
  const r = x as Partial<CreateSasInput> | undefined;
  if (!r || typeof r !== 'object' || typeof r.name !== 'string' || typeof r.templateUri !== 'string' || typeof r.validityPeriod !== 'string') return undefined;
  return { name: r.name, sasType: r.sasType === 'service' ? 'service' : 'account', templateUri: r.templateUri, validityPeriod: r.validityPeriod };
}

/**
 * `Create SAS Definition…`: Key Vault issues SAS tokens for the account from a template SAS (any signed SAS URI with
 * the permissions wanted), each valid for the given period. The token is read as a secret named after the definition.
 */
export async function createSasDefinition(c: VaultCommandContext, arg: unknown, given?: unknown): Promise<SasDefinition> {
  const title = vscode.l10n.t('Create SAS Definition');
  const account = await resolveStorageAccount(c, arg, { title });
  let input = parseSasInput(given);
  if (!input) {
    const d: CreateSasInput = { name: '', sasType: 'account', templateUri: '', validityPeriod: 'PT2H' };
    const steps: WizardStep<CreateSasInput>[] = [
      {
        async run(_s, info) {
          const a = await c.prompts.input({ ...info, title, prompt: vscode.l10n.t('SAS definition name for {0} (letters and digits)', account.name), value: d.name, validate: checkSasName });
          if (a === undefined || a === BACK) return a;
          d.name = a.trim();
          return 'next';
        },
      },
      {
        async run(_s, info) {
          const a = await c.prompts.pick<vscode.QuickPickItem & { type: SasTokenType }>({
            ...info,
            title,
            placeholder: vscode.l10n.t('What the tokens cover'),
            items: [
              { label: vscode.l10n.t('Account SAS'), description: vscode.l10n.t('services and resource types of the whole account (ss, srt)'), type: 'account' },
              { label: vscode.l10n.t('Service SAS'), description: vscode.l10n.t('one container, blob, queue, table or share (sr)'), type: 'service' },
            ],
          });
          if (a === undefined || a === BACK) return a;
          d.sasType = a.type;
          return 'next';
        },
      },
      {
        async run(_s, info) {
          const a = await c.prompts.input({
            ...info,
            title,
            prompt: vscode.l10n.t('Template SAS URI: a SAS signed with any key, with the permissions the tokens get'),
            placeholder: d.sasType === 'account' ? 'https://account.blob.core.windows.net/?sv=…&ss=b&srt=co&sp=rl&sig=…' : 'https://account.blob.core.windows.net/container?sv=…&sr=c&sp=rl&sig=…',
            value: d.templateUri,
            password: false,
            validate: (v) => checkTemplate(v, d.sasType),
          });
          if (a === undefined || a === BACK) return a;
          d.templateUri = a.trim();
          return 'next';
        },
      },
      {
        async run(_s, info) {
          const a = await c.prompts.input({
            ...info,
            title,
            prompt: vscode.l10n.t('How long each token is valid (ISO 8601 duration, e.g. PT2H, P1D)'),
            value: d.validityPeriod,
            validate: (v) => checkDuration(v, vscode.l10n.t('Validity period')),
          });
          if (a === undefined || a === BACK) return a;
          d.validityPeriod = a.trim().toUpperCase();
          return 'next';
        },
      },
    ];
    if (!(await runWizard(steps, d))) throw new vscode.CancellationError();
    input = d;
  }
  const request = input;
  const sas = await withProgress(vscode.l10n.t('Creating SAS definition {0}…', request.name), (signal) =>
    account.session.service.storage.setSasDefinition(account.vaultUrl, account.name, request.name, {
      templateUri: request.templateUri,
      sasType: request.sasType,
      validityPeriod: request.validityPeriod,
      abortSignal: signal,
    }),
  );
  // The template's signature is never logged: only names and the period.
  c.log.info(`Created SAS definition ${sas.name} (${request.sasType}, ${request.validityPeriod}) for storage account ${account.name} in ${hostOf(account.vaultUrl)}`);
  await refreshFamily(c, account.vaultUrl, 'storage');
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Created SAS definition {0}: Key Vault issues tokens valid for {1}; read them from the secret {2}.', sas.name, describeDuration(sas.validityPeriod ?? request.validityPeriod), sas.secretId) });
  return sas;
}

export async function showSasDefinition(c: VaultCommandContext, arg: unknown, docs: InfoDocuments): Promise<SasDefinition> {
  const ref = await resolveSasDefinition(c, arg, { title: vscode.l10n.t('Show SAS Definition') });
  const sas = await withProgress(vscode.l10n.t('Reading {0}…', ref.name), (signal) => ref.session.service.storage.getSasDefinition(ref.vaultUrl, ref.accountName, ref.name, { abortSignal: signal }));
  await docs.open(`sas-${ref.accountName}-${ref.name}`, sas.id, sasDefinitionProperties(sas));
  return sas;
}

/** `Copy Token Secret Identifier`: the id of the secret that holds the current SAS token (not the token). */
export async function copySasSecretId(c: VaultCommandContext, arg: unknown): Promise<string> {
  const ref = await resolveSasDefinition(c, arg, { title: vscode.l10n.t('Copy SAS Token Secret Identifier') });
  const secretId = ref.sas?.secretId || (await ref.session.service.storage.getSasDefinition(ref.vaultUrl, ref.accountName, ref.name)).secretId;
  await vscode.env.clipboard.writeText(secretId);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the token secret identifier of {0}', ref.name), 3000);
  return secretId;
}

export async function deleteSasDefinition(c: VaultCommandContext, arg: unknown): Promise<void> {
  const ref = await resolveSasDefinition(c, arg, { title: vscode.l10n.t('Delete SAS Definition') });
  await confirm(
    c,
    vscode.l10n.t('Delete SAS definition {0} of {1}?', ref.name, ref.accountName),
    vscode.l10n.t('Key Vault stops issuing its tokens and removes the secret that holds them. Tokens already handed out stay valid until they expire.'),
    vscode.l10n.t('Delete'),
  );
  await withProgress(vscode.l10n.t('Deleting {0}…', ref.name), (signal) => ref.session.service.storage.deleteSasDefinition(ref.vaultUrl, ref.accountName, ref.name, { abortSignal: signal }));
  c.log.info(`Deleted SAS definition ${ref.name} of storage account ${ref.accountName} in ${hostOf(ref.vaultUrl)}`);
  await refreshFamily(c, ref.vaultUrl, 'storage');
}

export async function recoverSasDefinition(c: VaultCommandContext, arg: unknown): Promise<void> {
  const ref = await resolveSasDefinition(c, arg, { title: vscode.l10n.t('Recover Deleted SAS Definition'), deleted: true });
  const s = ref.session.service.storage;
  await withProgress(vscode.l10n.t('Recovering {0}…', ref.name), async (signal) => {
    await s.recoverSasDefinition(ref.vaultUrl, ref.accountName, ref.name, { abortSignal: signal });
    await eventually(() => s.getSasDefinition(ref.vaultUrl, ref.accountName, ref.name, { abortSignal: signal }), (e) => isKeyVaultError(e) && e.kind === 'not-found', signal, 60_000).catch(() => undefined);
  });
  c.log.info(`Recovered SAS definition ${ref.name} of storage account ${ref.accountName} in ${hostOf(ref.vaultUrl)}`);
  await refreshFamily(c, ref.vaultUrl, 'storage');
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Recovered SAS definition {0}.', ref.name) });
}
