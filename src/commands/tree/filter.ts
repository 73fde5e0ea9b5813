import * as vscode from 'vscode';
import type { TreeContext } from '../../tree/context';
import { describeFilter, parseFilter } from '../../tree/model/filter';
import { CategoryNode } from '../../tree/nodes/CategoryNode';
import type { ContainerNode } from '../../tree/nodes/ContainerNode';
import type { VaultsTreeDataProvider } from '../../tree/VaultsTreeDataProvider';
import { isFilterable, loadedContainers } from './walk';

const SYNTAX = 'text · /regex/ · tag:env=prod · type:application/json · is:enabled|disabled|expired|expiring';

async function pickTarget(provider: VaultsTreeDataProvider): Promise<ContainerNode | CategoryNode | undefined> {
  const containers = await loadedContainers(provider.roots_);
  if (containers.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No vault is shown yet. Sign in or add a vault by URL first.'));
    return undefined;
  }
  const items = containers.flatMap((c) => [
    { label: `$(lock) ${c.ref.name}`, description: vscode.l10n.t('whole vault'), target: c as ContainerNode | CategoryNode },
    ...c.categories().map((cat) => ({ label: `    ${cat.adapter.label}`, description: c.ref.name, target: cat as ContainerNode | CategoryNode })),
  ]);
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Filter which vault or category?') });
  return picked?.target;
}

/** `Key Vault: Filter…`: one line, validated as you type; the active filter shows in the node's description. */
export async function filterNode(ctx: TreeContext, provider: VaultsTreeDataProvider, node?: unknown): Promise<void> {
  const target = isFilterable(node as never) ? (node as ContainerNode | CategoryNode) : await pickTarget(provider);
  if (!target) return;
  const current = ctx.filters.get(target.id);
  const input = await vscode.window.showInputBox({
    title: vscode.l10n.t('Filter {0}', target instanceof CategoryNode ? `${target.adapter.label}` : target.ref.name),
    prompt: SYNTAX,
    value: current ? describeFilter(current) : '',
    placeHolder: 'db tag:env=prod is:enabled',
    validateInput: (text) => {
      const r = parseFilter(text);
      return 'error' in r ? r.error : undefined;
    },
  });
  if (input === undefined) return;
  const parsed = parseFilter(input);
  if ('error' in parsed) return;
  if (describeFilter(parsed.filter) === '') ctx.filters.delete(target.id);
  else ctx.filters.set(target.id, parsed.filter);
  await vscode.commands.executeCommand('setContext', 'keyVault.hasFilters', ctx.filters.size > 0);
  provider.rerender(target);
}

export async function clearFilter(ctx: TreeContext, provider: VaultsTreeDataProvider, node?: unknown): Promise<void> {
  if (isFilterable(node as never)) {
    ctx.filters.delete((node as ContainerNode | CategoryNode).id);
    provider.rerender(node as ContainerNode);
  } else {
    ctx.filters.clear();
    provider.rerender();
  }
  await vscode.commands.executeCommand('setContext', 'keyVault.hasFilters', ctx.filters.size > 0);
}
