import * as vscode from 'vscode';
import { isKeyVaultError } from '../../keyvault/errors';
import type { SecretProperties } from '../../keyvault/models/secrets';
import { shortDate } from '../../tree/model/objectView';
import { BACK, required, type Back, type Prompts, type WizardStep, runWizard } from '../pickers';
import { eventually, refreshSecrets, toUserError, vaultHost, withProgress, type SecretCommandContext, type VaultTarget } from './context';
import { confirmPurge } from './lifecycle';
import { managedMessage, pickVault, resolveSecret, vaultFromArgument, vaultLabel, type SecretRef } from './target';
import {
  checkDateOrder,
  contentTypeForFile,
  formatDate,
  formatDateInput,
  formatTags,
  parseDateInput,
  parseTags,
  utf8Bytes,
  formatBytes,
  MAX_SECRET_VALUE_BYTES,
  nameFromFileName,
  validateSecretName,
  validateSecretValue,
} from './validation';

/** What the create / new-version wizard collects. */
export interface SecretDraft {
  vault?: VaultTarget;
  name: string;
  value?: string;
  /** Where the value came from, for the titles ("from selection", "from settings.json"). */
  valueSource?: string;
  contentType: string;
  tags: Record<string, string>;
  notBefore?: Date;
  expiresOn?: Date;
  /** Adding a version to a secret that exists (then the name is fixed). */
  newVersionOf?: SecretRef;
  /** Found by the name step: the name exists, so Create adds a version. */
  exists?: boolean;
  /** The vault came from the tree node: no vault step. */
  vaultFixed?: boolean;
}

type OptionItem = vscode.QuickPickItem & { action: 'create' | 'contentType' | 'tags' | 'notBefore' | 'expiresOn' };

function titleOf(d: SecretDraft): string {
  if (d.newVersionOf) return vscode.l10n.t('New Version of {0}', d.newVersionOf.name);
  return d.valueSource ? vscode.l10n.t('Create Secret from {0}', d.valueSource) : vscode.l10n.t('Create Secret');
}

async function exists(vault: VaultTarget, name: string): Promise<boolean> {
  try {
    const first = await vault.session.service.secrets.listVersions(vault.url, name).byPage({ maxPageSize: 1 }).next();
    return !first.done && first.value.items.length > 0;
  } catch (err) {
    if (isKeyVaultError(err) && err.kind === 'not-found') return false;
    // Unknown (no list permission): let Create decide.
    return false;
  }
}

/** The steps, in order; each skips itself when its answer is already known. */
function steps(c: SecretCommandContext, prompts: Prompts): WizardStep<SecretDraft>[] {
  return [
    {
      skip: (d) => d.vaultFixed === true,
      async run(d, info) {
        const vault = await pickVault(c, titleOf(d), info);
        if (vault === undefined || vault === BACK) return vault;
        d.vault = vault;
        return 'next';
      },
    },
    {
      skip: (d) => d.newVersionOf !== undefined,
      async run(d, info) {
        const name = await prompts.input({
          ...info,
          title: titleOf(d),
          prompt: vscode.l10n.t('Secret name in {0}: letters, digits and dashes (1-127)', d.vault!.name),
          placeholder: vscode.l10n.t('e.g. database-password'),
          value: d.name,
          validate: validateSecretName,
        });
        if (name === undefined || name === BACK) return name;
        d.name = name;
        d.exists = await exists(d.vault!, name);
        return 'next';
      },
    },
    {
      skip: (d) => d.valueSource !== undefined,
      async run(d, info) {
        const value = await prompts.input({
          ...info,
          title: titleOf(d),
          prompt: d.exists || d.newVersionOf ? vscode.l10n.t('Value of the new version of {0} (hidden while you type)', d.name) : vscode.l10n.t('Value of {0} (hidden while you type)', d.name),
          password: true,
          value: d.value ?? '',
          validate: validateSecretValue,
        });
        if (value === undefined || value === BACK) return value;
        d.value = value;
        return 'next';
      },
    },
    { run: (d, info) => optionsStep(prompts, d, info) },
  ];
}

/**
 * The last step: Create now, or set the optional content type, tags, activation and expiry first. Each option opens
 * its own input and comes back here; Back returns to the previous step.
 */
async function optionsStep(prompts: Prompts, d: SecretDraft, info: { step: number; totalSteps: number; canGoBack: boolean }): Promise<'next' | Back | undefined> {
  for (;;) {
    const none = vscode.l10n.t('none');
    const valueInfo = d.value !== undefined ? formatBytes(utf8Bytes(d.value)) : '';
    const items: OptionItem[] = [
      {
        label: d.newVersionOf || d.exists ? vscode.l10n.t('$(check) Create New Version') : vscode.l10n.t('$(check) Create Secret'),
        description: d.exists && !d.newVersionOf ? vscode.l10n.t('{0} exists: this adds a new version', d.name) : `${d.name} · ${d.vault!.name}${valueInfo ? ` · ${valueInfo}` : ''}`,
        action: 'create',
      },
      { label: '', kind: vscode.QuickPickItemKind.Separator, action: 'create' },
      { label: vscode.l10n.t('Content type'), description: d.contentType || none, action: 'contentType' },
      { label: vscode.l10n.t('Tags'), description: formatTags(d.tags) || none, action: 'tags' },
      { label: vscode.l10n.t('Activation date'), description: formatDate(d.notBefore) || vscode.l10n.t('active at once'), action: 'notBefore' },
      { label: vscode.l10n.t('Expiry date'), description: formatDate(d.expiresOn) || vscode.l10n.t('never expires'), action: 'expiresOn' },
    ];
    const picked = await prompts.pick<OptionItem>({ ...info, title: titleOf(d), placeholder: vscode.l10n.t('Create now, or set options first'), items, matchOnDescription: false });
    if (picked === undefined || picked === BACK) return picked;
    const sub = { title: titleOf(d), canGoBack: true };
    switch (picked.action) {
      case 'create': {
        const order = checkDateOrder(d.notBefore, d.expiresOn);
        if (order) {
          void prompts.message({ kind: 'warning', text: order });
          continue;
        }
        return 'next';
      }
      case 'contentType': {
        const v = await prompts.input({ ...sub, prompt: vscode.l10n.t('Content type (optional): a hint for readers such as text/plain, application/json or password'), value: d.contentType, validate: (t) => (t.length > 255 ? vscode.l10n.t('At most 255 characters.') : undefined) });
        if (typeof v === 'string') d.contentType = v.trim();
        continue;
      }
      case 'tags': {
        const v = await prompts.input({ ...sub, prompt: vscode.l10n.t('Tags (optional): name=value pairs separated by commas'), placeholder: 'env=prod, owner=data-team', value: formatTags(d.tags), validate: (t) => { const p = parseTags(t); return p.ok ? undefined : p.error; } });
        if (typeof v === 'string') {
          const p = parseTags(v);
          if (p.ok) d.tags = p.value;
        }
        continue;
      }
      case 'notBefore':
      case 'expiresOn': {
        const isExpiry = picked.action === 'expiresOn';
        const v = await prompts.input({
          ...sub,
          prompt: isExpiry
            ? vscode.l10n.t('Expiry (optional, UTC): 2026-12-31, 2026-12-31T18:00, or +90d / +12h / +1y. Empty = never.')
            : vscode.l10n.t('Activation (optional, UTC): 2026-01-31, 2026-01-31T09:00, or +7d. Empty = at once.'),
          value: formatDateInput(isExpiry ? d.expiresOn : d.notBefore),
          validate: (t) => {
            const p = parseDateInput(t, Date.now());
            if (!p.ok) return p.error;
            return isExpiry ? checkDateOrder(d.notBefore, p.value) : checkDateOrder(p.value, d.expiresOn);
          },
        });
        if (typeof v === 'string') {
          const p = parseDateInput(v, Date.now());
          if (p.ok) {
            if (isExpiry) d.expiresOn = p.value;
            else d.notBefore = p.value;
          }
        }
        continue;
      }
    }
  }
}

/** Sets the secret; a name held by a deleted secret offers Recover or Purge, then carries on. */
async function commit(c: SecretCommandContext, d: SecretDraft): Promise<SecretProperties> {
  const vault = d.vault!;
  const secrets = vault.session.service.secrets;
  const set = (signal?: AbortSignal) =>
    secrets.set(vault.url, d.name, d.value!, {
      ...(d.contentType ? { contentType: d.contentType } : {}),
      ...(Object.keys(d.tags).length ? { tags: d.tags } : {}),
      ...(d.notBefore || d.expiresOn ? { attributes: { ...(d.notBefore ? { notBefore: d.notBefore } : {}), ...(d.expiresOn ? { expiresOn: d.expiresOn } : {}) } } : {}),
      ...(signal ? { abortSignal: signal } : {}),
    });
  const title = d.exists || d.newVersionOf ? vscode.l10n.t('Adding a version to {0}…', d.name) : vscode.l10n.t('Creating secret {0}…', d.name);
  try {
    return await withProgress(title, (signal) => set(signal));
  } catch (err) {
    if (!(isKeyVaultError(err) && err.kind === 'conflict-deleted')) throw err;
  }
  // 409: a soft-deleted secret holds the name.
  let purgeDate = '';
  try {
    const deleted = await secrets.getDeleted(vault.url, d.name);
    if (deleted.scheduledPurgeDate) purgeDate = shortDate(deleted.scheduledPurgeDate);
  } catch {
    // No list permission on deleted secrets: ask anyway.
  }
  const recover = vscode.l10n.t('Recover');
  const purge = vscode.l10n.t('Purge…');
  const choice = await c.prompts.message({
    kind: 'warning',
    modal: true,
    text: vscode.l10n.t('A deleted secret named {0} still holds this name in {1}.', d.name, vault.name),
    detail: purgeDate
      ? vscode.l10n.t('It can be recovered until {0}. Recover it (your value becomes its new version), or purge it for good and create a new secret.', purgeDate)
      : vscode.l10n.t('Recover it (your value becomes its new version), or purge it for good and create a new secret.'),
    actions: [recover, purge],
  });
  if (choice === recover) {
    return withProgress(vscode.l10n.t('Recovering {0} and adding the new version…', d.name), async (signal) => {
      await secrets.recover(vault.url, d.name, { abortSignal: signal });
      // Recovery completes asynchronously in Key Vault: retry while the name is still in transition.
      return eventually(() => set(signal), (e) => isKeyVaultError(e) && (e.kind === 'conflict-deleted' || e.kind === 'conflict' || e.kind === 'not-found'), signal);
    });
  }
  if (choice === purge) {
    await confirmPurge(c, d.name, vault.name);
    return withProgress(vscode.l10n.t('Purging the deleted {0} and creating it again…', d.name), async (signal) => {
      await secrets.purge(vault.url, d.name, { abortSignal: signal });
      return eventually(() => set(signal), (e) => isKeyVaultError(e) && (e.kind === 'conflict-deleted' || e.kind === 'conflict'), signal);
    });
  }
  throw new vscode.CancellationError();
}

async function runCreate(c: SecretCommandContext, draft: SecretDraft): Promise<void> {
  const completed = await runWizard(steps(c, c.prompts), draft);
  if (!completed) throw new vscode.CancellationError();
  let props: SecretProperties;
  try {
    props = await commit(c, draft);
  } catch (err) {
    throw toUserError(err);
  }
  const added = draft.exists || draft.newVersionOf;
  c.log.info(`${added ? 'Added a version to' : 'Created'} secret ${props.name} in ${vaultHost(props.vaultUrl)} (version ${props.version ?? '?'})`);
  await refreshSecrets(c, props.vaultUrl);
  const text = added
    ? vscode.l10n.t('Added version {0} to secret {1} in {2}.', (props.version ?? '').slice(0, 8), props.name, draft.vault!.name)
    : vscode.l10n.t('Created secret {0} in {1}.', props.name, draft.vault!.name);
  void c.prompts.message({ kind: 'info', text });
}

/** Key Vault: Create Secret… — from a vault or Secrets node, or the palette. */
export async function createSecret(c: SecretCommandContext, arg: unknown): Promise<void> {
  const vault = vaultFromArgument(arg);
  await runCreate(c, { ...(vault ? { vault, vaultFixed: true } : {}), name: '', contentType: '', tags: {} });
}

/** New Version… of a secret: the name is fixed; content type and tags start from the current ones. */
export async function newVersion(c: SecretCommandContext, arg: unknown): Promise<void> {
  const ref = await resolveSecret(c, arg, { title: vscode.l10n.t('New Secret Version'), includeManaged: false });
  if (ref.view?.managed) throw new Error(managedMessage(ref.name));
  await runCreate(c, {
    vault: { session: ref.session, url: ref.vaultUrl, name: vaultLabel(ref) },
    vaultFixed: true,
    name: ref.name,
    newVersionOf: ref,
    exists: true,
    contentType: ref.view?.contentType ?? '',
    tags: { ...(ref.view?.tags ?? {}) },
  });
}

/** Create Secret from Selection: the selected text (or the whole document when nothing is selected) is the value. */
export async function createFromSelection(c: SecretCommandContext): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new Error(vscode.l10n.t('Open a file and select the text to store as a secret.'));
  const selection = editor.selection;
  const value = selection.isEmpty ? editor.document.getText() : editor.document.getText(selection);
  const problem = validateSecretValue(value);
  if (problem) throw new Error(selection.isEmpty ? vscode.l10n.t('The document cannot be a secret: {0}', problem) : vscode.l10n.t('The selection cannot be a secret: {0}', problem));
  const language = editor.document.languageId;
  await runCreate(c, {
    name: '',
    value,
    valueSource: selection.isEmpty ? vscode.l10n.t('the whole document') : vscode.l10n.t('the selection'),
    contentType: language === 'json' || language === 'jsonc' ? 'application/json' : '',
    tags: {},
  });
}

/** Create Secret from File: the file's text is the value (from the Explorer's context menu or an open dialog). */
export async function createFromFile(c: SecretCommandContext, arg: unknown): Promise<void> {
  const uri = arg instanceof vscode.Uri ? arg : required(await c.prompts.openDialog({ title: vscode.l10n.t('Create Secret from File'), canSelectMany: false, openLabel: vscode.l10n.t('Use as Secret Value') }))[0];
  if (!uri) throw new vscode.CancellationError();
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > MAX_SECRET_VALUE_BYTES) {
    throw new Error(vscode.l10n.t('{0} is {1} bytes; Key Vault accepts values up to {2} bytes (25 KB).', uri.path.split('/').pop() ?? '', stat.size.toLocaleString('en-US'), MAX_SECRET_VALUE_BYTES.toLocaleString('en-US')));
  }
  const bytes = await vscode.workspace.fs.readFile(uri);
  let value: string;
  try {
    value = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(vscode.l10n.t('{0} is not UTF-8 text. Key Vault secrets hold text: encode binary files (e.g. base64) first.', uri.path.split('/').pop() ?? ''));
  }
  const problem = validateSecretValue(value);
  if (problem) throw new Error(problem);
  const fileName = uri.path.split('/').pop() ?? '';
  await runCreate(c, { name: nameFromFileName(fileName), value, valueSource: fileName, contentType: contentTypeForFile(fileName), tags: {} });
}
