import * as vscode from 'vscode';
import type { AccountSession } from '../../accounts/types';
import { certificateView, shortDate, type ObjectFamily, type ObjectView } from '../../tree/model/objectView';
import { objectFromIdentifier, objectFromNode, servesFamily, type ObjectRef, sessionOrThrow } from '../objectArgument';
import { newestFirst, pickVersionOf, resolveObject, type ResolveObjectOptions, versionItem } from '../objectPicker';
import { BACK, pickContainer, required, type Back, type StepInfo } from '../pickers';
import { vaultNameOf, type VaultCommandContext, type VaultTarget } from './context';

/**
 * The certificate (or one version of it, or a deleted one) a command acts on, from a tree node, an identifier, or
 * the palette pickers. `view` is metadata only.
 */
export type CertificateRef = ObjectRef;

const hasService = (s: unknown): s is AccountSession => servesFamily(s, 'certificates');

/**
 * Reads a command argument: a certificate node (its version or deleted entry; matched by shape, so a node rebuilt by
 * Open by Identifier works too), a CertificateRef, or an identifier URL.
 */
export function certificateFromArgument(arg: unknown, c: VaultCommandContext): CertificateRef | undefined {
  if (!arg) return undefined;
  if (typeof arg === 'string') return objectFromIdentifier(arg, 'certificates', c.tree.accounts);
  const fromNode = objectFromNode(arg, 'certificates');
  if (fromNode) return fromNode;
  const node = arg as Partial<CertificateRef>;
  if (typeof node.vaultUrl === 'string' && typeof node.name === 'string' && hasService(node.session) && !('ref' in node) && !('adapter' in node)) return node as CertificateRef;
  return undefined;
}

interface ContainerLike {
  session?: AccountSession;
  ref?: { url: string; name: string; kind: 'vault' | 'hsm' };
  vaultUrl?: string;
  family?: string;
  adapter?: { family?: string };
  view?: ObjectView;
}

/**
 * A vault from a vault node, a category or Deleted group of `family`, an object of `family`, or a vault URL string.
 * Undefined for anything else (the caller then asks).
 */
export function vaultFromArgument(arg: unknown, family: ObjectFamily, c?: VaultCommandContext): VaultTarget | undefined {
  if (typeof arg === 'string' && c) {
    try {
      const origin = new URL(arg).origin;
      if (!/^https:/i.test(origin) || new URL(arg).pathname.replace(/\/$/, '') !== '') return undefined;
      return { session: sessionOrThrow(c.tree.accounts, origin), url: origin, name: vaultNameOf(origin) };
    } catch (err) {
      if (err instanceof TypeError) return undefined;
      throw err;
    }
  }
  const node = arg as ContainerLike | undefined;
  if (!node?.session || typeof node.session.service !== 'object') return undefined;
  if (node.ref && node.ref.kind === 'vault') return { session: node.session, url: node.ref.url, name: node.ref.name };
  const nodeFamily = node.family ?? node.adapter?.family;
  if (typeof node.vaultUrl === 'string' && nodeFamily === family) return { session: node.session, url: new URL(node.vaultUrl).origin, name: vaultNameOf(node.vaultUrl) };
  if (node.view?.family === family) return { session: node.session, url: new URL(node.view.vaultUrl).origin, name: vaultNameOf(node.view.vaultUrl) };
  return undefined;
}

export async function pickVault(c: VaultCommandContext, title: string, step?: StepInfo): Promise<VaultTarget | Back | undefined> {
  const picked = await pickContainer({ accounts: c.tree.accounts, prompts: c.prompts, recent: c.recent }, { title, kinds: ['vault'], ...step });
  if (picked === undefined || picked === BACK) return picked;
  return { session: picked.session, url: picked.url, name: picked.name };
}

/** The vault a vault-level command acts on: its argument, else a picker. */
export async function resolveVault(c: VaultCommandContext, arg: unknown, family: ObjectFamily, title: string): Promise<VaultTarget> {
  return vaultFromArgument(arg, family, c) ?? required(await pickVault(c, title));
}

function certificateItem(v: ObjectView): vscode.QuickPickItem {
  const parts = [v.pending ? vscode.l10n.t('pending') : undefined, v.enabled ? undefined : vscode.l10n.t('disabled'), v.expiresOn ? vscode.l10n.t('expires {0}', shortDate(v.expiresOn)) : undefined];
  if (v.deleted?.scheduledPurgeDate) parts.push(vscode.l10n.t('purge {0}', shortDate(v.deleted.scheduledPurgeDate)));
  return { label: v.name, description: parts.filter(Boolean).join(' · '), detail: v.thumbprint ? vscode.l10n.t('thumbprint {0}', v.thumbprint) : undefined };
}

export interface ResolveOptions extends ResolveObjectOptions {
  /** Offer only certificates with a pending operation (CSR, merge, cancel). */
  pendingOnly?: boolean;
}

/** The certificate a command acts on: its argument, else vault → certificate (→ version) pickers. */
export async function resolveCertificate(c: VaultCommandContext, arg: unknown, options: ResolveOptions): Promise<CertificateRef> {
  const deleted = options.deleted === true;
  const what = options.pendingOnly ? vscode.l10n.t('certificate with a pending operation') : deleted ? vscode.l10n.t('deleted certificate') : vscode.l10n.t('certificate');
  return resolveObject(c.prompts, options, {
    argument: certificateFromArgument(arg, c),
    notDeleted: (name) => vscode.l10n.t('{0} is not a deleted certificate.', name),
    stillDeleted: (name) => vscode.l10n.t('{0} is deleted: recover it first.', name),
    container: () => vaultFromArgument(arg, 'certificates', c),
    pickContainer: (step) => pickVault(c, options.title, step),
    // Pending certificates are listed too: CSR, merge and cancel act on them.
    list: (target) => (deleted ? target.session.service.certificates.listDeleted(target.url, { includePending: true }) : target.session.service.certificates.list(target.url, { includePending: true })),
    pageSize: c.tree.settings.current.pageSize,
    toView: certificateView,
    ...(options.pendingOnly ? { keep: (v: ObjectView) => v.pending === true } : {}),
    item: certificateItem,
    placeholder: (target) => vscode.l10n.t('Choose a {0} in {1}', what, target.name),
    empty: (target) => vscode.l10n.t('{0} has no {1}.', target.name, what),
    toRef: (target: VaultTarget, view): CertificateRef => ({ session: target.session, vaultUrl: target.url, name: view.name, view, ...(deleted ? { deleted: true } : {}) }),
    pickVersion: (ref, request) => pickVersion(c, ref, request),
  });
}

/** Versions of a certificate, newest first. */
export async function listVersions(ref: CertificateRef, signal?: AbortSignal): Promise<ObjectView[]> {
  return newestFirst(ref.session.service.certificates.listVersions(ref.vaultUrl, ref.name, signal ? { abortSignal: signal } : undefined), certificateView);
}

export async function pickVersion(c: VaultCommandContext, ref: CertificateRef, request: StepInfo & { title: string }): Promise<CertificateRef | Back | undefined> {
  const items = listVersions(ref).then((vs) =>
    vs.map((v, i) => ({
      ...versionItem(v, i === 0, {
        description: [v.pending ? vscode.l10n.t('pending') : undefined],
        detail: [v.expiresOn ? vscode.l10n.t('expires {0}', shortDate(v.expiresOn)) : undefined, v.thumbprint ? vscode.l10n.t('thumbprint {0}', v.thumbprint) : undefined],
      }),
      view: v,
    })),
  );
  return pickVersionOf(c.prompts, ref, request, items);
}

/** `web-cert` or `web-cert (version 1a2b3c4d)`. */
export function describeRef(ref: Pick<CertificateRef, 'name' | 'version'>): string {
  return ref.version ? vscode.l10n.t('{0} (version {1})', ref.name, ref.version.slice(0, 8)) : ref.name;
}
