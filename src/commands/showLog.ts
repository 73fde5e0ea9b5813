import type * as vscode from 'vscode';

/** `Key Vault: Show Log`. Keeps focus in the editor: the user usually wants to read the log, not type in it. */
export function showLog(log: vscode.LogOutputChannel): void {
  log.show(true);
}
