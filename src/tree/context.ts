import type * as vscode from 'vscode';
import type { AccountsModel } from '../accounts/types';
import type { KeyVaultSettings, Settings } from '../settings';
import type { TreeFilter } from './model/filter';
import type { TreeNode } from './TreeNode';

/** What every node may use; built once in activate(). Nodes never reach for globals. */
export interface TreeContext {
  readonly accounts: AccountsModel;
  readonly settings: Settings;
  /** A snapshot of the settings, refreshed when they change: nodes read it per item, so it must be cheap. */
  config(): KeyVaultSettings;
  readonly log: vscode.LogOutputChannel;
  /** Re-renders one node (or all). */
  refresh(node?: TreeNode): void;
  /** Filters by node id (vault or category); shown in the node's description. */
  readonly filters: Map<string, TreeFilter>;
  now(): number;
  /** Sees every loaded page of objects (the expiry watch reports from it). */
  observe?(views: readonly import('./model/objectView').ObjectView[]): void;
}
