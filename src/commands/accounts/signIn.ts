import * as vscode from 'vscode';
import { CLOUDS } from '../../azure/clouds';
import { IDENTITY_KINDS, IDENTITY_LABELS, type IdentityKind } from '../../azure/credentials/identity';
import type { SovereignEnvironment } from '../../azure/credentials/vscodeAuth';
import { SETTING_KEYS } from '../../settings';
import { writeSetting } from './settingsWrite';
import { useLocalEmulator, type AccountCommandDeps } from './useLocalEmulator';

/** What Sign In can do; also accepted as the command's argument (tests, keybindings). */
export type SignInChoice = 'microsoft' | `microsoft:${SovereignEnvironment}` | 'tenant' | IdentityKind | 'emulator';

const IDENTITY_DETAILS: Record<IdentityKind, string> = {
  azureCli: 'Uses the account of `az login` (any cloud the CLI is set to).',
  azureDeveloperCli: 'Uses the account of `azd auth login`.',
  environment: 'A service principal from AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH).',
  managedIdentity: 'The managed identity of the Azure VM, App Service or container VS Code runs in (keyVault.managedIdentity.clientId for a user-assigned one).',
};

const ENVIRONMENTS: { env: SovereignEnvironment; cloudId: string }[] = [
  { env: 'AzureCloud', cloudId: 'AzureCloud' },
  { env: 'ChinaCloud', cloudId: 'AzureChinaCloud' },
  { env: 'USGovernment', cloudId: 'AzureUSGovernment' },
];

async function choose(deps: AccountCommandDeps): Promise<SignInChoice | undefined> {
  type Item = vscode.QuickPickItem & { choice?: SignInChoice };
  const current = deps.accounts.microsoft.cloud();
  const items: Item[] = [
    {
      label: vscode.l10n.t('$(account) Microsoft account'),
      description: current.displayName,
      detail: vscode.l10n.t("VS Code's Microsoft sign-in. Sign in again to add another account."),
      choice: 'microsoft',
    },
  ];
  for (const { env, cloudId } of ENVIRONMENTS) {
    if (cloudId === current.id) continue;
    const cloud = CLOUDS.find((c) => c.id === cloudId)!;
    items.push({
      label: vscode.l10n.t('$(globe) Microsoft account in {0}', cloud.displayName),
      detail: vscode.l10n.t('Switches VS Code\'s Microsoft sign-in to {0} (setting microsoft-sovereign-cloud.environment, shared with the Azure extensions).', cloud.displayName),
      choice: `microsoft:${env}`,
    });
  }
  if (deps.accounts.sessions().some((s) => s.kind === 'microsoft')) {
    items.push({ label: vscode.l10n.t('$(organization) Another directory (tenant)…'), detail: vscode.l10n.t('For vaults in a directory where your account is a guest.'), choice: 'tenant' });
  }
  items.push({ label: vscode.l10n.t('Other credentials'), kind: vscode.QuickPickItemKind.Separator });
  for (const kind of IDENTITY_KINDS) items.push({ label: `$(key) ${IDENTITY_LABELS[kind]}`, detail: IDENTITY_DETAILS[kind], choice: kind });
  items.push({ label: vscode.l10n.t('$(beaker) Local emulator…'), detail: vscode.l10n.t('A Key Vault emulator on this machine, through its ready file.'), choice: 'emulator' });
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Key Vault: Sign In'), placeHolder: vscode.l10n.t('How do you want to reach your vaults?'), ignoreFocusOut: true, matchOnDetail: true });
  return pick?.choice;
}

/** `Key Vault: Sign In`: a VS Code Microsoft account (any cloud, another directory), another credential, or the emulator. */
export async function signIn(deps: AccountCommandDeps, arg?: SignInChoice): Promise<void> {
  const choice = arg ?? (await choose(deps));
  if (!choice) throw new vscode.CancellationError();
  const { accounts, log } = deps;
  if (choice === 'emulator') return useLocalEmulator(deps);

  if ((IDENTITY_KINDS as readonly string[]).includes(choice)) {
    const kind = choice as IdentityKind;
    await writeSetting(SETTING_KEYS.credential, kind);
    await accounts.refresh();
    const session = accounts.sessions().find((s) => s.id === `identity:${kind}`);
    if (!session) throw new Error(accounts.problems().join(' ') || vscode.l10n.t('{0} did not start; see the log.', IDENTITY_LABELS[kind]));
    // A credential can be configured and still not work (not logged in): say so now rather than in the tree.
    const check = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking {0}…', IDENTITY_LABELS[kind]) }, async () => {
      try {
        await session.credential.getToken(`${session.cloud.resourceManagerEndpoint}/.default`, { abortSignal: AbortSignal.timeout(30_000) });
        return undefined;
      } catch (err) {
        return err instanceof Error ? err.message.split(/\r?\n/)[0] : String(err);
      }
    });
    if (check) {
      log.warn(`${IDENTITY_LABELS[kind]} could not get a token: ${check}`);
      void vscode.window.showWarningMessage(vscode.l10n.t('Key Vault Explorer now uses {0}, but it could not get a token yet: {1}', IDENTITY_LABELS[kind], check));
    } else {
      void vscode.window.showInformationMessage(vscode.l10n.t('Key Vault Explorer now uses {0}.', IDENTITY_LABELS[kind]));
    }
    return;
  }

  const microsoft = accounts.microsoft;
  if (choice === 'tenant') {
    const tenants = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Listing directories…') }, () => microsoft.unauthenticatedTenants());
    if (tenants.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('You are signed in to every directory of your accounts.'));
      return;
    }
    const pick = await vscode.window.showQuickPick(
      tenants.map((t) => ({ label: t.displayName, description: t.tenantId, detail: t.account.label, tenant: t })),
      { title: vscode.l10n.t('Sign in to another directory'), matchOnDescription: true, ignoreFocusOut: true },
    );
    if (!pick) throw new vscode.CancellationError();
    const account = await microsoft.signIn(pick.tenant.tenantId, pick.tenant.account);
    if (!account) throw new vscode.CancellationError();
    accounts.invalidate();
    void vscode.window.showInformationMessage(vscode.l10n.t('Signed in to {0} as {1}.', pick.tenant.displayName, account.label));
    return;
  }

  if (choice.startsWith('microsoft:')) {
    const env = choice.slice('microsoft:'.length) as SovereignEnvironment;
    await microsoft.setEnvironment(env);
  }
  const account = await microsoft.signIn();
  if (!account) throw new vscode.CancellationError();
  await accounts.unhideAccount(account.id);
  await accounts.refresh();
  log.info(`Signed in with a Microsoft account (${microsoft.cloud().displayName})`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Signed in as {0}.', account.label));
}
