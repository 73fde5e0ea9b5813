import type { Event } from 'vscode';
import type { CloudDefinition } from '../azure/clouds';
import { loadReadyFile, emulatorCloud, emulatorCredential, emulatorEndpoints, type LoadedEmulator } from '../azure/credentials/emulator';
import { httpClientTrusting } from '../azure/credentials/caHttpClient';
import { createIdentityCredential, IDENTITY_KINDS, IDENTITY_LABELS, loadIdentity, type IdentityKind, type IdentityModule } from '../azure/credentials/identity';
import { MicrosoftAccountCredential, type AccountInfo, type MicrosoftAuth } from '../azure/credentials/microsoftAccount';
import type { CredentialSetting } from '../settings';
import { CredentialSession, type ServiceSettings } from './session';

/** Where sessions come from: VS Code accounts, or the credential chosen in settings. */
export interface SessionSource {
  readonly name: string;
  /** The current sessions; the same objects while nothing changed (they hold caches and connections). */
  load(): Promise<CredentialSession[]>;
  readonly onDidChange?: Event<void>;
  dispose?(): void;
}

/** What every session shares: live settings for its Key Vault client, and the subscription selection. */
export interface SessionCommon {
  settings: ServiceSettings;
  selectedSubscriptionIds: () => readonly string[] | undefined;
  log?: (message: string) => void;
}

/**
 * One session per VS Code Microsoft account that has granted this extension a session (a silent request for a
 * Resource Manager token succeeds), except accounts the user signed out of here ("hidden": VS Code itself cannot
 * sign an account out for an extension).
 */
export class MicrosoftAccountsSource implements SessionSource {
  readonly name = 'Microsoft accounts';
  private readonly sessions = new Map<string, CredentialSession>();

  constructor(
    readonly auth: MicrosoftAuth,
    private readonly hidden: () => readonly string[],
    private readonly common: SessionCommon,
  ) {}

  get onDidChange(): Event<void> {
    return this.auth.onDidChangeSessions;
  }

  async load(): Promise<CredentialSession[]> {
    const cloud = this.auth.cloud();
    const hidden = new Set(this.hidden());
    const accounts = (await this.auth.getAccounts()).filter((a) => !hidden.has(a.id));
    const granted = await Promise.all(
      accounts.map(async (account) => {
        const session = await this.auth.getSession({ scopes: [`${cloud.resourceManagerEndpoint}/.default`] }, { account, silent: true }).catch(() => undefined);
        return session ? account : undefined;
      }),
    );
    const out: CredentialSession[] = [];
    const keep = new Set<string>();
    for (const account of granted) {
      if (!account) continue;
      const key = `${cloud.id}|${cloud.resourceManagerEndpoint}|${account.id}`;
      keep.add(key);
      let session = this.sessions.get(key);
      if (!session) {
        session = this.create(account, cloud);
        this.sessions.set(key, session);
      }
      out.push(session);
    }
    for (const [key, session] of this.sessions) {
      if (!keep.has(key)) {
        session.dispose();
        this.sessions.delete(key);
      }
    }
    return out;
  }

  private create(account: AccountInfo, cloud: CloudDefinition): CredentialSession {
    return new CredentialSession({
      id: `microsoft:${account.id}`,
      label: account.label,
      kind: 'microsoft',
      cloud,
      credential: new MicrosoftAccountCredential(this.auth.getSession, account),
      settings: this.common.settings,
      selectedSubscriptionIds: this.common.selectedSubscriptionIds,
      ...(this.common.log ? { log: this.common.log } : {}),
      // Through @microsoft/vscode-azext-azureauth: every directory the account is signed in to.
      listSubscriptions: (_arm, abortSignal) => this.auth.listSubscriptions(account, abortSignal),
    });
  }

  dispose(): void {
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
  }
}

export interface CredentialConfig {
  credential: CredentialSetting;
  /** `keyVault.emulator.readyFile`. */
  emulatorReadyFile: string;
  managedIdentityClientId: string;
}

export type CredentialPlan =
  | { kind: 'none' }
  | { kind: 'identity'; identity: IdentityKind }
  | { kind: 'emulator'; readyFile: string; automatic: boolean }
  | { kind: 'error'; message: string };

/**
 * What `keyVault.credential` asks for. `auto` (the default): VS Code accounts, plus the local emulator when
 * KEYVAULT_EMULATOR_READY_FILE is set (`npm start` sets it, so a newcomer sees populated vaults at once).
 */
export function planCredential(config: CredentialConfig, envReadyFile: string | undefined): CredentialPlan {
  const env = envReadyFile?.trim() || undefined;
  switch (config.credential) {
    case 'auto':
      return env ? { kind: 'emulator', readyFile: env, automatic: true } : { kind: 'none' };
    case 'microsoft':
      return { kind: 'none' };
    case 'emulator': {
      const file = config.emulatorReadyFile.trim() || env;
      return file
        ? { kind: 'emulator', readyFile: file, automatic: false }
        : { kind: 'error', message: 'keyVault.credential is "emulator" but no ready file is set: run "Key Vault: Use Local Emulator…".' };
    }
    default:
      return (IDENTITY_KINDS as readonly string[]).includes(config.credential) ? { kind: 'identity', identity: config.credential as IdentityKind } : { kind: 'none' };
  }
}

export interface ConfiguredSourceDeps {
  config: () => CredentialConfig;
  envReadyFile: () => string | undefined;
  /** The cloud for identity credentials: the same `microsoft-sovereign-cloud` setting VS Code's sign-in uses. */
  cloud: () => CloudDefinition;
  common: SessionCommon;
  loadIdentity?: () => Promise<IdentityModule>;
  loadReadyFile?: (file: string) => Promise<LoadedEmulator>;
}

/** The session of the credential chosen in settings: an @azure/identity credential, or the local emulator. */
export class ConfiguredCredentialSource implements SessionSource {
  readonly name = 'Configured credential';
  private current: { signature: string; session: CredentialSession } | undefined;

  constructor(private readonly deps: ConfiguredSourceDeps) {}

  plan(): CredentialPlan {
    return planCredential(this.deps.config(), this.deps.envReadyFile());
  }

  async load(): Promise<CredentialSession[]> {
    const plan = this.plan();
    if (plan.kind === 'none') return this.replace(undefined);
    if (plan.kind === 'error') {
      this.replace(undefined);
      throw new Error(plan.message);
    }
    const identity = await (this.deps.loadIdentity ?? loadIdentity)();
    if (plan.kind === 'identity') {
      const cloud = this.deps.cloud();
      const clientId = plan.identity === 'managedIdentity' ? this.deps.config().managedIdentityClientId : '';
      const signature = JSON.stringify(['identity', plan.identity, cloud.id, cloud.loginEndpoint, clientId]);
      if (this.current?.signature === signature) return [this.current.session];
      const session = new CredentialSession({
        id: `identity:${plan.identity}`,
        label: IDENTITY_LABELS[plan.identity],
        kind: 'identity',
        cloud,
        credential: createIdentityCredential(identity, plan.identity, cloud, { managedIdentityClientId: clientId }),
        settings: this.deps.common.settings,
        selectedSubscriptionIds: this.deps.common.selectedSubscriptionIds,
        ...(this.deps.common.log ? { log: this.deps.common.log } : {}),
      });
      return this.replace({ signature, session });
    }
    let loaded: LoadedEmulator;
    try {
      loaded = await (this.deps.loadReadyFile ?? loadReadyFile)(plan.readyFile);
    } catch (err) {
      this.replace(undefined);
      throw err;
    }
    const signature = JSON.stringify(['emulator', plan.readyFile, loaded.fingerprint]);
    if (this.current?.signature === signature) return [this.current.session];
    const httpClient = httpClientTrusting(loaded.ca);
    const { ready } = loaded;
    const session = new CredentialSession({
      id: 'emulator',
      label: 'Local emulator',
      kind: 'emulator',
      cloud: emulatorCloud(ready),
      credential: emulatorCredential(identity, ready, httpClient),
      settings: this.deps.common.settings,
      selectedSubscriptionIds: this.deps.common.selectedSubscriptionIds,
        ...(this.deps.common.log ? { log: this.deps.common.log } : {}),
      customEndpoints: emulatorEndpoints(ready, loaded.ca),
      knownContainers: [...ready.vaults.map((v) => ({ kind: 'vault' as const, ...v })), ...ready.managedHsms.map((h) => ({ kind: 'hsm' as const, ...h }))],
      armHttpClient: httpClient,
    });
    return this.replace({ signature, session });
  }

  private replace(next: { signature: string; session: CredentialSession } | undefined): CredentialSession[] {
    if (this.current && this.current.session !== next?.session) this.current.session.dispose();
    this.current = next;
    return next ? [next.session] : [];
  }

  dispose(): void {
    this.replace(undefined);
  }
}
