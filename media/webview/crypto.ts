// The crypto panels' page (Sign/Verify, Encrypt/Decrypt, Wrap/Unwrap). Inputs and results live only in this DOM:
// no setState, no storage, and the host never retains the context. See src/webviews/crypto/protocol.ts.
import '../keyPanels.css';
import {
  MODE_OPS,
  parseHostMessage,
  type CryptoInit,
  type CryptoOp,
  type CryptoResult,
  type Encoding,
  type InputKind,
  type PageMessage,
  type ResultField,
  type RunBy,
  type RunRequest,
} from '../../src/webviews/crypto/protocol';

interface VsCodeApi {
  postMessage(message: PageMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const send = (m: PageMessage): void => vscode.postMessage(m);

const byId = <T extends HTMLElement>(id: string): T | null => document.getElementById(id) as T | null;
const $ = <T extends HTMLElement>(id: string): T => {
  const el = byId<T>(id);
  if (!el) throw new Error(`missing #${id}`);
  return el;
};

/** Short descriptions shown beside algorithm names. */
const ALGORITHMS: Record<string, string> = {
  PS256: 'RSASSA-PSS, SHA-256',
  PS384: 'RSASSA-PSS, SHA-384',
  PS512: 'RSASSA-PSS, SHA-512',
  RS256: 'RSASSA-PKCS1-v1_5, SHA-256',
  RS384: 'RSASSA-PKCS1-v1_5, SHA-384',
  RS512: 'RSASSA-PKCS1-v1_5, SHA-512',
  RSNULL: 'RSASSA-PKCS1-v1_5, no hash (sign the bytes as given)',
  ES256: 'ECDSA P-256, SHA-256',
  ES384: 'ECDSA P-384, SHA-384',
  ES512: 'ECDSA P-521, SHA-512',
  ES256K: 'ECDSA secp256k1, SHA-256',
  'RSA-OAEP': 'RSAES-OAEP, SHA-1 (MGF1)',
  'RSA-OAEP-256': 'RSAES-OAEP, SHA-256 (MGF1)',
  RSA1_5: 'RSAES-PKCS1-v1_5 (legacy)',
  A128GCM: 'AES-128-GCM',
  A192GCM: 'AES-192-GCM',
  A256GCM: 'AES-256-GCM',
  A128CBC: 'AES-128-CBC, whole blocks',
  A192CBC: 'AES-192-CBC, whole blocks',
  A256CBC: 'AES-256-CBC, whole blocks',
  A128CBCPAD: 'AES-128-CBC, PKCS#7 padding',
  A192CBCPAD: 'AES-192-CBC, PKCS#7 padding',
  A256CBCPAD: 'AES-256-CBC, PKCS#7 padding',
  A128KW: 'AES-128 key wrap (RFC 3394)',
  A192KW: 'AES-192 key wrap (RFC 3394)',
  A256KW: 'AES-256 key wrap (RFC 3394)',
};

const OP_DONE: Record<CryptoOp, string> = { sign: 'Signed', verify: 'Verified', encrypt: 'Encrypted', decrypt: 'Decrypted', wrapKey: 'Wrapped', unwrapKey: 'Unwrapped' };

let init: CryptoInit | undefined;
const status = $<HTMLParagraphElement>('status');
const setStatus = (text: string): void => {
  status.textContent = text;
};

// ---- tabs (WAI-ARIA tabs: arrows move, Home/End jump) ----

function tabsOf(): HTMLButtonElement[] {
  return Array.from(document.querySelectorAll<HTMLButtonElement>('[role="tab"]'));
}

function selectTab(op: CryptoOp, focus = false): void {
  for (const tab of tabsOf()) {
    const selected = tab.id === `tab-${op}`;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    const section = byId(tab.getAttribute('aria-controls') ?? '');
    if (section) section.hidden = !selected;
    if (selected && focus) tab.focus();
  }
}

for (const tab of tabsOf()) {
  const op = tab.id.replace(/^tab-/, '') as CryptoOp;
  tab.addEventListener('click', () => selectTab(op));
  tab.addEventListener('keydown', (e) => {
    const tabs = tabsOf();
    const i = tabs.indexOf(tab);
    let next: HTMLButtonElement | undefined;
    if (e.key === 'ArrowRight') next = tabs[(i + 1) % tabs.length];
    else if (e.key === 'ArrowLeft') next = tabs[(i - 1 + tabs.length) % tabs.length];
    else if (e.key === 'Home') next = tabs[0];
    else if (e.key === 'End') next = tabs[tabs.length - 1];
    if (next) {
      e.preventDefault();
      selectTab(next.id.replace(/^tab-/, '') as CryptoOp, true);
    }
  });
}

// ---- per-operation form ----

const radioValue = (name: string): string | undefined => document.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value;
const setRadio = (name: string, value: string): void => {
  const r = document.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`);
  if (r) r.checked = true;
};

function algorithmOf(op: CryptoOp): string {
  return $<HTMLSelectElement>(`${op}-algorithm`).value;
}

function kindOf(op: CryptoOp): InputKind {
  return (radioValue(`${op}-kind`) ?? 'text') as InputKind;
}

function byOf(op: CryptoOp): RunBy {
  return radioValue(`${op}-by`) === 'local' ? 'local' : 'service';
}

/** Bytes in hex/base64 text, or undefined when it does not decode (the host gives the exact reason). */
function decodedLength(kind: 'hex' | 'base64', text: string): number | undefined {
  const compact = text.replace(/\s+/g, '');
  if (kind === 'hex') {
    const hex = compact.replace(/^0x/i, '').replace(/:/g, '');
    return /^[0-9a-f]*$/i.test(hex) && hex.length % 2 === 0 ? hex.length / 2 : undefined;
  }
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) return undefined;
  const unpadded = compact.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) return undefined;
  return Math.floor((unpadded.length * 3) / 4);
}

const PLACEHOLDER: Record<InputKind, string> = {
  text: 'Type or paste text (UTF-8)',
  file: '',
  hex: 'Hex bytes, e.g. 0a1b2c…',
  base64: 'Base64 bytes',
  digestHex: 'The digest as hex',
  digestBase64: 'The digest as base64',
};

/** Hints that follow the algorithm and input: what is hashed and sent, and whether a digest has the right length. */
function updateHints(op: CryptoOp): void {
  if (!init) return;
  const alg = algorithmOf(op);
  const kind = kindOf(op);
  const input = $<HTMLTextAreaElement>(`${op}-input`);
  const inputHint = $<HTMLParagraphElement>(`${op}-input-hint`);
  const algHint = $<HTMLParagraphElement>(`${op}-algorithm-hint`);
  $(`${op}-text-row`).hidden = kind === 'file';
  $(`${op}-file-row`).hidden = kind !== 'file';
  input.placeholder = PLACEHOLDER[kind];
  inputHint.classList.remove('warn');
  const algos = init.ops[op];
  if (algos && algos.service.length === 0 && algos.local.length === 0) {
    algHint.textContent = algos.unavailable ?? '';
    algHint.classList.add('warn');
  } else {
    algHint.classList.remove('warn');
    algHint.textContent = alg ? (ALGORITHMS[alg] ?? '') : '';
  }
  if (op === 'sign' || op === 'verify') {
    const hash = init.hashes[alg] ?? '';
    const bytes = init.digestBytes[alg] ?? 0;
    if (kind === 'digestHex' || kind === 'digestBase64') {
      const n = input.value.trim() ? decodedLength(kind === 'digestHex' ? 'hex' : 'base64', input.value) : undefined;
      if (!hash) inputHint.textContent = 'RSNULL signs the bytes as given: enter them encoded yourself.';
      else if (n === undefined) inputHint.textContent = `A ${bytes}-byte ${hash} digest (${bytes * 2} hex digits).`;
      else if (n !== bytes) {
        inputHint.textContent = `${alg} needs a ${bytes}-byte ${hash} digest; this is ${n} bytes.`;
        inputHint.classList.add('warn');
      } else inputHint.textContent = `${n} bytes: a ${hash} digest of the right length.`;
    } else if (kind === 'text') {
      const local = op === 'verify' && byOf(op) === 'local';
      inputHint.textContent = !hash
        ? 'RSNULL has no hash: the UTF-8 bytes are signed as they are.'
        : local
          ? `The ${hash} digest of the UTF-8 text is computed here and checked with the public key; nothing is sent.`
          : `The ${hash} digest of the UTF-8 text is computed here; only the ${bytes}-byte digest is sent to Key Vault.`;
    } else {
      inputHint.textContent = '';
    }
  } else if (kind === 'hex' || kind === 'base64') {
    const n = input.value.trim() ? decodedLength(kind, input.value) : undefined;
    inputHint.textContent = n === undefined ? '' : `${n} bytes.`;
  } else {
    inputHint.textContent = '';
  }
  // AES fields: IV for CBC/GCM decrypt, tag and AAD for GCM.
  const aes = /^A\d{3}(GCM|CBC|CBCPAD)$/.test(alg);
  const gcm = /GCM$/.test(alg);
  const show = (name: string, visible: boolean) => {
    const row = byId(`${op}-${name}-row`);
    if (row) row.hidden = !visible;
  };
  show('iv', op === 'decrypt' && aes);
  show('tag', op === 'decrypt' && gcm);
  show('aad', gcm);
  // Local runs: only where the algorithm allows them.
  const byBox = byId<HTMLFieldSetElement>(`${op}-by`);
  if (byBox && algos) {
    const service = document.querySelector<HTMLInputElement>(`input[name="${op}-by"][value="service"]`)!;
    const local = document.querySelector<HTMLInputElement>(`input[name="${op}-by"][value="local"]`)!;
    service.disabled = !algos.service.includes(alg);
    local.disabled = !algos.local.includes(alg);
    if (service.checked && service.disabled && !local.disabled) local.checked = true;
    if (local.checked && local.disabled && !service.disabled) service.checked = true;
    byBox.hidden = algos.local.length === 0;
  }
  const run = $<HTMLButtonElement>(`${op}-run`);
  run.disabled = !alg;
}

function fillAlgorithms(op: CryptoOp): void {
  if (!init) return;
  const select = $<HTMLSelectElement>(`${op}-algorithm`);
  const previous = select.value;
  const algos = init.ops[op] ?? { service: [], local: [] };
  const all = [...algos.service, ...algos.local.filter((a) => !algos.service.includes(a))];
  select.replaceChildren(
    ...all.map((a) => {
      const o = document.createElement('option');
      o.value = a;
      o.textContent = algos.service.includes(a) ? a : `${a} (public key only)`;
      return o;
    }),
  );
  select.disabled = all.length === 0;
  if (all.includes(previous)) select.value = previous;
  updateHints(op);
}

function clearError(op: CryptoOp): void {
  const box = $(`${op}-error`);
  box.hidden = true;
  box.textContent = '';
  for (const el of Array.from(document.querySelectorAll(`#section-${op} [aria-invalid="true"]`))) el.removeAttribute('aria-invalid');
}

function showError(op: CryptoOp, message: string, field?: string): void {
  const box = $(`${op}-error`);
  box.textContent = message;
  box.hidden = false;
  selectTab(op);
  const target = field === 'input' ? byId(kindOf(op) === 'file' ? `${op}-pick` : `${op}-input`) : field === 'signature' ? byId('verify-signature') : field ? byId(`${op}-${field}`) : null;
  if (target) {
    target.setAttribute('aria-invalid', 'true');
    target.focus();
  }
  // The error box is an alert already; the status line would only say it twice.
  setStatus('');
}

function encodedInput(op: CryptoOp, name: string): { encoding: Encoding; value: string } | undefined {
  const row = byId(`${op}-${name}-row`);
  const input = byId<HTMLInputElement>(`${op}-${name}`);
  if (!input || (row && row.hidden) || !input.value.trim()) return undefined;
  return { encoding: $<HTMLSelectElement>(`${op}-${name}-encoding`).value as Encoding, value: input.value };
}

function submit(op: CryptoOp): void {
  clearError(op);
  const alg = algorithmOf(op);
  if (!alg) return;
  const kind = kindOf(op);
  const input = $<HTMLTextAreaElement>(`${op}-input`).value;
  if (kind !== 'file' && !input) {
    showError(op, 'Enter the input first.', 'input');
    return;
  }
  const req: RunRequest = { type: 'run', op, algorithm: alg, inputKind: kind, input: kind === 'file' ? '' : input, by: byOf(op) };
  if (op === 'verify') {
    const sig = $<HTMLTextAreaElement>('verify-signature').value;
    if (!sig.trim()) {
      showError(op, 'Enter the signature to verify.', 'signature');
      return;
    }
    req.signature = { encoding: $<HTMLSelectElement>('verify-signature-encoding').value as Encoding, value: sig };
  }
  for (const name of ['iv', 'tag', 'aad'] as const) {
    const v = encodedInput(op, name);
    if (v) req[name] = v;
  }
  // A result belongs to the inputs that made it: hide it while the next run is under way.
  $(`${op}-result`).hidden = true;
  send(req);
}

// ---- results ----

function fieldView(f: ResultField): HTMLElement {
  const box = document.createElement('div');
  box.className = 'field';
  box.dataset.field = f.id;
  const head = document.createElement('div');
  head.className = 'field-head';
  const label = document.createElement('span');
  label.className = 'field-label';
  label.textContent = f.label;
  const bytes = document.createElement('span');
  bytes.className = 'field-size';
  bytes.textContent = `${f.hex.length / 2} bytes`;
  head.append(label, bytes);

  const formats: ('text' | 'base64' | 'hex')[] = f.text !== undefined ? ['text', 'base64', 'hex'] : ['base64', 'hex'];
  let format = formats[0]!;
  let revealed = !f.sensitive;
  const value = document.createElement('pre');
  value.className = 'field-value';
  value.tabIndex = 0;
  value.setAttribute('aria-label', f.label);
  const textOf = (fmt: 'text' | 'base64' | 'hex'): string => (fmt === 'text' ? (f.text ?? '') : fmt === 'hex' ? f.hex : f.base64);
  const render = () => {
    value.textContent = revealed ? textOf(format) : '••••••••••••••••';
    value.classList.toggle('masked', !revealed);
  };

  const group = document.createElement('div');
  group.className = 'segmented';
  group.setAttribute('role', 'radiogroup');
  group.setAttribute('aria-label', `${f.label} format`);
  for (const fmt of formats) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'segment';
    b.textContent = fmt === 'text' ? 'Text' : fmt === 'hex' ? 'Hex' : 'Base64';
    b.setAttribute('role', 'radio');
    b.setAttribute('aria-checked', String(fmt === format));
    b.dataset.format = fmt;
    b.addEventListener('click', () => {
      format = fmt;
      for (const s of Array.from(group.querySelectorAll('button'))) s.setAttribute('aria-checked', String(s === b));
      render();
    });
    group.append(b);
  }
  head.append(group);

  if (f.sensitive) {
    const toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.className = 'secondary small';
    toggle.textContent = 'Show';
    toggle.addEventListener('click', () => {
      revealed = !revealed;
      toggle.textContent = revealed ? 'Hide' : 'Show';
      render();
    });
    head.append(toggle);
  }
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.className = 'secondary small copy';
  copy.textContent = 'Copy';
  copy.dataset.copy = f.id;
  copy.addEventListener('click', () => send({ type: 'copy', label: `${f.label} (${format === 'text' ? 'text' : format === 'hex' ? 'hex' : 'base64'})`, text: textOf(format), sensitive: f.sensitive }));
  head.append(copy);
  render();
  box.append(head, value);
  return box;
}

/** "Verify this signature", "Decrypt this", "Unwrap this": carry the result to the other tab. */
function followUp(r: CryptoResult): HTMLButtonElement | undefined {
  const fieldOf = (id: string) => r.fields.find((f) => f.id === id);
  const button = (text: string, action: () => void) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'secondary';
    b.textContent = text;
    b.addEventListener('click', action);
    return b;
  };
  const alg = algorithmOf(r.op);
  const copyAlg = (to: CryptoOp) => {
    const select = $<HTMLSelectElement>(`${to}-algorithm`);
    if (Array.from(select.options).some((o) => o.value === alg)) select.value = alg;
  };
  if (r.op === 'sign') {
    const sig = fieldOf('signature');
    if (!sig) return undefined;
    return button('Verify this signature', () => {
      copyAlg('verify');
      const kind = kindOf('sign');
      setRadio('verify-kind', kind);
      $<HTMLTextAreaElement>('verify-input').value = $<HTMLTextAreaElement>('sign-input').value;
      $<HTMLTextAreaElement>('verify-signature').value = sig.base64;
      $<HTMLSelectElement>('verify-signature-encoding').value = 'base64';
      updateHints('verify');
      selectTab('verify', true);
      setStatus(kind === 'file' ? 'Signature filled in: choose the same file, then Verify.' : 'Data and signature filled in: press Verify.');
    });
  }
  if (r.op === 'encrypt') {
    const ct = fieldOf('ciphertext');
    if (!ct) return undefined;
    return button('Decrypt this', () => {
      copyAlg('decrypt');
      setRadio('decrypt-kind', 'base64');
      $<HTMLTextAreaElement>('decrypt-input').value = ct.base64;
      for (const name of ['iv', 'tag'] as const) {
        const f = fieldOf(name);
        const input = byId<HTMLInputElement>(`decrypt-${name}`);
        if (f && input) {
          input.value = f.base64;
          $<HTMLSelectElement>(`decrypt-${name}-encoding`).value = 'base64';
        }
      }
      const aad = byId<HTMLInputElement>('encrypt-aad');
      if (aad?.value) {
        $<HTMLInputElement>('decrypt-aad').value = aad.value;
        $<HTMLSelectElement>('decrypt-aad-encoding').value = $<HTMLSelectElement>('encrypt-aad-encoding').value;
      }
      updateHints('decrypt');
      selectTab('decrypt', true);
      setStatus('Ciphertext filled in: press Decrypt.');
    });
  }
  if (r.op === 'wrapKey') {
    const wrapped = fieldOf('encryptedKey');
    if (!wrapped) return undefined;
    return button('Unwrap this', () => {
      copyAlg('unwrapKey');
      setRadio('unwrapKey-kind', 'base64');
      $<HTMLTextAreaElement>('unwrapKey-input').value = wrapped.base64;
      updateHints('unwrapKey');
      selectTab('unwrapKey', true);
      setStatus('Wrapped key filled in: press Unwrap.');
    });
  }
  return undefined;
}

function showResult(r: CryptoResult): void {
  const box = $(`${r.op}-result`);
  const head = document.createElement('div');
  head.className = 'result-head';
  const summary = document.createElement('p');
  summary.className = `summary${r.verified === true ? ' valid' : r.verified === false ? ' invalid' : ''}`;
  summary.textContent = `${r.verified === true ? '✓ ' : r.verified === false ? '✗ ' : ''}${r.summary}`;
  const by = document.createElement('span');
  by.className = `badge ${r.by}`;
  by.textContent = r.by === 'local' ? 'Local (public key)' : 'Key Vault';
  by.title = r.by === 'local' ? 'Computed here with the public key; nothing was sent.' : 'Computed by Key Vault with the key.';
  summary.append(' ', by);
  const note = document.createElement('p');
  note.className = 'note';
  note.textContent = r.note;
  const kid = document.createElement('p');
  kid.className = 'kid';
  kid.textContent = r.keyId;
  head.append(summary, note, kid);
  const fields = r.fields.map((f) => fieldView(f));
  const next = followUp(r);
  box.replaceChildren(head, ...fields, ...(next ? [next] : []));
  box.hidden = false;
  box.scrollIntoView({ block: 'nearest' });
  setStatus(r.verified === undefined ? `${OP_DONE[r.op]}. ${r.note}` : `${r.summary}. ${r.note}`);
}

// ---- wiring ----

function wire(op: CryptoOp): void {
  $<HTMLFormElement>(`${op}-form`).addEventListener('submit', (e) => {
    e.preventDefault();
    submit(op);
  });
  $<HTMLSelectElement>(`${op}-algorithm`).addEventListener('change', () => updateHints(op));
  $<HTMLTextAreaElement>(`${op}-input`).addEventListener('input', () => {
    clearError(op);
    updateHints(op);
  });
  for (const r of Array.from(document.querySelectorAll<HTMLInputElement>(`input[name="${op}-kind"]`))) r.addEventListener('change', () => {
    clearError(op);
    updateHints(op);
  });
  $<HTMLButtonElement>(`${op}-pick`).addEventListener('click', () => send({ type: 'pickFile', op }));
  for (const r of Array.from(document.querySelectorAll<HTMLInputElement>(`input[name="${op}-by"]`))) r.addEventListener('change', () => updateHints(op));
  // Ctrl/Cmd+Enter runs the operation from the text area.
  $<HTMLTextAreaElement>(`${op}-input`).addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit(op);
    }
  });
}

const mode = document.querySelector<HTMLElement>('main')?.dataset.mode as keyof typeof MODE_OPS | undefined;
const OPS = mode && MODE_OPS[mode] ? MODE_OPS[mode] : ([] as CryptoOp[]);
for (const op of OPS) wire(op);
byId('verify-signature')?.addEventListener('input', () => clearError('verify'));
byId('enable')?.addEventListener('click', () => send({ type: 'enable' }));

function onInit(m: CryptoInit): void {
  init = m;
  const k = m.key;
  const parts = [k.vault, k.detail, k.latest ? `current version (${k.version.slice(0, 8)})` : `version ${k.version.slice(0, 8)}`];
  if (k.keyOps.length) parts.push(`operations: ${k.keyOps.join(', ')}`);
  if (!k.enabled) parts.push('disabled');
  $('meta').textContent = parts.join(' · ');
  const problems = $('problems');
  const list = $('problem-list');
  list.replaceChildren(
    ...m.problems.map((p) => {
      const li = document.createElement('li');
      li.textContent = p;
      return li;
    }),
  );
  problems.hidden = m.problems.length === 0;
  $('enable').hidden = k.enabled;
  for (const op of OPS) fillAlgorithms(op);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const m = parseHostMessage(event.data);
  if (!m) return;
  switch (m.type) {
    case 'init':
      onInit(m);
      break;
    case 'file':
      $(`${m.op}-file`).textContent = `${m.name} (${m.size} bytes)`;
      clearError(m.op);
      break;
    case 'busy': {
      $<HTMLButtonElement>(`${m.op}-run`).disabled = m.busy;
      $(`${m.op}-busy`).hidden = !m.busy;
      if (!m.busy) updateHints(m.op);
      break;
    }
    case 'result':
      clearError(m.op);
      showResult(m);
      break;
    case 'error':
      showError(m.op, m.message, m.field);
      break;
    case 'copied':
      setStatus(m.clearsInSeconds ? `${m.label} copied; the clipboard is cleared in ${m.clearsInSeconds} s.` : `${m.label} copied.`);
      break;
  }
});

send({ type: 'ready' });
