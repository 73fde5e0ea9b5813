import * as vscode from 'vscode';
import type { TreeContext } from '../../tree/context';
import { describeFilter, parseFilter } from '../../tree/model/filter';
import { CategoryNode } from '../../tree/nodes/CategoryNode';
import type { ContainerNode } from '../../tree/nodes/ContainerNode';
import type { VaultsTreeDataProvider } from '../../tree/VaultsTreeDataProvider';
import { isFilterable, loadedContainers } from '../../tree/walk';
import { required, type Prompts } from '../pickers';

const SYNTAX = 'name · /regex/ · tag:env=prod · type:application/json · is:enabled|disabled|expired|expiring';

type Target = ContainerNode | CategoryNode;

async function pickTarget(prompts: Prompts, provider: VaultsTreeDataProvider): Promise<Target> {
  const containers = await loadedContainers(provider.roots_);
  if (containers.length === 0) throw new Error(vscode.l10n.t('No vault is shown yet. Sign in or add a vault by URL first.'));
  type Item = vscode.QuickPickItem & { target?: Target };
  const items: Item[] = containers.flatMap((c): Item[] => [
    { label: `$(${c.ref.kind === 'hsm' ? 'shield' : 'lock'}) ${c.ref.name}`, description: vscode.l10n.t('every category'), target: c },
    ...c.getChildren()
      .filter((k): k is CategoryNode => k instanceof CategoryNode)
      .map((cat) => ({ label: `$(${cat.adapter.icon}) ${cat.adapter.label}`, description: c.ref.name, target: cat })),
  ]);
  return required(await prompts.pick<Item>({ title: vscode.l10n.t('Key Vault: Filter…'), placeholder: vscode.l10n.t('Filter which vault or category?'), items })).target!;
}

const targetName = (t: Target): string => (t instanceof CategoryNode ? `${t.adapter.label} (${(t.parent as ContainerNode).ref?.name ?? ''})` : t.ref.name);

/**
 * `Key Vault: Filter…`: one line, validated as you type; the active filter shows in the node's description and
 * applies to what is loaded (Load more brings more candidates). An empty line clears it.
 */
export async function filterNode(ctx: TreeContext, provider: VaultsTreeDataProvider, prompts: Prompts, node?: unknown): Promise<string> {
  const target = isFilterable(node as never) ? (node as Target) : await pickTarget(prompts, provider);
  const current = ctx.filters.get(target.id);
  const input = required(
    await prompts.input({
      title: vscode.l10n.t('Filter {0}', targetName(target)),
      prompt: SYNTAX,
      value: current ? describeFilter(current) : '',
      placeholder: 'db tag:env=prod is:enabled',
      validate: (text) => {
        const r = parseFilter(text);
        return 'error' in r ? r.error : undefined;
      },
    }),
  );
  const parsed = parseFilter(input);
  if ('error' in parsed) throw new Error(parsed.error);
  const text = describeFilter(parsed.filter);
  if (text === '') ctx.filters.delete(target.id);
  else ctx.filters.set(target.id, parsed.filter);
  await vscode.commands.executeCommand('setContext', 'keyVault.hasFilters', ctx.filters.size > 0);
  // Re-rendering a vault re-reads its expanded categories too, so a vault's filter reaches them.
  provider.rerender(target);
  return text;
}

/** `Clear Filter` on a node clears that node's filter; from the view title or palette, every filter. */
export async function clearFilter(ctx: TreeContext, provider: VaultsTreeDataProvider, node?: unknown): Promise<void> {
  if (isFilterable(node as never)) {
    ctx.filters.delete((node as Target).id);
    provider.rerender(node as Target);
  } else {
    ctx.filters.clear();
    provider.rerender();
  }
  await vscode.commands.executeCommand('setContext', 'keyVault.hasFilters', ctx.filters.size > 0);
}
