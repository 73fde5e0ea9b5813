import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestEmulator, containerUrl, credentialFor, type IdentityHandle } from '../support/emulator';
import { collect, serviceFor } from '../support/service';
import type { Emulator } from '../emulator';
import type { KeyVaultService } from '../../src/keyvault/service';
import { isKeyVaultError, KeyVaultError } from '../../src/keyvault/errors';
import { BUILT_IN_HSM_ROLES } from '../../src/keyvault/hsm';

const badRequest = (pattern: RegExp) => (e: unknown) => e instanceof KeyVaultError && e.kind === 'bad-request' && pattern.test(e.message);

describe('Managed HSM administration service against the emulator', () => {
  let emu: Emulator;
  let svc: KeyVaultService;
  let hsm: string;

  /** The Entra object id of an emulator identity, read from its token (as a user would paste it from Entra). */
  async function objectIdOf(handle: IdentityHandle): Promise<string> {
    const token = await credentialFor(emu.ready, handle).getToken(`${hsm}/.default`);
    const payload = JSON.parse(Buffer.from(token!.token.split('.')[1]!, 'base64url').toString('utf8')) as { oid: string };
    return payload.oid;
  }

  before(async () => {
    emu = await startTestEmulator({ seed: 'demo' });
    svc = serviceFor(emu.ready);
    hsm = containerUrl(emu.ready, 'hsm-demo');
  });
  after(async () => {
    svc.dispose();
    await emu.close();
  });

  it('lists the built-in role definitions with the ids we assign by name', async () => {
    const roles = await collect(svc.hsm.listRoleDefinitions(hsm));
    for (const [roleName, guid] of Object.entries(BUILT_IN_HSM_ROLES)) {
      const role = roles.find((r) => r.roleName === roleName);
      assert.ok(role, `missing ${roleName}`);
      assert.equal(role.name, guid);
      assert.equal(role.roleType, 'AKVBuiltInRole');
    }
    const keysScope = await collect(svc.hsm.listRoleDefinitions(hsm, '/keys'));
    assert.equal(keysScope.length, roles.length);
    const byName = await collect(svc.hsm.listRoleDefinitions(hsm, '/', { roleName: 'Managed HSM Crypto User' }));
    assert.deepEqual(byName.map((r) => r.name), [BUILT_IN_HSM_ROLES['Managed HSM Crypto User']]);
  });

  it('reads one role definition with its data actions', async () => {
    const user = await svc.hsm.getRoleDefinition(hsm, BUILT_IN_HSM_ROLES['Managed HSM Crypto User']!);
    assert.equal(user.roleName, 'Managed HSM Crypto User');
    assert.ok(user.permissions[0]!.dataActions.includes('Microsoft.KeyVault/managedHsm/keys/sign/action'));
    assert.match(user.id, /\/roleDefinitions\/21dbd100-6940-42c2-9190-5d6cb909625b$/);
    await assert.rejects(svc.hsm.getRoleDefinition(hsm, randomUUID()), (e: unknown) => isKeyVaultError(e) && e.kind === 'not-found');
  });

  it('creates a role assignment by role name, lists, reads and deletes it, and the principal gains access meanwhile', async () => {
    const principalId = await objectIdOf('noaccess');
    const outsider = serviceFor(emu.ready, 'noaccess');
    await assert.rejects(collect(outsider.hsm.listRoleAssignments(hsm)), (e: unknown) => isKeyVaultError(e) && e.kind === 'forbidden-rbac');

    const created = await svc.hsm.createRoleAssignment(hsm, { role: 'Managed HSM Policy Administrator', principalId });
    assert.match(created.name, /^[0-9a-f-]{36}$/);
    assert.equal(created.principalId, principalId);
    assert.equal(created.scope, '/');
    assert.match(created.roleDefinitionId, new RegExp(`${BUILT_IN_HSM_ROLES['Managed HSM Policy Administrator']}$`));

    const mine = await collect(svc.hsm.listRoleAssignments(hsm, '/', { principalId }));
    assert.deepEqual(mine.map((a) => a.name), [created.name]);
    assert.equal((await svc.hsm.getRoleAssignment(hsm, created.name)).principalId, principalId);
    // The assignment takes effect: the principal may now read role assignments itself.
    assert.ok((await collect(outsider.hsm.listRoleAssignments(hsm))).some((a) => a.name === created.name));

    const deleted = await svc.hsm.deleteRoleAssignment(hsm, created.name);
    assert.equal(deleted.name, created.name);
    await assert.rejects(svc.hsm.getRoleAssignment(hsm, created.name), (e: unknown) => isKeyVaultError(e) && e.kind === 'not-found');
    await assert.rejects(collect(outsider.hsm.listRoleAssignments(hsm)), (e: unknown) => isKeyVaultError(e) && e.kind === 'forbidden-rbac');
    outsider.dispose();
  });

  it('assigns a role at the scope of one key and lists it there', async () => {
    const principalId = await objectIdOf('reader');
    const created = await svc.hsm.createRoleAssignment(hsm, { role: BUILT_IN_HSM_ROLES['Managed HSM Crypto Auditor']!, principalId, scope: '/keys/payments-key' });
    assert.equal(created.scope, '/keys/payments-key');
    const atKey = await collect(svc.hsm.listRoleAssignments(hsm, '/keys/payments-key'));
    assert.ok(atKey.some((a) => a.name === created.name));
    const atScopeOnly = await collect(svc.hsm.listRoleAssignments(hsm, '/keys', { atScopeOnly: true }));
    assert.ok(!atScopeOnly.some((a) => a.name === created.name));
    await svc.hsm.deleteRoleAssignment(hsm, created.name, '/keys/payments-key');
  });

  it('creates a custom role, assigns it by its name, and deletes both', async () => {
    const role = await svc.hsm.setRoleDefinition(hsm, {
      roleName: 'Signer only',
      description: 'Signs with keys, nothing else',
      permissions: [{ dataActions: ['Microsoft.KeyVault/managedHsm/keys/read/action', 'Microsoft.KeyVault/managedHsm/keys/sign/action'] }],
    });
    assert.equal(role.roleType, 'CustomRole');
    const principalId = await objectIdOf('reader');
    const assignment = await svc.hsm.createRoleAssignment(hsm, { role: 'signer only', principalId, scope: '/keys' });
    assert.ok(assignment.roleDefinitionId.endsWith(role.name));
    await assert.rejects(svc.hsm.deleteRoleDefinition(hsm, role.name), (e: unknown) => isKeyVaultError(e) && e.status === 409);
    await svc.hsm.deleteRoleAssignment(hsm, assignment.name, '/keys');
    assert.equal((await svc.hsm.deleteRoleDefinition(hsm, role.name)).roleName, 'Signer only');
    await assert.rejects(svc.hsm.createRoleAssignment(hsm, { role: 'Signer only', principalId }), (e: unknown) => isKeyVaultError(e) && e.kind === 'not-found' && /no role named/.test(e.message));
  });

  it('lists, reads and updates settings', async () => {
    const settings = await svc.hsm.listSettings(hsm);
    const arm = settings.find((s) => s.name === 'AllowKeyManagementOperationsThroughARM');
    assert.ok(arm);
    assert.equal(arm.type, 'boolean');
    const flipped = arm.value === 'true' ? 'false' : 'true';
    const updated = await svc.hsm.updateSetting(hsm, arm.name, flipped === 'true');
    assert.equal(updated.value, flipped);
    assert.equal((await svc.hsm.getSetting(hsm, arm.name)).value, flipped);
    await assert.rejects(svc.hsm.getSetting(hsm, 'NoSuchSetting'), (e: unknown) => isKeyVaultError(e) && e.status === 400);
  });

  it('refuses bad scopes, names, principals, values and vault URLs before sending', async () => {
    const vault = containerUrl(emu.ready, 'kv-demo');
    const before = svc.requestCount();
    assert.throws(() => svc.hsm.listRoleAssignments(hsm, '/secrets' as never), badRequest(/not a Managed HSM role scope/));
    await assert.rejects(svc.hsm.getRoleAssignment(hsm, 'not-a-guid'), badRequest(/is not a GUID/));
    await assert.rejects(svc.hsm.createRoleAssignment(hsm, { role: 'Managed HSM Crypto User', principalId: 'someone@contoso.com' }), badRequest(/Principal id/));
    await assert.rejects(svc.hsm.updateSetting(hsm, 'AllowKeyManagementOperationsThroughARM', 'yes' as never), badRequest(/not a value/));
    await assert.rejects(svc.hsm.setRoleDefinition(hsm, { roleName: 'x', permissions: [{ dataActions: ['Microsoft.KeyVault/vaults/secrets/read'] }] }), badRequest(/not a Managed HSM data action/));
    await assert.rejects(svc.hsm.setRoleDefinition(hsm, { name: BUILT_IN_HSM_ROLES['Managed HSM Backup']!, roleName: 'x', permissions: [{ dataActions: [] }] }), badRequest(/Built-in roles cannot be changed/));
    assert.equal(svc.requestCount(), before);
    // A vault at a known cloud suffix is refused outright; the emulator's vaults are custom origins, so they go through.
    await assert.rejects(svc.hsm.listSettings('https://contoso.vault.azure.net'), badRequest(/is a key vault, not a Managed HSM/));
    await assert.rejects(svc.hsm.listSettings(vault), (e: unknown) => isKeyVaultError(e) && (e.status === 404 || e.status === 400));
  });
});
