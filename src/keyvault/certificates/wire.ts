import { attributesFromWire, deletedInfoFromWire, type WireAttributes } from '../models/common';
import type {
  AdministratorContact,
  CertificateContact,
  CertificateIssuer,
  CertificateOperation,
  CertificateProperties,
  DeletedCertificate,
  DeletedCertificateProperties,
  IssuerProperties,
  KeyVaultCertificate,
} from '../models/certificates';
import { parseObjectId } from '../identifiers';
import { policyFromWire, type WirePolicy } from './policy';

/** Certificate shapes as certificates.json (2026-04-01) puts them on the wire, and their mapping to our models. */

export interface WireCertificate {
  id?: string;
  kid?: string;
  sid?: string;
  x5t?: string;
  cer?: string;
  contentType?: string;
  policy?: WirePolicy;
  attributes?: WireAttributes;
  tags?: Record<string, string>;
  preserveCertOrder?: boolean;
  recoveryId?: string;
  deletedDate?: number;
  scheduledPurgeDate?: number;
}

export interface WireOperation {
  id?: string;
  issuer?: { name?: string; cty?: string; cert_transparency?: boolean };
  csr?: string;
  cancellation_requested?: boolean;
  status?: string;
  status_details?: string;
  error?: { code?: string; message?: string } | null;
  target?: string;
  request_id?: string;
  preserveCertOrder?: boolean;
}

export interface WireIssuer {
  id?: string;
  provider?: string;
  credentials?: { account_id?: string; pwd?: string };
  org_details?: { id?: string; admin_details?: { first_name?: string; last_name?: string; email?: string; phone?: string }[] };
  attributes?: { enabled?: boolean; created?: number; updated?: number };
}

export interface WireContacts {
  id?: string;
  contacts?: { email?: string; name?: string; phone?: string }[];
}

export const thumbprintHex = (x5t: string): string => Buffer.from(x5t, 'base64url').toString('hex').toUpperCase();

export function certificatePropertiesFromWire(w: WireCertificate): CertificateProperties {
  const id = parseObjectId(w.id ?? '');
  const p: CertificateProperties = {
    id: id.id,
    vaultUrl: id.vaultUrl,
    name: id.name,
    attributes: attributesFromWire(w.attributes),
    tags: w.tags ?? {},
    // Items of a pending certificate (includePending) and bundles before issuance carry no thumbprint.
    pending: !w.x5t,
  };
  if (id.version) p.version = id.version;
  if (w.x5t) {
    p.x5t = w.x5t;
    p.thumbprint = thumbprintHex(w.x5t);
  }
  return p;
}

export function certificateFromWire(w: WireCertificate): KeyVaultCertificate {
  const c: KeyVaultCertificate = { ...certificatePropertiesFromWire(w), cer: w.cer ? new Uint8Array(Buffer.from(w.cer, 'base64')) : new Uint8Array() };
  c.pending = c.cer.length === 0;
  if (w.kid) c.keyId = w.kid;
  if (w.sid) c.secretId = w.sid;
  if (w.contentType !== undefined) c.contentType = w.contentType;
  if (w.preserveCertOrder !== undefined) c.preserveCertOrder = w.preserveCertOrder;
  if (w.policy) c.policy = policyFromWire(w.policy);
  return c;
}

export const deletedCertificateFromWire = (w: WireCertificate): DeletedCertificate => ({ ...certificateFromWire(w), ...deletedInfoFromWire(w) });
export const deletedCertificatePropertiesFromWire = (w: WireCertificate): DeletedCertificateProperties => ({ ...certificatePropertiesFromWire(w), ...deletedInfoFromWire(w) });

/** `https://vault/certificates/{name}/pending` → origin and name. */
export function operationFromWire(w: WireOperation): CertificateOperation {
  const url = new URL(w.id ?? '');
  const name = decodeURIComponent(url.pathname.split('/').filter(Boolean)[1] ?? '');
  const op: CertificateOperation = { id: w.id!, vaultUrl: url.origin, name, cancellationRequested: w.cancellation_requested === true };
  if (w.issuer?.name !== undefined) op.issuerName = w.issuer.name;
  if (w.issuer?.cty !== undefined) op.certificateType = w.issuer.cty;
  if (w.issuer?.cert_transparency !== undefined) op.certificateTransparency = w.issuer.cert_transparency;
  if (w.csr) op.csr = new Uint8Array(Buffer.from(w.csr, 'base64'));
  if (w.status !== undefined) op.status = w.status;
  if (w.status_details !== undefined) op.statusDetails = w.status_details;
  if (w.error) op.error = { ...(w.error.code ? { code: w.error.code } : {}), ...(w.error.message ? { message: w.error.message } : {}) };
  if (w.target !== undefined) op.target = w.target;
  if (w.request_id !== undefined) op.requestId = w.request_id;
  if (w.preserveCertOrder !== undefined) op.preserveCertOrder = w.preserveCertOrder;
  return op;
}

function issuerIdParts(id: string | undefined): { vaultUrl: string; name: string } {
  const url = new URL(id ?? '');
  return { vaultUrl: url.origin, name: decodeURIComponent(url.pathname.split('/').filter(Boolean)[2] ?? '') };
}

export function issuerPropertiesFromWire(w: WireIssuer): IssuerProperties {
  return { id: w.id!, ...issuerIdParts(w.id), ...(w.provider !== undefined ? { provider: w.provider } : {}) };
}

export function issuerFromWire(w: WireIssuer): CertificateIssuer {
  const i: CertificateIssuer = {
    ...issuerPropertiesFromWire(w),
    administrators: (w.org_details?.admin_details ?? []).map((a) => {
      const out: AdministratorContact = {};
      if (a.first_name !== undefined) out.firstName = a.first_name;
      if (a.last_name !== undefined) out.lastName = a.last_name;
      if (a.email !== undefined) out.email = a.email;
      if (a.phone !== undefined) out.phone = a.phone;
      return out;
    }),
    enabled: w.attributes?.enabled ?? true,
  };
  if (w.credentials?.account_id !== undefined) i.accountId = w.credentials.account_id;
  if (w.org_details?.id !== undefined) i.organizationId = w.org_details.id;
  if (w.attributes?.created !== undefined) i.createdOn = new Date(w.attributes.created * 1000);
  if (w.attributes?.updated !== undefined) i.updatedOn = new Date(w.attributes.updated * 1000);
  return i;
}

export function contactsFromWire(w: WireContacts | undefined): CertificateContact[] {
  return (w?.contacts ?? []).map((c) => ({ ...(c.email !== undefined ? { email: c.email } : {}), ...(c.name !== undefined ? { name: c.name } : {}), ...(c.phone !== undefined ? { phone: c.phone } : {}) }));
}
