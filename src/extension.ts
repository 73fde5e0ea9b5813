import * as vscode from 'vscode';
import { createAccountsModel } from './accounts/createAccountsModel';
import type { AccountsModel } from './accounts/types';
import { showSignInStatus } from './accounts/status';
import { registerAccountCommands } from './commands/accounts/registerAccountCommands';
import { registerKeyCommands, type KeyCommandsTestApi } from './commands/keys/registerKeyCommands';
import { registerCertificateCommands, type CertificateCommandsTestApi } from './commands/certificates/registerCertificateCommands';
import { registerCommands } from './commands/registerCommands';
import { registerSecretCommands, type SecretCommandsTestApi } from './commands/secrets/registerSecretCommands';
import { registerStorageCommands, type StorageCommandsTestApi } from './commands/storage/registerStorageCommands';
import { ExpiryWatch } from './commands/tree/expiryWatch';
import { registerTreeCommands, type TreeCommandsTestApi } from './commands/tree/registerTreeCommands';
import { connectAzureLogger, createLog } from './log';
import { Settings } from './settings';
import type { TreeContext } from './tree/context';
import type { TreeFilter } from './tree/model/filter';
import type { TreeNode } from './tree/TreeNode';
import { VaultsTreeDataProvider } from './tree/VaultsTreeDataProvider';

/** What activate() returns: the extension-host tests reach the accounts model through it. */
export interface KeyVaultExplorerApi {
  readonly accounts: AccountsModel;
  /** Only when the test harness runs the extension (KEYVAULT_EXT_TESTS_REPORT): prompt answers and the clipboard guard. */
  readonly secrets?: SecretCommandsTestApi;
  /** Only under the test harness: prompt answers and the open key panels. */
  readonly keys?: KeyCommandsTestApi;
  /** Only under the test harness: prompt answers and the open certificate panels. */
  readonly certificates?: CertificateCommandsTestApi;
  /** Only under the test harness: prompt answers for the storage account commands. */
  readonly storage?: StorageCommandsTestApi;
  /** Only under the test harness: the tree as VS Code sees it (provider) and its context (filters). */
  readonly tree?: { readonly provider: VaultsTreeDataProvider; readonly context: TreeContext; readonly view: vscode.TreeView<TreeNode>; readonly commands: TreeCommandsTestApi };
}

/** Work that must finish before the extension host goes away (clearing a copied secret from the clipboard). */
const onDeactivate: Array<() => Promise<void>> = [];

/** Wiring only: build the services, register views and commands. Behaviour lives in the modules. */
export function activate(context: vscode.ExtensionContext): KeyVaultExplorerApi {
  const activationStarted = performance.now();
  const log = createLog();
  context.subscriptions.push(log, connectAzureLogger(log));

  const settings = new Settings(vscode.workspace);
  context.subscriptions.push(
    settings.onDidChange(({ changed }) => log.info(`Settings changed: ${changed.join(', ') || '(keyVault)'}`)),
  );

  const accounts = createAccountsModel(context, settings, log);
  const vaults = new VaultsTreeDataProvider(log);
  const treeView = vscode.window.createTreeView<TreeNode>('keyVaultExplorer.vaults', { treeDataProvider: vaults, showCollapseAll: true });
  const expiry = new ExpiryWatch(settings, async (view) => {
    await vscode.commands.executeCommand('keyVault.openById', view.id.replace(/\/[0-9a-f]{32}$/i, ''));
  });
  let config = settings.current;
  context.subscriptions.push(settings.onDidChange(({ settings: next }) => (config = next)));
  const ctx: TreeContext = {
    accounts,
    settings,
    config: () => config,
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
    showSignInStatus(treeView, accounts),
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
  const treeCommands = registerTreeCommands(context, { ctx, accounts, provider: vaults, treeView, expiry });
  registerAccountCommands(context, { accounts, settings, log });
  const secrets = registerSecretCommands(context, { ctx, provider: vaults, treeView });
  onDeactivate.push(() => secrets.deactivate());
  const keys = registerKeyCommands(context, { tree: ctx, provider: vaults, treeView, clipboard: secrets.testApi.clipboard });
  const certificates = registerCertificateCommands(context, { ctx, provider: vaults, treeView });
  const storage = registerStorageCommands(context, { ctx, provider: vaults, treeView });

  const { version } = context.extension.packageJSON as { version: string };
  // `npm run bench` (activation) reads this line from the log.
  log.info(`Azure Key Vault Explorer ${version} activated in ${(performance.now() - activationStarted).toFixed(1)} ms in ${vscode.env.appName} ${vscode.version} (api-version ${settings.current.apiVersion})`);
  return { accounts, ...(process.env.KEYVAULT_EXT_TESTS_REPORT ? { secrets: secrets.testApi, keys: keys.testApi, certificates: certificates.testApi, storage: storage.testApi, tree: { provider: vaults, context: ctx, view: treeView, commands: treeCommands.testApi } } : {}) };
}

/** Everything else is disposed through context.subscriptions; VS Code awaits this promise. */
export async function deactivate(): Promise<void> {
  await Promise.allSettled(onDeactivate.splice(0).map((hook) => hook()));
}
