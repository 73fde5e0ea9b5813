import { badParameter } from '../../core/errors';
import type { Container, RouteContext } from '../../core/types';
import { BUILT_IN_ROLES, type RoleDefinitionRecord } from './roles';

export interface RoleAssignmentRecord {
  name: string;
  scope: string;
  /** The role definition's GUID. */
  roleDefinition: string;
  principalId: string;
}

/** An HSM's administration state, kept as plain JSON in `container.data.extra.hsm` so `--state` persists it. */
export interface HsmState {
  customRoles: Record<string, RoleDefinitionRecord>;
  assignments: Record<string, RoleAssignmentRecord>;
  settings: Record<string, string>;
}

export const DEFAULT_SETTINGS: Readonly<Record<string, string>> = { AllowKeyManagementOperationsThroughARM: 'false' };

export function hsmState(container: Container): HsmState {
  const extra = container.data.extra;
  if (!extra.hsm) {
    const fresh: HsmState = { customRoles: {}, assignments: {}, settings: { ...DEFAULT_SETTINGS } };
    extra.hsm = fresh;
  }
  return extra.hsm as HsmState;
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function allRoles(state: HsmState): RoleDefinitionRecord[] {
  return [...BUILT_IN_ROLES, ...Object.values(state.customRoles)];
}

export function findRole(state: HsmState, name: string): RoleDefinitionRecord | undefined {
  const n = name.toLowerCase();
  return BUILT_IN_ROLES.find((r) => r.name === n) ?? state.customRoles[n];
}

/**
 * The role scope a request addresses: everything before `/providers/Microsoft.Authorization`, so "/" (also sent as
 * "//providers/…" by clients that join "/" and the path), "/keys" or "/keys/{name}".
 */
export function requestScope(ctx: RouteContext): string {
  const before = ctx.url.pathname.split(/\/providers\/microsoft\.authorization\//i)[0] ?? '';
  const parts = before.split('/').filter(Boolean).map(safeDecode);
  if (parts.length === 0) return '/';
  if (parts[0]!.toLowerCase() !== 'keys' || parts.length > 2) throw badParameter(`The scope '/${parts.join('/')}' is not valid. Valid scopes are '/', '/keys' and '/keys/{key-name}'.`);
  return parts.length === 1 ? '/keys' : `/keys/${parts[1]}`;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `outer` contains `inner` in the HSM's scope tree: "/" ⊃ "/keys" ⊃ "/keys/{name}". */
export function scopeContains(outer: string, inner: string): boolean {
  if (outer === '/') return true;
  const o = outer.toLowerCase();
  const i = inner.toLowerCase();
  return i === o || i.startsWith(`${o}/`);
}
