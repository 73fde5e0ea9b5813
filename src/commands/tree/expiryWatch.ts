import * as vscode from 'vscode';
import { expiryState, shortDate, type ObjectView } from '../../tree/model/objectView';
import type { Settings } from '../../settings';
import { vscodePrompts, type Prompts } from '../pickers';

/**
 * After a refresh, collects what the tree loads for a moment and reports enabled objects that expired or expire
 * within the threshold in one notification (never one per vault). Names and dates only, never values.
 * `keyVault.expiry.notify` turns it off.
 */
export class ExpiryWatch implements vscode.Disposable {
  private pending = new Map<string, ObjectView>();
  private timer: NodeJS.Timeout | undefined;
  private armed = false;
  /** Swappable so the extension-host tests can read and answer the notification. */
  prompts: Prompts = vscodePrompts;
  /** How long loads are collected after the first one, so one notification covers a whole refresh. */
  delayMs = 1500;
  private lastReport: Promise<void> = Promise.resolve();

  constructor(
    private readonly settings: Settings,
    private readonly reveal: (view: ObjectView) => Promise<void>,
  ) {}

  /** A refresh arms the watch: the next loads are reported. */
  arm(): void {
    this.armed = this.settings.current.expiryWatch;
    this.pending.clear();
  }

  observe(views: readonly ObjectView[]): void {
    if (!this.armed) return;
    const now = Date.now();
    const days = this.settings.current.expiryWarningDays;
    for (const v of views) {
      const s = expiryState(v, now, days);
      if ((s === 'expiring' || s === 'expired') && v.enabled && !v.deleted) this.pending.set(v.id, v);
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.lastReport = this.report();
    }, this.delayMs);
  }

  /** Resolves when the latest notification has been answered (tests). */
  settled(): Promise<void> {
    return this.lastReport;
  }

  private async report(): Promise<void> {
    this.armed = false;
    const views = [...this.pending.values()].sort((a, b) => (a.expiresOn?.getTime() ?? 0) - (b.expiresOn?.getTime() ?? 0));
    this.pending.clear();
    if (views.length === 0) return;
    const days = this.settings.current.expiryWarningDays;
    const names = views.slice(0, 3).map((v) => v.name).join(', ') + (views.length > 3 ? vscode.l10n.t(' and {0} more', views.length - 3) : '');
    const show = vscode.l10n.t('Show');
    const settings = vscode.l10n.t('Settings');
    const choice = await this.prompts.message({
      kind: 'warning',
      text: vscode.l10n.t('{0} loaded object(s) expired or expire within {1} days: {2}', views.length, days, names),
      actions: [show, settings],
    });
    if (choice === settings) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'keyVault.expiry');
      return;
    }
    if (choice !== show) return;
    const now = Date.now();
    type Item = vscode.QuickPickItem & { view: ObjectView };
    const picked = await this.prompts.pick<Item>({
      title: vscode.l10n.t('Expired or expiring soon'),
      items: views.map((v) => ({
        label: `$(${expiryState(v, now, days) === 'expired' ? 'warning' : 'clock'}) ${v.name}`,
        description: v.expiresOn ? (v.expiresOn.getTime() <= now ? vscode.l10n.t('expired {0}', shortDate(v.expiresOn)) : vscode.l10n.t('expires {0}', shortDate(v.expiresOn))) : '',
        detail: v.vaultUrl,
        view: v,
      })),
    });
    if (picked && typeof picked === 'object') await this.reveal(picked.view);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
