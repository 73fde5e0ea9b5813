/**
 * The Managed HSM local RBAC built-in roles with their published ids and data actions
 * (learn.microsoft.com/azure/key-vault/managed-hsm/built-in-roles), and the data actions the service knows.
 */

export const DATA_ACTION_PREFIX = 'Microsoft.KeyVault/managedHsm/';

export const ROLE_DEFINITION_TYPE = 'Microsoft.Authorization/roleDefinitions';
export const ROLE_ASSIGNMENT_TYPE = 'Microsoft.Authorization/roleAssignments';

export interface PermissionSet {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

export interface RoleDefinitionRecord {
  /** The role definition name: a GUID. */
  name: string;
  roleName: string;
  description: string;
  roleType: 'AKVBuiltInRole' | 'CustomRole';
  permissions: PermissionSet[];
  assignableScopes: string[];
}

/** Every data action Managed HSM accepts in a role definition (the spec's DataAction enum, plus key rotation). */
export const KNOWN_DATA_ACTIONS: readonly string[] = [
  'keys/read/action',
  'keys/write/action',
  'keys/rotate/action',
  'keys/deletedKeys/read/action',
  'keys/deletedKeys/recover/action',
  'keys/backup/action',
  'keys/restore/action',
  'roleAssignments/delete/action',
  'roleAssignments/read/action',
  'roleAssignments/write/action',
  'roleDefinitions/read/action',
  'roleDefinitions/write/action',
  'roleDefinitions/delete/action',
  'keys/encrypt/action',
  'keys/decrypt/action',
  'keys/wrap/action',
  'keys/unwrap/action',
  'keys/sign/action',
  'keys/verify/action',
  'keys/create',
  'keys/delete',
  'keys/export/action',
  'keys/release/action',
  'keys/import/action',
  'keys/deletedKeys/delete',
  'securitydomain/download/action',
  'securitydomain/download/read',
  'securitydomain/upload/action',
  'securitydomain/upload/read',
  'securitydomain/transferkey/read',
  'backup/start/action',
  'restore/start/action',
  'backup/status/action',
  'restore/status/action',
  'rng/action',
].map((a) => DATA_ACTION_PREFIX + a);

const builtIn = (name: string, roleName: string, description: string, dataActions: string[]): RoleDefinitionRecord => ({
  name,
  roleName,
  description,
  roleType: 'AKVBuiltInRole',
  permissions: [{ actions: [], notActions: [], dataActions: dataActions.map((a) => DATA_ACTION_PREFIX + a), notDataActions: [] }],
  assignableScopes: ['/'],
});

const roleRead = ['roleAssignments/read/action', 'roleDefinitions/read/action'];
const roleWrite = ['roleAssignments/write/action', 'roleAssignments/delete/action', 'roleDefinitions/write/action', 'roleDefinitions/delete/action'];

export const BUILT_IN_ROLES: readonly RoleDefinitionRecord[] = [
  builtIn('a290e904-7015-4bba-90c8-60543313cdb4', 'Managed HSM Administrator', 'Grants permissions to perform all operations related to the security domain, full backup and restore, and role management. Not permitted to perform any key management operations.', [
    'securitydomain/download/action',
    'securitydomain/upload/action',
    'securitydomain/upload/read',
    'securitydomain/transferkey/read',
    ...roleRead,
    ...roleWrite,
    'backup/start/action',
    'backup/status/action',
    'restore/start/action',
    'restore/status/action',
  ]),
  builtIn('515eb02d-2335-4d2d-92f2-b1cbdf9c3778', 'Managed HSM Crypto Officer', 'Grants permissions to perform all role management, purge or recover deleted keys, and export keys. Not permitted to perform any other key management operations.', [
    'keys/deletedKeys/read/action',
    'keys/deletedKeys/recover/action',
    'keys/deletedKeys/delete',
    'keys/export/action',
    ...roleRead,
    ...roleWrite,
  ]),
  builtIn('21dbd100-6940-42c2-9190-5d6cb909625b', 'Managed HSM Crypto User', 'Grants permissions to perform all key management operations except purge or recover deleted keys and export keys.', [
    'keys/read/action',
    'keys/write/action',
    'keys/rotate/action',
    'keys/create',
    'keys/delete',
    'keys/backup/action',
    'keys/restore/action',
    'keys/release/action',
    'keys/import/action',
    'keys/encrypt/action',
    'keys/decrypt/action',
    'keys/wrap/action',
    'keys/unwrap/action',
    'keys/sign/action',
    'keys/verify/action',
    'rng/action',
    ...roleRead,
  ]),
  builtIn('4bd23610-cdcf-4971-bdee-bdc562cc28e4', 'Managed HSM Policy Administrator', 'Grants permissions to create and delete role assignments.', [...roleRead, ...roleWrite]),
  builtIn('2c18b078-7c48-4d3a-af88-5a3a1b3f82b3', 'Managed HSM Crypto Auditor', 'Grants read permissions to read (but not use) key attributes.', ['keys/read/action', 'keys/deletedKeys/read/action', ...roleRead]),
  builtIn('33413926-3206-4cdd-b39a-83574fe37a17', 'Managed HSM Crypto Service Encryption User', 'Grants permissions to use a key for service encryption.', ['keys/read/action', 'keys/wrap/action', 'keys/unwrap/action']),
  builtIn('21dbd100-6940-42c2-9190-5d6cb909625c', 'Managed HSM Crypto Service Release User', 'Grants permissions to release a key to a trusted execution environment.', ['keys/release/action']),
  builtIn('7b127d3c-77bd-4e3e-bbe0-dbb8971fa7f8', 'Managed HSM Backup', 'Grants permissions to perform single-key or whole-HSM backup.', ['backup/start/action', 'backup/status/action', 'keys/backup/action']),
  builtIn('6efe6056-5259-49d2-8b3d-d3d73544b20b', 'Managed HSM Restore', 'Grants permissions to perform single-key or whole-HSM restore.', ['restore/start/action', 'restore/status/action', 'keys/restore/action']),
];

export const CRYPTO_USER_ROLE_ID = '21dbd100-6940-42c2-9190-5d6cb909625b';
