import * as vscode from 'vscode';
import { ClipboardGuard } from '../../clipboard/clipboardGuard';
import { StatusBarCountdown } from '../../clipboard/statusBar';
import { SECRET_SCHEME, SecretFileSystem } from '../../secretFs/secretFileSystem';
import type { TreeContext } from '../../tree/context';
import type { TreeNode } from '../../tree/TreeNode';
import type { VaultsTreeDataProvider } from '../../tree/VaultsTreeDataProvider';
import { RevealPanels } from '../../webviews/reveal/revealPanel';
import { RecentContainers, vscodePrompts, type Prompts } from '../pickers';
import { runCommand, showThroughPrompts } from '../runCommand';
import { userErrors } from '../userErrors';
import { registerObjectAction } from '../tree/objectActions';
import { editAttributes, setEnabled } from './attributes';
import { refreshSecrets, type SecretCommandContext } from './context';
import { copyIdentifier, copyReference, copyValue } from './copy';
import { createFromFile, createFromSelection, createSecret, newVersion } from './create';
import { editValue, revealValue } from './editValue';
import { backupSecret, deleteSecret, purgeSecret, recoverSecret, restoreSecret } from './lifecycle';
import { SecretCommandIds } from './secretCommandIds';
import type { ReferenceForm } from './validation';
import { restoreVersion, showVersions } from './versions';

export interface SecretCommandDependencies {
  readonly ctx: TreeContext;
  readonly provider: VaultsTreeDataProvider;
  readonly treeView?: vscode.TreeView<TreeNode>;
}

/** What the extension-host tests reach through the extension's exports (only when the test harness runs it). */
export interface SecretCommandsTestApi {
  /** Answer prompts from the test; undefined restores VS Code's own. */
  setPrompts(prompts: Prompts | undefined): void;
  readonly clipboard: ClipboardGuard;
  readonly revealPanels: { readonly size: number };
  readonly valueDocuments: { readonly openCount: number; readonly saveCount: number };
  /** The Vaults tree, so tests run commands on real nodes. */
  readonly tree: VaultsTreeDataProvider;
}

export interface SecretCommands {
  readonly testApi: SecretCommandsTestApi;
  /** Clears the clipboard if it still holds a value we copied; awaited by deactivate(). */
  deactivate(): Promise<void>;
}

/** Registers every secret command, the Edit Value file system, the Reveal panels and the guarded clipboard. */
export function registerSecretCommands(context: vscode.ExtensionContext, deps: SecretCommandDependencies): SecretCommands {
  const log = deps.ctx.log;
  const countdown = new StatusBarCountdown();
  const clipboard = new ClipboardGuard(vscode.env.clipboard, countdown, () => deps.ctx.settings.current.clipboardClearAfterSeconds);
  clipboard.onDidClear((outcome, what) => {
    if (outcome === 'cleared') log.info(`Cleared the clipboard (it held the value of ${what})`);
    else if (outcome === 'not-ours') log.info(`Left the clipboard alone: it no longer holds the value of ${what}`);
    else if (outcome === 'unreadable') log.warn(`Could not read the clipboard to check whether it still holds the value of ${what}; left it alone`);
  });
  const c: SecretCommandContext = {
    tree: deps.ctx,
    provider: deps.provider,
    ...(deps.treeView ? { treeView: deps.treeView } : {}),
    prompts: vscodePrompts,
    recent: new RecentContainers(context.globalState),
    clipboard,
    globalState: context.globalState,
    log,
  };
  const docs = new SecretFileSystem(log);
  const panels = new RevealPanels(c, context.extensionUri);

  /**
   * runCommand, with service errors shown as message + hint through the prompts seam. From the palette (no argument)
   * the pickers ask, even when something is selected in the tree: the selection is not what a palette user looks at.
   */
  const register = (id: string, handler: (arg: unknown, ...rest: unknown[]) => Promise<void>) =>
    vscode.commands.registerCommand(
      id,
      runCommand(id, log, (arg?: unknown, ...rest: unknown[]) => userErrors(() => handler(arg, ...rest)), { show: showThroughPrompts(c) }),
    );

  const ids = SecretCommandIds;
  context.subscriptions.push(
    countdown,
    docs,
    panels,
    vscode.workspace.registerFileSystemProvider(SECRET_SCHEME, docs, { isCaseSensitive: true }),
    vscode.window.registerFileDecorationProvider(docs),
    docs.onDidSave((saved) => {
      void refreshSecrets(c, saved.vaultUrl);
      void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Saved {0} as a new version ({1}).', saved.name, (saved.version ?? '').slice(0, 8)) });
    }),
    docs.onDidDiscard(({ name, hadChanges }) => {
      if (hadChanges) void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Closed {0} without saving: your changes were discarded; Key Vault still has the value you opened.', name) });
    }),
    register(ids.createSecret, (arg) => createSecret(c, arg)),
    register(ids.createSecretFromSelection, () => createFromSelection(c)),
    register(ids.createSecretFromFile, (arg) => createFromFile(c, arg)),
    register(ids.newSecretVersion, (arg) => newVersion(c, arg)),
    register(ids.revealSecret, (arg) => revealValue(c, panels, arg)),
    register(ids.copySecretValue, (arg) => copyValue(c, arg)),
    register(ids.copySecretIdentifier, (arg, versioned) => copyIdentifier(c, arg, typeof versioned === 'boolean' ? versioned : undefined)),
    register(ids.copySecretReference, (arg, form) => copyReference(c, arg, typeof form === 'string' ? (form as ReferenceForm) : undefined)),
    register(ids.editSecretValue, (arg) => editValue(c, docs, arg)),
    register(ids.editSecretAttributes, (arg) => editAttributes(c, arg)),
    register(ids.showSecretVersions, (arg) => showVersions(c, arg)),
    register(ids.enableSecret, (arg) => setEnabled(c, arg, true)),
    register(ids.disableSecret, (arg) => setEnabled(c, arg, false)),
    register(ids.restoreSecretVersion, (arg) => restoreVersion(c, arg)),
    register(ids.deleteSecret, (arg) => deleteSecret(c, arg)),
    register(ids.recoverSecret, (arg) => recoverSecret(c, arg)),
    register(ids.purgeSecret, (arg) => purgeSecret(c, arg)),
    register(ids.backupSecret, (arg) => backupSecret(c, arg)),
    register(ids.restoreSecretBackup, (arg) => restoreSecret(c, arg)),
    register(
      ids.clearClipboard,
      async () => {
        const outcome = await clipboard.clearNow();
        if (outcome === 'not-ours') void c.prompts.message({ kind: 'info', text: vscode.l10n.t('The clipboard holds something else now; left it as it is.') });
      },
    ),
  );

  // What Open by Identifier offers for a secret (the same as its context menu).
  const secrets = ['secrets'] as const;
  const writable = (v: { managed: boolean }) => !v.managed;
  registerObjectAction({ command: ids.revealSecret, title: vscode.l10n.t('Reveal Value'), families: secrets });
  registerObjectAction({ command: ids.copySecretValue, title: vscode.l10n.t('Copy Value'), families: secrets });
  registerObjectAction({ command: ids.copySecretIdentifier, title: vscode.l10n.t('Copy Identifier'), families: secrets });
  registerObjectAction({ command: ids.copySecretReference, title: vscode.l10n.t('Copy Key Vault Reference…'), families: secrets });
  registerObjectAction({ command: ids.editSecretValue, title: vscode.l10n.t('Edit Value'), families: secrets, when: writable });
  registerObjectAction({ command: ids.newSecretVersion, title: vscode.l10n.t('New Version…'), families: secrets, when: writable });
  registerObjectAction({ command: ids.editSecretAttributes, title: vscode.l10n.t('Edit Attributes…'), families: secrets });
  registerObjectAction({ command: ids.showSecretVersions, title: vscode.l10n.t('Show Versions…'), families: secrets });
  registerObjectAction({ command: ids.enableSecret, title: vscode.l10n.t('Enable'), families: secrets, when: (v) => !v.enabled && !v.managed });
  registerObjectAction({ command: ids.disableSecret, title: vscode.l10n.t('Disable'), families: secrets, when: (v) => v.enabled && !v.managed });
  registerObjectAction({ command: ids.backupSecret, title: vscode.l10n.t('Back Up to File…'), families: secrets, when: writable });
  registerObjectAction({ command: ids.deleteSecret, title: vscode.l10n.t('Delete…'), families: secrets, when: writable });

  return {
    testApi: {
      setPrompts: (prompts) => {
        c.prompts = prompts ?? vscodePrompts;
      },
      clipboard,
      revealPanels: panels,
      valueDocuments: docs,
      tree: deps.provider,
    },
    deactivate: () => clipboard.dispose(),
  };
}
