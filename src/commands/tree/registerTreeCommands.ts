import * as vscode from 'vscode';
import type { AccountsModel } from '../../accounts/types';
import { isKeyVaultError } from '../../keyvault/errors';
import type { TreeContext } from '../../tree/context';
import { ErrorNode } from '../../tree/ErrorNode';
import { ContainerNode } from '../../tree/nodes/ContainerNode';
import { LoadMoreNode } from '../../tree/nodes/LoadMoreNode';
import { ObjectNode } from '../../tree/nodes/ObjectNode';
import { refreshAfterMutation, type MutationScope } from '../../tree/refreshAfterMutation';
import type { TreeNode } from '../../tree/TreeNode';
import type { VaultsTreeDataProvider } from '../../tree/VaultsTreeDataProvider';
import { CommandIds } from '../commandIds';
import { RecentContainers, vscodePrompts, type Prompts } from '../pickers';
import { runCommand } from '../runCommand';
import type { ExpiryWatch } from './expiryWatch';
import { clearFilter, filterNode } from './filter';
import { findObject, openByIdentifier } from './find';
import { pickVaultOrObject, type ObjectPickerDependencies } from './pickObject';
import { openInPortal } from './portal';
import { PROPERTIES_SCHEME, PropertiesDocuments, showProperties } from './properties';

export interface TreeCommandDependencies {
  readonly ctx: TreeContext;
  readonly accounts: AccountsModel;
  readonly provider: VaultsTreeDataProvider;
  readonly treeView: vscode.TreeView<TreeNode>;
  /** Its notification goes through the same prompts seam, so tests can answer it. */
  readonly expiry?: ExpiryWatch;
}

/** What the extension-host tests reach (only under the test harness). */
export interface TreeCommandsTestApi {
  /** Answer the tree commands' prompts (and the expiry notification) from the test; undefined restores VS Code's. */
  setPrompts(prompts: Prompts | undefined): void;
  readonly expiry?: ExpiryWatch;
  readonly propertyDocuments: { readonly size: number };
  /** src/tree/refreshAfterMutation.ts bound to the provider (the test bundle's own copy would not know its nodes). */
  refreshAfterMutation(vaultUrl: string, family: Parameters<typeof refreshAfterMutation>[2], scope?: MutationScope): Promise<number>;
}

/** Service errors read as their message and hint; everything else as is. */
function userFacing<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await fn(...args);
    } catch (err) {
      if (isKeyVaultError(err)) {
        if (err.kind === 'cancelled') throw new vscode.CancellationError();
        throw new Error(err.userMessage);
      }
      throw err;
    }
  };
}

/**
 * The tree's own commands: retry, learn more, load more, filter, find, open by id, properties, portal. Item commands
 * take the node the tree passes; from the palette (no node) they ask: vault (recent first) → what → object.
 */
export function registerTreeCommands(context: vscode.ExtensionContext, deps: TreeCommandDependencies): { testApi: TreeCommandsTestApi } {
  const { ctx, provider, treeView, accounts, expiry } = deps;
  const log = ctx.log;
  const docs = new PropertiesDocuments();
  const picker: ObjectPickerDependencies = { ctx, accounts, provider, recent: new RecentContainers(context.globalState), prompts: vscodePrompts };
  const register = (id: string, handler: (...args: never[]) => Promise<unknown> | unknown) =>
    vscode.commands.registerCommand(id, runCommand(id, log, userFacing(async (...args: never[]) => handler(...args))));

  const nodeOrPick = async (node: unknown, title: string): Promise<ContainerNode | ObjectNode> => {
    if (node instanceof ContainerNode || node instanceof ObjectNode) return node;
    const picked = await pickVaultOrObject(picker, { title });
    if (!picked) throw new vscode.CancellationError();
    return picked;
  };

  context.subscriptions.push(
    docs,
    vscode.workspace.registerTextDocumentContentProvider(PROPERTIES_SCHEME, docs),
    register(CommandIds.retry, (node?: ErrorNode) => {
      // An error node's parent reloads (its failed listing is forgotten); a top-level error reloads everything.
      provider.refresh(node instanceof ErrorNode ? node.parent : undefined);
    }),
    register(CommandIds.learnMore, async (node?: ErrorNode) => {
      if (node instanceof ErrorNode && node.learnMore) await vscode.env.openExternal(vscode.Uri.parse(node.learnMore));
    }),
    register(CommandIds.loadMore, async (node?: LoadMoreNode) => {
      if (!(node instanceof LoadMoreNode)) return;
      await vscode.window.withProgress({ location: { viewId: 'keyVaultExplorer.vaults' }, title: vscode.l10n.t('Loading more…') }, () => node.parent.loadMore());
    }),
    register(CommandIds.filter, (node?: unknown) => filterNode(ctx, provider, picker.prompts, node)),
    register(CommandIds.clearFilter, (node?: unknown) => clearFilter(ctx, provider, node)),
    // The view title's buttons: VS Code hands title actions the focused node, which must not narrow them.
    register(CommandIds.refreshAll, () => {
      log.info('Refreshing all vaults');
      provider.refresh();
    }),
    register(CommandIds.clearAllFilters, () => clearFilter(ctx, provider, undefined)),
    register(CommandIds.findObject, () => findObject(provider, treeView, picker.prompts)),
    register(CommandIds.openById, (input?: unknown) =>
      openByIdentifier({ ctx, accounts, provider, treeView, prompts: picker.prompts }, typeof input === 'string' ? input : input instanceof vscode.Uri ? input.toString() : undefined),
    ),
    register(CommandIds.showProperties, async (node?: unknown) => {
      const target = await nodeOrPick(node, vscode.l10n.t('Key Vault: Show Properties'));
      return (await showProperties(docs, target)).document.uri.toString();
    }),
    register(CommandIds.openInPortal, async (node?: unknown) => openInPortal(await nodeOrPick(node, vscode.l10n.t('Key Vault: Open in Portal')))),
  );

  return {
    testApi: {
      setPrompts(prompts) {
        picker.prompts = prompts ?? vscodePrompts;
        if (expiry) expiry.prompts = prompts ?? vscodePrompts;
      },
      ...(expiry ? { expiry } : {}),
      propertyDocuments: docs,
      refreshAfterMutation: (vaultUrl, family, scope) => refreshAfterMutation(provider, vaultUrl, family, scope),
    },
  };
}
