// Pure: no `vscode` import, so every rule a user meets in the secret prompts is unit-tested in plain Node.
import { cloudForHost } from '../../azure/clouds';
import { nameFromBackupFile } from '../backupFileNames';

/** Key Vault's rule for secret names: 1-127 characters, letters, digits and dashes. */
export const SECRET_NAME_PATTERN = /^[0-9a-zA-Z-]{1,127}$/;
/** Key Vault refuses larger values: 25 KB of UTF-8. */
export const MAX_SECRET_VALUE_BYTES = 25 * 1024;
/** Tags: at most 15 per object, names up to 512 and values up to 256 characters. */
export const MAX_TAGS = 15;
export const MAX_TAG_NAME = 512;
export const MAX_TAG_VALUE = 256;

/** An inline validation message for a secret name, or undefined when it is valid. */
export function validateSecretName(name: string): string | undefined {
  if (name.length === 0) return 'Enter a name: letters, digits and dashes, up to 127 characters.';
  if (name.length > 127) return `Too long (${name.length} characters): at most 127.`;
  const bad = [...new Set(name.replace(/[0-9a-zA-Z-]/g, ''))];
  if (bad.length > 0) {
    const shown = bad.map((c) => (c === ' ' ? 'space' : `'${c}'`)).join(', ');
    return `Only letters, digits and dashes are allowed (not ${shown}).`;
  }
  return undefined;
}

export function utf8Bytes(value: string): number {
  return new TextEncoder().encode(value).length;
}

/** An inline validation message for a secret value, or undefined when Key Vault will accept it. */
export function validateSecretValue(value: string): string | undefined {
  if (value.length === 0) return 'The value cannot be empty.';
  const bytes = utf8Bytes(value);
  if (bytes > MAX_SECRET_VALUE_BYTES) return `The value is ${bytes.toLocaleString('en-US')} bytes; Key Vault accepts at most ${MAX_SECRET_VALUE_BYTES.toLocaleString('en-US')} bytes (25 KB).`;
  return undefined;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Tags typed as `env=prod, owner=data team`. Commas separate pairs; a pair without `=` is a tag with an empty value.
 * Empty text means no tags.
 */
export function parseTags(text: string): Parsed<Record<string, string>> {
  // A Map, so a tag called __proto__ is a tag and not a prototype.
  const tags = new Map<string, string>();
  const trimmed = text.trim();
  if (!trimmed) return { ok: true, value: {} };
  for (const raw of trimmed.split(',')) {
    const pair = raw.trim();
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = (eq === -1 ? pair : pair.slice(0, eq)).trim();
    const value = eq === -1 ? '' : pair.slice(eq + 1).trim();
    if (!name) return { ok: false, error: `'${pair}' has no tag name before '='.` };
    if (name.length > MAX_TAG_NAME) return { ok: false, error: `Tag name '${name.slice(0, 20)}…' is longer than ${MAX_TAG_NAME} characters.` };
    if (value.length > MAX_TAG_VALUE) return { ok: false, error: `The value of tag '${name}' is longer than ${MAX_TAG_VALUE} characters.` };
    if (tags.has(name)) return { ok: false, error: `Tag '${name}' appears twice.` };
    tags.set(name, value);
  }
  if (tags.size > MAX_TAGS) return { ok: false, error: `Key Vault allows at most ${MAX_TAGS} tags (${tags.size} given).` };
  return { ok: true, value: Object.fromEntries(tags) };
}

/** The inverse of parseTags, for prefilling an input box. */
export function formatTags(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([k, v]) => (v ? `${k}=${v}` : k))
    .join(', ');
}

const RELATIVE = /^\+?(\d{1,5})\s*(m|min|h|d|w|y)$/i;
const UNIT_MS: Record<string, number> = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, y: 365 * 86_400_000 };

/**
 * A date typed by the user: empty (none), `2026-03-31`, `2026-03-31T18:00` or with a zone (`Z`, `+02:00`), or relative
 * to now: `+90d`, `12h`, `2w`, `1y`. Dates without a zone are UTC, as Key Vault stores them; shown back as UTC too.
 */
export function parseDateInput(text: string, now: number): Parsed<Date | undefined> {
  const t = text.trim();
  if (!t) return { ok: true, value: undefined };
  const rel = RELATIVE.exec(t);
  if (rel) return { ok: true, value: new Date(now + Number(rel[1]) * UNIT_MS[rel[2]!.toLowerCase()]!) };
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?\s*(Z|[+-]\d{2}:\d{2})?$/i.exec(t);
  if (!m) return { ok: false, error: `'${t}' is not a date: use 2026-03-31, 2026-03-31T18:00 (UTC), or +90d / +12h / +2w / +1y.` };
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone = 'Z'] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${zone!.toUpperCase()}`;
  const date = new Date(iso);
  // Date rolls 2026-02-30 over to March; refuse instead.
  if (Number.isNaN(date.getTime()) || (zone!.toUpperCase() === 'Z' && date.toISOString().slice(0, 10) !== `${y}-${mo}-${d}`)) {
    return { ok: false, error: `'${t}' is not a valid calendar date.` };
  }
  return { ok: true, value: date };
}

/** `2026-03-31 18:00 UTC`, the way dates are shown back in prompts. */
export function formatDate(date: Date | undefined): string {
  return date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
}

/** For prefilling an input box: parseDateInput reads it back unchanged. */
export function formatDateInput(date: Date | undefined): string {
  return date ? date.toISOString().slice(0, 16) : '';
}

/** Key Vault refuses an expiry that is not after the activation date; say so before sending. */
export function checkDateOrder(notBefore: Date | undefined, expiresOn: Date | undefined): string | undefined {
  if (notBefore && expiresOn && expiresOn.getTime() <= notBefore.getTime()) {
    return `The expiry (${formatDate(expiresOn)}) must be after the activation date (${formatDate(notBefore)}).`;
  }
  return undefined;
}

/** `https://{vault}/secrets/{name}[/{version}]`. */
export function secretIdentifier(vaultUrl: string, name: string, version?: string): string {
  const origin = new URL(vaultUrl).origin;
  return `${origin}/secrets/${name}${version ? `/${version}` : ''}`;
}

export type ReferenceForm = 'uri' | 'uri-versioned' | 'name' | 'name-versioned';

/**
 * App Service / Functions Key Vault references. The SecretUri form works for any vault; the VaultName form only for
 * vaults in a known cloud (App Service expands VaultName with its own cloud's suffix), so it returns undefined for
 * custom endpoints. A versionless SecretUri keeps its trailing slash, as the App Service docs write it.
 */
export function keyVaultReference(form: ReferenceForm, vaultUrl: string, name: string, version?: string): string | undefined {
  switch (form) {
    case 'uri':
      return `@Microsoft.KeyVault(SecretUri=${secretIdentifier(vaultUrl, name)}/)`;
    case 'uri-versioned':
      return version ? `@Microsoft.KeyVault(SecretUri=${secretIdentifier(vaultUrl, name, version)})` : undefined;
    case 'name':
    case 'name-versioned': {
      const vaultName = vaultNameOf(vaultUrl);
      if (!vaultName) return undefined;
      if (form === 'name') return `@Microsoft.KeyVault(VaultName=${vaultName};SecretName=${name})`;
      return version ? `@Microsoft.KeyVault(VaultName=${vaultName};SecretName=${name};SecretVersion=${version})` : undefined;
    }
  }
}

/** The vault's name when its host is `{name}.{suffix}` of a known cloud's vaults; undefined otherwise. */
export function vaultNameOf(vaultUrl: string): string | undefined {
  const url = new URL(vaultUrl);
  const known = cloudForHost(url.hostname);
  if (!known || known.kind !== 'vault' || url.port) return undefined;
  const name = url.hostname.split('.')[0];
  return name || undefined;
}

/** Default file name for a backup: says what it is and which secret. */
export function backupFileName(name: string): string {
  return `${name}.secret-backup`;
}

/** The secret name a backup file was saved under by backupFileName, if it was. */
export function nameFromBackupFileName(fileName: string): string | undefined {
  return nameFromBackupFile(fileName, 'secret-backup');
}

export interface ValueShape {
  bytes: number;
  lines: number;
  multiline: boolean;
  /** Parses as a JSON object or array (plain JSON strings and numbers are not worth a pretty view). */
  json: boolean;
}

/** What the reveal panel needs to pick a view; computed on the host, it carries no part of the value. */
export function valueShape(value: string): ValueShape {
  const lines = value.length === 0 ? 0 : value.split(/\r\n|\r|\n/).length;
  let json = false;
  const t = value.trim();
  if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
    try {
      JSON.parse(t);
      json = true;
    } catch {
      json = false;
    }
  }
  return { bytes: utf8Bytes(value), lines, multiline: lines > 1, json };
}

/** A name Key Vault accepts, from a file name: `db.password.txt` → `db-password`. */
export function nameFromFileName(fileName: string): string {
  const base = (fileName.split(/[\\/]/).pop() ?? '').replace(/\.[^.]+$/, '');
  return base.replace(/[^0-9a-zA-Z-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 127);
}

const CONTENT_TYPES: Record<string, string> = { json: 'application/json', pem: 'application/x-pem-file', crt: 'application/x-pem-file', txt: 'text/plain', xml: 'application/xml', yaml: 'application/yaml', yml: 'application/yaml' };

/** A content type guessed from a file's extension; empty when there is no good guess. */
export function contentTypeForFile(fileName: string): string {
  const ext = /\.([^.\\/]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  return CONTENT_TYPES[ext] ?? '';
}
