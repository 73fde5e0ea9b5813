import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../../settings';

/**
 * Writes a `keyVault.*` setting in the user settings, and also where a workspace value would hide it (a command the
 * user just ran must take effect).
 */
export async function writeSetting(key: string, value: unknown): Promise<void> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  const inspected = config.inspect(key);
  if (inspected?.workspaceValue !== undefined) await config.update(key, value, vscode.ConfigurationTarget.Workspace);
  if (inspected?.workspaceFolderValue !== undefined && vscode.workspace.workspaceFolders?.[0]) {
    await vscode.workspace.getConfiguration(SETTINGS_SECTION, vscode.workspace.workspaceFolders[0].uri).update(key, value, vscode.ConfigurationTarget.WorkspaceFolder);
  }
}
