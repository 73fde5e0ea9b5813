import { KvError, conflict, notFound } from '../../core/errors';
import { VersionedStore, type Attributes, type ObjectRecord, type VersionRecord } from '../../core/store';
import type { Container } from '../../core/types';
import { policyOut, type PolicyRecord } from './policy';
import { thumbprint } from './x509';

/** One certificate version. A version is created pending (no certificate yet) and completed by issuance or merge. */
export interface CertVersionPayload {
  /** Stays 'pending' when its operation was cancelled, failed or deleted: Key Vault keeps such versions, disabled. */
  status: 'pending' | 'completed';
  /** Leaf certificate, base64 DER. */
  cer?: string;
  /** The chain as the secret holds it (leaf included), base64 DER. */
  chain?: string[];
  /** PKCS#8 PEM of the version's private key: kept for reuse_key renewals and backups, never returned. */
  keyPem?: string;
  preserveCertOrder?: boolean;
}

export type OperationStatus = 'inProgress' | 'completed' | 'cancelled' | 'failed';

/** The certificate operation (`/certificates/{name}/pending`) of the newest version being created. */
export interface OperationRecord {
  requestId: string;
  version: string;
  issuer: { name: string; cty?: string; cert_transparency?: boolean };
  /** PKCS#10, base64 DER. */
  csr: string;
  /** The pending private key until a merge completes the version. */
  keyPem?: string;
  status: OperationStatus;
  cancellationRequested: boolean;
  statusDetails?: string;
  error?: { code: string; message: string };
  preserveCertOrder?: boolean;
  /** Attributes and tags asked for at creation, applied when the version completes. */
  requested: { enabled?: boolean; tags?: Record<string, string> };
}

export interface CertificateMeta {
  policy: PolicyRecord;
  operation?: OperationRecord;
}

export type CertObject = ObjectRecord<CertVersionPayload>;
export type CertVersion = VersionRecord<CertVersionPayload>;

export const certStore = (c: Container): VersionedStore<CertVersionPayload> => new VersionedStore(c.data.certificates as never);
/** The key and secret behind each certificate version live in the keys and secrets families' stores, under the same name and version. */
export const linkedStores = (c: Container): VersionedStore<unknown>[] => [new VersionedStore(c.data.keys), new VersionedStore(c.data.secrets)];

export const metaOf = (object: CertObject): CertificateMeta => object.meta as unknown as CertificateMeta;

export const latestCompleted = (object: CertObject): CertVersion | undefined => object.versions.filter((v) => v.payload.status === 'completed').at(-1);

/** What "the certificate" means without a version: the newest completed version, else the newest pending one. */
export const currentVersion = (object: CertObject): CertVersion | undefined => latestCompleted(object) ?? object.versions.at(-1);

export function findVersion(object: CertObject, version: string): CertVersion | undefined {
  return version ? object.versions.find((v) => v.version === version.toLowerCase()) : currentVersion(object);
}

export const notFoundError = (name: string, version = ''): KvError =>
  notFound(
    'CertificateNotFound',
    `A certificate with (name/id) ${name}${version ? `/${version}` : ''} was not found in this key vault. If you recently deleted this certificate you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
  );

export const deletedNotFound = (name: string): KvError => notFound('CertificateNotFound', `Deleted Certificate not found: ${name}`);
export const pendingNotFound = (name: string): KvError => notFound('PendingCertificateNotFound', `Pending certificate not found: ${name}`);
export const deletedConflict = (name: string): KvError =>
  conflict(`Certificate ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the certificate can only be recovered or purged.`);

export function attributesOut(a: Attributes): Record<string, unknown> {
  const out: Record<string, unknown> = { enabled: a.enabled };
  if (a.nbf !== undefined) out.nbf = a.nbf;
  if (a.exp !== undefined) out.exp = a.exp;
  Object.assign(out, { created: a.created, updated: a.updated, recoveryLevel: a.recoveryLevel, recoverableDays: a.recoverableDays });
  return out;
}

export const certificateId = (origin: string, name: string, version?: string): string => `${origin}/certificates/${name}${version ? `/${version}` : ''}`;

/**
 * CertificateBundle: a completed version has kid, sid, x5t and cer; a pending one only its id, attributes and policy.
 * (Live Key Vault adds an undocumented `pending: {id}` while an operation exists; the definitions do not have it.)
 */
export function bundle(origin: string, object: CertObject, record: CertVersion): Record<string, unknown> {
  const meta = metaOf(object);
  const out: Record<string, unknown> = { id: certificateId(origin, object.name, record.version) };
  if (record.payload.status === 'completed' && record.payload.cer) {
    out.kid = `${origin}/keys/${object.name}/${record.version}`;
    out.sid = `${origin}/secrets/${object.name}/${record.version}`;
    out.x5t = thumbprintOf(record);
    out.cer = record.payload.cer;
  }
  out.attributes = attributesOut(record.attributes);
  if (record.tags) out.tags = record.tags;
  out.policy = policyOut(meta.policy, `${certificateId(origin, object.name)}/policy`);
  if (record.payload.preserveCertOrder !== undefined) out.preserveCertOrder = record.payload.preserveCertOrder;
  return out;
}

const thumbprintOf = (record: CertVersion): string | undefined => (record.payload.cer ? thumbprint(Buffer.from(record.payload.cer, 'base64')) : undefined);

/** CertificateItem (lists): id, x5t, attributes, tags. */
export function item(origin: string, object: CertObject, record: CertVersion, versioned: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { id: certificateId(origin, object.name, versioned ? record.version : undefined) };
  const x5t = thumbprintOf(record);
  if (x5t) out.x5t = x5t;
  out.attributes = attributesOut(record.attributes);
  if (record.tags) out.tags = record.tags;
  return out;
}

export function deletedFields(origin: string, name: string, deletedDate: number, scheduledPurgeDate: number): Record<string, unknown> {
  return { recoveryId: `${origin}/deletedcertificates/${name}`, deletedDate, scheduledPurgeDate };
}

/**
 * CertificateOperation. `asAccepted` renders the answer to the create request: Key Vault accepts a request as
 * "inProgress" even when, as here for Self and configured issuers, the certificate is ready by the first poll.
 */
export function operationOut(origin: string, name: string, op: OperationRecord, asAccepted = false): Record<string, unknown> {
  const status: OperationStatus = asAccepted ? 'inProgress' : op.status;
  const out: Record<string, unknown> = {
    id: `${certificateId(origin, name)}/pending`,
    issuer: { ...op.issuer },
    csr: op.csr,
    cancellation_requested: op.cancellationRequested,
    status,
  };
  if (status === 'inProgress') {
    out.status_details = (op.status === 'inProgress' && op.statusDetails) || 'Pending certificate created. Certificate request is in progress. This may take some time based on the issuer provider. Please check again later.';
  } else if (op.statusDetails) {
    out.status_details = op.statusDetails;
  }
  if (op.error && status === 'failed') out.error = { ...op.error };
  if (status === 'completed') out.target = certificateId(origin, name);
  if (op.preserveCertOrder !== undefined) out.preserveCertOrder = op.preserveCertOrder;
  out.request_id = op.requestId;
  return out;
}
