import * as vscode from 'vscode';
import { isKeyVaultError } from '../../keyvault/errors';
import type { StorageAccount, StorageAccountKeyName } from '../../keyvault/models/storage';
import { shortDate } from '../../tree/model/objectView';
import { confirm, confirmTypedName, eventually, hostOf, refreshFamily, withProgress, type VaultCommandContext } from '../certificates/context';
import type { InfoDocuments } from '../certificates/infoDocuments';
import { resolveVault } from '../certificates/target';
import { BACK, required, runWizard, type WizardStep } from '../pickers';
import { checkAccountName, checkDuration, checkResourceId, storageAccountProperties } from './sasInput';
import { resolveStorageAccount } from './target';

/** What Add Storage Account may be given instead of asking (automation and tests). */
export interface AddStorageAccountInput {
  name: string;
  resourceId: string;
  activeKeyName: StorageAccountKeyName;
  autoRegenerateKey: boolean;
  regenerationPeriod?: string;
}

function parseAddInput(x: unknown): AddStorageAccountInput | undefined {
  const r = x as Partial<AddStorageAccountInput> | undefined;
  if (!r || typeof r !== 'object' || typeof r.name !== 'string' || typeof r.resourceId !== 'string') return undefined;
  return {
    name: r.name,
    resourceId: r.resourceId,
    activeKeyName: r.activeKeyName === 'key2' ? 'key2' : 'key1',
    autoRegenerateKey: r.autoRegenerateKey === true,
    ...(typeof r.regenerationPeriod === 'string' ? { regenerationPeriod: r.regenerationPeriod } : {}),
  };
}

/**
 * `Add Managed Storage Account…`: lets Key Vault manage a storage account's keys (rotation and SAS tokens). The
 * vault's identity needs the Storage Account Key Operator role on the account.
 */
export async function addStorageAccount(c: VaultCommandContext, arg: unknown, given?: unknown): Promise<StorageAccount> {
  const title = vscode.l10n.t('Add Managed Storage Account');
  const vault = await resolveVault(c, arg, 'storage', title);
  let input = parseAddInput(given);
  if (!input) {
    const d = { name: '', resourceId: '', activeKeyName: 'key1' as StorageAccountKeyName, autoRegenerateKey: true, regenerationPeriod: 'P90D' };
    const steps: WizardStep<typeof d>[] = [
      {
        async run(_s, info) {
          const a = await c.prompts.input({ ...info, title, prompt: vscode.l10n.t('Name in {0} (letters and digits)', vault.name), value: d.name, validate: checkAccountName });
          if (a === undefined || a === BACK) return a;
          d.name = a.trim();
          return 'next';
        },
      },
      {
        async run(_s, info) {
          const a = await c.prompts.input({
            ...info,
            title,
            prompt: vscode.l10n.t('Resource id of the Azure storage account'),
            placeholder: '/subscriptions/…/resourceGroups/…/providers/Microsoft.Storage/storageAccounts/…',
            value: d.resourceId,
            validate: checkResourceId,
          });
          if (a === undefined || a === BACK) return a;
          d.resourceId = a.trim();
          return 'next';
        },
      },
      {
        async run(_s, info) {
          const a = await c.prompts.pick<vscode.QuickPickItem & { key: StorageAccountKeyName }>({
            ...info,
            title,
            placeholder: vscode.l10n.t('Which key Key Vault uses (and signs SAS tokens with) first'),
            items: [
              { label: 'key1', key: 'key1' },
              { label: 'key2', key: 'key2' },
            ],
          });
          if (a === undefined || a === BACK) return a;
          d.activeKeyName = a.key;
          return 'next';
        },
      },
      {
        async run(_s, info) {
          const a = await c.prompts.pick<vscode.QuickPickItem & { auto: boolean }>({
            ...info,
            title,
            placeholder: vscode.l10n.t('Regenerate the keys automatically?'),
            items: [
              { label: vscode.l10n.t('Regenerate automatically'), description: vscode.l10n.t('Key Vault rotates between key1 and key2'), auto: true },
              { label: vscode.l10n.t('Only when I ask'), auto: false },
            ],
          });
          if (a === undefined || a === BACK) return a;
          d.autoRegenerateKey = a.auto;
          return 'next';
        },
      },
      {
        skip: () => !d.autoRegenerateKey,
        async run(_s, info) {
          const a = await c.prompts.input({
            ...info,
            title,
            prompt: vscode.l10n.t('Regeneration period (ISO 8601 duration, e.g. P90D for 90 days)'),
            value: d.regenerationPeriod,
            validate: (v) => checkDuration(v, vscode.l10n.t('Regeneration period')),
          });
          if (a === undefined || a === BACK) return a;
          d.regenerationPeriod = a.trim().toUpperCase();
          return 'next';
        },
      },
    ];
    if (!(await runWizard(steps, d))) throw new vscode.CancellationError();
    input = { name: d.name, resourceId: d.resourceId, activeKeyName: d.activeKeyName, autoRegenerateKey: d.autoRegenerateKey, ...(d.autoRegenerateKey ? { regenerationPeriod: d.regenerationPeriod } : {}) };
  }
  const request = input;
  const account = await withProgress(vscode.l10n.t('Adding storage account {0} to {1}…', request.name, vault.name), (signal) =>
    vault.session.service.storage.set(vault.url, request.name, {
      resourceId: request.resourceId,
      activeKeyName: request.activeKeyName,
      autoRegenerateKey: request.autoRegenerateKey,
      ...(request.regenerationPeriod ? { regenerationPeriod: request.regenerationPeriod } : {}),
      abortSignal: signal,
    }),
  );
  c.log.info(`Added managed storage account ${account.name} to ${hostOf(vault.url)}`);
  await refreshFamily(c, vault.url, 'storage');
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Key Vault now manages the keys of storage account {0}.', account.name) });
  return account;
}

/** `Show Storage Account Details`: everything Key Vault knows about it (the listing omits keys and rotation). */
export async function showStorageAccount(c: VaultCommandContext, arg: unknown, docs: InfoDocuments): Promise<StorageAccount> {
  const ref = await resolveStorageAccount(c, arg, { title: vscode.l10n.t('Show Storage Account Details') });
  const s = ref.session.service.storage;
  const account = await withProgress(vscode.l10n.t('Reading {0}…', ref.name), (signal) => s.get(ref.vaultUrl, ref.name, { abortSignal: signal }));
  await docs.open(`storage-${ref.name}`, account.id, storageAccountProperties(account));
  return account;
}

/** `Regenerate Storage Key…`: key1 or key2; SAS tokens signed with it stop working. */
export async function regenerateKey(c: VaultCommandContext, arg: unknown, given?: unknown): Promise<StorageAccount> {
  const title = vscode.l10n.t('Regenerate Storage Account Key');
  const ref = await resolveStorageAccount(c, arg, { title });
  const s = ref.session.service.storage;
  let keyName: StorageAccountKeyName;
  if (given === 'key1' || given === 'key2') keyName = given;
  else {
    const account = await withProgress(vscode.l10n.t('Reading {0}…', ref.name), (signal) => s.get(ref.vaultUrl, ref.name, { abortSignal: signal }));
    const item = (key: StorageAccountKeyName): vscode.QuickPickItem & { key: StorageAccountKeyName } => ({
      label: key,
      description: account.activeKeyName === key ? vscode.l10n.t('active: SAS tokens are signed with it') : vscode.l10n.t('inactive'),
      key,
    });
    keyName = required(await c.prompts.pick({ title, placeholder: vscode.l10n.t('Which key of {0} to regenerate', ref.name), items: [item('key1'), item('key2')] })).key;
    await confirm(
      c,
      vscode.l10n.t('Regenerate {0} of storage account {1}?', keyName, ref.name),
      account.activeKeyName === keyName
        ? vscode.l10n.t('This is the active key: SAS tokens and connection strings made with it stop working. Key Vault issues new tokens from now on.')
        : vscode.l10n.t('Connection strings that use this key stop working.'),
      vscode.l10n.t('Regenerate'),
    );
  }
  const updated = await withProgress(vscode.l10n.t('Regenerating {0} of {1}…', keyName, ref.name), (signal) => s.regenerateKey(ref.vaultUrl, ref.name, keyName, { abortSignal: signal }));
  c.log.info(`Regenerated ${keyName} of managed storage account ${ref.name} in ${hostOf(ref.vaultUrl)}`);
  await refreshFamily(c, ref.vaultUrl, 'storage');
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Regenerated {0} of {1}.', keyName, ref.name) });
  return updated;
}

export async function deleteStorageAccount(c: VaultCommandContext, arg: unknown): Promise<void> {
  const ref = await resolveStorageAccount(c, arg, { title: vscode.l10n.t('Delete Managed Storage Account') });
  await confirm(
    c,
    vscode.l10n.t('Stop managing storage account {0} in {1}?', ref.name, hostOf(ref.vaultUrl)),
    vscode.l10n.t('Key Vault deletes its record of the account and its SAS definitions (the Azure storage account itself is not touched). With soft delete it stays recoverable until its purge date.'),
    vscode.l10n.t('Delete'),
  );
  const deleted = await withProgress(vscode.l10n.t('Deleting {0}…', ref.name), (signal) => ref.session.service.storage.delete(ref.vaultUrl, ref.name, { abortSignal: signal }));
  c.log.info(`Deleted managed storage account ${ref.name} in ${hostOf(ref.vaultUrl)}`);
  await refreshFamily(c, ref.vaultUrl, 'storage');
  void c.prompts.message({
    kind: 'info',
    text: deleted.scheduledPurgeDate ? vscode.l10n.t('Deleted {0}. It can be recovered until {1}.', ref.name, shortDate(deleted.scheduledPurgeDate)) : vscode.l10n.t('Deleted {0}.', ref.name),
  });
}

export async function recoverStorageAccount(c: VaultCommandContext, arg: unknown): Promise<void> {
  const ref = await resolveStorageAccount(c, arg, { title: vscode.l10n.t('Recover Deleted Storage Account'), deleted: true });
  const s = ref.session.service.storage;
  await withProgress(vscode.l10n.t('Recovering {0}…', ref.name), async (signal) => {
    await s.recover(ref.vaultUrl, ref.name, { abortSignal: signal });
    await eventually(() => s.get(ref.vaultUrl, ref.name, { abortSignal: signal }), (e) => isKeyVaultError(e) && e.kind === 'not-found', signal, 60_000).catch(() => undefined);
  });
  c.log.info(`Recovered managed storage account ${ref.name} in ${hostOf(ref.vaultUrl)}`);
  await refreshFamily(c, ref.vaultUrl, 'storage');
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Recovered storage account {0} with its SAS definitions.', ref.name) });
}

export async function purgeStorageAccount(c: VaultCommandContext, arg: unknown): Promise<void> {
  const ref = await resolveStorageAccount(c, arg, { title: vscode.l10n.t('Purge Deleted Storage Account'), deleted: true });
  await confirm(
    c,
    vscode.l10n.t('Purge storage account {0} from {1} for good?', ref.name, hostOf(ref.vaultUrl)),
    vscode.l10n.t('Key Vault forgets the account and its SAS definitions permanently. You will type the name to confirm.'),
    vscode.l10n.t('Purge…'),
  );
  await confirmTypedName(c, vscode.l10n.t('storage account'), ref.name, vscode.l10n.t('Purge {0}', ref.name));
  await withProgress(vscode.l10n.t('Purging {0}…', ref.name), (signal) => ref.session.service.storage.purge(ref.vaultUrl, ref.name, { abortSignal: signal }));
  c.log.info(`Purged managed storage account ${ref.name} in ${hostOf(ref.vaultUrl)}`);
  await refreshFamily(c, ref.vaultUrl, 'storage');
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Purged {0}.', ref.name) });
}
