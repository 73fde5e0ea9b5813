// The Create Key form's page. The form lives in this DOM only (no setState, no storage). The host checks the same
// rules again and reports problems per field. See src/webviews/createKey/protocol.ts.
import '../keyPanels.css';
import { parseHostMessage, type CreateKeyFormData, type CreateKeyInit, type KeyFamilyChoice, type PageMessage, type Protection } from '../../src/webviews/createKey/protocol';

interface VsCodeApi {
  postMessage(message: PageMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const send = (m: PageMessage): void => vscode.postMessage(m);

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
};

let init: CreateKeyInit | undefined;
/** Operations the user changed by hand stay as they are when the family changes. */
let opsTouched = false;

const radio = (name: string): string | undefined => document.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value;
const radios = (name: string): HTMLInputElement[] => Array.from(document.querySelectorAll<HTMLInputElement>(`input[name="${name}"]`));
const setRadio = (name: string, value: string): void => {
  const r = document.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`);
  if (r) r.checked = true;
};

function family(): KeyFamilyChoice {
  return (radio('family') ?? 'RSA') as KeyFamilyChoice;
}

function options(select: HTMLSelectElement, values: readonly (string | number)[], label: (v: string | number) => string, selected?: string | number): void {
  const previous = select.value;
  select.replaceChildren(
    ...values.map((v) => {
      const o = document.createElement('option');
      o.value = String(v);
      o.textContent = label(v);
      return o;
    }),
  );
  const wanted = selected !== undefined ? String(selected) : previous;
  if (values.map(String).includes(wanted)) select.value = wanted;
}

function updateFamily(): void {
  if (!init) return;
  const f = family();
  $('size-row').hidden = f === 'EC';
  $('curve-row').hidden = f !== 'EC';
  const sizes = f === 'oct' ? init.aesSizes : init.rsaSizes;
  options($<HTMLSelectElement>('keySize'), sizes, (v) => `${v} bits${(f === 'RSA' && v === 2048) || (f === 'oct' && v === 256) ? ' (default)' : ''}`, f === 'oct' ? 256 : 2048);
  // AES keys exist only as HSM keys.
  const software = document.querySelector<HTMLInputElement>('input[name="protection"][value="software"]')!;
  software.disabled = f === 'oct' || !init.protections.includes('software');
  if (software.disabled) setRadio('protection', 'hsm');
  const allowed = init.allowedOps[f] ?? [];
  for (const box of Array.from(document.querySelectorAll<HTMLInputElement>('input[name="keyOps"]'))) {
    box.disabled = !allowed.includes(box.value);
    if (box.disabled) box.checked = false;
    else if (!opsTouched) box.checked = (init.defaultOps[f] ?? []).includes(box.value);
  }
  updateProtection();
}

function updateProtection(): void {
  if (!init) return;
  const hsm = radio('protection') === 'hsm';
  const hint = $('protection-hint');
  hint.textContent =
    init.protectionNote ??
    (init.container.kind === 'hsm'
      ? 'A Managed HSM keeps every key in its FIPS 140-3 Level 3 hardware.'
      : hsm
        ? 'HSM-protected keys need a Premium vault; Standard vaults refuse them.'
        : 'Software-protected keys are kept encrypted by Key Vault (any tier).');
  const exportable = $<HTMLInputElement>('exportable');
  exportable.disabled = !hsm;
  if (!hsm) exportable.checked = false;
  updateExport();
}

function updateExport(): void {
  const on = $<HTMLInputElement>('exportable').checked;
  $('policy-row').hidden = !on;
}

function addTagRow(name = '', value = ''): void {
  const row = document.createElement('div');
  row.className = 'tag-row';
  const n = document.createElement('input');
  n.type = 'text';
  n.placeholder = 'Name';
  n.value = name;
  n.setAttribute('aria-label', 'Tag name');
  n.className = 'tag-name';
  const v = document.createElement('input');
  v.type = 'text';
  v.placeholder = 'Value';
  v.value = value;
  v.setAttribute('aria-label', 'Tag value');
  v.className = 'tag-value';
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'secondary small';
  remove.textContent = 'Remove';
  remove.setAttribute('aria-label', 'Remove tag');
  remove.addEventListener('click', () => {
    row.remove();
    $<HTMLButtonElement>('add-tag').focus();
  });
  row.append(n, v, remove);
  $('tag-rows').append(row);
}

/** A datetime-local value (local time) as an ISO instant; undefined when empty. */
function instant(id: string): string | undefined {
  const v = $<HTMLInputElement>(id).value;
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
}

function formData(): CreateKeyFormData {
  const f = family();
  const form: CreateKeyFormData = {
    name: $<HTMLInputElement>('name').value,
    family: f,
    protection: (radio('protection') ?? 'software') as Protection,
    keyOps: Array.from(document.querySelectorAll<HTMLInputElement>('input[name="keyOps"]:checked')).map((b) => b.value),
    enabled: $<HTMLInputElement>('enabled').checked,
    tags: Array.from(document.querySelectorAll<HTMLDivElement>('.tag-row')).map((r) => ({
      name: r.querySelector<HTMLInputElement>('.tag-name')!.value,
      value: r.querySelector<HTMLInputElement>('.tag-value')!.value,
    })),
    exportable: $<HTMLInputElement>('exportable').checked,
    releasePolicyImmutable: $<HTMLInputElement>('releasePolicyImmutable').checked,
  };
  if (f === 'EC') form.curve = $<HTMLSelectElement>('curve').value;
  else form.keySize = Number($<HTMLSelectElement>('keySize').value);
  const nbf = instant('notBefore');
  const exp = instant('expiresOn');
  if (nbf) form.notBefore = nbf;
  if (exp) form.expiresOn = exp;
  if (form.exportable) form.releasePolicy = $<HTMLTextAreaElement>('releasePolicy').value;
  return form;
}

const FIELD_FOCUS: Record<string, string> = {
  name: 'name',
  family: 'family',
  keySize: 'keySize',
  curve: 'curve',
  protection: 'protection',
  keyOps: 'keyOps',
  notBefore: 'notBefore',
  expiresOn: 'expiresOn',
  tags: 'tags',
  exportable: 'exportable',
  releasePolicy: 'releasePolicy',
};

function clearErrors(): void {
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('.field-error'))) {
    el.hidden = true;
    el.textContent = '';
  }
  for (const el of Array.from(document.querySelectorAll('[aria-invalid="true"]'))) el.removeAttribute('aria-invalid');
  $('form-error').hidden = true;
}

function showErrors(fields: Record<string, string>, message?: string): void {
  clearErrors();
  let first: HTMLElement | undefined;
  for (const [name, text] of Object.entries(fields)) {
    const box = document.getElementById(`${name}-error`);
    if (box) {
      box.textContent = text;
      box.hidden = false;
    }
    const target = document.getElementById(FIELD_FOCUS[name] ?? name);
    if (target) {
      target.setAttribute('aria-invalid', 'true');
      if (name === 'releasePolicy' || name === 'exportable') ($('export-section') as HTMLDetailsElement).open = true;
      first ??= target;
    }
  }
  if (message) {
    const box = $('form-error');
    box.textContent = message;
    box.hidden = false;
  }
  const focusable = first?.matches('input, select, textarea, button') ? first : first?.querySelector<HTMLElement>('input:not([disabled]), select, textarea');
  (focusable ?? $('create')).focus();
}

function onInit(m: CreateKeyInit): void {
  init = m;
  $('family-oct').hidden = !m.families.includes('oct');
  $('protection-software').hidden = !m.protections.includes('software');
  $('protection-hsm').hidden = !m.protections.includes('hsm');
  options($<HTMLSelectElement>('curve'), m.curves, (v) => `${v}${v === 'P-256' ? ' (default)' : ''}`, 'P-256');
  const p = m.prefill ?? {};
  if (p.name) $<HTMLInputElement>('name').value = p.name;
  if (p.family && m.families.includes(p.family)) setRadio('family', p.family);
  if (p.protection && m.protections.includes(p.protection)) setRadio('protection', p.protection);
  if (!m.protections.includes('software')) setRadio('protection', 'hsm');
  updateFamily();
  if (p.keySize) $<HTMLSelectElement>('keySize').value = String(p.keySize);
  if (p.curve) $<HTMLSelectElement>('curve').value = p.curve;
  if ($('tag-rows').childElementCount === 0) addTagRow();
  $<HTMLInputElement>('name').focus();
}

for (const r of radios('family')) r.addEventListener('change', updateFamily);
for (const r of radios('protection')) r.addEventListener('change', updateProtection);
for (const b of Array.from(document.querySelectorAll<HTMLInputElement>('input[name="keyOps"]'))) b.addEventListener('change', () => (opsTouched = true));
$('exportable').addEventListener('change', updateExport);
$('add-tag').addEventListener('click', () => {
  addTagRow();
  Array.from(document.querySelectorAll<HTMLInputElement>('.tag-name')).pop()?.focus();
});
$('policy-example').addEventListener('click', () => {
  const area = $<HTMLTextAreaElement>('releasePolicy');
  if (!area.value.trim() && init) area.value = init.releasePolicyExample;
  area.focus();
});
$('name').addEventListener('input', () => {
  const box = $('name-error');
  const value = $<HTMLInputElement>('name').value;
  const bad = [...new Set(value.replace(/[0-9a-zA-Z-]/g, ''))];
  box.textContent = value.length > 127 ? `Too long (${value.length} characters): at most 127.` : bad.length ? `Only letters, digits and dashes are allowed (not ${bad.map((c) => (c === ' ' ? 'space' : `'${c}'`)).join(', ')}).` : '';
  box.hidden = !box.textContent;
  if (box.hidden) $('name').removeAttribute('aria-invalid');
  else $('name').setAttribute('aria-invalid', 'true');
});
$('cancel').addEventListener('click', () => send({ type: 'cancel' }));
$<HTMLFormElement>('form').addEventListener('submit', (e) => {
  e.preventDefault();
  clearErrors();
  send({ type: 'submit', form: formData() });
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const m = parseHostMessage(event.data);
  if (!m) return;
  switch (m.type) {
    case 'init':
      onInit(m);
      break;
    case 'errors':
      showErrors(m.fields, m.message);
      break;
    case 'busy':
      $<HTMLButtonElement>('create').disabled = m.busy;
      $('busy').hidden = !m.busy;
      break;
  }
});

send({ type: 'ready' });
