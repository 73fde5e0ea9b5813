import type { CloudDefinition } from '../azure/clouds';
import { Emitter } from './emitter';
import type { PinnedStore } from './pinnedStore';
import type { CredentialSession } from './session';
import type { SessionSource } from './sources';
import type { AccountsModel, PinnedContainer } from './types';

export type AccountsState = 'loading' | 'signedOut' | 'ready';

export interface AccountsLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface AccountsOptions {
  sources: readonly SessionSource[];
  pinned: PinnedStore;
  /** Reads a pinned custom endpoint's CA file (PEM). */
  readCa: (file: string) => Promise<string>;
  /** The cloud bare names expand into when no session says otherwise (VS Code's sign-in cloud). */
  defaultCloud: () => CloudDefinition;
  log?: AccountsLog;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The accounts model the tree consumes: sessions from every source in order (VS Code accounts first, then the
 * configured credential), pinned vaults from globalState, and which session reaches which URL.
 */
export class Accounts implements AccountsModel {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  private current: CredentialSession[] = [];
  private currentProblems: string[] = [];
  private stateValue: AccountsState = 'loading';
  private running: Promise<void> | undefined;
  private again = false;
  private readonly caCache = new Map<string, string>();
  private readonly disposables: { dispose(): unknown }[] = [];
  private firstLoad: Promise<void> | undefined;

  /** When the model was made (in activate()): the first load's log lines say how long after it sessions were ready. */
  private readonly createdAt = performance.now();

  constructor(private readonly options: AccountsOptions) {
    for (const source of options.sources) {
      if (source.onDidChange) this.disposables.push(source.onDidChange(() => void this.refresh()));
    }
  }

  get state(): AccountsState {
    return this.stateValue;
  }

  sessions(): readonly CredentialSession[] {
    return this.current;
  }

  /** Why a source has no session (an unreadable ready file, no Microsoft sign-in in this VS Code…). */
  problems(): readonly string[] {
    return this.currentProblems;
  }

  pinned(): readonly PinnedContainer[] {
    return this.options.pinned.list();
  }

  /** Resolves once the first load of every source has finished. */
  whenLoaded(): Promise<void> {
    return (this.firstLoad ??= this.refresh());
  }

  /** The cloud a bare vault name expands into: the first session's, unless that is a custom cloud. */
  activeCloud(): CloudDefinition {
    return this.current.find((s) => s.cloud.id !== 'Custom')?.cloud ?? this.options.defaultCloud();
  }

  sessionFor(url: string): CredentialSession | undefined {
    const origin = originOf(url);
    if (!origin) return undefined;
    const pin = this.options.pinned.find(origin);
    const sessions = this.current;
    if (pin?.sessionId) {
      const chosen = sessions.find((s) => s.id === pin.sessionId);
      if (chosen) return this.withPinnedEndpoint(chosen, pin);
      // Tokens of another account never go to a custom endpoint the user paired with a signed-out one.
      if (pin.custom) return undefined;
    }
    const trusting = sessions.find((s) => s.trusts(origin));
    if (trusting) return trusting;
    if (pin?.custom && !pin.sessionId && sessions[0]) return this.withPinnedEndpoint(sessions[0], pin);
    return undefined;
  }

  private withPinnedEndpoint(session: CredentialSession, pin: PinnedContainer): CredentialSession | undefined {
    if (!pin.custom || session.trusts(pin.url)) return session;
    const ca = pin.custom.caFile ? this.caCache.get(pin.custom.caFile) : undefined;
    // A pin whose CA file could not be read stays out until it can (refresh() reports why).
    if (pin.custom.caFile && ca === undefined) return undefined;
    session.addCustomEndpoint({ origin: pin.url, ...(ca ? { ca } : {}) });
    return session;
  }

  async pin(pin: PinnedContainer): Promise<'added' | 'replaced'> {
    if (pin.custom?.caFile) await this.loadCa(pin.custom.caFile);
    const result = await this.options.pinned.add(pin);
    this.changed.fire();
    return result;
  }

  async unpin(url: string): Promise<boolean> {
    const removed = await this.options.pinned.remove(url);
    if (removed) this.changed.fire();
    return removed;
  }

  private async loadCa(file: string): Promise<string> {
    const cached = this.caCache.get(file);
    if (cached !== undefined) return cached;
    const pem = await this.options.readCa(file);
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`${file} holds no PEM certificate.`);
    this.caCache.set(file, pem);
    return pem;
  }

  invalidate(): void {
    for (const s of this.current) s.invalidate();
    // Sources may have changed underneath (an emulator restarted, an account signed in elsewhere).
    void this.refresh();
  }

  /** Reloads every source; fires onDidChange only when sessions, problems or state changed. Serialised. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.loadOnce();
      } while (this.again);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async loadOnce(): Promise<void> {
    const loads = this.options.sources.map((s) => s.load());
    let settled = false;
    const first = this.stateValue === 'loading';
    if (first) {
      // First load only: a quick source (the emulator, a CLI credential) shows its vaults without waiting for a slow
      // one (VS Code's Microsoft sign-in activates its own extension first: hundreds of ms). Checked a macrotask
      // later, so sources that answer together still make one change; later reloads wait for every source.
      const early: CredentialSession[][] = loads.map(() => []);
      loads.forEach((load, i) =>
        load.then(
          (sessions) => {
            early[i] = sessions;
            setTimeout(() => {
              const sessions = early.flat();
              if (settled || this.stateValue !== 'loading' || sessions.length === 0) return;
              this.current = sessions;
              this.stateValue = 'ready';
              this.options.log?.info(`Accounts: ${sessions.map((s) => `${s.label} (${s.cloud.displayName})`).join(', ')} (more loading), ${this.sinceStart()}`);
              this.changed.fire();
            }, 0);
          },
          () => undefined,
        ),
      );
    }
    const results = await Promise.allSettled(loads);
    settled = true;
    const sessions: CredentialSession[] = [];
    const problems: string[] = [];
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') sessions.push(...r.value);
      else problems.push(`${this.options.sources[i]!.name}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`);
    });
    for (const pin of this.options.pinned.list()) {
      if (pin.custom?.caFile) {
        await this.loadCa(pin.custom.caFile).catch((err: unknown) => problems.push(`${pin.name}: cannot read its CA file (${err instanceof Error ? err.message : String(err)}).`));
      }
    }
    const state: AccountsState = sessions.length > 0 ? 'ready' : 'signedOut';
    const same =
      state === this.stateValue &&
      sessions.length === this.current.length &&
      sessions.every((s, i) => s === this.current[i]) &&
      problems.join('\n') === this.currentProblems.join('\n');
    this.current = sessions;
    this.currentProblems = problems;
    this.stateValue = state;
    if (!same) {
      for (const p of problems) this.options.log?.warn(p);
      this.options.log?.info(`Accounts: ${sessions.length ? sessions.map((s) => `${s.label} (${s.cloud.displayName})`).join(', ') : 'none'}${first ? `, ${this.sinceStart()}` : ''}`);
      this.changed.fire();
    }
  }

  private sinceStart(): string {
    return `${(performance.now() - this.createdAt).toFixed(0)} ms after start`;
  }

  /** Fires onDidChange (e.g. the subscription selection changed: sessions are the same, the tree is not). */
  notify(): void {
    for (const s of this.current) s.invalidate();
    this.changed.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const s of this.options.sources) s.dispose?.();
    this.changed.dispose();
  }
}
