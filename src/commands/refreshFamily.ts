import type * as vscode from 'vscode';
import type { ObjectFamily } from '../tree/model/objectView';
import type { VaultsTreeDataProvider } from '../tree/VaultsTreeDataProvider';
import { loadedContainers } from '../tree/walk';
import { hostOf } from './vaultNames';

/**
 * Reloads one family's listing (and its Deleted group) of a vault wherever the tree shows that vault. Walks the
 * tree's own nodes by URL, so it works whatever node (or none) the command started from; never fails the command.
 */
export async function refreshFamily(c: { provider: VaultsTreeDataProvider; log: vscode.LogOutputChannel }, vaultUrl: string, family: ObjectFamily): Promise<void> {
  const origin = new URL(vaultUrl).origin.toLowerCase();
  try {
    for (const container of await loadedContainers(c.provider.roots_)) {
      if (container.vaultUrl.toLowerCase() !== origin) continue;
      const category = container.categories().find((k) => k.family === family);
      if (category) c.provider.refresh(category);
    }
  } catch (err) {
    c.log.warn(`Could not refresh the ${family} of ${hostOf(vaultUrl)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
