import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SecretClient } from '@azure/keyvault-secrets';
import type { Emulator, ReadyInfo } from '../emulator/emulator';
import { containerUrl, credentialFor, sdkOptions, startTestEmulator } from '../support/emulator';

// `--state FILE`: everything a client can observe survives a restart (origins, CA, content, tokens, backups),
// and the file is never seen half-written, even by another process or after kill -9.

const BOUND = { timeout: 60_000 };
const repoRoot = resolve(__dirname, '../..');
const poll = { intervalInMs: 10 };

let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kv-emulator-state-'));
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

const tmpLeftovers = (folder: string): string[] => readdirSync(folder).filter((f) => f.endsWith('.tmp'));

async function restError(fn: () => Promise<unknown>): Promise<{ statusCode?: number; code?: string }> {
  try {
    await fn();
  } catch (err) {
    return err as { statusCode?: number; code?: string };
  }
  assert.fail('the call succeeded but should have failed');
}

/** The SHA-256 fingerprint of the certificate a server presents, checked against the given CA. */
function serverCertificate(url: string, ca: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolvePromise, reject) => {
    const socket = connect({ host: hostname, port: Number(port), ca, servername: undefined }, () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.end();
      if (!socket.authorized) reject(new Error(`not trusted by that CA: ${String(socket.authorizationError)}`));
      else resolvePromise(fingerprint);
    });
    socket.on('error', reject);
  });
}

describe('state: restart from the state file', () => {
  it('keeps origins, CA, versions, tags, deleted secrets, issued tokens and backups across a restart', BOUND, async () => {
    const stateFile = join(dir, 'restart', 'state.json');
    let first: Emulator | undefined = await startTestEmulator({ seed: 'empty', stateFile });
    let second: Emulator | undefined;
    try {
      const url = containerUrl(first.ready, 'kv-demo');
      const client = new SecretClient(url, credentialFor(first.ready), sdkOptions);
      const v1 = await client.setSecret('kept', 'one', { tags: { gen: '1' }, contentType: 'text/plain' });
      const v2 = await client.setSecret('kept', 'two', { tags: { gen: '2' } });
      await client.setSecret('gone', 'deleted value', { tags: { state: 'deleted' } });
      await (await client.beginDeleteSecret('gone', poll)).pollUntilDone();
      await client.setSecret('backed-up', 'from the backup');
      const backup = (await client.backupSecret('backed-up'))!;
      const token = await credentialFor(first.ready).getToken(`${url}/.default`);
      const caBefore = readFileSync(first.ready.caCertFile, 'utf8');
      const certBefore = await serverCertificate(url, caBefore);
      const readyBefore = first.ready;
      await first.close();
      first = undefined;

      second = await startTestEmulator({ stateFile });
      const r = second.ready;
      assert.equal(r.authorityHost, readyBefore.authorityHost);
      assert.equal(r.armEndpoint, readyBefore.armEndpoint);
      assert.deepEqual(r.containers.map((c) => [c.name, c.url]), readyBefore.containers.map((c) => [c.name, c.url]));
      assert.equal(r.adminKey, readyBefore.adminKey);
      assert.deepEqual(r.identities, readyBefore.identities, 'same clients and secrets');
      assert.equal(readFileSync(r.caCertFile, 'utf8'), caBefore, 'same CA');
      assert.equal(await serverCertificate(url, caBefore), certBefore, 'same server certificate');

      // A token issued before the restart is still accepted: the signing key was persisted.
      const raw = await fetch(`${url}/secrets/kept?api-version=7.5`, { headers: { authorization: `Bearer ${token.token}` } });
      assert.equal(raw.status, 200);
      assert.equal(((await raw.json()) as { value: string }).value, 'two');

      // The same SDK client keeps working against the same origin.
      const latest = await client.getSecret('kept');
      assert.equal(latest.value, 'two');
      assert.deepEqual(latest.properties.tags, { gen: '2' });
      assert.equal(latest.properties.version, v2.properties.version);
      const old = await client.getSecret('kept', { version: v1.properties.version! });
      assert.equal(old.value, 'one');
      assert.equal(old.properties.contentType, 'text/plain');
      const versions = [];
      for await (const v of client.listPropertiesOfSecretVersions('kept')) versions.push(v.version);
      assert.deepEqual(new Set(versions), new Set([v1.properties.version, v2.properties.version]));

      const deleted = await client.getDeletedSecret('gone');
      assert.deepEqual(deleted.properties.tags, { state: 'deleted' });
      assert.equal((await restError(() => client.getSecret('gone'))).statusCode, 404);
      await (await client.beginRecoverDeletedSecret('gone', poll)).pollUntilDone();
      assert.equal((await client.getSecret('gone')).value, 'deleted value');

      // A backup made before the restart restores after it.
      await (await client.beginDeleteSecret('backed-up', poll)).pollUntilDone();
      await client.purgeDeletedSecret('backed-up');
      await client.restoreSecretBackup(backup);
      assert.equal((await client.getSecret('backed-up')).value, 'from the backup');
    } finally {
      await first?.close();
      await second?.close();
    }
  });

  it('keeps the CA it persisted even when started with another CA folder', BOUND, async () => {
    const stateFile = join(dir, 'ca', 'state.json');
    const caA = join(dir, 'ca', 'ca-a');
    const caB = join(dir, 'ca', 'ca-b');
    let emulator: Emulator | undefined = await startTestEmulator({ seed: 'empty', stateFile, caDir: caA });
    try {
      const pem = readFileSync(emulator.ready.caCertFile, 'utf8');
      const url = containerUrl(emulator.ready, 'kv-demo');
      const fingerprint = await serverCertificate(url, pem);
      await emulator.close();
      emulator = await startTestEmulator({ stateFile, caDir: caB });
      assert.equal(readFileSync(emulator.ready.caCertFile, 'utf8'), pem);
      assert.equal(await serverCertificate(url, pem), fingerprint);
      assert.ok(!existsSync(join(caB, 'ca.pem')), 'no new CA was made');
    } finally {
      await emulator?.close();
    }
  });
});

describe('state: backups across emulators in one process', () => {
  it('restores a backup made before a second emulator started in the same process', BOUND, async () => {
    const first = await startTestEmulator({ seed: 'empty' });
    let second: Emulator | undefined;
    try {
      const client = new SecretClient(containerUrl(first.ready, 'kv-demo'), credentialFor(first.ready), sdkOptions);
      await client.setSecret('portable', 'sealed before the second start');
      const backup = (await client.backupSecret('portable'))!;
      second = await startTestEmulator({ seed: 'empty' });
      await (await client.beginDeleteSecret('portable', poll)).pollUntilDone();
      await client.purgeDeletedSecret('portable');
      await client.restoreSecretBackup(backup);
      assert.equal((await client.getSecret('portable')).value, 'sealed before the second start');
      // And into the other emulator's vault, as Key Vault restores into another vault of the same subscription.
      const other = new SecretClient(containerUrl(second.ready, 'kv-demo'), credentialFor(second.ready), sdkOptions);
      await other.restoreSecretBackup(backup);
      assert.equal((await other.getSecret('portable')).value, 'sealed before the second start');
    } finally {
      await first.close();
      await second?.close();
    }
  });
});

describe('state: atomic writes', () => {
  it('leaves a parseable file holding each mutation, and no temporary file behind', BOUND, async () => {
    const folder = join(dir, 'atomic');
    const stateFile = join(folder, 'state.json');
    const emulator = await startTestEmulator({ seed: 'empty', stateFile });
    try {
      const client = new SecretClient(containerUrl(emulator.ready, 'kv-demo'), credentialFor(emulator.ready), sdkOptions);
      const read = (): { data: Record<string, { secrets: { live: Record<string, { versions: unknown[] }>; deleted: Record<string, unknown> } }> } =>
        JSON.parse(readFileSync(stateFile, 'utf8')) as never;
      const steps: [string, () => Promise<unknown>, (s: ReturnType<typeof read>) => boolean][] = [
        ['set', () => client.setSecret('atomic', 'a'), (s) => s.data['kv-demo']!.secrets.live.atomic?.versions.length === 1],
        ['set again', () => client.setSecret('atomic', 'b'), (s) => s.data['kv-demo']!.secrets.live.atomic?.versions.length === 2],
        ['update', () => client.updateSecretProperties('atomic', '', { tags: { x: 'y' } }), (s) => JSON.stringify(s.data['kv-demo']!.secrets.live.atomic).includes('"x":"y"')],
        ['delete', async () => (await client.beginDeleteSecret('atomic', poll)).pollUntilDone(), (s) => 'atomic' in s.data['kv-demo']!.secrets.deleted],
        ['purge', () => client.purgeDeletedSecret('atomic'), (s) => !('atomic' in s.data['kv-demo']!.secrets.deleted) && !('atomic' in s.data['kv-demo']!.secrets.live)],
      ];
      for (const [what, act, holds] of steps) {
        await act();
        assert.ok(holds(read()), `the state file holds the ${what}`);
        assert.deepEqual(tmpLeftovers(folder), [], `no .tmp left after ${what}`);
      }
    } finally {
      await emulator.close();
    }
  });

  it('is never seen half-written by another process reading it during a burst of writes', BOUND, async () => {
    const folder = join(dir, 'reader');
    const stateFile = join(folder, 'state.json');
    // The demo seed makes a large file (1,200 secrets in kv-scale), so a torn write would be easy to catch.
    const emulator = await startTestEmulator({ seed: 'demo', stateFile });
    let reader: ChildProcess | undefined;
    try {
      const script = `
        const fs = require('node:fs');
        let reads = 0, torn = 0, last = '';
        const timer = setInterval(() => {
          try { JSON.parse(fs.readFileSync(process.argv[1], 'utf8')); reads++; } catch (e) { torn++; last = String(e); }
        }, 0);
        process.stdin.on('data', () => { clearInterval(timer); process.stdout.write(JSON.stringify({ reads, torn, last })); process.exit(0); });
        process.stdout.write('ready\\n');`;
      reader = spawn(process.execPath, ['-e', script, stateFile], { stdio: ['pipe', 'pipe', 'inherit'] });
      let out = '';
      reader.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      await new Promise<void>((r) => reader!.stdout!.once('data', () => r()));
      const client = new SecretClient(containerUrl(emulator.ready, 'kv-demo'), credentialFor(emulator.ready), sdkOptions);
      for (let i = 0; i < 60; i++) await client.setSecret(`burst-${i % 5}`, `value-${i}`);
      const done = new Promise<void>((r) => reader!.once('exit', () => r()));
      reader.stdin!.write('stop');
      await done;
      const result = JSON.parse(out.slice(out.indexOf('{'))) as { reads: number; torn: number; last: string };
      assert.ok(result.reads > 10, `the reader read the file ${result.reads} times`);
      assert.equal(result.torn, 0, `torn reads: ${result.torn} (${result.last})`);
      assert.deepEqual(tmpLeftovers(folder), []);
    } finally {
      reader?.kill();
      await emulator.close();
    }
  });
});

interface CliProcess {
  child: ChildProcess;
  ready: ReadyInfo;
  exited: Promise<number | null>;
}

async function startCli(args: string[], readyFile: string): Promise<CliProcess> {
  rmSync(readyFile, { force: true });
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/emulator/cli.ts', '--ready-file', readyFile, ...args], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const deadline = Date.now() + 30_000;
  while (!existsSync(readyFile)) {
    if (child.exitCode !== null) throw new Error(`the emulator exited with ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) throw new Error('no ready file within 30 s');
    await new Promise((r) => setTimeout(r, 25));
  }
  return { child, ready: JSON.parse(readFileSync(readyFile, 'utf8')) as ReadyInfo, exited };
}

describe('state: kill -9', () => {
  it('keeps a write answered just before the process was killed with SIGKILL', BOUND, async () => {
    const folder = join(dir, 'kill');
    const stateFile = join(folder, 'state.json');
    const readyFile = join(folder, 'ready.json');
    let cli: CliProcess | undefined = await startCli(['--seed', 'empty', '--state', stateFile], readyFile);
    try {
      const url = containerUrl(cli.ready, 'kv-demo');
      const client = new SecretClient(url, credentialFor(cli.ready), sdkOptions);
      await client.setSecret('survivor', 'before');
      const written = await client.setSecret('survivor', 'written just before kill -9', { tags: { last: 'write' } });
      process.kill(cli.ready.pid, 'SIGKILL');
      const code = await cli.exited;
      assert.notEqual(code, 0, 'the process was killed, not stopped');
      cli = await startCli(['--state', stateFile], readyFile);
      assert.equal(containerUrl(cli.ready, 'kv-demo'), url, 'same origin after the restart');
      const got = await client.getSecret('survivor');
      assert.equal(got.value, 'written just before kill -9');
      assert.equal(got.properties.version, written.properties.version);
      assert.deepEqual(got.properties.tags, { last: 'write' });
      assert.deepEqual(tmpLeftovers(folder), []);
    } finally {
      if (cli && cli.child.exitCode === null) {
        cli.child.kill('SIGTERM');
        await cli.exited;
      }
    }
  });
});
