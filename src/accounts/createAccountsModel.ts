import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { cloudFromSovereignSetting, SOVEREIGN_SECTION } from '../azure/credentials/sovereignCloud';
import { createVsCodeMicrosoftAuth, type VsCodeMicrosoftAuth } from '../azure/credentials/vscodeAuth';
import type { KeyVaultSettings, Settings } from '../settings';
import { Accounts } from './model';
import { PinnedStore } from './pinnedStore';
import { ConfiguredCredentialSource, MicrosoftAccountsSource, type SessionCommon } from './sources';
import { subscriptionSelection } from './subscriptionFilter';

export const EMULATOR_READY_FILE_ENV = 'KEYVAULT_EMULATOR_READY_FILE';
const HIDDEN_ACCOUNTS_KEY = 'keyVault.hiddenAccounts.v1';

/** Context keys the welcome views and menus read. */
export const ContextKeys = {
  state: 'keyVault.accounts.state',
  noSubscriptions: 'keyVault.accounts.noSubscriptions',
  hasPinned: 'keyVault.accounts.hasPinned',
} as const;

/** The accounts model plus what the account commands need besides the AccountsModel contract. */
export class AccountsController extends Accounts {
  constructor(
    options: ConstructorParameters<typeof Accounts>[0],
    readonly microsoft: VsCodeMicrosoftAuth,
    readonly configured: ConfiguredCredentialSource,
    private readonly globalState: vscode.Memento,
  ) {
    super(options);
  }

  hiddenAccounts(): string[] {
    const raw = this.globalState.get<unknown>(HIDDEN_ACCOUNTS_KEY);
    return Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
  }

  /** "Sign out" of a VS Code account here only: VS Code offers no API to sign an account out for one extension. */
  async hideAccount(accountId: string): Promise<void> {
    await this.globalState.update(HIDDEN_ACCOUNTS_KEY, [...new Set([...this.hiddenAccounts(), accountId])]);
    await this.refresh();
  }

  async unhideAccount(accountId: string): Promise<void> {
    const hidden = this.hiddenAccounts();
    if (!hidden.includes(accountId)) return;
    await this.globalState.update(HIDDEN_ACCOUNTS_KEY, hidden.filter((id) => id !== accountId));
  }
}

const CREDENTIAL_FIELDS: ReadonlyArray<keyof KeyVaultSettings> = ['credential', 'emulatorReadyFile', 'managedIdentityClientId'];

/**
 * Builds the accounts model for activate(): VS Code Microsoft accounts, the credential chosen in settings (or the
 * emulator named by KEYVAULT_EMULATOR_READY_FILE), pinned vaults in globalState. Returns at once; the first load
 * (which imports @azure/identity or the azureauth library only if a session needs it) runs in the background.
 */
export function createAccountsModel(context: vscode.ExtensionContext, settings: Settings, log: vscode.LogOutputChannel): AccountsController {
  const { version } = context.extension.packageJSON as { version: string };
  const selected = (): readonly string[] | undefined =>
    subscriptionSelection(settings.current.selectedSubscriptions, vscode.workspace.getConfiguration('azureResourceGroups').get<unknown>('selectedSubscriptions'))?.subscriptionIds;
  const common: SessionCommon = {
    settings: {
      apiVersion: () => settings.current.apiVersion,
      useMethodOverride: () => settings.current.useMethodOverride,
      timeoutMs: () => settings.current.requestTimeoutSeconds * 1000,
      bulkConcurrency: () => settings.current.bulkConcurrency,
      userAgentPrefix: `keyvault-explorer/${version}`,
    },
    selectedSubscriptionIds: selected,
    log: (message) => log.info(message),
  };
  const sovereignCloud = () => {
    const config = vscode.workspace.getConfiguration(SOVEREIGN_SECTION);
    return cloudFromSovereignSetting({ environment: config.get('environment'), customEnvironment: config.get('customEnvironment') });
  };
  const microsoft = createVsCodeMicrosoftAuth(log);
  const configured = new ConfiguredCredentialSource({
    config: () => settings.current,
    envReadyFile: () => process.env[EMULATOR_READY_FILE_ENV],
    cloud: sovereignCloud,
    common,
  });
  const model: AccountsController = new AccountsController(
    {
      // Hidden accounts are read at load time, after construction.
      sources: [new MicrosoftAccountsSource(microsoft, () => model.hiddenAccounts(), common), configured],
      pinned: new PinnedStore(context.globalState),
      readCa: (file) => readFile(file, 'utf8'),
      defaultCloud: sovereignCloud,
      log,
    },
    microsoft,
    configured,
    context.globalState,
  );

  const setContext = (key: string, value: unknown) => void vscode.commands.executeCommand('setContext', key, value);
  const updateContext = async () => {
    setContext(ContextKeys.state, model.state);
    setContext(ContextKeys.hasPinned, model.pinned().length > 0);
    // "No subscriptions" only when every session that reaches ARM lists none and nothing is pinned.
    const sessions = model.sessions().filter((s) => s.arm);
    const counts = await Promise.all(sessions.map((s) => s.listSubscriptions().then((l) => l.length, () => -1)));
    setContext(ContextKeys.noSubscriptions, sessions.length > 0 && counts.every((n) => n === 0) && model.pinned().length === 0);
  };
  setContext(ContextKeys.state, 'loading');

  // With no session the view shows its welcome (a TreeView message would hide it), so a configured credential that
  // does not work says so once, with the way out.
  const shown = new Set<string>();
  const reportProblems = () => {
    for (const problem of model.problems()) {
      if (shown.has(problem) || !problem.startsWith(configured.name)) continue;
      shown.add(problem);
      const emulator = vscode.l10n.t('Use Local Emulator…');
      const openSettings = vscode.l10n.t('Open Settings');
      void vscode.window.showWarningMessage(problem, emulator, openSettings).then((choice) => {
        if (choice === emulator) void vscode.commands.executeCommand('keyVault.useLocalEmulator');
        else if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', 'keyVault.credential');
      });
    }
  };

  // The model itself is disposed by activate() (it pushes it); these are the factory's own registrations.
  context.subscriptions.push(
    microsoft,
    model.onDidChange(() => {
      void updateContext();
      reportProblems();
    }),
    settings.onDidChange(({ changed }) => {
      if (changed.some((c) => CREDENTIAL_FIELDS.includes(c))) void model.refresh();
      else if (changed.includes('selectedSubscriptions')) model.notify();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SOVEREIGN_SECTION)) void model.refresh();
      else if (e.affectsConfiguration('azureResourceGroups.selectedSubscriptions') && settings.current.selectedSubscriptions.length === 0) model.notify();
    }),
  );
  void model.whenLoaded().then(updateContext, (err: unknown) => log.error(`Could not load accounts: ${err instanceof Error ? err.message : String(err)}`));
  return model;
}
