// The Certificate Details panel's message protocol, shared by the host (panel.ts) and the page
// (media/webview/certificateDetails.ts). Pure and browser-safe: types and validators only.
import type { DetailsModel } from './model';

export interface DetailsMessage {
  type: 'details';
  model: DetailsModel;
}
/** Something could not be read or done; the page keeps what it shows and says so. */
export interface ProblemMessage {
  type: 'problem';
  message: string;
}
/** Short confirmation in the page's status line ("Thumbprint copied"). */
export interface StatusMessage {
  type: 'status';
  message: string;
  busy?: boolean;
}

export type HostMessage = DetailsMessage | ProblemMessage | StatusMessage;

export const DETAILS_ACTIONS = [
  'refresh',
  'copySha1',
  'copySha256',
  'copyId',
  'copySerial',
  'download',
  'editPolicy',
  'loadChain',
  'downloadCsr',
  'merge',
  'cancelOperation',
  'deleteOperation',
  'enable',
  'disable',
] as const;
export type DetailsAction = (typeof DETAILS_ACTIONS)[number];

export interface ReadyMessage {
  type: 'ready';
}
export interface ActionMessage {
  type: 'action';
  action: DetailsAction;
}
export type PageMessage = ReadyMessage | ActionMessage;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export function parsePageMessage(x: unknown): PageMessage | undefined {
  if (!isObject(x)) return undefined;
  if (x.type === 'ready' && Object.keys(x).length === 1) return { type: 'ready' };
  if (x.type === 'action' && Object.keys(x).length === 2 && typeof x.action === 'string' && (DETAILS_ACTIONS as readonly string[]).includes(x.action)) {
    return { type: 'action', action: x.action as DetailsAction };
  }
  return undefined;
}

const PAGE_TYPES: readonly string[] = ['ready', 'action'];

export function describeDropped(x: unknown): string {
  if (!isObject(x) || typeof x.type !== 'string') return `a ${Array.isArray(x) ? 'list' : typeof x}`;
  // Only a type this panel knows is named: any other is the page's text, and could be anything (even a value).
  return PAGE_TYPES.includes(x.type) ? `message of type '${x.type}'` : `message of an unknown type (${x.type.length} characters)`;
}

export function isHostMessage(x: unknown): x is HostMessage {
  return isObject(x) && (x.type === 'details' || x.type === 'problem' || x.type === 'status');
}
