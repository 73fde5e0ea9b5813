// The Create Certificate form as the page holds it, and its defensive parser. Browser-safe (no Node, no 'vscode',
// no service imports): the page bundles it too. Checking and building the policy is form.ts (host side).
import type { CertificateKeyCurveName, CertificateKeyType, KeyUsageType } from '../../keyvault/models/certificates';

export const CURVES: readonly CertificateKeyCurveName[] = ['P-256', 'P-384', 'P-521', 'P-256K'];
export const RSA_KEY_SIZES: readonly number[] = [2048, 3072, 4096];
export const KEY_USAGES: readonly KeyUsageType[] = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];
export const KEY_TYPES: readonly CertificateKeyType[] = ['RSA', 'EC', 'RSA-HSM', 'EC-HSM'];
export const LIFETIME_ACTIONS = ['none', 'AutoRenew', 'EmailContacts'] as const;
export const LIFETIME_TRIGGERS = ['daysBeforeExpiry', 'lifetimePercentage'] as const;
export const CONTENT_TYPES = ['PFX', 'PEM'] as const;

/** Extended key usages offered as checkboxes; others can be typed as OIDs. */
export const COMMON_EKUS: readonly { oid: string; label: string }[] = [
  { oid: '1.3.6.1.5.5.7.3.1', label: 'Server authentication' },
  { oid: '1.3.6.1.5.5.7.3.2', label: 'Client authentication' },
  { oid: '1.3.6.1.5.5.7.3.3', label: 'Code signing' },
  { oid: '1.3.6.1.5.5.7.3.4', label: 'Email protection' },
];

export interface TagRow {
  key: string;
  value: string;
}

/** Every field as the page holds it: strings for what the user types, so nothing is lost while typing. */
export interface CreateCertificateForm {
  name: string;
  subject: string;
  /** DNS names, one per line (commas and spaces also separate). */
  dnsNames: string;
  validityMonths: string;
  keyType: CertificateKeyType;
  keySize: string;
  curve: CertificateKeyCurveName;
  reuseKey: boolean;
  exportable: boolean;
  contentType: (typeof CONTENT_TYPES)[number];
  /** `Self`, `Unknown`, or the name of an issuer configured in the vault. */
  issuer: string;
  /** For configured issuers that offer several (e.g. OV-SSL); empty otherwise. */
  certificateType: string;
  lifetimeAction: (typeof LIFETIME_ACTIONS)[number];
  lifetimeTrigger: (typeof LIFETIME_TRIGGERS)[number];
  lifetimeValue: string;
  keyUsage: KeyUsageType[];
  ekus: string[];
  tags: TagRow[];
  enabled: boolean;
}

export type FormField = keyof CreateCertificateForm | 'form';

export const DEFAULT_FORM: CreateCertificateForm = {
  name: '',
  subject: '',
  dnsNames: '',
  validityMonths: '12',
  keyType: 'RSA',
  keySize: '2048',
  curve: 'P-256',
  reuseKey: false,
  exportable: true,
  contentType: 'PFX',
  issuer: 'Self',
  certificateType: '',
  lifetimeAction: 'AutoRenew',
  lifetimeTrigger: 'lifetimePercentage',
  lifetimeValue: '80',
  keyUsage: [],
  ekus: [],
  tags: [],
  enabled: true,
};

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const MAX_TEXT = 10_000;
const str = (x: unknown, fallback: string): string => (typeof x === 'string' && x.length <= MAX_TEXT ? x : fallback);
const bool = (x: unknown, fallback: boolean): boolean => (typeof x === 'boolean' ? x : fallback);
function oneOf<T extends string>(x: unknown, allowed: readonly T[], fallback: T): T {
  return typeof x === 'string' && (allowed as readonly string[]).includes(x) ? (x as T) : fallback;
}

/**
 * A form from untrusted page data: unknown fields dropped, wrong types replaced by defaults, sizes bounded.
 * Undefined when it is not an object at all.
 */
export function parseForm(x: unknown): CreateCertificateForm | undefined {
  if (!isObject(x)) return undefined;
  const d = DEFAULT_FORM;
  const tags = Array.isArray(x.tags) ? x.tags.slice(0, 50).filter(isObject).map((t) => ({ key: str(t.key, ''), value: str(t.value, '') })) : [];
  return {
    name: str(x.name, d.name),
    subject: str(x.subject, d.subject),
    dnsNames: str(x.dnsNames, d.dnsNames),
    validityMonths: str(x.validityMonths, d.validityMonths),
    keyType: oneOf(x.keyType, KEY_TYPES, d.keyType),
    keySize: str(x.keySize, d.keySize),
    curve: oneOf(x.curve, CURVES, d.curve),
    reuseKey: bool(x.reuseKey, d.reuseKey),
    exportable: bool(x.exportable, d.exportable),
    contentType: oneOf(x.contentType, CONTENT_TYPES, d.contentType),
    issuer: str(x.issuer, d.issuer),
    certificateType: str(x.certificateType, d.certificateType),
    lifetimeAction: oneOf(x.lifetimeAction, LIFETIME_ACTIONS, d.lifetimeAction),
    lifetimeTrigger: oneOf(x.lifetimeTrigger, LIFETIME_TRIGGERS, d.lifetimeTrigger),
    lifetimeValue: str(x.lifetimeValue, d.lifetimeValue),
    keyUsage: Array.isArray(x.keyUsage) ? [...new Set(x.keyUsage.filter((u): u is KeyUsageType => typeof u === 'string' && (KEY_USAGES as readonly string[]).includes(u)))] : [],
    ekus: Array.isArray(x.ekus) ? [...new Set(x.ekus.filter((e): e is string => typeof e === 'string' && e.length <= 200))].slice(0, 20) : [],
    tags,
    enabled: bool(x.enabled, d.enabled),
  };
}

/** DNS names as typed: one per line, or separated by commas, semicolons or spaces; blanks dropped. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
