// Child processes for the harness: each runs in its own process group so that stopping it also stops whatever it
// spawned (code-server's extension host, npm's node-gyp, ...), and every group still running is stopped when this
// process exits, fails, or gets Ctrl+C.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** Resolves with the exit code (null when killed by a signal) once the leader exits. */
  readonly exited: Promise<number | null>;
  readonly hasExited: () => boolean;
  /** SIGTERM to the whole group, SIGKILL after graceMs. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Append stdout and stderr here. */
  logFile?: string;
  /** Also copy output to this process's stdout, each line prefixed with `[name] `. */
  echo?: boolean;
}

const running = new Set<ManagedProcess>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function openLog(file: string | undefined): WriteStream | undefined {
  if (!file) return undefined;
  mkdirSync(path.dirname(file), { recursive: true });
  return createWriteStream(file, { flags: 'a' });
}

function pipeOutput(child: ChildProcess, name: string, log: WriteStream | undefined, echo: boolean): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      log?.write(chunk);
      if (!echo) return;
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(`[${name}] ${line}\n`);
    });
    stream.on('end', () => {
      if (echo && pending) process.stdout.write(`[${name}] ${pending}\n`);
    });
  }
}

/** Starts a long-running process in its own group. The caller stops it; exit handlers stop it too. */
export function startProcess(name: string, command: string, args: readonly string[], options: StartOptions = {}): ManagedProcess {
  const log = openLog(options.logFile);
  log?.write(`\n$ ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) {
    child.on('error', () => undefined); // reported by the throw below instead
    log?.end();
    throw new Error(`${name}: could not start ${command} (is it installed and on PATH?)`);
  }
  const pid = child.pid;
  const echo = options.echo ?? false;
  pipeOutput(child, name, log, echo);
  let done = false;
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (err) => {
      // A command that cannot be spawned (ENOENT) never emits 'exit'.
      log?.write(`${name}: ${err.message}\n`);
      if (echo) process.stdout.write(`[${name}] ${err.message}\n`);
      done = true;
      resolve(127);
    });
    child.on('exit', (code) => {
      done = true;
      resolve(code);
    });
  });
  const managed: ManagedProcess = {
    name,
    pid,
    exited,
    hasExited: () => done,
    async stop(graceMs = 5000) {
      killGroup(pid, 'SIGTERM');
      const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
      await Promise.race([exited, timer]);
      // Even when the leader exited, children left in the group (an extension host) must go too.
      killGroup(pid, 'SIGKILL');
      running.delete(managed);
      log?.end();
    },
  };
  running.add(managed);
  void exited.then(() => running.delete(managed));
  return managed;
}

export interface RunOptions extends StartOptions {
  /** The command fails (and its group is killed) after this long. */
  timeoutMs: number;
}

/** Runs a command to completion; rejects on non-zero exit or timeout, naming the log file to read. */
export async function runProcess(name: string, command: string, args: readonly string[], options: RunOptions): Promise<void> {
  const proc = startProcess(name, command, args, options);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
  });
  const result = await Promise.race([proc.exited, timedOut]);
  clearTimeout(timer);
  const where = options.logFile ? ` (see ${options.logFile})` : '';
  if (result === 'timeout') {
    await proc.stop(2000);
    throw new Error(`${name} timed out after ${Math.round(options.timeoutMs / 1000)} s${where}`);
  }
  await proc.stop(0);
  if (result !== 0) throw new Error(`${name} failed with exit code ${String(result)}${where}`);
}

/** Runs a short command synchronously and returns its stdout, or undefined when it fails. */
export function capture(command: string, args: readonly string[], env?: NodeJS.ProcessEnv, timeoutMs = 30_000): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8', env: env ?? process.env, timeout: timeoutMs });
  return result.status === 0 ? result.stdout : undefined;
}

/** Stops every process this module started that is still running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

let handlersInstalled = false;

/**
 * On SIGINT/SIGTERM run `cleanup` (bounded by a timeout), then stop everything and exit; on any exit kill the groups
 * still running, synchronously (an 'exit' handler cannot wait).
 */
export function installExitHandlers(cleanup: () => Promise<void> = async () => {}): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const onSignal = (signal: NodeJS.Signals) => {
    process.stdout.write(`\n${signal}: stopping ${running.size} process group(s)\n`);
    const bounded = Promise.race([cleanup(), new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref())]);
    void bounded
      .catch(() => undefined)
      .then(() => stopAll())
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.on('exit', () => {
    for (const p of running) killGroup(p.pid, 'SIGKILL');
  });
}
