import * as vscode from 'vscode';
import { isKeyVaultError } from '../keyvault/errors';

/**
 * A service error as users see it (message + the REST layer's hint); an aborted request becomes a cancellation,
 * which runCommand does not report.
 */
export function toUserError(err: unknown): unknown {
  if (err instanceof vscode.CancellationError) return err;
  if (isKeyVaultError(err)) {
    if (err.kind === 'cancelled') return new vscode.CancellationError();
    return new Error(err.userMessage);
  }
  return err;
}

/** Runs `work` and turns service errors into user errors (for runCommand). */
export async function userErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toUserError(err);
  }
}
