import * as vscode from 'vscode';
import { toUserError } from './userErrors';

/**
 * Long work in a cancellable notification; Cancel aborts the request through the AbortSignal and surfaces as
 * vscode.CancellationError. Other failures go through `mapError`: by default they become user errors; the secret
 * commands pass them on unchanged because some of them read the service error (a conflict, a not-found) afterwards.
 */
export async function withProgress<T>(
  title: string,
  work: (signal: AbortSignal, progress: vscode.Progress<{ message?: string }>) => Promise<T>,
  mapError: (err: unknown) => unknown = toUserError,
): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      return await work(controller.signal, progress);
    } catch (err) {
      if (token.isCancellationRequested) throw new vscode.CancellationError();
      throw mapError(err);
    } finally {
      sub.dispose();
    }
  });
}
