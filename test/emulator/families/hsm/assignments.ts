import { badParameter, conflict, notFound } from '../../core/errors';
import { pageOf } from '../../core/paging';
import { requireObject } from '../../core/validate';
import type { JsonResponse, RouteContext } from '../../core/types';
import { requireAction } from './access';
import { roleDefinitionId } from './definitions';
import { ROLE_ASSIGNMENT_TYPE } from './roles';
import { GUID, findRole, hsmState, requestScope, scopeContains, type RoleAssignmentRecord } from './state';

export function assignmentOut(a: RoleAssignmentRecord): Record<string, unknown> {
  return {
    id: `${a.scope === '/' ? '' : a.scope}/providers/Microsoft.Authorization/roleAssignments/${a.name}`,
    name: a.name,
    type: ROLE_ASSIGNMENT_TYPE,
    properties: { scope: a.scope, roleDefinitionId: roleDefinitionId(a.roleDefinition), principalId: a.principalId },
  };
}

const assignmentNotFound = (name: string) => notFound('RoleAssignmentNotFound', `The role assignment '${name}' is not found.`);

/**
 * `$filter`: none → assignments at, above or below the scope; atScope() → at or above it;
 * principalId eq '{id}' → that principal's, at, above or below.
 */
function selected(all: RoleAssignmentRecord[], scope: string, filter: string | null): RoleAssignmentRecord[] {
  const related = (a: RoleAssignmentRecord): boolean => scopeContains(a.scope, scope) || scopeContains(scope, a.scope);
  if (filter === null) return all.filter(related);
  if (/^\s*atScope\(\)\s*$/i.test(filter)) return all.filter((a) => scopeContains(a.scope, scope));
  const principal = /^\s*principalId\s+eq\s+'?([^'\s]+)'?\s*$/i.exec(filter);
  if (principal) return all.filter((a) => related(a) && a.principalId.toLowerCase() === principal[1]!.toLowerCase());
  throw badParameter(`The $filter '${filter}' is not supported. Use atScope() or principalId eq '{id}'.`);
}

export function listAssignments(ctx: RouteContext): JsonResponse {
  const scope = requestScope(ctx);
  requireAction(ctx, 'roleAssignments/read/action', scope);
  const all = Object.values(hsmState(ctx.container).assignments);
  return { body: pageOf(selected(all, scope, ctx.url.searchParams.get('$filter')).map(assignmentOut), ctx.url) };
}

export function getAssignment(ctx: RouteContext): JsonResponse {
  const scope = requestScope(ctx);
  requireAction(ctx, 'roleAssignments/read/action', scope);
  const name = ctx.params.roleAssignmentName!;
  const a = hsmState(ctx.container).assignments[name.toLowerCase()];
  if (!a) throw assignmentNotFound(name);
  return { body: assignmentOut(a) };
}

/** Accepts a role definition reference as a full id (any of the forms clients send) or a bare GUID. */
function roleGuidOf(value: unknown): string {
  if (typeof value !== 'string' || !value) throw badParameter("Property 'properties.roleDefinitionId' is required and must be a string.");
  const last = value.split('/').filter(Boolean).pop() ?? '';
  if (!GUID.test(last)) throw badParameter(`The role definition id '${value}' is not valid.`);
  return last.toLowerCase();
}

export function createAssignment(ctx: RouteContext): JsonResponse {
  const scope = requestScope(ctx);
  requireAction(ctx, 'roleAssignments/write/action', scope);
  const name = ctx.params.roleAssignmentName!;
  if (!GUID.test(name)) throw badParameter(`The role assignment name '${name}' is not valid: it must be a GUID.`);
  const body = requireObject(ctx.body, 'RoleAssignments_Create');
  const properties = requireObject(body.properties, "the role assignment's 'properties'");
  const roleGuid = roleGuidOf(properties.roleDefinitionId);
  const principalId = properties.principalId;
  if (typeof principalId !== 'string' || !principalId.trim()) throw badParameter("Property 'properties.principalId' is required and must be a string.");
  const state = hsmState(ctx.container);
  const role = findRole(state, roleGuid);
  if (!role) throw badParameter(`The role definition '${roleGuid}' does not exist.`);
  if (scope !== '/' && !role.assignableScopes.some((s) => scopeContains(s, scope))) throw badParameter(`The role '${role.roleName}' cannot be assigned at scope '${scope}'.`);
  if (state.assignments[name.toLowerCase()]) throw conflict(`The role assignment '${name}' already exists.`);
  const same = Object.values(state.assignments).find((a) => a.roleDefinition === roleGuid && a.principalId.toLowerCase() === principalId.toLowerCase() && a.scope.toLowerCase() === scope.toLowerCase());
  if (same) throw conflict(`The role assignment already exists: ${same.name} assigns '${role.roleName}' to ${principalId} at scope '${scope}'.`);
  const record: RoleAssignmentRecord = { name: name.toLowerCase(), scope, roleDefinition: roleGuid, principalId };
  state.assignments[record.name] = record;
  ctx.save();
  return { status: 201, body: assignmentOut(record) };
}

export function deleteAssignment(ctx: RouteContext): JsonResponse {
  const scope = requestScope(ctx);
  requireAction(ctx, 'roleAssignments/delete/action', scope);
  const name = ctx.params.roleAssignmentName!;
  const state = hsmState(ctx.container);
  const a = state.assignments[name.toLowerCase()];
  if (!a) throw assignmentNotFound(name);
  delete state.assignments[a.name];
  ctx.save();
  return { body: assignmentOut(a) };
}
