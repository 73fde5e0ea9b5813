import { KeyVaultError } from '../errors';
import { attributesFromWire, type WireAttributes } from '../models/common';
import type {
  CertificateContentType,
  CertificateKeyCurveName,
  CertificatePolicy,
  CertificatePolicyOptions,
  KeyUsageType,
  LifetimeAction,
  SubjectAlternativeNames,
} from '../models/certificates';
import { checkSubjectAlternativeNames, hasAnySan, parseSubject } from './names';

/** The policy as certificates.json spells it on the wire. */
export interface WirePolicy {
  id?: string;
  key_props?: { exportable?: boolean; kty?: string; key_size?: number; reuse_key?: boolean; crv?: string };
  secret_props?: { contentType?: string };
  x509_props?: {
    subject?: string;
    ekus?: string[];
    sans?: { emails?: string[]; dns_names?: string[]; upns?: string[]; uris?: string[]; ipAddresses?: string[] };
    key_usage?: string[];
    validity_months?: number;
  };
  lifetime_actions?: { trigger?: { lifetime_percentage?: number; days_before_expiry?: number }; action?: { action_type?: string } }[];
  issuer?: { name?: string; cty?: string; cert_transparency?: boolean };
  attributes?: WireAttributes;
}

export const RSA_KEY_SIZES: readonly number[] = [2048, 3072, 4096];
export const CURVES: readonly CertificateKeyCurveName[] = ['P-256', 'P-384', 'P-521', 'P-256K'];
const CURVE_BITS: Record<CertificateKeyCurveName, number> = { 'P-256': 256, 'P-384': 384, 'P-521': 521, 'P-256K': 256 };
export const KEY_USAGES: readonly KeyUsageType[] = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];
const KEY_TYPES = ['RSA', 'RSA-HSM', 'EC', 'EC-HSM'];
export const PKCS12: CertificateContentType = 'application/x-pkcs12';
export const PEM: CertificateContentType = 'application/x-pem-file';
/** Self-signed certificates may last up to 100 years; CAs allow far less, and say so themselves. */
export const MAX_VALIDITY_MONTHS = 1200;
const ISSUER_NAME = /^[0-9a-zA-Z-]{1,127}$/;
const DOTTED_OID = /^[0-2](\.\d+)+$/;

const bad = (message: string, hint?: string): KeyVaultError => new KeyVaultError({ kind: 'bad-request', message, ...(hint ? { hint } : {}) });

/** PFX/PEM (friendly) or a MIME type → the MIME type Key Vault stores. */
export function contentTypeOf(value: CertificatePolicyOptions['contentType']): CertificateContentType {
  if (value === undefined || value === 'PFX' || value === PKCS12) return PKCS12;
  if (value === 'PEM' || value === PEM) return PEM;
  throw bad(`Content type '${String(value)}' is not supported.`, 'Use PFX (application/x-pkcs12) or PEM (application/x-pem-file).');
}

/**
 * Builds a complete policy from friendly options, with Key Vault's defaults filled in (RSA 2048, exportable, PFX,
 * 12 months, issuer Self), and validates it. Throws KeyVaultError bad-request naming the first problem.
 */
export function buildCertificatePolicy(options: CertificatePolicyOptions): CertificatePolicy {
  const keyType = options.keyType ?? (options.curve ? 'EC' : 'RSA');
  const isEc = keyType === 'EC' || keyType === 'EC-HSM';
  const sans: SubjectAlternativeNames = {};
  if (options.dnsNames?.length) sans.dnsNames = [...options.dnsNames];
  if (options.emails?.length) sans.emails = [...options.emails];
  if (options.upns?.length) sans.upns = [...options.upns];
  if (options.uris?.length) sans.uris = [...options.uris];
  if (options.ipAddresses?.length) sans.ipAddresses = [...options.ipAddresses];
  const policy: CertificatePolicy = {
    keyProperties: {
      keyType,
      ...(isEc ? { curve: options.curve ?? 'P-256' } : { keySize: options.keySize ?? 2048 }),
      // Kept so that validation refuses a size or curve that does not fit the key type, rather than dropping it.
      ...(isEc && options.keySize !== undefined ? { keySize: options.keySize } : {}),
      ...(!isEc && options.curve !== undefined ? { curve: options.curve } : {}),
      // HSM-protected keys never leave the HSM, so they cannot be exportable.
      exportable: options.exportable ?? !keyType.endsWith('-HSM'),
      reuseKey: options.reuseKey ?? false,
    },
    secretProperties: { contentType: contentTypeOf(options.contentType) },
    x509Properties: {
      ...(options.subject !== undefined ? { subject: options.subject.trim() } : {}),
      ...(hasAnySan(sans) ? { subjectAlternativeNames: sans } : {}),
      ...(options.keyUsage?.length ? { keyUsage: [...options.keyUsage] } : {}),
      ...(options.ekus?.length ? { ekus: [...options.ekus] } : {}),
      validityInMonths: options.validityInMonths ?? 12,
    },
    lifetimeActions: options.lifetimeAction ? [{ ...options.lifetimeAction }] : [],
    issuer: {
      name: options.issuer ?? 'Self',
      ...(options.certificateType !== undefined ? { certificateType: options.certificateType } : {}),
      ...(options.certificateTransparency !== undefined ? { certificateTransparency: options.certificateTransparency } : {}),
    },
  };
  validateCertificatePolicy(policy, { forCreate: true });
  return policy;
}

/**
 * Checks a policy the way Key Vault would, before anything is sent. `forCreate` also requires what a new
 * certificate needs (a subject or SANs, an issuer).
 */
export function validateCertificatePolicy(policy: CertificatePolicy, { forCreate = false }: { forCreate?: boolean } = {}): void {
  const k = policy.keyProperties;
  if (k.keyType !== undefined && !KEY_TYPES.includes(k.keyType)) {
    throw bad(`Key type '${k.keyType}' cannot back a certificate.`, 'Certificates use RSA, RSA-HSM, EC or EC-HSM keys.');
  }
  const isEc = k.keyType === 'EC' || k.keyType === 'EC-HSM' || (k.keyType === undefined && k.curve !== undefined);
  if (isEc) {
    if (k.curve !== undefined && !(CURVES as readonly string[]).includes(k.curve)) throw bad(`Curve '${k.curve}' is not supported.`, `Use one of ${CURVES.join(', ')}.`);
    const bits = k.curve ? CURVE_BITS[k.curve as CertificateKeyCurveName] : undefined;
    if (k.keySize !== undefined && bits !== undefined && k.keySize !== bits) throw bad(`Key size ${k.keySize} does not match curve ${k.curve} (${bits} bits).`, 'Leave the key size out for EC keys; the curve sets it.');
  } else {
    if (k.curve !== undefined) throw bad(`A curve (${k.curve}) applies only to EC keys, not ${k.keyType ?? 'RSA'}.`);
    if (k.keySize !== undefined && !RSA_KEY_SIZES.includes(k.keySize)) throw bad(`RSA key size ${k.keySize} is not supported.`, `Use ${RSA_KEY_SIZES.join(', ')} bits.`);
  }
  if (k.exportable && k.keyType?.endsWith('-HSM')) throw bad(`A ${k.keyType} key cannot be exportable: HSM-protected keys never leave the HSM.`, `Use ${k.keyType.replace('-HSM', '')} for an exportable key.`);

  const ct = policy.secretProperties.contentType;
  if (ct !== undefined && ct !== PKCS12 && ct !== PEM) throw bad(`Content type '${ct}' is not supported.`, 'Use application/x-pkcs12 (PFX) or application/x-pem-file (PEM).');

  const x = policy.x509Properties;
  if (x.subject !== undefined && x.subject !== '') parseSubject(x.subject);
  if (x.subjectAlternativeNames) checkSubjectAlternativeNames(x.subjectAlternativeNames);
  if (forCreate && !x.subject && !hasAnySan(x.subjectAlternativeNames)) {
    throw bad('A certificate needs a subject or at least one subject alternative name.', 'For example CN=www.contoso.com, or a DNS name.');
  }
  if (x.validityInMonths !== undefined && (!Number.isInteger(x.validityInMonths) || x.validityInMonths < 1 || x.validityInMonths > MAX_VALIDITY_MONTHS)) {
    throw bad(`Validity of ${x.validityInMonths} months is not allowed.`, `Give a whole number of months from 1 to ${MAX_VALIDITY_MONTHS}.`);
  }
  for (const u of x.keyUsage ?? []) if (!(KEY_USAGES as readonly string[]).includes(u)) throw bad(`'${u}' is not a key usage.`, `Key usages: ${KEY_USAGES.join(', ')}.`);
  for (const eku of x.ekus ?? []) if (!DOTTED_OID.test(eku)) throw bad(`Extended key usage '${eku}' is not an OID.`, 'For example 1.3.6.1.5.5.7.3.1 (server authentication) or 1.3.6.1.5.5.7.3.2 (client authentication).');

  const issuerName = policy.issuer.name;
  if (forCreate && !issuerName) throw bad('A certificate needs an issuer: Self, Unknown, or the name of an issuer in this vault.');
  if (issuerName !== undefined && !ISSUER_NAME.test(issuerName)) throw bad(`'${issuerName}' is not a valid issuer name.`, 'Issuer names are 1-127 letters, digits and dashes.');

  validateLifetimeActions(policy.lifetimeActions, x.validityInMonths, issuerName);
}

function validateLifetimeActions(actions: LifetimeAction[], validityInMonths: number | undefined, issuerName: string | undefined): void {
  // Key Vault keeps one lifetime action per policy.
  if (actions.length > 1) throw bad('A certificate policy takes one lifetime action.', 'Choose either auto-renew or emailing the contacts.');
  for (const a of actions) {
    if (a.action !== 'AutoRenew' && a.action !== 'EmailContacts') throw bad(`Lifetime action '${String(a.action)}' is not supported.`, 'Use AutoRenew or EmailContacts.');
    const hasDays = a.daysBeforeExpiry !== undefined;
    const hasPct = a.lifetimePercentage !== undefined;
    if (hasDays === hasPct) throw bad('A lifetime action needs exactly one trigger: days before expiry, or a percentage of the lifetime.');
    if (hasPct && (!Number.isInteger(a.lifetimePercentage) || a.lifetimePercentage! < 1 || a.lifetimePercentage! > 99)) {
      throw bad(`Lifetime percentage ${a.lifetimePercentage} is out of range.`, 'Give a whole percentage from 1 to 99.');
    }
    if (hasDays) {
      // Key Vault counts 27 days per month of validity for this limit (certificates.json, Trigger).
      const max = (validityInMonths ?? 12) * 27;
      if (!Number.isInteger(a.daysBeforeExpiry) || a.daysBeforeExpiry! < 1 || a.daysBeforeExpiry! > max) {
        throw bad(`${a.daysBeforeExpiry} days before expiry is out of range: give a whole number from 1 to ${max}.`, 'Key Vault allows up to 27 days per month of validity.');
      }
    }
    if (a.action === 'AutoRenew' && issuerName?.toLowerCase() === 'unknown') {
      throw bad('Certificates with issuer Unknown cannot renew themselves.', 'Use the EmailContacts lifetime action and renew by merging a newly signed certificate.');
    }
  }
}

export function policyToWire(policy: CertificatePolicy): WirePolicy {
  const k = policy.keyProperties;
  const x = policy.x509Properties;
  const wire: WirePolicy = {};
  const keyProps: NonNullable<WirePolicy['key_props']> = {};
  if (k.keyType !== undefined) keyProps.kty = k.keyType;
  if (k.keySize !== undefined) keyProps.key_size = k.keySize;
  if (k.curve !== undefined) keyProps.crv = k.curve;
  if (k.exportable !== undefined) keyProps.exportable = k.exportable;
  if (k.reuseKey !== undefined) keyProps.reuse_key = k.reuseKey;
  if (Object.keys(keyProps).length) wire.key_props = keyProps;
  if (policy.secretProperties.contentType !== undefined) wire.secret_props = { contentType: policy.secretProperties.contentType };
  const x509: NonNullable<WirePolicy['x509_props']> = {};
  if (x.subject !== undefined) x509.subject = x.subject;
  if (x.subjectAlternativeNames && hasAnySan(x.subjectAlternativeNames)) {
    const s = x.subjectAlternativeNames;
    x509.sans = {
      ...(s.dnsNames?.length ? { dns_names: s.dnsNames } : {}),
      ...(s.emails?.length ? { emails: s.emails } : {}),
      ...(s.upns?.length ? { upns: s.upns } : {}),
      ...(s.uris?.length ? { uris: s.uris } : {}),
      ...(s.ipAddresses?.length ? { ipAddresses: s.ipAddresses } : {}),
    };
  }
  if (x.keyUsage) x509.key_usage = x.keyUsage;
  if (x.ekus) x509.ekus = x.ekus;
  if (x.validityInMonths !== undefined) x509.validity_months = x.validityInMonths;
  if (Object.keys(x509).length) wire.x509_props = x509;
  wire.lifetime_actions = policy.lifetimeActions.map((a) => ({
    trigger: a.daysBeforeExpiry !== undefined ? { days_before_expiry: a.daysBeforeExpiry } : { lifetime_percentage: a.lifetimePercentage! },
    action: { action_type: a.action },
  }));
  const issuer: NonNullable<WirePolicy['issuer']> = {};
  if (policy.issuer.name !== undefined) issuer.name = policy.issuer.name;
  if (policy.issuer.certificateType !== undefined) issuer.cty = policy.issuer.certificateType;
  if (policy.issuer.certificateTransparency !== undefined) issuer.cert_transparency = policy.issuer.certificateTransparency;
  if (Object.keys(issuer).length) wire.issuer = issuer;
  if (policy.attributes) wire.attributes = { enabled: policy.attributes.enabled };
  return wire;
}

export function policyFromWire(w: WirePolicy): CertificatePolicy {
  const k = w.key_props ?? {};
  const x = w.x509_props ?? {};
  const policy: CertificatePolicy = {
    keyProperties: {
      ...(k.kty !== undefined ? { keyType: k.kty } : {}),
      ...(k.key_size !== undefined ? { keySize: k.key_size } : {}),
      ...(k.crv !== undefined ? { curve: k.crv } : {}),
      ...(k.exportable !== undefined ? { exportable: k.exportable } : {}),
      ...(k.reuse_key !== undefined ? { reuseKey: k.reuse_key } : {}),
    },
    secretProperties: w.secret_props?.contentType !== undefined ? { contentType: w.secret_props.contentType } : {},
    x509Properties: {
      ...(x.subject !== undefined ? { subject: x.subject } : {}),
      ...(x.sans ? { subjectAlternativeNames: sansFromWire(x.sans) } : {}),
      ...(x.ekus ? { ekus: [...x.ekus] } : {}),
      ...(x.key_usage ? { keyUsage: [...x.key_usage] } : {}),
      ...(x.validity_months !== undefined ? { validityInMonths: x.validity_months } : {}),
    },
    lifetimeActions: (w.lifetime_actions ?? []).map((a) => ({
      action: (a.action?.action_type ?? 'EmailContacts') as LifetimeAction['action'],
      ...(a.trigger?.days_before_expiry !== undefined ? { daysBeforeExpiry: a.trigger.days_before_expiry } : {}),
      ...(a.trigger?.lifetime_percentage !== undefined ? { lifetimePercentage: a.trigger.lifetime_percentage } : {}),
    })),
    issuer: {
      ...(w.issuer?.name !== undefined ? { name: w.issuer.name } : {}),
      ...(w.issuer?.cty !== undefined ? { certificateType: w.issuer.cty } : {}),
      ...(w.issuer?.cert_transparency !== undefined ? { certificateTransparency: w.issuer.cert_transparency } : {}),
    },
  };
  if (w.id) policy.id = w.id;
  if (w.attributes) policy.attributes = attributesFromWire(w.attributes);
  return policy;
}

function sansFromWire(s: NonNullable<NonNullable<WirePolicy['x509_props']>['sans']>): SubjectAlternativeNames {
  return {
    ...(s.dns_names ? { dnsNames: [...s.dns_names] } : {}),
    ...(s.emails ? { emails: [...s.emails] } : {}),
    ...(s.upns ? { upns: [...s.upns] } : {}),
    ...(s.uris ? { uris: [...s.uris] } : {}),
    ...(s.ipAddresses ? { ipAddresses: [...s.ipAddresses] } : {}),
  };
}
