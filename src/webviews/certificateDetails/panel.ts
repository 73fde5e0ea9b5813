import * as vscode from 'vscode';
import { CertificateCommandIds } from '../../commands/certificates/certificateCommandIds';
import { vaultDisplayName, type VaultCommandContext } from '../../commands/certificates/context';
import { certificatesInBundle } from '../../commands/certificates/files';
import { describeRef, type CertificateRef } from '../../commands/certificates/target';
import { PEM } from '../../keyvault/certificates/policy';
import { isKeyVaultError } from '../../keyvault/errors';
import type { CertificateOperation, CertificatePolicy, KeyVaultCertificate } from '../../keyvault/models/certificates';
import { escapeHtml, renderPage, webviewOptions } from '../html';
import { buildDetailsModel, type DetailsModel } from './model';
import { describeDropped, parsePageMessage, type DetailsAction, type HostMessage } from './protocol';

export const CERTIFICATE_DETAILS_VIEW_TYPE = 'keyVault.certificateDetails';

const notFound = (err: unknown): boolean => isKeyVaultError(err) && err.status === 404;

/**
 * Certificate details, read locally from the public certificate: subject, issuer, SANs, validity, thumbprints, key
 * usage, chain, policy and any pending operation — not a raw dump. One panel per certificate (or version).
 */
export class CertificateDetailsPanels implements vscode.Disposable {
  private readonly panels = new Map<string, DetailsSession>();

  constructor(private readonly c: VaultCommandContext) {}

  get size(): number {
    return this.panels.size;
  }

  open(ref: CertificateRef): vscode.WebviewPanel {
    const key = `${ref.vaultUrl.toLowerCase()}|${ref.name.toLowerCase()}|${ref.version ?? ''}`;
    const existing = this.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      void existing.reload();
      return existing.panel;
    }
    const panel = vscode.window.createWebviewPanel(
      CERTIFICATE_DETAILS_VIEW_TYPE,
      vscode.l10n.t('Certificate: {0}', describeRef(ref)),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      webviewOptions(this.c.extensionUri),
    );
    const session = new DetailsSession(this.c, ref, panel);
    this.panels.set(key, session);
    panel.onDidDispose(() => {
      this.panels.delete(key);
      session.dispose();
    });
    const t = (s: string): string => escapeHtml(vscode.l10n.t(s));
    const body = `
<main class="certificate-details" aria-busy="true">
  <header>
    <div class="title-row">
      <h1 id="title">${escapeHtml(ref.name)}</h1>
      <span id="health" class="badge" role="status"></span>
    </div>
    <p class="meta" id="meta">${escapeHtml(new URL(ref.vaultUrl).host)}</p>
    <div class="toolbar" role="toolbar" aria-label="${t('Certificate actions')}" id="toolbar"></div>
    <p id="status" class="status" role="status" aria-live="polite"></p>
  </header>
  <div id="content"><p class="help">${t('Loading…')}</p></div>
</main>`;
    panel.webview.html = renderPage({ webview: panel.webview, extensionUri: this.c.extensionUri, title: vscode.l10n.t('Certificate {0}', ref.name), script: 'certificateDetails', hasStyles: true, body });
    return panel;
  }

  dispose(): void {
    for (const s of [...this.panels.values()]) s.panel.dispose();
  }
}

class DetailsSession {
  private readonly subscriptions: vscode.Disposable[] = [];
  private chain: Buffer[] | undefined;
  private model: DetailsModel | undefined;
  private certificate: KeyVaultCertificate | undefined;

  constructor(
    private readonly c: VaultCommandContext,
    private readonly ref: CertificateRef,
    readonly panel: vscode.WebviewPanel,
  ) {
    this.subscriptions.push(panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)));
  }

  private post(m: HostMessage): void {
    void this.panel.webview.postMessage(m);
  }

  private problem(err: unknown): void {
    this.post({ type: 'problem', message: isKeyVaultError(err) ? err.userMessage : err instanceof Error ? err.message : String(err) });
  }

  /** Reads the certificate, its policy and any pending operation, and sends the page its model. */
  async reload(): Promise<void> {
    const s = this.ref.session.service.certificates;
    const { vaultUrl, name, version } = this.ref;
    try {
      let cert: KeyVaultCertificate | undefined;
      try {
        cert = await s.get(vaultUrl, name, version);
      } catch (err) {
        // A certificate whose first version is still pending may have no readable version yet.
        if (!notFound(err) || version) throw err;
      }
      let policy: CertificatePolicy | undefined = cert?.policy;
      if (!policy) policy = await s.getPolicy(vaultUrl, name).catch(() => undefined);
      let operation: CertificateOperation | undefined;
      if (!version) operation = await s.getOperation(vaultUrl, name).catch(() => undefined);
      if (!cert && !operation) throw new Error(vscode.l10n.t('Certificate {0} was not found in {1}.', name, new URL(vaultUrl).host));
      if (cert?.x5t !== this.certificate?.x5t) this.chain = undefined;
      this.certificate = cert;
      this.model = buildDetailsModel({
        ...(cert ? { certificate: cert } : {}),
        name,
        vaultUrl,
        vaultName: await vaultDisplayName(this.c, vaultUrl),
        ...(version ? { version } : {}),
        ...(policy ? { policy } : {}),
        ...(operation ? { operation } : {}),
        ...(this.chain ? { chain: this.chain } : {}),
        now: this.c.tree.now(),
        warningDays: this.c.tree.settings.current.expiryWarningDays,
      });
      this.post({ type: 'details', model: this.model });
    } catch (err) {
      this.problem(err);
    }
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parsePageMessage(raw);
    if (!message) {
      this.c.log.warn(`Certificate Details panel: dropped ${describeDropped(raw)}`);
      return;
    }
    if (message.type === 'ready') {
      if (this.model) this.post({ type: 'details', model: this.model });
      await this.reload();
      return;
    }
    await this.onAction(message.action);
  }

  private async copy(text: string | undefined, what: string): Promise<void> {
    if (!text) return;
    await vscode.env.clipboard.writeText(text);
    this.post({ type: 'status', message: vscode.l10n.t('{0} copied', what) });
  }

  private async loadChain(): Promise<void> {
    const cert = this.certificate;
    if (!cert || cert.cer.length === 0) return;
    this.post({ type: 'status', message: vscode.l10n.t('Reading the chain from the certificate\'s secret…'), busy: true });
    let bytes: Uint8Array | undefined;
    try {
      // The chain lives in the secret; the bundle also holds the private key, which is never read and is wiped.
      const format = cert.contentType === PEM ? 'pem-with-key' : 'pfx';
      const download = await this.ref.session.service.certificates.download(this.ref.vaultUrl, this.ref.name, format, this.ref.version ? { version: this.ref.version } : {});
      bytes = download.bytes;
      this.chain = certificatesInBundle(bytes, download.contentType);
      this.post({ type: 'status', message: vscode.l10n.t('Chain loaded: {0} certificate(s)', this.chain.length) });
      await this.reload();
    } catch (err) {
      if (isKeyVaultError(err) && err.status === 403) {
        this.post({ type: 'problem', message: vscode.l10n.t('The full chain is stored in the certificate\'s secret, which you may not read: {0}', err.userMessage) });
      } else this.problem(err);
    } finally {
      bytes?.fill(0);
    }
  }

  private async onAction(action: DetailsAction): Promise<void> {
    const ids = CertificateCommandIds;
    const cert = this.model?.certificate;
    const run = async (command: string): Promise<void> => {
      await vscode.commands.executeCommand(command, this.ref);
      await this.reload();
    };
    switch (action) {
      case 'refresh':
        return this.reload();
      case 'copySha1':
        return this.copy(cert?.thumbprintSha1, vscode.l10n.t('SHA-1 thumbprint'));
      case 'copySha256':
        return this.copy(cert?.thumbprintSha256, vscode.l10n.t('SHA-256 thumbprint'));
      case 'copySerial':
        return this.copy(cert?.serialNumber, vscode.l10n.t('Serial number'));
      case 'copyId':
        return this.copy(this.model?.id, vscode.l10n.t('Identifier'));
      case 'loadChain':
        return this.loadChain();
      case 'download':
        await vscode.commands.executeCommand(ids.downloadCertificate, this.ref);
        return;
      case 'editPolicy':
        await vscode.commands.executeCommand(ids.editCertificatePolicy, this.ref);
        return;
      case 'downloadCsr':
        await vscode.commands.executeCommand(ids.downloadCertificateCsr, this.ref);
        return;
      case 'merge':
        return run(ids.mergeCertificate);
      case 'cancelOperation':
        return run(ids.cancelCertificateOperation);
      case 'deleteOperation':
        return run(ids.deleteCertificateOperation);
      case 'enable':
        return run(ids.enableCertificate);
      case 'disable':
        return run(ids.disableCertificate);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
