import * as vscode from 'vscode';

/** Reads a file the user chose (or a test gave), with a readable error when it cannot be read. */
export async function readUserFile(uri: vscode.Uri): Promise<Uint8Array> {
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch (err) {
    throw new Error(vscode.l10n.t('Could not read {0}: {1}', uri.fsPath || uri.toString(), err instanceof Error ? err.message : String(err)));
  }
}

/** Writes a file the user chose; never logs its content. */
export async function writeUserFile(uri: vscode.Uri, bytes: Uint8Array): Promise<void> {
  try {
    await vscode.workspace.fs.writeFile(uri, bytes);
  } catch (err) {
    throw new Error(vscode.l10n.t('Could not write {0}: {1}', uri.fsPath || uri.toString(), err instanceof Error ? err.message : String(err)));
  }
}
