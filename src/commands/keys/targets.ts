import * as vscode from 'vscode';
import type { AccountSession } from '../../accounts/types';
import type { DiscoveredContainer } from '../../azure/discovery';
import { containerKindOf } from '../../keyvault/identifiers';
import { keyView, shortDate, type ObjectView } from '../../tree/model/objectView';
import { objectFromIdentifier, objectFromNode, servesFamily, type ObjectRef, sessionOrThrow } from '../objectArgument';
import { newestFirst, pickVersionOf, resolveObject, type ResolveObjectOptions, versionItem, withPurgeDate, type VersionItem } from '../objectPicker';
import { BACK, pickContainer, required, type Back, type StepInfo } from '../pickers';
import { loadedContainers } from '../tree/walk';
import { vaultNameOf as containerNameOf } from '../vaultNames';
import type { KeyCommandContext } from './context';

export type ContainerKind = 'vault' | 'hsm';

/** A vault or Managed HSM a key command works in. */
export interface ContainerTarget {
  readonly session: AccountSession;
  readonly url: string;
  readonly name: string;
  readonly kind: ContainerKind;
}

/** The key (or one version of it, or a deleted one) a command acts on. `view` is metadata only. */
export interface KeyRef extends ObjectRef {
  readonly containerKind: ContainerKind;
}

interface NodeLike {
  view?: ObjectView;
  kind?: string;
  session?: AccountSession;
  parent?: unknown;
  ref?: { url: string; name: string; kind: ContainerKind };
  hsmUrl?: string;
  vaultUrl?: string;
  family?: string;
  adapter?: { family?: string };
}

const hasService = (s: unknown): s is AccountSession => servesFamily(s, 'keys');

/** `kv-demo` from `https://kv-demo.vault.azure.net`; the host for custom endpoints (the emulator). */
export { containerNameOf };

/** The nearest ContainerNode-like ancestor (ObjectNode → CategoryNode → ContainerNode): its name and kind. */
function containerFromParents(node: unknown): { name: string; kind: ContainerKind } | undefined {
  let n = node as NodeLike | undefined;
  for (let depth = 0; n && depth < 6; depth++) {
    if (n.ref && (n.ref.kind === 'vault' || n.ref.kind === 'hsm')) return { name: n.ref.name, kind: n.ref.kind };
    n = n.parent as NodeLike | undefined;
  }
  return undefined;
}

/**
 * What is known of a container from its URL: vault or HSM, and its name. From the host name in the known clouds, the
 * tree's container above a node, the pinned entry, the loaded tree, or the session's (cached) discovery — custom
 * endpoints such as the emulator are only known by those. Both undefined when nothing tells.
 */
export async function lookupContainer(c: KeyCommandContext, url: string, hint?: unknown): Promise<{ kind?: ContainerKind; name?: string }> {
  const origin = new URL(url).origin.toLowerCase();
  const byHost = containerKindOf(url);
  if (byHost) return { kind: byHost, name: containerNameOf(url) };
  const fromParents = containerFromParents(hint);
  if (fromParents) return fromParents;
  const pinned = c.tree.accounts.pinned().find((p) => new URL(p.url).origin.toLowerCase() === origin);
  if (pinned) return { kind: pinned.kind, name: pinned.name };
  try {
    const loaded = (await loadedContainers(c.provider.roots_)).find((x) => x.vaultUrl.toLowerCase() === origin);
    if (loaded) return { kind: loaded.ref.kind, name: loaded.ref.name };
  } catch {
    // The tree is not loaded: ask discovery below.
  }
  const found = await discoveredContainer(c, origin);
  return found ? { kind: found.kind, name: found.name } : {};
}

/**
 * The session's discovery entry for a container origin (lower case). Discovery results are cached per session, so
 * this costs a round trip only when nothing has listed vaults yet; undefined without ARM access or when not found.
 */
async function discoveredContainer(c: KeyCommandContext, origin: string): Promise<DiscoveredContainer | undefined> {
  const session = c.tree.accounts.sessionFor(origin);
  if (!session?.arm) return undefined;
  try {
    let subs = (await session.listSubscriptions()).map((x) => x.subscriptionId);
    const selected = session.selectedSubscriptionIds();
    if (selected) subs = subs.filter((x) => selected.includes(x));
    return (await session.discover(subs)).containers.find((x) => new URL(x.url).origin.toLowerCase() === origin);
  } catch {
    return undefined;
  }
}

/**
 * A vault's SKU as discovery reported it ('standard', 'premium'): from the loaded tree, else the session's discovery.
 * Undefined for a vault added by URL or read without ARM access — the data plane does not say.
 */
export async function containerSku(c: KeyCommandContext, url: string): Promise<string | undefined> {
  const origin = new URL(url).origin.toLowerCase();
  try {
    const loaded = (await loadedContainers(c.provider.roots_)).find((x) => x.vaultUrl.toLowerCase() === origin);
    if (loaded?.ref.discovered) return loaded.ref.discovered.sku;
  } catch {
    // The tree is not loaded: ask discovery below.
  }
  return (await discoveredContainer(c, origin))?.sku;
}

/** Vault or HSM; 'vault' when nothing tells (the service then answers for what a vault cannot do). */
export async function containerKind(c: KeyCommandContext, url: string, hint?: unknown): Promise<ContainerKind> {
  return (await lookupContainer(c, url, hint)).kind ?? 'vault';
}

/**
 * Reads a command argument: a key node (a version or deleted entry too; matched by shape, so a node rebuilt by Open
 * by Identifier or a test works the same), a KeyRef, or a key identifier URL.
 */
export async function keyFromArgument(arg: unknown, c: KeyCommandContext): Promise<KeyRef | undefined> {
  if (!arg) return undefined;
  if (typeof arg === 'string') {
    const id = objectFromIdentifier(arg, 'keys', c.tree.accounts);
    return id && { ...id, containerKind: await containerKind(c, id.vaultUrl) };
  }
  const fromNode = objectFromNode(arg, 'keys');
  if (fromNode) return { ...fromNode, containerKind: await containerKind(c, fromNode.vaultUrl, arg) };
  const node = arg as NodeLike & Partial<KeyRef>;
  if (typeof node.vaultUrl === 'string' && typeof node.name === 'string' && hasService(node.session) && !node.ref && (node.containerKind === 'vault' || node.containerKind === 'hsm')) {
    return node as KeyRef;
  }
  return undefined;
}

/**
 * A vault or HSM from a container, Keys category, Deleted group, key, or HSM role/settings node, or a URL. A URL of a
 * custom endpoint whose kind nothing tells is taken as `assumed` (the kind the command needs).
 */
export async function containerFromArgument(arg: unknown, c: KeyCommandContext, assumed: ContainerKind = 'vault'): Promise<ContainerTarget | undefined> {
  if (typeof arg === 'string') {
    let url: URL;
    try {
      url = new URL(arg);
    } catch {
      return undefined;
    }
    if (url.protocol !== 'https:') return undefined;
    const known = await lookupContainer(c, url.origin);
    return { session: sessionOrThrow(c.tree.accounts, url.origin), url: url.origin, name: known.name ?? containerNameOf(url.origin), kind: known.kind ?? assumed };
  }
  const node = arg as NodeLike | undefined;
  if (!node) return undefined;
  if (node.ref && hasService(node.session)) return { session: node.session, url: node.ref.url, name: node.ref.name, kind: node.ref.kind };
  // Role assignments / settings nodes (and an assignment: its parent).
  const hsm = node.hsmUrl ? node : (node.parent as NodeLike | undefined)?.hsmUrl ? (node.parent as NodeLike) : undefined;
  if (hsm?.hsmUrl && hasService(hsm.session)) return { session: hsm.session, url: new URL(hsm.hsmUrl).origin, name: containerNameOf(hsm.hsmUrl), kind: 'hsm' };
  const family = node.family ?? node.adapter?.family;
  const vaultUrl = typeof node.vaultUrl === 'string' && family === 'keys' ? node.vaultUrl : node.view?.family === 'keys' ? node.view.vaultUrl : undefined;
  if (vaultUrl && hasService(node.session)) {
    const url = new URL(vaultUrl).origin;
    const known = await lookupContainer(c, url, node);
    return { session: node.session, url, name: known.name ?? containerNameOf(url), kind: known.kind ?? 'vault' };
  }
  return undefined;
}

export async function pickKeyContainer(c: KeyCommandContext, title: string, kinds: ReadonlyArray<ContainerKind> = ['vault', 'hsm'], step?: StepInfo): Promise<ContainerTarget | Back | undefined> {
  const picked = await pickContainer({ accounts: c.tree.accounts, prompts: c.prompts, recent: c.recent }, { title, kinds, ...step });
  if (picked === undefined || picked === BACK) return picked;
  return { session: picked.session, url: picked.url, name: picked.name, kind: picked.kind };
}

/** The vault or HSM of a command: its argument, else a picker (recent first). */
export async function resolveContainer(c: KeyCommandContext, arg: unknown, title: string, kinds: ReadonlyArray<ContainerKind> = ['vault', 'hsm']): Promise<ContainerTarget> {
  const given = await containerFromArgument(arg, c, kinds.length === 1 ? kinds[0] : 'vault');
  if (given) {
    if (!kinds.includes(given.kind)) {
      throw new Error(kinds.includes('hsm') ? vscode.l10n.t('{0} is a key vault: this command needs a Managed HSM.', given.name) : vscode.l10n.t('{0} is a Managed HSM: this command needs a vault.', given.name));
    }
    return given;
  }
  return required(await pickKeyContainer(c, title, kinds));
}

export function keyItem(v: ObjectView): vscode.QuickPickItem {
  return {
    label: `$(key) ${v.name}`,
    description: [v.enabled ? undefined : vscode.l10n.t('disabled'), v.managed ? vscode.l10n.t('managed') : undefined, v.expiresOn ? vscode.l10n.t('expires {0}', shortDate(v.expiresOn)) : undefined].filter(Boolean).join(' · '),
    detail: Object.keys(v.tags).length ? Object.entries(v.tags).map(([k, val]) => `${k}=${val}`).join('  ') : undefined,
  };
}

export type ResolveKeyOptions = ResolveObjectOptions;

/** The key a command acts on: its argument, else vault → key (→ version) pickers. */
export async function resolveKey(c: KeyCommandContext, arg: unknown, options: ResolveKeyOptions): Promise<KeyRef> {
  const deleted = options.deleted === true;
  return resolveObject(c.prompts, options, {
    argument: await keyFromArgument(arg, c),
    notDeleted: (name) => vscode.l10n.t('{0} is not a deleted key.', name),
    stillDeleted: (name) => vscode.l10n.t('{0} is deleted: recover it first.', name),
    container: () => containerFromArgument(arg, c),
    pickContainer: (step) => pickKeyContainer(c, options.title, ['vault', 'hsm'], step),
    list: (target) => (deleted ? target.session.service.keys.listDeleted(target.url) : target.session.service.keys.list(target.url)),
    pageSize: c.tree.settings.current.pageSize,
    toView: keyView,
    item: (v) => (deleted ? withPurgeDate(keyItem(v), v) : keyItem(v)),
    placeholder: (target) => (deleted ? vscode.l10n.t('Choose a deleted key in {0}', target.name) : vscode.l10n.t('Choose a key in {0}', target.name)),
    empty: (target) => (deleted ? vscode.l10n.t('{0} has no deleted keys.', target.name) : vscode.l10n.t('{0} has no keys yet.', target.name)),
    toRef: (target: ContainerTarget, view): KeyRef => ({ session: target.session, vaultUrl: target.url, name: view.name, view, containerKind: target.kind, ...(deleted ? { deleted: true } : {}) }),
    pickVersion: (ref, request) => pickKeyVersion(c, ref, request),
  });
}

/** Versions of a key, newest first. */
export async function listKeyVersions(ref: KeyRef, signal?: AbortSignal): Promise<ObjectView[]> {
  return newestFirst(ref.session.service.keys.listVersions(ref.vaultUrl, ref.name, signal ? { abortSignal: signal } : undefined), keyView);
}

/** Versions of a key, with "Current version" first: a reference without a version follows rotation. */
export async function pickKeyVersion(c: KeyCommandContext, ref: KeyRef, request: StepInfo & { title: string }): Promise<KeyRef | Back | undefined> {
  const items = listKeyVersions(ref).then((vs): VersionItem[] => [
    { label: vscode.l10n.t('$(arrow-up) Current version'), description: vscode.l10n.t('follows rotation') },
    ...vs.map((v, i) => ({ ...versionItem(v, i === 0), view: v })),
  ]);
  return pickVersionOf(c.prompts, ref, request, items);
}

/** `signing-key` or `signing-key (version 1a2b3c4d)`. */
export function describeKey(ref: Pick<KeyRef, 'name' | 'version'>): string {
  return ref.version ? vscode.l10n.t('{0} (version {1})', ref.name, ref.version.slice(0, 8)) : ref.name;
}
