// The Create Certificate page. It renders the form and what the host answers: field messages, the request body
// preview, progress. All checking happens in the host (src/webviews/createCertificate/form.ts), so the page and the
// service can never disagree. No setState: a hidden panel is rebuilt from the host's copy of the form.
import './certificates/shared.css';
import './createCertificate.css';
import type { CreateCertificateForm, FormField, TagRow } from '../../src/webviews/createCertificate/formModel';
import { isHostMessage, type HostMessage, type PageMessage, type ProgressMessage } from '../../src/webviews/createCertificate/protocol';
import { byId, debounce, el, vscodeApi } from './certificates/dom';

const api = vscodeApi<PageMessage>();
const send = (m: PageMessage): void => api.postMessage(m);

const form = byId<HTMLFormElement>('form');
const preview = byId<HTMLPreElement>('preview');
const createButton = byId<HTMLButtonElement>('create');
const tagsBox = byId<HTMLDivElement>('tags');
const issuerSelect = byId<HTMLSelectElement>('issuer');
const statusView = byId<HTMLElement>('status-view');

const TEXT_FIELDS = ['name', 'subject', 'dnsNames', 'validityMonths', 'keyType', 'keySize', 'curve', 'issuer', 'certificateType', 'lifetimeAction', 'lifetimeTrigger', 'lifetimeValue'] as const;
const CHECK_FIELDS = ['reuseKey', 'exportable', 'enabled'] as const;
const ERROR_FIELDS: FormField[] = [...TEXT_FIELDS, ...CHECK_FIELDS, 'contentType', 'keyUsage', 'ekus', 'tags', 'form'];

/** Fields that are merely empty at first: their messages wait until the user has been there. */
const QUIET_UNTIL_TOUCHED = new Set<FormField>(['name', 'subject', 'dnsNames', 'tags']);

let seq = 0;
let lastAnswered = -1;
let initialized = false;
/** Fields the user has touched: their errors show at once; others wait for Create. */
const touched = new Set<string>();
let lastErrors: Partial<Record<FormField, string>> = {};
let submitted = false;

const byIdAll = (selector: string): HTMLElement[] => Array.from(document.querySelectorAll<HTMLElement>(selector));

function control(id: string): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
  return byId(id);
}

function tagRow(tag: TagRow): HTMLElement {
  const index = tagsBox.children.length + 1;
  const key = el('input', { className: 'tag-key', attrs: { type: 'text', 'aria-label': `Tag ${index} name`, placeholder: 'name', spellcheck: 'false' } });
  const value = el('input', { className: 'tag-value', attrs: { type: 'text', 'aria-label': `Tag ${index} value`, placeholder: 'value', spellcheck: 'false' } });
  key.value = tag.key;
  value.value = tag.value;
  const remove = el('button', { className: 'icon-button', text: '✕', attrs: { type: 'button', 'aria-label': `Remove tag ${index}`, title: 'Remove tag' } });
  const row = el('div', { className: 'tag-row' }, key, value, remove);
  remove.addEventListener('click', () => {
    row.remove();
    touched.add('tags');
    changed();
  });
  return row;
}

function readForm(): CreateCertificateForm {
  const value = (id: string): string => control(id).value;
  const checked = (id: string): boolean => byId<HTMLInputElement>(id).checked;
  const all = (name: string): string[] => Array.from(form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)).map((i) => i.value);
  const contentType = form.querySelector<HTMLInputElement>('input[name="contentType"]:checked')?.value === 'PEM' ? 'PEM' : 'PFX';
  const tags = Array.from(tagsBox.querySelectorAll<HTMLElement>('.tag-row')).map((row) => ({
    key: (row.querySelector('.tag-key') as HTMLInputElement).value,
    value: (row.querySelector('.tag-value') as HTMLInputElement).value,
  }));
  return {
    name: value('name'),
    subject: value('subject'),
    dnsNames: value('dnsNames'),
    validityMonths: value('validityMonths'),
    keyType: value('keyType') as CreateCertificateForm['keyType'],
    keySize: value('keySize'),
    curve: value('curve') as CreateCertificateForm['curve'],
    reuseKey: checked('reuseKey'),
    exportable: checked('exportable'),
    contentType,
    issuer: value('issuer'),
    certificateType: value('certificateType'),
    lifetimeAction: value('lifetimeAction') as CreateCertificateForm['lifetimeAction'],
    lifetimeTrigger: value('lifetimeTrigger') as CreateCertificateForm['lifetimeTrigger'],
    lifetimeValue: value('lifetimeValue'),
    keyUsage: all('keyUsage') as CreateCertificateForm['keyUsage'],
    ekus: all('ekus'),
    tags,
    enabled: checked('enabled'),
  };
}

function ensureIssuerOption(name: string, label = name): void {
  if (!Array.from(issuerSelect.options).some((o) => o.value.toLowerCase() === name.toLowerCase())) issuerSelect.append(el('option', { text: label, attrs: { value: name } }));
}

function writeForm(f: CreateCertificateForm): void {
  for (const id of TEXT_FIELDS) {
    if (id === 'issuer') ensureIssuerOption(f.issuer);
    control(id).value = String(f[id]);
  }
  for (const id of CHECK_FIELDS) byId<HTMLInputElement>(id).checked = f[id];
  byId<HTMLInputElement>(f.contentType === 'PEM' ? 'contentType-pem' : 'contentType-pfx').checked = true;
  for (const box of Array.from(form.querySelectorAll<HTMLInputElement>('input[name="keyUsage"]'))) box.checked = f.keyUsage.includes(box.value as never);
  for (const box of Array.from(form.querySelectorAll<HTMLInputElement>('input[name="ekus"]'))) box.checked = f.ekus.includes(box.value);
  tagsBox.replaceChildren(...f.tags.map(tagRow));
}

/** Shows what depends on other fields: key size for RSA, curve for EC, certificate type for configured issuers. */
function syncVisibility(): void {
  const f = readForm();
  const ec = f.keyType.startsWith('EC');
  byId('field-keySize').hidden = ec;
  byId('field-curve').hidden = !ec;
  byId('field-certificateType').hidden = /^(self|unknown)$/i.test(f.issuer);
  const none = f.lifetimeAction === 'none';
  byId('field-lifetimeTrigger').hidden = none;
  byId('field-lifetimeValue').hidden = none;
  const valueInput = byId<HTMLInputElement>('lifetimeValue');
  valueInput.max = f.lifetimeTrigger === 'lifetimePercentage' ? '99' : String(Math.max(1, Number(f.validityMonths) || 12) * 27);
  if (f.keyType.endsWith('-HSM') && byId<HTMLInputElement>('exportable').checked && !touched.has('exportable')) {
    // An HSM key cannot be exportable: follow the key type unless the user chose otherwise.
    byId<HTMLInputElement>('exportable').checked = false;
  }
}

function showErrors(errors: Partial<Record<FormField, string>>): void {
  lastErrors = errors;
  for (const field of ERROR_FIELDS) {
    const box = document.getElementById(`${field}-error`);
    if (!box) continue;
    // Empty required fields wait for the user (or Create); every other problem shows at once, wherever it comes from.
    const quiet = QUIET_UNTIL_TOUCHED.has(field) && !submitted && !touched.has(field);
    const text = errors[field] && !quiet ? errors[field]! : '';
    box.textContent = text;
    const input = document.getElementById(field);
    if (input) input.setAttribute('aria-invalid', text ? 'true' : 'false');
    document.getElementById(`field-${field}`)?.classList.toggle('invalid', Boolean(text));
  }
}

const requestValidation = debounce(() => send({ type: 'change', seq: ++seq, form: readForm() }), 150);

function changed(): void {
  syncVisibility();
  requestValidation();
}

function showProgress(m: ProgressMessage): void {
  form.hidden = true;
  statusView.hidden = false;
  const titles: Record<ProgressMessage['phase'], string> = {
    submitting: 'Creating…',
    inProgress: 'Being issued…',
    completed: 'Certificate issued',
    waitingForMerge: 'Waiting for your CA',
    failed: 'Issuing failed',
    cancelled: 'Cancelled',
  };
  byId('status-title').textContent = titles[m.phase];
  byId('status-text').textContent = m.text;
  byId('status-detail').textContent = m.detail ?? '';
  const working = m.phase === 'submitting' || m.phase === 'inProgress';
  byId('spinner').hidden = !working;
  statusView.classList.toggle('failed', m.phase === 'failed');
  const visible: Record<string, boolean> = {
    showDetails: m.phase === 'completed',
    download: m.phase === 'completed',
    downloadCsr: m.phase === 'waitingForMerge',
    merge: m.phase === 'waitingForMerge',
    cancelOperation: m.phase === 'waitingForMerge' || m.phase === 'inProgress',
    again: m.phase === 'completed' || m.phase === 'failed' || m.phase === 'cancelled',
  };
  for (const button of Array.from(statusView.querySelectorAll<HTMLButtonElement>('button[data-action]'))) {
    const action = button.dataset.action!;
    if (action !== 'close') button.hidden = !visible[action];
  }
  const first = statusView.querySelector<HTMLButtonElement>('button[data-action]:not([hidden])');
  if (!working) first?.focus();
}

function onHostMessage(m: HostMessage): void {
  switch (m.type) {
    case 'init':
      byId('status-view').hidden = true;
      form.hidden = false;
      submitted = false;
      touched.clear();
      writeForm(m.form);
      createButton.disabled = false;
      initialized = true;
      changed();
      byId<HTMLInputElement>('name').focus();
      return;
    case 'issuers': {
      const current = issuerSelect.value;
      for (const i of m.issuers) ensureIssuerOption(i.name, i.provider ? `${i.name} (${i.provider})` : i.name);
      issuerSelect.value = current;
      if (m.problem) byId('issuer-help').textContent = m.problem;
      else if (m.issuers.length === 0) byId('issuer-help').textContent = 'No issuers are configured in this vault (Manage Issuers adds one).';
      return;
    }
    case 'validation':
      if (m.seq !== Number.MAX_SAFE_INTEGER && m.seq < lastAnswered) return;
      if (m.seq !== Number.MAX_SAFE_INTEGER) lastAnswered = m.seq;
      else {
        // The answer to Create: back to the form with the problems shown.
        submitted = true;
        createButton.disabled = false;
        form.hidden = false;
        statusView.hidden = true;
      }
      showErrors(m.errors);
      preview.textContent = m.preview ?? (byIdAll('.error').some((e) => e.textContent) ? 'Fix the fields marked in red to see the request.' : 'Fill in a name and a subject or DNS name to see the request.');
      preview.classList.toggle('empty', !m.preview);
      if (m.seq === Number.MAX_SAFE_INTEGER) {
        const firstBad = ERROR_FIELDS.find((f) => m.errors[f] && f !== 'form');
        if (firstBad) document.getElementById(firstBad)?.focus();
      }
      return;
    case 'progress':
      showProgress(m);
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostMessage(event.data)) onHostMessage(event.data);
});

form.addEventListener('input', (event) => {
  const target = event.target as HTMLElement;
  const name = target.id || (target as HTMLInputElement).name;
  if (name) touched.add(target.classList.contains('tag-key') || target.classList.contains('tag-value') ? 'tags' : name);
  if (initialized) changed();
});
form.addEventListener('change', (event) => {
  const target = event.target as HTMLInputElement;
  touched.add(target.id || target.name);
  if (initialized) changed();
});
form.addEventListener('focusout', (event) => {
  const target = event.target as HTMLElement;
  if (target.id) {
    touched.add(target.id);
    showErrors(lastErrors);
  }
});
byId('add-tag').addEventListener('click', () => {
  const row = tagRow({ key: '', value: '' });
  tagsBox.append(row);
  row.querySelector<HTMLInputElement>('.tag-key')?.focus();
  changed();
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  submitted = true;
  createButton.disabled = true;
  showErrors(lastErrors);
  send({ type: 'submit', form: readForm() });
});
for (const button of Array.from(statusView.querySelectorAll<HTMLButtonElement>('button[data-action]'))) {
  button.addEventListener('click', () => send({ type: 'action', action: button.dataset.action as Extract<PageMessage, { type: 'action' }>['action'] }));
}

send({ type: 'ready' });
