import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from './emulator';
import { containerUrl, credentialFor, startTestEmulator, type IdentityHandle } from '../support/emulator';

// Managed storage accounts and SAS definitions (storage.json 7.5) over raw HTTPS: no official JS SDK covers them.

let emulator: Emulator;

interface Reply {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string; innererror?: { code: string } } };
}

const credentials = new Map<string, ReturnType<typeof credentialFor>>();

async function call(method: string, path: string, options: { body?: unknown; who?: IdentityHandle; vault?: string; apiVersion?: string; rawBody?: string } = {}): Promise<Reply> {
  const who = options.who ?? 'app';
  const origin = containerUrl(emulator.ready, options.vault ?? 'kv-demo');
  let credential = credentials.get(who);
  if (!credential) credentials.set(who, (credential = credentialFor(emulator.ready, who)));
  const token = await credential.getToken(`${origin}/.default`);
  const url = new URL(path, origin);
  if (!url.searchParams.has('api-version')) url.searchParams.set('api-version', options.apiVersion ?? '7.5');
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const res = await fetch(url, { method, body, headers: { authorization: `Bearer ${token.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) } });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Reply['body']) : {} };
}

/** Follows nextLink pages of a list answer. */
async function listAll(path: string, who: IdentityHandle = 'app'): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let next: string | null = path;
  while (next) {
    const r = await call('GET', next, { who });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    out.push(...(r.body.value as Record<string, unknown>[]));
    next = r.body.nextLink as string | null;
  }
  return out;
}

/** Property names the contract defines for a storage.json definition (allOf included). */
const spec = JSON.parse(readFileSync(join(__dirname, '..', 'spec', 'keyvault', '7.5', 'storage.json'), 'utf8')) as { definitions: Record<string, { properties?: Record<string, unknown>; allOf?: { $ref: string }[] }> };
function specProperties(definition: string): Set<string> {
  const d = spec.definitions[definition]!;
  const names = new Set(Object.keys(d.properties ?? {}));
  for (const part of d.allOf ?? []) for (const n of specProperties(part.$ref.split('/').pop()!)) names.add(n);
  return names;
}
function assertShape(definition: string, value: Record<string, unknown>): void {
  const allowed = specProperties(definition);
  const unknown = Object.keys(value).filter((k) => !allowed.has(k));
  assert.deepEqual(unknown, [], `${definition} has properties the contract does not define`);
}

let counter = 0;
const uniqueName = (prefix: string): string => `${prefix}${Date.now().toString(36)}${counter++}`;

const resourceIdFor = (account: string): string =>
  `/subscriptions/${emulator.ready.subscriptionId}/resourceGroups/rg-storage/providers/Microsoft.Storage/storageAccounts/${account.toLowerCase().slice(0, 24)}`;

const accountBody = (account: string, extra: Record<string, unknown> = {}) => ({ resourceId: resourceIdFor(account), activeKeyName: 'key1', autoRegenerateKey: false, ...extra });

const accountSas = (account: string) => ({
  templateUri: `https://${account.toLowerCase()}.blob.core.windows.net/?sv=2021-08-06&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&spr=https&sig=abc`,
  sasType: 'account',
  validityPeriod: 'PT1H',
});

/** The secret behind a SAS definition, read through the secrets API at its `sid`. */
async function sasSecret(sid: string): Promise<Reply> {
  return call('GET', new URL(sid).pathname);
}

before(async () => {
  emulator = await startTestEmulator({ seed: 'demo' });
});

after(async () => {
  await emulator.close();
});

describe('managed storage accounts', () => {
  it('seeds kv-demo with a managed storage account that has two SAS definitions', async () => {
    const accounts = await listAll('/storage');
    const seeded = accounts.find((a) => String(a.id).endsWith('/storage/contosostorage'));
    assert.ok(seeded, 'contosostorage is listed');
    assertShape('StorageAccountItem', seeded);
    assert.match(String(seeded.resourceId), /\/providers\/Microsoft\.Storage\/storageAccounts\/contosostorage$/);
    const sas = await listAll('/storage/contosostorage/sas');
    assert.equal(sas.length, 2);
    for (const s of sas) {
      assertShape('SasDefinitionItem', s);
      assert.match(String(s.sid), /\/secrets\/contosostorage-[a-z]+$/);
    }
  });

  it('creates an account and answers the StorageBundle with exactly the contract fields', async () => {
    const name = uniqueName('acct');
    const set = await call('PUT', `/storage/${name}`, { body: accountBody(name, { autoRegenerateKey: true, regenerationPeriod: 'P30D', tags: { team: 'data' } }) });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assertShape('StorageBundle', set.body);
    assert.equal(set.body.id, `${containerUrl(emulator.ready, 'kv-demo')}/storage/${name}`);
    assert.equal(set.body.resourceId, resourceIdFor(name));
    assert.equal(set.body.activeKeyName, 'key1');
    assert.equal(set.body.autoRegenerateKey, true);
    assert.equal(set.body.regenerationPeriod, 'P30D');
    assert.deepEqual(set.body.tags, { team: 'data' });
    const attributes = set.body.attributes as Record<string, unknown>;
    assert.equal(attributes.enabled, true);
    assert.equal(attributes.recoveryLevel, 'Recoverable+Purgeable');
    assert.equal(typeof attributes.created, 'number');

    const got = await call('GET', `/storage/${name}`);
    assert.deepEqual(got.body, set.body);
    const listed = (await listAll('/storage')).find((a) => a.id === set.body.id);
    assert.ok(listed);
    assert.deepEqual(Object.keys(listed).sort(), ['attributes', 'id', 'resourceId', 'tags']);
  });

  it('pages the account list with maxresults and an absolute nextLink', async () => {
    for (let i = 0; i < 3; i++) {
      const name = uniqueName('page');
      assert.equal((await call('PUT', `/storage/${name}`, { body: accountBody(name) })).status, 200);
    }
    const first = await call('GET', '/storage?maxresults=2');
    assert.equal((first.body.value as unknown[]).length, 2);
    assert.match(String(first.body.nextLink), /^https:\/\/127\.0\.0\.1:\d+\/storage\?/);
    const all = await listAll('/storage?maxresults=2');
    assert.equal(new Set(all.map((a) => a.id)).size, all.length);
    assert.ok(all.length >= 4);
    assert.equal((await call('GET', '/storage?maxresults=26')).status, 400);
  });

  it('updates the active key, the regeneration period, the enabled flag and tags', async () => {
    const name = uniqueName('upd');
    await call('PUT', `/storage/${name}`, { body: accountBody(name) });
    const r = await call('PATCH', `/storage/${name}`, { body: { activeKeyName: 'key2', autoRegenerateKey: true, regenerationPeriod: 'P7D', attributes: { enabled: false }, tags: { a: 'b' } } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.activeKeyName, 'key2');
    assert.equal(r.body.autoRegenerateKey, true);
    assert.equal(r.body.regenerationPeriod, 'P7D');
    assert.equal((r.body.attributes as { enabled: boolean }).enabled, false);
    assert.deepEqual(r.body.tags, { a: 'b' });
    const bad = await call('PATCH', `/storage/${name}`, { body: { activeKeyName: 'key3', tags: { c: 'd' } } });
    assert.equal(bad.status, 400);
    assert.deepEqual((await call('GET', `/storage/${name}`)).body.tags, { a: 'b' }, 'a refused update changes nothing');
  });

  it('refuses a malformed resource id, key name, regeneration period, account name or body with 400 BadParameter', async () => {
    const name = uniqueName('bad');
    const cases: [string, unknown][] = [
      ['not an ARM id', accountBody(name, { resourceId: 'contosostorage' })],
      ['another provider', accountBody(name, { resourceId: resourceIdFor(name).replace('Microsoft.Storage/storageAccounts', 'Microsoft.KeyVault/vaults') })],
      ['an upper-case account name', accountBody(name, { resourceId: resourceIdFor(name).replace(/[^/]+$/, 'UPPER') })],
      ['key3', accountBody(name, { activeKeyName: 'key3' })],
      ['a missing autoRegenerateKey', { resourceId: resourceIdFor(name), activeKeyName: 'key1' }],
      ['a period that is not ISO 8601', accountBody(name, { regenerationPeriod: '90 days' })],
      ['an array body', []],
    ];
    for (const [what, body] of cases) {
      const r = await call('PUT', `/storage/${name}`, { body });
      assert.equal(r.status, 400, what);
      assert.equal(r.body.error?.code, 'BadParameter', what);
    }
    const dashed = await call('PUT', '/storage/has-dash', { body: accountBody('hasdash') });
    assert.equal(dashed.status, 400);
    assert.match(dashed.body.error!.message, /invalid name/);
    const notJson = await call('PUT', `/storage/${name}`, { rawBody: '{"resourceId":' });
    assert.equal(notJson.status, 400);
    assert.equal((await call('GET', `/storage/${name}`)).status, 404, 'nothing was created');
  });

  it('answers 404 StorageAccountNotFound for an account that does not exist', async () => {
    const r = await call('GET', '/storage/doesnotexist');
    assert.equal(r.status, 404);
    assert.equal(r.body.error?.code, 'StorageAccountNotFound');
  });

  it('regenerates a key, re-signing the SAS tokens when it is the active one', async () => {
    const name = uniqueName('regen');
    await call('PUT', `/storage/${name}`, { body: accountBody(name) });
    const sas = await call('PUT', `/storage/${name}/sas/reader`, { body: accountSas(name) });
    const before = await sasSecret(String(sas.body.sid));
    const passive = await call('POST', `/storage/${name}/regeneratekey`, { body: { keyName: 'key2' } });
    assert.equal(passive.status, 200);
    assertShape('StorageBundle', passive.body);
    assert.equal((await sasSecret(String(sas.body.sid))).body.value, before.body.value, 'the passive key does not sign tokens');
    const active = await call('POST', `/storage/${name}/regeneratekey`, { body: { keyName: 'key1' } });
    assert.equal(active.status, 200);
    const after = await sasSecret(String(sas.body.sid));
    assert.notEqual(after.body.value, before.body.value);
    const bad = await call('POST', `/storage/${name}/regeneratekey`, { body: { keyName: 'primary' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error?.code, 'BadParameter');
  });

  it('soft-deletes, lists, recovers and purges an account', async () => {
    const name = uniqueName('del');
    await call('PUT', `/storage/${name}`, { body: accountBody(name) });
    const deleted = await call('DELETE', `/storage/${name}`);
    assert.equal(deleted.status, 200);
    assertShape('DeletedStorageBundle', deleted.body);
    assert.equal(deleted.body.recoveryId, `${containerUrl(emulator.ready, 'kv-demo')}/deletedstorage/${name}`);
    assert.ok(Number(deleted.body.scheduledPurgeDate) > Number(deleted.body.deletedDate));

    assert.equal((await call('GET', `/storage/${name}`)).status, 404);
    const listed = (await listAll('/deletedstorage')).find((d) => d.recoveryId === deleted.body.recoveryId);
    assert.ok(listed);
    assertShape('DeletedStorageAccountItem', listed);
    assert.equal((await call('GET', `/deletedstorage/${name}`)).status, 200);

    const reuse = await call('PUT', `/storage/${name}`, { body: accountBody(name) });
    assert.equal(reuse.status, 409);
    assert.equal(reuse.body.error?.code, 'Conflict');

    const recovered = await call('POST', `/deletedstorage/${name}/recover`);
    assert.equal(recovered.status, 200);
    assert.equal(recovered.body.id, deleted.body.id);
    assert.equal((await call('GET', `/storage/${name}`)).status, 200);

    await call('DELETE', `/storage/${name}`);
    const purged = await call('DELETE', `/deletedstorage/${name}`);
    assert.equal(purged.status, 204);
    assert.equal((await call('GET', `/deletedstorage/${name}`)).status, 404);
    assert.equal((await call('POST', `/deletedstorage/${name}/recover`)).status, 404);
  });

  it('backs up and restores an account with its SAS definitions, refusing a restore over an existing one', async () => {
    const name = uniqueName('bk');
    await call('PUT', `/storage/${name}`, { body: accountBody(name, { tags: { keep: 'me' } }) });
    await call('PUT', `/storage/${name}/sas/nightly`, { body: accountSas(name) });
    const backup = await call('POST', `/storage/${name}/backup`);
    assert.equal(backup.status, 200);
    assert.deepEqual(Object.keys(backup.body), ['value']);
    assert.match(String(backup.body.value), /^[A-Za-z0-9_-]+$/);

    const clash = await call('POST', '/storage/restore', { body: { value: backup.body.value } });
    assert.equal(clash.status, 409);

    await call('DELETE', `/storage/${name}`);
    await call('DELETE', `/deletedstorage/${name}`);
    const restored = await call('POST', '/storage/restore', { body: { value: backup.body.value } });
    assert.equal(restored.status, 200, JSON.stringify(restored.body));
    assert.deepEqual(restored.body.tags, { keep: 'me' });
    const sas = await call('GET', `/storage/${name}/sas/nightly`);
    assert.equal(sas.status, 200);
    assert.equal((await sasSecret(String(sas.body.sid))).status, 200, 'the restored definition issues tokens again');

    const corrupt = await call('POST', '/storage/restore', { body: { value: `${String(backup.body.value).slice(0, -4)}AAAA` } });
    assert.equal(corrupt.status, 400);
    assert.equal(corrupt.body.error?.code, 'BadParameter');
  });

  it('is not served by a Managed HSM', async () => {
    const r = await call('GET', '/storage', { vault: 'hsm-demo' });
    assert.equal(r.status, 404);
  });
});

describe('SAS definitions', () => {
  it('creates a definition whose sid holds a SAS token shaped like its template', async () => {
    const name = uniqueName('sas');
    await call('PUT', `/storage/${name}`, { body: accountBody(name) });
    const body = { ...accountSas(name), tags: { use: 'read' } };
    const r = await call('PUT', `/storage/${name}/sas/readonly`, { body });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assertShape('SasDefinitionBundle', r.body);
    const origin = containerUrl(emulator.ready, 'kv-demo');
    assert.equal(r.body.id, `${origin}/storage/${name}/sas/readonly`);
    assert.equal(r.body.sid, `${origin}/secrets/${name}-readonly`);
    assert.equal(r.body.templateUri, body.templateUri);
    assert.equal(r.body.sasType, 'account');
    assert.equal(r.body.validityPeriod, 'PT1H');
    assert.deepEqual(r.body.tags, { use: 'read' });

    const secret = await sasSecret(String(r.body.sid));
    assert.equal(secret.status, 200);
    assert.equal(secret.body.contentType, 'application/vnd.ms-sastoken-storage');
    const token = new URLSearchParams(String(secret.body.value));
    assert.equal(token.get('sp'), 'rl');
    assert.equal(token.get('ss'), 'b');
    assert.notEqual(token.get('sig'), 'abc');
    const lifetime = Date.parse(token.get('se')!) - Date.parse(token.get('st')!);
    assert.equal(lifetime, 3600_000, 'the token lives for the validity period');
  });

  it('gets, lists and updates definitions', async () => {
    const name = uniqueName('sasu');
    await call('PUT', `/storage/${name}`, { body: accountBody(name) });
    await call('PUT', `/storage/${name}/sas/one`, { body: accountSas(name) });
    await call('PUT', `/storage/${name}/sas/two`, { body: accountSas(name) });
    const listed = await listAll(`/storage/${name}/sas`);
    assert.deepEqual(listed.map((s) => String(s.id).split('/').pop()), ['one', 'two']);
    const service = {
      sasType: 'service',
      templateUri: `https://${name}.blob.core.windows.net/logs?sv=2021-08-06&sr=c&sp=r&se=2030-01-01T00:00:00Z&sig=x`,
      validityPeriod: 'P2D',
      attributes: { enabled: false },
    };
    const updated = await call('PATCH', `/storage/${name}/sas/two`, { body: service });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal(updated.body.sasType, 'service');
    assert.equal(updated.body.validityPeriod, 'P2D');
    assert.equal((updated.body.attributes as { enabled: boolean }).enabled, false);
    assert.deepEqual((await call('GET', `/storage/${name}/sas/two`)).body, updated.body);

    const mismatch = await call('PATCH', `/storage/${name}/sas/one`, { body: { sasType: 'service' } });
    assert.equal(mismatch.status, 400, 'an account template does not fit a service SAS');
  });

  it('refuses bad SAS definitions and unknown accounts', async () => {
    const name = uniqueName('sasb');
    await call('PUT', `/storage/${name}`, { body: accountBody(name) });
    const good = accountSas(name);
    const cases: [string, unknown][] = [
      ['an unknown sasType', { ...good, sasType: 'user' }],
      ['a template without a signature', { ...good, templateUri: good.templateUri.replace('&sig=abc', '') }],
      ['a relative template', { ...good, templateUri: '/container?sv=1' }],
      ['a validity that is not a duration', { ...good, validityPeriod: '1 hour' }],
      ['a missing validity', { templateUri: good.templateUri, sasType: 'account' }],
    ];
    for (const [what, body] of cases) {
      const r = await call('PUT', `/storage/${name}/sas/def`, { body });
      assert.equal(r.status, 400, what);
      assert.equal(r.body.error?.code, 'BadParameter', what);
    }
    const missingAccount = await call('PUT', '/storage/nosuchaccount/sas/def', { body: good });
    assert.equal(missingAccount.status, 404);
    assert.equal(missingAccount.body.error?.code, 'StorageAccountNotFound');
    const missingSas = await call('GET', `/storage/${name}/sas/nosuchsas`);
    assert.equal(missingSas.status, 404);
    assert.equal(missingSas.body.error?.code, 'SasDefinitionNotFound');
  });

  it('soft-deletes a definition with its secret and recovers both', async () => {
    const name = uniqueName('sasd');
    await call('PUT', `/storage/${name}`, { body: accountBody(name) });
    const created = await call('PUT', `/storage/${name}/sas/temp`, { body: accountSas(name) });
    const deleted = await call('DELETE', `/storage/${name}/sas/temp`);
    assert.equal(deleted.status, 200);
    assertShape('DeletedSasDefinitionBundle', deleted.body);
    assert.equal(deleted.body.recoveryId, `${containerUrl(emulator.ready, 'kv-demo')}/deletedstorage/${name}/sas/temp`);
    assert.equal((await call('GET', `/storage/${name}/sas/temp`)).status, 404);
    assert.equal((await sasSecret(String(created.body.sid))).status, 404, 'a deleted definition issues no token');

    const deletedList = await listAll(`/deletedstorage/${name}/sas`);
    assert.equal(deletedList.length, 1);
    assertShape('DeletedSasDefinitionItem', deletedList[0]!);
    const deletedGet = await call('GET', `/deletedstorage/${name}/sas/temp`);
    assert.equal(deletedGet.status, 200);
    assert.equal(deletedGet.body.templateUri, created.body.templateUri);

    assert.equal((await call('PUT', `/storage/${name}/sas/temp`, { body: accountSas(name) })).status, 409);
    const recovered = await call('POST', `/deletedstorage/${name}/sas/temp/recover`);
    assert.equal(recovered.status, 200);
    assertShape('SasDefinitionBundle', recovered.body);
    assert.equal((await sasSecret(String(created.body.sid))).status, 200);
    assert.equal((await call('GET', `/deletedstorage/${name}/sas/temp`)).status, 404);
    assert.equal((await call('POST', `/deletedstorage/${name}/sas/temp/recover`)).status, 404);
  });

  it("never takes over or removes a secret it does not own that has the definition's secret name", async () => {
    const name = uniqueName('clash');
    const userSecret = `${name}-tokens`;
    assert.equal((await call('PUT', `/secrets/${userSecret}`, { body: { value: 'mine' } })).status, 200);
    await call('PUT', `/storage/${name}`, { body: accountBody(name) });
    const r = await call('PUT', `/storage/${name}/sas/tokens`, { body: accountSas(name) });
    assert.equal(r.status, 409);
    assert.equal(r.body.error?.code, 'Conflict');
    await call('PUT', `/storage/${name}/sas/other`, { body: accountSas(name) });
    await call('DELETE', `/storage/${name}`);
    const kept = await call('GET', `/secrets/${userSecret}`);
    assert.equal(kept.status, 200);
    assert.equal(kept.body.value, 'mine');
    assert.equal(kept.body.managed, undefined);
  });

  it('keeps SAS definitions through an account delete and recover', async () => {
    const name = uniqueName('sasr');
    await call('PUT', `/storage/${name}`, { body: accountBody(name) });
    const sas = await call('PUT', `/storage/${name}/sas/keep`, { body: accountSas(name) });
    await call('DELETE', `/storage/${name}`);
    assert.equal((await sasSecret(String(sas.body.sid))).status, 404);
    await call('POST', `/deletedstorage/${name}/recover`);
    assert.equal((await call('GET', `/storage/${name}/sas/keep`)).status, 200);
    assert.equal((await sasSecret(String(sas.body.sid))).status, 200);
  });
});

describe('storage access', () => {
  it('lets the list-only reader list accounts but not read one, naming the missing permission', async () => {
    assert.equal((await call('GET', '/storage', { who: 'reader' })).status, 200);
    assert.equal((await call('GET', '/storage/contosostorage/sas', { who: 'reader' })).status, 200);
    const r = await call('GET', '/storage/contosostorage', { who: 'reader' });
    assert.equal(r.status, 403);
    assert.equal(r.body.error?.code, 'Forbidden');
    assert.match(r.body.error!.message, /does not have storage get permission/);
    const w = await call('PUT', '/storage/readerwrite', { who: 'reader', body: accountBody('readerwrite') });
    assert.equal(w.status, 403);
  });

  it('refuses the no-access identity even a list', async () => {
    const r = await call('GET', '/storage', { who: 'noaccess' });
    assert.equal(r.status, 403);
    assert.equal(r.body.error?.code, 'Forbidden');
  });
});

describe('storage robustness', () => {
  it('answers arbitrary JSON bodies on every storage route with a Key Vault status below 500', async () => {
    await call('PUT', '/storage/fuzzacct', { body: accountBody('fuzzacct') });
    await call('PUT', '/storage/fuzzacct/sas/fuzzsas', { body: accountSas('fuzzacct') });
    const routes: [string, string][] = [
      ['PUT', '/storage/fuzzacct'],
      ['PATCH', '/storage/fuzzacct'],
      ['POST', '/storage/fuzzacct/regeneratekey'],
      ['POST', '/storage/restore'],
      ['PUT', '/storage/fuzzacct/sas/fuzzsas'],
      ['PATCH', '/storage/fuzzacct/sas/fuzzsas'],
      ['PUT', '/storage/fuzzother'],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.jsonValue(), async ([method, path], body) => {
        const r = await call(method, path, { body });
        assert.ok(r.status < 500, `${method} ${path} ${JSON.stringify(body)} → ${r.status}`);
        if (r.status >= 400) assert.equal(typeof r.body.error?.code, 'string');
      }),
      { numRuns: 150 },
    );
  });
});
