import * as vscode from 'vscode';

/**
 * Wraps every command handler: failures are logged and shown once, and a cancelled operation is not an error.
 * Handlers stay plain async functions that can be called from tests.
 */
export function runCommand<A extends unknown[]>(
  id: string,
  log: vscode.LogOutputChannel,
  handler: (...args: A) => unknown,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    log.trace(`command ${id}`);
    try {
      await handler(...args);
    } catch (err) {
      if (err instanceof vscode.CancellationError) {
        log.debug(`command ${id} cancelled`);
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      log.error(`command ${id} failed: ${message}`);
      const showLog = vscode.l10n.t('Show Log');
      void vscode.window.showErrorMessage(message, showLog).then((choice) => {
        if (choice === showLog) log.show(true);
      });
    }
  };
}
