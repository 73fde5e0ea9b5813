import * as vscode from 'vscode';
import type { TreeNode } from '../tree/TreeNode';
import type { VaultsTreeDataProvider } from '../tree/VaultsTreeDataProvider';
import { CommandIds } from './commandIds';
import { refresh } from './refresh';
import { runCommand } from './runCommand';
import { showLog } from './showLog';

export interface CommandDependencies {
  readonly log: vscode.LogOutputChannel;
  readonly vaults: VaultsTreeDataProvider;
}

/** Registers every command; each registration is disposed with the extension. */
export function registerCommands(context: vscode.ExtensionContext, deps: CommandDependencies): void {
  const { log, vaults } = deps;
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandIds.showLog, runCommand(CommandIds.showLog, log, () => showLog(log))),
    vscode.commands.registerCommand(
      CommandIds.refresh,
      runCommand(CommandIds.refresh, log, (node?: TreeNode) => refresh(vaults, log, node)),
    ),
  );
}
