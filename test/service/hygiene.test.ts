import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AzureLogger, setLogLevel, getLogLevel } from '@azure/logger';
import type { Emulator } from '../emulator';
import { containerUrl, credentialFor, startTestEmulator } from '../support/emulator';
import { collect, serviceFor } from '../support/service';

/**
 * With the Azure SDK logging at its most verbose, a full session of secret operations must leave no secret
 * value and no bearer token in the captured log output.
 */
describe('secret hygiene of the service layer', () => {
  let emu: Emulator;
  const captured: string[] = [];
  const originalLog = AzureLogger.log;
  const originalLevel = getLogLevel();

  before(async () => {
    emu = await startTestEmulator({ seed: 'demo' });
    setLogLevel('verbose');
    AzureLogger.log = (...args: unknown[]) => {
      captured.push(args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.message}\n${a.stack}` : JSON.stringify(a))).join(' '));
    };
  });
  after(async () => {
    AzureLogger.log = originalLog;
    setLogLevel(originalLevel);
    await emu.close();
  });

  it('logs requests verbosely but never a secret value or a token', async () => {
    const vault = containerUrl(emu.ready, 'kv-demo');
    const svc = serviceFor(emu.ready);
    const values = ['hygiene-Value-9f8e7d6c5b4a', 'second-Value-0a1b2c3d4e5f', 'multi\nline-Value-77aa88bb'];
    await svc.secrets.set(vault, 'hygiene-one', values[0]!, { tags: { purpose: 'hygiene' } });
    const p = await svc.secrets.set(vault, 'hygiene-one', values[1]!);
    await svc.secrets.set(vault, 'hygiene-two', values[2]!, { contentType: 'text/plain' });
    assert.equal((await svc.secrets.get(vault, 'hygiene-one')).value, values[1]);
    assert.equal((await svc.secrets.get(vault, 'hygiene-two')).value, values[2]);
    await svc.secrets.update(vault, 'hygiene-one', p.version!, { tags: { a: 'b' } });
    await collect(svc.secrets.list(vault));
    const blob = await svc.secrets.backup(vault, 'hygiene-two');
    await svc.secrets.delete(vault, 'hygiene-two');
    await svc.secrets.purge(vault, 'hygiene-two');
    await svc.secrets.restore(vault, blob);
    // A failing call logs too: its error must not carry the value either.
    await assert.rejects(svc.secrets.set(vault, 'hygiene-one', 'x'.repeat(26 * 1024)));
    svc.dispose();

    const token = (await credentialFor(emu.ready).getToken(`${vault}/.default`))!.token;
    const log = captured.join('\n');
    assert.ok(captured.length > 20, `expected verbose logging, got ${captured.length} lines`);
    assert.match(log, /Request:|request/i, 'the pipeline did log requests');
    for (const v of values) assert.ok(!log.includes(v) && !log.includes(JSON.stringify(v).slice(1, -1)), `value ${v.slice(0, 6)}… leaked into the log`);
    assert.ok(!log.includes('x'.repeat(100)), 'the oversize value leaked into the log');
    assert.ok(!log.includes(token.split('.')[2]!), 'a token signature leaked into the log');
    assert.ok(!/Bearer\s+ey/i.test(log), 'a bearer token leaked into the log');
    assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}/.test(log), 'a JWT leaked into the log');
    assert.ok(!log.includes(emu.ready.clientSecret), 'the client secret leaked into the log');
  });
});
