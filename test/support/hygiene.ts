// Secret hygiene scanning for the code-server tier: searches files (logs, state databases, webview state, reports)
// for the secret values, private keys and passwords a session used, in the forms they could be written in, and for
// anything shaped like a bearer token or a PEM private key. Used by the extension-host session
// (test/vscode/suite/security-session.test.ts) and by the final scan after every suite (test/vscode/ui/*.last.ui.ts).
// Pure Node: no 'vscode'.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Something that must not be found: `label` says what it is in a report; the value itself is never printed. */
export interface Needle {
  label: string;
  value: string;
}

export interface Hit {
  /** Relative to the scanned root. */
  file: string;
  /** The needle's label or the pattern's name. */
  what: string;
  /** How it was written: raw, json-escaped, url-encoded, base64. */
  form: string;
}

export interface ScanResult {
  files: number;
  bytes: number;
  hits: Hit[];
}

/** Shapes that must never be on disk or in a log, whoever's value they hold. */
export const FORBIDDEN_PATTERNS: readonly { name: string; pattern: RegExp }[] = [
  { name: 'bearer token', pattern: /Bearer\s+eyJ[A-Za-z0-9_-]{8,}/ },
  { name: 'JWT', pattern: /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/ },
  // The header with a key body after it: a hint that names the format ("-----BEGIN PRIVATE KEY-----") is not a key.
  { name: 'PEM private key', pattern: /-----BEGIN (?:RSA |EC |ENCRYPTED |DSA |OPENSSH )?PRIVATE KEY-----\s*(?:[A-Za-z-]+:[^\n]*\n\s*)*[A-Za-z0-9+/]{60}/ },
];

/** A needle shorter than this, or made of one repeated character, would match by chance: it is not searched for. */
export const MIN_NEEDLE_LENGTH = 10;

export function isSearchable(value: string): boolean {
  return value.length >= MIN_NEEDLE_LENGTH && new Set(value).size >= 4;
}

/** The byte sequences a value could be written as: raw UTF-8, JSON-escaped, URL-encoded, base64. */
export function needleForms(value: string): { form: string; bytes: Buffer }[] {
  const forms = new Map<string, string>();
  forms.set(value, 'raw');
  const json = JSON.stringify(value).slice(1, -1);
  if (!forms.has(json)) forms.set(json, 'json-escaped');
  try {
    const url = encodeURIComponent(value);
    if (!forms.has(url)) forms.set(url, 'url-encoded');
  } catch {
    // A lone surrogate cannot be URL-encoded; then it is not written that way either.
  }
  // base64 of the UTF-8 (as a value copied into a PFX field or an export): the stable middle part, which does not
  // depend on the alignment of what precedes it.
  const b64 = Buffer.from(value, 'utf8').toString('base64').replace(/=+$/, '');
  if (b64.length >= 16) forms.set(b64.slice(4, -4), 'base64');
  return [...forms].map(([text, form]) => ({ form, bytes: Buffer.from(text, 'utf8') }));
}

function walk(root: string, exclude: (rel: string) => boolean, visit: (full: string, rel: string, size: number) => void): void {
  const go = (dir: string) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full);
      if (exclude(rel)) continue;
      if (entry.isDirectory()) go(full);
      else if (entry.isFile()) {
        let size = 0;
        try {
          size = statSync(full).size;
        } catch {
          continue;
        }
        visit(full, rel, size);
      }
    }
  };
  go(root);
}

/**
 * Searches every file under `root` (minus `exclude`) for every needle in every form, and for the forbidden patterns.
 * Files over `maxBytes` are searched in their first `maxBytes` only (none of ours come close).
 */
export function scanTree(root: string, needles: readonly Needle[], options: { exclude?: (rel: string) => boolean; maxBytes?: number; patterns?: boolean } = {}): ScanResult {
  const exclude = options.exclude ?? (() => false);
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const searchable = needles.filter((n) => isSearchable(n.value)).map((n) => ({ label: n.label, forms: needleForms(n.value) }));
  const result: ScanResult = { files: 0, bytes: 0, hits: [] };
  if (!existsSync(root)) return result;
  walk(root, exclude, (full, rel, size) => {
    let content: Buffer;
    try {
      content = readFileSync(full);
    } catch {
      return;
    }
    if (content.length > maxBytes) content = content.subarray(0, maxBytes);
    result.files++;
    result.bytes += size;
    for (const n of searchable) {
      for (const f of n.forms) {
        if (content.includes(f.bytes)) {
          result.hits.push({ file: rel, what: n.label, form: f.form });
          break;
        }
      }
    }
    if (options.patterns !== false) {
      const text = content.toString('latin1');
      for (const p of FORBIDDEN_PATTERNS) if (p.pattern.test(text)) result.hits.push({ file: rel, what: p.name, form: 'pattern' });
    }
  });
  return result;
}

/** Searches one text (a transcript, a tree label, the clipboard) for the needles and the forbidden patterns. */
export function findInText(text: string, needles: readonly Needle[]): string[] {
  const found: string[] = [];
  const bytes = Buffer.from(text, 'utf8');
  for (const n of needles) {
    if (!isSearchable(n.value)) continue;
    if (needleForms(n.value).some((f) => bytes.includes(f.bytes))) found.push(n.label);
  }
  for (const p of FORBIDDEN_PATTERNS) if (p.pattern.test(text)) found.push(p.name);
  return found;
}

/**
 * Needles travel between processes (the extension host writes them, the final scan reads them) as hex, so the file
 * that carries them does not itself hold a single value in any searchable form.
 */
export function writeNeedles(file: string, needles: readonly Needle[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const body = Buffer.from(JSON.stringify(needles), 'utf8').toString('hex');
  writeFileSync(`${file}.tmp`, body);
  renameSync(`${file}.tmp`, file);
}

export function readNeedles(file: string): Needle[] {
  if (!existsSync(file)) return [];
  return JSON.parse(Buffer.from(readFileSync(file, 'utf8').trim(), 'hex').toString('utf8')) as Needle[];
}

/** Where the extension-host session leaves its needles for the final scan, under the tier's results folder. */
export const NEEDLES_FILE = path.join('hygiene', 'needles.hex');

/** Members that hold secret material in Key Vault request and response bodies. */
const SECRET_MEMBERS = new Set(['value', 'pwd', 'password', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'clientSecret', 'templateUri']);
/** Members whose contents are never secret material (user-chosen labels), skipped so a tag called "value" is not a needle. */
const PUBLIC_MEMBERS = new Set(['tags', 'attributes', 'policy', 'x509_props', 'release_policy']);

/**
 * Needles from what an emulator saw (its recorded exchanges): secret values set and read (certificate secrets with
 * their private keys, SAS tokens), imported key material, certificate passwords, plaintexts and keys sent to
 * encrypt or wrap and what decrypt and unwrap returned, random bytes. Labels name the operation, not the value.
 */
export function needlesFromExchanges(exchanges: readonly { method: string; url: string; operationId?: string; requestBody: unknown; responseBody: unknown }[]): Needle[] {
  const out = new Map<string, Needle>();
  const visit = (x: unknown, where: string, depth: number): void => {
    if (depth > 4 || x === null || typeof x !== 'object') return;
    for (const [k, v] of Object.entries(x as Record<string, unknown>)) {
      if (typeof v === 'string' && SECRET_MEMBERS.has(k) && isSearchable(v) && !out.has(v)) out.set(v, { label: `${where} ${k}`, value: v });
      else if (typeof v === 'object' && !PUBLIC_MEMBERS.has(k)) visit(v, where, depth + 1);
    }
  };
  for (const e of exchanges) {
    const what = e.operationId ?? `${e.method} ${new URL(e.url).pathname.split('/').slice(0, 2).join('/')}`;
    visit(e.requestBody, `${what} request`, 0);
    visit(e.responseBody, `${what} response`, 0);
  }
  return [...out.values()];
}

/** A report line: counts and hits, never a value. */
export function describeScan(name: string, r: ScanResult): string {
  const hits = r.hits.length ? `: ${r.hits.map((h) => `${h.file} holds ${h.what} (${h.form})`).join('; ')}` : '';
  return `${name}: ${r.files} files, ${(r.bytes / 1024 / 1024).toFixed(1)} MB, ${r.hits.length} hit(s)${hits}`;
}
