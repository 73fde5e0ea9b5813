import { AzureLogger, setLogLevel, type AzureLogLevel } from '@azure/logger';
import { format } from 'node:util';
import * as vscode from 'vscode';
import { maskSensitive } from './keyvault/sensitive';

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

const AZURE_LEVEL: Partial<Record<vscode.LogLevel, AzureLogLevel>> = {
  [vscode.LogLevel.Trace]: 'verbose',
  [vscode.LogLevel.Debug]: 'info',
  [vscode.LogLevel.Info]: 'warning',
  [vscode.LogLevel.Warning]: 'warning',
  [vscode.LogLevel.Error]: 'error',
};

/**
 * Sends the Azure SDK's own logging (core-rest-pipeline requests with redacted headers, retries, identity) to our
 * channel at the level the user chose for it. Everything passes through maskSensitive first: the pipeline never
 * logs bodies, and this is the second line of defence.
 */
export function connectAzureLogger(log: vscode.LogOutputChannel): vscode.Disposable {
  const apply = (level: vscode.LogLevel): void => {
    const azure = AZURE_LEVEL[level];
    if (azure) setLogLevel(azure);
  };
  apply(log.logLevel);
  const previous = AzureLogger.log;
  AzureLogger.log = (...args: unknown[]) => {
    const line = maskSensitive(format(...args)).trimEnd();
    if (/:error\b/.test(line.slice(0, 80))) log.error(line);
    else if (/:warning\b/.test(line.slice(0, 80))) log.warn(line);
    else log.trace(line);
  };
  const sub = log.onDidChangeLogLevel(apply);
  return {
    dispose: () => {
      sub.dispose();
      AzureLogger.log = previous;
    },
  };
}
