// A directory lock between processes: several engineers (and their `npm test` runs) share one working tree and one
// cache, and two code-server tiers or two code-server installs at once would trample each other's files.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function holderOf(lock: string): number {
  try {
    return Number(readFileSync(path.join(lock, 'pid'), 'utf8'));
  } catch {
    return 0;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs fn holding `lock` (a directory); waits while a live process holds it, takes over from a dead one. */
export async function withLock<T>(lock: string, what: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let said = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      const holder = holderOf(lock);
      // No pid yet may mean the holder is between mkdir and writeFile: give it a moment before calling it stale.
      if (holder ? !alive(holder) : Date.now() - deadline + timeoutMs > 5000) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${what}: ${lock} has been held by pid ${holder} for too long`);
      if (!said) console.log(`[${what}] waiting for pid ${holder}, which holds ${lock}`);
      said = true;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    if (holderOf(lock) === process.pid) rmSync(lock, { recursive: true, force: true });
  }
}
