import * as vscode from 'vscode';
import { errorText, refreshKeys, type KeyCommandContext } from '../../commands/keys/context';
import type { KeyRef } from '../../commands/keys/targets';
import { isKeyVaultError } from '../../keyvault/errors';
import type { KeyVaultKey } from '../../keyvault/models/keys';
import { escapeHtml, renderPage, webviewOptions } from '../html';
import { FieldError, initMessage, opWord, runOperation } from './operations';
import { describeDropped, INPUT_KINDS_FOR, MODE_OPS, parsePageMessage, type CryptoMode, type CryptoOp, type HostMessage, type InputKind, type RunRequest } from './protocol';

export const CRYPTO_VIEW_TYPE = 'keyVault.keyCrypto';

/** Files are hashed locally for sign/verify (any size up to this); the other operations send the bytes. */
const MAX_FILE_BYTES: Record<CryptoOp, number> = {
  sign: 512 * 1024 * 1024,
  verify: 512 * 1024 * 1024,
  encrypt: 4 * 1024 * 1024,
  decrypt: 4 * 1024 * 1024,
  wrapKey: 64 * 1024,
  unwrapKey: 64 * 1024,
};

const MODE_TITLE: Record<CryptoMode, string> = { sign: 'Sign / Verify', encrypt: 'Encrypt / Decrypt', wrap: 'Wrap / Unwrap Key' };
const OP_LABEL: Record<CryptoOp, string> = { sign: 'Sign', verify: 'Verify', encrypt: 'Encrypt', decrypt: 'Decrypt', wrapKey: 'Wrap', unwrapKey: 'Unwrap' };
const INPUT_LABEL: Record<InputKind, string> = { text: 'Text', file: 'File', hex: 'Hex', base64: 'Base64', digestHex: 'Digest (hex)', digestBase64: 'Digest (base64)' };
const INPUT_HEADING: Record<CryptoOp, string> = {
  sign: 'Data to sign',
  verify: 'Signed data',
  encrypt: 'Plaintext',
  decrypt: 'Ciphertext',
  wrapKey: 'Key to wrap',
  unwrapKey: 'Wrapped key',
};

/**
 * One panel per key (or version) and mode. The page holds inputs and results in its DOM only (no setState, no
 * retained context); the host keeps the key's public metadata and the paths of picked files, never their bytes.
 */
export class CryptoPanel implements vscode.Disposable {
  private readonly files = new Map<CryptoOp, vscode.Uri>();
  private readonly posted = new vscode.EventEmitter<HostMessage>();
  /** Every message the host sends to the page (the extension-host tests observe the panel through it). */
  readonly onDidPost = this.posted.event;
  private readonly abort = new AbortController();
  private readonly subscriptions: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    private readonly c: KeyCommandContext,
    readonly ref: KeyRef,
    readonly mode: CryptoMode,
    private key: KeyVaultKey,
    readonly panel: vscode.WebviewPanel,
  ) {
    this.subscriptions.push(panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)));
    panel.webview.html = this.html();
  }

  /** The key version the panel works with. */
  get keyVersion(): KeyVaultKey {
    return this.key;
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
      this.c.log.warn(`Crypto panel: dropped a malformed message (${describeDropped(raw)})`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.post(initMessage(this.mode, this.key, !this.ref.version, Date.now()));
        return;
      case 'pickFile':
        await this.pickFile(message.op);
        return;
      case 'copy':
        await this.copy(message.label, message.text, message.sensitive);
        return;
      case 'enable':
        await this.enable();
        return;
      case 'run':
        await this.run(message);
        return;
    }
  }

  private async pickFile(op: CryptoOp): Promise<void> {
    const uris = await this.c.prompts.openDialog({ canSelectMany: false, canSelectFiles: true, canSelectFolders: false, title: vscode.l10n.t('{0}: choose a file', OP_LABEL[op]), openLabel: vscode.l10n.t('Use This File') });
    const uri = uris?.[0];
    if (!uri) return;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_FILE_BYTES[op]) {
        this.post({ type: 'error', op, field: 'input', message: vscode.l10n.t('{0} has {1} bytes; {2} takes files up to {3} bytes here.', baseName(uri), stat.size, OP_LABEL[op], MAX_FILE_BYTES[op]) });
        return;
      }
      this.files.set(op, uri);
      this.post({ type: 'file', op, name: baseName(uri), size: stat.size });
    } catch (err) {
      this.post({ type: 'error', op, field: 'input', message: errorText(err) });
    }
  }

  private async readFile(op: CryptoOp): Promise<Uint8Array> {
    const uri = this.files.get(op);
    if (!uri) throw new FieldError(vscode.l10n.t('Choose a file first.'), 'input');
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.length > MAX_FILE_BYTES[op]) throw new FieldError(vscode.l10n.t('The file grew past {0} bytes since it was chosen.', MAX_FILE_BYTES[op]), 'input');
    return bytes;
  }

  private async copy(label: string, text: string, sensitive: boolean): Promise<void> {
    if (sensitive) {
      const { clearsInSeconds } = await this.c.clipboard.copySecret(text, vscode.l10n.t('{0} from key {1}', label.toLowerCase(), this.key.name));
      this.c.log.info(`Copied the ${label.toLowerCase()} of a ${this.mode} operation with key ${this.key.name}${clearsInSeconds ? `; clearing in ${clearsInSeconds} s` : ''}`);
      this.post({ type: 'copied', label, clearsInSeconds });
      return;
    }
    await this.c.clipboard.copyText(text);
    this.post({ type: 'copied', label });
  }

  private async enable(): Promise<void> {
    const op = MODE_OPS[this.mode][0];
    const action = vscode.l10n.t('Enable');
    const choice = await this.c.prompts.message({
      kind: 'warning',
      modal: true,
      text: vscode.l10n.t('Enable key {0}, version {1}?', this.key.name, (this.key.version ?? '').slice(0, 8)),
      detail: vscode.l10n.t('Applications holding this key id can use it again once it is enabled.'),
      actions: [action],
    });
    if (choice !== action) return;
    try {
      this.key = await this.ref.session.service.keys.update(this.key.vaultUrl, this.key.name, this.key.version ?? '', { attributes: { enabled: true } });
      this.c.log.info(`Enabled key ${this.key.name} version ${this.key.version ?? ''} from the ${this.mode} panel`);
      void refreshKeys(this.c, this.key.vaultUrl, { listing: true, names: [this.key.name] });
      this.post(initMessage(this.mode, this.key, !this.ref.version, Date.now()));
    } catch (err) {
      this.post({ type: 'error', op, message: errorText(err) });
    }
  }

  private async run(req: RunRequest): Promise<void> {
    this.post({ type: 'busy', op: req.op, busy: true });
    try {
      const result = await runOperation({ crypto: this.ref.session.service.crypto, key: this.key, readFile: (op) => this.readFile(op), signal: this.abort.signal }, req);
      // What ran and with which algorithm, never the data, digest or result.
      this.c.log.info(`${OP_LABEL[req.op]} with ${req.algorithm} ${result.by === 'local' ? 'locally (public key)' : 'by Key Vault'}: key ${this.key.name} version ${this.key.version ?? ''}${result.verified !== undefined ? ` → ${result.verified ? 'valid' : 'not valid'}` : ''}`);
      this.post(result);
    } catch (err) {
      if (this.abort.signal.aborted) return;
      const message = err instanceof FieldError ? err.message : errorText(err);
      // Disabled since the panel opened: say so in the banner too, with the Enable button.
      const disabledNow = isKeyVaultError(err) && err.kind === 'disabled' && this.key.attributes.enabled;
      if (disabledNow) this.key = { ...this.key, attributes: { ...this.key.attributes, enabled: false } };
      this.c.log.warn(`${OP_LABEL[req.op]} with ${req.algorithm} on key ${this.key.name} refused: ${isKeyVaultError(err) ? `${err.kind}${err.status ? ` ${err.status}` : ''}` : err instanceof FieldError ? `input (${err.field})` : 'error'}`);
      if (disabledNow) this.post(initMessage(this.mode, this.key, !this.ref.version, Date.now()));
      this.post({ type: 'error', op: req.op, message, ...(err instanceof FieldError ? { field: err.field } : {}) });
    } finally {
      this.post({ type: 'busy', op: req.op, busy: false });
    }
  }

  private html(): string {
    const t = (s: string) => escapeHtml(vscode.l10n.t(s));
    const [first, second] = MODE_OPS[this.mode];
    const tab = (op: CryptoOp, selected: boolean) =>
      `<button type="button" role="tab" id="tab-${op}" class="tab" aria-controls="section-${op}" aria-selected="${selected}" tabindex="${selected ? 0 : -1}">${t(OP_LABEL[op])}</button>`;
    const body = `
<main class="panel crypto" data-mode="${this.mode}">
  <header>
    <h1>${t(MODE_TITLE[this.mode])} <span class="key-name" id="key-name">${escapeHtml(this.key.name)}</span></h1>
    <p class="meta" id="meta"></p>
  </header>
  <div id="problems" class="banner warning" role="alert" hidden>
    <ul id="problem-list"></ul>
    <button type="button" id="enable" class="secondary" hidden>${t('Enable this version')}</button>
  </div>
  <div class="tabs" role="tablist" aria-label="${t('Operation')}">
    ${tab(first, true)}
    ${tab(second, false)}
  </div>
  ${this.section(first, false)}
  ${this.section(second, true)}
  <p id="status" class="status" role="status" aria-live="polite"></p>
</main>`;
    return renderPage({ webview: this.panel.webview, extensionUri: this.c.extensionUri, title: `${MODE_TITLE[this.mode]}: ${this.key.name}`, script: 'crypto', hasStyles: true, body });
  }

  /** The form of one operation; the page fills the algorithm lists and wires behaviour. */
  private section(op: CryptoOp, hidden: boolean): string {
    const t = (s: string) => escapeHtml(vscode.l10n.t(s));
    const kinds = INPUT_KINDS_FOR[op];
    const radios = kinds
      .map((k, i) => `<label class="choice"><input type="radio" name="${op}-kind" value="${k}"${i === 0 ? ' checked' : ''}> ${t(INPUT_LABEL[k])}</label>`)
      .join('\n        ');
    const local = op === 'verify' || op === 'encrypt' || op === 'wrapKey';
    const by = local
      ? `<fieldset class="row by" id="${op}-by">
        <legend>${t(op === 'verify' ? 'Verify with' : op === 'encrypt' ? 'Encrypt with' : 'Wrap with')}</legend>
        <label class="choice"><input type="radio" name="${op}-by" value="service" checked> ${t('Key Vault')}</label>
        <label class="choice"><input type="radio" name="${op}-by" value="local"> ${t('Locally, with the public key')}</label>
      </fieldset>`
      : '';
    const encodingSelect = (id: string) =>
      `<select id="${id}" class="encoding" aria-label="${t('Encoding')}"><option value="base64">Base64</option><option value="hex">Hex</option></select>`;
    const bytesField = (name: string, label: string, hint: string) => `
      <div class="row aes-only" id="${op}-${name}-row" hidden>
        <label for="${op}-${name}">${t(label)}</label>
        <div class="inline"><input type="text" id="${op}-${name}" spellcheck="false" autocomplete="off">${encodingSelect(`${op}-${name}-encoding`)}</div>
        <p class="hint">${t(hint)}</p>
      </div>`;
    const extra =
      op === 'verify'
        ? `
      <div class="row">
        <label for="verify-signature">${t('Signature')}</label>
        <textarea id="verify-signature" rows="3" spellcheck="false" autocomplete="off" placeholder="${t('The signature, as base64 or hex')}"></textarea>
        <div class="inline">${encodingSelect('verify-signature-encoding')}</div>
      </div>`
        : op === 'decrypt'
          ? bytesField('iv', 'IV', 'The IV returned by the encryption.') + bytesField('tag', 'Authentication tag', 'GCM only: the tag returned by the encryption.') + bytesField('aad', 'Additional authenticated data', 'GCM only, optional: the same AAD as when encrypting.')
          : op === 'encrypt'
            ? bytesField('aad', 'Additional authenticated data', 'GCM only, optional: bound to the ciphertext, needed again to decrypt.')
            : '';
    return `
  <section role="tabpanel" id="section-${op}" class="op" aria-labelledby="tab-${op}"${hidden ? ' hidden' : ''}>
    <form id="${op}-form" novalidate>
      <div class="row">
        <label for="${op}-algorithm">${t('Algorithm')}</label>
        <select id="${op}-algorithm"></select>
        <p class="hint" id="${op}-algorithm-hint"></p>
      </div>
      ${by}
      <fieldset class="row kinds" id="${op}-kinds">
        <legend>${t(INPUT_HEADING[op])}</legend>
        ${radios}
      </fieldset>
      <div class="row" id="${op}-text-row">
        <textarea id="${op}-input" rows="6" spellcheck="false" autocomplete="off" aria-label="${t(INPUT_HEADING[op])}" aria-describedby="${op}-input-hint"></textarea>
        <p class="hint" id="${op}-input-hint"></p>
      </div>
      <div class="row" id="${op}-file-row" hidden>
        <div class="inline"><button type="button" id="${op}-pick" class="secondary">${t('Choose File…')}</button><span id="${op}-file" class="file-name">${t('No file chosen')}</span></div>
        <p class="hint">${t(op === 'sign' || op === 'verify' ? 'The file is hashed here; only its digest is sent.' : 'The file is read when you run the operation.')}</p>
      </div>
      ${extra}
      <div class="actions">
        <button type="submit" id="${op}-run" class="primary">${t(OP_LABEL[op])}</button>
        <span class="busy" id="${op}-busy" hidden>${t('Working…')}</span>
      </div>
      <div class="error" id="${op}-error" role="alert" hidden></div>
    </form>
    <div class="result" id="${op}-result" hidden aria-live="polite"></div>
  </section>`;
  }

  dispose(): void {
    this.disposed = true;
    this.abort.abort();
    for (const s of this.subscriptions) s.dispose();
    this.posted.dispose();
    this.files.clear();
  }
}

function baseName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.toString();
}

/** Opens and tracks the crypto panels: one per key version and mode; opening again brings that panel forward. */
export class CryptoPanels implements vscode.Disposable {
  private readonly panels = new Map<string, CryptoPanel>();
  private readonly opened = new vscode.EventEmitter<CryptoPanel>();
  readonly onDidOpen = this.opened.event;

  constructor(private readonly c: KeyCommandContext) {}

  /** Open panels (tests). */
  list(): CryptoPanel[] {
    return [...this.panels.values()];
  }

  /** Reads the key (its public part and attributes), then shows the panel. */
  async open(ref: KeyRef, mode: CryptoMode, signal?: AbortSignal): Promise<CryptoPanel> {
    const id = `${ref.vaultUrl.toLowerCase()}|${ref.name.toLowerCase()}|${ref.version ?? ''}|${mode}`;
    const existing = this.panels.get(id);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const key = await ref.session.service.keys.get(ref.vaultUrl, ref.name, ref.version, signal ? { abortSignal: signal } : undefined);
    if (key.keyType.startsWith('oct') && mode === 'sign') {
      throw new Error(vscode.l10n.t('{0} is a symmetric (AES) key: it cannot sign. Use Encrypt / Decrypt or Wrap / Unwrap instead.', key.name));
    }
    if (key.keyType.startsWith('EC') && mode !== 'sign') {
      throw new Error(vscode.l10n.t('{0} is an EC key: it can only sign and verify, not {1}.', key.name, mode === 'encrypt' ? opWord('encrypt') : opWord('wrapKey')));
    }
    const panel = vscode.window.createWebviewPanel(
      CRYPTO_VIEW_TYPE,
      vscode.l10n.t('{0}: {1}', MODE_TITLE[mode], ref.version ? `${ref.name} (${ref.version.slice(0, 8)})` : ref.name),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      webviewOptions(this.c.extensionUri),
    );
    const p = new CryptoPanel(this.c, ref, mode, key, panel);
    this.panels.set(id, p);
    panel.onDidDispose(() => {
      this.panels.delete(id);
      p.dispose();
    });
    this.c.log.info(`Opened ${MODE_TITLE[mode]} for key ${key.name} version ${key.version ?? ''} (${key.keyType})`);
    this.opened.fire(p);
    return p;
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.panel.dispose();
    this.panels.clear();
    this.opened.dispose();
  }
}
