import * as vscode from 'vscode';
import { noAccounts } from './accounts/noAccounts';
import { registerCommands } from './commands/registerCommands';
import { ExpiryWatch } from './commands/tree/expiryWatch';
import { registerTreeCommands } from './commands/tree/registerTreeCommands';
import { createLog } from './log';
import { Settings } from './settings';
import type { TreeContext } from './tree/context';
import type { TreeFilter } from './tree/model/filter';
import type { TreeNode } from './tree/TreeNode';
import { VaultsTreeDataProvider } from './tree/VaultsTreeDataProvider';

/** Wiring only: build the services, register views and commands. Behaviour lives in the modules. */
export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  context.subscriptions.push(log);

  const settings = new Settings(vscode.workspace);
  context.subscriptions.push(
    settings.onDidChange(({ changed }) => log.info(`Settings changed: ${changed.join(', ') || '(keyVault)'}`)),
  );

  const accounts = noAccounts();
  const vaults = new VaultsTreeDataProvider(log);
  const treeView = vscode.window.createTreeView<TreeNode>('keyVaultExplorer.vaults', { treeDataProvider: vaults, showCollapseAll: true });
  const expiry = new ExpiryWatch(settings, async (view) => {
    await vscode.commands.executeCommand('keyVault.openById', view.id.replace(/\/[0-9a-f]{32}$/i, ''));
  });
  const ctx: TreeContext = {
    accounts,
    settings,
    log,
    refresh: (node) => vaults.rerender(node),
    filters: new Map<string, TreeFilter>(),
    now: () => Date.now(),
    observe: (views) => expiry.observe(views),
  };
  vaults.attach(ctx);
  context.subscriptions.push(
    accounts,
    vaults,
    treeView,
    expiry,
    accounts.onDidChange(() => vaults.refresh()),
    vaults.onDidRefreshAll(() => expiry.arm()),
    settings.onDidChange(({ changed }) => {
      if (changed.some((c) => c === 'groupBySubscription' || c === 'pageSize' || c === 'apiVersion')) vaults.refresh();
      else if (changed.includes('expiryWarningDays')) vaults.rerender();
    }),
  );
  expiry.arm();

  registerCommands(context, { log, vaults });
  registerTreeCommands(context, { ctx, accounts, provider: vaults, treeView });

  const { version } = context.extension.packageJSON as { version: string };
  log.info(`Azure Key Vault Explorer ${version} activated in ${vscode.env.appName} ${vscode.version} (api-version ${settings.current.apiVersion})`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
