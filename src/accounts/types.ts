import type * as vscode from 'vscode';
import type { ArmClient } from '../azure/arm';
import type { CloudDefinition } from '../azure/clouds';
import type { DiscoveryResult, Subscription } from '../azure/discovery';
import type { KeyVaultService } from '../keyvault/service';

/**
 * One way in: a credential (a VS Code Microsoft account, an @azure/identity credential chosen in settings, or the
 * local emulator) in one cloud, with the Key Vault service built on it. The tree shows one root per session when
 * there are several, and skips that level when there is one.
 */
export interface AccountSession {
  /** Stable: `microsoft:<accountId>`, `identity:azureCli`, `emulator`… */
  readonly id: string;
  /** What the user recognises: the account name, "Azure CLI", "Local emulator". */
  readonly label: string;
  readonly cloud: CloudDefinition;
  /** Key Vault data plane through this credential (tokens for the tenant named in each vault's challenge). */
  readonly service: KeyVaultService;
  /** Resource Manager through this credential, when it can reach ARM at all. */
  readonly arm?: ArmClient;
  listSubscriptions(abortSignal?: AbortSignal): Promise<Subscription[]>;
  /** Vaults and HSMs in the given subscriptions (Resource Graph, else ARM per subscription); cached until refresh. */
  discover(subscriptionIds: readonly string[], options?: { abortSignal?: AbortSignal; refresh?: boolean }): Promise<DiscoveryResult>;
  /** Subscriptions the user selected (the Azure extensions' `azureResourceGroups.selectedSubscriptions`); undefined = all. */
  selectedSubscriptionIds(): readonly string[] | undefined;
}

/** A vault or HSM added by URL; persisted in globalState (never a secret there). */
export interface PinnedContainer {
  kind: 'vault' | 'hsm';
  name: string;
  /** Origin, e.g. https://contoso.vault.azure.net or a custom https endpoint. */
  url: string;
  /** The session it is reached through (defaults to the first session of its cloud). */
  sessionId?: string;
  /** Custom endpoints only: confirmed by the user, optional CA file path. */
  custom?: { caFile?: string };
}

export interface AccountsModel extends vscode.Disposable {
  readonly onDidChange: vscode.Event<void>;
  /** Signed-in / configured sessions, in display order. Empty → the welcome view shows. */
  sessions(): readonly AccountSession[];
  /** Pinned (added by URL) vaults and HSMs. */
  pinned(): readonly PinnedContainer[];
  /** The session a container URL should use: its pinned session, else the first whose cloud or custom endpoints know it. */
  sessionFor(url: string): AccountSession | undefined;
  /** Drops cached subscriptions and discovery results (a full tree refresh calls it). */
  invalidate(): void;
}
