import * as vscode from 'vscode';
import { EMULATOR_READY_FILE_ENV } from '../../accounts/createAccountsModel';
import type { CredentialSession } from '../../accounts/session';
import { SETTING_KEYS } from '../../settings';
import { writeSetting } from './settingsWrite';
import type { AccountCommandDeps } from './useLocalEmulator';

async function pickSession(deps: AccountCommandDeps): Promise<CredentialSession | undefined> {
  const sessions = deps.accounts.sessions();
  if (sessions.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Key Vault Explorer is not signed in.'));
    return undefined;
  }
  if (sessions.length === 1) return sessions[0];
  const pick = await vscode.window.showQuickPick(
    sessions.map((s) => ({ label: s.label, description: s.cloud.displayName, session: s })),
    { title: vscode.l10n.t('Key Vault: Sign Out'), placeHolder: vscode.l10n.t('Which account should Key Vault Explorer stop using?') },
  );
  return pick?.session;
}

/**
 * `Key Vault: Sign Out`. A VS Code Microsoft account is only forgotten here (VS Code has no API to sign an account
 * out for one extension; the Accounts menu signs it out everywhere). A configured credential or the emulator is
 * switched off in settings.
 */
export async function signOut(deps: AccountCommandDeps, arg?: string | { session?: { id: string } }): Promise<void> {
  const id = typeof arg === 'string' ? arg : arg?.session?.id;
  const session = id ? deps.accounts.sessions().find((s) => s.id === id) : await pickSession(deps);
  if (!session) {
    if (id) throw new Error(vscode.l10n.t('No session {0} to sign out of.', id));
    throw new vscode.CancellationError();
  }
  if (session.kind === 'microsoft') {
    await deps.accounts.hideAccount(session.id.slice('microsoft:'.length));
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Key Vault Explorer no longer uses {0}. VS Code stays signed in for other extensions: sign out from the Accounts menu to remove it everywhere.', session.label),
    );
  } else {
    // With the emulator's environment variable set, "auto" would bring it straight back: say "accounts only".
    await writeSetting(SETTING_KEYS.credential, process.env[EMULATOR_READY_FILE_ENV] ? 'microsoft' : undefined);
    await deps.accounts.refresh();
    void vscode.window.showInformationMessage(vscode.l10n.t('Key Vault Explorer no longer uses {0}.', session.label));
  }
  deps.log.info(`Signed out of ${session.label}`);
}
