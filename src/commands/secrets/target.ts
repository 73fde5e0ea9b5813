import * as vscode from 'vscode';
import type { AccountSession } from '../../accounts/types';
import { secretView, shortDate, type ObjectView } from '../../tree/model/objectView';
import { objectFromIdentifier, objectFromNode, servesFamily, type ObjectRef } from '../objectArgument';
import { newestFirst, pickVersionOf, resolveObject, type ResolveObjectOptions, versionItem as sharedVersionItem, withPurgeDate } from '../objectPicker';
import { BACK, pickContainer, required, type Back, type StepInfo } from '../pickers';
import { vaultHost, type SecretCommandContext, type VaultTarget } from './context';

/**
 * The secret (or one version of it, or a deleted one) a command acts on. Built from a tree node, an identifier, or
 * the palette pickers. `view` is metadata only: it never holds a value.
 */
export interface SecretRef extends ObjectRef {
  /** The vault's name as the tree shows it (else its host is shown). */
  readonly vaultName?: string;
}

interface NodeLike {
  view?: ObjectView;
  kind?: string;
  session?: AccountSession;
  parent?: NodeLike & { ref?: { name: string; kind: string } };
}

/** The name of the vault a tree node sits in, from its ancestors. */
function vaultNameAbove(node: unknown): string | undefined {
  let n = node as (NodeLike & { ref?: { name?: string } }) | undefined;
  for (let depth = 0; n && depth < 6; depth++, n = n.parent) if (typeof n.ref?.name === 'string') return n.ref.name;
  return undefined;
}

/** What messages call a vault: its name when known, else its host. */
export const vaultLabel = (ref: { vaultUrl: string; vaultName?: string }): string => ref.vaultName ?? vaultHost(ref.vaultUrl);

const hasService = (s: unknown): s is AccountSession => servesFamily(s, 'secrets');

/**
 * Reads a command argument: a tree node of a secret, its version or deleted entry (matched by shape, not class, so a
 * node rebuilt by Open by Identifier or a test works the same), a SecretRef, or an identifier URL.
 */
export function secretFromArgument(arg: unknown, c: SecretCommandContext): SecretRef | undefined {
  if (!arg) return undefined;
  if (typeof arg === 'string') return objectFromIdentifier(arg, 'secrets', c.tree.accounts);
  const node = arg as NodeLike & Partial<SecretRef>;
  // A SecretRef handed on by another command (Show Versions → Copy Identifier) keeps its version.
  if (typeof node.vaultUrl === 'string' && typeof node.name === 'string' && hasService(node.session) && !('ref' in node)) {
    return node as SecretRef;
  }
  const fromNode = objectFromNode(arg, 'secrets');
  if (!fromNode) return undefined;
  const vaultName = vaultNameAbove(node);
  return { ...fromNode, ...(vaultName ? { vaultName } : {}) };
}

interface ContainerLike {
  session?: AccountSession;
  ref?: { url: string; name: string; kind: 'vault' | 'hsm' };
  vaultUrl?: string;
  family?: string;
  adapter?: { family?: string };
}

/** A vault from a vault, Secrets category or Deleted node; undefined for anything else. */
export function vaultFromArgument(arg: unknown): VaultTarget | undefined {
  const node = arg as ContainerLike | undefined;
  if (!node || !hasService(node.session)) return undefined;
  if (node.ref && node.ref.kind === 'vault') return { session: node.session, url: node.ref.url, name: node.ref.name };
  const family = node.family ?? node.adapter?.family;
  if (typeof node.vaultUrl === 'string' && family === 'secrets') {
    return { session: node.session, url: new URL(node.vaultUrl).origin, name: vaultNameAbove(node) ?? vaultHost(node.vaultUrl) };
  }
  // A secret node: its vault.
  const view = (arg as NodeLike).view;
  if (view?.family === 'secrets') return { session: node.session, url: view.vaultUrl, name: vaultNameAbove(node) ?? vaultHost(view.vaultUrl) };
  return undefined;
}

export async function pickVault(c: SecretCommandContext, title: string, step?: StepInfo): Promise<VaultTarget | Back | undefined> {
  const picked = await pickContainer({ accounts: c.tree.accounts, prompts: c.prompts, recent: c.recent }, { title, kinds: ['vault'], ...step });
  if (picked === undefined || picked === BACK) return picked;
  return { session: picked.session, url: picked.url, name: picked.name };
}

export async function resolveVault(c: SecretCommandContext, arg: unknown, title: string): Promise<VaultTarget> {
  return vaultFromArgument(arg) ?? required(await pickVault(c, title));
}

const secretItem = (v: ObjectView): vscode.QuickPickItem => ({
  label: v.name,
  description: [v.enabled ? undefined : vscode.l10n.t('disabled'), v.contentType, v.managed ? vscode.l10n.t('managed') : undefined].filter(Boolean).join(' · '),
  detail: Object.keys(v.tags).length ? Object.entries(v.tags).map(([k, val]) => `${k}=${val}`).join('  ') : undefined,
});

export interface ResolveOptions extends ResolveObjectOptions {
  /** Managed secrets are offered too (read-only commands). Default true. */
  includeManaged?: boolean;
}

/** The secret a command acts on: its argument, else vault → secret (→ version) pickers. */
export async function resolveSecret(c: SecretCommandContext, arg: unknown, options: ResolveOptions): Promise<SecretRef> {
  const deleted = options.deleted === true;
  return resolveObject(c.prompts, options, {
    argument: secretFromArgument(arg, c),
    notDeleted: (name) => vscode.l10n.t('{0} is not a deleted secret.', name),
    container: () => vaultFromArgument(arg),
    pickContainer: (step) => pickVault(c, options.title, step),
    list: (target) => (deleted ? target.session.service.secrets.listDeleted(target.url) : target.session.service.secrets.list(target.url)),
    pageSize: c.tree.settings.current.pageSize,
    toView: secretView,
    item: (v) => (deleted ? withPurgeDate(secretItem(v), v) : secretItem(v)),
    placeholder: (target) => (deleted ? vscode.l10n.t('Choose a deleted secret in {0}', target.name) : vscode.l10n.t('Choose a secret in {0}', target.name)),
    empty: (target) => (deleted ? vscode.l10n.t('{0} has no deleted secrets.', target.name) : vscode.l10n.t('{0} has no secrets yet.', target.name)),
    toRef: (target: VaultTarget, view): SecretRef => {
      if (options.includeManaged === false && view.managed) throw new Error(managedMessage(view.name));
      return { session: target.session, vaultUrl: target.url, name: view.name, view, vaultName: target.name, ...(deleted ? { deleted: true } : {}) };
    },
    pickVersion: (ref, request) => pickVersion(c, ref, request),
  });
}

/** Versions of a secret, newest first (the listing has no order; Key Vault returns them as stored). */
export async function listVersions(ref: SecretRef, signal?: AbortSignal): Promise<ObjectView[]> {
  return newestFirst(ref.session.service.secrets.listVersions(ref.vaultUrl, ref.name, signal ? { abortSignal: signal } : undefined), secretView);
}

/**
 * The version that is current now, as metadata. Listing versions cannot say which (versions created in the same
 * second tie, and the service defines no order), so ask Key Vault for the secret itself and keep only its properties;
 * the value is dropped at once. A disabled or forbidden read falls back to the newest version listed.
 */
export async function currentVersionView(ref: SecretRef, signal?: AbortSignal): Promise<ObjectView | undefined> {
  try {
    const { properties } = await ref.session.service.secrets.get(ref.vaultUrl, ref.name, undefined, signal ? { abortSignal: signal } : undefined);
    if (properties.version) return secretView(properties);
  } catch {
    // fall through to the listing
  }
  return (await listVersions(ref, signal))[0];
}

export function versionItem(v: ObjectView, newest: boolean): vscode.QuickPickItem {
  return sharedVersionItem(v, newest, {
    description: [v.contentType],
    detail: [v.expiresOn ? vscode.l10n.t('expires {0}', shortDate(v.expiresOn)) : undefined, v.notBefore ? vscode.l10n.t('active from {0}', shortDate(v.notBefore)) : undefined],
  });
}

export async function pickVersion(c: SecretCommandContext, ref: SecretRef, request: StepInfo & { title: string }): Promise<SecretRef | Back | undefined> {
  const items = Promise.all([listVersions(ref), currentVersionView(ref)]).then(([vs, current]) =>
    vs.map((v) => ({ ...versionItem(v, v.version === current?.version), view: v })),
  );
  return pickVersionOf(c.prompts, ref, request, items);
}

export function managedMessage(name: string): string {
  return vscode.l10n.t(
    'Secret {0} backs a certificate: Key Vault manages its value and attributes. Change the certificate instead (its new versions update this secret).',
    name,
  );
}

/** `db-password` or `db-password (version 1a2b3c4d)`. */
export function describeRef(ref: SecretRef): string {
  return ref.version ? vscode.l10n.t('{0} (version {1})', ref.name, ref.version.slice(0, 8)) : ref.name;
}
