import * as vscode from 'vscode';
import { registerCommands } from './commands/registerCommands';
import { createLog } from './log';
import { Settings } from './settings';
import { VaultsTreeDataProvider } from './tree/VaultsTreeDataProvider';

/** Wiring only: build the services, register views and commands. Behaviour lives in the modules. */
export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  context.subscriptions.push(log);

  const settings = new Settings(vscode.workspace);
  context.subscriptions.push(
    settings.onDidChange(({ changed }) => log.info(`Settings changed: ${changed.join(', ') || '(keyVault)'}`)),
  );

  // No vault sources yet (sign-in discovery and "add by URL" come with later issues): the view shows its welcome.
  const vaults = new VaultsTreeDataProvider(() => [], log);
  context.subscriptions.push(
    vaults,
    vscode.window.createTreeView('keyVaultExplorer.vaults', { treeDataProvider: vaults }),
  );

  registerCommands(context, { log, vaults });

  const { version } = context.extension.packageJSON as { version: string };
  log.info(`Azure Key Vault Explorer ${version} activated in ${vscode.env.appName} ${vscode.version} (api-version ${settings.current.apiVersion})`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
