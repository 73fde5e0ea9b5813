// Installs .vsix files into a code-server profile and runs code-server on a free loopback port.
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { runProcess, startProcess, type ManagedProcess } from './processes';
import type { Provisioned } from './provision';

export interface Profile {
  readonly userDataDir: string;
  readonly extensionsDir: string;
}

/** User settings that keep the workbench quiet and stable for tests and screenshots. */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
};

export function writeUserSettings(profile: Profile, settings: Record<string, unknown>): void {
  const dir = path.join(profile.userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

/** `--install-extension` (copying a folder is not enough: code-server also records it in extensions.json). */
export async function installExtension(provisioned: Provisioned, profile: Profile, vsix: string, logFile: string): Promise<void> {
  await runProcess(
    `install ${path.basename(vsix)}`,
    provisioned.node,
    [
      provisioned.codeServerEntry,
      '--user-data-dir',
      profile.userDataDir,
      '--extensions-dir',
      profile.extensionsDir,
      '--install-extension',
      vsix,
      '--force',
    ],
    { env: provisioned.env, logFile, timeoutMs: 120_000 },
  );
}

/** A port nobody listens on right now (there is a small race until code-server binds it). */
export function freePort(preferred?: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
      });
    });
  return preferred === undefined ? tryPort(0) : tryPort(preferred).catch(() => tryPort(0));
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

export interface CodeServer {
  readonly port: number;
  readonly process: ManagedProcess;
  /** The workbench URL with `folder` opened. */
  url(folder: string): string;
  stop(): Promise<void>;
}

export interface StartCodeServerOptions {
  readonly profile: Profile;
  /** Folder code-server opens by default. */
  readonly folder: string;
  /** Added to code-server's environment; the extension host inherits it (e.g. NODE_EXTRA_CA_CERTS). */
  readonly env?: Readonly<Record<string, string>>;
  readonly logFile: string;
  readonly port?: number;
  readonly startTimeoutMs?: number;
}

export async function startCodeServer(provisioned: Provisioned, options: StartCodeServerOptions): Promise<CodeServer> {
  const port = await freePort(options.port);
  const proc = startProcess(
    'code-server',
    provisioned.node,
    [
      provisioned.codeServerEntry,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--user-data-dir',
      options.profile.userDataDir,
      '--extensions-dir',
      options.profile.extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      options.folder,
    ],
    { env: { ...provisioned.env, ...options.env }, logFile: options.logFile },
  );
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  while (!(await healthy(port))) {
    if (proc.hasExited()) throw new Error(`code-server exited during startup; see ${options.logFile}`);
    if (Date.now() > deadline) {
      await proc.stop();
      throw new Error(`code-server did not answer on port ${port} in time; see ${options.logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    port,
    process: proc,
    url: (folder) => `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`,
    stop: () => proc.stop(),
  };
}
