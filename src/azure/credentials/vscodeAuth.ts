import * as vscode from 'vscode';
import type { CloudDefinition } from '../clouds';
import type { Subscription } from '../discovery';
import type { AccountInfo, MicrosoftAuth, SessionRequest, SessionRequestOptions } from './microsoftAccount';
import { authProviderFromSovereignSetting, cloudFromSovereignSetting, SOVEREIGN_SECTION, type SovereignSetting } from './sovereignCloud';

type AzureAuthLibrary = typeof import('@microsoft/vscode-azext-azureauth');

/** The cloud values `microsoft-sovereign-cloud.environment` takes (unset = Azure). */
export type SovereignEnvironment = 'AzureCloud' | 'ChinaCloud' | 'USGovernment';

export interface VsCodeMicrosoftAuth extends MicrosoftAuth, vscode.Disposable {
  providerId(): 'microsoft' | 'microsoft-sovereign-cloud';
  /** Shows VS Code's account picker (or signs in to one directory of an account); the account, or undefined if cancelled. */
  signIn(tenantId?: string, account?: AccountInfo): Promise<AccountInfo | undefined>;
  /** Directories an account belongs to but VS Code holds no session for (guest access elsewhere). */
  unauthenticatedTenants(account?: AccountInfo): Promise<{ tenantId: string; displayName: string; account: AccountInfo }[]>;
  /** Switches VS Code's Microsoft sign-in to another cloud (a global setting the Azure extensions share). */
  setEnvironment(environment: SovereignEnvironment): Promise<void>;
}

function sovereignSetting(): SovereignSetting {
  const config = vscode.workspace.getConfiguration(SOVEREIGN_SECTION);
  return { environment: config.get('environment'), customEnvironment: config.get('customEnvironment') };
}

/**
 * VS Code's Microsoft accounts through @microsoft/vscode-azext-azureauth, the library the Azure extensions use.
 * The library (and @azure/arm-resources-subscriptions under it) is imported at first use, never at activation:
 * listing accounts is VS Code's own API and needs none of it.
 */
export function createVsCodeMicrosoftAuth(log: vscode.LogOutputChannel): VsCodeMicrosoftAuth {
  let library: Promise<AzureAuthLibrary> | undefined;
  const azureauth = (): Promise<AzureAuthLibrary> => (library ??= import('@microsoft/vscode-azext-azureauth'));
  let provider: import('@microsoft/vscode-azext-azureauth').VSCodeAzureSubscriptionProvider | undefined;
  const subscriptionProvider = async () => (provider ??= new (await azureauth()).VSCodeAzureSubscriptionProvider(log));

  const providerId = () => authProviderFromSovereignSetting(sovereignSetting());
  const changed = new vscode.EventEmitter<void>();
  const listener = vscode.authentication.onDidChangeSessions((e) => {
    if (e.provider.id === providerId()) changed.fire();
  });
  let warned = false;
  const asAccount = (a: AccountInfo): vscode.AuthenticationSessionAccountInformation => ({ id: a.id, label: a.label });

  const getSession = async (request: SessionRequest, options: SessionRequestOptions) => {
    const { getSessionFromVSCode } = await azureauth();
    const scopes = request.wwwAuthenticate ? { wwwAuthenticate: request.wwwAuthenticate, fallbackScopes: request.scopes } : request.scopes;
    return getSessionFromVSCode(scopes, request.tenantId, {
      account: asAccount(options.account),
      ...(options.silent ? { silent: true } : {}),
      ...(options.createIfNone ? { createIfNone: true } : {}),
    });
  };

  return {
    providerId,
    cloud: (): CloudDefinition => cloudFromSovereignSetting(sovereignSetting()),
    async getAccounts() {
      try {
        return await vscode.authentication.getAccounts(providerId());
      } catch (err) {
        // A VS Code build without the Microsoft Authentication extension: no accounts; Sign In will say why.
        if (!warned) log.warn(`VS Code's "${providerId()}" sign-in is not available here (${err instanceof Error ? err.message : String(err)}).`);
        warned = true;
        return [];
      }
    },
    getSession,
    async listSubscriptions(account: AccountInfo): Promise<Subscription[]> {
      const subscriptions = await (await subscriptionProvider()).getSubscriptions({ account: asAccount(account) });
      return subscriptions.map((s) => ({ subscriptionId: s.subscriptionId, displayName: s.name, tenantId: s.tenantId }));
    },
    async signIn(tenantId?: string, account?: AccountInfo) {
      const { getSessionFromVSCode } = await azureauth();
      const session = await getSessionFromVSCode([], tenantId, {
        createIfNone: true,
        // Without an account, clearing the preference makes VS Code show its account picker (add another account).
        clearSessionPreference: !account,
        ...(account ? { account: asAccount(account) } : {}),
      });
      return session ? { id: session.account.id, label: session.account.label } : undefined;
    },
    async unauthenticatedTenants(account?: AccountInfo) {
      const lib = await azureauth();
      const tenants = await lib.getUnauthenticatedTenants(await subscriptionProvider(), account ? asAccount(account) : undefined);
      return tenants.flatMap((t) => (t.tenantId ? [{ tenantId: t.tenantId, displayName: t.displayName ?? t.tenantId, account: { id: t.account.id, label: t.account.label } }] : []));
    },
    async setEnvironment(environment: SovereignEnvironment) {
      await (await azureauth()).setConfiguredAzureEnv(environment === 'AzureCloud' ? undefined : environment);
    },
    onDidChangeSessions: changed.event,
    dispose() {
      listener.dispose();
      changed.dispose();
      provider?.dispose();
    },
  };
}
