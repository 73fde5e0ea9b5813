import { randomUUID } from 'node:crypto';
import type {
  CreateRoleAssignmentOptions,
  HsmSetting,
  ListRoleAssignmentsOptions,
  RoleAssignment,
  RoleDefinition,
  RolePermission,
  RoleScope,
  SetRoleDefinitionOptions,
} from './models/hsm';
import { KeyVaultError } from './errors';
import type { KeyVaultHttp } from './http/client';
import { containerKindOf, isValidObjectName } from './identifiers';
import { pagedList, type PagedList } from './paging';
import type { Cancellable } from './secrets';

/**
 * Managed HSM administration: local RBAC (role definitions and assignments at `/`, `/keys` or `/keys/{name}`) and
 * account settings. Random bytes belong to the keys service.
 */
export interface HsmService {
  listRoleDefinitions(hsmUrl: string, scope?: RoleScope, options?: { roleName?: string } & Cancellable): PagedList<RoleDefinition>;
  getRoleDefinition(hsmUrl: string, name: string, scope?: RoleScope, options?: Cancellable): Promise<RoleDefinition>;
  /** Creates or replaces a custom role (at scope `/`). */
  setRoleDefinition(hsmUrl: string, options: SetRoleDefinitionOptions): Promise<RoleDefinition>;
  deleteRoleDefinition(hsmUrl: string, name: string, options?: Cancellable): Promise<RoleDefinition>;

  listRoleAssignments(hsmUrl: string, scope?: RoleScope, options?: ListRoleAssignmentsOptions): PagedList<RoleAssignment>;
  getRoleAssignment(hsmUrl: string, name: string, scope?: RoleScope, options?: Cancellable): Promise<RoleAssignment>;
  createRoleAssignment(hsmUrl: string, options: CreateRoleAssignmentOptions): Promise<RoleAssignment>;
  deleteRoleAssignment(hsmUrl: string, name: string, scope?: RoleScope, options?: Cancellable): Promise<RoleAssignment>;

  listSettings(hsmUrl: string, options?: Cancellable): Promise<HsmSetting[]>;
  getSetting(hsmUrl: string, name: string, options?: Cancellable): Promise<HsmSetting>;
  updateSetting(hsmUrl: string, name: string, value: boolean | 'true' | 'false', options?: Cancellable): Promise<HsmSetting>;
}

/**
 * Managed HSM built-in roles and their fixed ids, as Microsoft publishes them
 * (learn.microsoft.com/azure/key-vault/managed-hsm/built-in-roles). Lets users assign a role by name without a lookup.
 */
export const BUILT_IN_HSM_ROLES: Readonly<Record<string, string>> = {
  'Managed HSM Administrator': 'a290e904-7015-4bba-90c8-60543313cdb4',
  'Managed HSM Crypto Officer': '515eb02d-2335-4d2d-92f2-b1cbdf9c3778',
  'Managed HSM Crypto User': '21dbd100-6940-42c2-9190-5d6cb909625b',
  'Managed HSM Policy Administrator': '4bd23610-cdcf-4971-bdee-bdc562cc28e4',
  'Managed HSM Crypto Auditor': '2c18b078-7c48-4d3a-af88-5a3a1b3f82b3',
  'Managed HSM Crypto Service Encryption User': '33413926-3206-4cdd-b39a-83574fe37a17',
  'Managed HSM Crypto Service Release User': '21dbd100-6940-42c2-9190-5d6cb909625c',
  'Managed HSM Backup': '7b127d3c-77bd-4e3e-bbe0-dbb8971fa7f8',
  'Managed HSM Restore': '6efe6056-5259-49d2-8b3d-d3d73544b20b',
};

interface WireRoleDefinition {
  id?: string;
  name?: string;
  type?: string;
  properties?: {
    roleName?: string;
    description?: string;
    type?: string;
    permissions?: { actions?: string[]; notActions?: string[]; dataActions?: string[]; notDataActions?: string[] }[];
    assignableScopes?: string[];
  };
}

interface WireRoleAssignment {
  id?: string;
  name?: string;
  type?: string;
  properties?: { scope?: string; roleDefinitionId?: string; principalId?: string };
}

interface WireSetting {
  name?: string;
  value?: string;
  type?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATA_ACTION = /^Microsoft\.KeyVault\/managedHsm\/[A-Za-z*][\w*/]*$/i;
const SETTING_NAME = /^[A-Za-z][A-Za-z0-9]{0,127}$/;
const AUTHORIZATION = 'providers/Microsoft.Authorization';
/** The form Managed HSM gives role definition ids (no leading slash), and the form assignments refer to. */
const roleDefinitionIdOf = (guid: string): string => `Microsoft.KeyVault/${AUTHORIZATION}/roleDefinitions/${guid}`;

const bad = (message: string, hint?: string): KeyVaultError => new KeyVaultError({ kind: 'bad-request', message, ...(hint ? { hint } : {}) });
const signal = (o?: Cancellable): { abortSignal?: AbortSignal } => (o?.abortSignal ? { abortSignal: o.abortSignal } : {});

function checkGuid(value: string, what: string): void {
  if (!GUID.test(value)) throw bad(`${what} '${value}' is not a GUID.`, 'Managed HSM names role definitions and assignments with GUIDs, and principals by their Entra object id.');
}

export function checkScope(scope: string): void {
  if (scope === '/' || scope === '/keys') return;
  const m = /^\/keys\/([^/]+)$/.exec(scope);
  if (!m || !isValidObjectName(m[1]!)) throw bad(`'${scope}' is not a Managed HSM role scope.`, "Use '/', '/keys' or '/keys/{key-name}'.");
}

/** Role administration exists on Managed HSMs only; a vault would answer 404 with a confusing message. */
function hsmOrigin(hsmUrl: string): string {
  if (containerKindOf(hsmUrl) === 'vault') throw bad(`${new URL(hsmUrl).host} is a key vault, not a Managed HSM.`, 'Role assignments and settings of this kind exist only on Managed HSMs; vaults use Azure RBAC or access policies.');
  return new URL(hsmUrl).origin;
}

function authorizationUrl(hsmUrl: string, scope: string, kind: 'roleDefinitions' | 'roleAssignments', name?: string): string {
  checkScope(scope);
  const origin = hsmOrigin(hsmUrl);
  const scopePath = scope === '/' ? '' : scope.split('/').map(encodeURIComponent).join('/');
  return `${origin}${scopePath}/${AUTHORIZATION}/${kind}${name !== undefined ? `/${encodeURIComponent(name)}` : ''}`;
}

function permissionFromWire(p: NonNullable<NonNullable<WireRoleDefinition['properties']>['permissions']>[number]): RolePermission {
  return { actions: p.actions ?? [], notActions: p.notActions ?? [], dataActions: p.dataActions ?? [], notDataActions: p.notDataActions ?? [] };
}

export function roleDefinitionFromWire(w: WireRoleDefinition): RoleDefinition {
  const p = w.properties ?? {};
  const d: RoleDefinition = {
    id: w.id ?? '',
    name: w.name ?? '',
    roleName: p.roleName ?? '',
    permissions: (p.permissions ?? []).map(permissionFromWire),
    assignableScopes: p.assignableScopes ?? [],
  };
  if (w.type !== undefined) d.type = w.type;
  if (p.description !== undefined) d.description = p.description;
  if (p.type !== undefined) d.roleType = p.type;
  return d;
}

export function roleAssignmentFromWire(w: WireRoleAssignment): RoleAssignment {
  const a: RoleAssignment = { id: w.id ?? '', name: w.name ?? '', roleDefinitionId: w.properties?.roleDefinitionId ?? '', principalId: w.properties?.principalId ?? '' };
  if (w.type !== undefined) a.type = w.type;
  if (w.properties?.scope !== undefined) a.scope = w.properties.scope;
  return a;
}

const settingFromWire = (w: WireSetting): HsmSetting => ({ name: w.name ?? '', value: w.value ?? '', ...(w.type !== undefined ? { type: w.type } : {}) });

/** OData string literal: single quotes doubled. */
const odataString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export class RestHsmService implements HsmService {
  constructor(private readonly http: KeyVaultHttp) {}

  listRoleDefinitions(hsmUrl: string, scope: RoleScope = '/', options: { roleName?: string } & Cancellable = {}): PagedList<RoleDefinition> {
    const query = options.roleName !== undefined ? { $filter: `roleName eq ${odataString(options.roleName)}` } : undefined;
    return pagedList(this.http, authorizationUrl(hsmUrl, scope, 'roleDefinitions'), roleDefinitionFromWire, { ...signal(options), ...(query ? { query } : {}) });
  }

  async getRoleDefinition(hsmUrl: string, name: string, scope: RoleScope = '/', options?: Cancellable): Promise<RoleDefinition> {
    checkGuid(name, 'Role definition');
    const r = await this.http.send<WireRoleDefinition>('GET', authorizationUrl(hsmUrl, scope, 'roleDefinitions', name), signal(options));
    return roleDefinitionFromWire(r.body);
  }

  async setRoleDefinition(hsmUrl: string, options: SetRoleDefinitionOptions): Promise<RoleDefinition> {
    const name = options.name ?? randomUUID();
    checkGuid(name, 'Role definition');
    if (Object.values(BUILT_IN_HSM_ROLES).includes(name.toLowerCase())) throw bad('Built-in roles cannot be changed.', 'Create a custom role with the permissions you need.');
    if (!options.roleName.trim()) throw bad('A role needs a name.');
    if (options.permissions.length === 0) throw bad('A role needs at least one permission.');
    const permissions = options.permissions.map((p) => {
      if (p.actions?.length || p.notActions?.length) throw bad('Managed HSM roles grant data actions only; leave actions and notActions empty.');
      for (const a of [...(p.dataActions ?? []), ...(p.notDataActions ?? [])]) {
        if (!DATA_ACTION.test(a)) throw bad(`'${a}' is not a Managed HSM data action.`, 'Data actions look like Microsoft.KeyVault/managedHsm/keys/sign/action.');
      }
      return { actions: [], notActions: [], dataActions: p.dataActions ?? [], notDataActions: p.notDataActions ?? [] };
    });
    for (const s of options.assignableScopes ?? []) if (s !== '/' && s !== '/keys') throw bad(`'${String(s)}' cannot be an assignable scope.`, "Use '/' or '/keys'.");
    const body = {
      properties: {
        roleName: options.roleName.trim(),
        type: 'CustomRole',
        ...(options.description !== undefined ? { description: options.description } : {}),
        permissions,
        assignableScopes: options.assignableScopes ?? ['/'],
      },
    };
    // Custom roles live at the HSM-wide scope.
    const r = await this.http.send<WireRoleDefinition>('PUT', authorizationUrl(hsmUrl, '/', 'roleDefinitions', name), { body, ...signal(options) });
    return roleDefinitionFromWire(r.body);
  }

  async deleteRoleDefinition(hsmUrl: string, name: string, options?: Cancellable): Promise<RoleDefinition> {
    checkGuid(name, 'Role definition');
    const r = await this.http.send<WireRoleDefinition>('DELETE', authorizationUrl(hsmUrl, '/', 'roleDefinitions', name), signal(options));
    return roleDefinitionFromWire(r.body);
  }

  listRoleAssignments(hsmUrl: string, scope: RoleScope = '/', options: ListRoleAssignmentsOptions = {}): PagedList<RoleAssignment> {
    if (options.principalId !== undefined) checkGuid(options.principalId, 'Principal id');
    if (options.principalId !== undefined && options.atScopeOnly) throw bad('Filter by principal or by scope, not both: Managed HSM takes one filter.');
    const filter = options.principalId !== undefined ? `principalId eq ${odataString(options.principalId)}` : options.atScopeOnly ? 'atScope()' : undefined;
    return pagedList(this.http, authorizationUrl(hsmUrl, scope, 'roleAssignments'), roleAssignmentFromWire, { ...signal(options), ...(filter ? { query: { $filter: filter } } : {}) });
  }

  async getRoleAssignment(hsmUrl: string, name: string, scope: RoleScope = '/', options?: Cancellable): Promise<RoleAssignment> {
    checkGuid(name, 'Role assignment');
    const r = await this.http.send<WireRoleAssignment>('GET', authorizationUrl(hsmUrl, scope, 'roleAssignments', name), signal(options));
    return roleAssignmentFromWire(r.body);
  }

  async createRoleAssignment(hsmUrl: string, options: CreateRoleAssignmentOptions): Promise<RoleAssignment> {
    const scope = options.scope ?? '/';
    const name = options.name ?? randomUUID();
    checkGuid(name, 'Role assignment');
    checkGuid(options.principalId, 'Principal id');
    const url = authorizationUrl(hsmUrl, scope, 'roleAssignments', name);
    const roleDefinitionId = await this.resolveRole(hsmUrl, options.role, options);
    const body = { properties: { roleDefinitionId, principalId: options.principalId } };
    const r = await this.http.send<WireRoleAssignment>('PUT', url, { body, ...signal(options) });
    return roleAssignmentFromWire(r.body);
  }

  /** A role's full id from its id, GUID, built-in name (no round trip) or custom name (one lookup). */
  private async resolveRole(hsmUrl: string, role: string, options: Cancellable): Promise<string> {
    const text = role.trim();
    if (!text) throw bad('Name the role to assign.');
    if (/\/roleDefinitions\/[^/]+$/i.test(text)) return text;
    if (GUID.test(text)) return roleDefinitionIdOf(text.toLowerCase());
    const builtIn = Object.entries(BUILT_IN_HSM_ROLES).find(([n]) => n.toLowerCase() === text.toLowerCase());
    if (builtIn) return roleDefinitionIdOf(builtIn[1]);
    for await (const d of this.listRoleDefinitions(hsmUrl, '/', { roleName: text, ...signal(options) })) if (d.roleName.toLowerCase() === text.toLowerCase()) return d.id;
    throw new KeyVaultError({ kind: 'not-found', message: `This Managed HSM has no role named '${text}'.`, hint: 'Pick a built-in role such as "Managed HSM Crypto User", or create the custom role first.' });
  }

  async deleteRoleAssignment(hsmUrl: string, name: string, scope: RoleScope = '/', options?: Cancellable): Promise<RoleAssignment> {
    checkGuid(name, 'Role assignment');
    const r = await this.http.send<WireRoleAssignment>('DELETE', authorizationUrl(hsmUrl, scope, 'roleAssignments', name), signal(options));
    return roleAssignmentFromWire(r.body);
  }

  async listSettings(hsmUrl: string, options?: Cancellable): Promise<HsmSetting[]> {
    const r = await this.http.send<{ settings?: WireSetting[] }>('GET', `${hsmOrigin(hsmUrl)}/settings`, signal(options));
    return (r.body?.settings ?? []).map(settingFromWire);
  }

  async getSetting(hsmUrl: string, name: string, options?: Cancellable): Promise<HsmSetting> {
    checkSettingName(name);
    const r = await this.http.send<WireSetting>('GET', `${hsmOrigin(hsmUrl)}/settings/${encodeURIComponent(name)}`, signal(options));
    return settingFromWire(r.body);
  }

  async updateSetting(hsmUrl: string, name: string, value: boolean | 'true' | 'false', options?: Cancellable): Promise<HsmSetting> {
    checkSettingName(name);
    const text = String(value);
    // Every setting Managed HSM defines is boolean (SettingTypeEnum); anything else would be refused.
    if (text !== 'true' && text !== 'false') throw bad(`'${text}' is not a value for setting ${name}.`, 'Settings take true or false.');
    const r = await this.http.send<WireSetting>('PATCH', `${hsmOrigin(hsmUrl)}/settings/${encodeURIComponent(name)}`, { body: { value: text }, ...signal(options) });
    return settingFromWire(r.body);
  }
}

function checkSettingName(name: string): void {
  if (!SETTING_NAME.test(name)) throw bad(`'${name}' is not a setting name.`, 'Setting names are letters and digits, e.g. AllowKeyManagementOperationsThroughARM.');
}
