import * as vscode from 'vscode';
import type { Accounts } from './model';

/**
 * Shows who the view is signed in as in the view's title (TreeView.description), and why a configured credential
 * has no session (TreeView.message), kept current as accounts change.
 */
export function showSignInStatus(view: Pick<vscode.TreeView<unknown>, 'description' | 'message'>, accounts: Accounts): vscode.Disposable {
  const update = () => {
    const sessions = accounts.sessions();
    if (accounts.state === 'loading') view.description = vscode.l10n.t('checking sign-in…');
    else if (sessions.length === 0) view.description = vscode.l10n.t('not signed in');
    else if (sessions.length === 1) view.description = sessions[0]!.label;
    else view.description = vscode.l10n.t('{0} accounts', sessions.length);
    // A message would hide the welcome view (and its Sign in buttons) when there is no session: only with sessions.
    const problems = accounts.problems();
    view.message = sessions.length > 0 && problems.length ? problems.join(' · ') : undefined;
  };
  update();
  return accounts.onDidChange(update);
}
