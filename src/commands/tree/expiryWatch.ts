import * as vscode from 'vscode';
import { expiryState, type ObjectView } from '../../tree/model/objectView';
import type { Settings } from '../../settings';

/**
 * After a refresh, collects what the tree loads for a moment and reports objects that expire within the
 * threshold in one notification (never one per vault). Names only, never values.
 */
export class ExpiryWatch implements vscode.Disposable {
  private pending = new Map<string, ObjectView>();
  private timer: NodeJS.Timeout | undefined;
  private armed = false;

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
    this.timer = setTimeout(() => void this.report(), 1500);
  }

  private async report(): Promise<void> {
    this.armed = false;
    const views = [...this.pending.values()];
    this.pending.clear();
    if (views.length === 0) return;
    const days = this.settings.current.expiryWarningDays;
    const names = views.slice(0, 3).map((v) => v.name).join(', ') + (views.length > 3 ? vscode.l10n.t(' and {0} more', views.length - 3) : '');
    const show = vscode.l10n.t('Show');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('{0} loaded object(s) expired or expire within {1} days: {2}', views.length, days, names), show);
    if (choice !== show) return;
    const picked = await vscode.window.showQuickPick(
      views.map((v) => ({ label: v.name, description: v.expiresOn ? v.expiresOn.toISOString().slice(0, 10) : '', detail: v.vaultUrl, view: v })),
      { title: vscode.l10n.t('Expired or expiring soon') },
    );
    if (picked) await this.reveal(picked.view);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
