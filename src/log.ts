import * as vscode from 'vscode';

/** The name users see in the Output view's channel list. */
export const LOG_CHANNEL_NAME = 'Azure Key Vault';

/**
 * A LogOutputChannel rather than a plain one: VS Code adds timestamps and levels, and users pick the level
 * themselves (the gear in the Output view, or "Developer: Set Log Level..."), so we need no level setting of our own.
 * Never log a secret value, a token or a private key here (see the security rules in README.md).
 */
export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
}
