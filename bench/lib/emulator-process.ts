import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadyInfo } from '../../test/emulator/emulator';
import type { BenchContext } from './types';

export interface EmulatorProcess {
  ready: ReadyInfo;
  /** The ready file it wrote (what the extension reads through KEYVAULT_EMULATOR_READY_FILE). */
  readyFile: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Emulators still running: a benchmark that throws or a runner that exits early must not leave them behind. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts the emulator CLI in its own process, so that a benchmark's client and the server do not share one event loop,
 * and waits for its ready file. Not detached: a new session gets its own scheduler group (Linux autogroup), and on a
 * busy machine that cut the measured throughput by half or more, as client and server no longer shared one group.
 */
export async function startEmulatorProcess(ctx: BenchContext, args: string[] = ['--seed', 'empty']): Promise<EmulatorProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'kv-bench-emulator-'));
  const readyFile = join(dir, 'ready.json');
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/emulator/cli.ts', '--ready-file', readyFile, ...args], {
    cwd: ctx.repoRoot,
    env: { ...process.env, KEYVAULT_EMULATOR_CA_DIR: ctx.caDir },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) =>
    child.once('exit', () => {
      running.delete(child);
      r();
    }),
  );
  const deadline = Date.now() + 60_000;
  while (!existsSync(readyFile)) {
    if (child.exitCode !== null) throw new Error(`the emulator exited with ${child.exitCode}: ${stderr.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the emulator wrote no ready file within 60 s');
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const ready = JSON.parse(readFileSync(readyFile, 'utf8')) as ReadyInfo;
  return {
    ready,
    readyFile,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
