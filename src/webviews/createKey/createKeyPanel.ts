import * as vscode from 'vscode';
import { errorText, type KeyCommandContext } from '../../commands/keys/context';
import { containerSku, type ContainerTarget } from '../../commands/keys/targets';
import { isKeyVaultError } from '../../keyvault/errors';
import type { CreateKeyOptions, KeyVaultKey } from '../../keyvault/models/keys';
import { escapeHtml, renderPage, webviewOptions } from '../html';
import { describeNewKey, formToCreateOptions, initFor, vaultTier, type VaultTier } from './form';
import { describeDropped, FORM_KEY_OPS, parsePageMessage, type CreateKeyFormData, type HostMessage } from './protocol';

export const CREATE_KEY_VIEW_TYPE = 'keyVault.createKey';

const OP_LABEL: Record<string, string> = { sign: 'Sign', verify: 'Verify', encrypt: 'Encrypt', decrypt: 'Decrypt', wrapKey: 'Wrap key', unwrapKey: 'Unwrap key' };

/**
 * The full Create Key form for one vault or HSM. The page holds the form in its DOM only; the host validates with
 * the same rules as the quick input, asks before adding a version to an existing key, and creates the key.
 */
export class CreateKeyPanel implements vscode.Disposable {
  private readonly posted = new vscode.EventEmitter<HostMessage>();
  readonly onDidPost = this.posted.event;
  private readonly done: Promise<KeyVaultKey | undefined>;
  private finish!: (key: KeyVaultKey | undefined) => void;
  private busy = false;
  /** Known once the page is ready; 'unknown' offers both protections and leaves the answer to Key Vault. */
  private tier: VaultTier = 'unknown';
  private disposed = false;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly c: KeyCommandContext,
    readonly container: ContainerTarget,
    readonly panel: vscode.WebviewPanel,
    private readonly prefill: Partial<CreateKeyFormData> | undefined,
    private readonly created: (key: KeyVaultKey, options: CreateKeyOptions) => void,
  ) {
    this.done = new Promise((resolve) => (this.finish = resolve));
    this.subscriptions.push(panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)));
    panel.webview.html = this.html();
  }

  /** The created key, or undefined when the panel was closed without creating one. */
  get result(): Promise<KeyVaultKey | undefined> {
    return this.done;
  }

  /** Says why HSM protection is or may not be offered, where the vault's tier decides. */
  private protectionNote(): string | undefined {
    if (this.container.kind === 'hsm') return undefined;
    switch (this.tier) {
      case 'standard':
        return vscode.l10n.t('{0} is a Standard vault: it holds software-protected keys only. HSM-protected keys need the Premium tier.', this.container.name);
      case 'unknown':
        return vscode.l10n.t(
          "{0}'s tier is not known here (added by URL, or no access to Azure Resource Manager): HSM-protected keys need a Premium vault, and Key Vault refuses them in a Standard one.",
          this.container.name,
        );
      case 'premium':
        return undefined;
    }
  }

  private post(message: HostMessage): void {
    if (this.disposed) return;
    this.posted.fire(message);
    void this.panel.webview.postMessage(message);
  }

  /** Handles one message from the page (public so tests can act as the page). */
  async receive(raw: unknown): Promise<void> {
    const message = parsePageMessage(raw);
    if (!message) {
      this.c.log.warn(`Create Key form: dropped a malformed message (${describeDropped(raw)})`);
      return;
    }
    switch (message.type) {
      case 'ready':
        if (this.container.kind === 'vault') this.tier = vaultTier(await containerSku(this.c, this.container.url));
        this.post(initFor({ name: this.container.name, host: new URL(this.container.url).host, kind: this.container.kind }, this.prefill, { tier: this.tier, note: this.protectionNote() }));
        return;
      case 'cancel':
        this.panel.dispose();
        return;
      case 'submit':
        await this.submit(message.form);
        return;
    }
  }

  private async submit(form: CreateKeyFormData): Promise<void> {
    if (this.busy) return;
    const checked = formToCreateOptions(form, this.container.kind, Date.now(), this.tier);
    if (!checked.ok) {
      this.post({ type: 'errors', fields: checked.fields, message: vscode.l10n.t('Fix the highlighted fields.') });
      return;
    }
    const { name, options } = checked;
    this.busy = true;
    this.post({ type: 'busy', busy: true });
    try {
      const keys = this.container.session.service.keys;
      const existing = await keys.get(this.container.url, name).then(
        (k) => k,
        () => undefined,
      );
      if (existing) {
        const action = vscode.l10n.t('Create New Version');
        const choice = await this.c.prompts.message({
          kind: 'warning',
          modal: true,
          text: vscode.l10n.t('Key {0} already exists in {1}.', name, this.container.name),
          detail: vscode.l10n.t('Creating it again adds a new version ({0}); applications that use the key without a version switch to it.', describeNewKey(options)),
          actions: [action],
        });
        if (choice !== action) {
          this.post({ type: 'errors', fields: { name: vscode.l10n.t('A key with this name exists: choose another name, or confirm a new version.') } });
          return;
        }
      }
      const key = await keys.create(this.container.url, name, options);
      this.c.log.info(`Created key ${name} (${describeNewKey(options)}) in ${new URL(this.container.url).host} from the Create Key form`);
      this.created(key, options);
      this.finish(key);
      this.panel.dispose();
    } catch (err) {
      const conflict = isKeyVaultError(err) && (err.kind === 'conflict-deleted' || err.kind === 'conflict');
      this.c.log.warn(`Create key ${name} failed: ${isKeyVaultError(err) ? `${err.kind}${err.status ? ` ${err.status}` : ''}` : 'error'}`);
      this.post({ type: 'errors', fields: conflict ? { name: errorText(err) } : {}, message: errorText(err) });
    } finally {
      this.busy = false;
      this.post({ type: 'busy', busy: false });
    }
  }

  private html(): string {
    const t = (s: string) => escapeHtml(vscode.l10n.t(s));
    const c = this.container;
    const ops = FORM_KEY_OPS.map((op) => `<label class="choice"><input type="checkbox" name="keyOps" value="${op}"> ${t(OP_LABEL[op] ?? op)}</label>`).join('\n          ');
    const body = `
<main class="panel create-key">
  <header>
    <h1>${t('Create Key')} <span class="key-name">${escapeHtml(c.name)}</span></h1>
    <p class="meta" id="meta">${escapeHtml(c.kind === 'hsm' ? 'Managed HSM' : 'Key vault')} · ${escapeHtml(new URL(c.url).host)}</p>
  </header>
  <form id="form" novalidate>
    <div class="row">
      <label for="name">${t('Name')}</label>
      <input type="text" id="name" class="mono" spellcheck="false" autocomplete="off" aria-describedby="name-hint name-error">
      <p class="hint" id="name-hint">${t('1-127 letters, digits and dashes. An existing name gets a new version.')}</p>
      <p class="field-error" id="name-error" hidden></p>
    </div>
    <fieldset class="row" id="family">
      <legend>${t('Key type')}</legend>
      <label class="choice"><input type="radio" name="family" value="RSA" checked> RSA</label>
      <label class="choice"><input type="radio" name="family" value="EC"> ${t('EC (elliptic curve)')}</label>
      <label class="choice" id="family-oct"><input type="radio" name="family" value="oct"> ${t('AES (symmetric, Managed HSM)')}</label>
      <p class="field-error" id="family-error" hidden></p>
    </fieldset>
    <div class="row" id="size-row">
      <label for="keySize">${t('Key size')}</label>
      <select id="keySize"></select>
      <p class="field-error" id="keySize-error" hidden></p>
    </div>
    <div class="row" id="curve-row" hidden>
      <label for="curve">${t('Curve')}</label>
      <select id="curve"></select>
      <p class="hint">${t('P-256K is secp256k1 (ES256K).')}</p>
      <p class="field-error" id="curve-error" hidden></p>
    </div>
    <fieldset class="row" id="protection">
      <legend>${t('Protection')}</legend>
      <label class="choice" id="protection-software"><input type="radio" name="protection" value="software" checked> ${t('Software')}</label>
      <label class="choice" id="protection-hsm"><input type="radio" name="protection" value="hsm"> ${t('HSM-protected')}</label>
      <p class="hint" id="protection-hint"></p>
      <p class="field-error" id="protection-error" hidden></p>
    </fieldset>
    <fieldset class="row" id="keyOps">
      <legend>${t('Permitted operations')}</legend>
      <div class="grid">
          ${ops}
      </div>
      <p class="field-error" id="keyOps-error" hidden></p>
    </fieldset>
    <div class="row">
      <label class="choice"><input type="checkbox" id="enabled" checked> ${t('Enabled')}</label>
    </div>
    <div class="row inline">
      <div>
        <label class="label" for="notBefore">${t('Activation (not before)')}</label>
        <input type="datetime-local" id="notBefore" aria-describedby="notBefore-error">
        <p class="field-error" id="notBefore-error" hidden></p>
      </div>
      <div>
        <label class="label" for="expiresOn">${t('Expiration')}</label>
        <input type="datetime-local" id="expiresOn" aria-describedby="expiresOn-error">
        <p class="field-error" id="expiresOn-error" hidden></p>
      </div>
    </div>
    <p class="hint">${t('Dates are in your local time zone; leave them empty for no limit.')}</p>
    <fieldset class="row tags" id="tags">
      <legend>${t('Tags')}</legend>
      <div id="tag-rows"></div>
      <button type="button" id="add-tag" class="secondary small">${t('Add Tag')}</button>
      <p class="field-error" id="tags-error" hidden></p>
    </fieldset>
    <details class="advanced" id="export-section">
      <summary>${t('Exportable key and release policy (HSM-protected keys)')}</summary>
      <div class="row">
        <label class="choice"><input type="checkbox" id="exportable"> ${t('Exportable: the key may be released to an attested environment')}</label>
        <p class="field-error" id="exportable-error" hidden></p>
      </div>
      <div class="row" id="policy-row">
        <label for="releasePolicy">${t('Release policy (JSON)')}</label>
        <textarea id="releasePolicy" rows="9" spellcheck="false" aria-describedby="releasePolicy-error"></textarea>
        <div class="inline">
          <button type="button" id="policy-example" class="secondary small">${t('Insert Example')}</button>
          <label class="choice"><input type="checkbox" id="releasePolicyImmutable"> ${t('Immutable (can never be changed)')}</label>
        </div>
        <p class="field-error" id="releasePolicy-error" hidden></p>
      </div>
    </details>
    <div class="error" id="form-error" role="alert" hidden></div>
    <div class="actions">
      <button type="submit" id="create" class="primary">${t('Create Key')}</button>
      <button type="button" id="cancel" class="secondary">${t('Cancel')}</button>
      <span class="busy" id="busy" hidden>${t('Creating…')}</span>
    </div>
  </form>
</main>`;
    return renderPage({ webview: this.panel.webview, extensionUri: this.c.extensionUri, title: vscode.l10n.t('Create Key in {0}', c.name), script: 'createKey', hasStyles: true, body });
  }

  dispose(): void {
    this.disposed = true;
    this.finish(undefined);
    for (const s of this.subscriptions) s.dispose();
    this.posted.dispose();
  }
}

export class CreateKeyPanels implements vscode.Disposable {
  private readonly panels = new Set<CreateKeyPanel>();
  private readonly opened = new vscode.EventEmitter<CreateKeyPanel>();
  readonly onDidOpen = this.opened.event;

  constructor(
    private readonly c: KeyCommandContext,
    private readonly created: (container: ContainerTarget, key: KeyVaultKey, options: CreateKeyOptions) => void,
  ) {}

  list(): CreateKeyPanel[] {
    return [...this.panels];
  }

  open(container: ContainerTarget, prefill?: Partial<CreateKeyFormData>): CreateKeyPanel {
    const panel = vscode.window.createWebviewPanel(CREATE_KEY_VIEW_TYPE, vscode.l10n.t('Create Key: {0}', container.name), { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, webviewOptions(this.c.extensionUri));
    const p = new CreateKeyPanel(this.c, container, panel, prefill, (key, options) => this.created(container, key, options));
    this.panels.add(p);
    panel.onDidDispose(() => {
      this.panels.delete(p);
      p.dispose();
    });
    this.opened.fire(p);
    return p;
  }

  dispose(): void {
    for (const p of [...this.panels]) p.panel.dispose();
    this.panels.clear();
    this.opened.dispose();
  }
}
