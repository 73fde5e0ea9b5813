// Pure: the clipboard, the clock and the countdown display are injected, so the guard is unit-tested in plain Node.
import { createHash } from 'node:crypto';

export interface ClipboardLike {
  readText(): PromiseLike<string>;
  writeText(text: string): PromiseLike<void>;
}

/** Where the countdown shows (the status bar in VS Code). Never given the value, only what was copied. */
export interface CountdownView {
  show(secondsLeft: number, what: string): void;
  hide(): void;
}

export interface Clock {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

export type ClearOutcome = 'cleared' | 'not-ours' | 'nothing-pending' | 'unreadable';

export interface CopyResult {
  /** Seconds until the clipboard is cleared; 0 when it never is. */
  clearsInSeconds: number;
}

interface Pending {
  digest: string;
  what: string;
  deadline: number;
  timer: unknown;
}

/** Only a digest of the copied value is kept, never the value: a heap dump or a debugger shows nothing to steal. */
const digestOf = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Copies secret values and clears them again after a delay, but only if the clipboard still holds what we put there:
 * whatever the user copied since is theirs and stays. One pending clear at a time; a new copy replaces it.
 */
export class ClipboardGuard {
  private pending: Pending | undefined;
  private readonly listeners = new Set<(outcome: ClearOutcome, what: string) => void>();

  constructor(
    private readonly clipboard: ClipboardLike,
    private readonly view: CountdownView,
    private readonly clearAfterSeconds: () => number,
    private readonly clock: Clock = systemClock,
  ) {}

  /** `what` describes the value for the countdown ("secret db-password"); it must never be the value. */
  async copySecret(value: string, what: string): Promise<CopyResult> {
    this.cancel();
    await this.clipboard.writeText(value);
    const seconds = this.clearAfterSeconds();
    if (seconds <= 0) return { clearsInSeconds: 0 };
    const deadline = this.clock.now() + seconds * 1000;
    const timer = this.clock.setInterval(() => void this.tick(), 1000);
    this.pending = { digest: digestOf(value), what, deadline, timer };
    this.view.show(seconds, what);
    return { clearsInSeconds: seconds };
  }

  /** Copies text that is not secret (an identifier, a reference). The value we copied before is no longer there. */
  async copyText(text: string): Promise<void> {
    this.cancel();
    await this.clipboard.writeText(text);
  }

  get hasPending(): boolean {
    return this.pending !== undefined;
  }

  /** Fires after every clear attempt (tests and the log use it; the value is never passed). */
  onDidClear(listener: (outcome: ClearOutcome, what: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Clears now if the clipboard still holds our value (the status-bar item's command, and deactivation). */
  async clearNow(): Promise<ClearOutcome> {
    const pending = this.pending;
    if (!pending) return 'nothing-pending';
    this.cancel();
    let outcome: ClearOutcome;
    try {
      const current = await this.clipboard.readText();
      if (digestOf(current) === pending.digest) {
        await this.clipboard.writeText('');
        outcome = 'cleared';
      } else {
        outcome = 'not-ours';
      }
    } catch {
      // We cannot tell whose content it is: leave it rather than wipe what the user copied.
      outcome = 'unreadable';
    }
    for (const l of this.listeners) l(outcome, pending.what);
    return outcome;
  }

  private async tick(): Promise<void> {
    const pending = this.pending;
    if (!pending) return;
    const left = (pending.deadline - this.clock.now()) / 1000;
    if (left > 0) {
      this.view.show(left, pending.what);
      return;
    }
    await this.clearNow();
  }

  /** Forgets the pending clear without touching the clipboard. */
  private cancel(): void {
    if (!this.pending) return;
    this.clock.clearInterval(this.pending.timer);
    this.pending = undefined;
    this.view.hide();
  }

  /** On deactivate: clear what is still ours. */
  async dispose(): Promise<void> {
    await this.clearNow();
    this.listeners.clear();
  }
}

/** The status-bar countdown text: `29s`, `1m 05s`. */
export function countdownText(secondsLeft: number): string {
  const s = Math.max(0, Math.ceil(secondsLeft));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return `${m}m ${String(s % 60).padStart(2, '0')}s`;
}
