import { randomUUID } from 'node:crypto';
import { type SessionContext } from './session-context';
import { expectStatus } from './session';

/** Managed HSM local RBAC and settings over raw HTTPS (@azure/keyvault-admin is not on the registry here). */
export async function hsmAdminSession({ ready, raw, s }: SessionContext): Promise<void> {
  const call = async (method: string, path: string, body: unknown, ...ok: number[]) => expectStatus(await raw.request('hsm-demo', method, path, body === undefined ? {} : { body }), ...ok);
  const defs = '/providers/Microsoft.Authorization/roleDefinitions';
  const assignments = '/providers/Microsoft.Authorization/roleAssignments';

  const listed = await s.step('RoleDefinitions_List at scope /', () => call('GET', defs, undefined, 200));
  await s.step('RoleDefinitions_List at scope /keys', () => call('GET', `/keys${defs}`, undefined, 200));
  const builtIn = (listed?.json as { value?: { name?: string; id?: string }[] } | undefined)?.value?.[0];
  if (builtIn?.name) await s.step('RoleDefinitions_Get of a built-in role', () => call('GET', `${defs}/${builtIn.name}`, undefined, 200));
  else s.blocked('RoleDefinitions_Get', 'a listed role definition');

  const custom = randomUUID();
  const created = await s.step('RoleDefinitions_CreateOrUpdate (custom role)', () =>
    call('PUT', `${defs}/${custom}`, { properties: { roleName: `Fidelity reader ${custom.slice(0, 8)}`, description: 'Reads keys', type: 'CustomRole', permissions: [{ dataActions: ['Microsoft.KeyVault/managedHsm/keys/read/action'] }], assignableScopes: ['/'] } }, 201, 200),
  );
  const roleId = (created?.json as { id?: string } | undefined)?.id ?? builtIn?.id;
  await s.step('RoleAssignments_ListForScope', () => call('GET', assignments, undefined, 200));
  const assignment = randomUUID();
  const principalId = ready.identities.find((i) => i.handle === 'reader')?.clientId ?? randomUUID();
  if (roleId) {
    await s.step('RoleAssignments_Create', () => call('PUT', `${assignments}/${assignment}`, { properties: { roleDefinitionId: roleId, principalId } }, 201, 200));
    await s.step('RoleAssignments_Get', () => call('GET', `${assignments}/${assignment}`, undefined, 200));
    await s.step('RoleAssignments_Delete', () => call('DELETE', `${assignments}/${assignment}`, undefined, 200));
  } else {
    s.blocked('RoleAssignments create/get/delete', 'a role definition id');
  }
  if (created) await s.step('RoleDefinitions_Delete (custom role)', () => call('DELETE', `${defs}/${custom}`, undefined, 200));
  await s.step('RoleDefinitions_Get of a missing role is 404', () => call('GET', `${defs}/${randomUUID()}`, undefined, 404));

  const settings = await s.step('GetSettings', () => call('GET', '/settings', undefined, 200));
  const setting = (settings?.json as { settings?: { name?: string; value?: string }[] } | undefined)?.settings?.[0];
  if (setting?.name) {
    await s.step('GetSetting', () => call('GET', `/settings/${setting.name}`, undefined, 200));
    await s.step('UpdateSetting', () => call('PATCH', `/settings/${setting.name}`, { value: setting.value ?? 'false' }, 200));
  } else {
    s.blocked('GetSetting / UpdateSetting', 'a listed setting');
  }
  await s.step('GetRandomBytes', () => call('POST', '/rng', { count: 32 }, 200));
}
