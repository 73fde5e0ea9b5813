import * as vscode from 'vscode';
import type { AccountSession } from '../../accounts/types';
import { parseObjectId } from '../../keyvault/identifiers';
import type { CertificateProperties } from '../../keyvault/models/certificates';
import type { DeletedInfo } from '../../keyvault/models/common';
import { certificateView, shortDate, type ObjectFamily, type ObjectView } from '../../tree/model/objectView';
import { BACK, pickContainer, pickFromPages, required, type Back, type StepInfo } from '../pickers';
import { hostOf, vaultNameOf, type VaultCommandContext, type VaultTarget } from './context';

/**
 * The certificate (or one version of it, or a deleted one) a command acts on, from a tree node, an identifier, or
 * the palette pickers. `view` is metadata only.
 */
export interface CertificateRef {
  readonly session: AccountSession;
  readonly vaultUrl: string;
  readonly name: string;
  /** Set when the command is about one version (a version node, or a versioned identifier). */
  readonly version?: string;
  readonly view?: ObjectView;
  readonly deleted?: boolean;
}

interface NodeLike {
  view?: ObjectView;
  kind?: string;
  session?: AccountSession;
}

const hasService = (s: unknown): s is AccountSession => typeof (s as AccountSession | undefined)?.service?.certificates?.get === 'function';

function sessionOrThrow(c: VaultCommandContext, vaultUrl: string): AccountSession {
  const session = c.tree.accounts.sessionFor(vaultUrl);
  if (!session) throw new Error(vscode.l10n.t('{0} is not one of your vaults: add it to the Key Vault view first.', hostOf(vaultUrl)));
  return session;
}

/**
 * Reads a command argument: a certificate node (its version or deleted entry; matched by shape, so a node rebuilt by
 * Open by Identifier works too), a CertificateRef, or an identifier URL.
 */
export function certificateFromArgument(arg: unknown, c: VaultCommandContext): CertificateRef | undefined {
  if (!arg) return undefined;
  if (typeof arg === 'string') {
    let id;
    try {
      id = parseObjectId(arg);
    } catch {
      return undefined;
    }
    if (id.collection !== 'certificates' && id.collection !== 'deletedcertificates') return undefined;
    return { session: sessionOrThrow(c, id.vaultUrl), vaultUrl: id.vaultUrl, name: id.name, ...(id.version ? { version: id.version } : {}), ...(id.collection === 'deletedcertificates' ? { deleted: true } : {}) };
  }
  const node = arg as NodeLike & Partial<CertificateRef>;
  if (node.view && node.view.family === 'certificates' && hasService(node.session)) {
    return {
      session: node.session,
      vaultUrl: node.view.vaultUrl,
      name: node.view.name,
      view: node.view,
      ...(node.kind === 'version' && node.view.version ? { version: node.view.version } : {}),
      ...(node.kind === 'deleted' ? { deleted: true } : {}),
    };
  }
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
      return { session: sessionOrThrow(c, origin), url: origin, name: vaultNameOf(origin) };
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

async function* viewPages(list: AsyncIterableIterator<{ items: (CertificateProperties & Partial<DeletedInfo>)[] }>, keep: (v: ObjectView) => boolean): AsyncIterable<ObjectView[]> {
  for await (const page of list) yield page.items.map(certificateView).filter(keep);
}

export interface ResolveOptions {
  /** Palette title, e.g. "Download Certificate". */
  title: string;
  /** From the palette: also pick a version (commands about one version). */
  pickVersion?: boolean;
  /** Deleted certificates (recover, purge). */
  deleted?: boolean;
  /** Offer only certificates with a pending operation (CSR, merge, cancel). */
  pendingOnly?: boolean;
}

/** The certificate a command acts on: its argument, else vault → certificate (→ version) pickers. */
export async function resolveCertificate(c: VaultCommandContext, arg: unknown, options: ResolveOptions): Promise<CertificateRef> {
  const given = certificateFromArgument(arg, c);
  if (given) {
    if (options.deleted && !given.deleted) throw new Error(vscode.l10n.t('{0} is not a deleted certificate.', given.name));
    if (!options.deleted && given.deleted) throw new Error(vscode.l10n.t('{0} is deleted: recover it first.', given.name));
    return given;
  }
  const vault = vaultFromArgument(arg, 'certificates', c);
  const steps = options.pickVersion ? 3 : 2;
  for (;;) {
    const target = vault ?? required(await pickVault(c, options.title, { step: 1, totalSteps: steps }));
    const service = target.session.service.certificates;
    const pageSize = c.tree.settings.current.pageSize;
    const list = options.deleted
      ? service.listDeleted(target.url, { includePending: true }).byPage({ maxPageSize: pageSize })
      : service.list(target.url, { includePending: true }).byPage({ maxPageSize: pageSize });
    const what = options.pendingOnly ? vscode.l10n.t('certificate with a pending operation') : options.deleted ? vscode.l10n.t('deleted certificate') : vscode.l10n.t('certificate');
    const picked = await pickFromPages(
      c.prompts,
      {
        title: options.title,
        step: vault ? 1 : 2,
        totalSteps: vault ? steps - 1 : steps,
        canGoBack: !vault,
        placeholder: vscode.l10n.t('Choose a {0} in {1}', what, target.name),
        empty: vscode.l10n.t('{0} has no {1}.', target.name, what),
      },
      viewPages(list, (v) => !options.pendingOnly || v.pending === true),
      certificateItem,
    );
    if (picked === BACK) continue;
    const view = required(picked).value;
    const ref: CertificateRef = { session: target.session, vaultUrl: target.url, name: view.name, view, ...(options.deleted ? { deleted: true } : {}) };
    if (!options.pickVersion) return ref;
    const version = await pickVersion(c, ref, { title: options.title, step: steps, totalSteps: steps, canGoBack: true });
    if (version === BACK) continue;
    return required(version);
  }
}

/** Versions of a certificate, newest first. */
export async function listVersions(ref: CertificateRef, signal?: AbortSignal): Promise<ObjectView[]> {
  const out: ObjectView[] = [];
  for await (const p of ref.session.service.certificates.listVersions(ref.vaultUrl, ref.name, signal ? { abortSignal: signal } : undefined)) out.push(certificateView(p));
  return out.sort((a, b) => (b.createdOn?.getTime() ?? 0) - (a.createdOn?.getTime() ?? 0));
}

export async function pickVersion(c: VaultCommandContext, ref: CertificateRef, request: StepInfo & { title: string }): Promise<CertificateRef | Back | undefined> {
  const versions = listVersions(ref);
  const picked = await c.prompts.pick<vscode.QuickPickItem & { view?: ObjectView }>({
    ...request,
    placeholder: vscode.l10n.t('Choose a version of {0}', ref.name),
    items: versions.then((vs) =>
      vs.map((v, i) => ({
        label: `$(versions) ${v.version ?? ''}`,
        description: [v.createdOn ? shortDate(v.createdOn) : undefined, i === 0 ? vscode.l10n.t('current') : undefined, v.enabled ? undefined : vscode.l10n.t('disabled'), v.pending ? vscode.l10n.t('pending') : undefined]
          .filter(Boolean)
          .join(' · '),
        detail: [v.expiresOn ? vscode.l10n.t('expires {0}', shortDate(v.expiresOn)) : undefined, v.thumbprint ? vscode.l10n.t('thumbprint {0}', v.thumbprint) : undefined].filter(Boolean).join(' · ') || undefined,
        view: v,
      })),
    ),
  });
  if (picked === undefined || picked === BACK) return picked;
  const view = picked.view!;
  return { session: ref.session, vaultUrl: ref.vaultUrl, name: ref.name, version: view.version!, view };
}

/** `web-cert` or `web-cert (version 1a2b3c4d)`. */
export function describeRef(ref: Pick<CertificateRef, 'name' | 'version'>): string {
  return ref.version ? vscode.l10n.t('{0} (version {1})', ref.name, ref.version.slice(0, 8)) : ref.name;
}
