import { KvError } from '../../core/errors';
import type { RouteContext } from '../../core/types';
import { DATA_ACTION_PREFIX } from './roles';
import { findRole, hsmState, scopeContains } from './state';

/** `*` in a role's data action matches any run of characters, as in Azure RBAC. */
function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(action);
}

/**
 * Whether the caller may perform a Managed HSM data action at a scope: the HSM's administrators (identities the
 * topology grants everything, as initial administrators are) always may; anyone else needs a role assignment at or
 * above the scope whose role grants the action.
 */
export function mayPerform(ctx: RouteContext, action: string, scope: string): boolean {
  if (ctx.container.spec.permissions[ctx.caller.identity.handle] === 'all') return true;
  const state = hsmState(ctx.container);
  const full = DATA_ACTION_PREFIX + action;
  return Object.values(state.assignments).some((a) => {
    if (a.principalId.toLowerCase() !== ctx.caller.objectId.toLowerCase() || !scopeContains(a.scope, scope)) return false;
    const role = findRole(state, a.roleDefinition);
    return Boolean(role?.permissions.some((p) => p.dataActions.some((d) => actionMatches(d, full)) && !p.notDataActions.some((d) => actionMatches(d, full))));
  });
}

/** 403 in Managed HSM's local-RBAC wording, naming the data action that was missing. */
export function requireAction(ctx: RouteContext, action: string, scope: string): void {
  if (mayPerform(ctx, action, scope)) return;
  const { spec } = ctx.container;
  const caller = ctx.caller;
  const message =
    `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n` +
    `Caller: appid=${caller.identity.clientId};oid=${caller.objectId};iss=https://sts.windows.net/${caller.tenantId}/\r\n` +
    `Action: '${DATA_ACTION_PREFIX}${action}'\r\n` +
    `Resource: '/subscriptions/${spec.subscriptionId}/resourcegroups/${spec.resourceGroup}/providers/microsoft.keyvault/managedhsms/${spec.name}${scope === '/' ? '' : scope}'\r\n` +
    `Assignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: null \r\nVault: ${spec.name};location=${spec.location}\r\n`;
  throw new KvError(403, 'Forbidden', message, 'ForbiddenByRbac');
}

/** Any identity the HSM knows (a permission entry or a role assignment) may read its settings. */
export function knowsCaller(ctx: RouteContext): boolean {
  if (ctx.container.spec.permissions[ctx.caller.identity.handle]) return true;
  return Object.values(hsmState(ctx.container).assignments).some((a) => a.principalId.toLowerCase() === ctx.caller.objectId.toLowerCase());
}
