// Only types come from 'vscode' so that this module runs (and is unit-tested) in plain Node with a fake workspace.
import type { ConfigurationChangeEvent, Disposable, WorkspaceConfiguration } from 'vscode';

/** The configuration section declared in package.json `contributes.configuration`. */
export const SETTINGS_SECTION = 'keyVault';

export interface KeyVaultSettings {
  /** `api-version` sent with every Key Vault request. */
  readonly apiVersion: string;
  /** `maxresults` for list calls; the service allows 1 to 25. */
  readonly pageSize: number;
  /** Seconds after a copy before the clipboard is cleared (if it still holds the value); 0 never clears. */
  readonly clipboardClearAfterSeconds: number;
  /** Send PATCH and DELETE as POST with `X-HTTP-METHOD`, for proxies that drop those verbs. */
  readonly useMethodOverride: boolean;
  /** Objects expiring within this many days are decorated and reported by the expiry watch. */
  readonly expiryWarningDays: number;
  /** On refresh, notify about loaded objects that expire within `expiryWarningDays`. */
  readonly expiryWatch: boolean;
  /** Group discovered vaults by subscription (else one flat list per account). */
  readonly groupBySubscription: boolean;
  /** Seconds before a request with no answer fails with a timeout. */
  readonly requestTimeoutSeconds: number;
  /** Seconds a value shown in the Reveal panel stays before it is hidden again; 0 keeps it until Hide. */
  readonly revealAutoHideSeconds: number;
  /**
   * Which credential adds a session besides VS Code's Microsoft accounts: `auto` (the local emulator when
   * KEYVAULT_EMULATOR_READY_FILE is set), `microsoft` (accounts only), an @azure/identity credential, or `emulator`.
   */
  readonly credential: CredentialSetting;
  /** The local emulator's ready file for `credential: emulator` (else KEYVAULT_EMULATOR_READY_FILE). */
  readonly emulatorReadyFile: string;
  /** Client id of a user-assigned managed identity; empty = system-assigned. */
  readonly managedIdentityClientId: string;
  /** `{tenantId}/{subscriptionId}` entries shown in the tree; empty = `azureResourceGroups.selectedSubscriptions`, else all. */
  readonly selectedSubscriptions: readonly string[];
  /** Requests in flight at once for bulk reads (key details under a listing, discovery per subscription); halves on 429. */
  readonly bulkConcurrency: number;
}

export const CREDENTIAL_SETTINGS = ['auto', 'microsoft', 'azureCli', 'azureDeveloperCli', 'environment', 'managedIdentity', 'emulator'] as const;
export type CredentialSetting = (typeof CREDENTIAL_SETTINGS)[number];

/** Must equal the defaults in package.json; test/unit/settings.test.ts checks that they do. */
export const DEFAULT_SETTINGS: KeyVaultSettings = {
  apiVersion: '2025-07-01',
  pageSize: 25,
  clipboardClearAfterSeconds: 30,
  useMethodOverride: false,
  expiryWarningDays: 30,
  expiryWatch: true,
  groupBySubscription: false,
  requestTimeoutSeconds: 30,
  revealAutoHideSeconds: 30,
  credential: 'auto',
  emulatorReadyFile: '',
  managedIdentityClientId: '',
  selectedSubscriptions: [],
  bulkConcurrency: 6,
};

/** Setting keys (relative to `keyVault.`) for each field, so a change event can say which fields changed. */
export const SETTING_KEYS: { readonly [K in keyof KeyVaultSettings]: string } = {
  apiVersion: 'apiVersion',
  pageSize: 'pageSize',
  clipboardClearAfterSeconds: 'clipboard.clearAfterSeconds',
  useMethodOverride: 'useMethodOverride',
  expiryWarningDays: 'expiry.warningDays',
  expiryWatch: 'expiry.notify',
  groupBySubscription: 'tree.groupBySubscription',
  requestTimeoutSeconds: 'requestTimeoutSeconds',
  revealAutoHideSeconds: 'reveal.autoHideSeconds',
  credential: 'credential',
  emulatorReadyFile: 'emulator.readyFile',
  managedIdentityClientId: 'managedIdentity.clientId',
  selectedSubscriptions: 'selectedSubscriptions',
  bulkConcurrency: 'bulk.concurrency',
};

/** Date versions (2025-07-01, 2016-10-01-preview) and the older numeric ones (7.5, 7.6-preview.1). */
const API_VERSION = /^(\d{4}-\d{2}-\d{2}|\d+\.\d+)(-preview(\.\d+)?)?$/;

const booleanOr = (value: unknown, fallback: boolean): boolean => (typeof value === 'boolean' ? value : fallback);

const stringOr = (value: unknown, fallback: string): string => (typeof value === 'string' ? value.trim() : fallback);

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** A list of non-empty strings; anything else in it is dropped. */
function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()) : [];
}

function integerIn(value: unknown, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

/**
 * Turns raw values into typed settings. A value of the wrong type or out of range falls back to the default:
 * settings.json is hand-edited and VS Code does not enforce the schema, so a typo must not break every request.
 */
export function parseSettings(read: (key: string) => unknown): KeyVaultSettings {
  const apiVersion = read(SETTING_KEYS.apiVersion);
  const useMethodOverride = read(SETTING_KEYS.useMethodOverride);
  return {
    apiVersion:
      typeof apiVersion === 'string' && API_VERSION.test(apiVersion.trim()) ? apiVersion.trim() : DEFAULT_SETTINGS.apiVersion,
    pageSize: integerIn(read(SETTING_KEYS.pageSize), 1, 25) ?? DEFAULT_SETTINGS.pageSize,
    clipboardClearAfterSeconds:
      integerIn(read(SETTING_KEYS.clipboardClearAfterSeconds), 0, 86_400) ?? DEFAULT_SETTINGS.clipboardClearAfterSeconds,
    useMethodOverride: typeof useMethodOverride === 'boolean' ? useMethodOverride : DEFAULT_SETTINGS.useMethodOverride,
    expiryWarningDays: integerIn(read(SETTING_KEYS.expiryWarningDays), 0, 3650) ?? DEFAULT_SETTINGS.expiryWarningDays,
    expiryWatch: booleanOr(read(SETTING_KEYS.expiryWatch), DEFAULT_SETTINGS.expiryWatch),
    groupBySubscription: booleanOr(read(SETTING_KEYS.groupBySubscription), DEFAULT_SETTINGS.groupBySubscription),
    requestTimeoutSeconds: integerIn(read(SETTING_KEYS.requestTimeoutSeconds), 1, 600) ?? DEFAULT_SETTINGS.requestTimeoutSeconds,
    revealAutoHideSeconds: integerIn(read(SETTING_KEYS.revealAutoHideSeconds), 0, 3600) ?? DEFAULT_SETTINGS.revealAutoHideSeconds,
    credential: oneOf(read(SETTING_KEYS.credential), CREDENTIAL_SETTINGS) ?? DEFAULT_SETTINGS.credential,
    emulatorReadyFile: stringOr(read(SETTING_KEYS.emulatorReadyFile), DEFAULT_SETTINGS.emulatorReadyFile),
    managedIdentityClientId: stringOr(read(SETTING_KEYS.managedIdentityClientId), DEFAULT_SETTINGS.managedIdentityClientId),
    selectedSubscriptions: stringList(read(SETTING_KEYS.selectedSubscriptions)),
    bulkConcurrency: integerIn(read(SETTING_KEYS.bulkConcurrency), 1, 32) ?? DEFAULT_SETTINGS.bulkConcurrency,
  };
}

/** The slice of `vscode.workspace` this module needs; tests pass an in-memory fake. */
export interface ConfigurationSource {
  getConfiguration(section: string): Pick<WorkspaceConfiguration, 'get'>;
  onDidChangeConfiguration(listener: (e: ConfigurationChangeEvent) => unknown): Disposable;
}

export interface SettingsChange {
  readonly settings: KeyVaultSettings;
  readonly changed: ReadonlyArray<keyof KeyVaultSettings>;
}

/** The one typed accessor for `keyVault.*` settings. Reads are live: callers never cache a stale copy. */
export class Settings {
  constructor(private readonly source: ConfigurationSource) {}

  get current(): KeyVaultSettings {
    const config = this.source.getConfiguration(SETTINGS_SECTION);
    return parseSettings((key) => config.get<unknown>(key));
  }

  /** Fires only for changes inside `keyVault.*`, with the fields that changed. Dispose the result. */
  onDidChange(listener: (change: SettingsChange) => void): Disposable {
    return this.source.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SETTINGS_SECTION)) return;
      const changed = (Object.keys(SETTING_KEYS) as Array<keyof KeyVaultSettings>).filter((field) =>
        e.affectsConfiguration(`${SETTINGS_SECTION}.${SETTING_KEYS[field]}`),
      );
      listener({ settings: this.current, changed });
    });
  }
}
