// Pure: no 'vscode'. The rules of a new key, shared by the quick input (simple path) and the Create Key form (full
// path): each problem is reported against the field it belongs to, before anything is sent. The service layer checks
// the same request again; these messages are the friendlier, per-field version.
import { AES_KEY_SIZES, KEY_CURVES, RSA_KEY_SIZES, type CreateKeyOptions, type KeyCurveName, type KeyOperation, type KeyType } from '../../keyvault/models/keys';
import { FORM_KEY_OPS, type CreateKeyFormData, type CreateKeyInit, type KeyFamilyChoice, type Protection } from './protocol';

export const MAX_TAGS = 15;

/** An inline message for a key name, or undefined when Key Vault will accept it. */
export function validateKeyName(name: string): string | undefined {
  if (name.length === 0) return 'Enter a name: letters, digits and dashes, up to 127 characters.';
  if (name.length > 127) return `Too long (${name.length} characters): at most 127.`;
  const bad = [...new Set(name.replace(/[0-9a-zA-Z-]/g, ''))];
  if (bad.length > 0) return `Only letters, digits and dashes are allowed (not ${bad.map((c) => (c === ' ' ? 'space' : `'${c}'`)).join(', ')}).`;
  return undefined;
}

export const DEFAULT_OPS: Record<KeyFamilyChoice, KeyOperation[]> = {
  RSA: ['sign', 'verify', 'encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
  EC: ['sign', 'verify'],
  oct: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
};

/** What each family can do at all (an EC key cannot encrypt, an AES key cannot sign). */
export const ALLOWED_OPS: Record<KeyFamilyChoice, KeyOperation[]> = DEFAULT_OPS;

/** Families a container holds: vaults RSA and EC; Managed HSMs also oct (AES). */
export function familiesFor(kind: 'vault' | 'hsm'): KeyFamilyChoice[] {
  return kind === 'hsm' ? ['RSA', 'EC', 'oct'] : ['RSA', 'EC'];
}

/** A vault's pricing tier as discovery reports its SKU; 'unknown' for a vault added by URL or read without ARM access. */
export type VaultTier = 'standard' | 'premium' | 'unknown';

export function vaultTier(sku: string | undefined): VaultTier {
  const s = sku?.toLowerCase();
  return s === 'premium' ? 'premium' : s === 'standard' ? 'standard' : 'unknown';
}

/**
 * Managed HSMs hold hardware keys only; vaults hold software keys, and HSM-protected ones on the Premium tier only.
 * When the tier is unknown both are offered: offering less could hide what a Premium vault can do, and Key Vault
 * refuses an HSM key in a Standard vault anyway.
 */
export function protectionsFor(kind: 'vault' | 'hsm', tier: VaultTier = 'unknown'): Protection[] {
  if (kind === 'hsm') return ['hsm'];
  return tier === 'standard' ? ['software'] : ['software', 'hsm'];
}

export const RELEASE_POLICY_EXAMPLE = JSON.stringify(
  {
    version: '1.0.0',
    anyOf: [
      {
        authority: 'https://sharedeus.eus.attest.azure.net',
        allOf: [{ claim: 'x-ms-attestation-type', equals: 'sevsnpvm' }],
      },
    ],
  },
  null,
  2,
);

export function initFor(
  container: { name: string; host: string; kind: 'vault' | 'hsm' },
  prefill?: Partial<CreateKeyFormData>,
  protection: { tier?: VaultTier; note?: string } = {},
): CreateKeyInit {
  return {
    type: 'init',
    container,
    families: familiesFor(container.kind),
    protections: protectionsFor(container.kind, protection.tier),
    ...(protection.note ? { protectionNote: protection.note } : {}),
    rsaSizes: [...RSA_KEY_SIZES],
    aesSizes: [...AES_KEY_SIZES],
    curves: [...KEY_CURVES],
    defaultOps: DEFAULT_OPS,
    allowedOps: ALLOWED_OPS,
    ...(prefill ? { prefill } : {}),
    releasePolicyExample: RELEASE_POLICY_EXAMPLE,
  };
}

export type FormResult = { ok: true; name: string; options: CreateKeyOptions } | { ok: false; fields: Record<string, string> };

function parseInstant(text: string | undefined): Date | undefined | 'bad' {
  if (text === undefined || text.trim() === '') return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? 'bad' : d;
}

/**
 * Turns the form into CreateKeyOptions, or per-field problems. `now` decides whether an expiry is in the past; `tier`
 * whether a vault may hold HSM-protected keys.
 */
export function formToCreateOptions(form: CreateKeyFormData, kind: 'vault' | 'hsm', now: number, tier: VaultTier = 'unknown'): FormResult {
  const fields: Record<string, string> = {};
  const name = form.name.trim();
  const nameProblem = validateKeyName(name);
  if (nameProblem) fields.name = nameProblem;

  if (!familiesFor(kind).includes(form.family)) {
    fields.family = form.family === 'oct' ? 'Symmetric (AES) keys live in a Managed HSM; vaults hold RSA and EC keys.' : `Choose RSA or EC.`;
  }
  if (!protectionsFor(kind, tier).includes(form.protection)) {
    fields.protection = kind === 'hsm' ? 'A Managed HSM holds hardware-protected keys only.' : 'A Standard vault holds software-protected keys only: HSM protection needs the Premium tier.';
  }
  const hsm = kind === 'hsm' || form.protection === 'hsm' || form.family === 'oct';
  const kty = `${form.family}${hsm ? '-HSM' : ''}` as KeyType;

  const options: CreateKeyOptions = { kty };
  if (form.family === 'RSA') {
    const size = form.keySize ?? 2048;
    if (!(RSA_KEY_SIZES as readonly number[]).includes(size)) fields.keySize = `RSA keys are ${RSA_KEY_SIZES.join(', ')} bits.`;
    else options.keySize = size;
  } else if (form.family === 'oct') {
    const size = form.keySize ?? 256;
    if (!(AES_KEY_SIZES as readonly number[]).includes(size)) fields.keySize = `AES keys are ${AES_KEY_SIZES.join(', ')} bits.`;
    else options.keySize = size;
  } else {
    const curve = form.curve ?? 'P-256';
    if (!(KEY_CURVES as readonly string[]).includes(curve)) fields.curve = `Choose one of ${KEY_CURVES.join(', ')}.`;
    else options.curve = curve as KeyCurveName;
  }

  const allowed = ALLOWED_OPS[form.family] ?? [];
  const ops = [...new Set(form.keyOps)];
  const unknown = ops.filter((o) => !(FORM_KEY_OPS as readonly string[]).includes(o));
  const misfit = ops.filter((o) => (FORM_KEY_OPS as readonly string[]).includes(o) && !allowed.includes(o as KeyOperation));
  if (ops.length === 0) fields.keyOps = 'Choose at least one operation: a key that permits none cannot be used.';
  else if (unknown.length) fields.keyOps = `Unknown operation(s): ${unknown.join(', ')}.`;
  else if (misfit.length) fields.keyOps = `${form.family === 'EC' ? 'An EC' : form.family === 'oct' ? 'An AES' : 'An RSA'} key cannot ${misfit.join(', ')}: choose from ${allowed.join(', ')}.`;
  else options.keyOps = ops as KeyOperation[];

  const notBefore = parseInstant(form.notBefore);
  const expiresOn = parseInstant(form.expiresOn);
  if (notBefore === 'bad') fields.notBefore = 'Not a valid date and time.';
  if (expiresOn === 'bad') fields.expiresOn = 'Not a valid date and time.';
  if (expiresOn instanceof Date && expiresOn.getTime() <= now) fields.expiresOn = 'The expiration date is in the past: the key could not be used.';
  if (notBefore instanceof Date && expiresOn instanceof Date && notBefore.getTime() >= expiresOn.getTime()) fields.expiresOn = 'The expiration must come after the activation date.';
  const attributes: NonNullable<CreateKeyOptions['attributes']> = {};
  if (!form.enabled) attributes.enabled = false;
  if (notBefore instanceof Date) attributes.notBefore = notBefore;
  if (expiresOn instanceof Date) attributes.expiresOn = expiresOn;

  // A Map, so tags named __proto__ or constructor are tags like any other (an object would drop or refuse them).
  const tags = new Map<string, string>();
  const filled = form.tags.filter((t) => t.name.trim() || t.value.trim());
  if (filled.length > MAX_TAGS) fields.tags = `A key has at most ${MAX_TAGS} tags; there are ${filled.length}.`;
  for (const t of filled) {
    const tagName = t.name.trim();
    if (!tagName) fields.tags ??= `The tag with value '${t.value.slice(0, 20)}' has no name.`;
    else if (tagName.length > 512) fields.tags ??= `Tag names are at most 512 characters ('${tagName.slice(0, 20)}…').`;
    else if (t.value.length > 256) fields.tags ??= `The value of tag '${tagName}' is longer than 256 characters.`;
    else if (tags.has(tagName)) fields.tags ??= `Tag '${tagName}' appears twice.`;
    else tags.set(tagName, t.value);
  }
  if (tags.size) options.tags = Object.fromEntries(tags);

  if (form.exportable) {
    if (!hsm) fields.exportable = 'Only hardware-protected keys can be exportable: choose HSM protection.';
    attributes.exportable = true;
    const text = form.releasePolicy?.trim() ?? '';
    if (!text) {
      fields.releasePolicy = 'An exportable key needs a release policy: who may receive it (attestation authority and claims).';
    } else {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (err) {
        fields.releasePolicy = `Not valid JSON${err instanceof SyntaxError ? `: ${err.message.slice(0, 120)}` : ''}.`;
      }
      if (doc !== undefined) {
        if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || (!('anyOf' in doc) && !('allOf' in doc))) {
          fields.releasePolicy = 'A release policy is a JSON object with an anyOf or allOf rule set (see the example).';
        } else {
          options.releasePolicy = { encodedPolicy: new TextEncoder().encode(text), contentType: 'application/json; charset=utf-8', ...(form.releasePolicyImmutable ? { immutable: true } : {}) };
        }
      }
    }
  }
  if (Object.keys(attributes).length) options.attributes = attributes;

  if (Object.keys(fields).length) return { ok: false, fields };
  return { ok: true, name, options };
}

/** "RSA 2048-bit, HSM-protected" for messages. */
export function describeNewKey(options: CreateKeyOptions): string {
  const family = options.kty.replace(/-HSM$/, '');
  const size = family === 'EC' ? (options.curve ?? 'P-256') : family === 'oct' ? `AES ${options.keySize ?? 256}-bit` : `${options.keySize ?? 2048}-bit`;
  return `${family === 'oct' ? '' : `${family} `}${size}${options.kty.endsWith('-HSM') ? ', HSM-protected' : ''}`.trim();
}
