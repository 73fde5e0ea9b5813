import { isIP } from 'node:net';
import { badParameter } from '../../core/errors';

/** One attribute of a distinguished name, in DER order. */
export interface DnAttribute {
  oid: string;
  value: string;
}

type ValueTag = 'utf8' | 'printable' | 'ia5';

interface DnKey {
  oid: string;
  label: string;
  tag: ValueTag;
}

// The labels .NET's X500DistinguishedName (and so Key Vault) reads and writes; "S" is its name for the state.
const KEYS: DnKey[] = [
  { oid: '2.5.4.3', label: 'CN', tag: 'utf8' },
  { oid: '2.5.4.10', label: 'O', tag: 'utf8' },
  { oid: '2.5.4.11', label: 'OU', tag: 'utf8' },
  { oid: '2.5.4.7', label: 'L', tag: 'utf8' },
  { oid: '2.5.4.8', label: 'S', tag: 'utf8' },
  { oid: '2.5.4.6', label: 'C', tag: 'printable' },
  { oid: '1.2.840.113549.1.9.1', label: 'E', tag: 'ia5' },
  { oid: '2.5.4.9', label: 'STREET', tag: 'utf8' },
  { oid: '0.9.2342.19200300.100.1.25', label: 'DC', tag: 'ia5' },
  { oid: '0.9.2342.19200300.100.1.1', label: 'UID', tag: 'utf8' },
  { oid: '2.5.4.5', label: 'SERIALNUMBER', tag: 'printable' },
  { oid: '2.5.4.12', label: 'T', tag: 'utf8' },
  { oid: '2.5.4.42', label: 'G', tag: 'utf8' },
  { oid: '2.5.4.4', label: 'SN', tag: 'utf8' },
  { oid: '2.5.4.17', label: 'PostalCode', tag: 'utf8' },
];
const ALIASES: Record<string, string> = { ST: 'S', EMAIL: 'E', EMAILADDRESS: 'E', TITLE: 'T', GN: 'G', GIVENNAME: 'G' };
const BY_LABEL = new Map(KEYS.map((k) => [k.label.toUpperCase(), k]));
const BY_OID = new Map(KEYS.map((k) => [k.oid, k]));
const OID_RULE = /^\d+(\.\d+)+$/;

export const valueTagOf = (oid: string): ValueTag => BY_OID.get(oid)?.tag ?? 'utf8';

const invalidSubject = (subject: string, why: string) => badParameter(`The subject name '${subject}' is not a valid X.500 distinguished name: ${why}`);

/**
 * Reads a subject such as `CN=www.contoso.com, O=Contoso, C=US`. The string lists RDNs from the most specific,
 * while the certificate encodes them from the root (RFC 4514), so the result is in reverse string order.
 */
export function parseDistinguishedName(subject: string): DnAttribute[] {
  const parts: { key: string; value: string }[] = [];
  let i = 0;
  const skipSpaces = (): void => {
    while (i < subject.length && /\s/.test(subject[i]!)) i++;
  };
  while (i < subject.length) {
    skipSpaces();
    const eq = subject.indexOf('=', i);
    if (eq < 0) throw invalidSubject(subject, `'${subject.slice(i).trim()}' has no '='.`);
    const key = subject.slice(i, eq).trim();
    i = eq + 1;
    skipSpaces();
    let value = '';
    if (subject[i] === '"') {
      i++;
      while (i < subject.length && subject[i] !== '"') {
        if (subject[i] === '\\' && i + 1 < subject.length) i++;
        value += subject[i++];
      }
      if (subject[i] !== '"') throw invalidSubject(subject, 'a quoted value is not closed.');
      i++;
      skipSpaces();
    } else {
      while (i < subject.length && !',;+'.includes(subject[i]!)) {
        if (subject[i] === '\\' && i + 1 < subject.length) i++;
        value += subject[i++];
      }
      value = value.trim();
    }
    if (i < subject.length && !',;+'.includes(subject[i]!)) throw invalidSubject(subject, `unexpected text after the value of ${key}.`);
    i++;
    parts.push({ key, value });
  }
  if (parts.length === 0) throw invalidSubject(subject, 'it is empty.');
  return parts
    .map(({ key, value }) => {
      if (!key) throw invalidSubject(subject, 'an attribute has no name.');
      if (!value) throw invalidSubject(subject, `${key} has an empty value.`);
      const upper = key.toUpperCase();
      const oid = OID_RULE.test(key) ? key : upper.startsWith('OID.') && OID_RULE.test(key.slice(4)) ? key.slice(4) : BY_LABEL.get(ALIASES[upper] ?? upper)?.oid;
      if (!oid) throw invalidSubject(subject, `unknown attribute '${key}'.`);
      if (oid === '2.5.4.6' && !/^[A-Za-z]{2}$/.test(value)) throw invalidSubject(subject, `the country (C) must be a two-letter code, not '${value}'.`);
      if (valueTagOf(oid) !== 'utf8' && !/^[\x20-\x7e]*$/.test(value)) throw invalidSubject(subject, `${key} must be plain ASCII.`);
      return { oid, value };
    })
    .reverse();
}

const escapeValue = (value: string): string => (/[,;+"\\<>=#]|^\s|\s$/.test(value) ? `"${value.replace(/(["\\])/g, '\\$1')}"` : value);

/** The string form of a DER-ordered name, most specific RDN first, as Key Vault shows it in a policy. */
export function formatDistinguishedName(attributes: readonly DnAttribute[]): string {
  return [...attributes]
    .reverse()
    .map((a) => `${BY_OID.get(a.oid)?.label ?? `OID.${a.oid}`}=${escapeValue(a.value)}`)
    .join(', ');
}

/** Subject alternative names as the policy carries them (`sans`). */
export interface SubjectAlternativeNames {
  dns_names?: string[];
  emails?: string[];
  upns?: string[];
  uris?: string[];
  ipAddresses?: string[];
}

const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

export function isDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  if (labels[0] === '*') labels.shift();
  return labels.length > 0 && labels.every((l) => LABEL.test(l));
}

// ASCII only: rfc822Name and URI SANs are IA5Strings (internationalised names are not supported here).
const MAILBOX = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+$/;
const UPN = /^[^\s@]+@[^\s@]+$/;

/** Checks every SAN by kind; a malformed one is refused with Key Vault's 400 BadParameter. */
export function checkSans(sans: SubjectAlternativeNames): void {
  for (const dns of sans.dns_names ?? []) {
    if (!isDnsName(dns)) throw badParameter(`The DNS name '${dns}' in x509_props.sans.dns_names is not valid. DNS names are up to 253 characters of labels (letters, digits, hyphens; 1-63 characters, not starting or ending with a hyphen) separated by dots; '*.' may start a wildcard name.`);
  }
  for (const email of sans.emails ?? []) {
    if (!MAILBOX.test(email) || !isDnsName(email.split('@')[1]!)) throw badParameter(`The email address '${email}' in x509_props.sans.emails is not valid.`);
  }
  for (const upn of sans.upns ?? []) {
    if (!UPN.test(upn)) throw badParameter(`The user principal name '${upn}' in x509_props.sans.upns is not valid: expected user@domain.`);
  }
  for (const uri of sans.uris ?? []) {
    let ok = false;
    try {
      ok = /^[a-z][a-z0-9+.-]*:[\x21-\x7e]+$/i.test(uri) && new URL(uri).protocol.length > 1;
    } catch {
      ok = false;
    }
    if (!ok) throw badParameter(`The URI '${uri}' in x509_props.sans.uris is not a valid absolute URI.`);
  }
  for (const ip of sans.ipAddresses ?? []) {
    if (isIP(ip) === 0) throw badParameter(`The IP address '${ip}' in x509_props.sans.ipAddresses is not a valid IPv4 or IPv6 address.`);
  }
}

export const hasSans = (sans: SubjectAlternativeNames | undefined): boolean =>
  Boolean(sans && Object.values(sans).some((list) => Array.isArray(list) && list.length > 0));
