import { expiryState, type ObjectView } from './objectView';

/** A filter on a vault or one of its categories. All given conditions must hold. */
export interface TreeFilter {
  /** Substring of the name (case-insensitive), or a regular expression when `regex` is set. */
  text?: string;
  regex?: boolean;
  /** `key` or `key=value` (value match is exact, case-sensitive as in Key Vault). */
  tag?: { key: string; value?: string };
  contentType?: string;
  state?: 'enabled' | 'disabled';
  expiry?: 'expired' | 'expiring';
}

export type FilterParseResult = { filter: TreeFilter } | { error: string };

/** Compiles a filter once into a predicate (the regex is built once, not per item). */
export function compileFilter(filter: TreeFilter, thresholdDays: number, now = Date.now()): (v: ObjectView) => boolean {
  let nameTest: ((name: string) => boolean) | undefined;
  if (filter.text) {
    if (filter.regex) {
      const re = new RegExp(filter.text, 'i');
      nameTest = (n) => re.test(n);
    } else {
      const needle = filter.text.toLowerCase();
      nameTest = (n) => n.toLowerCase().includes(needle);
    }
  }
  const contentType = filter.contentType?.toLowerCase();
  return (v) => {
    if (nameTest && !nameTest(v.name)) return false;
    if (filter.tag) {
      if (!(filter.tag.key in v.tags)) return false;
      if (filter.tag.value !== undefined && v.tags[filter.tag.key] !== filter.tag.value) return false;
    }
    if (contentType !== undefined && (v.contentType ?? '').toLowerCase() !== contentType) return false;
    if (filter.state === 'enabled' && !v.enabled) return false;
    if (filter.state === 'disabled' && v.enabled) return false;
    if (filter.expiry) {
      const s = expiryState(v, now, thresholdDays);
      if (filter.expiry === 'expired' && s !== 'expired') return false;
      if (filter.expiry === 'expiring' && s !== 'expiring') return false;
    }
    return true;
  };
}

/**
 * Parses the one-line filter syntax typed in the filter box:
 *   `db`                 name contains "db"
 *   `/^prod-.*$/`        name matches the regex
 *   `tag:env=prod`       tag env equals prod (`tag:env` = has the tag)
 *   `type:application/json`, `is:disabled`, `is:enabled`, `is:expired`, `is:expiring`
 * Terms combine with spaces.
 */
export function parseFilter(input: string): FilterParseResult {
  const filter: TreeFilter = {};
  const terms = input.trim().match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
  const names: string[] = [];
  for (const raw of terms) {
    const term = raw.replace(/^"|"$/g, '');
    const lower = term.toLowerCase();
    if (lower.startsWith('tag:')) {
      const body = term.slice(4);
      const eq = body.indexOf('=');
      const key = eq < 0 ? body : body.slice(0, eq);
      if (!key) return { error: 'tag: needs a tag name, e.g. tag:env=prod' };
      filter.tag = eq < 0 ? { key } : { key, value: body.slice(eq + 1) };
    } else if (lower.startsWith('type:')) {
      if (term.length === 5) return { error: 'type: needs a content type, e.g. type:application/json' };
      filter.contentType = term.slice(5);
    } else if (lower.startsWith('is:')) {
      const what = lower.slice(3);
      if (what === 'enabled' || what === 'disabled') filter.state = what;
      else if (what === 'expired' || what === 'expiring') filter.expiry = what;
      else return { error: `Unknown "is:${what}": use is:enabled, is:disabled, is:expired or is:expiring` };
    } else if (term.length > 2 && term.startsWith('/') && term.endsWith('/')) {
      const source = term.slice(1, -1);
      try {
        new RegExp(source, 'i');
      } catch (e) {
        return { error: `Invalid regular expression: ${(e as Error).message}` };
      }
      filter.text = source;
      filter.regex = true;
    } else {
      names.push(term);
    }
  }
  if (names.length) {
    if (filter.regex) return { error: 'Use either a /regex/ or plain text for the name, not both' };
    filter.text = names.join(' ');
  }
  return { filter };
}

/** The filter as the node description shows it. */
export function describeFilter(f: TreeFilter): string {
  const parts: string[] = [];
  if (f.text) parts.push(f.regex ? `/${f.text}/` : `"${f.text}"`);
  if (f.tag) parts.push(`tag:${f.tag.key}${f.tag.value !== undefined ? `=${f.tag.value}` : ''}`);
  if (f.contentType) parts.push(`type:${f.contentType}`);
  if (f.state) parts.push(`is:${f.state}`);
  if (f.expiry) parts.push(`is:${f.expiry}`);
  return parts.join(' ');
}

export const isEmptyFilter = (f: TreeFilter | undefined): boolean => !f || describeFilter(f) === '';
