import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import type { ReadyInfo } from '../emulator/emulator';
import { sdkOptions } from '../support/emulator';

// The emulator as `npm run emulator` runs it: a separate process started with `npx tsx test/emulator/cli.ts`,
// announced by an atomically written ready file, stopped by SIGTERM.

const BOUND = { timeout: 60_000 };
const repoRoot = resolve(__dirname, '../..');

interface Spawned {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns the CLI through npx in its own process group, so a failed test can still stop every process of it. */
function spawnCli(args: string[]): Spawned {
  const child = spawn('npx', ['tsx', 'test/emulator/cli.ts', ...args], { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  return { child, output: () => output, exited };
}

function stopGroup(s: Spawned | undefined): void {
  if (s?.child.pid && s.child.exitCode === null && s.child.signalCode === null) {
    try {
      process.kill(-s.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Polls for the ready file and parses it the moment it appears: written atomically (write + rename), it is never partial. */
async function waitForReadyFile(file: string, s: Spawned): Promise<ReadyInfo> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    if (existsSync(file)) {
      return JSON.parse(readFileSync(file, 'utf8')) as ReadyInfo;
    }
    if (s.child.exitCode !== null) throw new Error(`the emulator exited with ${s.child.exitCode}: ${s.output()}`);
    if (Date.now() > deadline) throw new Error(`no ready file within 45 s: ${s.output()}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function trustedBy(url: string, ca: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolvePromise, reject) => {
    const socket = connect({ host: hostname, port: Number(port), ca }, () => {
      socket.end();
      resolvePromise(socket.authorized);
    });
    socket.on('error', reject);
  });
}

let dir: string;
let demo: Spawned | undefined;
let readyFile: string;
let ready: ReadyInfo;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kv-emulator-cli-'));
  readyFile = join(dir, 'ready', 'emulator.json');
  demo = spawnCli(['--ready-file', readyFile, '--seed', 'demo']);
  ready = await waitForReadyFile(readyFile, demo);
});

after(() => {
  stopGroup(demo);
  rmSync(dir, { recursive: true, force: true });
});

describe('cli: ready file', () => {
  it('writes the ready file atomically with no temporary file left beside it', BOUND, () => {
    assert.deepEqual(
      readdirSync(join(dir, 'ready')).filter((f) => f !== 'emulator.json'),
      [],
      'only the ready file (and no .tmp) is in its folder',
    );
    assert.doesNotThrow(() => JSON.parse(readFileSync(readyFile, 'utf8')));
  });

  it('holds every required field with the right type, at least two vaults and one managed HSM', BOUND, () => {
    for (const field of ['tenantId', 'clientId', 'clientSecret', 'authorityHost', 'caCertFile', 'armEndpoint', 'subscriptionId'] as const) {
      assert.equal(typeof ready[field], 'string', field);
      assert.ok(ready[field].length > 0, field);
    }
    for (const url of [ready.authorityHost, ready.armEndpoint]) assert.match(url, /^https:\/\/[^/]+:\d+$/);
    assert.ok(Array.isArray(ready.vaults) && ready.vaults.length >= 2, 'at least two vaults');
    assert.ok(Array.isArray(ready.managedHsms) && ready.managedHsms.length >= 1, 'at least one managed HSM');
    for (const c of [...ready.vaults, ...ready.managedHsms]) {
      assert.equal(typeof c.name, 'string');
      assert.match(c.url, /^https:\/\/[^/]+:\d+$/);
    }
    assert.equal(new Set([...ready.vaults, ...ready.managedHsms].map((c) => c.url)).size, ready.vaults.length + ready.managedHsms.length, 'one origin each');
    assert.ok(existsSync(ready.caCertFile), 'the CA file exists');
    assert.equal(ready.pid > 0, true);
  });

  it('names a CA file that every origin chains to', BOUND, async () => {
    const ca = readFileSync(ready.caCertFile, 'utf8');
    assert.match(ca, /-----BEGIN CERTIFICATE-----/);
    for (const url of [ready.authorityHost, ready.armEndpoint, ...ready.vaults.map((v) => v.url), ...ready.managedHsms.map((h) => h.url)]) {
      assert.equal(await trustedBy(url, ca), true, `${url} is trusted by caCertFile`);
    }
  });

  it('gives credentials that the official SDK can use to read the demo secrets', BOUND, async () => {
    const credential = new ClientSecretCredential(ready.tenantId, ready.clientId, ready.clientSecret, { authorityHost: ready.authorityHost, disableInstanceDiscovery: true });
    const vault = ready.vaults.find((v) => v.name === 'kv-demo') ?? ready.vaults[0]!;
    const client = new SecretClient(vault.url, credential, sdkOptions);
    const names: string[] = [];
    for await (const p of client.listPropertiesOfSecrets()) names.push(p.name);
    assert.ok(names.length > 0, 'the demo seed has secrets');
    const enabled = [];
    for await (const p of client.listPropertiesOfSecrets()) if (p.enabled && !p.notBefore) enabled.push(p.name);
    assert.ok((await client.getSecret(enabled[0]!)).value !== undefined);
  });
});

// Each case is its own process; running them side by side keeps the file short.
describe('cli: flags', { concurrency: true }, () => {
  for (const [args, pattern] of [
    [['--no-such-flag'], /Unknown option '--no-such-flag'/],
    [['--seed', 'nonsense'], /--seed must be demo or empty/],
    [['--latency-ms', 'slow'], /--latency-ms must be a non-negative number/],
    [['--token-lifetime', '-5'], /token-lifetime/],
    [['--token-lifetime', '0'], /--token-lifetime must be a positive number/],
    [['--base-port', '70000'], /--base-port must be a port number/],
  ] as const) {
    it(`exits with code 1 and a clear message for ${args.join(' ')}`, BOUND, async () => {
      const s = spawnCli([...args, '--ready-file', join(dir, `bad-${args[0]}.json`)]);
      try {
        const { code } = await s.exited;
        assert.equal(code, 1, s.output());
        assert.match(s.output(), pattern);
        assert.ok(!existsSync(join(dir, `bad-${args[0]}.json`)), 'no ready file for a failed start');
      } finally {
        stopGroup(s);
      }
    });
  }

  it('prints its usage for --help and exits with code 0', BOUND, async () => {
    const s = spawnCli(['--help']);
    try {
      const { code } = await s.exited;
      assert.equal(code, 0);
      assert.match(s.output(), /Usage: npm run emulator -- .*--ready-file/);
    } finally {
      stopGroup(s);
    }
  });

  it('adds --latency-ms to every request', BOUND, async () => {
    const file = join(dir, 'latency.json');
    const s = spawnCli(['--ready-file', file, '--seed', 'empty', '--latency-ms', '300']);
    try {
      const r = await waitForReadyFile(file, s);
      const vault = r.vaults[0]!.url;
      const start = performance.now();
      const res = await fetch(`${vault}/secrets?api-version=7.5`);
      const ms = performance.now() - start;
      assert.equal(res.status, 401, 'the challenge round trip');
      assert.ok(ms >= 300, `took ${ms.toFixed(0)} ms`);
    } finally {
      stopGroup(s);
    }
  });

  it('issues tokens with the --token-lifetime it was given', BOUND, async () => {
    const file = join(dir, 'lifetime.json');
    const s = spawnCli(['--ready-file', file, '--seed', 'empty', '--token-lifetime', '120']);
    try {
      const r = await waitForReadyFile(file, s);
      const credential = new ClientSecretCredential(r.tenantId, r.clientId, r.clientSecret, { authorityHost: r.authorityHost, disableInstanceDiscovery: true });
      const token = await credential.getToken(`${r.vaults[0]!.url}/.default`);
      const lifetime = (token.expiresOnTimestamp - Date.now()) / 1000;
      assert.ok(lifetime > 100 && lifetime <= 121, `lifetime ${lifetime.toFixed(0)} s`);
    } finally {
      stopGroup(s);
    }
  });
});

describe('cli: stopping', () => {
  it('stops on SIGTERM with exit code 0 and closes its ports', BOUND, async () => {
    assert.ok(demo, 'the demo emulator is running');
    const vault = ready.vaults[0]!.url;
    assert.equal((await fetch(`${vault}/secrets?api-version=7.5`)).status, 401, 'it answers before SIGTERM');
    // Signal the emulator itself (its pid is in the ready file): npm exec does not forward SIGTERM to it.
    process.kill(ready.pid, 'SIGTERM');
    const { code, signal } = await demo.exited;
    assert.equal(signal, null);
    assert.equal(code, 0, demo.output());
    await assert.rejects(fetch(`${vault}/secrets?api-version=7.5`), 'nothing listens any more');
    demo = undefined;
  });
});
