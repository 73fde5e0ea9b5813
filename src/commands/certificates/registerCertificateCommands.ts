import * as vscode from 'vscode';
import type { TreeContext } from '../../tree/context';
import type { TreeNode } from '../../tree/TreeNode';
import type { VaultsTreeDataProvider } from '../../tree/VaultsTreeDataProvider';
import { CertificateDetailsPanels } from '../../webviews/certificateDetails/panel';
import { CreateCertificatePanels } from '../../webviews/createCertificate/panel';
import { RecentContainers, vscodePrompts, type Prompts } from '../pickers';
import { runCommand } from '../runCommand';
import { registerObjectAction } from '../tree/objectActions';
import { CertificateCommandIds as ids } from './certificateCommandIds';
import { manageContacts } from './contacts';
import { refreshFamily, toUserError, withProgress, type VaultCommandContext } from './context';
import { createHeadless, parseCreateRequest } from './create';
import { copyIdentifier, copyThumbprint, downloadCertificate, downloadCsr, type DownloadInput } from './download';
import { importCertificate, type ImportInput } from './importCertificate';
import { InfoDocuments } from './infoDocuments';
import { manageIssuers } from './issuers';
import { backupCertificate, deleteCertificate, purgeCertificate, recoverCertificate, restoreCertificate, setCertificateEnabled } from './lifecycle';
import { cancelOperation, deleteOperation, mergeCertificate } from './pending';
import { POLICY_SCHEME, PolicyFileSystem } from './policyDocument';
import { resolveCertificate, resolveVault } from './target';

export interface VaultCommandDependencies {
  readonly ctx: TreeContext;
  readonly provider: VaultsTreeDataProvider;
  readonly treeView?: vscode.TreeView<TreeNode>;
}

/** What the extension-host tests reach through the extension's exports (only when the test harness runs it). */
export interface CertificateCommandsTestApi {
  /** Answer prompts from the test; undefined restores VS Code's own. */
  setPrompts(prompts: Prompts | undefined): void;
  readonly createPanels: { readonly size: number };
  readonly detailsPanels: { readonly size: number };
  /** Error messages the commands showed, oldest first (tests clear it). */
  readonly errors: string[];
  /** The Vaults tree, so tests run commands on real nodes. */
  readonly tree: VaultsTreeDataProvider;
}

/** Builds the context the certificate (and storage) commands share. */
export function createVaultCommandContext(context: vscode.ExtensionContext, deps: VaultCommandDependencies): VaultCommandContext {
  return {
    tree: deps.ctx,
    provider: deps.provider,
    ...(deps.treeView ? { treeView: deps.treeView } : {}),
    prompts: vscodePrompts,
    recent: new RecentContainers(context.globalState),
    log: deps.ctx.log,
    extensionUri: context.extensionUri,
  };
}

/**
 * Registers `id` with runCommand (errors shown once, cancellation silent, service errors as message + hint). The
 * handler's result is returned to callers (tests, automation); the tree's selection stands in for a missing node.
 */
export function registerVaultCommand<R>(deps: VaultCommandDependencies, id: string, handler: (arg: unknown, ...rest: unknown[]) => Promise<R>, errors?: string[]): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (arg?: unknown, ...rest: unknown[]) => {
    let result: R | undefined;
    await runCommand(id, deps.ctx.log, async () => {
      const target = arg ?? deps.treeView?.selection[0];
      try {
        result = await handler(target, ...rest);
      } catch (err) {
        const shown = toUserError(err);
        // What the user was shown (tests read it; messages never carry values).
        if (errors && !(shown instanceof vscode.CancellationError)) errors.push(`${id}: ${shown instanceof Error ? shown.message : String(shown)}`);
        throw shown;
      }
    })();
    return result;
  });
}

/** Every certificate command, the create and details panels, and the policy documents. */
export function registerCertificateCommands(context: vscode.ExtensionContext, deps: VaultCommandDependencies): { testApi: CertificateCommandsTestApi } {
  const c = createVaultCommandContext(context, deps);
  const createPanels = new CreateCertificatePanels(c);
  const detailsPanels = new CertificateDetailsPanels(c);
  const policies = new PolicyFileSystem(c.log);
  const docs = new InfoDocuments('keyvault-certificate-info');
  const input = <T>(x: unknown): T => (x && typeof x === 'object' ? (x as T) : ({} as T));
  const errors: string[] = [];
  const reg = <R>(id: string, handler: (arg: unknown, ...rest: unknown[]) => Promise<R>) => registerVaultCommand(deps, id, handler, errors);

  context.subscriptions.push(
    createPanels,
    detailsPanels,
    policies,
    docs,
    vscode.workspace.registerFileSystemProvider(POLICY_SCHEME, policies, { isCaseSensitive: true }),
    vscode.workspace.registerTextDocumentContentProvider(docs.scheme, docs),
    policies.onDidSave((source) => {
      void refreshFamily(c, source.vaultUrl, 'certificates');
      void vscode.window.showInformationMessage(vscode.l10n.t('Updated the policy of {0}. It applies to the next version (renewal or Create).', source.name));
    }),

    reg(ids.createCertificate, async (arg, request) => {
      const headless = parseCreateRequest(request);
      const vault = await resolveVault(c, arg, 'certificates', vscode.l10n.t('Create Certificate'));
      if (headless) return createHeadless(c, vault, headless);
      createPanels.open(vault);
      return undefined;
    }),
    reg(ids.importCertificate, (arg, x) => importCertificate(c, arg, input<ImportInput>(x))),
    reg(ids.showCertificateDetails, async (arg) => {
      const ref = await resolveCertificate(c, arg, { title: vscode.l10n.t('Show Certificate Details') });
      detailsPanels.open(ref);
    }),
    reg(ids.showCertificateOperation, async (arg) => {
      const ref = await resolveCertificate(c, arg, { title: vscode.l10n.t('Show Pending Operation'), pendingOnly: true });
      detailsPanels.open({ session: ref.session, vaultUrl: ref.vaultUrl, name: ref.name, ...(ref.view ? { view: ref.view } : {}) });
    }),
    reg(ids.downloadCertificate, (arg, x) => downloadCertificate(c, arg, input<DownloadInput>(x))),
    reg(ids.downloadCertificateCsr, (arg, x) => downloadCsr(c, arg, input<{ uri?: unknown }>(x))),
    reg(ids.copyCertificateThumbprint, (arg) => copyThumbprint(c, arg)),
    reg(ids.copyCertificateIdentifier, (arg) => copyIdentifier(c, arg)),
    reg(ids.editCertificatePolicy, async (arg) => {
      const ref = await resolveCertificate(c, arg, { title: vscode.l10n.t('Edit Certificate Policy') });
      const uri = await withProgress(vscode.l10n.t('Reading the policy of {0}…', ref.name), (signal) => policies.load(ref, signal));
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, 'json');
      await vscode.window.showTextDocument(doc, { preview: false });
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Save to update the policy of {0} in Key Vault', ref.name), 8000);
      return uri;
    }),
    reg(ids.enableCertificate, (arg) => setCertificateEnabled(c, arg, true)),
    reg(ids.disableCertificate, (arg) => setCertificateEnabled(c, arg, false)),
    reg(ids.deleteCertificate, (arg) => deleteCertificate(c, arg)),
    reg(ids.recoverCertificate, (arg) => recoverCertificate(c, arg)),
    reg(ids.purgeCertificate, (arg) => purgeCertificate(c, arg)),
    reg(ids.backupCertificate, (arg, x) => backupCertificate(c, arg, input<{ uri?: unknown }>(x))),
    reg(ids.restoreCertificate, (arg, x) => restoreCertificate(c, arg, input<{ uri?: unknown }>(x))),
    reg(ids.mergeCertificate, (arg, x) => mergeCertificate(c, arg, input<{ uri?: unknown }>(x))),
    reg(ids.cancelCertificateOperation, (arg) => cancelOperation(c, arg)),
    reg(ids.deleteCertificateOperation, (arg) => deleteOperation(c, arg)),
    reg(ids.manageCertificateIssuers, (arg) => manageIssuers(c, arg, docs)),
    reg(ids.manageCertificateContacts, (arg) => manageContacts(c, arg)),
  );

  const cert = ['certificates'] as const;
  const issued = (v: { pending?: boolean; thumbprint?: string }): boolean => !v.pending || Boolean(v.thumbprint);
  registerObjectAction({ command: ids.showCertificateDetails, title: vscode.l10n.t('Show Certificate Details'), families: cert });
  registerObjectAction({ command: ids.downloadCertificate, title: vscode.l10n.t('Download Certificate…'), families: cert, when: issued });
  registerObjectAction({ command: ids.copyCertificateThumbprint, title: vscode.l10n.t('Copy Thumbprint'), families: cert, when: issued });
  registerObjectAction({ command: ids.copyCertificateIdentifier, title: vscode.l10n.t('Copy Identifier'), families: cert });
  registerObjectAction({ command: ids.editCertificatePolicy, title: vscode.l10n.t('Edit Policy'), families: cert });
  registerObjectAction({ command: ids.downloadCertificateCsr, title: vscode.l10n.t('Download CSR…'), families: cert, when: (v) => v.pending === true });
  registerObjectAction({ command: ids.mergeCertificate, title: vscode.l10n.t('Merge Signed Certificate…'), families: cert, when: (v) => v.pending === true });
  registerObjectAction({ command: ids.cancelCertificateOperation, title: vscode.l10n.t('Cancel Operation'), families: cert, when: (v) => v.pending === true });
  registerObjectAction({ command: ids.enableCertificate, title: vscode.l10n.t('Enable Certificate'), families: cert, when: (v) => !v.enabled });
  registerObjectAction({ command: ids.disableCertificate, title: vscode.l10n.t('Disable Certificate'), families: cert, when: (v) => v.enabled });
  registerObjectAction({ command: ids.backupCertificate, title: vscode.l10n.t('Back Up Certificate…'), families: cert });
  registerObjectAction({ command: ids.deleteCertificate, title: vscode.l10n.t('Delete Certificate…'), families: cert });

  return {
    testApi: {
      setPrompts: (prompts) => {
        c.prompts = prompts ?? vscodePrompts;
      },
      createPanels,
      detailsPanels,
      errors,
      tree: deps.provider,
    },
  };
}
