import * as vscode from 'vscode';
import { InfoDocuments } from '../certificates/infoDocuments';
import { createVaultCommandContext, registerVaultCommand, type VaultCommandDependencies } from '../certificates/registerCertificateCommands';
import { vscodePrompts, type Prompts } from '../pickers';
import { registerObjectAction } from '../tree/objectActions';
import { addStorageAccount, deleteStorageAccount, purgeStorageAccount, recoverStorageAccount, regenerateKey, showStorageAccount } from './accounts';
import { copySasSecretId, createSasDefinition, deleteSasDefinition, recoverSasDefinition, showSasDefinition } from './sas';
import { registerSasChildren } from './sasNodes';
import { StorageCommandIds as ids } from './storageCommandIds';

export interface StorageCommandsTestApi {
  setPrompts(prompts: Prompts | undefined): void;
  /** Error messages the commands showed, oldest first (tests clear it). */
  readonly errors: string[];
}

/** Managed storage accounts: properties, key regeneration, SAS definitions (as tree children), delete/recover/purge. */
export function registerStorageCommands(context: vscode.ExtensionContext, deps: VaultCommandDependencies): { testApi: StorageCommandsTestApi } {
  const c = createVaultCommandContext(context, deps);
  const docs = new InfoDocuments('keyvault-storage-info');
  const errors: string[] = [];
  const reg = <R>(id: string, handler: (arg: unknown, ...rest: unknown[]) => Promise<R>) => registerVaultCommand(deps, id, handler, errors);
  context.subscriptions.push(
    docs,
    vscode.workspace.registerTextDocumentContentProvider(docs.scheme, docs),
    registerSasChildren(),
    reg(ids.addStorageAccount, (arg, x) => addStorageAccount(c, arg, x)),
    reg(ids.showStorageAccountDetails, (arg) => showStorageAccount(c, arg, docs)),
    reg(ids.regenerateStorageKey, (arg, x) => regenerateKey(c, arg, x)),
    reg(ids.deleteStorageAccount, (arg) => deleteStorageAccount(c, arg)),
    reg(ids.recoverStorageAccount, (arg) => recoverStorageAccount(c, arg)),
    reg(ids.purgeStorageAccount, (arg) => purgeStorageAccount(c, arg)),
    reg(ids.createSasDefinition, (arg, x) => createSasDefinition(c, arg, x)),
    reg(ids.showSasDefinitionDetails, (arg) => showSasDefinition(c, arg, docs)),
    reg(ids.copySasDefinitionSecretId, (arg) => copySasSecretId(c, arg)),
    reg(ids.deleteSasDefinition, (arg) => deleteSasDefinition(c, arg)),
    reg(ids.recoverSasDefinition, (arg) => recoverSasDefinition(c, arg)),
  );
  const storage = ['storage'] as const;
  registerObjectAction({ command: ids.showStorageAccountDetails, title: vscode.l10n.t('Show Storage Account Details'), families: storage });
  registerObjectAction({ command: ids.regenerateStorageKey, title: vscode.l10n.t('Regenerate Key…'), families: storage });
  registerObjectAction({ command: ids.createSasDefinition, title: vscode.l10n.t('Create SAS Definition…'), families: storage });
  registerObjectAction({ command: ids.deleteStorageAccount, title: vscode.l10n.t('Delete Storage Account…'), families: storage });
  return {
    testApi: {
      setPrompts: (prompts) => {
        c.prompts = prompts ?? vscodePrompts;
      },
      errors,
    },
  };
}
