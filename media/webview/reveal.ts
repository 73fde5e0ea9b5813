// The Reveal panel's page. It holds the value only in the DOM while it is shown: no setState, no storage, and the
// host never retains the context, so a hidden panel forgets everything. See src/webviews/reveal/protocol.ts.
import '../reveal.css';
import { parseHostMessage, type PageMessage, type RevealInit, type RevealValue } from '../../src/webviews/reveal/protocol';

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

const showButton = $<HTMLButtonElement>('show');
const hideButton = $<HTMLButtonElement>('hide');
const copyButton = $<HTMLButtonElement>('copy');
const formatLabel = $<HTMLLabelElement>('format-label');
const formatBox = $<HTMLInputElement>('format');
const wrapBox = $<HTMLInputElement>('wrap');
const masked = $<HTMLDivElement>('masked');
const valueView = $<HTMLPreElement>('value');
const countdown = $<HTMLSpanElement>('countdown');
const status = $<HTMLParagraphElement>('status');
const meta = $<HTMLParagraphElement>('meta');

let autoHideSeconds = 0;
let timer: ReturnType<typeof setInterval> | undefined;
/** The value while it is shown; dropped on hide. */
let shown: RevealValue | undefined;

function setStatus(text: string): void {
  status.textContent = text;
}

function render(): void {
  if (!shown) return;
  const pretty = shown.json && formatBox.checked;
  let text = shown.value;
  if (pretty) {
    try {
      text = JSON.stringify(JSON.parse(shown.value), null, 2);
    } catch {
      text = shown.value;
    }
  }
  valueView.textContent = text;
  valueView.classList.toggle('nowrap', !wrapBox.checked);
}

function hide(reason: 'user' | 'timer'): void {
  const wasShown = shown !== undefined;
  shown = undefined;
  if (timer !== undefined) clearInterval(timer);
  timer = undefined;
  valueView.textContent = '';
  valueView.hidden = true;
  masked.hidden = false;
  hideButton.hidden = true;
  showButton.hidden = false;
  formatLabel.hidden = true;
  countdown.textContent = '';
  document.body.classList.remove('revealed');
  if (wasShown) {
    setStatus(reason === 'timer' ? 'Hidden again automatically.' : 'Hidden.');
    send({ type: 'hidden', reason });
    showButton.focus();
  }
}

function startCountdown(seconds: number): void {
  if (timer !== undefined) clearInterval(timer);
  timer = undefined;
  if (seconds <= 0) {
    countdown.textContent = '';
    return;
  }
  const deadline = Date.now() + seconds * 1000;
  const tick = () => {
    const left = Math.ceil((deadline - Date.now()) / 1000);
    if (left <= 0) {
      hide('timer');
      return;
    }
    countdown.textContent = `Hides in ${left} s`;
  };
  tick();
  timer = setInterval(tick, 250);
}

function onInit(m: RevealInit): void {
  autoHideSeconds = m.autoHideSeconds;
  const parts = [m.vault];
  if (m.version) parts.push(`version ${m.version}`);
  if (m.contentType) parts.push(m.contentType);
  if (!m.enabled) parts.push('disabled');
  meta.textContent = parts.join(' · ');
  setStatus(autoHideSeconds > 0 ? `Click Show to read the value; it hides again after ${autoHideSeconds} s.` : 'Click Show to read the value.');
}

function onValue(m: RevealValue): void {
  shown = m;
  render();
  masked.hidden = true;
  valueView.hidden = false;
  showButton.hidden = true;
  hideButton.hidden = false;
  formatLabel.hidden = !m.json;
  document.body.classList.add('revealed');
  const size = m.bytes < 1024 ? `${m.bytes} bytes` : `${(m.bytes / 1024).toFixed(1)} KB`;
  setStatus(`${m.lines} line${m.lines === 1 ? '' : 's'}, ${size}${m.version ? `, version ${m.version}` : ''}.`);
  startCountdown(m.autoHideSeconds || autoHideSeconds);
  hideButton.focus();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const m = parseHostMessage(event.data);
  if (!m) return;
  switch (m.type) {
    case 'init':
      onInit(m);
      break;
    case 'value':
      onValue(m);
      break;
    case 'problem':
      showButton.disabled = false;
      copyButton.disabled = false;
      setStatus(m.message);
      break;
    case 'copied':
      copyButton.disabled = false;
      setStatus(m.clearsInSeconds > 0 ? `Copied. The clipboard is cleared in ${m.clearsInSeconds} s if it still holds the value.` : 'Copied.');
      break;
  }
  if (m.type !== 'problem') showButton.disabled = false;
});

showButton.addEventListener('click', () => {
  showButton.disabled = true;
  setStatus('Reading…');
  send({ type: 'show' });
});
hideButton.addEventListener('click', () => hide('user'));
copyButton.addEventListener('click', () => {
  copyButton.disabled = true;
  setStatus('Copying…');
  send({ type: 'copy' });
});
formatBox.addEventListener('change', render);
wrapBox.addEventListener('change', render);
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && shown) {
    e.preventDefault();
    hide('user');
  }
});

send({ type: 'ready' });
showButton.focus();
