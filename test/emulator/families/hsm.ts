import { newGuid } from '../core/ids';
import type { Container, EmulatorInternals, FamilyModule, RouteDef } from '../core/types';
import { createAssignment, deleteAssignment, getAssignment, listAssignments } from './hsm/assignments';
import { deleteRoleDefinition, getRoleDefinition, listRoleDefinitions, putRoleDefinition } from './hsm/definitions';
import { getSetting, listSettings, updateSetting } from './hsm/settings';
import { CRYPTO_USER_ROLE_ID } from './hsm/roles';
import { hsmState } from './hsm/state';

/**
 * Managed HSM administration (administration.json): local RBAC role definitions and assignments, and account
 * settings. Access is checked in the handlers against the HSM's own role assignments (see hsm/access.ts).
 */

const hsmOnly = ['hsm'] as const;
const AUTH = '/providers/Microsoft.Authorization';

// {scope} may be "/", "/keys" or "/keys/{name}"; the router matches segments, so each scope shape is its own route.
const SCOPES = ['', '/keys', '/keys/{key-name}'];

const routes: RouteDef[] = SCOPES.flatMap((scope): RouteDef[] => [
  { method: 'GET', path: `${scope}${AUTH}/roleDefinitions`, operationId: 'RoleDefinitions_List', on: hsmOnly, handler: listRoleDefinitions },
  { method: 'GET', path: `${scope}${AUTH}/roleDefinitions/{roleDefinitionName}`, operationId: 'RoleDefinitions_Get', on: hsmOnly, handler: getRoleDefinition },
  { method: 'PUT', path: `${scope}${AUTH}/roleDefinitions/{roleDefinitionName}`, operationId: 'RoleDefinitions_CreateOrUpdate', on: hsmOnly, handler: putRoleDefinition },
  { method: 'DELETE', path: `${scope}${AUTH}/roleDefinitions/{roleDefinitionName}`, operationId: 'RoleDefinitions_Delete', on: hsmOnly, handler: deleteRoleDefinition },
  { method: 'GET', path: `${scope}${AUTH}/roleAssignments`, operationId: 'RoleAssignments_ListForScope', on: hsmOnly, handler: listAssignments },
  { method: 'GET', path: `${scope}${AUTH}/roleAssignments/{roleAssignmentName}`, operationId: 'RoleAssignments_Get', on: hsmOnly, handler: getAssignment },
  { method: 'PUT', path: `${scope}${AUTH}/roleAssignments/{roleAssignmentName}`, operationId: 'RoleAssignments_Create', on: hsmOnly, handler: createAssignment },
  { method: 'DELETE', path: `${scope}${AUTH}/roleAssignments/{roleAssignmentName}`, operationId: 'RoleAssignments_Delete', on: hsmOnly, handler: deleteAssignment },
]);

routes.push(
  { method: 'GET', path: '/settings', operationId: 'GetSettings', on: hsmOnly, handler: listSettings },
  { method: 'GET', path: '/settings/{setting-name}', operationId: 'GetSetting', on: hsmOnly, handler: getSetting },
  { method: 'PATCH', path: '/settings/{setting-name}', operationId: 'UpdateSetting', on: hsmOnly, handler: updateSetting },
);

/** Demo content: hsm-demo assigns Managed HSM Crypto User to the app identity at the HSM-wide scope. */
function seedDemo(container: Container, emulator: EmulatorInternals): void {
  if (container.spec.kind !== 'hsm' || container.spec.name !== 'hsm-demo') return;
  const app = emulator.topology.identities.find((i) => i.handle === 'app');
  if (!app) return;
  const name = newGuid();
  hsmState(container).assignments[name] = { name, scope: '/', roleDefinition: CRYPTO_USER_ROLE_ID, principalId: app.objectId };
}

export const hsm: FamilyModule = { routes, seedDemo };
