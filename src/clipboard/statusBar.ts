import * as vscode from 'vscode';
import { SecretCommandIds } from '../commands/secrets/secretCommandIds';
import { countdownText, type CountdownView } from './clipboardGuard';

/** The status-bar countdown: `$(clippy) 29s`, click to clear now. It names what was copied, never the value. */
export class StatusBarCountdown implements CountdownView, vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('keyVault.clipboard', vscode.StatusBarAlignment.Left, 100);
    this.item.name = vscode.l10n.t('Key Vault clipboard');
    this.item.command = SecretCommandIds.clearClipboard;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
  }

  private visible = false;

  /** `keyVault.clipboardPending` shows Clear Copied Secret in the palette only while there is something to clear. */
  private setVisible(visible: boolean): void {
    if (this.visible === visible) return;
    this.visible = visible;
    void vscode.commands.executeCommand('setContext', 'keyVault.clipboardPending', visible);
  }

  show(secondsLeft: number, what: string): void {
    this.setVisible(true);
    const left = countdownText(secondsLeft);
    this.item.text = `$(clippy) ${left}`;
    this.item.tooltip = vscode.l10n.t('The value of {0} is on the clipboard; it is cleared in {1} if it is still there. Click to clear it now.', what, left);
    this.item.accessibilityInformation = { label: vscode.l10n.t('Clipboard holds the value of {0}; clears in {1}', what, left), role: 'button' };
    this.item.show();
  }

  hide(): void {
    this.setVisible(false);
    this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}
