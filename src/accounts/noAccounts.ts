import * as vscode from 'vscode';
import type { AccountsModel } from './types';

/** Until a credential is configured: no sessions, nothing pinned — the view shows its welcome content. */
export function noAccounts(): AccountsModel {
  const changed = new vscode.EventEmitter<void>();
  return {
    onDidChange: changed.event,
    sessions: () => [],
    pinned: () => [],
    sessionFor: () => undefined,
    invalidate: () => undefined,
    dispose: () => changed.dispose(),
  };
}
