/** Managed HSM local RBAC and settings (administration.json, 2026-04-01). */

/** `/` (the whole HSM), `/keys` (all keys), or `/keys/{name}` (one key). */
export type RoleScope = '/' | '/keys' | `/keys/${string}`;

export type RoleType = 'AKVBuiltInRole' | 'CustomRole';

export interface RolePermission {
  actions: string[];
  notActions: string[];
  /** e.g. Microsoft.KeyVault/managedHsm/keys/sign/action */
  dataActions: string[];
  notDataActions: string[];
}

export interface RoleDefinition {
  /** e.g. Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/{guid} — what an assignment refers to. */
  id: string;
  /** The GUID. */
  name: string;
  type?: string;
  roleName: string;
  description?: string;
  roleType?: RoleType | string;
  permissions: RolePermission[];
  assignableScopes: string[];
}

export interface RoleAssignment {
  id: string;
  /** The GUID. */
  name: string;
  type?: string;
  scope?: RoleScope | string;
  roleDefinitionId: string;
  principalId: string;
}

/** An HSM account setting. Every setting Key Vault defines today is a boolean carried as "true"/"false". */
export interface HsmSetting {
  name: string;
  value: string;
  type?: 'boolean' | string;
}

export interface ListRoleAssignmentsOptions {
  /** Only this principal's assignments (Entra object id). */
  principalId?: string;
  /** Only assignments at or above the scope, not below it. */
  atScopeOnly?: boolean;
  abortSignal?: AbortSignal;
}

export interface CreateRoleAssignmentOptions {
  /** A built-in role name (e.g. "Managed HSM Crypto User"), a custom role's name, its GUID, or its full id. */
  role: string;
  /** Entra object id of the user, group or service principal. */
  principalId: string;
  /** Default `/`. */
  scope?: RoleScope;
  /** The assignment's GUID; a new one when absent. */
  name?: string;
  abortSignal?: AbortSignal;
}

export interface SetRoleDefinitionOptions {
  roleName: string;
  description?: string;
  permissions: Partial<RolePermission>[];
  /** Default ['/']. */
  assignableScopes?: ('/' | '/keys')[];
  /** The definition's GUID; a new one when absent (creating), or the one to update. */
  name?: string;
  abortSignal?: AbortSignal;
}
