import * as vscode from 'vscode';
import type { PagedList } from '../keyvault/paging';
import type { Prompts } from './pickers';

export type RestoredFamily = 'secret' | 'key' | 'certificate';

/**
 * Key Vault restores a backup only into a free name and never merges versions, so when the file's object (known from
 * its file name) already exists the user is asked before anything is sent; dismissing sends nothing. An object we
 * cannot list (no permission, a deleted one) is left for the service to answer.
 */
export async function askBeforeRestoreOver(
  c: { prompts: Prompts },
  family: RestoredFamily,
  container: string,
  name: string | undefined,
  versions: (name: string) => PagedList<unknown>,
): Promise<void> {
  if (!name) return;
  const taken = await versions(name)
    .byPage({ maxPageSize: 1 })
    .next()
    .then((p) => !p.done && p.value.items.length > 0)
    .catch(() => false);
  if (!taken) return;
  const anyway = vscode.l10n.t('Try Anyway');
  const choice = await c.prompts.message({ kind: 'warning', modal: true, ...takenWording(family, container, name), actions: [anyway] });
  if (choice !== anyway) throw new vscode.CancellationError();
}

function takenWording(family: RestoredFamily, container: string, name: string): { text: string; detail: string } {
  switch (family) {
    case 'secret':
      return {
        text: vscode.l10n.t('{0} already has a secret named {1}.', container, name),
        detail: vscode.l10n.t(
          'Key Vault restores a backup only when the name is free, and never merges versions. To restore over it, delete and purge the existing secret first (that loses its current versions). The file may also hold another secret than its name says: try anyway?',
        ),
      };
    case 'key':
      return {
        text: vscode.l10n.t('{0} already has a key named {1}.', container, name),
        detail: vscode.l10n.t(
          'Key Vault restores a backup only when the name is free, and never merges versions. To restore over it, delete and purge the existing key first (that loses its current versions and anything encrypted only with them). The file may also hold another key than its name says: try anyway?',
        ),
      };
    case 'certificate':
      return {
        text: vscode.l10n.t('{0} already has a certificate named {1}.', container, name),
        detail: vscode.l10n.t(
          'Key Vault restores a backup only when the name is free, and never merges versions. To restore over it, delete and purge the existing certificate first (that loses its current versions, with their keys and secrets). The file may also hold another certificate than its name says: try anyway?',
        ),
      };
  }
}
