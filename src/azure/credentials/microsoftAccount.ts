import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import type { Event } from 'vscode';
import type { CloudDefinition } from '../clouds';
import type { Subscription } from '../discovery';
import { tokenExpiry } from './tokenExpiry';

/** A VS Code account (`vscode.AuthenticationSessionAccountInformation`). */
export interface AccountInfo {
  readonly id: string;
  readonly label: string;
}

/** What the adapter asks VS Code for; the real one is @microsoft/vscode-azext-azureauth's getSessionFromVSCode. */
export interface SessionRequest {
  scopes: string[];
  tenantId?: string;
  /** A CAE claims challenge, passed on as a WWW-Authenticate request so VS Code can step up the sign-in. */
  wwwAuthenticate?: string;
}

export interface SessionRequestOptions {
  account: AccountInfo;
  silent?: boolean;
  createIfNone?: boolean;
}

export type GetVsCodeSession = (request: SessionRequest, options: SessionRequestOptions) => Promise<{ accessToken: string } | undefined>;

/**
 * Thrown when VS Code has no session for this account in the tenant a vault's challenge named (guest access to
 * another directory). Its name makes the REST layer report it as a sign-in problem with a hint.
 */
export class SignInRequiredError extends Error {
  override readonly name = 'AuthenticationRequiredError';
  constructor(
    readonly account: AccountInfo,
    readonly tenantId: string | undefined,
  ) {
    super(
      tenantId
        ? `${account.label} is not signed in to directory ${tenantId}. Run "Key Vault: Sign In" and choose "Sign in to another directory", or use the Accounts menu.`
        : `${account.label} is not signed in. Run "Key Vault: Sign In", or use the Accounts menu.`,
    );
  }
}

/**
 * A TokenCredential for one VS Code Microsoft account. It honours `getToken`'s tenantId, which the Key Vault
 * challenge policy sets to the tenant named in a vault's challenge: a guest account gets a token of the vault's
 * directory. It never prompts while the tree loads: when VS Code has no session, it asks once without `silent`
 * (VS Code then offers the sign-in in its Accounts menu) and fails with SignInRequiredError.
 */
export class MicrosoftAccountCredential implements TokenCredential {
  private readonly requested = new Set<string>();

  constructor(
    private readonly getSession: GetVsCodeSession,
    readonly account: AccountInfo,
    /** The account's home tenant, used when a caller names none. */
    private readonly homeTenantId?: string,
  ) {}

  async getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    const list = (Array.isArray(scopes) ? scopes : [scopes]).filter((s) => s.length > 0);
    const tenantId = options.tenantId ?? this.homeTenantId;
    const request: SessionRequest = { scopes: list, ...(tenantId ? { tenantId } : {}) };
    let session: { accessToken: string } | undefined;
    if (options.claims) {
      // A claims challenge (CAE: revoked session, MFA now required) can only be met by signing in again.
      const claims = Buffer.from(options.claims, 'utf8').toString('base64');
      session = await this.getSession({ ...request, wwwAuthenticate: `Bearer error="insufficient_claims", claims="${claims}"` }, { account: this.account, createIfNone: true });
    } else {
      session = await this.getSession(request, { account: this.account, silent: true });
    }
    if (!session) {
      const key = `${tenantId ?? ''}|${list.join(' ')}`;
      if (!this.requested.has(key)) {
        this.requested.add(key);
        // Not silent, not creating: VS Code adds "Sign in to use Key Vault Explorer" to the Accounts menu.
        void this.getSession(request, { account: this.account }).catch(() => undefined);
      }
      throw new SignInRequiredError(this.account, options.tenantId);
    }
    return { token: session.accessToken, expiresOnTimestamp: tokenExpiry(session.accessToken), tokenType: 'Bearer' };
  }
}

/**
 * VS Code's Microsoft sign-in as the accounts model uses it. The real one (vscodeAuth.ts) wraps
 * `vscode.authentication` and @microsoft/vscode-azext-azureauth; unit tests pass fakes.
 */
export interface MicrosoftAuth {
  /** The cloud `microsoft-sovereign-cloud.environment` selects. */
  cloud(): CloudDefinition;
  /** Accounts VS Code is signed in with, for the configured provider. Cheap: loads no library. */
  getAccounts(): Promise<readonly AccountInfo[]>;
  getSession: GetVsCodeSession;
  /** Subscriptions of every directory the account is signed in to. */
  listSubscriptions(account: AccountInfo, abortSignal?: AbortSignal): Promise<Subscription[]>;
  readonly onDidChangeSessions: Event<void>;
}
