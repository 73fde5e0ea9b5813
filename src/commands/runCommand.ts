import * as vscode from 'vscode';
import { maskSensitive } from '../keyvault/sensitive';
import type { Prompts } from './pickers';

export interface RunCommandOptions {
  /**
   * How a failure is shown (default: an error notification). Families with a prompts seam pass theirs, so tests see
   * exactly what users see.
   */
  show?: (message: string, actions: string[]) => Thenable<string | undefined>;
}

/**
 * Wraps every command handler: failures are logged and shown once, and a cancelled operation is not an error.
 * Handlers stay plain async functions that can be called from tests; what a handler returns is what
 * `executeCommand` resolves to (undefined after a failure or cancellation).
 */
export function runCommand<A extends unknown[]>(
  id: string,
  log: vscode.LogOutputChannel,
  handler: (...args: A) => unknown,
  options: RunCommandOptions = {},
): (...args: A) => Promise<unknown> {
  const show = options.show ?? ((message: string, actions: string[]) => vscode.window.showErrorMessage(message, ...actions));
  return async (...args: A) => {
    log.trace(`command ${id}`);
    try {
      return await handler(...args);
    } catch (err) {
      if (err instanceof vscode.CancellationError) {
        log.debug(`command ${id} cancelled`);
        return undefined;
      }
      // Masked: a message must never carry a value we handled, a token or a private key, even by accident.
      const message = maskSensitive(err instanceof Error ? ((err as { userMessage?: string }).userMessage ?? err.message) : String(err));
      log.error(`command ${id} failed: ${message}`);
      const showLog = vscode.l10n.t('Show Log');
      void show(message, [showLog]).then((choice) => {
        if (choice === showLog) log.show(true);
      });
      return undefined;
    }
  };
}

/**
 * `show` for runCommand: a command's failure goes through the family's prompts seam, as an error message. The seam is
 * read at each failure, not at registration: tests swap it after the commands are registered.
 */
export function showThroughPrompts(c: { readonly prompts: Pick<Prompts, 'message'> }): NonNullable<RunCommandOptions['show']> {
  return (text, actions) => c.prompts.message({ kind: 'error', text, actions });
}
