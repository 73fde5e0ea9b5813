import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CLOUDS } from '../../src/azure/clouds';
import { isKeyVaultError } from '../../src/keyvault/errors';
import { createKeyVaultService } from '../../src/keyvault/service';
import type { Emulator } from '../emulator';
import { containerUrl, credentialFor, startTestEmulator } from '../support/emulator';
import { startRogueServer, type RogueServer } from '../support/rogue';
import { collect, serviceFor } from '../support/service';

describe('tokens go only to verified hosts', () => {
  let emu: Emulator;
  let namesOther: RogueServer;
  let redirector: RogueServer;
  let elsewhere: RogueServer;

  before(async () => {
    // Answers every request with a challenge that names kv-demo's resource instead of its own origin.
    namesOther = await startRogueServer((_req, res) => {
      res.writeHead(401, { 'www-authenticate': `Bearer authorization="${emu.ready.authorityHost}/${emu.ready.tenantId}", resource="${containerUrl(emu.ready, 'kv-demo')}"` });
      res.end('{"error":{"code":"Unauthorized","message":"AKV10000"}}');
    });
    elsewhere = await startRogueServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"value":[]}');
    });
    // A well-behaved challenge for itself, then a redirect of the authenticated request to another host.
    redirector = await startRogueServer((req, res) => {
      if (!req.headers.authorization) {
        res.writeHead(401, { 'www-authenticate': `Bearer authorization="${emu.ready.authorityHost}/${emu.ready.tenantId}", resource="${redirector.origin}"` });
        res.end('{"error":{"code":"Unauthorized","message":"AKV10000"}}');
        return;
      }
      res.writeHead(307, { location: `${elsewhere.origin}/secrets?api-version=2025-07-01` });
      res.end();
    });
    emu = await startTestEmulator({ seed: 'demo', extraTokenAudiences: [redirector.origin] });
  });
  after(async () => {
    await Promise.all([emu.close(), namesOther.close(), redirector.close(), elsewhere.close()]);
  });

  it('never contacts a host that is neither a cloud Key Vault host nor an added endpoint', async () => {
    const svc = serviceFor(emu.ready);
    await assert.rejects(collect(svc.secrets.list(elsewhere.origin)), (e: unknown) => isKeyVaultError(e) && e.kind === 'untrusted-host' && /not a Key Vault host/.test(e.message));
    assert.equal(elsewhere.seen.length, 0);
    svc.dispose();
  });

  it('refuses a challenge from host A that names host B as the resource, and sends A no token', async () => {
    const svc = serviceFor(emu.ready, 'app', {});
    svc.addCustomEndpoint({ origin: namesOther.origin, authorityHost: emu.ready.authorityHost });
    await assert.rejects(collect(svc.secrets.list(namesOther.origin)), (e: unknown) => isKeyVaultError(e) && e.kind === 'untrusted-host' && /not its own resource/.test(e.message));
    assert.ok(namesOther.seen.length >= 1);
    assert.ok(namesOther.seen.every((r) => r.authorization === undefined));
    svc.dispose();
  });

  it('refuses a challenge that names an unexpected sign-in authority', async () => {
    const wrongAuthority = await startRogueServer((_req, res) => {
      res.writeHead(401, { 'www-authenticate': `Bearer authorization="https://login.evil.example/${emu.ready.tenantId}", resource="${wrongAuthority.origin}"` });
      res.end();
    });
    const svc = serviceFor(emu.ready);
    svc.addCustomEndpoint({ origin: wrongAuthority.origin, authorityHost: emu.ready.authorityHost });
    await assert.rejects(collect(svc.secrets.list(wrongAuthority.origin)), (e: unknown) => isKeyVaultError(e) && e.kind === 'untrusted-host' && /authority/.test(e.message));
    assert.ok(wrongAuthority.seen.every((r) => r.authorization === undefined));
    svc.dispose();
    await wrongAuthority.close();
  });

  it('does not follow a redirect to another host, so the token stays with the host that asked for it', async () => {
    const svc = serviceFor(emu.ready);
    svc.addCustomEndpoint({ origin: redirector.origin, authorityHost: emu.ready.authorityHost });
    await assert.rejects(collect(svc.secrets.list(redirector.origin)), (e: unknown) => isKeyVaultError(e) && e.kind === 'untrusted-host' && /redirect/.test(e.message));
    assert.ok(redirector.seen.some((r) => r.authorization?.startsWith('Bearer ')), 'the redirector itself got its token');
    assert.equal(elsewhere.seen.length, 0);
    svc.dispose();
  });

  it('does not trust an emulator origin unless it was added explicitly', async () => {
    const svc = createKeyVaultService({ credential: credentialFor(emu.ready), cloud: CLOUDS[0]! });
    await assert.rejects(collect(svc.secrets.list(containerUrl(emu.ready, 'kv-demo'))), (e: unknown) => isKeyVaultError(e) && e.kind === 'untrusted-host');
    svc.dispose();
  });

  it('gets a token for the tenant named in the challenge (multi-tenant)', async () => {
    const tenants: (string | undefined)[] = [];
    const svc = serviceFor(emu.ready, 'app', { onToken: (t) => tenants.push(t) });
    const second = emu.ready.tenants[1]!.tenantId;
    await svc.secrets.set(containerUrl(emu.ready, 'kv-tenant2'), 'cross-tenant', 'v');
    assert.equal((await svc.secrets.get(containerUrl(emu.ready, 'kv-tenant2'), 'cross-tenant')).value, 'v');
    assert.deepEqual([...new Set(tenants)], [second]);
    await collect(svc.secrets.list(containerUrl(emu.ready, 'kv-demo')));
    assert.ok(tenants.includes(emu.ready.tenantId));
    svc.dispose();
  });

  it('reports a clear error when the identity is not in the tenant the vault belongs to', async () => {
    const reader = serviceFor(emu.ready, 'reader');
    await assert.rejects(collect(reader.secrets.list(containerUrl(emu.ready, 'kv-tenant2'))), (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.match(e.message, /AADSTS700016|not found in the directory/);
      return true;
    });
    reader.dispose();
  });
});
