import * as vscode from 'vscode';
import type { AccountSession } from '../../accounts/types';
import type { RoleAssignment, RoleDefinition } from '../../keyvault/models/hsm';
import type { TreeContext } from '../context';
import { ErrorNode } from '../ErrorNode';
import type { TreeNode } from '../TreeNode';
import { MessageNode } from './MessageNode';

/** "Role assignments" under a Managed HSM: local RBAC, shown with role names resolved from the definitions. */
export class RoleAssignmentsNode implements TreeNode {
  readonly id: string;
  private cached: { assignments: RoleAssignment[]; roles: Map<string, RoleDefinition> } | undefined;

  constructor(
    readonly hsmUrl: string,
    readonly session: AccountSession,
    readonly parent: TreeNode,
  ) {
    this.id = `${parent.id}/roleAssignments`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Role assignments'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('organization');
    item.contextValue = 'keyvault.hsmRoleAssignments';
    if (this.cached) item.description = String(this.cached.assignments.length);
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    try {
      if (!this.cached) {
        const roles = new Map<string, RoleDefinition>();
        for await (const d of this.session.service.hsm.listRoleDefinitions(this.hsmUrl, '/')) roles.set(d.id.toLowerCase(), d);
        const assignments: RoleAssignment[] = [];
        for await (const a of this.session.service.hsm.listRoleAssignments(this.hsmUrl, '/')) assignments.push(a);
        this.cached = { assignments, roles };
      }
    } catch (err) {
      return [new ErrorNode(`${this.id}/error`, err, 'hsm', this)];
    }
    const { assignments, roles } = this.cached;
    if (assignments.length === 0) return [new MessageNode(`${this.id}/empty`, vscode.l10n.t('No role assignments'))];
    return assignments.map((a) => new RoleAssignmentNode(a, roles.get(a.roleDefinitionId.toLowerCase()), this));
  }

  reset(): void {
    this.cached = undefined;
  }
}

export class RoleAssignmentNode implements TreeNode {
  readonly id: string;
  constructor(
    readonly assignment: RoleAssignment,
    private readonly role: RoleDefinition | undefined,
    readonly parent: TreeNode,
  ) {
    this.id = `${parent.id}/${assignment.id}`;
  }

  getTreeItem(): vscode.TreeItem {
    const a = this.assignment;
    const item = new vscode.TreeItem(this.role?.roleName ?? a.roleDefinitionId.split('/').pop() ?? a.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = `${a.principalId} · ${a.scope ?? '/'}`;
    item.iconPath = new vscode.ThemeIcon('person');
    item.tooltip = new vscode.MarkdownString(`**${this.role?.roleName ?? 'Role'}**\n\nPrincipal: \`${a.principalId}\`\n\nScope: \`${a.scope ?? '/'}\`\n\nAssignment: \`${a.name}\``);
    item.contextValue = `keyvault.hsmRoleAssignment${this.role?.roleType === 'AKVBuiltInRole' ? '+builtIn' : ''}`;
    return item;
  }
}

/** "Settings" under a Managed HSM (read; updates go through a command). */
export class HsmSettingsNode implements TreeNode {
  readonly id: string;
  constructor(
    readonly hsmUrl: string,
    readonly session: AccountSession,
    readonly parent: TreeNode,
    private readonly ctx: TreeContext,
  ) {
    this.id = `${parent.id}/settings`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Settings'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('settings-gear');
    item.contextValue = 'keyvault.hsmSettings';
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    try {
      const settings = await this.session.service.hsm.listSettings(this.hsmUrl);
      if (settings.length === 0) return [new MessageNode(`${this.id}/empty`, vscode.l10n.t('No settings'))];
      return settings.map(
        (s) =>
          new MessageNode(`${this.id}/${s.name}`, `${s.name} = ${s.value}`, {
            icon: s.type === 'boolean' ? (s.value === 'true' ? 'pass' : 'circle-large-outline') : 'symbol-property',
            tooltip: `${s.name} (${s.type ?? 'string'})`,
          }),
      );
    } catch (err) {
      this.ctx.log.debug(`HSM settings of ${this.hsmUrl} failed`);
      return [new ErrorNode(`${this.id}/error`, err, 'hsm', this)];
    }
  }
}
