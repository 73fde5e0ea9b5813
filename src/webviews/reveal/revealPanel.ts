import * as vscode from 'vscode';
import { SecretCommandIds } from '../../commands/secrets/secretCommandIds';
import { toUserError, withProgress, type SecretCommandContext } from '../../commands/secrets/context';
import { describeRef, type SecretRef } from '../../commands/secrets/target';
import { valueShape } from '../../commands/secrets/validation';
import { readSecretValue } from '../../commands/secrets/value';
import { escapeHtml, renderPage, webviewOptions } from '../html';
import { describeDropped, parsePageMessage, type HostMessage } from './protocol';

export const REVEAL_VIEW_TYPE = 'keyVault.revealSecret';

/**
 * The Reveal panel: metadata at once, the value only after Show, read fresh from Key Vault each time and held by no
 * one but the page's DOM (no state, no retained context). One panel per secret (or version); opening it again
 * brings that panel forward.
 */
export class RevealPanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  private readonly refs = new Map<vscode.WebviewPanel, SecretRef>();
  private readonly posted = new vscode.EventEmitter<{ panel: vscode.WebviewPanel; message: HostMessage }>();
  /** What the host posts to a page (tests). */
  readonly onDidPost = this.posted.event;

  constructor(
    private readonly c: SecretCommandContext,
    private readonly extensionUri: vscode.Uri,
  ) {}

  /** Open panels (tests). */
  get size(): number {
    return this.panels.size;
  }

  /** The open panels, each with what its page would send (tests drive the host side with it). */
  list(): { panel: vscode.WebviewPanel; name: string; version?: string; receive(raw: unknown): Promise<void> }[] {
    return [...this.refs].map(([panel, ref]) => ({ panel, name: ref.name, ...(ref.version ? { version: ref.version } : {}), receive: (raw: unknown) => this.onMessage(panel, this.refs.get(panel) ?? ref, raw) }));
  }

  open(ref: SecretRef): vscode.WebviewPanel {
    const key = `${ref.vaultUrl.toLowerCase()}|${ref.name.toLowerCase()}|${ref.version ?? ''}`;
    const existing = this.panels.get(key);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      REVEAL_VIEW_TYPE,
      vscode.l10n.t('Secret: {0}', describeRef(ref)),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      webviewOptions(this.extensionUri),
    );
    this.panels.set(key, panel);
    this.refs.set(panel, ref);
    const subscriptions: vscode.Disposable[] = [];
    panel.onDidDispose(() => {
      this.panels.delete(key);
      this.refs.delete(panel);
      for (const s of subscriptions) s.dispose();
    });
    subscriptions.push(panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(panel, this.refs.get(panel) ?? ref, raw)));
    panel.webview.html = this.html(panel.webview, ref);
    return panel;
  }

  private html(webview: vscode.Webview, ref: SecretRef): string {
    const t = (s: string) => escapeHtml(s);
    const body = `
<main class="reveal" aria-labelledby="secret-name">
  <header>
    <h1 id="secret-name">${t(ref.name)}</h1>
    <p class="meta" id="meta">${t(new URL(ref.vaultUrl).host)}</p>
  </header>
  <section class="value" aria-label="${t(vscode.l10n.t('Secret value'))}">
    <div class="toolbar" role="toolbar" aria-label="${t(vscode.l10n.t('Value actions'))}">
      <button id="show" type="button" class="primary">${t(vscode.l10n.t('Show'))}</button>
      <button id="hide" type="button" hidden>${t(vscode.l10n.t('Hide'))}</button>
      <button id="copy" type="button">${t(vscode.l10n.t('Copy'))}</button>
      <label class="toggle" id="format-label" hidden><input id="format" type="checkbox" checked> ${t(vscode.l10n.t('Format JSON'))}</label>
      <label class="toggle" id="wrap-label"><input id="wrap" type="checkbox" checked> ${t(vscode.l10n.t('Wrap lines'))}</label>
      <span id="countdown" class="countdown" aria-live="polite"></span>
    </div>
    <div id="masked" class="masked" aria-label="${t(vscode.l10n.t('Value hidden'))}">••••••••••••••••</div>
    <pre id="value" class="secret" tabindex="0" hidden aria-label="${t(vscode.l10n.t('Secret value'))}"></pre>
    <p id="status" class="status" role="status" aria-live="polite"></p>
  </section>
  <footer class="hint">${t(vscode.l10n.t('The value is read from Key Vault when you click Show and is kept only on this page while it is visible. Esc hides it.'))}</footer>
</main>`;
    return renderPage({ webview, extensionUri: this.extensionUri, title: vscode.l10n.t('Secret {0}', ref.name), script: 'reveal', hasStyles: true, body });
  }

  private post(panel: vscode.WebviewPanel, message: HostMessage): void {
    void panel.webview.postMessage(message);
    this.posted.fire({ panel, message });
  }

  private async onMessage(panel: vscode.WebviewPanel, ref: SecretRef, raw: unknown): Promise<void> {
    const message = parsePageMessage(raw);
    if (!message) {
      this.c.log.warn(`Reveal panel: dropped a malformed message (${describeDropped(raw)})`);
      return;
    }
    const autoHideSeconds = this.c.tree.settings.current.revealAutoHideSeconds;
    switch (message.type) {
      case 'ready': {
        const v = ref.view;
        this.post(panel, {
          type: 'init',
          name: ref.name,
          vault: new URL(ref.vaultUrl).host,
          enabled: v?.enabled ?? true,
          autoHideSeconds,
          ...(ref.version ? { version: ref.version } : {}),
          ...(v?.contentType ? { contentType: v.contentType } : {}),
        });
        return;
      }
      case 'show': {
        try {
          const secret = await withProgress(vscode.l10n.t('Reading {0}…', describeRef(ref)), (signal) => readSecretValue(this.c, ref, vscode.l10n.t('to reveal it'), signal));
          if (secret === 'edit-dates') {
            this.post(panel, { type: 'problem', message: vscode.l10n.t('Not shown: change the activation or expiry date first.') });
            await vscode.commands.executeCommand(SecretCommandIds.editSecretAttributes, ref);
            return;
          }
          this.readSucceeded(panel, ref);
          const shape = valueShape(secret.value);
          this.c.log.info(`Revealed secret ${ref.name}${ref.version ? ` version ${ref.version}` : ''} of ${new URL(ref.vaultUrl).host} (${shape.bytes} bytes)`);
          this.post(panel, { type: 'value', value: secret.value, json: shape.json, lines: shape.lines, bytes: shape.bytes, autoHideSeconds, ...(secret.properties.version ? { version: secret.properties.version } : {}) });
        } catch (err) {
          this.post(panel, { type: 'problem', message: problemText(err) });
        }
        return;
      }
      case 'copy': {
        try {
          const secret = await withProgress(vscode.l10n.t('Reading {0}…', describeRef(ref)), (signal) => readSecretValue(this.c, ref, vscode.l10n.t('to copy it'), signal));
          if (secret === 'edit-dates') return;
          this.readSucceeded(panel, ref);
          const { clearsInSeconds } = await this.c.clipboard.copySecret(secret.value, vscode.l10n.t('secret {0}', describeRef(ref)));
          this.c.log.info(`Copied the value of secret ${ref.name} from the Reveal panel${clearsInSeconds ? `; clearing in ${clearsInSeconds} s` : ''}`);
          this.post(panel, { type: 'copied', clearsInSeconds });
        } catch (err) {
          this.post(panel, { type: 'problem', message: problemText(err) });
        }
        return;
      }
      case 'hidden':
        this.c.log.debug(`Reveal panel: value of ${ref.name} hidden (${message.reason})`);
        return;
    }
  }

  /**
   * A read went through, so the secret is enabled now (the read may just have enabled it, after asking): the panel's
   * metadata, taken from the tree when it opened, must not make the next Show or Copy offer to enable it again.
   */
  private readSucceeded(panel: vscode.WebviewPanel, ref: SecretRef): void {
    if (ref.view && !ref.view.enabled && this.refs.has(panel)) this.refs.set(panel, { ...ref, view: { ...ref.view, enabled: true } });
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
    this.posted.dispose();
  }
}

function problemText(err: unknown): string {
  const e = toUserError(err);
  if (e instanceof vscode.CancellationError) return vscode.l10n.t('Not shown.');
  return e instanceof Error ? e.message : String(e);
}
