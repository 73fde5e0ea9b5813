import * as vscode from 'vscode';
import type { TreeContext } from '../../tree/context';
import type { TreeNode } from '../../tree/TreeNode';
import type { VaultsTreeDataProvider } from '../../tree/VaultsTreeDataProvider';
import { CreateKeyPanels } from '../../webviews/createKey/createKeyPanel';
import { describeNewKey } from '../../webviews/createKey/form';
import { CryptoPanels, type CryptoPanel } from '../../webviews/crypto/cryptoPanel';
import type { CryptoMode } from '../../webviews/crypto/protocol';
import { RecentContainers, vscodePrompts, type Prompts } from '../pickers';
import { runCommand, showThroughPrompts } from '../runCommand';
import { userErrors } from '../userErrors';
import { registerObjectAction } from '../tree/objectActions';
import { announceKey, createKey, createKeyWithOptions } from './createKey';
import { refreshKeys, withProgress, type KeyClipboard, type KeyCommandContext } from './context';
import { isKeyVaultError } from '../../keyvault/errors';
import { editKeyAttributes } from './attributes';
import { addRoleAssignment, generateRandomBytes, removeRoleAssignment, updateHsmSetting } from './hsm';
import { importKey } from './importKey';
import { KeyCommandIds } from './keyCommandIds';
import { backupKey, deleteKey, purgeKey, recoverKey, restoreKey, rotateKey, setKeyEnabled, uriArg } from './lifecycle';
import { copyKeyIdentifier, downloadPublicKey, KEY_DETAILS_SCHEME, KeyDetailsDocuments, showKeyDetails, type DownloadArgs } from './publicKey';
import { editRotationPolicy } from './rotationPolicy';
import { describeKey, resolveKey } from './targets';

export interface KeyCommandDependencies {
  readonly tree: TreeContext;
  readonly provider: VaultsTreeDataProvider;
  readonly treeView?: vscode.TreeView<TreeNode>;
  /** The guarded clipboard (ClipboardGuard) when the extension has one; else plain copies. */
  readonly clipboard?: KeyClipboard;
  readonly prompts?: Prompts;
}

/** What the extension-host tests reach through the extension's exports (only when the test harness runs it). */
export interface KeyCommandsTestApi {
  /** Answer prompts from the test; undefined restores VS Code's own. */
  setPrompts(prompts: Prompts | undefined): void;
  readonly cryptoPanels: CryptoPanels;
  readonly createKeyPanels: CreateKeyPanels;
}

export interface KeyCommands {
  readonly testApi: KeyCommandsTestApi;
}

/** Plain clipboard copies; used only when no ClipboardGuard is passed in. */
function plainClipboard(): KeyClipboard {
  return {
    async copySecret(value) {
      await vscode.env.clipboard.writeText(value);
      return { clearsInSeconds: 0 };
    },
    async copyText(text) {
      await vscode.env.clipboard.writeText(text);
    },
  };
}

const MODE_TITLE: Record<CryptoMode, string> = { sign: 'Sign / Verify', encrypt: 'Encrypt / Decrypt', wrap: 'Wrap / Unwrap Key' };

/**
 * Opens a crypto panel on a key. Key Vault refuses even to read a disabled key, so that case offers to enable it
 * first instead of failing.
 */
async function openCryptoPanel(c: KeyCommandContext, panels: CryptoPanels, arg: unknown, mode: CryptoMode): Promise<CryptoPanel> {
  const ref = await resolveKey(c, arg, { title: vscode.l10n.t(MODE_TITLE[mode]) });
  try {
    return await withProgress(vscode.l10n.t('Opening {0}…', describeKey(ref)), (signal) => panels.open(ref, mode, signal));
  } catch (err) {
    const disabled = (isKeyVaultError(err) && err.kind === 'disabled') || (err instanceof Error && /disabled/i.test(err.message) && /Operation get/i.test(err.message));
    if (!disabled) throw err;
    const enable = vscode.l10n.t('Enable');
    const choice = await c.prompts.message({
      kind: 'warning',
      modal: true,
      text: vscode.l10n.t('{0} is disabled.', describeKey(ref)),
      detail: vscode.l10n.t('Key Vault refuses every operation with a disabled key, reading it included. Enable it to use it here? Applications holding its identifier can use it again too.'),
      actions: [enable],
    });
    if (choice !== enable) throw new vscode.CancellationError();
    await withProgress(vscode.l10n.t('Enabling {0}…', describeKey(ref)), (signal) => ref.session.service.keys.update(ref.vaultUrl, ref.name, ref.version ?? '', { attributes: { enabled: true }, abortSignal: signal }));
    c.log.info(`Enabled key ${ref.name}${ref.version ? ` version ${ref.version}` : ''} to open ${MODE_TITLE[mode]}`);
    void refreshKeys(c, ref.vaultUrl, { listing: true, names: [ref.name] });
    return withProgress(vscode.l10n.t('Opening {0}…', describeKey(ref)), (signal) => panels.open(ref, mode, signal));
  }
}

/**
 * Registers every key and Managed HSM command, the two key panels and the key details documents. Every handler
 * takes a tree node, an identifier or nothing (then it asks: vault/HSM → key → version, recent first).
 */
export function registerKeyCommands(context: vscode.ExtensionContext, deps: KeyCommandDependencies): KeyCommands {
  const c: KeyCommandContext = {
    tree: deps.tree,
    provider: deps.provider,
    ...(deps.treeView ? { treeView: deps.treeView } : {}),
    prompts: deps.prompts ?? vscodePrompts,
    recent: new RecentContainers(context.globalState),
    clipboard: deps.clipboard ?? plainClipboard(),
    log: deps.tree.log,
    extensionUri: context.extensionUri,
  };
  const cryptoPanels = new CryptoPanels(c);
  const createKeyPanels = new CreateKeyPanels(c, (container, key, options) => {
    void c.recent.touch({ url: container.url, name: container.name, kind: container.kind });
    announceKey(c, container, key, vscode.l10n.t('Created'), describeNewKey(options));
  });
  const docs = new KeyDetailsDocuments();
  const log = c.log;
  const selected = (node: unknown): unknown => node ?? deps.treeView?.selection[0];
  /** runCommand, with service errors shown once as message + hint through the prompts seam (tests see what users see). */
  const register = <A extends unknown[]>(id: string, handler: (...args: A) => unknown) =>
    vscode.commands.registerCommand(id, runCommand(id, log, (...args: A) => userErrors(async () => handler(...args)), { show: showThroughPrompts(c) }));

  context.subscriptions.push(
    cryptoPanels,
    createKeyPanels,
    docs,
    vscode.workspace.registerTextDocumentContentProvider(KEY_DETAILS_SCHEME, docs),
    register(KeyCommandIds.createKey, (node?: unknown) => createKey(c, createKeyPanels, node)),
    register(KeyCommandIds.createKeyWithOptions, (node?: unknown) => createKeyWithOptions(c, createKeyPanels, node)),
    register(KeyCommandIds.importKey, (node?: unknown) => importKey(c, node)),
    register(KeyCommandIds.signVerify, (node?: unknown) => openCryptoPanel(c, cryptoPanels, selected(node), 'sign')),
    register(KeyCommandIds.encryptDecrypt, (node?: unknown) => openCryptoPanel(c, cryptoPanels, selected(node), 'encrypt')),
    register(KeyCommandIds.wrapUnwrap, (node?: unknown) => openCryptoPanel(c, cryptoPanels, selected(node), 'wrap')),
    register(KeyCommandIds.rotateKey, (node?: unknown) => rotateKey(c, selected(node))),
    register(KeyCommandIds.editRotationPolicy, (node?: unknown) => editRotationPolicy(c, selected(node))),
    register(KeyCommandIds.downloadPublicKey, (node?: unknown, options?: DownloadArgs) => downloadPublicKey(c, selected(node), options ?? {})),
    register(KeyCommandIds.copyKeyIdentifier, (node?: unknown) => copyKeyIdentifier(c, selected(node))),
    register(KeyCommandIds.showKeyDetails, (node?: unknown) => showKeyDetails(c, docs, selected(node))),
    register(KeyCommandIds.editKeyAttributes, (node?: unknown) => editKeyAttributes(c, selected(node))),
    register(KeyCommandIds.enableKey, (node?: unknown) => setKeyEnabled(c, selected(node), true)),
    register(KeyCommandIds.disableKey, (node?: unknown) => setKeyEnabled(c, selected(node), false)),
    register(KeyCommandIds.deleteKey, (node?: unknown) => deleteKey(c, selected(node))),
    register(KeyCommandIds.recoverKey, (node?: unknown) => recoverKey(c, selected(node))),
    register(KeyCommandIds.purgeKey, (node?: unknown) => purgeKey(c, selected(node))),
    register(KeyCommandIds.backupKey, (node?: unknown, file?: unknown) => backupKey(c, selected(node), uriArg(file))),
    register(KeyCommandIds.restoreKey, (node?: unknown, file?: unknown) => restoreKey(c, node, uriArg(file))),
    register(KeyCommandIds.generateRandomBytes, (node?: unknown) => generateRandomBytes(c, node)),
    register(KeyCommandIds.addHsmRoleAssignment, (node?: unknown) => addRoleAssignment(c, node)),
    register(KeyCommandIds.removeHsmRoleAssignment, (node?: unknown) => removeRoleAssignment(c, node)),
    register(KeyCommandIds.updateHsmSetting, (node?: unknown) => updateHsmSetting(c, node)),
  );

  // What Open by Identifier offers for a key (the same actions as its context menu).
  const isKey = ['keys'] as const;
  const live = (v: { deleted?: unknown }) => !v.deleted;
  registerObjectAction({ command: KeyCommandIds.signVerify, title: vscode.l10n.t('Sign / Verify…'), families: isKey, when: (v) => live(v) && !v.keyType?.startsWith('oct') });
  registerObjectAction({ command: KeyCommandIds.encryptDecrypt, title: vscode.l10n.t('Encrypt / Decrypt…'), families: isKey, when: (v) => live(v) && !v.keyType?.startsWith('EC') });
  registerObjectAction({ command: KeyCommandIds.wrapUnwrap, title: vscode.l10n.t('Wrap / Unwrap Key…'), families: isKey, when: (v) => live(v) && !v.keyType?.startsWith('EC') });
  registerObjectAction({ command: KeyCommandIds.showKeyDetails, title: vscode.l10n.t('Show Key Details'), families: isKey, when: live });
  registerObjectAction({ command: KeyCommandIds.copyKeyIdentifier, title: vscode.l10n.t('Copy Key Identifier'), families: isKey, when: live });
  registerObjectAction({ command: KeyCommandIds.downloadPublicKey, title: vscode.l10n.t('Download Public Key…'), families: isKey, when: (v) => live(v) && !v.keyType?.startsWith('oct') });
  registerObjectAction({ command: KeyCommandIds.rotateKey, title: vscode.l10n.t('Rotate Now'), families: isKey, when: (v) => live(v) && !v.managed });
  registerObjectAction({ command: KeyCommandIds.editRotationPolicy, title: vscode.l10n.t('Rotation Policy…'), families: isKey, when: (v) => live(v) && !v.managed });
  registerObjectAction({ command: KeyCommandIds.editKeyAttributes, title: vscode.l10n.t('Edit Key Attributes…'), families: isKey, when: (v) => live(v) && !v.managed });
  registerObjectAction({ command: KeyCommandIds.enableKey, title: vscode.l10n.t('Enable'), families: isKey, when: (v) => live(v) && !v.enabled });
  registerObjectAction({ command: KeyCommandIds.disableKey, title: vscode.l10n.t('Disable'), families: isKey, when: (v) => live(v) && v.enabled });
  registerObjectAction({ command: KeyCommandIds.backupKey, title: vscode.l10n.t('Back Up to File…'), families: isKey, when: live });
  registerObjectAction({ command: KeyCommandIds.deleteKey, title: vscode.l10n.t('Delete Key…'), families: isKey, when: (v) => live(v) && !v.managed });

  const defaultPrompts = c.prompts;
  return {
    testApi: {
      setPrompts: (prompts) => (c.prompts = prompts ?? defaultPrompts),
      cryptoPanels,
      createKeyPanels,
    },
  };
}
