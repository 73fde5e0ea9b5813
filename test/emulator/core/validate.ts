import { badParameter } from './errors';
import { NAME_RULE } from './ids';

/** Request-body checks that answer Key Vault's 400 BadParameter wording. */
export function requireObject(body: unknown, what: string): Record<string, unknown> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badParameter(`The request body for ${what} must be a JSON object.`);
  }
  return body as Record<string, unknown>;
}

export function checkName(name: string, what: string): void {
  if (!NAME_RULE.test(name)) {
    throw badParameter(`The request URI contains an invalid name: '${name}'. ${what} names must be 1-127 characters long and contain only 0-9, a-z, A-Z, and -.`);
  }
}

export function optionalString(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badParameter(`Property '${key}' has invalid value: expected a string.`);
  return v;
}

export function optionalBoolean(o: Record<string, unknown>, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw badParameter(`Property '${key}' has invalid value: expected true or false.`);
  return v;
}

export function optionalTags(o: Record<string, unknown>): Record<string, string> | undefined {
  const v = o.tags;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw badParameter("Property 'tags' has invalid value: expected an object of strings.");
  const tags = v as Record<string, unknown>;
  const keys = Object.keys(tags);
  if (keys.length > 15) throw badParameter('Too many tags: at most 15 are allowed.');
  for (const k of keys) {
    if (typeof tags[k] !== 'string') throw badParameter(`Tag '${k}' has invalid value: tag values must be strings.`);
    if (k.length > 512 || (tags[k] as string).length > 256) throw badParameter(`Tag '${k}' is too long: names up to 512 and values up to 256 characters.`);
  }
  return tags as Record<string, string>;
}

export interface AttributeInput {
  enabled?: boolean;
  nbf?: number;
  exp?: number;
  exportable?: boolean;
}

/** Reads `attributes` ({enabled, nbf, exp}); unix seconds must be integers. */
export function optionalAttributes(o: Record<string, unknown>): AttributeInput | undefined {
  const v = o.attributes;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw badParameter("Property 'attributes' has invalid value: expected an object.");
  const a = v as Record<string, unknown>;
  const out: AttributeInput = {};
  const enabled = optionalBoolean(a, 'enabled');
  if (enabled !== undefined) out.enabled = enabled;
  const exportable = optionalBoolean(a, 'exportable');
  if (exportable !== undefined) out.exportable = exportable;
  for (const key of ['nbf', 'exp'] as const) {
    const t = a[key];
    if (t === undefined || t === null) continue;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0) throw badParameter(`Property 'attributes.${key}' has invalid value: expected unix time in seconds.`);
    out[key] = t;
  }
  if (out.nbf !== undefined && out.exp !== undefined && out.nbf > out.exp) throw badParameter('The activation date (nbf) must be before the expiry date (exp).');
  return out;
}
