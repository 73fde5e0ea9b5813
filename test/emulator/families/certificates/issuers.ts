import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { badParameter, notFound } from '../../core/errors';
import { nowSeconds } from '../../core/ids';
import { pageOf } from '../../core/paging';
import { checkName, optionalBoolean, optionalString, requireObject } from '../../core/validate';
import type { Container, RouteContext } from '../../core/types';
import { isDnsName, parseDistinguishedName, type DnAttribute } from './names';
import { generatePrivateKey, issueCertificate } from './x509';

interface AdministratorDetails {
  first_name?: string;
  last_name?: string;
  email?: string;
  phone?: string;
}

interface IssuerRecord {
  name: string;
  provider: string;
  credentials?: { account_id?: string; pwd?: string };
  org_details?: { id?: string; admin_details?: AdministratorDetails[] };
  attributes: { enabled: boolean; created: number; updated: number };
  /** The emulated CA that signs this issuer's certificates, made on first use (PKCS#8 PEM key, base64 DER cert). */
  authority?: { keyPem: string; cer: string };
}

interface Contact {
  email?: string;
  name?: string;
  phone?: string;
}

const ISSUERS = 'certificateIssuers';
const CONTACTS = 'certificateContacts';

function issuers(container: Container): Record<string, IssuerRecord> {
  container.data.extra[ISSUERS] ??= {};
  return container.data.extra[ISSUERS] as Record<string, IssuerRecord>;
}

export function findIssuer(container: Container, name: string): IssuerRecord | undefined {
  return issuers(container)[name.toLowerCase()];
}

const issuerNotFound = () => notFound('CertificateIssuerNotFound', 'Issuer not found');

function issuerOut(origin: string, issuer: IssuerRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { id: `${origin}/certificates/issuers/${issuer.name}`, provider: issuer.provider };
  // The password is write-only, as on Key Vault.
  if (issuer.credentials) out.credentials = issuer.credentials.account_id !== undefined ? { account_id: issuer.credentials.account_id } : {};
  if (issuer.org_details) out.org_details = { ...issuer.org_details, ...(issuer.org_details.admin_details ? { admin_details: issuer.org_details.admin_details.map((a) => ({ ...a })) } : {}) };
  out.attributes = { ...issuer.attributes };
  return out;
}

function optionalObject(o: Record<string, unknown>, key: string, path = key): Record<string, unknown> | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw badParameter(`Property '${path}' has invalid value: expected an object.`);
  return v as Record<string, unknown>;
}

function readIssuerFields(body: Record<string, unknown>): Partial<IssuerRecord> & { enabled?: boolean } {
  const out: Partial<IssuerRecord> & { enabled?: boolean } = {};
  const provider = optionalString(body, 'provider');
  if (provider !== undefined) {
    if (!provider.trim()) throw badParameter("Property 'provider' must not be empty.");
    out.provider = provider;
  }
  const credentials = optionalObject(body, 'credentials');
  if (credentials) {
    const accountId = optionalString(credentials, 'account_id');
    const pwd = optionalString(credentials, 'pwd');
    out.credentials = { ...(accountId !== undefined ? { account_id: accountId } : {}), ...(pwd !== undefined ? { pwd } : {}) };
  }
  const org = optionalObject(body, 'org_details');
  if (org) {
    const id = optionalString(org, 'id');
    const admins = org.admin_details;
    if (admins !== undefined && admins !== null && !Array.isArray(admins)) throw badParameter("Property 'org_details.admin_details' has invalid value: expected an array.");
    const adminDetails = (admins ?? []).map((raw: unknown, i: number) => {
      const a = requireObject(raw, `org_details.admin_details[${i}]`);
      const entry: AdministratorDetails = {};
      for (const key of ['first_name', 'last_name', 'email', 'phone'] as const) {
        const v = optionalString(a, key);
        if (v !== undefined) entry[key] = v;
      }
      if (entry.email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(entry.email)) throw badParameter(`org_details.admin_details[${i}].email '${entry.email}' is not a valid email address.`);
      return entry;
    });
    out.org_details = { ...(id !== undefined ? { id } : {}), ...(Array.isArray(admins) ? { admin_details: adminDetails } : {}) };
  }
  const attributes = optionalObject(body, 'attributes');
  if (attributes) {
    const enabled = optionalBoolean(attributes, 'enabled');
    if (enabled !== undefined) out.enabled = enabled;
  }
  return out;
}

function issuerName(ctx: RouteContext): string {
  const name = ctx.params['issuer-name']!;
  checkName(name, 'Issuer');
  return name;
}

export function listIssuers(ctx: RouteContext) {
  const items = Object.values(issuers(ctx.container))
    .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1))
    .map((i) => ({ id: `${ctx.container.origin}/certificates/issuers/${i.name}`, provider: i.provider }));
  return { body: pageOf(items, ctx.url) };
}

export function getIssuer(ctx: RouteContext) {
  const issuer = findIssuer(ctx.container, issuerName(ctx));
  if (!issuer) throw issuerNotFound();
  return { body: issuerOut(ctx.container.origin, issuer) };
}

export function setIssuer(ctx: RouteContext) {
  const name = issuerName(ctx);
  if (/^(self|unknown)$/i.test(name)) throw badParameter(`'${name}' is a reserved issuer name ('Self' and 'Unknown' are built in); choose another name.`);
  const body = requireObject(ctx.body, 'SetCertificateIssuer');
  const fields = readIssuerFields(body);
  if (!fields.provider) throw badParameter("Property 'provider' is required.");
  const existing = findIssuer(ctx.container, name);
  const now = nowSeconds();
  const record: IssuerRecord = {
    name: existing?.name ?? name,
    provider: fields.provider,
    ...(fields.credentials ? { credentials: fields.credentials } : {}),
    ...(fields.org_details ? { org_details: fields.org_details } : {}),
    attributes: { enabled: fields.enabled ?? true, created: existing?.attributes.created ?? now, updated: now },
    ...(existing?.authority && existing.provider === fields.provider ? { authority: existing.authority } : {}),
  };
  issuers(ctx.container)[name.toLowerCase()] = record;
  ctx.save();
  return { body: issuerOut(ctx.container.origin, record) };
}

export function updateIssuer(ctx: RouteContext) {
  const issuer = findIssuer(ctx.container, issuerName(ctx));
  if (!issuer) throw issuerNotFound();
  const fields = readIssuerFields(requireObject(ctx.body ?? {}, 'UpdateCertificateIssuer'));
  if (fields.provider !== undefined && fields.provider !== issuer.provider) {
    issuer.provider = fields.provider;
    delete issuer.authority;
  }
  if (fields.credentials) issuer.credentials = { ...issuer.credentials, ...fields.credentials };
  if (fields.org_details) issuer.org_details = { ...issuer.org_details, ...fields.org_details };
  if (fields.enabled !== undefined) issuer.attributes.enabled = fields.enabled;
  issuer.attributes.updated = nowSeconds();
  ctx.save();
  return { body: issuerOut(ctx.container.origin, issuer) };
}

export function deleteIssuer(ctx: RouteContext) {
  const name = issuerName(ctx);
  const issuer = findIssuer(ctx.container, name);
  if (!issuer) throw issuerNotFound();
  delete issuers(ctx.container)[name.toLowerCase()];
  ctx.save();
  return { body: issuerOut(ctx.container.origin, issuer) };
}

/** Adds or replaces an issuer without a request (demo seed). */
export function seedIssuer(container: Container, name: string, provider: string, accountId: string, admin: AdministratorDetails): void {
  const now = nowSeconds();
  issuers(container)[name.toLowerCase()] = { name, provider, credentials: { account_id: accountId }, org_details: { admin_details: [admin] }, attributes: { enabled: true, created: now, updated: now } };
}

export interface Authority {
  name: DnAttribute[];
  privateKey: KeyObject;
  publicKey: KeyObject;
  cer: Buffer;
}

/**
 * The CA behind a configured issuer. Real providers (DigiCert, GlobalSign, …) cannot be reached from here, so the
 * emulator plays the CA itself: each configured issuer gets its own self-signed root, created on first use and kept
 * in the vault's state, which signs the certificates requested through it. The secret then holds a two-certificate
 * chain, as a CA-issued certificate's does.
 */
export async function authorityFor(issuer: IssuerRecord): Promise<Authority> {
  const label = issuer.provider.replace(/[^\w .-]/g, '').trim() || 'Issuer';
  const name = parseDistinguishedName(`CN=${label} Emulated CA (${issuer.name}), O=Key Vault Emulator`);
  if (!issuer.authority) {
    // An EC root: made in milliseconds, and it signs RSA and EC leaves alike.
    const key = await generatePrivateKey({ kty: 'EC', crv: 'P-384' });
    const now = Date.now();
    const cer = issueCertificate({
      profile: { subject: name, sans: {}, keyUsage: ['keyCertSign', 'cRLSign', 'digitalSignature'], ekus: [], ca: true },
      publicKey: createPublicKey(key),
      notBefore: new Date(now - 86400_000),
      notAfter: new Date(now + 20 * 365 * 86400_000),
      selfKey: key,
    });
    issuer.authority = { keyPem: key.export({ type: 'pkcs8', format: 'pem' }) as string, cer: cer.toString('base64') };
  }
  const privateKey = createPrivateKey(issuer.authority.keyPem);
  return { name, privateKey, publicKey: createPublicKey(privateKey), cer: Buffer.from(issuer.authority.cer, 'base64') };
}

function readContacts(body: Record<string, unknown>): Contact[] {
  const list = body.contacts;
  if (!Array.isArray(list) || list.length === 0) throw badParameter("Property 'contacts' is required and must be a non-empty array of contacts.");
  return list.map((raw, i) => {
    const c = requireObject(raw, `contacts[${i}]`);
    const contact: Contact = {};
    for (const key of ['email', 'name', 'phone'] as const) {
      const v = optionalString(c, key);
      if (v !== undefined) contact[key] = v;
    }
    if (!contact.email) throw badParameter(`contacts[${i}].email is required.`);
    const at = contact.email.lastIndexOf('@');
    if (at < 1 || !isDnsName(contact.email.slice(at + 1))) throw badParameter(`contacts[${i}].email '${contact.email}' is not a valid email address.`);
    return contact;
  });
}

const contactsOut = (origin: string, contacts: Contact[]) => ({ id: `${origin}/certificates/contacts`, contacts: contacts.map((c) => ({ ...c })) });
const contactsNotFound = () => notFound('ContactsNotFound', 'Contacts not found');

export function getContacts(ctx: RouteContext) {
  const contacts = ctx.container.data.extra[CONTACTS] as Contact[] | undefined;
  if (!contacts) throw contactsNotFound();
  return { body: contactsOut(ctx.container.origin, contacts) };
}

export function setContacts(ctx: RouteContext) {
  const contacts = readContacts(requireObject(ctx.body, 'SetCertificateContacts'));
  ctx.container.data.extra[CONTACTS] = contacts;
  ctx.save();
  return { body: contactsOut(ctx.container.origin, contacts) };
}

export function deleteContacts(ctx: RouteContext) {
  const contacts = ctx.container.data.extra[CONTACTS] as Contact[] | undefined;
  if (!contacts) throw contactsNotFound();
  delete ctx.container.data.extra[CONTACTS];
  ctx.save();
  return { body: contactsOut(ctx.container.origin, contacts) };
}

export function seedContacts(container: Container, contacts: Contact[]): void {
  container.data.extra[CONTACTS] = contacts;
}

export type { IssuerRecord };
