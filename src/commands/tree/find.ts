import * as vscode from 'vscode';
import type { AccountsModel } from '../../accounts/types';
import { isKeyVaultError } from '../../keyvault/errors';
import { parseObjectId, type KeyVaultObjectId } from '../../keyvault/identifiers';
import type { KeyVaultService } from '../../keyvault/service';
import type { TreeContext } from '../../tree/context';
import { FAMILIES } from '../../tree/families';
import { certificateView, keyView, secretView, storageView, type ObjectFamily, type ObjectView } from '../../tree/model/objectView';
import { CategoryNode } from '../../tree/nodes/CategoryNode';
import { ContainerNode } from '../../tree/nodes/ContainerNode';
import { ObjectNode, type ObjectNodeKind } from '../../tree/nodes/ObjectNode';
import type { TreeNode } from '../../tree/TreeNode';
import type { VaultsTreeDataProvider } from '../../tree/VaultsTreeDataProvider';
import { loadedContainers, loadedObjects } from '../../tree/walk';
import { required, type Prompts } from '../pickers';
import { actionsFor } from './objectActions';

/** `Key Vault: Find Object…`: a quick pick over every object loaded in the tree (no extra requests). */
export async function findObject(provider: VaultsTreeDataProvider, treeView: vscode.TreeView<TreeNode>, prompts: Prompts): Promise<ObjectNode> {
  const containers = await loadedContainers(provider.roots_);
  const objects = loadedObjects(containers);
  if (objects.length === 0) throw new Error(vscode.l10n.t("Nothing is loaded yet: expand a vault's Keys, Secrets or Certificates first (or use Open by Identifier)."));
  const nameOf = new Map(containers.map((c) => [c.id, c.ref.name]));
  type Item = vscode.QuickPickItem & { node: ObjectNode };
  const picked = required(
    await prompts.pick<Item>({
      title: vscode.l10n.t('Key Vault: Find Object…'),
      placeholder: vscode.l10n.t('{0} loaded objects in {1} vault(s): type a name, vault or kind', objects.length, containers.length),
      matchOnDescription: true,
      items: objects.map((o) => ({
        label: `$(${FAMILIES[o.view.family].icon}) ${o.view.name}`,
        description: `${FAMILIES[o.view.family].singular} · ${nameOf.get(o.containerId) ?? new URL(o.view.vaultUrl).host}${o.view.enabled ? '' : ` · ${vscode.l10n.t('disabled')}`}`,
        node: o,
      })),
    }),
  );
  await treeView.reveal(picked.node, { select: true, focus: true, expand: false });
  return picked.node;
}

const FAMILY_OF: Partial<Record<KeyVaultObjectId['collection'], { family: ObjectFamily; deleted: boolean }>> = {
  keys: { family: 'keys', deleted: false },
  secrets: { family: 'secrets', deleted: false },
  certificates: { family: 'certificates', deleted: false },
  storage: { family: 'storage', deleted: false },
  deletedkeys: { family: 'keys', deleted: true },
  deletedsecrets: { family: 'secrets', deleted: true },
  deletedcertificates: { family: 'certificates', deleted: true },
  deletedstorage: { family: 'storage', deleted: true },
};

/**
 * Reads an object's metadata by id without loading its vault's listing. Secrets come from their versions list, so
 * no value travels; deleted objects from their deleted entry (metadata only).
 */
async function fetchView(s: KeyVaultService, id: KeyVaultObjectId, family: ObjectFamily, deleted: boolean): Promise<ObjectView> {
  if (deleted) {
    switch (family) {
      case 'keys':
        return keyView(await s.keys.getDeleted(id.vaultUrl, id.name));
      case 'secrets':
        return secretView(await s.secrets.getDeleted(id.vaultUrl, id.name));
      case 'certificates':
        return certificateView(await s.certificates.getDeleted(id.vaultUrl, id.name));
      case 'storage':
        return storageView(await s.storage.getDeleted(id.vaultUrl, id.name));
    }
  }
  switch (family) {
    case 'keys':
      return keyView(await s.keys.get(id.vaultUrl, id.name, id.version));
    case 'certificates':
      return certificateView(await s.certificates.get(id.vaultUrl, id.name, id.version));
    case 'storage':
      return storageView(await s.storage.get(id.vaultUrl, id.name));
    case 'secrets': {
      let newest: ObjectView | undefined;
      for await (const p of s.secrets.listVersions(id.vaultUrl, id.name)) {
        const v = secretView(p);
        if (id.version && p.version?.toLowerCase() === id.version.toLowerCase()) return v;
        if (!newest || (v.createdOn?.getTime() ?? 0) > (newest.createdOn?.getTime() ?? 0)) newest = v;
      }
      if (!newest || id.version) throw new Error(vscode.l10n.t('{0} was not found in {1}.', id.version ? `${id.name}/${id.version}` : id.name, new URL(id.vaultUrl).host));
      // The unversioned id names the secret, not its newest version.
      return { ...newest, id: `${id.vaultUrl}/secrets/${id.name}` };
    }
  }
}

export interface OpenByIdDependencies {
  readonly ctx: TreeContext;
  readonly accounts: AccountsModel;
  readonly provider: VaultsTreeDataProvider;
  readonly treeView: vscode.TreeView<TreeNode>;
  readonly prompts: Prompts;
}

/** What Open by Identifier did: revealed the node in the tree, or offered its actions (and which was chosen). */
export interface OpenByIdResult {
  node: ObjectNode;
  revealed: boolean;
  action?: string;
}

function validateId(t: string): string | undefined {
  if (!t.trim()) return undefined;
  try {
    const id = parseObjectId(t.trim());
    return FAMILY_OF[id.collection] ? undefined : vscode.l10n.t('Use the id of a key, secret, certificate or storage account.');
  } catch (e) {
    return (e as Error).message;
  }
}

/** The vault's node in the tree, rendering the roots if the tree has not yet (right after adding the vault). */
async function containerInTree(provider: VaultsTreeDataProvider, vaultUrl: string, sessionId: string): Promise<ContainerNode | undefined> {
  const match = (cs: ContainerNode[]) => cs.find((c) => c.vaultUrl.toLowerCase() === vaultUrl.toLowerCase() && c.session.id === sessionId);
  return match(await loadedContainers(provider.roots_)) ?? match(await loadedContainers(await provider.getChildren()));
}

/**
 * `Key Vault: Open by Identifier…`: paste any key, secret, certificate or storage account id (versioned or not,
 * deleted or not, any cloud) and land on it: revealed and selected in the tree when it is on a loaded page there,
 * else its actions are offered in a quick pick. A vault not in the tree yet is offered to be added first.
 */
export async function openByIdentifier(deps: OpenByIdDependencies, input?: string): Promise<OpenByIdResult> {
  const { ctx, accounts, provider, treeView, prompts } = deps;
  const text = (
    input ??
    required(
      await prompts.input({
        title: vscode.l10n.t('Key Vault: Open by Identifier…'),
        prompt: vscode.l10n.t('A key, secret, certificate or storage account identifier, e.g. https://myvault.vault.azure.net/secrets/db-password'),
        placeholder: 'https://myvault.vault.azure.net/secrets/db-password',
        validate: validateId,
      }),
    )
  ).trim();
  if (!text) throw new vscode.CancellationError();
  const problem = validateId(text);
  if (problem) throw new Error(problem);
  const id = parseObjectId(text);
  const { family, deleted } = FAMILY_OF[id.collection]!;
  const host = new URL(id.vaultUrl).host;
  if (!accounts.sessionFor(id.vaultUrl)) {
    const add = vscode.l10n.t('Add Vault…');
    const choice = await prompts.message({
      kind: 'warning',
      text: vscode.l10n.t('{0} is not in the Key Vault view yet. Add it to open this {1}?', host, FAMILIES[family].singular),
      detail: vscode.l10n.t('Tokens are only sent to vaults you add or that belong to a cloud you are signed in to.'),
      modal: true,
      actions: [add],
    });
    if (choice !== add) throw new vscode.CancellationError();
    await vscode.commands.executeCommand('keyVault.addVaultByUrl', id.vaultUrl);
    if (!accounts.sessionFor(id.vaultUrl)) {
      throw new Error(vscode.l10n.t('{0} is pinned, but no signed-in account reaches it: sign in to its cloud (Key Vault: Sign In), then open the identifier again.', host));
    }
  }
  const session = accounts.sessionFor(id.vaultUrl)!;
  const kind: ObjectNodeKind = deleted ? 'deleted' : id.version ? 'version' : 'object';

  // On a loaded page of the tree? Reveal it there (the first page is loaded if the category was never opened).
  const container = await containerInTree(provider, id.vaultUrl, session.id);
  const category = container?.category(family);
  if (category) {
    const holder = deleted ? category.deletedGroup : category;
    await holder.loader.ensureFirstPage();
    const found = holder.loader.items.find((v) => v.name.toLowerCase() === id.name.toLowerCase());
    if (found) {
      const object = new ObjectNode(found, deleted ? 'deleted' : 'object', session, holder, ctx);
      let target = object;
      if (kind === 'version') {
        await object.versions.ensureFirstPage();
        const version = object.versions.items.find((v) => v.version?.toLowerCase() === id.version!.toLowerCase());
        target = version ? new ObjectNode(version, 'version', session, object, ctx) : object;
      }
      if (target.kind === kind) {
        try {
          await treeView.reveal(target, { select: true, focus: true, expand: false });
          return { node: target, revealed: true };
        } catch (err) {
          // Hidden by a filter, or the tree is not showing this branch: offer the actions instead.
          ctx.log.debug(`Open by Identifier: could not reveal ${target.id}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
  }

  let view: ObjectView;
  try {
    view = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Opening {0}…', id.name) }, () => fetchView(session.service, id, family, deleted));
  } catch (err) {
    throw new Error(isKeyVaultError(err) ? err.userMessage : (err as Error).message);
  }
  const parent: TreeNode = category ? (deleted ? category.deletedGroup : category) : (container ?? new ContainerNode({ kind: /\.managedhsm\./i.test(host) ? 'hsm' : 'vault', name: host.split('.')[0]!, url: id.vaultUrl }, session, undefined, ctx));
  const holder = parent instanceof ContainerNode ? new CategoryNode(FAMILIES[family], id.vaultUrl, session, parent, ctx, parent.id) : parent;
  const node = new ObjectNode(view, kind, session, holder, ctx);
  const actions = [{ command: 'keyVault.showProperties', title: vscode.l10n.t('Show Properties') }, ...actionsFor(view, kind)];
  type Item = vscode.QuickPickItem & { command: string };
  const picked = required(
    await prompts.pick<Item>({
      title: vscode.l10n.t('{0} {1} in {2}', FAMILIES[family].singular, kind === 'version' ? `${view.name} (${view.version?.slice(0, 8)})` : view.name, container?.ref.name ?? host),
      placeholder: vscode.l10n.t('Choose an action'),
      items: actions.map((a) => ({ label: a.title, command: a.command })),
    }),
  );
  await vscode.commands.executeCommand(picked.command, node);
  return { node, revealed: false, action: picked.command };
}
