import * as vscode from 'vscode';
import { BUILT_IN_HSM_ROLES } from '../../keyvault/hsm';
import type { HsmSetting, RoleAssignment, RoleScope } from '../../keyvault/models/hsm';
import { refreshAfterMutation } from '../../tree/refreshAfterMutation';
import { BACK, required } from '../pickers';
import { confirm, hostOf, withProgress, type KeyCommandContext } from './context';
import { resolveContainer, type ContainerTarget } from './targets';

export type RandomFormat = 'hex' | 'base64';
export type RandomDestination = 'clipboard' | 'editor';

export interface RandomBytesArgs {
  hsm?: unknown;
  count?: number;
  format?: RandomFormat;
  destination?: RandomDestination;
}

const isRandomArgs = (x: unknown): x is RandomBytesArgs => typeof x === 'object' && x !== null && ('count' in x || 'format' in x || 'destination' in x) && !('session' in x);

export function encodeRandom(bytes: Uint8Array, format: RandomFormat): string {
  return Buffer.from(bytes).toString(format === 'hex' ? 'hex' : 'base64');
}

export function validateByteCount(text: string): string | undefined {
  const n = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(n) || n < 1 || n > 128) return vscode.l10n.t('A Managed HSM returns 1 to 128 bytes per request.');
  return undefined;
}

/**
 * `Generate Random Bytes…` (Managed HSM): 1-128 bytes from the HSM's RNG, as hex or base64, to the guarded clipboard
 * (cleared after the configured delay) or a new untitled editor. The bytes are never logged.
 */
export async function generateRandomBytes(c: KeyCommandContext, arg?: unknown): Promise<string> {
  const args = isRandomArgs(arg) ? arg : undefined;
  const hsm = await resolveContainer(c, args ? args.hsm : arg, vscode.l10n.t('Generate Random Bytes'), ['hsm']);
  const title = vscode.l10n.t('Random bytes from {0}', hsm.name);
  const count =
    args?.count ??
    Number(
      required(
        await c.prompts.input({
          title,
          prompt: vscode.l10n.t('How many bytes (1-128)? 32 bytes make an AES-256 key.'),
          value: '32',
          validate: validateByteCount,
        }),
      ).trim(),
    );
  const format =
    args?.format ??
    required(
      await c.prompts.pick<vscode.QuickPickItem & { format: RandomFormat }>({
        title,
        items: [
          { label: 'Hex', description: vscode.l10n.t('{0} characters', count * 2), format: 'hex' },
          { label: 'Base64', description: vscode.l10n.t('{0} characters', Math.ceil(count / 3) * 4), format: 'base64' },
        ],
      }),
    ).format;
  const seconds = c.tree.settings.current.clipboardClearAfterSeconds;
  const destination =
    args?.destination ??
    required(
      await c.prompts.pick<vscode.QuickPickItem & { destination: RandomDestination }>({
        title,
        items: [
          { label: vscode.l10n.t('$(copy) Copy to Clipboard'), description: seconds > 0 ? vscode.l10n.t('cleared after {0} s', seconds) : undefined, destination: 'clipboard' },
          { label: vscode.l10n.t('$(new-file) Open in a New Editor'), description: vscode.l10n.t('untitled, not saved'), destination: 'editor' },
        ],
      }),
    ).destination;
  const bytes = await withProgress(vscode.l10n.t('Generating {0} random bytes…', count), (signal) => hsm.session.service.keys.getRandomBytes(hsm.url, count, { abortSignal: signal }));
  const text = encodeRandom(bytes, format);
  bytes.fill(0);
  if (destination === 'clipboard') {
    const { clearsInSeconds } = await c.clipboard.copySecret(text, vscode.l10n.t('{0} random bytes', count));
    void c.prompts.message({ kind: 'info', text: clearsInSeconds ? vscode.l10n.t('Copied {0} random bytes ({1}); the clipboard is cleared in {2} s.', count, format, clearsInSeconds) : vscode.l10n.t('Copied {0} random bytes ({1}).', count, format) });
  } else {
    const doc = await vscode.workspace.openTextDocument({ content: text, language: 'plaintext' });
    await vscode.window.showTextDocument(doc, { preview: false });
  }
  c.log.info(`Generated ${count} random bytes from ${hostOf(hsm.url)} (${format}, to ${destination})`);
  return text;
}

// ---- role assignments and settings ----

/** Reloads the HSM's Role assignments or Settings group wherever the tree shows it. */
async function refreshHsmGroup(c: KeyCommandContext, hsmUrl: string, which: 'roles' | 'settings'): Promise<void> {
  await refreshAfterMutation(c.provider, hsmUrl, which === 'roles' ? 'roleAssignments' : 'settings');
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RoleAssignmentArgs {
  hsm?: unknown;
  role?: string;
  principalId?: string;
  scope?: RoleScope;
}

const isRoleArgs = (x: unknown): x is RoleAssignmentArgs => typeof x === 'object' && x !== null && ('role' in x || 'principalId' in x) && !('session' in x);

const ROLE_HINTS: Record<string, string> = {
  'Managed HSM Administrator': 'full control of the HSM: security domain, roles, settings',
  'Managed HSM Crypto Officer': 'manage keys and their lifecycle; no crypto operations',
  'Managed HSM Crypto User': 'use keys: sign, verify, encrypt, decrypt, wrap, unwrap',
  'Managed HSM Policy Administrator': 'create and delete role assignments',
  'Managed HSM Crypto Auditor': 'read key metadata and audit; no key use',
  'Managed HSM Crypto Service Encryption User': 'wrap and unwrap with keys (Azure services)',
  'Managed HSM Crypto Service Release User': 'release exportable keys',
  'Managed HSM Backup': 'full HSM backups',
  'Managed HSM Restore': 'full HSM restores',
};

async function pickScope(c: KeyCommandContext, hsm: ContainerTarget, title: string): Promise<RoleScope> {
  const picked = required(
    await c.prompts.pick<vscode.QuickPickItem & { scope?: RoleScope; oneKey?: boolean }>({
      title,
      placeholder: vscode.l10n.t('Where does the role apply?'),
      items: [
        { label: vscode.l10n.t('The whole HSM'), description: '/', scope: '/' },
        { label: vscode.l10n.t('All keys'), description: '/keys', scope: '/keys' },
        { label: vscode.l10n.t('One key…'), description: '/keys/{name}', oneKey: true },
      ],
    }),
  );
  if (picked.scope) return picked.scope;
  const names: string[] = [];
  for await (const k of hsm.session.service.keys.list(hsm.url)) names.push(k.name);
  const key = required(await c.prompts.pick({ title, placeholder: vscode.l10n.t('Choose the key'), items: names.sort().map((n) => ({ label: n })) }));
  return `/keys/${key.label}`;
}

/** `Add Role Assignment…` (Managed HSM local RBAC): a built-in role, a principal's object id, and a scope. */
export async function addRoleAssignment(c: KeyCommandContext, arg?: unknown): Promise<RoleAssignment> {
  const args = isRoleArgs(arg) ? arg : undefined;
  const hsm = await resolveContainer(c, args ? args.hsm : arg, vscode.l10n.t('Add Role Assignment'), ['hsm']);
  const title = vscode.l10n.t('Add a role assignment in {0}', hsm.name);
  const role =
    args?.role ??
    required(
      await c.prompts.pick<vscode.QuickPickItem & { role: string }>({
        title,
        placeholder: vscode.l10n.t('Choose a built-in role'),
        items: Object.keys(BUILT_IN_HSM_ROLES).map((name) => ({ label: name, detail: ROLE_HINTS[name], role: name })),
        matchOnDetail: true,
      }),
    ).role;
  const principalId =
    args?.principalId ??
    required(
      await c.prompts.input({
        title,
        prompt: vscode.l10n.t('Object id (GUID) of the user, group or service principal in Microsoft Entra ID'),
        placeholder: '00000000-0000-0000-0000-000000000000',
        validate: (v) => (GUID.test(v.trim()) ? undefined : vscode.l10n.t('Enter the principal\'s object id: a GUID such as 6f1a…-…; names are not accepted.')),
      }),
    ).trim();
  const scope = args?.scope ?? (await pickScope(c, hsm, title));
  const assignment = await withProgress(vscode.l10n.t('Assigning {0}…', role), (signal) => hsm.session.service.hsm.createRoleAssignment(hsm.url, { role, principalId, scope, abortSignal: signal }));
  c.log.info(`Assigned ${role} to principal ${principalId} at ${scope} in ${hostOf(hsm.url)}`);
  await refreshHsmGroup(c, hsm.url, 'roles');
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Assigned {0} to {1} at {2}.', role, principalId, scope) });
  return assignment;
}

interface AssignmentNodeLike {
  assignment?: RoleAssignment;
  parent?: { hsmUrl?: string };
}

/** `Remove Role Assignment`: from its node, or picked from the HSM's assignments. */
export async function removeRoleAssignment(c: KeyCommandContext, arg?: unknown): Promise<void> {
  const node = arg as AssignmentNodeLike | undefined;
  const hsm = await resolveContainer(c, arg, vscode.l10n.t('Remove Role Assignment'), ['hsm']);
  let assignment = node?.assignment;
  if (!assignment) {
    const roles = new Map<string, string>();
    for await (const d of hsm.session.service.hsm.listRoleDefinitions(hsm.url)) roles.set(d.id.toLowerCase(), d.roleName);
    const list: RoleAssignment[] = [];
    for await (const a of hsm.session.service.hsm.listRoleAssignments(hsm.url)) list.push(a);
    if (list.length === 0) throw new Error(vscode.l10n.t('{0} has no role assignments.', hsm.name));
    const picked = await c.prompts.pick<vscode.QuickPickItem & { a: RoleAssignment }>({
      title: vscode.l10n.t('Remove a role assignment from {0}', hsm.name),
      items: list.map((a) => ({ label: roles.get(a.roleDefinitionId.toLowerCase()) ?? a.roleDefinitionId.split('/').pop() ?? a.name, description: `${a.principalId} · ${a.scope ?? '/'}`, a })),
      matchOnDescription: true,
    });
    if (picked === undefined || picked === BACK) throw new vscode.CancellationError();
    assignment = picked.a;
  }
  const scope = (assignment.scope === '/keys' || assignment.scope?.startsWith('/keys/') ? assignment.scope : '/') as RoleScope;
  await confirm(
    c,
    vscode.l10n.t('Remove this role assignment from {0}?', hsm.name),
    vscode.l10n.t('Principal {0} loses the role at scope {1} (assignment {2}). Removing the last administrator can lock everyone out of the HSM.', assignment.principalId, scope, assignment.name),
    vscode.l10n.t('Remove'),
  );
  const a = assignment;
  await withProgress(vscode.l10n.t('Removing the role assignment…'), (signal) => hsm.session.service.hsm.deleteRoleAssignment(hsm.url, a.name, scope, { abortSignal: signal }));
  c.log.info(`Removed role assignment ${a.name} (principal ${a.principalId}, scope ${scope}) from ${hostOf(hsm.url)}`);
  await refreshHsmGroup(c, hsm.url, 'roles');
}

export interface SettingArgs {
  hsm?: unknown;
  name?: string;
  value?: boolean;
}

const isSettingArgs = (x: unknown): x is SettingArgs => typeof x === 'object' && x !== null && ('name' in x || 'value' in x) && !('session' in x) && !('view' in x);

/** `Change Setting…` (Managed HSM): every setting Key Vault defines is a boolean. */
export async function updateHsmSetting(c: KeyCommandContext, arg?: unknown): Promise<HsmSetting> {
  const args = isSettingArgs(arg) ? arg : undefined;
  const hsm = await resolveContainer(c, args ? args.hsm : arg, vscode.l10n.t('Change HSM Setting'), ['hsm']);
  let name = args?.name;
  let current: HsmSetting | undefined;
  if (!name) {
    const settings = await withProgress(vscode.l10n.t('Reading the settings of {0}…', hsm.name), (signal) => hsm.session.service.hsm.listSettings(hsm.url, { abortSignal: signal }));
    if (settings.length === 0) throw new Error(vscode.l10n.t('{0} reports no settings.', hsm.name));
    const picked = required(
      await c.prompts.pick<vscode.QuickPickItem & { s: HsmSetting }>({
        title: vscode.l10n.t('Settings of {0}', hsm.name),
        items: settings.map((s) => ({ label: s.name, description: `= ${s.value}`, s })),
      }),
    );
    name = picked.s.name;
    current = picked.s;
  }
  const value =
    args?.value ??
    required(
      await c.prompts.pick<vscode.QuickPickItem & { value: boolean }>({
        title: vscode.l10n.t('{0} in {1}', name, hsm.name),
        placeholder: current ? vscode.l10n.t('Now {0}', current.value) : undefined,
        items: [
          { label: 'true', value: true },
          { label: 'false', value: false },
        ],
      }),
    ).value;
  const settingName = name;
  const updated = await withProgress(vscode.l10n.t('Updating {0}…', settingName), (signal) => hsm.session.service.hsm.updateSetting(hsm.url, settingName, value, { abortSignal: signal }));
  c.log.info(`Set ${settingName} = ${updated.value} in ${hostOf(hsm.url)}`);
  await refreshHsmGroup(c, hsm.url, 'settings');
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('{0} is now {1} in {2}.', settingName, updated.value, hsm.name) });
  return updated;
}
