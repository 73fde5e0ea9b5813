// The emulator the code-server tier started, for UI tests that run in the tier's own process (the final hygiene
// scan reads what every suite sent and received through it). On globalThis under a registered symbol, so the UI test
// modules (loaded later, through tsx) see the same one whatever module instance they get.
import type { Emulator } from '../../emulator/emulator';

const KEY = Symbol.for('keyVault.test.tierEmulator');

export function setTierEmulator(emulator: Emulator | undefined): void {
  (globalThis as Record<symbol, unknown>)[KEY] = emulator;
}

export function tierEmulator(): Emulator | undefined {
  return (globalThis as Record<symbol, unknown>)[KEY] as Emulator | undefined;
}
