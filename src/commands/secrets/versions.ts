import * as vscode from 'vscode';
import { ObjectNode } from '../../tree/nodes/ObjectNode';
import { CommandIds } from '../commandIds';
import { SecretCommandIds } from './secretCommandIds';
import { BACK, required } from '../pickers';
import { refreshSecrets, vaultHost, withProgress, type SecretCommandContext } from './context';
import { currentVersionView, describeRef, listVersions, managedMessage, resolveSecret, versionItem, type SecretRef } from './target';
import { readSecretValue } from './value';

type ActionItem = vscode.QuickPickItem & { command: string };

/**
 * Show Versions…: every version of a secret, newest first; pick one for its actions (reveal, copy, properties,
 * enable/disable, restore as the current version). The tree shows the same versions under the secret.
 */
export async function showVersions(c: SecretCommandContext, arg: unknown): Promise<void> {
  const base = await resolveSecret(c, arg, { title: vscode.l10n.t('Show Secret Versions') });
  const ref: SecretRef = { session: base.session, vaultUrl: base.vaultUrl, name: base.name, ...(base.view ? { view: base.view } : {}) };
  for (;;) {
    const items = Promise.all([listVersions(ref), currentVersionView(ref)]).then(([vs, current]) =>
      vs.map((v) => ({ ...versionItem(v, v.version === current?.version), current: v.version === current?.version, view: v })),
    );
    const picked = required(
      await c.prompts.pick<vscode.QuickPickItem & { current: boolean; view?: SecretRef['view'] }>({
        title: vscode.l10n.t('Versions of {0}', ref.name),
        placeholder: vscode.l10n.t('Pick a version for its actions'),
        items,
      }),
    );
    const view = picked.view!;
    const version: SecretRef = { ...ref, version: view.version!, view };
    const actions: ActionItem[] = [
      { label: vscode.l10n.t('$(eye) Reveal Value'), command: SecretCommandIds.revealSecret },
      { label: vscode.l10n.t('$(copy) Copy Value'), command: SecretCommandIds.copySecretValue },
      { label: vscode.l10n.t('$(link) Copy Identifier'), description: vscode.l10n.t('versioned'), command: SecretCommandIds.copySecretIdentifier },
      { label: vscode.l10n.t('$(symbol-property) Show Properties'), command: CommandIds.showProperties },
    ];
    if (!view.managed) {
      actions.push(
        view.enabled ? { label: vscode.l10n.t('$(circle-slash) Disable'), command: SecretCommandIds.disableSecret } : { label: vscode.l10n.t('$(pass) Enable'), command: SecretCommandIds.enableSecret },
        { label: vscode.l10n.t('$(edit) Edit Attributes…'), command: SecretCommandIds.editSecretAttributes },
      );
      if (!picked.current) actions.push({ label: vscode.l10n.t('$(history) Restore This Version'), description: vscode.l10n.t('a new version with this value'), command: SecretCommandIds.restoreSecretVersion });
    }
    const action = await c.prompts.pick<ActionItem>({
      title: vscode.l10n.t('{0} version {1}', ref.name, view.version ?? ''),
      items: actions,
      canGoBack: true,
    });
    if (action === BACK) continue;
    const chosen = required(action);
    // Show Properties is the tree's command and expects a node: hand it one shaped like a version node.
    const argument = chosen.command === CommandIds.showProperties ? new ObjectNode(view, 'version', ref.session, { id: `${ref.vaultUrl}/secrets/${ref.name}`, getTreeItem: () => new vscode.TreeItem(ref.name) }, c.tree) : version;
    await vscode.commands.executeCommand(chosen.command, argument);
    return;
  }
}

/**
 * Restore This Version: Key Vault cannot make an old version current again, so this sets a new version with the
 * old value (and its content type and tags). The old version stays as it is.
 */
export async function restoreVersion(c: SecretCommandContext, arg: unknown): Promise<void> {
  const ref = await resolveSecret(c, arg, { title: vscode.l10n.t('Restore Secret Version'), pickVersion: true, includeManaged: false });
  if (ref.view?.managed) throw new Error(managedMessage(ref.name));
  if (!ref.version) throw new Error(vscode.l10n.t('Pick a version of {0} to restore (expand the secret in the tree).', ref.name));
  const restore = vscode.l10n.t('Restore');
  const choice = await c.prompts.message({
    kind: 'warning',
    modal: true,
    text: vscode.l10n.t('Make the value of version {0} the current value of {1}?', ref.version.slice(0, 8), ref.name),
    detail: vscode.l10n.t('A new version is created with that value, content type and tags; applications that read the current version get it. Older versions are not changed.'),
    actions: [restore],
  });
  if (choice !== restore) throw new vscode.CancellationError();
  const created = await withProgress(vscode.l10n.t('Restoring {0}…', describeRef(ref)), async (signal) => {
    const old = await readSecretValue(c, ref, vscode.l10n.t('to restore it'), signal);
    if (old === 'edit-dates') throw new vscode.CancellationError();
    const p = old.properties;
    return ref.session.service.secrets.set(ref.vaultUrl, ref.name, old.value, {
      ...(p.contentType !== undefined ? { contentType: p.contentType } : {}),
      tags: p.tags,
      abortSignal: signal,
    });
  });
  c.log.info(`Restored secret ${ref.name} version ${ref.version} as new version ${created.version ?? '?'} in ${vaultHost(ref.vaultUrl)}`);
  await refreshSecrets(c, ref.vaultUrl);
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('{0} now has the value of version {1} (new version {2}).', ref.name, ref.version.slice(0, 8), (created.version ?? '').slice(0, 8)) });
}
