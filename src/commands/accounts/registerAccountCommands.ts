import * as vscode from 'vscode';
import type { AccountsController } from '../../accounts/createAccountsModel';
import type { Settings } from '../../settings';
import { runCommand } from '../runCommand';
import { AccountCommandIds } from './accountCommandIds';
import { addVaultByUrl, type AddVaultRequest } from './addVaultByUrl';
import { removePinnedVault } from './removePinnedVault';
import { selectSubscriptions } from './selectSubscriptions';
import { signIn, type SignInChoice } from './signIn';
import { signOut } from './signOut';
import { useLocalEmulator } from './useLocalEmulator';

export interface AccountCommandDependencies {
  readonly accounts: AccountsController;
  readonly settings: Settings;
  readonly log: vscode.LogOutputChannel;
}

/** Sign in/out, subscriptions, pinning and the emulator; each works from the palette with prompts. */
export function registerAccountCommands(context: vscode.ExtensionContext, deps: AccountCommandDependencies): void {
  const { log } = deps;
  const ids = AccountCommandIds;
  context.subscriptions.push(
    vscode.commands.registerCommand(ids.signIn, runCommand(ids.signIn, log, (choice?: SignInChoice) => signIn(deps, choice))),
    vscode.commands.registerCommand(ids.signOut, runCommand(ids.signOut, log, (arg?: string | { session?: { id: string } }) => signOut(deps, arg))),
    vscode.commands.registerCommand(ids.selectSubscriptions, runCommand(ids.selectSubscriptions, log, (arg?: readonly string[]) => selectSubscriptions(deps, Array.isArray(arg) ? arg : undefined))),
    // Returns the pin (tests); runCommand swallows it for palette use, so register the raw handler behind it.
    vscode.commands.registerCommand(ids.addVaultByUrl, (arg?: string | AddVaultRequest) => {
      let result: Awaited<ReturnType<typeof addVaultByUrl>>;
      return runCommand(ids.addVaultByUrl, log, async () => {
        result = await addVaultByUrl(deps, arg);
      })().then(() => result);
    }),
    vscode.commands.registerCommand(ids.removePinnedVault, runCommand(ids.removePinnedVault, log, (arg?: string | { vaultUrl?: string }) => removePinnedVault(deps, arg))),
    vscode.commands.registerCommand(ids.useLocalEmulator, runCommand(ids.useLocalEmulator, log, (arg?: string | vscode.Uri) => useLocalEmulator(deps, arg))),
  );
}
