import * as vscode from 'vscode';
import type { AccountSession } from '../../accounts/types';
import { parseObjectId } from '../../keyvault/identifiers';
import type { DeletedSasDefinition, DeletedStorageAccount, SasDefinition, StorageAccount } from '../../keyvault/models/storage';
import { shortDate, storageView, type ObjectView } from '../../tree/model/objectView';
import { hostOf, type VaultCommandContext, type VaultTarget } from '../certificates/context';
import { pickVault, vaultFromArgument } from '../certificates/target';
import { BACK, pickFromPages, required } from '../pickers';

/** The managed storage account a command acts on (or a deleted one). */
export interface StorageRef {
  readonly session: AccountSession;
  readonly vaultUrl: string;
  readonly name: string;
  readonly view?: ObjectView;
  readonly deleted?: boolean;
}

/** One SAS definition of a storage account (or a deleted one). */
export interface SasRef {
  readonly session: AccountSession;
  readonly vaultUrl: string;
  readonly accountName: string;
  readonly name: string;
  readonly sas?: SasDefinition;
  readonly deleted?: boolean;
}

const hasService = (s: unknown): s is AccountSession => typeof (s as AccountSession | undefined)?.service?.storage?.get === 'function';

function sessionOrThrow(c: VaultCommandContext, vaultUrl: string): AccountSession {
  const session = c.tree.accounts.sessionFor(vaultUrl);
  if (!session) throw new Error(vscode.l10n.t('{0} is not one of your vaults: add it to the Key Vault view first.', hostOf(vaultUrl)));
  return session;
}

/** `https://vault/storage/{account}/sas/{name}` (or /deletedstorage/…) → its parts; undefined for anything else. */
export function parseSasId(id: string): { vaultUrl: string; accountName: string; name: string; deleted: boolean } | undefined {
  try {
    const url = new URL(id.trim());
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (url.protocol !== 'https:' || parts.length !== 4 || parts[2]!.toLowerCase() !== 'sas') return undefined;
    const collection = parts[0]!.toLowerCase();
    if (collection !== 'storage' && collection !== 'deletedstorage') return undefined;
    return { vaultUrl: url.origin, accountName: parts[1]!, name: parts[3]!, deleted: collection === 'deletedstorage' };
  } catch {
    return undefined;
  }
}

/** A storage account node (or its deleted entry), a StorageRef, a SAS node (its account) or an identifier. */
export function storageFromArgument(arg: unknown, c: VaultCommandContext): StorageRef | undefined {
  if (!arg) return undefined;
  if (typeof arg === 'string') {
    const sas = parseSasId(arg);
    if (sas) return { session: sessionOrThrow(c, sas.vaultUrl), vaultUrl: sas.vaultUrl, name: sas.accountName };
    let id;
    try {
      id = parseObjectId(arg);
    } catch {
      return undefined;
    }
    if (id.collection !== 'storage' && id.collection !== 'deletedstorage') return undefined;
    return { session: sessionOrThrow(c, id.vaultUrl), vaultUrl: id.vaultUrl, name: id.name, ...(id.collection === 'deletedstorage' ? { deleted: true } : {}) };
  }
  const node = arg as { view?: ObjectView; kind?: string; session?: AccountSession; sas?: SasDefinition } & Partial<StorageRef>;
  if (node.view?.family === 'storage' && hasService(node.session)) {
    return { session: node.session, vaultUrl: node.view.vaultUrl, name: node.view.name, view: node.view, ...(node.kind === 'deleted' ? { deleted: true } : {}) };
  }
  if (node.sas && hasService(node.session)) return { session: node.session, vaultUrl: node.sas.vaultUrl, name: node.sas.accountName };
  if (typeof node.vaultUrl === 'string' && typeof node.name === 'string' && hasService(node.session) && !('ref' in node) && !('adapter' in node) && !('accountName' in node)) return node as StorageRef;
  return undefined;
}

/** A SAS definition node, a SasRef, or a SAS identifier. */
export function sasFromArgument(arg: unknown, c: VaultCommandContext): SasRef | undefined {
  if (!arg) return undefined;
  if (typeof arg === 'string') {
    const id = parseSasId(arg);
    return id ? { session: sessionOrThrow(c, id.vaultUrl), vaultUrl: id.vaultUrl, accountName: id.accountName, name: id.name, ...(id.deleted ? { deleted: true } : {}) } : undefined;
  }
  const node = arg as { sas?: SasDefinition; deleted?: boolean; session?: AccountSession } & Partial<SasRef>;
  if (node.sas && hasService(node.session)) {
    return { session: node.session, vaultUrl: node.sas.vaultUrl, accountName: node.sas.accountName, name: node.sas.name, sas: node.sas, ...(node.deleted ? { deleted: true } : {}) };
  }
  if (typeof node.vaultUrl === 'string' && typeof node.accountName === 'string' && typeof node.name === 'string' && hasService(node.session)) return node as SasRef;
  return undefined;
}

function accountItem(v: ObjectView): vscode.QuickPickItem {
  const parts = [v.enabled ? undefined : vscode.l10n.t('disabled'), v.deleted?.scheduledPurgeDate ? vscode.l10n.t('purge {0}', shortDate(v.deleted.scheduledPurgeDate)) : undefined];
  return { label: `$(database) ${v.name}`, description: parts.filter(Boolean).join(' · ') };
}

async function* accountPages(list: AsyncIterableIterator<{ items: (StorageAccount | DeletedStorageAccount)[] }>): AsyncIterable<ObjectView[]> {
  for await (const page of list) yield page.items.map(storageView);
}

/** The storage account a command acts on: its argument, else vault → account pickers. */
export async function resolveStorageAccount(c: VaultCommandContext, arg: unknown, options: { title: string; deleted?: boolean }): Promise<StorageRef> {
  const given = storageFromArgument(arg, c);
  if (given) {
    if (options.deleted && !given.deleted) throw new Error(vscode.l10n.t('{0} is not a deleted storage account.', given.name));
    if (!options.deleted && given.deleted) throw new Error(vscode.l10n.t('{0} is deleted: recover it first.', given.name));
    return given;
  }
  return (await pickStorageAccount(c, options, vaultFromArgument(arg, 'storage', c), 0)).ref;
}

/**
 * The account step (after the vault step unless `vault` was given), numbered with `later` steps still to come. It
 * starts in `start` when set (coming back from a later step); Back on it goes to the vault step.
 */
async function pickStorageAccount(c: VaultCommandContext, options: { title: string; deleted?: boolean }, vault: VaultTarget | undefined, later: number, start = vault): Promise<{ ref: StorageRef; target: VaultTarget }> {
  const total = (vault ? 1 : 2) + later;
  let target = start;
  for (;;) {
    target ??= required(await pickVault(c, options.title, { step: 1, totalSteps: total }));
    const s = target.session.service.storage;
    const pageSize = c.tree.config().pageSize;
    const pages = options.deleted ? s.listDeleted(target.url).byPage({ maxPageSize: pageSize }) : s.list(target.url).byPage({ maxPageSize: pageSize });
    const what = options.deleted ? vscode.l10n.t('deleted storage account') : vscode.l10n.t('managed storage account');
    const picked = await pickFromPages(
      c.prompts,
      { title: options.title, step: vault ? 1 : 2, totalSteps: total, canGoBack: !vault, placeholder: vscode.l10n.t('Choose a {0} in {1}', what, target.name), empty: vscode.l10n.t('{0} has no {1}.', target.name, what) },
      accountPages(pages),
      accountItem,
    );
    if (picked === BACK) {
      target = vault;
      continue;
    }
    const view = required(picked).value;
    return { ref: { session: target.session, vaultUrl: target.url, name: view.name, view, ...(options.deleted ? { deleted: true } : {}) }, target };
  }
}

/** The SAS definition a command acts on: its argument, else (vault →) account → SAS definition pickers, with Back. */
export async function resolveSasDefinition(c: VaultCommandContext, arg: unknown, options: { title: string; deleted?: boolean }): Promise<SasRef> {
  const given = sasFromArgument(arg, c);
  if (given) {
    if (options.deleted && !given.deleted) throw new Error(vscode.l10n.t('{0} is not a deleted SAS definition.', given.name));
    if (!options.deleted && given.deleted) throw new Error(vscode.l10n.t('{0} is deleted: recover it first.', given.name));
    return given;
  }
  // An account node skips the account step; otherwise the SAS step is the last of 2 (vault given) or 3.
  const accountGiven = storageFromArgument(arg, c);
  const vault = accountGiven ? undefined : vaultFromArgument(arg, 'storage', c);
  const total = accountGiven ? 1 : vault ? 2 : 3;
  let target = vault;
  for (;;) {
    let account = accountGiven;
    if (!account) {
      const picked = await pickStorageAccount(c, { title: options.title }, vault, 1, target);
      account = picked.ref;
      target = picked.target;
    }
    const s = account.session.service.storage;
    const list = options.deleted ? s.listDeletedSasDefinitions(account.vaultUrl, account.name) : s.listSasDefinitions(account.vaultUrl, account.name);
    async function* pages(): AsyncIterable<(SasDefinition | DeletedSasDefinition)[]> {
      for await (const page of list.byPage({ maxPageSize: 25 })) yield page.items;
    }
    const picked = await pickFromPages(
      c.prompts,
      {
        title: options.title,
        step: total,
        totalSteps: total,
        canGoBack: !accountGiven,
        placeholder: vscode.l10n.t('Choose a {0} of {1}', options.deleted ? vscode.l10n.t('deleted SAS definition') : vscode.l10n.t('SAS definition'), account.name),
        empty: vscode.l10n.t('{0} has no {1}.', account.name, options.deleted ? vscode.l10n.t('deleted SAS definitions') : vscode.l10n.t('SAS definitions')),
      },
      pages(),
      (x) => ({ label: `$(link) ${x.name}`, description: [x.sasType, x.validityPeriod].filter(Boolean).join(' · ') }),
    );
    // Back goes to the account step, in the same vault.
    if (picked === BACK && !accountGiven) continue;
    const sas = required(picked).value;
    return { session: account.session, vaultUrl: account.vaultUrl, accountName: account.name, name: sas.name, sas, ...(options.deleted ? { deleted: true } : {}) };
  }
}
