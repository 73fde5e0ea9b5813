// The Create Certificate panel's message protocol, shared by the host (panel.ts) and the page
// (media/webview/createCertificate.ts). Pure: no 'vscode', no DOM. The host validates what it receives and drops the rest.
import { parseForm, type CreateCertificateForm, type FormField } from './formModel';

/** Issuers the vault has configured (names and providers only). */
export interface IssuerChoice {
  name: string;
  provider?: string;
}

export interface InitMessage {
  type: 'init';
  vaultName: string;
  vaultHost: string;
  form: CreateCertificateForm;
}

/** The vault's configured issuers arrived (or could not be listed: `problem`). */
export interface IssuersMessage {
  type: 'issuers';
  issuers: IssuerChoice[];
  problem?: string;
}

/** Field messages and, when valid, the JSON body Key Vault will receive. */
export interface ValidationMessage {
  type: 'validation';
  /** Echo of the page's sequence number, so a stale answer is ignored. */
  seq: number;
  errors: Partial<Record<FormField, string>>;
  preview?: string;
}

/** Where the creation stands. */
export interface ProgressMessage {
  type: 'progress';
  phase: 'submitting' | 'inProgress' | 'completed' | 'waitingForMerge' | 'failed' | 'cancelled';
  /** One line for the status area. */
  text: string;
  /** Key Vault's status details or error, when it gives any. */
  detail?: string;
}

export type HostMessage = InitMessage | IssuersMessage | ValidationMessage | ProgressMessage;

export interface ReadyMessage {
  type: 'ready';
}
/** The form changed: validate and preview it. */
export interface ChangeMessage {
  type: 'change';
  seq: number;
  form: CreateCertificateForm;
}
export interface SubmitMessage {
  type: 'submit';
  form: CreateCertificateForm;
}
/** Buttons shown after submitting. */
export interface ActionMessage {
  type: 'action';
  action: 'showDetails' | 'download' | 'downloadCsr' | 'merge' | 'cancelOperation' | 'close' | 'again';
}

export type PageMessage = ReadyMessage | ChangeMessage | SubmitMessage | ActionMessage;

const ACTIONS: readonly ActionMessage['action'][] = ['showDetails', 'download', 'downloadCsr', 'merge', 'cancelOperation', 'close', 'again'];
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isSeq = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= Number.MAX_SAFE_INTEGER;

/** What the host accepts from the page; anything else is undefined (logged by type only, never by content). */
export function parsePageMessage(x: unknown): PageMessage | undefined {
  if (!isObject(x)) return undefined;
  switch (x.type) {
    case 'ready':
      return { type: 'ready' };
    case 'change': {
      const form = parseForm(x.form);
      return form && isSeq(x.seq) ? { type: 'change', seq: x.seq, form } : undefined;
    }
    case 'submit': {
      const form = parseForm(x.form);
      return form ? { type: 'submit', form } : undefined;
    }
    case 'action':
      return typeof x.action === 'string' && (ACTIONS as readonly string[]).includes(x.action) ? { type: 'action', action: x.action as ActionMessage['action'] } : undefined;
    default:
      return undefined;
  }
}

const PAGE_TYPES: readonly string[] = ['ready', 'change', 'submit', 'action'];

/** For the log: the message type only. */
export function describeDropped(x: unknown): string {
  if (!isObject(x) || typeof x.type !== 'string') return `a ${Array.isArray(x) ? 'list' : typeof x}`;
  // Only a type this panel knows is named: any other is the page's text, and could be anything (even a value).
  return PAGE_TYPES.includes(x.type) ? `message of type '${x.type}'` : `message of an unknown type (${x.type.length} characters)`;
}

/** What the page accepts from the host (the page trusts its host, but still ignores shapes it does not know). */
export function isHostMessage(x: unknown): x is HostMessage {
  return isObject(x) && (x.type === 'init' || x.type === 'issuers' || x.type === 'validation' || x.type === 'progress');
}
