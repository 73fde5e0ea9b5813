// The Certificate Details page: renders the host's model (src/webviews/certificateDetails/model.ts) as readable
// sections. Every string from the host goes in as text, never as HTML. No setState: the host resends on load.
import './certificates/shared.css';
import './certificateDetails.css';
import type { ChainEntry, DetailsModel, Row, SanEntry } from '../../src/webviews/certificateDetails/model';
import { isHostMessage, type DetailsAction, type HostMessage, type PageMessage } from '../../src/webviews/certificateDetails/protocol';
import { byId, el, vscodeApi } from './certificates/dom';

const api = vscodeApi<PageMessage>();
const send = (m: PageMessage): void => api.postMessage(m);
const act = (action: DetailsAction): void => send({ type: 'action', action });

const content = byId<HTMLDivElement>('content');
const toolbar = byId<HTMLDivElement>('toolbar');
const status = byId<HTMLParagraphElement>('status');
const health = byId<HTMLSpanElement>('health');
let statusTimer: ReturnType<typeof setTimeout> | undefined;

function setStatus(text: string, kind: 'info' | 'problem' | 'busy' = 'info'): void {
  status.textContent = text;
  status.className = `status ${kind}`;
  if (statusTimer) clearTimeout(statusTimer);
  if (kind === 'info' && text) statusTimer = setTimeout(() => (status.textContent = ''), 4000);
}

function button(label: string, action: DetailsAction, options: { primary?: boolean; title?: string } = {}): HTMLButtonElement {
  const b = el('button', { className: options.primary ? 'primary' : '', text: label, attrs: { type: 'button', ...(options.title ? { title: options.title } : {}) } });
  b.addEventListener('click', () => act(action));
  return b;
}

function copyButton(label: string, action: DetailsAction): HTMLButtonElement {
  const b = el('button', { className: 'icon-button copy', text: 'Copy', attrs: { type: 'button', 'aria-label': `Copy ${label}`, title: `Copy ${label}` } });
  b.addEventListener('click', () => act(action));
  return b;
}

const fmtDate = (isoText: string): string => `${isoText.replace('T', ' ').slice(0, 16)} UTC`;

function section(title: string, id: string, ...children: (Node | string)[]): HTMLElement {
  return el('section', { className: 'card', attrs: { 'aria-labelledby': id } }, el('h2', { text: title, attrs: { id } }), ...children);
}

/** A definition list; values in the editor font when marked. */
function rows(items: Row[], copies: Partial<Record<NonNullable<Row['copy']>, DetailsAction>> = {}): HTMLElement {
  const dl = el('dl', { className: 'rows' });
  for (const r of items) {
    const dd = el('dd', {}, el('span', { className: r.mono ? 'mono value' : 'value', text: r.value }));
    const action = r.copy ? copies[r.copy] : undefined;
    if (action) dd.append(copyButton(r.label, action));
    dl.append(el('dt', { text: r.label }), dd);
  }
  return dl;
}

function sans(list: SanEntry[]): HTMLElement {
  if (list.length === 0) return el('p', { className: 'help', text: 'No subject alternative names.' });
  const ul = el('ul', { className: 'chips', attrs: { 'aria-label': 'Subject alternative names' } });
  for (const s of list) ul.append(el('li', { className: 'chip' }, el('span', { className: 'chip-kind', text: s.kind }), el('span', { className: 'mono', text: s.value })));
  return ul;
}

function validityBar(notBefore: string, notAfter: string): HTMLElement {
  const start = Date.parse(notBefore);
  const end = Date.parse(notAfter);
  const now = Date.now();
  const pct = Math.max(0, Math.min(100, ((now - start) / Math.max(1, end - start)) * 100));
  const bar = el('div', { className: 'bar', attrs: { role: 'meter', 'aria-label': 'Lifetime used', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(Math.round(pct)) } });
  const fill = el('div', { className: 'bar-fill' });
  fill.style.width = `${pct}%`;
  bar.append(fill);
  return bar;
}

function chainList(chain: ChainEntry[], state: DetailsModel['chainState']): HTMLElement {
  const ol = el('ol', { className: 'chain', attrs: { 'aria-label': 'Certificate chain, leaf first' } });
  chain.forEach((c, i) => {
    const role = i === 0 ? 'Leaf' : c.selfIssued ? 'Root' : 'Intermediate';
    const li = el(
      'li',
      { className: 'chain-entry' },
      el('div', { className: 'chain-head' }, el('span', { className: 'chain-role', text: role }), el('span', { className: 'mono', text: c.subject })),
      el('div', { className: 'help', text: `Issued by ${c.issuer} · expires ${fmtDate(c.notAfter)}` }),
      el('div', { className: 'help mono', text: `SHA-1 ${c.thumbprint}` }),
    );
    li.style.marginLeft = `${Math.min(i, 4) * 16}px`;
    ol.append(li);
  });
  const box = el('div', {}, ol);
  if (state === 'self-signed') box.append(el('p', { className: 'help', text: 'Self-signed: the chain is this certificate alone.' }));
  if (state === 'leaf-only') {
    box.append(
      el('p', { className: 'help', text: "Only the certificate itself is shown. Its issuers are stored in the certificate's secret, together with the private key (which is never read)." }),
      button('Load Full Chain', 'loadChain'),
    );
  }
  return box;
}

function renderToolbar(m: DetailsModel): void {
  const items: HTMLElement[] = [];
  if (m.certificate) items.push(button('Download…', 'download', { primary: true }));
  if (m.operation?.waitingForMerge) items.push(button('Download CSR…', 'downloadCsr', { primary: !m.certificate }), button('Merge Signed Certificate…', 'merge'));
  if (m.operation && !m.operation.cancellationRequested && (m.operation.status ?? '').toLowerCase() === 'inprogress') items.push(button('Cancel Operation', 'cancelOperation'));
  if (m.operation) items.push(button('Delete Operation', 'deleteOperation'));
  items.push(button('Copy Identifier', 'copyId'));
  if (!m.version || m.certificate) items.push(button('Edit Policy', 'editPolicy'));
  if (m.certificate) items.push(m.enabled ? button('Disable', 'disable') : button('Enable', 'enable'));
  items.push(button('Refresh', 'refresh'));
  toolbar.replaceChildren(...items);
}

function render(m: DetailsModel): void {
  document.querySelector('main')?.setAttribute('aria-busy', 'false');
  byId('title').textContent = m.name;
  byId('meta').textContent = [m.vaultName === m.vaultHost ? m.vaultHost : `${m.vaultName} · ${m.vaultHost}`, m.version ? `version ${m.version}` : 'current version'].join(' · ');
  health.textContent = m.healthText;
  health.className = `badge ${m.health}`;
  renderToolbar(m);

  const parts: HTMLElement[] = [];
  if (m.operation) {
    const o = m.operation;
    const opRows: Row[] = [
      { label: 'Status', value: o.waitingForMerge ? 'In progress: waiting for you to merge the signed certificate' : o.status },
      ...(o.issuer ? [{ label: 'Issuer', value: o.issuer }] : []),
      ...(o.statusDetails ? [{ label: 'Details', value: o.statusDetails }] : []),
      ...(o.error ? [{ label: 'Error', value: o.error }] : []),
      ...(o.cancellationRequested ? [{ label: 'Cancellation', value: 'requested' }] : []),
      ...(o.requestId ? [{ label: 'Request id', value: o.requestId, mono: true }] : []),
    ];
    const card = section('Pending operation', 'h-operation', rows(opRows));
    if (o.csr) {
      card.append(
        el('h3', { text: 'Certificate signing request' }),
        rows([
          { label: 'Subject', value: o.csr.subject, mono: true },
          { label: 'Key', value: o.csr.publicKey },
        ]),
        sans(o.csr.sans),
      );
    }
    if (o.waitingForMerge) card.append(el('p', { className: 'help', text: 'Download the CSR, have your CA sign it, then merge the signed certificate (PEM or DER, with its chain if you have it).' }));
    card.classList.add('operation');
    parts.push(card);
  }

  const c = m.certificate;
  if (c) {
    parts.push(
      section(
        'Subject',
        'h-subject',
        rows([
          { label: 'Subject', value: c.subject, mono: true },
          { label: 'Issuer', value: c.issuer, mono: true },
        ]),
        el('h3', { text: 'Subject alternative names' }),
        sans(c.sans),
      ),
      section(
        'Validity',
        'h-validity',
        rows([
          { label: 'Not before', value: fmtDate(c.notBefore) },
          { label: 'Not after', value: fmtDate(c.notAfter) },
        ]),
        validityBar(c.notBefore, c.notAfter),
      ),
      section(
        'Thumbprints',
        'h-thumbprints',
        rows(
          [
            { label: 'SHA-1', value: c.thumbprintSha1, mono: true, copy: 'sha1' },
            { label: 'SHA-256', value: c.thumbprintSha256, mono: true, copy: 'sha256' },
            { label: 'Serial number', value: c.serialNumber, mono: true, copy: 'serial' },
          ],
          { sha1: 'copySha1', sha256: 'copySha256', serial: 'copySerial' },
        ),
      ),
      section(
        'Key and usage',
        'h-key',
        rows([
          { label: 'Public key', value: c.publicKey },
          ...(c.signatureAlgorithm ? [{ label: 'Signature algorithm', value: c.signatureAlgorithm }] : []),
          { label: 'Key usage', value: c.keyUsage.join(', ') || '—' },
          { label: 'Extended key usage', value: c.extendedKeyUsage.join(', ') || '—' },
          { label: 'Certificate authority', value: c.isCertificateAuthority ? 'yes' : 'no' },
        ]),
      ),
      section('Chain', 'h-chain', chainList(m.chain, m.chainState)),
    );
  }
  if (m.policy) parts.push(section('Policy', 'h-policy', rows(m.policy)));
  if (m.attributes.length || m.tags.length) {
    const card = section('Attributes', 'h-attributes', rows(m.attributes, { id: 'copyId' }));
    if (m.tags.length) {
      card.append(el('h3', { text: 'Tags' }), rows(m.tags.map(([k, v]) => ({ label: k, value: v }))));
    }
    parts.push(card);
  }
  content.replaceChildren(...parts);
}

function onHostMessage(m: HostMessage): void {
  switch (m.type) {
    case 'details':
      render(m.model);
      return;
    case 'problem':
      setStatus(m.message, 'problem');
      if (!content.querySelector('section')) content.replaceChildren(el('p', { className: 'error', text: m.message }));
      return;
    case 'status':
      setStatus(m.message, m.busy ? 'busy' : 'info');
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostMessage(event.data)) onHostMessage(event.data);
});

send({ type: 'ready' });
