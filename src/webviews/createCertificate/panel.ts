import * as vscode from 'vscode';
import { CertificateCommandIds } from '../../commands/certificates/certificateCommandIds';
import { hostOf, refreshFamily, toUserError, type VaultCommandContext, type VaultTarget } from '../../commands/certificates/context';
import { checkNameBeforeCreate, createAndFollow, describeOperation, outcomeOf, refOf } from '../../commands/certificates/create';
import { isKeyVaultError } from '../../keyvault/errors';
import type { CertificateOperation } from '../../keyvault/models/certificates';
import { escapeHtml, renderPage, webviewOptions } from '../html';
import { checkForm } from './form';
import { COMMON_EKUS, CURVES, DEFAULT_FORM, KEY_USAGES, RSA_KEY_SIZES, type CreateCertificateForm } from './formModel';
import { describeDropped, parsePageMessage, type HostMessage, type IssuerChoice, type ProgressMessage } from './protocol';

export const CREATE_CERTIFICATE_VIEW_TYPE = 'keyVault.createCertificate';

const KEY_USAGE_LABELS: Record<string, string> = {
  digitalSignature: 'Digital signature',
  nonRepudiation: 'Non-repudiation',
  keyEncipherment: 'Key encipherment',
  dataEncipherment: 'Data encipherment',
  keyAgreement: 'Key agreement',
  keyCertSign: 'Certificate signing',
  cRLSign: 'CRL signing',
  encipherOnly: 'Encipher only',
  decipherOnly: 'Decipher only',
};

/**
 * The Create Certificate panel: a form checked by the host as the user types (the same validators the service runs),
 * the exact request body shown before anything is sent, then progress until Key Vault has issued the certificate —
 * or, for issuer Unknown, the next steps (CSR, merge). One panel per vault.
 */
export class CreateCertificatePanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();

  constructor(private readonly c: VaultCommandContext) {}

  get size(): number {
    return this.panels.size;
  }

  open(vault: VaultTarget, prefill: Partial<CreateCertificateForm> = {}): vscode.WebviewPanel {
    const key = vault.url.toLowerCase();
    const existing = this.panels.get(key);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      CREATE_CERTIFICATE_VIEW_TYPE,
      vscode.l10n.t('New Certificate · {0}', vault.name),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      webviewOptions(this.c.extensionUri),
    );
    this.panels.set(key, panel);
    const session = new CreateSession(this.c, vault, panel, { ...DEFAULT_FORM, ...prefill });
    panel.onDidDispose(() => {
      this.panels.delete(key);
      session.dispose();
    });
    panel.webview.html = this.html(panel.webview, vault);
    return panel;
  }

  private html(webview: vscode.Webview, vault: VaultTarget): string {
    const t = (s: string): string => escapeHtml(vscode.l10n.t(s));
    const field = (id: string, label: string, control: string, help?: string): string => `
      <div class="field" id="field-${id}">
        <label for="${id}">${t(label)}</label>
        ${control}
        ${help ? `<p class="help" id="${id}-help">${t(help)}</p>` : ''}
        <p class="error" id="${id}-error" aria-live="polite"></p>
      </div>`;
    const describedBy = (id: string, help = true): string => `aria-describedby="${help ? `${id}-help ` : ''}${id}-error"`;
    const option = (value: string, label = value): string => `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`;
    const check = (id: string, label: string, help?: string): string => `
      <div class="check" id="field-${id}">
        <input type="checkbox" id="${id}" ${help ? describedBy(id) : describedBy(id, false)}>
        <label for="${id}">${t(label)}</label>
        ${help ? `<p class="help" id="${id}-help">${t(help)}</p>` : ''}
        <p class="error" id="${id}-error" aria-live="polite"></p>
      </div>`;
    const body = `
<main class="create-certificate">
  <header>
    <h1>${t('New certificate')}</h1>
    <p class="meta">${escapeHtml(vscode.l10n.t('in {0} ({1})', vault.name, hostOf(vault.url)))}</p>
  </header>
  <form id="form" novalidate autocomplete="off">
    <div class="layout">
      <div class="fields">
        <section aria-labelledby="h-identity">
          <h2 id="h-identity">${t('Certificate')}</h2>
          ${field('name', 'Name', `<input id="name" type="text" spellcheck="false" required ${describedBy('name')}>`, 'Letters, digits and dashes. An existing name gets a new version.')}
          ${field('subject', 'Subject', `<input id="subject" type="text" spellcheck="false" placeholder="CN=www.contoso.com, O=Contoso, C=US" ${describedBy('subject')}>`, 'A distinguished name: comma-separated type=value pairs.')}
          ${field('dnsNames', 'DNS names', `<textarea id="dnsNames" rows="3" spellcheck="false" placeholder="www.contoso.com&#10;contoso.com" ${describedBy('dnsNames')}></textarea>`, 'Subject alternative names, one per line. A leading *. makes a wildcard.')}
          ${field('validityMonths', 'Validity (months)', `<input id="validityMonths" type="number" min="1" max="1200" step="1" ${describedBy('validityMonths')}>`, 'From 1 to 1200 for self-signed certificates; CAs allow less.')}
        </section>
        <section aria-labelledby="h-key">
          <h2 id="h-key">${t('Key')}</h2>
          <div class="row">
            ${field('keyType', 'Key type', `<select id="keyType" ${describedBy('keyType', false)}>${option('RSA')}${option('EC')}${option('RSA-HSM', 'RSA-HSM (Premium)')}${option('EC-HSM', 'EC-HSM (Premium)')}</select>`)}
            ${field('keySize', 'Key size', `<select id="keySize" ${describedBy('keySize', false)}>${RSA_KEY_SIZES.map((s) => option(String(s), `${s} bits`)).join('')}</select>`)}
            ${field('curve', 'Curve', `<select id="curve" ${describedBy('curve', false)}>${CURVES.map((c) => option(c)).join('')}</select>`)}
          </div>
          ${check('exportable', 'Exportable private key', 'The private key can be downloaded with the certificate (PFX or PEM). HSM keys never leave the HSM.')}
          ${check('reuseKey', 'Reuse the key on renewal')}
        </section>
        <section aria-labelledby="h-issuance">
          <h2 id="h-issuance">${t('Issuance')}</h2>
          ${field('issuer', 'Issuer', `<select id="issuer" ${describedBy('issuer')}>${option('Self', vscode.l10n.t('Self (self-signed)'))}${option('Unknown', vscode.l10n.t('Unknown (sign the CSR with your own CA)'))}</select>`, 'Configured issuers of the vault appear here too.')}
          ${field('certificateType', 'Certificate type', `<input id="certificateType" type="text" spellcheck="false" placeholder="OV-SSL" ${describedBy('certificateType')}>`, 'Only for a configured issuer that offers several types.')}
          <fieldset class="field" id="field-contentType" aria-describedby="contentType-help contentType-error">
            <legend>${t('Content type')}</legend>
            <label class="inline"><input type="radio" name="contentType" id="contentType-pfx" value="PFX"> PFX (PKCS #12)</label>
            <label class="inline"><input type="radio" name="contentType" id="contentType-pem" value="PEM"> PEM</label>
            <p class="help" id="contentType-help">${t('How the certificate and its key are stored in the secret of the same name.')}</p>
            <p class="error" id="contentType-error" aria-live="polite"></p>
          </fieldset>
        </section>
        <section aria-labelledby="h-lifetime">
          <h2 id="h-lifetime">${t('Lifetime action')}</h2>
          <div class="row">
            ${field('lifetimeAction', 'Action', `<select id="lifetimeAction" ${describedBy('lifetimeAction', false)}>${option('AutoRenew', vscode.l10n.t('Renew automatically'))}${option('EmailContacts', vscode.l10n.t('Email the contacts'))}${option('none', vscode.l10n.t('None'))}</select>`)}
            ${field('lifetimeTrigger', 'When', `<select id="lifetimeTrigger" ${describedBy('lifetimeTrigger', false)}>${option('lifetimePercentage', vscode.l10n.t('at a percentage of the lifetime'))}${option('daysBeforeExpiry', vscode.l10n.t('days before expiry'))}</select>`)}
            ${field('lifetimeValue', 'Value', `<input id="lifetimeValue" type="number" min="1" step="1" ${describedBy('lifetimeValue', false)}>`)}
          </div>
        </section>
        <details class="advanced">
          <summary>${t('Key usage and extended key usage')}</summary>
          <fieldset class="field" id="field-keyUsage" aria-describedby="keyUsage-error">
            <legend>${t('Key usage')}</legend>
            <div class="checks">${KEY_USAGES.map((u) => `<label class="inline"><input type="checkbox" name="keyUsage" value="${u}"> ${escapeHtml(vscode.l10n.t(KEY_USAGE_LABELS[u] ?? u))}</label>`).join('')}</div>
            <p class="error" id="keyUsage-error" aria-live="polite"></p>
          </fieldset>
          <fieldset class="field" id="field-ekus" aria-describedby="ekus-error">
            <legend>${t('Extended key usage')}</legend>
            <div class="checks">${COMMON_EKUS.map((e) => `<label class="inline"><input type="checkbox" name="ekus" value="${e.oid}"> ${escapeHtml(vscode.l10n.t(e.label))}</label>`).join('')}</div>
            <p class="error" id="ekus-error" aria-live="polite"></p>
          </fieldset>
        </details>
        <section aria-labelledby="h-tags">
          <h2 id="h-tags">${t('Tags')}</h2>
          <div id="tags" class="tags" role="group" aria-labelledby="h-tags"></div>
          <button type="button" id="add-tag" class="secondary">${t('Add tag')}</button>
          <p class="error" id="tags-error" aria-live="polite"></p>
        </section>
        ${check('enabled', 'Enabled')}
      </div>
      <aside class="preview" aria-labelledby="h-preview">
        <h2 id="h-preview">${t('Request body')}</h2>
        <p class="help">${t('What Key Vault receives when you select Create. It updates as you type.')}</p>
        <pre id="preview" tabindex="0" aria-live="off"></pre>
      </aside>
    </div>
    <p class="error form-error" id="form-error" role="alert"></p>
    <div class="buttons">
      <button type="submit" id="create" class="primary">${t('Create')}</button>
    </div>
  </form>
  <section id="status-view" class="status-view" hidden aria-live="polite">
    <h2 id="status-title">${t('Creating…')}</h2>
    <div class="status-line"><span id="spinner" class="spinner" aria-hidden="true"></span><p id="status-text"></p></div>
    <p id="status-detail" class="help"></p>
    <div class="buttons" id="status-actions">
      <button type="button" class="primary" data-action="showDetails" hidden>${t('Show Details')}</button>
      <button type="button" data-action="download" hidden>${t('Download…')}</button>
      <button type="button" class="primary" data-action="downloadCsr" hidden>${t('Download CSR…')}</button>
      <button type="button" data-action="merge" hidden>${t('Merge Signed Certificate…')}</button>
      <button type="button" data-action="cancelOperation" hidden>${t('Cancel Operation')}</button>
      <button type="button" data-action="again" hidden>${t('Create Another')}</button>
      <button type="button" class="secondary" data-action="close">${t('Close')}</button>
    </div>
  </section>
</main>`;
    return renderPage({ webview, extensionUri: this.c.extensionUri, title: vscode.l10n.t('New certificate in {0}', vault.name), script: 'createCertificate', hasStyles: true, body });
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
  }
}

/** One open panel: its form, its issuers, and the creation it started. */
class CreateSession {
  private readonly subscriptions: vscode.Disposable[] = [];
  private issuers: IssuerChoice[] = [];
  private issuersLoaded = false;
  private busy = false;
  private created: string | undefined;
  private lastProgress: ProgressMessage | undefined;
  private abort: AbortController | undefined;

  constructor(
    private readonly c: VaultCommandContext,
    private readonly vault: VaultTarget,
    private readonly panel: vscode.WebviewPanel,
    private form: CreateCertificateForm,
  ) {
    this.subscriptions.push(panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)));
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parsePageMessage(raw);
    if (!message) {
      this.c.log.warn(`Create Certificate panel: dropped ${describeDropped(raw)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.post({ type: 'init', vaultName: this.vault.name, vaultHost: hostOf(this.vault.url), form: this.form });
        void this.loadIssuers();
        // A hidden panel is rebuilt from scratch: show where the creation stands again.
        if (this.created && this.lastProgress) this.post(this.lastProgress);
        return;
      case 'change': {
        this.form = message.form;
        const result = checkForm(message.form, this.issuersLoaded ? this.issuers.map((i) => i.name) : []);
        this.post({ type: 'validation', seq: message.seq, errors: result.errors, ...(result.request ? { preview: JSON.stringify(result.request, null, 2) } : {}) });
        return;
      }
      case 'submit':
        this.form = message.form;
        await this.submit(message.form);
        return;
      case 'action':
        await this.onAction(message.action);
        return;
    }
  }

  private async loadIssuers(): Promise<void> {
    const names: IssuerChoice[] = [];
    try {
      for await (const i of this.vault.session.service.certificates.listIssuers(this.vault.url)) names.push({ name: i.name, ...(i.provider ? { provider: i.provider } : {}) });
      this.issuers = names;
      this.issuersLoaded = true;
      this.post({ type: 'issuers', issuers: names });
    } catch (err) {
      // Listing issuers needs certificates/getissuers: without it Self and Unknown still work.
      const text = isKeyVaultError(err) ? err.message : err instanceof Error ? err.message : String(err);
      this.c.log.warn(`Could not list the certificate issuers of ${hostOf(this.vault.url)}: ${text}`);
      this.post({ type: 'issuers', issuers: [], problem: vscode.l10n.t('Configured issuers could not be listed: {0}', text) });
    }
  }

  private progress(phase: ProgressMessage['phase'], text: string, detail?: string): void {
    this.lastProgress = { type: 'progress', phase, text, ...(detail ? { detail } : {}) };
    this.post(this.lastProgress);
  }

  private async submit(form: CreateCertificateForm): Promise<void> {
    if (this.busy) return;
    const result = checkForm(form, this.issuersLoaded ? this.issuers.map((i) => i.name) : []);
    if (!result.options) {
      this.post({ type: 'validation', seq: Number.MAX_SAFE_INTEGER, errors: result.errors });
      return;
    }
    const name = form.name.trim();
    this.busy = true;
    this.abort = new AbortController();
    try {
      await checkNameBeforeCreate(this.c, this.vault, name, this.abort.signal);
      this.progress('submitting', vscode.l10n.t('Sending the request to {0}…', this.vault.name));
      const op = await createAndFollow(this.vault, name, result.options, this.abort.signal, (started) => {
        this.created = name;
        void refreshFamily(this.c, this.vault.url, 'certificates');
        this.progress('inProgress', vscode.l10n.t('Key Vault is issuing {0} ({1})…', name, started.issuerName ?? 'Self'), started.statusDetails);
      });
      this.report(name, op);
    } catch (err) {
      const shown = toUserError(err);
      if (shown instanceof vscode.CancellationError) {
        if (this.created) this.progress('inProgress', vscode.l10n.t('Stopped waiting. Certificate {0} is still being issued; see it in the tree.', name));
        else this.post({ type: 'validation', seq: Number.MAX_SAFE_INTEGER, errors: {} });
      } else if (this.created) {
        this.progress('failed', shown instanceof Error ? shown.message : String(shown));
      } else {
        // Nothing was created: back to the form, with Key Vault's message.
        this.post({ type: 'validation', seq: Number.MAX_SAFE_INTEGER, errors: { form: shown instanceof Error ? shown.message : String(shown) } });
      }
    } finally {
      this.busy = false;
      this.abort = undefined;
    }
  }

  private report(name: string, op: CertificateOperation): void {
    const outcome = outcomeOf(op);
    this.c.log.info(`Certificate ${name} in ${hostOf(this.vault.url)}: ${op.status ?? 'unknown status'} (issuer ${op.issuerName ?? 'Self'})`);
    void refreshFamily(this.c, this.vault.url, 'certificates');
    const detail = op.error?.message ?? op.statusDetails;
    this.progress(outcome, describeOperation(name, op), outcome === 'completed' ? undefined : detail);
  }

  private async onAction(action: string): Promise<void> {
    const ref = this.created ? refOf(this.vault, this.created) : undefined;
    switch (action) {
      case 'close':
        this.panel.dispose();
        return;
      case 'again':
        this.created = undefined;
        this.lastProgress = undefined;
        this.post({ type: 'init', vaultName: this.vault.name, vaultHost: hostOf(this.vault.url), form: { ...this.form, name: '' } });
        return;
      case 'showDetails':
        if (ref) await vscode.commands.executeCommand(CertificateCommandIds.showCertificateDetails, ref);
        return;
      case 'download':
        if (ref) await vscode.commands.executeCommand(CertificateCommandIds.downloadCertificate, ref);
        return;
      case 'downloadCsr':
        if (ref) await vscode.commands.executeCommand(CertificateCommandIds.downloadCertificateCsr, ref);
        return;
      case 'merge':
      case 'cancelOperation': {
        if (!ref) return;
        await vscode.commands.executeCommand(action === 'merge' ? CertificateCommandIds.mergeCertificate : CertificateCommandIds.cancelCertificateOperation, ref);
        try {
          const op = await this.vault.session.service.certificates.getOperation(this.vault.url, ref.name);
          this.report(ref.name, op);
        } catch (err) {
          // A merged certificate's operation may be gone already: that means it completed.
          if (isKeyVaultError(err) && err.status === 404) this.progress('completed', vscode.l10n.t('Certificate {0} was issued.', ref.name));
        }
        return;
      }
    }
  }

  dispose(): void {
    this.abort?.abort();
    for (const s of this.subscriptions) s.dispose();
  }
}
