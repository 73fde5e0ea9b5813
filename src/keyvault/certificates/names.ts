import { isIP } from 'node:net';
import { KeyVaultError } from '../errors';
import type { SubjectAlternativeNames } from '../models/certificates';

/** One `type=value` pair of a distinguished name, in the order written (most specific first). */
export interface SubjectPart {
  /** Upper-case label (CN, O, …) or a dotted OID. */
  type: string;
  value: string;
}

// Labels Key Vault (.NET's X500DistinguishedName) understands; ST and EMAIL are common spellings it also takes.
const LABELS = new Set(['CN', 'O', 'OU', 'L', 'S', 'ST', 'C', 'E', 'EMAIL', 'EMAILADDRESS', 'STREET', 'DC', 'UID', 'SERIALNUMBER', 'T', 'TITLE', 'G', 'GN', 'SN', 'POSTALCODE']);
const OID = /^(?:OID\.)?([0-2](?:\.\d+)+)$/i;

const bad = (message: string, hint?: string): KeyVaultError => new KeyVaultError({ kind: 'bad-request', message, ...(hint ? { hint } : {}) });
const SUBJECT_HINT = 'Write it as comma-separated type=value pairs, e.g. CN=www.contoso.com, O=Contoso, C=US; quote values that contain commas.';

/**
 * Splits a subject such as `CN=www.contoso.com, O="Contoso, Ltd", C=US` into its parts, and refuses what Key Vault
 * would: unknown attribute types, empty values, a country that is not two letters, unbalanced quotes.
 */
export function parseSubject(subject: string): SubjectPart[] {
  if (!subject.trim()) throw bad('The subject is empty.', SUBJECT_HINT);
  const parts: SubjectPart[] = [];
  let i = 0;
  const n = subject.length;
  while (i < n) {
    while (i < n && /\s/.test(subject[i]!)) i++;
    let type = '';
    while (i < n && subject[i] !== '=' && !',;+'.includes(subject[i]!)) type += subject[i++];
    if (subject[i] !== '=') throw bad(`The subject '${subject}' is not a distinguished name: '${type.trim()}' has no '='.`, SUBJECT_HINT);
    i++;
    while (i < n && subject[i] === ' ') i++;
    let value = '';
    if (subject[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = subject[i++]!;
        if (c === '\\' && i < n) value += subject[i++];
        else if (c === '"') {
          closed = true;
          break;
        } else value += c;
      }
      if (!closed) throw bad(`The subject '${subject}' has a quoted value that is not closed.`, SUBJECT_HINT);
      while (i < n && subject[i] === ' ') i++;
      if (i < n && !',;+'.includes(subject[i]!)) throw bad(`The subject '${subject}' has text after a quoted value.`, SUBJECT_HINT);
    } else {
      while (i < n && !',;+'.includes(subject[i]!)) {
        const c = subject[i++]!;
        value += c === '\\' && i < n ? subject[i++] : c;
      }
      value = value.trim();
    }
    i++; // the separator
    parts.push(checkPart(subject, type.trim(), value));
  }
  return parts;
}

function checkPart(subject: string, rawType: string, value: string): SubjectPart {
  if (!rawType) throw bad(`The subject '${subject}' has a value without a type.`, SUBJECT_HINT);
  const upper = rawType.toUpperCase();
  const oid = OID.exec(rawType);
  const type = oid ? oid[1]! : upper;
  if (!oid && !LABELS.has(upper)) throw bad(`'${rawType}' is not a distinguished name attribute Key Vault knows.`, 'Use CN, O, OU, L, S (or ST), C, E, STREET, DC, or an OID such as 2.5.4.5.');
  if (!value) throw bad(`${rawType} has an empty value in the subject '${subject}'.`, SUBJECT_HINT);
  if (type === 'C' && !/^[A-Za-z]{2}$/.test(value)) throw bad(`The country (C) must be a two-letter ISO 3166 code, not '${value}'.`);
  if (type === 'CN' && value.length > 64) throw bad(`The common name (CN) is ${value.length} characters long; X.509 allows at most 64.`, 'Put long host names in the DNS names (SANs) and keep the CN short.');
  return { type, value };
}

const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** Host names as certificates carry them: letters, digits and hyphens in dot-separated labels; `*.` may lead. */
export function isValidDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253 || isIP(name)) return false;
  const labels = name.split('.');
  if (labels[0] === '*' && labels.length > 1) labels.shift();
  return labels.every((l) => LABEL.test(l));
}

const MAILBOX = /^[^\s@"(),:;<>[\]\\]+@([^\s@]+)$/;

/** Checks every subject alternative name by kind; the message names the first bad one. */
export function checkSubjectAlternativeNames(sans: SubjectAlternativeNames): void {
  for (const dns of sans.dnsNames ?? []) {
    if (isIP(dns)) throw bad(`'${dns}' is an IP address, not a DNS name.`, 'Put IP addresses in the IP address list.');
    if (!isValidDnsName(dns)) {
      throw bad(`'${dns}' is not a valid DNS name.`, "DNS names are dot-separated labels of letters, digits and hyphens (1-63 characters, no hyphen at either end), at most 253 characters; only a leading '*.' may be a wildcard.");
    }
  }
  for (const email of sans.emails ?? []) {
    const m = MAILBOX.exec(email);
    if (!m || !isValidDnsName(m[1]!)) throw bad(`'${email}' is not a valid email address.`);
  }
  for (const upn of sans.upns ?? []) if (!MAILBOX.test(upn)) throw bad(`'${upn}' is not a valid user principal name.`, 'A UPN looks like user@contoso.com.');
  for (const uri of sans.uris ?? []) {
    let ok = /^[a-z][a-z0-9+.-]*:/i.test(uri);
    try {
      if (ok) new URL(uri);
    } catch {
      ok = false;
    }
    if (!ok) throw bad(`'${uri}' is not an absolute URI.`);
  }
  for (const ip of sans.ipAddresses ?? []) if (!isIP(ip)) throw bad(`'${ip}' is not a valid IPv4 or IPv6 address.`);
}

export const hasAnySan = (sans: SubjectAlternativeNames | undefined): boolean => Boolean(sans && Object.values(sans).some((list) => Array.isArray(list) && list.length > 0));
