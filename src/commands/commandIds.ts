import { AccountCommandIds } from './accounts/accountCommandIds';
import { SecretCommandIds } from './secrets/secretCommandIds';
import { KeyCommandIds } from './keys/keyCommandIds';
import { CertificateCommandIds } from './certificates/certificateCommandIds';
import { StorageCommandIds } from './storage/storageCommandIds';

/**
 * Every command the extension registers. package.json `contributes.commands` must list exactly these
 * (test/unit/manifest.test.ts checks it), so the palette never offers a command that does nothing.
 */
export const CommandIds = {
  showLog: 'keyVault.showLog',
  refresh: 'keyVault.refresh',
  retry: 'keyVault.retry',
  learnMore: 'keyVault.learnMore',
  loadMore: 'keyVault.loadMore',
  filter: 'keyVault.filter',
  clearFilter: 'keyVault.clearFilter',
  /** The view title's Refresh and Clear Filter: VS Code passes title actions the focused node, so they get their own ids. */
  refreshAll: 'keyVault.refreshAll',
  clearAllFilters: 'keyVault.clearAllFilters',
  findObject: 'keyVault.findObject',
  openById: 'keyVault.openById',
  showProperties: 'keyVault.showProperties',
  openInPortal: 'keyVault.openInPortal',
  ...AccountCommandIds,
  ...SecretCommandIds,
  ...KeyCommandIds,
  ...CertificateCommandIds,
  ...StorageCommandIds,
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];
