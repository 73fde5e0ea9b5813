import { KvError, badParameter, conflict, notFound } from '../../core/errors';
import { pageOf } from '../../core/paging';
import { optionalString, requireObject } from '../../core/validate';
import type { JsonResponse, RouteContext } from '../../core/types';
import { requireAction } from './access';
import { BUILT_IN_ROLES, KNOWN_DATA_ACTIONS, ROLE_DEFINITION_TYPE, type PermissionSet, type RoleDefinitionRecord } from './roles';
import { GUID, allRoles, findRole, hsmState, requestScope } from './state';

export const roleDefinitionId = (name: string): string => `Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/${name}`;

export function roleDefinitionOut(r: RoleDefinitionRecord): Record<string, unknown> {
  return {
    id: roleDefinitionId(r.name),
    name: r.name,
    type: ROLE_DEFINITION_TYPE,
    properties: {
      roleName: r.roleName,
      description: r.description,
      type: r.roleType,
      permissions: r.permissions.map((p) => ({ actions: [...p.actions], notActions: [...p.notActions], dataActions: [...p.dataActions], notDataActions: [...p.notDataActions] })),
      assignableScopes: [...r.assignableScopes],
    },
  };
}

export const roleDefinitionNotFound = (name: string): KvError => notFound('RoleDefinitionNotFound', `The role definition '${name}' does not exist.`);

/** `$filter`: atScope() (every definition applies at every scope of an HSM) or roleName eq '…'. */
function filtered(roles: RoleDefinitionRecord[], filter: string | null): RoleDefinitionRecord[] {
  if (filter === null || /^\s*atScope\(\)\s*$/i.test(filter)) return roles;
  const byName = /^\s*roleName\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
  if (byName) return roles.filter((r) => r.roleName.toLowerCase() === byName[1]!.replace(/''/g, "'").toLowerCase());
  throw badParameter(`The $filter '${filter}' is not supported. Use atScope() or roleName eq '{name}'.`);
}

export function listRoleDefinitions(ctx: RouteContext): JsonResponse {
  const scope = requestScope(ctx);
  requireAction(ctx, 'roleDefinitions/read/action', scope);
  const roles = filtered(allRoles(hsmState(ctx.container)), ctx.url.searchParams.get('$filter'));
  return { body: pageOf(roles.map(roleDefinitionOut), ctx.url) };
}

export function getRoleDefinition(ctx: RouteContext): JsonResponse {
  const scope = requestScope(ctx);
  requireAction(ctx, 'roleDefinitions/read/action', scope);
  const name = ctx.params.roleDefinitionName!;
  const role = findRole(hsmState(ctx.container), name);
  if (!role) throw roleDefinitionNotFound(name);
  return { body: roleDefinitionOut(role) };
}

function stringArray(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw badParameter(`Property '${what}' has invalid value: expected an array of strings.`);
  return value as string[];
}

function dataActions(value: unknown, what: string): string[] {
  const actions = stringArray(value, what);
  const known = new Set(KNOWN_DATA_ACTIONS.map((a) => a.toLowerCase()));
  for (const a of actions) {
    // Wildcards are allowed as long as they stay inside the Managed HSM namespace.
    if (!known.has(a.toLowerCase()) && !(a.includes('*') && /^Microsoft\.KeyVault\/managedHsm\//i.test(a))) throw badParameter(`The data action '${a}' in '${what}' is not a valid Managed HSM data action.`);
  }
  return actions;
}

function permissionsOf(value: unknown): PermissionSet[] {
  if (!Array.isArray(value) || value.length === 0) throw badParameter("Property 'properties.permissions' is required: an array with at least one permission.");
  return value.map((p, i) => {
    if (p === null || typeof p !== 'object' || Array.isArray(p)) throw badParameter(`Property 'properties.permissions[${i}]' must be an object.`);
    const o = p as Record<string, unknown>;
    const set: PermissionSet = {
      actions: stringArray(o.actions, `permissions[${i}].actions`),
      notActions: stringArray(o.notActions, `permissions[${i}].notActions`),
      dataActions: dataActions(o.dataActions, `permissions[${i}].dataActions`),
      notDataActions: dataActions(o.notDataActions, `permissions[${i}].notDataActions`),
    };
    if (set.actions.length > 0) throw badParameter('Managed HSM role definitions grant data actions only; "actions" must be empty.');
    return set;
  });
}

export function putRoleDefinition(ctx: RouteContext): JsonResponse {
  const scope = requestScope(ctx);
  if (scope !== '/') throw badParameter(`Role definitions can only be created at scope '/', not '${scope}'.`);
  requireAction(ctx, 'roleDefinitions/write/action', scope);
  const name = ctx.params.roleDefinitionName!;
  if (!GUID.test(name)) throw badParameter(`The role definition name '${name}' is not valid: it must be a GUID.`);
  if (BUILT_IN_ROLES.some((r) => r.name === name.toLowerCase())) throw badParameter(`The role definition '${name}' is a built-in role and cannot be changed.`);
  const body = requireObject(ctx.body, 'RoleDefinitions_CreateOrUpdate');
  const properties = requireObject(body.properties, "the role definition's 'properties'");
  const roleName = optionalString(properties, 'roleName');
  if (!roleName || !roleName.trim()) throw badParameter("Property 'properties.roleName' is required.");
  const type = optionalString(properties, 'type');
  if (type !== undefined && type !== 'CustomRole') throw badParameter(`Property 'properties.type' must be 'CustomRole', not '${type}'.`);
  const assignableScopes = properties.assignableScopes === undefined || properties.assignableScopes === null ? ['/'] : stringArray(properties.assignableScopes, 'properties.assignableScopes');
  for (const s of assignableScopes) if (s !== '/' && s !== '/keys') throw badParameter(`The assignable scope '${s}' is not valid: use '/' or '/keys'.`);
  const state = hsmState(ctx.container);
  const clash = allRoles(state).find((r) => r.name !== name.toLowerCase() && r.roleName.toLowerCase() === roleName.toLowerCase());
  if (clash) throw conflict(`A role definition named '${roleName}' already exists (${clash.name}).`);
  const record: RoleDefinitionRecord = {
    name: name.toLowerCase(),
    roleName,
    description: optionalString(properties, 'description') ?? '',
    roleType: 'CustomRole',
    permissions: permissionsOf(properties.permissions),
    assignableScopes: assignableScopes.length ? assignableScopes : ['/'],
  };
  state.customRoles[record.name] = record;
  ctx.save();
  return { status: 201, body: roleDefinitionOut(record) };
}

export function deleteRoleDefinition(ctx: RouteContext): JsonResponse {
  const scope = requestScope(ctx);
  requireAction(ctx, 'roleDefinitions/delete/action', scope);
  const name = ctx.params.roleDefinitionName!.toLowerCase();
  const state = hsmState(ctx.container);
  if (BUILT_IN_ROLES.some((r) => r.name === name)) throw badParameter(`The role definition '${name}' is a built-in role and cannot be deleted.`);
  const role = state.customRoles[name];
  if (!role) throw roleDefinitionNotFound(ctx.params.roleDefinitionName!);
  const used = Object.values(state.assignments).filter((a) => a.roleDefinition === name);
  if (used.length > 0) throw conflict(`The role definition '${role.roleName}' cannot be deleted while ${used.length} role assignment(s) use it; delete them first.`);
  delete state.customRoles[name];
  ctx.save();
  return { body: roleDefinitionOut(role) };
}
