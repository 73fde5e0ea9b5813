import * as vscode from 'vscode';
import type { AccountCommandDeps } from './useLocalEmulator';

/** What the tree passes: a container node (ContainerNode has `vaultUrl` and `ref.pinned`). */
interface ContainerLike {
  vaultUrl?: string;
  ref?: { url?: string };
}

/** `Key Vault: Remove Pinned Vault`: from a pinned vault's context menu, or the palette with a picker. */
export async function removePinnedVault(deps: AccountCommandDeps, arg?: string | ContainerLike): Promise<void> {
  let url = typeof arg === 'string' ? arg : (arg?.vaultUrl ?? arg?.ref?.url);
  if (!url) {
    const pinned = deps.accounts.pinned();
    if (pinned.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No vault or HSM is pinned. Add one with "Key Vault: Add Vault or HSM by URL…".'));
      return;
    }
    const pick = await vscode.window.showQuickPick(
      pinned.map((p) => ({ label: p.name, description: p.url, detail: p.kind === 'hsm' ? 'Managed HSM' : 'Key Vault', url: p.url })),
      { title: vscode.l10n.t('Remove Pinned Vault'), placeHolder: vscode.l10n.t('Which pinned vault or HSM should the tree forget?') },
    );
    if (!pick) throw new vscode.CancellationError();
    url = pick.url;
  }
  const pin = deps.accounts.pinned().find((p) => p.url.toLowerCase() === new URL(url!).origin.toLowerCase());
  if (!(await deps.accounts.unpin(url))) throw new Error(vscode.l10n.t('{0} is not pinned.', url));
  deps.log.info(`Removed pinned ${pin?.kind ?? 'vault'} ${url}`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Removed {0} from the tree. Its objects are untouched.', pin?.name ?? url));
}
