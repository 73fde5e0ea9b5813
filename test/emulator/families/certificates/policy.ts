import { badParameter } from '../../core/errors';
import { nowSeconds } from '../../core/ids';
import { checkSans, hasSans, parseDistinguishedName, type SubjectAlternativeNames } from './names';
import { PEM, PKCS12, type SecretContentType } from './pfx';
import { CURVE_NAMES, curveBits, KEY_USAGES, RSA_KEY_SIZES, type CertificateDetails, type CertificateProfile, type CurveName, type KeyShape } from './x509';

/** A certificate policy as Key Vault stores and returns it (snake_case wire names), without its id. */
export interface PolicyRecord {
  key_props: { exportable: boolean; kty: string; key_size?: number; crv?: CurveName; reuse_key: boolean };
  secret_props: { contentType: SecretContentType };
  x509_props: { subject?: string; sans: SubjectAlternativeNames; ekus: string[]; key_usage: string[]; validity_months: number };
  lifetime_actions: LifetimeAction[];
  issuer: { name: string; cty?: string; cert_transparency?: boolean };
  attributes: { enabled: boolean; created: number; updated: number };
}

export interface LifetimeAction {
  trigger: { lifetime_percentage?: number; days_before_expiry?: number };
  action: { action_type: 'EmailContacts' | 'AutoRenew' };
}

const KEY_TYPES = ['RSA', 'RSA-HSM', 'EC', 'EC-HSM'];
const SAN_KINDS = ['dns_names', 'emails', 'upns', 'uris', 'ipAddresses'] as const;
const SERVER_AND_CLIENT_AUTH = ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'];
export const MAX_VALIDITY_MONTHS = 1200;

type Json = Record<string, unknown>;

function object(value: unknown, path: string): Json | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw badParameter(`Property '${path}' has invalid value: expected an object.`);
  return value as Json;
}

function optional<T>(o: Json | undefined, key: string, path: string, type: 'string' | 'boolean' | 'integer'): T | undefined {
  const v = o?.[key];
  if (v === undefined || v === null) return undefined;
  const ok = type === 'integer' ? typeof v === 'number' && Number.isInteger(v) : typeof v === type;
  if (!ok) throw badParameter(`Property '${path}.${key}' has invalid value: expected ${type === 'integer' ? 'an integer' : `a ${type}`}.`);
  return v as T;
}

function stringList(o: Json | undefined, key: string, path: string): string[] | undefined {
  const v = o?.[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw badParameter(`Property '${path}.${key}' has invalid value: expected an array of strings.`);
  return v as string[];
}

/** Reads the `sans` object; each kind replaces the earlier list when present. */
function readSans(value: unknown, base: SubjectAlternativeNames): SubjectAlternativeNames {
  const o = object(value, 'x509_props.sans');
  if (!o) return base;
  const out: SubjectAlternativeNames = {};
  for (const kind of SAN_KINDS) {
    const list = stringList(o, kind, 'x509_props.sans');
    if (list && list.length > 0) out[kind] = list;
  }
  return out;
}

function readLifetimeActions(value: unknown): LifetimeAction[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw badParameter("Property 'lifetime_actions' has invalid value: expected an array.");
  return value.map((raw, i) => {
    const path = `lifetime_actions[${i}]`;
    const entry = object(raw, path) ?? {};
    const trigger = object(entry.trigger, `${path}.trigger`) ?? {};
    const action = object(entry.action, `${path}.action`) ?? {};
    const percentage = optional<number>(trigger, 'lifetime_percentage', `${path}.trigger`, 'integer');
    const days = optional<number>(trigger, 'days_before_expiry', `${path}.trigger`, 'integer');
    const type = optional<string>(action, 'action_type', `${path}.action`, 'string');
    if ((percentage === undefined) === (days === undefined)) throw badParameter(`${path}.trigger must set exactly one of lifetime_percentage and days_before_expiry.`);
    if (type !== 'EmailContacts' && type !== 'AutoRenew') throw badParameter(`${path}.action.action_type must be 'EmailContacts' or 'AutoRenew'.`);
    return { trigger: percentage !== undefined ? { lifetime_percentage: percentage } : { days_before_expiry: days! }, action: { action_type: type } };
  });
}

export interface PolicyContext {
  /** Premium vaults hold HSM-protected keys; standard ones refuse RSA-HSM and EC-HSM. */
  premium: boolean;
  /** Whether an issuer name other than Self/Unknown is configured in the vault. */
  issuerExists(name: string): boolean;
}

/**
 * Merges a policy from a request over `base` (the current policy for updates; nothing for a new certificate) and
 * applies Key Vault's defaults and checks. Throws 400 BadParameter with a precise message on any violation.
 */
export function resolvePolicy(input: unknown, base: PolicyRecord | undefined, ctx: PolicyContext, purpose: 'create' | 'import' | 'update'): PolicyRecord {
  const body = object(input, 'policy') ?? {};
  const keyIn = object(body.key_props, 'key_props');
  const secretIn = object(body.secret_props, 'secret_props');
  const x509In = object(body.x509_props, 'x509_props');
  const issuerIn = object(body.issuer, 'issuer');
  const attributesIn = object(body.attributes, 'attributes');

  const kty = optional<string>(keyIn, 'kty', 'key_props', 'string') ?? base?.key_props.kty ?? 'RSA';
  if (!KEY_TYPES.includes(kty)) throw badParameter(`key_props.kty '${kty}' is not supported for certificates; use one of ${KEY_TYPES.join(', ')}.`);
  const hsm = kty.endsWith('-HSM');
  if (hsm && !ctx.premium) throw badParameter(`key_props.kty '${kty}' needs a Premium vault: this vault's SKU is Standard, which holds software-protected keys only.`);
  const ec = kty.startsWith('EC');
  // Properties of the stored policy carry over only while they still apply to the (possibly changed) key type.
  const familyChanged = base !== undefined && base.key_props.kty.startsWith('EC') !== ec;
  const requestedCrv = optional<string>(keyIn, 'crv', 'key_props', 'string');
  const requestedSize = optional<number>(keyIn, 'key_size', 'key_props', 'integer');
  let crv: CurveName | undefined;
  let keySize: number;
  if (ec) {
    const curve = requestedCrv ?? (familyChanged ? undefined : base?.key_props.crv) ?? 'P-256';
    if (!CURVE_NAMES.includes(curve as CurveName)) throw badParameter(`key_props.crv '${curve}' is not supported; use one of ${CURVE_NAMES.join(', ')}.`);
    crv = curve as CurveName;
    keySize = curveBits(crv);
    if (requestedSize !== undefined && requestedSize !== keySize) throw badParameter(`key_props.key_size ${requestedSize} does not match curve ${crv} (${keySize} bits).`);
  } else {
    if (requestedCrv !== undefined) throw badParameter(`key_props.crv applies to EC keys only, not to ${kty}.`);
    keySize = requestedSize ?? (familyChanged ? undefined : base?.key_props.key_size) ?? 2048;
    if (!RSA_KEY_SIZES.includes(keySize)) throw badParameter(`key_props.key_size ${keySize} is not supported for RSA; use ${RSA_KEY_SIZES.join(', ')}.`);
  }
  const exportable = optional<boolean>(keyIn, 'exportable', 'key_props', 'boolean') ?? (base?.key_props.kty === kty ? base.key_props.exportable : !hsm);
  if (hsm && exportable) throw badParameter(`An exportable ${kty} key needs a key release policy; certificates with HSM-protected keys must have key_props.exportable set to false.`);
  const reuseKey = optional<boolean>(keyIn, 'reuse_key', 'key_props', 'boolean') ?? base?.key_props.reuse_key ?? false;

  const contentType = optional<string>(secretIn, 'contentType', 'secret_props', 'string') ?? base?.secret_props.contentType ?? PKCS12;
  if (contentType !== PKCS12 && contentType !== PEM) throw badParameter(`secret_props.contentType '${contentType}' is not supported; use ${PKCS12} or ${PEM}.`);

  const subject = optional<string>(x509In, 'subject', 'x509_props', 'string') ?? base?.x509_props.subject;
  const sans = readSans(x509In?.sans, base?.x509_props.sans ?? {});
  // An imported certificate's subject is what it is; only subjects Key Vault will write into a certificate are checked.
  if (purpose !== 'import' && subject !== undefined && subject.trim() !== '') parseDistinguishedName(subject);
  checkSans(sans);
  if ((subject === undefined || subject.trim() === '') && !hasSans(sans)) {
    throw badParameter('The policy needs x509_props.subject or at least one subject alternative name in x509_props.sans.');
  }
  const ekus = stringList(x509In, 'ekus', 'x509_props') ?? base?.x509_props.ekus ?? SERVER_AND_CLIENT_AUTH;
  for (const eku of ekus) if (!/^\d+(\.\d+)+$/.test(eku)) throw badParameter(`x509_props.ekus entry '${eku}' is not an object identifier (dotted digits such as 1.3.6.1.5.5.7.3.1).`);
  const keyUsage = stringList(x509In, 'key_usage', 'x509_props') ?? (base && !familyChanged ? base.x509_props.key_usage : ec ? ['digitalSignature'] : ['digitalSignature', 'keyEncipherment']);
  for (const usage of keyUsage) if (!(KEY_USAGES as readonly string[]).includes(usage)) throw badParameter(`x509_props.key_usage entry '${usage}' is not valid; use ${KEY_USAGES.join(', ')}.`);
  const validity = optional<number>(x509In, 'validity_months', 'x509_props', 'integer') ?? base?.x509_props.validity_months ?? 12;
  if (validity < 1 || validity > MAX_VALIDITY_MONTHS) throw badParameter(`x509_props.validity_months ${validity} is out of range: it must be between 1 and ${MAX_VALIDITY_MONTHS}.`);

  const issuerName = optional<string>(issuerIn, 'name', 'issuer', 'string') ?? base?.issuer.name ?? (purpose === 'import' ? 'Unknown' : undefined);
  if (!issuerName) throw badParameter("The policy needs issuer.name: 'Self', 'Unknown', or the name of an issuer configured in this vault.");
  const canonicalIssuer = /^self$/i.test(issuerName) ? 'Self' : /^unknown$/i.test(issuerName) ? 'Unknown' : issuerName;
  if (canonicalIssuer !== 'Self' && canonicalIssuer !== 'Unknown' && !ctx.issuerExists(canonicalIssuer)) {
    throw badParameter(`Issuer '${issuerName}' is not configured in this vault. Use 'Self', 'Unknown', or create the issuer first (PUT /certificates/issuers/${issuerName}).`);
  }
  const cty = optional<string>(issuerIn, 'cty', 'issuer', 'string') ?? base?.issuer.cty;
  const transparency = optional<boolean>(issuerIn, 'cert_transparency', 'issuer', 'boolean') ?? base?.issuer.cert_transparency;

  const lifetimeActions = readLifetimeActions(body.lifetime_actions) ?? base?.lifetime_actions ?? [
    { trigger: { lifetime_percentage: 80 }, action: { action_type: canonicalIssuer === 'Unknown' ? 'EmailContacts' : 'AutoRenew' } },
  ];
  for (const action of lifetimeActions) {
    const days = action.trigger.days_before_expiry;
    if (action.trigger.lifetime_percentage !== undefined && (action.trigger.lifetime_percentage < 1 || action.trigger.lifetime_percentage > 99)) {
      throw badParameter('lifetime_actions trigger.lifetime_percentage must be between 1 and 99.');
    }
    if (days !== undefined && (days < 1 || days > validity * 27)) throw badParameter(`lifetime_actions trigger.days_before_expiry must be between 1 and ${validity * 27} (validity_months × 27).`);
    if (action.action.action_type === 'AutoRenew' && canonicalIssuer === 'Unknown') {
      throw badParameter("A policy with issuer 'Unknown' cannot use the 'AutoRenew' lifetime action: nobody can issue the renewed certificate. Use 'EmailContacts'.");
    }
  }

  const now = nowSeconds();
  const enabled = optional<boolean>(attributesIn, 'enabled', 'attributes', 'boolean') ?? base?.attributes.enabled ?? true;
  return {
    key_props: { exportable, kty, key_size: keySize, ...(crv ? { crv } : {}), reuse_key: reuseKey },
    secret_props: { contentType },
    x509_props: { ...(subject !== undefined ? { subject } : {}), sans, ekus, key_usage: keyUsage, validity_months: validity },
    lifetime_actions: lifetimeActions,
    issuer: { name: canonicalIssuer, ...(cty !== undefined ? { cty } : {}), ...(transparency !== undefined ? { cert_transparency: transparency } : {}) },
    attributes: { enabled, created: base?.attributes.created ?? now, updated: now },
  };
}

/** What the policy asks for in the certificate itself. */
export function profileOf(policy: PolicyRecord): CertificateProfile {
  const subject = policy.x509_props.subject?.trim() ? parseDistinguishedName(policy.x509_props.subject) : [];
  return { subject, sans: policy.x509_props.sans, keyUsage: policy.x509_props.key_usage, ekus: policy.x509_props.ekus };
}

export const keyShapeOfPolicy = (policy: PolicyRecord): KeyShape =>
  policy.key_props.kty.startsWith('EC') ? { kty: 'EC', crv: policy.key_props.crv ?? 'P-256' } : { kty: 'RSA', keySize: policy.key_props.key_size ?? 2048 };

/** Whole months between two unix times, at least 1 (an imported certificate's validity_months). */
function monthsBetween(from: number, to: number): number {
  const a = new Date(from * 1000);
  const b = new Date(to * 1000);
  const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  return Math.min(MAX_VALIDITY_MONTHS, Math.max(1, months));
}

/**
 * The policy of an imported certificate: x509 and key properties come from the certificate and its key, the rest
 * from the request's policy (when given) or Key Vault's import defaults (issuer Unknown, EmailContacts at 80%).
 */
export function importedPolicy(requested: unknown, details: CertificateDetails, key: KeyShape, detectedContentType: SecretContentType, ctx: PolicyContext): PolicyRecord {
  const body = object(requested, 'policy') ?? {};
  const keyIn = object(body.key_props, 'key_props') ?? {};
  const secretIn = object(body.secret_props, 'secret_props') ?? {};
  const kty = typeof keyIn.kty === 'string' && keyIn.kty.endsWith('-HSM') ? `${key.kty}-HSM` : key.kty;
  const merged = {
    ...body,
    key_props: { ...keyIn, kty, ...(key.crv ? { crv: key.crv } : {}) },
    secret_props: { contentType: secretIn.contentType ?? detectedContentType },
    x509_props: {
      ...(details.subject.length > 0 ? { subject: details.subjectText } : {}),
      sans: details.sans,
      ekus: details.ekus,
      key_usage: details.keyUsage,
      validity_months: monthsBetween(details.notBefore, details.notAfter),
    },
  };
  if (key.kty === 'RSA') delete (merged.key_props as Json).crv;
  delete (merged.key_props as Json).key_size;
  const policy = resolvePolicy(merged, undefined, ctx, 'import');
  // The size is the imported key's, including sizes Key Vault would not generate itself.
  policy.key_props.key_size = key.keySize;
  return policy;
}

export function policyOut(policy: PolicyRecord, id: string): Record<string, unknown> {
  const { x509_props, issuer, ...rest } = policy;
  return { id, ...rest, x509_props: { ...x509_props, sans: { ...x509_props.sans } }, issuer: { ...issuer } };
}
