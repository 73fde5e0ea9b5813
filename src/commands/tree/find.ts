import * as vscode from 'vscode';
import type { AccountsModel } from '../../accounts/types';
import { isKeyVaultError } from '../../keyvault/errors';
import { parseObjectId, type KeyVaultObjectId } from '../../keyvault/identifiers';
import type { TreeContext } from '../../tree/context';
import { FAMILIES } from '../../tree/families';
import { certificateView, keyView, secretView, type ObjectFamily, type ObjectView } from '../../tree/model/objectView';
import type { CategoryNode } from '../../tree/nodes/CategoryNode';
import { ObjectNode } from '../../tree/nodes/ObjectNode';
import type { TreeNode } from '../../tree/TreeNode';
import type { VaultsTreeDataProvider } from '../../tree/VaultsTreeDataProvider';
import { actionsFor } from './objectActions';
import { loadedContainers, loadedObjects } from './walk';

/** `Key Vault: Find Object…`: a quick pick over every object loaded in the tree (no extra requests). */
export async function findObject(provider: VaultsTreeDataProvider, treeView: vscode.TreeView<TreeNode>): Promise<void> {
  const containers = await loadedContainers(provider.roots_);
  const objects = loadedObjects(containers);
  if (objects.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing is loaded yet: expand a vault\'s Keys, Secrets or Certificates first.'));
    return;
  }
  const picked = await vscode.window.showQuickPick(
    objects.map((o) => ({ label: `$(${FAMILIES[o.view.family].icon}) ${o.view.name}`, description: `${FAMILIES[o.view.family].singular} · ${new URL(o.view.vaultUrl).host}`, node: o })),
    { title: vscode.l10n.t('Find a loaded key, secret or certificate'), matchOnDescription: true },
  );
  if (picked) await treeView.reveal(picked.node, { select: true, focus: true, expand: false });
}

const FAMILY_OF: Partial<Record<KeyVaultObjectId['collection'], ObjectFamily>> = { keys: 'keys', secrets: 'secrets', certificates: 'certificates', storage: 'storage' };

/** Reads an object's metadata by id without loading its listing. Secrets come from their versions list: no value travels. */
async function fetchView(ctx: TreeContext, id: KeyVaultObjectId, family: ObjectFamily): Promise<ObjectView> {
  const session = ctx.accounts.sessionFor(id.vaultUrl)!;
  const s = session.service;
  switch (family) {
    case 'keys':
      return keyView(await s.keys.get(id.vaultUrl, id.name, id.version));
    case 'certificates':
      return certificateView(await s.certificates.get(id.vaultUrl, id.name, id.version));
    case 'secrets': {
      let newest: ObjectView | undefined;
      for await (const p of s.secrets.listVersions(id.vaultUrl, id.name)) {
        const v = secretView(p);
        if (id.version && p.version === id.version) return v;
        if (!newest || (v.createdOn?.getTime() ?? 0) > (newest.createdOn?.getTime() ?? 0)) newest = v;
      }
      if (!newest || id.version) throw new Error(vscode.l10n.t('{0} was not found in {1}.', id.version ? `${id.name}/${id.version}` : id.name, new URL(id.vaultUrl).host));
      return newest;
    }
    default:
      throw new Error(vscode.l10n.t('Open by identifier supports keys, secrets and certificates.'));
  }
}

/**
 * `Key Vault: Open by Identifier…`: paste any key, secret or certificate id (versioned or not, any cloud) and land on
 * it: revealed in the tree when loaded there, else its actions are offered directly — even for a vault not in the tree.
 */
export async function openByIdentifier(ctx: TreeContext, accounts: AccountsModel, provider: VaultsTreeDataProvider, treeView: vscode.TreeView<TreeNode>, input?: string): Promise<void> {
  const text =
    input ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Open by Identifier'),
      prompt: vscode.l10n.t('A key, secret or certificate identifier, e.g. https://myvault.vault.azure.net/secrets/db-password'),
      ignoreFocusOut: true,
      validateInput: (t) => {
        if (!t.trim()) return undefined;
        try {
          const id = parseObjectId(t);
          if (!FAMILY_OF[id.collection]) return vscode.l10n.t('Use the id of a key, secret, certificate or storage account (not a deleted one).');
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    }));
  if (!text?.trim()) return;
  const id = parseObjectId(text);
  const family = FAMILY_OF[id.collection];
  if (!family) throw new Error(vscode.l10n.t('Use the id of a key, secret, certificate or storage account.'));
  if (!accounts.sessionFor(id.vaultUrl)) {
    const add = vscode.l10n.t('Add Vault…');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('{0} is not known yet. Add it to reach it (tokens are only sent to vaults you add or that belong to your cloud).', new URL(id.vaultUrl).host), add);
    if (choice !== add) return;
    await vscode.commands.executeCommand('keyVault.addVaultByUrl', id.vaultUrl);
    if (!accounts.sessionFor(id.vaultUrl)) return;
  }
  // Already loaded in the tree? Reveal it there.
  const containers = await loadedContainers(provider.roots_);
  const container = containers.find((c) => c.vaultUrl.toLowerCase() === id.vaultUrl.toLowerCase());
  const category: CategoryNode | undefined = container?.category(family);
  if (category) {
    await category.loader.ensureFirstPage();
    const found = category.loader.items.find((v) => v.name.toLowerCase() === id.name.toLowerCase());
    if (found && !id.version) {
      await treeView.reveal(new ObjectNode(found, 'object', category.session, category, ctx), { select: true, focus: true });
      return;
    }
  }
  let view: ObjectView;
  try {
    view = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Opening {0}…', id.name) }, () => fetchView(ctx, id, family));
  } catch (err) {
    throw new Error(isKeyVaultError(err) ? err.userMessage : (err as Error).message);
  }
  const session = accounts.sessionFor(id.vaultUrl)!;
  const node = new ObjectNode(view, id.version ? 'version' : 'object', session, category ?? (container as TreeNode), ctx);
  const actions = [{ command: 'keyVault.showProperties', title: vscode.l10n.t('Show Properties') }, ...actionsFor(view)];
  const picked = await vscode.window.showQuickPick(
    actions.map((a) => ({ label: a.title, command: a.command })),
    { title: vscode.l10n.t('{0} {1} in {2}', FAMILIES[family].singular, view.name, new URL(view.vaultUrl).host), placeHolder: vscode.l10n.t('Choose an action') },
  );
  if (picked) await vscode.commands.executeCommand(picked.command, node);
}
