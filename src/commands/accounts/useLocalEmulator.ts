import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { EMULATOR_READY_FILE_ENV, type AccountsController } from '../../accounts/createAccountsModel';
import { loadReadyFile } from '../../azure/credentials/emulator';
import { SETTING_KEYS, type Settings } from '../../settings';
import { writeSetting } from './settingsWrite';

export interface AccountCommandDeps {
  readonly accounts: AccountsController;
  readonly settings: Settings;
  readonly log: vscode.LogOutputChannel;
}

async function pickReadyFile(deps: AccountCommandDeps): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { file?: string };
  const items: Item[] = [];
  const env = process.env[EMULATOR_READY_FILE_ENV];
  if (env && existsSync(env)) items.push({ label: env, description: vscode.l10n.t('from {0}', EMULATOR_READY_FILE_ENV), file: env });
  const last = deps.settings.current.emulatorReadyFile;
  if (last && last !== env && existsSync(last)) items.push({ label: last, description: vscode.l10n.t('last used'), file: last });
  const browse: Item = { label: vscode.l10n.t('$(folder-opened) Browse…'), detail: vscode.l10n.t("The emulator writes it where --ready-file says (npm start: test-results/start/emulator/ready.json).") };
  items.push(browse);
  const pick = items.length === 1 ? browse : await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Use Local Emulator: choose its ready file'), ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick.file) return pick.file;
  const uris = await vscode.window.showOpenDialog({
    title: vscode.l10n.t("Choose the emulator's ready file"),
    canSelectMany: false,
    canSelectFolders: false,
    openLabel: vscode.l10n.t('Use This Emulator'),
    filters: { [vscode.l10n.t('Emulator ready file')]: ['json'] },
  });
  return uris?.[0]?.fsPath;
}

/**
 * `Key Vault: Use Local Emulator…`: connects to a running Key Vault emulator through its ready file (endpoints, the
 * app identity's client secret, its CA). The file path goes into settings; the secret stays in the file.
 */
export async function useLocalEmulator(deps: AccountCommandDeps, arg?: string | vscode.Uri): Promise<void> {
  const file = typeof arg === 'string' ? arg : arg instanceof vscode.Uri ? arg.fsPath : await pickReadyFile(deps);
  if (!file) throw new vscode.CancellationError();
  // Checked first: a bad file must not replace a working configuration.
  const { ready } = await loadReadyFile(file);
  await writeSetting(SETTING_KEYS.emulatorReadyFile, file);
  await writeSetting(SETTING_KEYS.credential, 'emulator');
  await deps.accounts.refresh();
  const session = deps.accounts.sessions().find((s) => s.id === 'emulator');
  if (!session) throw new Error(deps.accounts.problems().join(' ') || vscode.l10n.t('The emulator session did not start; see the log.'));
  deps.log.info(`Using the local emulator (${ready.vaults.length} vaults, ${ready.managedHsms.length} HSMs; Resource Manager ${ready.armEndpoint})`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Connected to the local emulator: {0} vault(s) and {1} HSM(s).', ready.vaults.length, ready.managedHsms.length));
}
