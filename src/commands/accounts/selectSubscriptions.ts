import * as vscode from 'vscode';
import { selectionEntries, subscriptionSelection } from '../../accounts/subscriptionFilter';
import type { Subscription } from '../../azure/discovery';
import { SETTING_KEYS } from '../../settings';
import { writeSetting } from './settingsWrite';
import type { AccountCommandDeps } from './useLocalEmulator';

/**
 * `Key Vault: Select Subscriptions…`: which subscriptions the tree lists, across every signed-in account. Stored in
 * `keyVault.selectedSubscriptions` as `{tenantId}/{subscriptionId}` (the Azure extensions' convention); selecting
 * all clears it (then `azureResourceGroups.selectedSubscriptions`, if set, applies).
 */
export async function selectSubscriptions(deps: AccountCommandDeps, arg?: readonly string[]): Promise<void> {
  const sessions = deps.accounts.sessions().filter((s) => s.arm);
  if (sessions.length === 0) {
    const signIn = vscode.l10n.t('Sign In');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Sign in first: subscriptions come from your Azure account.'), signIn);
    if (choice === signIn) await vscode.commands.executeCommand('keyVault.signIn');
    return;
  }
  const lists = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Listing subscriptions…') }, () =>
    Promise.all(sessions.map(async (s) => ({ session: s, subscriptions: await s.listSubscriptions().catch((err: unknown) => err as Error) }))),
  );
  const all: Subscription[] = lists.flatMap((l) => (Array.isArray(l.subscriptions) ? l.subscriptions : []));
  for (const l of lists) if (!Array.isArray(l.subscriptions)) deps.log.warn(`Could not list subscriptions of ${l.session.label}: ${l.subscriptions.message}`);
  if (all.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No subscriptions are visible to your accounts. Vaults you can reach can still be added by URL.'));
    return;
  }
  let chosen: Subscription[];
  if (arg) {
    const wanted = new Set(arg.map((a) => a.split('/').pop()!.toLowerCase()));
    chosen = all.filter((s) => wanted.has(s.subscriptionId.toLowerCase()));
  } else {
    const current = subscriptionSelection(deps.settings.current.selectedSubscriptions, vscode.workspace.getConfiguration('azureResourceGroups').get('selectedSubscriptions'));
    type Item = vscode.QuickPickItem & { subscription?: Subscription };
    const items: Item[] = [];
    for (const l of lists) {
      if (!Array.isArray(l.subscriptions) || l.subscriptions.length === 0) continue;
      if (lists.length > 1) items.push({ label: l.session.label, kind: vscode.QuickPickItemKind.Separator });
      for (const s of l.subscriptions) {
        items.push({
          label: s.displayName,
          description: s.subscriptionId,
          detail: vscode.l10n.t('Directory {0}', s.tenantId),
          picked: !current || current.subscriptionIds.includes(s.subscriptionId.toLowerCase()),
          subscription: s,
        });
      }
    }
    const picks = await vscode.window.showQuickPick(items, {
      title: current?.source === 'azureResourceGroups' ? vscode.l10n.t('Select Subscriptions (now: the Azure extensions\' selection)') : vscode.l10n.t('Select Subscriptions'),
      placeHolder: vscode.l10n.t('Subscriptions whose vaults and HSMs the tree shows'),
      canPickMany: true,
      matchOnDescription: true,
      ignoreFocusOut: true,
    });
    if (!picks) throw new vscode.CancellationError();
    chosen = picks.flatMap((p) => (p.subscription ? [p.subscription] : []));
  }
  if (chosen.length === 0) throw new Error(vscode.l10n.t('Select at least one subscription (all of them to show everything).'));
  const everything = new Set(all.map((s) => s.subscriptionId.toLowerCase()));
  const allChosen = chosen.length >= everything.size && [...everything].every((id) => chosen.some((c) => c.subscriptionId.toLowerCase() === id));
  await writeSetting(SETTING_KEYS.selectedSubscriptions, allChosen ? undefined : selectionEntries(chosen));
  deps.log.info(allChosen ? 'Showing every subscription' : `Showing ${chosen.length} of ${everything.size} subscriptions`);
}
