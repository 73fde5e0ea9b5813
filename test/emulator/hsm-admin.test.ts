import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from './emulator';
import { containerUrl, credentialFor, startTestEmulator, type IdentityHandle } from '../support/emulator';

// Managed HSM administration (administration.json 2026-04-01) over raw HTTPS: @azure/keyvault-admin is not on the
// registry here. Role definitions, role assignments at "/", "/keys" and "/keys/{name}", settings, and access.

let emulator: Emulator;

interface Reply {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string; innererror?: { code: string } } };
}

const credentials = new Map<string, ReturnType<typeof credentialFor>>();

async function tokenOf(who: IdentityHandle, origin: string): Promise<string> {
  let credential = credentials.get(who);
  if (!credential) credentials.set(who, (credential = credentialFor(emulator.ready, who)));
  return (await credential.getToken(`${origin}/.default`)).token;
}

/** `path` is sent as is, so "//providers/…" (scope "/" joined naively) reaches the server unchanged. */
async function call(method: string, path: string, options: { body?: unknown; who?: IdentityHandle; container?: string } = {}): Promise<Reply> {
  const origin = containerUrl(emulator.ready, options.container ?? 'hsm-demo');
  const token = await tokenOf(options.who ?? 'app', origin);
  const sep = path.includes('?') ? '&' : '?';
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const res = await fetch(`${origin}${path}${sep}api-version=2026-04-01`, {
    method,
    body,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Reply['body']) : {} };
}

/** The caller's object id, as Managed HSM sees it (the token's oid claim). */
async function objectIdOf(who: IdentityHandle): Promise<string> {
  const token = await tokenOf(who, containerUrl(emulator.ready, 'hsm-demo'));
  return (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { oid: string }).oid;
}

const spec = JSON.parse(readFileSync(join(__dirname, '..', 'spec', 'keyvault', '2026-04-01', 'administration.json'), 'utf8')) as { definitions: Record<string, { properties?: Record<string, unknown> }> };
function assertShape(definition: string, value: Record<string, unknown>): void {
  const allowed = new Set(Object.keys(spec.definitions[definition]!.properties ?? {}));
  assert.deepEqual(Object.keys(value).filter((k) => !allowed.has(k)), [], `${definition} has properties the contract does not define`);
}

const AUTH = '/providers/Microsoft.Authorization';

interface RoleDefinition {
  id: string;
  name: string;
  type: string;
  properties: { roleName: string; type: string; description: string; permissions: { dataActions: string[] }[]; assignableScopes: string[] };
}
interface RoleAssignment {
  id: string;
  name: string;
  type: string;
  properties: { scope: string; roleDefinitionId: string; principalId: string };
}

const CRYPTO_USER = '21dbd100-6940-42c2-9190-5d6cb909625b';
const POLICY_ADMIN = '4bd23610-cdcf-4971-bdee-bdc562cc28e4';

before(async () => {
  emulator = await startTestEmulator({ seed: 'demo' });
});

after(async () => {
  await emulator.close();
});

describe('Managed HSM role definitions', () => {
  it('lists the built-in roles with their published names, ids and data actions', async () => {
    const r = await call('GET', `${AUTH}/roleDefinitions`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const roles = r.body.value as RoleDefinition[];
    const byName = new Map(roles.map((d) => [d.properties.roleName, d]));
    const expected: Record<string, string> = {
      'Managed HSM Administrator': 'a290e904-7015-4bba-90c8-60543313cdb4',
      'Managed HSM Crypto Officer': '515eb02d-2335-4d2d-92f2-b1cbdf9c3778',
      'Managed HSM Crypto User': CRYPTO_USER,
      'Managed HSM Policy Administrator': POLICY_ADMIN,
      'Managed HSM Crypto Auditor': '2c18b078-7c48-4d3a-af88-5a3a1b3f82b3',
      'Managed HSM Crypto Service Encryption User': '33413926-3206-4cdd-b39a-83574fe37a17',
      'Managed HSM Crypto Service Release User': '21dbd100-6940-42c2-9190-5d6cb909625c',
      'Managed HSM Backup': '7b127d3c-77bd-4e3e-bbe0-dbb8971fa7f8',
    };
    for (const [roleName, id] of Object.entries(expected)) {
      const d = byName.get(roleName);
      assert.ok(d, `${roleName} is listed`);
      assertShape('RoleDefinition', d as unknown as Record<string, unknown>);
      assert.equal(d.name, id);
      assert.equal(d.id, `Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/${id}`);
      assert.equal(d.type, 'Microsoft.Authorization/roleDefinitions');
      assert.equal(d.properties.type, 'AKVBuiltInRole');
      assert.deepEqual(d.properties.assignableScopes, ['/']);
      for (const a of d.properties.permissions.flatMap((p) => p.dataActions)) assert.match(a, /^Microsoft\.KeyVault\/managedHsm\//);
    }
    const userActions = byName.get('Managed HSM Crypto User')!.properties.permissions[0]!.dataActions;
    assert.ok(userActions.includes('Microsoft.KeyVault/managedHsm/keys/sign/action'));
    assert.ok(!userActions.includes('Microsoft.KeyVault/managedHsm/keys/export/action'), 'Crypto User may not export keys');
    const backupActions = byName.get('Managed HSM Backup')!.properties.permissions[0]!.dataActions;
    assert.ok(backupActions.includes('Microsoft.KeyVault/managedHsm/backup/start/action'));
  });

  it('serves scope "/" written as "//providers" and the "/keys" scopes alike', async () => {
    const plain = await call('GET', `${AUTH}/roleDefinitions`);
    for (const path of [`/${AUTH}/roleDefinitions`, `/keys${AUTH}/roleDefinitions`, `/keys/some-key${AUTH}/roleDefinitions`]) {
      const r = await call('GET', path);
      assert.equal(r.status, 200, path);
      assert.deepEqual(r.body.value, plain.body.value, path);
    }
    const got = await call('GET', `/${AUTH}/roleDefinitions/${CRYPTO_USER}`);
    assert.equal(got.status, 200);
    assert.equal((got.body as unknown as RoleDefinition).properties.roleName, 'Managed HSM Crypto User');
  });

  it('filters role definitions by role name and answers 404 for an unknown one', async () => {
    const r = await call('GET', `${AUTH}/roleDefinitions?$filter=${encodeURIComponent("roleName eq 'Managed HSM Backup'")}`);
    assert.equal(r.status, 200);
    assert.deepEqual((r.body.value as RoleDefinition[]).map((d) => d.properties.roleName), ['Managed HSM Backup']);
    assert.equal((await call('GET', `${AUTH}/roleDefinitions?$filter=${encodeURIComponent('type eq 1')}`)).status, 400);
    const missing = await call('GET', `${AUTH}/roleDefinitions/${randomUUID()}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error?.code, 'RoleDefinitionNotFound');
  });

  it('creates, updates and deletes a custom role definition', async () => {
    const id = randomUUID();
    const roleName = `Signer ${id.slice(0, 8)}`;
    const created = await call('PUT', `/${AUTH}/roleDefinitions/${id}`, {
      body: { properties: { roleName, description: 'Signs with keys', type: 'CustomRole', permissions: [{ dataActions: ['Microsoft.KeyVault/managedHsm/keys/sign/action'] }] } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assertShape('RoleDefinition', created.body);
    const def = created.body as unknown as RoleDefinition;
    assert.equal(def.name, id);
    assert.equal(def.properties.type, 'CustomRole');
    assert.deepEqual(def.properties.assignableScopes, ['/']);
    assert.deepEqual(def.properties.permissions[0]!.dataActions, ['Microsoft.KeyVault/managedHsm/keys/sign/action']);
    const listed = (await call('GET', `${AUTH}/roleDefinitions`)).body.value as RoleDefinition[];
    assert.ok(listed.some((d) => d.name === id));

    const updated = await call('PUT', `${AUTH}/roleDefinitions/${id}`, {
      body: { properties: { roleName, permissions: [{ dataActions: ['Microsoft.KeyVault/managedHsm/keys/sign/action', 'Microsoft.KeyVault/managedHsm/keys/verify/action'] }] } },
    });
    assert.equal(updated.status, 201);
    assert.equal((updated.body as unknown as RoleDefinition).properties.permissions[0]!.dataActions.length, 2);

    const deleted = await call('DELETE', `${AUTH}/roleDefinitions/${id}`);
    assert.equal(deleted.status, 200);
    assert.equal((deleted.body as unknown as RoleDefinition).properties.roleName, roleName);
    assert.equal((await call('GET', `${AUTH}/roleDefinitions/${id}`)).status, 404);
    assert.equal((await call('DELETE', `${AUTH}/roleDefinitions/${id}`)).status, 404);
  });

  it('refuses invalid custom role definitions and changes to built-in roles', async () => {
    const good = { properties: { roleName: `Role ${randomUUID()}`, permissions: [{ dataActions: ['Microsoft.KeyVault/managedHsm/keys/read/action'] }] } };
    const cases: [string, string, unknown][] = [
      ['a name that is not a GUID', `${AUTH}/roleDefinitions/not-a-guid`, good],
      ['a scope other than "/"', `/keys${AUTH}/roleDefinitions/${randomUUID()}`, good],
      ['a built-in role', `${AUTH}/roleDefinitions/${CRYPTO_USER}`, good],
      ['an unknown data action', `${AUTH}/roleDefinitions/${randomUUID()}`, { properties: { ...good.properties, permissions: [{ dataActions: ['Microsoft.KeyVault/vaults/secrets/getSecret/action'] }] } }],
      ['no permissions', `${AUTH}/roleDefinitions/${randomUUID()}`, { properties: { roleName: 'x' } }],
      ['no role name', `${AUTH}/roleDefinitions/${randomUUID()}`, { properties: { permissions: good.properties.permissions } }],
      ['no properties', `${AUTH}/roleDefinitions/${randomUUID()}`, {}],
    ];
    for (const [what, path, body] of cases) {
      const r = await call('PUT', path, { body });
      assert.equal(r.status, 400, what);
      assert.equal(r.body.error?.code, 'BadParameter', what);
    }
    const duplicate = await call('PUT', `${AUTH}/roleDefinitions/${randomUUID()}`, { body: { properties: { ...good.properties, roleName: 'Managed HSM Crypto User' } } });
    assert.equal(duplicate.status, 409);
    assert.equal((await call('DELETE', `${AUTH}/roleDefinitions/${CRYPTO_USER}`)).status, 400);
  });
});

describe('Managed HSM role assignments', () => {
  it('seeds an assignment of Managed HSM Crypto User to the app identity', async () => {
    const app = await objectIdOf('app');
    const r = await call('GET', `/${AUTH}/roleAssignments`);
    assert.equal(r.status, 200);
    const seeded = (r.body.value as RoleAssignment[]).find((a) => a.properties.principalId === app && a.properties.roleDefinitionId.endsWith(CRYPTO_USER));
    assert.ok(seeded, 'the seeded assignment is listed');
    assertShape('RoleAssignment', seeded as unknown as Record<string, unknown>);
    assert.equal(seeded.type, 'Microsoft.Authorization/roleAssignments');
    assert.equal(seeded.properties.scope, '/');
    assert.equal(seeded.id, `/providers/Microsoft.Authorization/roleAssignments/${seeded.name}`);
  });

  it('creates assignments at "/keys" and "/keys/{name}" with 201 and lists them by scope and filter', async () => {
    const principal = randomUUID();
    const atKeys = randomUUID();
    const atKey = randomUUID();
    const created = await call('PUT', `/keys${AUTH}/roleAssignments/${atKeys}`, { body: { properties: { roleDefinitionId: `Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/${CRYPTO_USER}`, principalId: principal } } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assertShape('RoleAssignment', created.body);
    const a = created.body as unknown as RoleAssignment;
    assert.equal(a.id, `/keys/providers/Microsoft.Authorization/roleAssignments/${atKeys}`);
    assert.deepEqual(a.properties, { scope: '/keys', roleDefinitionId: `Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/${CRYPTO_USER}`, principalId: principal });
    // The example's "/keys/providers/…/roleDefinitions/{id}" form of the role id is accepted as well.
    const perKey = await call('PUT', `/keys/payments-key${AUTH}/roleAssignments/${atKey}`, { body: { properties: { roleDefinitionId: `/keys/providers/Microsoft.Authorization/roleDefinitions/${POLICY_ADMIN}`, principalId: principal } } });
    assert.equal(perKey.status, 201);
    assert.equal((perKey.body as unknown as RoleAssignment).properties.scope, '/keys/payments-key');

    const names = async (path: string): Promise<string[]> => {
      const r = await call('GET', path);
      assert.equal(r.status, 200, path);
      return (r.body.value as RoleAssignment[]).map((x) => x.name);
    };
    const underKeys = await names(`/keys${AUTH}/roleAssignments`);
    assert.ok(underKeys.includes(atKeys) && underKeys.includes(atKey));
    const atScopeKeys = await names(`/keys${AUTH}/roleAssignments?$filter=atScope()`);
    assert.ok(atScopeKeys.includes(atKeys) && !atScopeKeys.includes(atKey), 'atScope() leaves out assignments below the scope');
    const atScopeRoot = await names(`${AUTH}/roleAssignments?$filter=atScope()`);
    assert.ok(!atScopeRoot.includes(atKeys));
    const forPrincipal = await names(`${AUTH}/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${principal}'`)}`);
    assert.deepEqual(forPrincipal.sort(), [atKeys, atKey].sort());

    const got = await call('GET', `/keys${AUTH}/roleAssignments/${atKeys}`);
    assert.deepEqual(got.body, created.body);
    const deleted = await call('DELETE', `/keys${AUTH}/roleAssignments/${atKeys}`);
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.body, created.body);
    const gone = await call('GET', `/keys${AUTH}/roleAssignments/${atKeys}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error?.code, 'RoleAssignmentNotFound');
    assert.equal((await call('DELETE', `/keys${AUTH}/roleAssignments/${atKeys}`)).status, 404);
  });

  it('refuses duplicate, malformed and dangling assignments', async () => {
    const principal = randomUUID();
    const name = randomUUID();
    const body = { properties: { roleDefinitionId: `Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/${CRYPTO_USER}`, principalId: principal } };
    assert.equal((await call('PUT', `${AUTH}/roleAssignments/${name}`, { body })).status, 201);
    assert.equal((await call('PUT', `${AUTH}/roleAssignments/${name}`, { body })).status, 409, 'same name');
    assert.equal((await call('PUT', `${AUTH}/roleAssignments/${randomUUID()}`, { body })).status, 409, 'same role, principal and scope');
    const cases: [string, string, unknown][] = [
      ['a name that is not a GUID', `${AUTH}/roleAssignments/assignment-1`, body],
      ['an unknown role', `${AUTH}/roleAssignments/${randomUUID()}`, { properties: { ...body.properties, roleDefinitionId: randomUUID() } }],
      ['no principal', `${AUTH}/roleAssignments/${randomUUID()}`, { properties: { roleDefinitionId: CRYPTO_USER } }],
      ['no properties', `${AUTH}/roleAssignments/${randomUUID()}`, { roleDefinitionId: CRYPTO_USER, principalId: principal }],
      ['a scope outside the HSM tree', `/secrets${AUTH}/roleAssignments/${randomUUID()}`, body],
    ];
    for (const [what, path, b] of cases) {
      const r = await call('PUT', path, { body: b });
      assert.ok(r.status === 400 || r.status === 404, `${what}: ${r.status}`);
      if (r.status === 400) assert.equal(r.body.error?.code, 'BadParameter', what);
    }
  });

  it('refuses to delete a custom role that an assignment still uses', async () => {
    const roleId = randomUUID();
    await call('PUT', `${AUTH}/roleDefinitions/${roleId}`, { body: { properties: { roleName: `In use ${roleId}`, permissions: [{ dataActions: ['Microsoft.KeyVault/managedHsm/keys/read/action'] }] } } });
    const assignment = randomUUID();
    await call('PUT', `${AUTH}/roleAssignments/${assignment}`, { body: { properties: { roleDefinitionId: roleId, principalId: randomUUID() } } });
    assert.equal((await call('DELETE', `${AUTH}/roleDefinitions/${roleId}`)).status, 409);
    await call('DELETE', `${AUTH}/roleAssignments/${assignment}`);
    assert.equal((await call('DELETE', `${AUTH}/roleDefinitions/${roleId}`)).status, 200);
  });
});

describe('Managed HSM administration access', () => {
  it('refuses role management to the reader and to the no-access identity with 403 ForbiddenByRbac', async () => {
    for (const who of ['reader', 'noaccess'] as const) {
      for (const [method, path] of [
        ['GET', `${AUTH}/roleDefinitions`],
        ['GET', `${AUTH}/roleAssignments`],
        ['PUT', `${AUTH}/roleAssignments/${randomUUID()}`],
      ] as const) {
        const r = await call(method, path, { who, body: method === 'PUT' ? { properties: { roleDefinitionId: CRYPTO_USER, principalId: randomUUID() } } : undefined });
        assert.equal(r.status, 403, `${who} ${method} ${path}`);
        assert.equal(r.body.error?.code, 'Forbidden');
        assert.equal(r.body.error?.innererror?.code, 'ForbiddenByRbac');
        assert.match(r.body.error!.message, /Action: 'Microsoft\.KeyVault\/managedHsm\/role(Definitions|Assignments)\/(read|write)\/action'/);
      }
    }
  });

  it('lets an assignment of Managed HSM Policy Administrator grant role management, and its deletion take it back', async () => {
    const reader = await objectIdOf('reader');
    assert.equal((await call('GET', `${AUTH}/roleAssignments`, { who: 'reader' })).status, 403);
    const name = randomUUID();
    await call('PUT', `${AUTH}/roleAssignments/${name}`, { body: { properties: { roleDefinitionId: POLICY_ADMIN, principalId: reader } } });
    assert.equal((await call('GET', `${AUTH}/roleAssignments`, { who: 'reader' })).status, 200);
    await call('DELETE', `${AUTH}/roleAssignments/${name}`);
    assert.equal((await call('GET', `${AUTH}/roleAssignments`, { who: 'reader' })).status, 403);
  });

  it('does not serve HSM administration on a vault', async () => {
    assert.equal((await call('GET', `${AUTH}/roleDefinitions`, { container: 'kv-demo' })).status, 404);
    assert.equal((await call('GET', '/settings', { container: 'kv-demo' })).status, 404);
  });
});

describe('Managed HSM settings', () => {
  it('lists, gets and updates AllowKeyManagementOperationsThroughARM', async () => {
    const list = await call('GET', '/settings');
    assert.equal(list.status, 200);
    assert.deepEqual(Object.keys(list.body), ['settings']);
    const setting = (list.body.settings as Record<string, unknown>[]).find((s) => s.name === 'AllowKeyManagementOperationsThroughARM');
    assert.ok(setting);
    assertShape('Setting', setting);
    assert.equal(setting.type, 'boolean');
    const flipped = setting.value === 'true' ? 'false' : 'true';
    const updated = await call('PATCH', '/settings/AllowKeyManagementOperationsThroughARM', { body: { value: flipped } });
    assert.equal(updated.status, 200);
    assert.deepEqual(updated.body, { name: 'AllowKeyManagementOperationsThroughARM', value: flipped, type: 'boolean' });
    assert.equal((await call('GET', '/settings/AllowKeyManagementOperationsThroughARM')).body.value, flipped);
  });

  it('refuses an unknown setting, a non-boolean value and a missing value', async () => {
    assert.equal((await call('GET', '/settings/NoSuchSetting')).status, 400);
    for (const body of [{ value: 'yes' }, { value: true }, {}]) {
      const r = await call('PATCH', '/settings/AllowKeyManagementOperationsThroughARM', { body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error?.code, 'BadParameter');
    }
  });

  it('lets the reader read settings but not change them, and refuses the no-access identity', async () => {
    assert.equal((await call('GET', '/settings', { who: 'reader' })).status, 200);
    assert.equal((await call('PATCH', '/settings/AllowKeyManagementOperationsThroughARM', { who: 'reader', body: { value: 'true' } })).status, 403);
    assert.equal((await call('GET', '/settings', { who: 'noaccess' })).status, 403);
  });
});

describe('Managed HSM administration robustness', () => {
  it('answers arbitrary JSON bodies on every write route with a status below 500', async () => {
    const routes: [string, string][] = [
      ['PUT', `${AUTH}/roleDefinitions/${randomUUID()}`],
      ['PUT', `/keys${AUTH}/roleAssignments/${randomUUID()}`],
      ['PUT', `${AUTH}/roleAssignments/${randomUUID()}`],
      ['PATCH', '/settings/AllowKeyManagementOperationsThroughARM'],
    ];
    const property = fc.oneof(fc.jsonValue(), fc.record({ properties: fc.jsonValue() }), fc.record({ properties: fc.record({ roleName: fc.jsonValue(), permissions: fc.jsonValue(), roleDefinitionId: fc.jsonValue(), principalId: fc.jsonValue() }, { requiredKeys: [] }) }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), property, async ([method, path], body) => {
        const r = await call(method, path, { body });
        assert.ok(r.status < 500, `${method} ${path} ${JSON.stringify(body)} → ${r.status}`);
        if (r.status >= 400) assert.equal(typeof r.body.error?.code, 'string');
      }),
      { numRuns: 150 },
    );
  });
});
