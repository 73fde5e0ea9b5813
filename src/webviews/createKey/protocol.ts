// The Create Key form's message protocol, shared by the host (src/webviews/createKey/createKeyPanel.ts) and the page
// (media/webview/createKey.ts). Pure: no 'vscode', no DOM. Each side validates what it receives.

export const KEY_FAMILIES = ['RSA', 'EC', 'oct'] as const;
export type KeyFamilyChoice = (typeof KEY_FAMILIES)[number];
export type Protection = 'software' | 'hsm';

/** The six operations a form offers (import/export are Key Vault's own). */
export const FORM_KEY_OPS = ['sign', 'verify', 'encrypt', 'decrypt', 'wrapKey', 'unwrapKey'] as const;

export interface TagEntry {
  name: string;
  value: string;
}

/** What the user filled in. Dates are ISO 8601 instants computed by the page from its local date inputs. */
export interface CreateKeyFormData {
  name: string;
  family: KeyFamilyChoice;
  protection: Protection;
  /** RSA: modulus bits; oct: AES bits. */
  keySize?: number;
  curve?: string;
  keyOps: string[];
  enabled: boolean;
  notBefore?: string;
  expiresOn?: string;
  tags: TagEntry[];
  exportable: boolean;
  /** JSON text of the release policy (exportable keys only). */
  releasePolicy?: string;
  releasePolicyImmutable: boolean;
}

// ---- host → page ----

export interface CreateKeyInit {
  type: 'init';
  container: { name: string; host: string; kind: 'vault' | 'hsm' };
  /** Families the container holds (oct only in a Managed HSM). */
  families: KeyFamilyChoice[];
  /** Protections the container offers ('hsm' only in a Managed HSM; 'software' only in a Standard vault; else both). */
  protections: Protection[];
  /** Why the protections are what they are, when the vault's tier decides (Standard, or not known here). */
  protectionNote?: string;
  rsaSizes: number[];
  aesSizes: number[];
  curves: string[];
  /** Default key_ops per family. */
  defaultOps: Record<KeyFamilyChoice, string[]>;
  /** Operations each family can do at all. */
  allowedOps: Record<KeyFamilyChoice, string[]>;
  /** Prefill (from the quick input's "More options…"). */
  prefill?: Partial<CreateKeyFormData>;
  releasePolicyExample: string;
}

/** Problems per field name ('name', 'keyOps', 'tags', 'notBefore', 'expiresOn', 'releasePolicy', …) and/or overall. */
export interface CreateKeyErrors {
  type: 'errors';
  fields: Record<string, string>;
  message?: string;
}

export interface CreateKeyBusy {
  type: 'busy';
  busy: boolean;
}

export type HostMessage = CreateKeyInit | CreateKeyErrors | CreateKeyBusy;

// ---- page → host ----

export interface PageReady {
  type: 'ready';
}

export interface PageSubmit {
  type: 'submit';
  form: CreateKeyFormData;
}

export interface PageCancel {
  type: 'cancel';
}

export type PageMessage = PageReady | PageSubmit | PageCancel;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown, max: number): x is string => typeof x === 'string' && x.length <= max;
const optStr = (x: unknown, max: number): boolean => x === undefined || str(x, max);

const FORM_KEYS = ['name', 'family', 'protection', 'keySize', 'curve', 'keyOps', 'enabled', 'notBefore', 'expiresOn', 'tags', 'exportable', 'releasePolicy', 'releasePolicyImmutable'];

/** Shape only (types and sizes); the rules are in form.ts so both the quick input and the form share them. */
export function parseForm(x: unknown): CreateKeyFormData | undefined {
  if (!isObject(x) || !Object.keys(x).every((k) => FORM_KEYS.includes(k))) return undefined;
  if (!str(x.name, 256) || !(KEY_FAMILIES as readonly unknown[]).includes(x.family) || (x.protection !== 'software' && x.protection !== 'hsm')) return undefined;
  if (x.keySize !== undefined && !(typeof x.keySize === 'number' && Number.isInteger(x.keySize))) return undefined;
  if (!optStr(x.curve, 16) || !optStr(x.notBefore, 40) || !optStr(x.expiresOn, 40) || !optStr(x.releasePolicy, 64 * 1024)) return undefined;
  if (!Array.isArray(x.keyOps) || x.keyOps.length > 16 || !x.keyOps.every((o) => str(o, 16))) return undefined;
  if (!Array.isArray(x.tags) || x.tags.length > 64 || !x.tags.every((t) => isObject(t) && Object.keys(t).length === 2 && str(t.name, 1024) && str(t.value, 1024))) return undefined;
  if (typeof x.enabled !== 'boolean' || typeof x.exportable !== 'boolean' || typeof x.releasePolicyImmutable !== 'boolean') return undefined;
  const form: CreateKeyFormData = {
    name: x.name,
    family: x.family as KeyFamilyChoice,
    protection: x.protection,
    keyOps: [...(x.keyOps as string[])],
    enabled: x.enabled,
    tags: (x.tags as TagEntry[]).map((t) => ({ name: t.name, value: t.value })),
    exportable: x.exportable,
    releasePolicyImmutable: x.releasePolicyImmutable,
  };
  if (x.keySize !== undefined) form.keySize = x.keySize as number;
  for (const k of ['curve', 'notBefore', 'expiresOn', 'releasePolicy'] as const) if (typeof x[k] === 'string') form[k] = x[k] as string;
  return form;
}

export function parsePageMessage(x: unknown): PageMessage | undefined {
  if (!isObject(x)) return undefined;
  switch (x.type) {
    case 'ready':
    case 'cancel':
      return Object.keys(x).length === 1 ? { type: x.type } : undefined;
    case 'submit': {
      if (Object.keys(x).length !== 2) return undefined;
      const form = parseForm(x.form);
      return form ? { type: 'submit', form } : undefined;
    }
    default:
      return undefined;
  }
}

const stringList = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');
const numberList = (x: unknown): x is number[] => Array.isArray(x) && x.every((s) => typeof s === 'number');

export function parseHostMessage(x: unknown): HostMessage | undefined {
  if (!isObject(x)) return undefined;
  switch (x.type) {
    case 'init': {
      const c = x.container;
      if (!isObject(c) || typeof c.name !== 'string' || typeof c.host !== 'string' || (c.kind !== 'vault' && c.kind !== 'hsm')) return undefined;
      if (!stringList(x.families) || !stringList(x.protections) || !numberList(x.rsaSizes) || !numberList(x.aesSizes) || !stringList(x.curves) || typeof x.releasePolicyExample !== 'string') return undefined;
      if (!isObject(x.defaultOps) || !isObject(x.allowedOps)) return undefined;
      if (x.prefill !== undefined && !isObject(x.prefill)) return undefined;
      if (!optStr(x.protectionNote, 1024)) return undefined;
      return x as unknown as CreateKeyInit;
    }
    case 'errors':
      if (!isObject(x.fields) || !Object.values(x.fields).every((v) => typeof v === 'string') || !optStr(x.message, 4096)) return undefined;
      return { type: 'errors', fields: x.fields as Record<string, string>, ...(typeof x.message === 'string' ? { message: x.message } : {}) };
    case 'busy':
      return typeof x.busy === 'boolean' ? { type: 'busy', busy: x.busy } : undefined;
    default:
      return undefined;
  }
}

const PAGE_TYPES: readonly string[] = ['ready', 'cancel', 'submit'];

export function describeDropped(x: unknown): string {
  if (!isObject(x)) return typeof x;
  // Only a type this panel knows is named: any other is the page's text, and could be anything (even a value).
  const type = typeof x.type !== 'string' ? 'object' : PAGE_TYPES.includes(x.type) ? `type '${x.type}'` : `an unknown type (${x.type.length} characters)`;
  return `${type} with ${Object.keys(x).length} field(s)`;
}
