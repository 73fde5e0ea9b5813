import * as vscode from 'vscode';
import type { Accounts } from './model';

/**
 * Shows who the view is signed in as (TreeView title and description), and why a configured credential has no
 * session (TreeView.message), kept current as accounts change.
 */
export function showSignInStatus(view: Pick<vscode.TreeView<unknown>, 'description' | 'message' | 'title'>, accounts: Accounts): vscode.Disposable {
  const title = view.title ?? vscode.l10n.t('Vaults');
  const update = () => {
    const sessions = accounts.sessions();
    const who = sessions.length === 1 ? sessions[0]!.label : sessions.length > 1 ? vscode.l10n.t('{0} accounts', sessions.length) : undefined;
    if (accounts.state === 'loading') view.description = vscode.l10n.t('checking sign-in…');
    else view.description = who ?? vscode.l10n.t('not signed in');
    // The description is not drawn while the view is alone in its container (its title becomes the container's):
    // so the title says who is signed in too.
    view.title = who ? `${title} — ${who}` : title;
    // A message would hide the welcome view (and its Sign in buttons) when there is no session: only with sessions.
    const problems = accounts.problems();
    view.message = sessions.length > 0 && problems.length ? problems.join(' · ') : undefined;
  };
  update();
  return accounts.onDidChange(update);
}
