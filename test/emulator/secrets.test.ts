import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RestError } from '@azure/core-rest-pipeline';
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';
import type { Emulator } from '../emulator/emulator';
import { containerUrl, credentialFor, sdkOptions, startTestEmulator, type IdentityHandle } from '../support/emulator';

// Conformance of the secrets family with the official SecretClient: every operation, paging, soft delete,
// backup/restore, and the access errors each identity and vault kind must produce.

let emulator: Emulator;
const clients = new Map<string, SecretClient>();

function client(vault = 'kv-demo', who: IdentityHandle = 'app'): SecretClient {
  const key = `${vault}/${who}`;
  let c = clients.get(key);
  if (!c) {
    c = new SecretClient(containerUrl(emulator.ready, vault), credentialFor(emulator.ready, who), sdkOptions);
    clients.set(key, c);
  }
  return c;
}

let counter = 0;
const uniqueName = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${counter++}`;

/** Runs `fn` and returns the RestError it must throw. */
async function restError(fn: () => Promise<unknown>): Promise<RestError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof RestError, `expected a RestError, got ${String(err)}`);
    return err;
  }
  assert.fail('the call succeeded but should have failed');
}

/** The inner error code as the SDK surfaces it (it renames the wire's `innererror` to `innerError`). */
const innerCode = (err: RestError): unknown => (err.details as { error?: { innerError?: { code?: string } } } | undefined)?.error?.innerError?.code;

/** The SDK's pager drops the error body; the wire body of the last failed page is in the recorded exchanges. */
function lastWireError(operationId: string): { code: string; message: string; innererror?: { code: string } } {
  const x = [...emulator.exchanges].reverse().find((e) => e.operationId === operationId && e.status >= 400);
  assert.ok(x, `a failed ${operationId} was recorded`);
  return (x.responseBody as { error: { code: string; message: string; innererror?: { code: string } } }).error;
}

/** Pages GetSecrets answered since `from` in the recorded exchanges. */
const exchangesOf = (operationId: string, from: number) => emulator.exchanges.slice(from).filter((x) => x.operationId === operationId);

const poll = { intervalInMs: 10 };

before(async () => {
  emulator = await startTestEmulator({ seed: 'demo' });
  emulator.recordExchanges = true;
});

after(async () => {
  await emulator.close();
});

describe('secrets: set and get', () => {
  it('stores value, tags, content type, enabled and nbf/exp and returns them on get', async () => {
    const name = uniqueName('full');
    const notBefore = new Date(Math.floor(Date.now() / 1000 - 3600) * 1000);
    const expiresOn = new Date(Math.floor(Date.now() / 1000 + 86400) * 1000);
    const set = await client().setSecret(name, 's3cr3t value', { tags: { env: 'test', owner: 'me' }, contentType: 'text/plain', enabled: true, notBefore, expiresOn });
    assert.equal(set.value, 's3cr3t value');
    assert.match(set.properties.version ?? '', /^[0-9a-f]{32}$/);
    const got = await client().getSecret(name);
    assert.equal(got.value, 's3cr3t value');
    assert.deepEqual(got.properties.tags, { env: 'test', owner: 'me' });
    assert.equal(got.properties.contentType, 'text/plain');
    assert.equal(got.properties.enabled, true);
    assert.equal(got.properties.notBefore?.getTime(), notBefore.getTime());
    assert.equal(got.properties.expiresOn?.getTime(), expiresOn.getTime());
    assert.equal(got.properties.id, `${containerUrl(emulator.ready, 'kv-demo')}/secrets/${name}/${set.properties.version}`);
    assert.equal(got.properties.vaultUrl, containerUrl(emulator.ready, 'kv-demo'));
    assert.ok(got.properties.createdOn instanceof Date && got.properties.updatedOn instanceof Date);
    assert.equal(got.properties.recoveryLevel, 'Recoverable+Purgeable');
  });

  it('gets the latest version by default and an older one by its version id', async () => {
    const name = uniqueName('versions');
    const first = await client().setSecret(name, 'one');
    const second = await client().setSecret(name, 'two');
    assert.notEqual(first.properties.version, second.properties.version);
    assert.equal((await client().getSecret(name)).value, 'two');
    assert.equal((await client().getSecret(name, { version: first.properties.version! })).value, 'one');
    assert.equal((await client().getSecret(name, { version: second.properties.version! })).value, 'two');
  });

  it('answers 404 SecretNotFound for an unknown name or version', async () => {
    const missing = await restError(() => client().getSecret(uniqueName('missing')));
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.code, 'SecretNotFound');
    const name = uniqueName('known');
    await client().setSecret(name, 'v');
    const badVersion = await restError(() => client().getSecret(name, { version: '0'.repeat(32) }));
    assert.equal(badVersion.statusCode, 404);
    assert.equal(badVersion.code, 'SecretNotFound');
  });

  it('treats secret names case-insensitively and keeps the case they were created with', async () => {
    const name = uniqueName('MixedCase');
    await client().setSecret(name, 'first');
    const got = await client().getSecret(name.toLowerCase());
    assert.equal(got.value, 'first');
    assert.equal(got.name, name);
    await client().setSecret(name.toUpperCase(), 'second');
    const versions = [];
    for await (const v of client().listPropertiesOfSecretVersions(name.toLowerCase())) versions.push(v);
    assert.equal(versions.length, 2, 'setting the upper-cased name adds a version to the same secret');
    assert.ok(versions.every((v) => v.name === name));
  });

  it('accepts a value of exactly 25 KB and refuses a larger one with 400 BadParameter', async () => {
    const name = uniqueName('big');
    const limit = 25 * 1024;
    const ok = await client().setSecret(name, 'x'.repeat(limit));
    assert.equal(ok.value?.length, limit);
    const err = await restError(() => client().setSecret(name, 'x'.repeat(limit + 1)));
    assert.equal(err.statusCode, 400);
    assert.equal(err.code, 'BadParameter');
    assert.match(err.message, /too large|maximum/i);
  });

  it('refuses to get a disabled secret with 403 Forbidden and inner error SecretDisabled', async () => {
    const name = uniqueName('disabled');
    await client().setSecret(name, 'hidden', { enabled: false });
    const err = await restError(() => client().getSecret(name));
    assert.equal(err.statusCode, 403);
    assert.equal(err.code, 'Forbidden');
    assert.equal(innerCode(err), 'SecretDisabled');
    assert.match(err.message, /disabled secret/);
    // Its properties stay listable: a disabled secret is hidden, not gone.
    const versions = [];
    for await (const v of client().listPropertiesOfSecretVersions(name)) versions.push(v);
    assert.equal(versions[0]?.enabled, false);
  });
});

describe('secrets: update properties', () => {
  it('updates tags, content type and enabled of one version without changing its value', async () => {
    const name = uniqueName('update');
    const set = await client().setSecret(name, 'keep me', { tags: { a: '1' } });
    const updated = await client().updateSecretProperties(name, set.properties.version!, { tags: { b: '2' }, contentType: 'application/json', enabled: false });
    assert.deepEqual(updated.tags, { b: '2' });
    assert.equal(updated.contentType, 'application/json');
    assert.equal(updated.enabled, false);
    assert.ok((updated.updatedOn?.getTime() ?? 0) >= (set.properties.updatedOn?.getTime() ?? 0));
    await client().updateSecretProperties(name, set.properties.version!, { enabled: true });
    const got = await client().getSecret(name);
    assert.equal(got.value, 'keep me');
    assert.deepEqual(got.properties.tags, { b: '2' });
  });

  it('changes only the version it is given', async () => {
    const name = uniqueName('update-version');
    const v1 = await client().setSecret(name, 'one', { tags: { v: '1' } });
    await client().setSecret(name, 'two', { tags: { v: '2' } });
    await client().updateSecretProperties(name, v1.properties.version!, { tags: { v: 'first' } });
    assert.deepEqual((await client().getSecret(name)).properties.tags, { v: '2' });
    assert.deepEqual((await client().getSecret(name, { version: v1.properties.version! })).properties.tags, { v: 'first' });
  });
});

describe('secrets: listing and paging', () => {
  it('lists more than 25 secrets across pages that follow nextLink, one request per 25 items', async () => {
    const prefix = uniqueName('page');
    const created = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const name = `${prefix}-${String(i).padStart(2, '0')}`;
      await client().setSecret(name, `value-${i}`);
      created.add(name);
    }
    const from = emulator.exchanges.length;
    const names: string[] = [];
    for await (const p of client().listPropertiesOfSecrets()) names.push(p.name);
    for (const n of created) assert.ok(names.includes(n), `${n} is listed`);
    assert.equal(new Set(names).size, names.length, 'no secret is listed twice');
    const pages = exchangesOf('GetSecrets', from);
    assert.equal(pages.length, Math.ceil(names.length / 25));
    assert.ok(pages.slice(0, -1).every((p) => (p.responseBody as { value: unknown[] }).value.length === 25));
    const last = pages.at(-1)!.responseBody as { nextLink: string | null };
    assert.equal(last.nextLink, null);
    const first = pages[0]!.responseBody as { nextLink: string };
    assert.ok(first.nextLink.startsWith(`${containerUrl(emulator.ready, 'kv-demo')}/secrets?`), 'nextLink is absolute');
  });

  it('respects maxresults given as the page size and carries it through nextLink', async () => {
    const from = emulator.exchanges.length;
    const pageSizes: number[] = [];
    for await (const page of client().listPropertiesOfSecrets().byPage({ maxPageSize: 7 })) pageSizes.push(page.length);
    const total = pageSizes.reduce((a, b) => a + b, 0);
    assert.ok(total > 25);
    assert.ok(pageSizes.slice(0, -1).every((n) => n === 7), `pages of 7: ${pageSizes.join(',')}`);
    assert.equal(pageSizes.length, Math.ceil(total / 7));
    const requests = exchangesOf('GetSecrets', from);
    assert.ok(requests.every((x) => new URL(x.url).searchParams.get('maxresults') === '7'));
  });

  it('refuses maxresults outside 1–25 with 400 BadParameter', async () => {
    const token = await credentialFor(emulator.ready).getToken(`${containerUrl(emulator.ready, 'kv-demo')}/.default`);
    for (const bad of ['0', '26', 'abc']) {
      const res = await fetch(`${containerUrl(emulator.ready, 'kv-demo')}/secrets?api-version=7.5&maxresults=${bad}`, { headers: { authorization: `Bearer ${token.token}` } });
      assert.equal(res.status, 400, `maxresults=${bad}`);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'BadParameter');
    }
  });

  it('lists every version of a secret, each with its own id', async () => {
    const name = uniqueName('list-versions');
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) ids.add((await client().setSecret(name, `v${i}`)).properties.version!);
    const listed = [];
    for await (const v of client().listPropertiesOfSecretVersions(name)) listed.push(v);
    assert.deepEqual(new Set(listed.map((v) => v.version)), ids);
    assert.ok(listed.every((v) => v.id?.endsWith(`/secrets/${name}/${v.version}`)));
  });

  it('lists the 1,200 secrets of kv-scale in ceil(1200/25) pages', async () => {
    const from = emulator.exchanges.length;
    let count = 0;
    for await (const p of client('kv-scale').listPropertiesOfSecrets()) {
      assert.ok(p.name.length > 0);
      count += 1;
    }
    assert.equal(count, 1200);
    assert.equal(exchangesOf('GetSecrets', from).length, Math.ceil(1200 / 25));
  });

  it('never returns secret values in lists', async () => {
    const from = emulator.exchanges.length;
    for await (const page of client().listPropertiesOfSecrets().byPage()) void page;
    for (const x of exchangesOf('GetSecrets', from)) {
      for (const item of (x.responseBody as { value: Record<string, unknown>[] }).value) assert.equal(item.value, undefined);
    }
  });
});

describe('secrets: soft delete, recover and purge', () => {
  it('deletes with a poller, then shows the secret as deleted with recoveryId and purge date', async () => {
    const name = uniqueName('delete');
    await client().setSecret(name, 'bye', { tags: { t: '1' } });
    const poller = await client().beginDeleteSecret(name, poll);
    const deleted = await poller.pollUntilDone();
    assert.equal(deleted.name, name);
    assert.equal(deleted.recoveryId, `${containerUrl(emulator.ready, 'kv-demo')}/deletedsecrets/${name}`);
    assert.ok(deleted.deletedOn instanceof Date);
    assert.ok(deleted.properties.scheduledPurgeDate instanceof Date && deleted.properties.scheduledPurgeDate > deleted.deletedOn);
    const got = await client().getDeletedSecret(name);
    assert.equal(got.name, name);
    assert.deepEqual(got.properties.tags, { t: '1' });
    assert.equal(got.value, undefined, 'a deleted secret does not reveal its value');
    const live = await restError(() => client().getSecret(name));
    assert.equal(live.statusCode, 404);
    const deletedNames = [];
    for await (const d of client().listDeletedSecrets()) deletedNames.push(d.name);
    assert.ok(deletedNames.includes(name));
    assert.ok(deletedNames.includes('old-service-password'), 'the demo seed has a deleted secret');
  });

  it('recovers a deleted secret with all its versions', async () => {
    const name = uniqueName('recover');
    await client().setSecret(name, 'one');
    await client().setSecret(name, 'two');
    await (await client().beginDeleteSecret(name, poll)).pollUntilDone();
    const recovered = await (await client().beginRecoverDeletedSecret(name, poll)).pollUntilDone();
    assert.equal(recovered.name, name);
    assert.equal((await client().getSecret(name)).value, 'two');
    const versions = [];
    for await (const v of client().listPropertiesOfSecretVersions(name)) versions.push(v);
    assert.equal(versions.length, 2);
    const gone = await restError(() => client().getDeletedSecret(name));
    assert.equal(gone.statusCode, 404);
  });

  it('purges a deleted secret so its name can be reused', async () => {
    const name = uniqueName('purge');
    await client().setSecret(name, 'old');
    await (await client().beginDeleteSecret(name, poll)).pollUntilDone();
    await client().purgeDeletedSecret(name);
    const gone = await restError(() => client().getDeletedSecret(name));
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.code, 'SecretNotFound');
    const reused = await client().setSecret(name, 'new');
    assert.equal(reused.value, 'new');
  });

  it('refuses to set a secret whose name is soft-deleted with 409 Conflict naming the recoverable state', async () => {
    const name = uniqueName('conflict');
    await client().setSecret(name, 'v');
    await (await client().beginDeleteSecret(name, poll)).pollUntilDone();
    const err = await restError(() => client().setSecret(name, 'again'));
    assert.equal(err.statusCode, 409);
    assert.equal(err.code, 'Conflict');
    assert.match(err.message, /deleted but recoverable/);
  });

  it('answers 404 when deleting, recovering or purging what does not exist', async () => {
    const name = uniqueName('nothing');
    assert.equal((await restError(() => client().beginDeleteSecret(name, poll))).statusCode, 404);
    assert.equal((await restError(() => client().beginRecoverDeletedSecret(name, poll))).statusCode, 404);
    assert.equal((await restError(() => client().purgeDeletedSecret(name))).statusCode, 404);
  });
});

describe('secrets: backup and restore', () => {
  it('restores a backup after delete and purge, with every version, tag and content type', async () => {
    const name = uniqueName('backup');
    const v1 = await client().setSecret(name, 'one', { tags: { gen: '1' }, contentType: 'text/plain' });
    await client().setSecret(name, 'two', { tags: { gen: '2' } });
    const blob = (await client().backupSecret(name))!;
    assert.ok(blob instanceof Uint8Array && blob.length > 0);
    assert.ok(!Buffer.from(blob).toString('latin1').includes('two'), 'the backup blob does not expose the value');
    await (await client().beginDeleteSecret(name, poll)).pollUntilDone();
    await client().purgeDeletedSecret(name);
    const restored = await client().restoreSecretBackup(blob);
    assert.equal(restored.name, name);
    assert.equal((await client().getSecret(name)).value, 'two');
    const old = await client().getSecret(name, { version: v1.properties.version! });
    assert.equal(old.value, 'one');
    assert.deepEqual(old.properties.tags, { gen: '1' });
    assert.equal(old.properties.contentType, 'text/plain');
  });

  it('refuses to restore over an existing secret with 409 Conflict', async () => {
    const name = uniqueName('backup-exists');
    await client().setSecret(name, 'v');
    const blob = (await client().backupSecret(name))!;
    const err = await restError(() => client().restoreSecretBackup(blob));
    assert.equal(err.statusCode, 409);
    assert.equal(err.code, 'Conflict');
  });

  it('refuses a tampered backup blob with 400 BadParameter', async () => {
    const name = uniqueName('backup-tamper');
    await client().setSecret(name, 'v');
    const blob = (await client().backupSecret(name))!;
    const tampered = Uint8Array.from(blob);
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 0xff;
    const err = await restError(() => client().restoreSecretBackup(tampered));
    assert.equal(err.statusCode, 400);
    assert.equal(err.code, 'BadParameter');
  });
});

describe('secrets: access by identity and vault', () => {
  it('lets the reader list secrets on kv-demo but refuses their values with the access-policy wording', async () => {
    let listed = 0;
    for await (const p of client('kv-demo', 'reader').listPropertiesOfSecrets()) listed += p.name ? 1 : 0;
    assert.ok(listed > 0);
    const err = await restError(() => client('kv-demo', 'reader').getSecret('database-password'));
    assert.equal(err.statusCode, 403);
    assert.equal(err.code, 'Forbidden');
    assert.match(err.message, /does not have secrets get permission on key vault 'kv-demo/);
    const reader = emulator.ready.identities.find((i) => i.handle === 'reader')!;
    assert.ok(err.message.includes(`appid=${reader.clientId}`), 'the message names the caller');
  });

  it('lets the reader list kv-scale but refuses a value there with the RBAC wording', async () => {
    const first = await client('kv-scale', 'reader').listPropertiesOfSecrets().byPage({ maxPageSize: 1 }).next();
    const name = (first.value as { name: string }[])[0]!.name;
    const err = await restError(() => client('kv-scale', 'reader').getSecret(name));
    assert.equal(err.statusCode, 403);
    assert.equal(err.code, 'Forbidden');
    assert.match(err.message, /Caller is not authorized to perform action on resource/);
    assert.match(err.message, /Microsoft\.KeyVault\/vaults\/secrets\/getSecret\/action/);
    assert.equal(innerCode(err), 'ForbiddenByRbac');
  });

  it('refuses the no-access identity on kv-demo with the access-policy wording', async () => {
    const err = await restError(() => client('kv-demo', 'noaccess').listPropertiesOfSecrets().byPage().next());
    assert.equal(err.statusCode, 403);
    assert.equal(err.code, 'Forbidden');
    const wire = lastWireError('GetSecrets');
    assert.match(wire.message, /does not have secrets list permission on key vault 'kv-demo/);
    assert.equal(wire.innererror?.code, 'AccessDenied');
    const get = await restError(() => client('kv-demo', 'noaccess').getSecret('database-password'));
    assert.match(get.message, /does not have secrets get permission/);
  });

  it('refuses the no-access identity on kv-scale with the RBAC wording', async () => {
    const err = await restError(() => client('kv-scale', 'noaccess').listPropertiesOfSecrets().byPage().next());
    assert.equal(err.statusCode, 403);
    assert.equal(err.code, 'Forbidden');
    const wire = lastWireError('GetSecrets');
    assert.match(wire.message, /Caller is not authorized to perform action on resource/);
    assert.match(wire.message, /Microsoft\.KeyVault\/vaults\/secrets\/readMetadata\/action/);
    assert.equal(wire.innererror?.code, 'ForbiddenByRbac');
  });

  it('refuses the reader any change with 403', async () => {
    const err = await restError(() => client('kv-demo', 'reader').setSecret(uniqueName('reader-set'), 'v'));
    assert.equal(err.statusCode, 403);
    assert.match(err.message, /does not have secrets set permission/);
  });

  it('refuses every request to the firewalled vault with 403 ForbiddenByFirewall', async () => {
    for (const who of ['app', 'reader'] as const) {
      const err = await restError(() => client('kv-firewalled', who).getSecret('anything'));
      assert.equal(err.statusCode, 403);
      assert.equal(err.code, 'Forbidden');
      assert.equal(innerCode(err), 'ForbiddenByFirewall');
      assert.match(err.message, /Client address is not authorized and caller is not a trusted service/);
    }
  });
});

describe('secrets: protocol', () => {
  const serviceVersions: NonNullable<SecretClientOptions['serviceVersion']>[] = ['7.0', '7.1', '7.2', '7.3', '7.4', '7.5', '7.6', '2025-07-01'];
  for (const serviceVersion of serviceVersions) {
    it(`serves the SDK with serviceVersion ${serviceVersion}`, async () => {
      const c = new SecretClient(containerUrl(emulator.ready, 'kv-demo'), credentialFor(emulator.ready), { ...sdkOptions, serviceVersion });
      const name = uniqueName(`api-${serviceVersion.replace(/\./g, '-')}`);
      const from = emulator.exchanges.length;
      await c.setSecret(name, serviceVersion);
      assert.equal((await c.getSecret(name)).value, serviceVersion);
      assert.ok(exchangesOf('GetSecret', from).every((x) => x.apiVersion === serviceVersion), 'the SDK sent that api-version');
    });
  }

  it('takes PATCH and DELETE sent as POST with X-HTTP-METHOD', async () => {
    const url = containerUrl(emulator.ready, 'kv-demo');
    const token = (await credentialFor(emulator.ready).getToken(`${url}/.default`)).token;
    const name = uniqueName('override');
    const set = await client().setSecret(name, 'v');
    const patch = await fetch(`${url}/secrets/${name}/${set.properties.version}?api-version=7.5`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'x-http-method': 'PATCH', 'content-type': 'application/json' },
      body: JSON.stringify({ tags: { via: 'override' } }),
    });
    assert.equal(patch.status, 200);
    assert.deepEqual((await client().getSecret(name)).properties.tags, { via: 'override' });
    const del = await fetch(`${url}/secrets/${name}?api-version=7.5`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'x-http-method': 'DELETE' } });
    assert.equal(del.status, 200);
    assert.equal(((await del.json()) as { recoveryId: string }).recoveryId, `${url}/deletedsecrets/${name}`);
    assert.equal((await client().getDeletedSecret(name)).name, name);
  });
});
