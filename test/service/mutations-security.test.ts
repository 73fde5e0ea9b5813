// Nothing lost, nothing done twice: when the answer to a create or delete never arrives (the connection breaks after
// the vault acted, or the vault restarts mid-request), the service layer does not repeat it blindly; it says clearly
// that the change may have happened. A request that never reached the vault (connection refused while it restarts)
// is retried, whatever its verb. The vault is checked afterwards: one version, one deletion.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import { isKeyVaultError, type KeyVaultError } from '../../src/keyvault/errors';
import type { Emulator } from '../emulator';
import { containerUrl, startTestEmulator } from '../support/emulator';
import { collect, serviceFor } from '../support/service';

const maybeDone = (e: unknown) => {
  assert.ok(isKeyVaultError(e), String(e));
  const err = e as KeyVaultError;
  assert.equal(err.kind, 'network', `${err.kind}: ${err.message}`);
  assert.match(err.message, /broke .*after the request was sent/);
  assert.match(err.hint, /may (or may not )?have/);
  assert.match(err.hint, /[Rr]efresh/);
  return true;
};

describe('mutations are never repeated blindly', () => {
  let emu: Emulator;
  let vault: string;
  /** A service that has done its challenge round trip, so the next request is the one that carries the body. */
  const svc = async () => {
    const s = serviceFor(emu.ready);
    await collect(s.secrets.list(vault));
    return s;
  };

  before(async () => {
    emu = await startTestEmulator({ seed: 'empty' });
    vault = containerUrl(emu.ready, 'kv-demo');
  });
  after(async () => {
    await emu.close();
  });

  const versionsOf = async (s: Awaited<ReturnType<typeof svc>>, name: string) => collect(s.secrets.listVersions(vault, name));
  const deletedNames = async (s: Awaited<ReturnType<typeof svc>>) => (await collect(s.secrets.listDeleted(vault))).map((d) => d.name);

  it('a secret set whose answer is lost is not sent again: one version, and a message that says it may be done', async () => {
    const s = await svc();
    emu.faults.add({ target: 'kv-demo', method: 'PUT', path: '^/secrets/lost-set$', kind: 'lose-answer', times: 1 });
    await assert.rejects(s.secrets.set(vault, 'lost-set', 'v1'), maybeDone);
    assert.equal((await versionsOf(s, 'lost-set')).length, 1, 'exactly one version: the request was not repeated');
    s.dispose();
  });

  it('a key import whose answer is lost is not sent again: one version', async () => {
    const s = await svc();
    const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    emu.faults.add({ target: 'kv-demo', method: 'PUT', path: '^/keys/lost-import$', kind: 'lose-answer', times: 1 });
    await assert.rejects(s.keys.import(vault, 'lost-import', { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y!, d: jwk.d! }), maybeDone);
    assert.equal((await collect(s.keys.listVersions(vault, 'lost-import'))).length, 1);
    s.dispose();
  });

  it('a delete whose answer is lost is not sent again (which would say "not found"): the secret is deleted once', async () => {
    const s = await svc();
    await s.secrets.set(vault, 'lost-delete', 'v1');
    emu.faults.add({ target: 'kv-demo', method: 'DELETE', path: '^/secrets/lost-delete$', kind: 'lose-answer', times: 1 });
    await assert.rejects(s.secrets.delete(vault, 'lost-delete'), maybeDone);
    assert.deepEqual((await deletedNames(s)).filter((n) => n === 'lost-delete'), ['lost-delete']);
    s.dispose();
  });

  it('a read whose connection breaks is still retried, and succeeds', async () => {
    const s = await svc();
    await s.secrets.set(vault, 'reset-read', 'value');
    emu.faults.add({ target: 'kv-demo', method: 'GET', path: '^/secrets/reset-read', kind: 'reset', times: 1 });
    assert.equal((await s.secrets.get(vault, 'reset-read')).value, 'value');
    s.dispose();
  });

  describe('the vault restarts (state kept) in the middle of a create or a delete', () => {
    let stateDir: string;
    let restartable: Emulator;
    let url: string;
    const restart = async () => {
      await restartable.close();
      restartable = await startTestEmulator({ seed: 'empty', stateFile: path.join(stateDir, 'state.json') });
    };

    before(async () => {
      stateDir = mkdtempSync(path.join(tmpdir(), 'kv-restart-'));
      restartable = await startTestEmulator({ seed: 'empty', stateFile: path.join(stateDir, 'state.json') });
      url = containerUrl(restartable.ready, 'kv-demo');
    });
    after(async () => {
      await restartable.close();
      rmSync(stateDir, { recursive: true, force: true });
    });

    it('a create cut off by the restart: a clear message, nothing created; created once when tried again', async () => {
      const s = serviceFor(restartable.ready);
      await collect(s.secrets.list(url));
      restartable.faults.add({ target: 'kv-demo', method: 'PUT', path: '^/secrets/restart-create$', kind: 'latency', ms: 2000, times: 1 });
      const creating = s.secrets.set(url, 'restart-create', 'v1');
      const outcome = assert.rejects(creating, maybeDone);
      await new Promise((r) => setTimeout(r, 300));
      await restart();
      await outcome;
      const fresh = serviceFor(restartable.ready);
      assert.equal(restartable.ready.containers.find((c) => c.name === 'kv-demo')!.url, url, 'the restarted vault has the same origin');
      assert.deepEqual(await collect(fresh.secrets.listVersions(url, 'restart-create')).catch(() => []), []);
      await s.secrets.set(url, 'restart-create', 'v1');
      assert.equal((await collect(fresh.secrets.listVersions(url, 'restart-create'))).length, 1);
      s.dispose();
      fresh.dispose();
    });

    it('a delete cut off by the restart: a clear message, the secret still there; deleted once when tried again', async () => {
      const s = serviceFor(restartable.ready);
      await s.secrets.set(url, 'restart-delete', 'v1');
      restartable.faults.add({ target: 'kv-demo', method: 'DELETE', path: '^/secrets/restart-delete$', kind: 'latency', ms: 2000, times: 1 });
      const outcome = assert.rejects(s.secrets.delete(url, 'restart-delete'), maybeDone);
      await new Promise((r) => setTimeout(r, 300));
      await restart();
      await outcome;
      assert.equal((await s.secrets.get(url, 'restart-delete')).value, 'v1', 'not deleted, nothing lost');
      await s.secrets.delete(url, 'restart-delete');
      assert.deepEqual((await collect(s.secrets.listDeleted(url))).map((d) => d.name).filter((n) => n === 'restart-delete'), ['restart-delete']);
      s.dispose();
    });

    it('a create sent while the vault is down (connection refused) is retried and lands once it is back', async () => {
      const s = serviceFor(restartable.ready, 'app', { retry: () => ({ maxRetries: 8, baseDelayMs: 200, maxDelayMs: 1500, maxRetryAfterMs: 5000 }) });
      await restartable.close();
      const creating = s.secrets.set(url, 'refused-create', 'v1');
      await new Promise((r) => setTimeout(r, 400));
      restartable = await startTestEmulator({ seed: 'empty', stateFile: path.join(stateDir, 'state.json') });
      await creating;
      assert.equal((await s.secrets.get(url, 'refused-create')).value, 'v1');
      assert.equal((await collect(s.secrets.listVersions(url, 'refused-create'))).length, 1);
      s.dispose();
    });
  });
});
