import * as vscode from 'vscode';
import type { AccountsModel } from '../../accounts/types';
import type { TreeContext } from '../../tree/context';
import { FAMILIES } from '../../tree/families';
import { shortDate, type ObjectFamily, type ObjectView } from '../../tree/model/objectView';
import { CategoryNode } from '../../tree/nodes/CategoryNode';
import { ContainerNode } from '../../tree/nodes/ContainerNode';
import { ObjectNode } from '../../tree/nodes/ObjectNode';
import type { TreeNode } from '../../tree/TreeNode';
import { loadedContainers } from '../../tree/walk';
import { BACK, pickContainer, pickFromPages, type ContainerChoice, type Prompts, type RecentContainers } from '../pickers';

export interface ObjectPickerDependencies {
  readonly ctx: TreeContext;
  readonly accounts: AccountsModel;
  readonly provider: { readonly roots_: readonly TreeNode[] };
  readonly recent: RecentContainers;
  prompts: Prompts;
}

/**
 * The tree's node for a picked vault: the loaded one when the tree shows it (same object, so reveal and refresh work),
 * else a detached node, with its Azure resource when discovery knows it (Open in Portal needs it).
 */
export async function containerNodeFor(deps: ObjectPickerDependencies, choice: ContainerChoice): Promise<ContainerNode> {
  const url = choice.url.toLowerCase();
  const loaded = (await loadedContainers(deps.provider.roots_)).find((c) => c.vaultUrl.toLowerCase() === url && c.session.id === choice.session.id);
  if (loaded) return loaded;
  let discovered;
  if (choice.session.arm) {
    try {
      const subs = (await choice.session.listSubscriptions()).map((s) => s.subscriptionId);
      discovered = (await choice.session.discover(subs)).containers.find((c) => c.url.toLowerCase() === url);
    } catch {
      // No Azure resource: the node works without it (only Open in Portal needs it).
    }
  }
  const pinned = deps.accounts.pinned().find((p) => p.url.toLowerCase() === url);
  return new ContainerNode({ kind: choice.kind, name: choice.name, url: choice.url, ...(discovered ? { discovered } : {}), ...(pinned ? { pinned } : {}) }, choice.session, undefined, deps.ctx);
}

type WhatItem = vscode.QuickPickItem & { family?: ObjectFamily };

/**
 * Palette fallback for commands on a vault or one of its objects: vault (recent first) → the vault itself or a
 * family → object. Returns the node the command would get from the tree, or undefined when dismissed.
 */
export async function pickVaultOrObject(
  deps: ObjectPickerDependencies,
  options: { title: string; families?: readonly ObjectFamily[]; allowContainer?: boolean },
): Promise<ContainerNode | ObjectNode | undefined> {
  const families = options.families ?? (['keys', 'secrets', 'certificates', 'storage'] as const);
  for (;;) {
    const choice = await pickContainer(deps, { title: options.title, step: 1, totalSteps: 3 });
    if (choice === undefined || choice === BACK) return undefined;
    const container = await containerNodeFor(deps, choice);
    const usable = families.filter((f) => choice.kind === 'vault' || !FAMILIES[f].vaultOnly);
    for (;;) {
      const items: WhatItem[] = [
        ...(options.allowContainer !== false ? [{ label: `$(${choice.kind === 'hsm' ? 'shield' : 'lock'}) ${choice.name}`, description: choice.kind === 'hsm' ? vscode.l10n.t('this Managed HSM') : vscode.l10n.t('this vault') }] : []),
        ...usable.map((f) => ({ label: `$(${FAMILIES[f].icon}) ${FAMILIES[f].label}`, description: vscode.l10n.t('pick one'), family: f })),
      ];
      const what = await deps.prompts.pick<WhatItem>({ title: options.title, step: 2, totalSteps: 3, canGoBack: true, placeholder: vscode.l10n.t('The vault itself, or which kind of object?'), items });
      if (what === undefined) return undefined;
      if (what === BACK) break;
      if (!what.family) return container;
      const object = await pickObjectIn(deps, container, what.family, { title: options.title, step: 3, totalSteps: 3, canGoBack: true });
      if (object === undefined) return undefined;
      if (object === BACK) continue;
      return object;
    }
  }
}

/** One object of a family in a container, streamed page by page (the first page shows at once). */
export async function pickObjectIn(
  deps: ObjectPickerDependencies,
  container: ContainerNode,
  family: ObjectFamily,
  step: { title: string; step?: number; totalSteps?: number; canGoBack?: boolean },
): Promise<ObjectNode | typeof BACK | undefined> {
  const adapter = FAMILIES[family];
  const category = container.category(family) ?? new CategoryNode(adapter, container.vaultUrl, container.session, container, deps.ctx, container.id);
  async function* pages(): AsyncIterable<readonly ObjectView[]> {
    for await (const page of adapter.list(container.session.service, container.vaultUrl, { maxPageSize: deps.ctx.config().pageSize })) yield page.items;
  }
  const picked = await pickFromPages(
    deps.prompts,
    { ...step, placeholder: vscode.l10n.t('Choose a {0} in {1}', adapter.singular, container.ref.name), empty: vscode.l10n.t('{0} has no {1}.', container.ref.name, adapter.label.toLowerCase()) },
    pages(),
    (v) => ({
      label: v.name,
      description: [v.enabled ? undefined : vscode.l10n.t('disabled'), v.contentType, v.keyType, v.expiresOn ? vscode.l10n.t('expires {0}', shortDate(v.expiresOn)) : undefined].filter(Boolean).join(' · '),
    }),
  );
  if (picked === undefined || picked === BACK) return picked;
  return new ObjectNode(picked.value, 'object', container.session, category, deps.ctx);
}
