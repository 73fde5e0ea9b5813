// The Reveal panel's message protocol, shared by the host (src/webviews/reveal/revealPanel.ts) and the page
// (media/webview/reveal.ts). Pure: no 'vscode', no DOM. Both sides validate what they receive and drop the rest.

/** Metadata shown before anything is revealed. Never the value. */
export interface RevealInit {
  type: 'init';
  name: string;
  version?: string;
  vault: string;
  contentType?: string;
  enabled: boolean;
  /** Seconds a shown value stays before the page hides it again; 0 = until Hide. */
  autoHideSeconds: number;
}

export interface RevealValue {
  type: 'value';
  value: string;
  /** Computed by the host: a JSON object/array gets a formatted view. */
  json: boolean;
  lines: number;
  bytes: number;
  /** The version that was read (the current one when the panel is about the secret). */
  version?: string;
  autoHideSeconds: number;
}

/** The host could not read the value (disabled and not enabled, cancelled, forbidden…). */
export interface RevealProblem {
  type: 'problem';
  message: string;
}

/** Copy finished (the page says so without ever touching the clipboard itself). */
export interface RevealCopied {
  type: 'copied';
  clearsInSeconds: number;
}

export type HostMessage = RevealInit | RevealValue | RevealProblem | RevealCopied;

/** The page loaded and wants its metadata. */
export interface PageReady {
  type: 'ready';
}
/** The user clicked Show: the host reads the value now (it keeps none). */
export interface PageShow {
  type: 'show';
}
/** The value was hidden (button, Escape or the timer). */
export interface PageHidden {
  type: 'hidden';
  reason: 'user' | 'timer';
}
/** Copy the value: the host reads it and uses the guarded clipboard. */
export interface PageCopy {
  type: 'copy';
}

export type PageMessage = PageReady | PageShow | PageHidden | PageCopy;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 1e9;
const optionalString = (x: unknown): boolean => x === undefined || typeof x === 'string';

/** What the host accepts from the page; anything else is undefined (and logged by type only). */
export function parsePageMessage(x: unknown): PageMessage | undefined {
  if (!isObject(x)) return undefined;
  const keys = Object.keys(x);
  switch (x.type) {
    case 'ready':
    case 'show':
    case 'copy':
      return keys.length === 1 ? { type: x.type } : undefined;
    case 'hidden':
      return keys.length === 2 && (x.reason === 'user' || x.reason === 'timer') ? { type: 'hidden', reason: x.reason } : undefined;
    default:
      return undefined;
  }
}

/** What the page accepts from the host. */
export function parseHostMessage(x: unknown): HostMessage | undefined {
  if (!isObject(x)) return undefined;
  switch (x.type) {
    case 'init':
      if (typeof x.name !== 'string' || typeof x.vault !== 'string' || typeof x.enabled !== 'boolean' || !isCount(x.autoHideSeconds)) return undefined;
      if (!optionalString(x.version) || !optionalString(x.contentType)) return undefined;
      return {
        type: 'init',
        name: x.name,
        vault: x.vault,
        enabled: x.enabled,
        autoHideSeconds: x.autoHideSeconds,
        ...(typeof x.version === 'string' ? { version: x.version } : {}),
        ...(typeof x.contentType === 'string' ? { contentType: x.contentType } : {}),
      };
    case 'value':
      if (typeof x.value !== 'string' || typeof x.json !== 'boolean' || !isCount(x.lines) || !isCount(x.bytes) || !isCount(x.autoHideSeconds) || !optionalString(x.version)) return undefined;
      return { type: 'value', value: x.value, json: x.json, lines: x.lines, bytes: x.bytes, autoHideSeconds: x.autoHideSeconds, ...(typeof x.version === 'string' ? { version: x.version } : {}) };
    case 'problem':
      return typeof x.message === 'string' ? { type: 'problem', message: x.message } : undefined;
    case 'copied':
      return isCount(x.clearsInSeconds) ? { type: 'copied', clearsInSeconds: x.clearsInSeconds } : undefined;
    default:
      return undefined;
  }
}

const PAGE_TYPES: readonly string[] = ['ready', 'show', 'hidden', 'copy'];

/** For logs: what kind of message was dropped, never its content. */
export function describeDropped(x: unknown): string {
  if (!isObject(x)) return typeof x;
  // Only a type this panel knows is named: any other is the page's text, and could be anything (even a value).
  const type = typeof x.type !== 'string' ? 'object' : PAGE_TYPES.includes(x.type) ? `type '${x.type}'` : `an unknown type (${x.type.length} characters)`;
  return `${type} with ${Object.keys(x).length} field(s)`;
}
