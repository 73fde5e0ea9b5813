import * as vscode from 'vscode';
import type { AccountsModel } from '../../accounts/types';
import type { TreeContext } from '../../tree/context';
import { ErrorNode } from '../../tree/ErrorNode';
import { LoadMoreNode } from '../../tree/nodes/LoadMoreNode';
import type { TreeNode } from '../../tree/TreeNode';
import type { VaultsTreeDataProvider } from '../../tree/VaultsTreeDataProvider';
import { CommandIds } from '../commandIds';
import { runCommand } from '../runCommand';
import { clearFilter, filterNode } from './filter';
import { findObject, openByIdentifier } from './find';
import { openInPortal } from './portal';
import { PROPERTIES_SCHEME, PropertiesDocuments, showProperties } from './properties';

export interface TreeCommandDependencies {
  readonly ctx: TreeContext;
  readonly accounts: AccountsModel;
  readonly provider: VaultsTreeDataProvider;
  readonly treeView: vscode.TreeView<TreeNode>;
}

/** The tree's own commands: retry, load more, filter, find, open by id, properties, portal. */
export function registerTreeCommands(context: vscode.ExtensionContext, deps: TreeCommandDependencies): void {
  const { ctx, provider, treeView, accounts } = deps;
  const log = ctx.log;
  const docs = new PropertiesDocuments();
  context.subscriptions.push(
    docs,
    vscode.workspace.registerTextDocumentContentProvider(PROPERTIES_SCHEME, docs),
    vscode.commands.registerCommand(
      CommandIds.retry,
      runCommand(CommandIds.retry, log, (node?: ErrorNode) => provider.refresh(node instanceof ErrorNode ? node.parent : undefined)),
    ),
    vscode.commands.registerCommand(
      CommandIds.learnMore,
      runCommand(CommandIds.learnMore, log, async (node?: ErrorNode) => {
        if (node instanceof ErrorNode && node.learnMore) await vscode.env.openExternal(vscode.Uri.parse(node.learnMore));
      }),
    ),
    vscode.commands.registerCommand(
      CommandIds.loadMore,
      runCommand(CommandIds.loadMore, log, async (node?: LoadMoreNode) => {
        if (!(node instanceof LoadMoreNode)) return;
        await vscode.window.withProgress({ location: { viewId: 'keyVaultExplorer.vaults' }, title: vscode.l10n.t('Loading more…') }, () => node.parent.loadMore());
      }),
    ),
    vscode.commands.registerCommand(CommandIds.filter, runCommand(CommandIds.filter, log, (node?: unknown) => filterNode(ctx, provider, node))),
    vscode.commands.registerCommand(CommandIds.clearFilter, runCommand(CommandIds.clearFilter, log, (node?: unknown) => clearFilter(ctx, provider, node))),
    vscode.commands.registerCommand(CommandIds.findObject, runCommand(CommandIds.findObject, log, () => findObject(provider, treeView))),
    vscode.commands.registerCommand(
      CommandIds.openById,
      runCommand(CommandIds.openById, log, (input?: unknown) => openByIdentifier(ctx, accounts, provider, treeView, typeof input === 'string' ? input : undefined)),
    ),
    vscode.commands.registerCommand(
      CommandIds.showProperties,
      runCommand(CommandIds.showProperties, log, (node?: unknown) => showProperties(docs, node ?? treeView.selection[0])),
    ),
    vscode.commands.registerCommand(CommandIds.openInPortal, runCommand(CommandIds.openInPortal, log, (node?: unknown) => openInPortal(node ?? treeView.selection[0]))),
  );
}
