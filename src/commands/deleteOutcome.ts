import * as vscode from 'vscode';
import { shortDate } from '../tree/model/objectView';

/**
 * What a delete left behind, in the words secrets and certificates both use: recoverable until the purge date,
 * recoverable with no date given, or gone (a vault without soft delete returns no recovery id).
 */
export function deletedMessage(name: string, deleted: { scheduledPurgeDate?: Date; recoveryId?: string }): string {
  return deleted.scheduledPurgeDate
    ? vscode.l10n.t('Deleted {0}. It can be recovered from the Deleted group until {1}.', name, shortDate(deleted.scheduledPurgeDate))
    : deleted.recoveryId
      ? vscode.l10n.t('Deleted {0}. It can be recovered from the Deleted group.', name)
      : vscode.l10n.t('Deleted {0}. This vault has no soft delete: it cannot be recovered.', name);
}
