// What the certificate details page shows, computed on the host from the certificate's public parts (CER, policy,
// attributes, pending operation). Pure: no 'vscode', no DOM; unit-tested in Node. Never holds key material.
import { certificateDetails, validityState, type CertificateDetails } from '../../keyvault/certificates/x509';
import { csrDetails } from '../../keyvault/certificates/csr';
import type { CertificateOperation, CertificatePolicy, KeyVaultCertificate, SubjectAlternativeNames } from '../../keyvault/models/certificates';

export interface SanEntry {
  kind: 'DNS' | 'Email' | 'UPN' | 'URI' | 'IP';
  value: string;
}

export interface ChainEntry {
  subject: string;
  issuer: string;
  notAfter: string;
  thumbprint: string;
  selfIssued: boolean;
  isCertificateAuthority: boolean;
}

export interface Row {
  label: string;
  value: string;
  /** Shown in the editor font, with a copy button when `copy` is set. */
  mono?: boolean;
  copy?: 'sha1' | 'sha256' | 'id' | 'serial';
}

export interface OperationModel {
  status: string;
  statusDetails?: string;
  issuer?: string;
  cancellationRequested: boolean;
  error?: string;
  requestId?: string;
  waitingForMerge: boolean;
  csr?: { subject: string; sans: SanEntry[]; publicKey: string };
}

export type Health = 'valid' | 'expiring' | 'expired' | 'not-yet-valid' | 'pending' | 'disabled';

export interface DetailsModel {
  name: string;
  version?: string;
  id: string;
  vaultName: string;
  vaultHost: string;
  enabled: boolean;
  health: Health;
  /** One line: "Valid for 241 more days", "Expired 3 days ago", "Pending: waiting for a merge". */
  healthText: string;
  /** Absent while the first version is pending. */
  certificate?: {
    subject: string;
    issuer: string;
    sans: SanEntry[];
    notBefore: string;
    notAfter: string;
    serialNumber: string;
    thumbprintSha1: string;
    thumbprintSha256: string;
    keyUsage: string[];
    extendedKeyUsage: string[];
    publicKey: string;
    signatureAlgorithm?: string;
    isCertificateAuthority: boolean;
    selfIssued: boolean;
  };
  /** Leaf first. Only the leaf until the full chain is loaded from the certificate's secret. */
  chain: ChainEntry[];
  chainState: 'self-signed' | 'leaf-only' | 'loaded' | 'none';
  policy?: Row[];
  attributes: Row[];
  tags: [string, string][];
  operation?: OperationModel;
}

const KEY_USAGE_NAMES: Record<string, string> = {
  digitalSignature: 'Digital signature',
  nonRepudiation: 'Non-repudiation',
  keyEncipherment: 'Key encipherment',
  dataEncipherment: 'Data encipherment',
  keyAgreement: 'Key agreement',
  keyCertSign: 'Certificate signing',
  cRLSign: 'CRL signing',
  encipherOnly: 'Encipher only',
  decipherOnly: 'Decipher only',
};

const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'Server authentication',
  '1.3.6.1.5.5.7.3.2': 'Client authentication',
  '1.3.6.1.5.5.7.3.3': 'Code signing',
  '1.3.6.1.5.5.7.3.4': 'Email protection',
  '1.3.6.1.5.5.7.3.8': 'Time stamping',
  '1.3.6.1.5.5.7.3.9': 'OCSP signing',
  '1.3.6.1.4.1.311.10.3.12': 'Document signing',
  '1.3.6.1.4.1.311.20.2.2': 'Smart card logon',
};

export const ekuName = (oid: string): string => (EKU_NAMES[oid] ? `${EKU_NAMES[oid]} (${oid})` : oid);

export function sanEntries(sans: SubjectAlternativeNames | undefined): SanEntry[] {
  if (!sans) return [];
  return [
    ...(sans.dnsNames ?? []).map((value) => ({ kind: 'DNS' as const, value })),
    ...(sans.ipAddresses ?? []).map((value) => ({ kind: 'IP' as const, value })),
    ...(sans.emails ?? []).map((value) => ({ kind: 'Email' as const, value })),
    ...(sans.upns ?? []).map((value) => ({ kind: 'UPN' as const, value })),
    ...(sans.uris ?? []).map((value) => ({ kind: 'URI' as const, value })),
  ];
}

const DAY = 86_400_000;
const iso = (d: Date): string => d.toISOString();
const publicKeyText = (k: CertificateDetails['publicKey']): string => [k.type, k.curve ?? (k.size ? `${k.size} bits` : undefined)].filter(Boolean).join(' ');

export function chainEntry(d: CertificateDetails): ChainEntry {
  return { subject: d.subject, issuer: d.issuer, notAfter: iso(d.notAfter), thumbprint: d.thumbprintSha1, selfIssued: d.selfIssued, isCertificateAuthority: d.isCertificateAuthority };
}

/** "Valid for 241 more days" / "Expires in 3 days" / "Expired 12 days ago" / "Not valid until 2026-01-01". */
export function healthOf(notBefore: Date, notAfter: Date, now: number, warningDays: number): { health: Health; text: string } {
  const state = validityState({ notBefore, notAfter }, new Date(now));
  if (state === 'expired') {
    const days = Math.floor((now - notAfter.getTime()) / DAY);
    return { health: 'expired', text: days < 1 ? 'Expired today' : `Expired ${days} day${days === 1 ? '' : 's'} ago` };
  }
  if (state === 'not-yet-valid') return { health: 'not-yet-valid', text: `Not valid until ${iso(notBefore).slice(0, 10)}` };
  const days = Math.ceil((notAfter.getTime() - now) / DAY);
  if (days <= warningDays) return { health: 'expiring', text: `Expires in ${days} day${days === 1 ? '' : 's'}` };
  return { health: 'valid', text: `Valid for ${days} more days` };
}

export function policyRows(p: CertificatePolicy): Row[] {
  const k = p.keyProperties;
  const x = p.x509Properties;
  const action = p.lifetimeActions[0];
  const rows: Row[] = [
    { label: 'Issuer', value: p.issuer.name ?? '—' },
    ...(p.issuer.certificateType ? [{ label: 'Certificate type', value: p.issuer.certificateType }] : []),
    { label: 'Subject', value: x.subject ?? '—', mono: true },
    { label: 'DNS names', value: sanEntries(x.subjectAlternativeNames).map((s) => (s.kind === 'DNS' ? s.value : `${s.kind}: ${s.value}`)).join(', ') || '—' },
    { label: 'Validity', value: x.validityInMonths !== undefined ? `${x.validityInMonths} months` : '—' },
    { label: 'Key', value: [k.keyType ?? 'RSA', k.curve ?? (k.keySize ? String(k.keySize) : undefined)].filter(Boolean).join(' ') },
    { label: 'Exportable', value: k.exportable === undefined ? '—' : k.exportable ? 'yes' : 'no' },
    { label: 'Reuse key on renewal', value: k.reuseKey ? 'yes' : 'no' },
    { label: 'Content type', value: p.secretProperties.contentType === 'application/x-pem-file' ? 'PEM' : p.secretProperties.contentType === 'application/x-pkcs12' ? 'PFX' : (p.secretProperties.contentType ?? '—') },
    {
      label: 'Lifetime action',
      value: action
        ? `${action.action === 'AutoRenew' ? 'Renew automatically' : 'Email the contacts'} ${action.daysBeforeExpiry !== undefined ? `${action.daysBeforeExpiry} days before expiry` : `at ${action.lifetimePercentage}% of the lifetime`}`
        : 'none',
    },
  ];
  if (x.keyUsage?.length) rows.push({ label: 'Key usage', value: x.keyUsage.map((u) => KEY_USAGE_NAMES[u] ?? u).join(', ') });
  if (x.ekus?.length) rows.push({ label: 'Extended key usage', value: x.ekus.map(ekuName).join(', ') });
  return rows;
}

export interface ModelInput {
  certificate?: KeyVaultCertificate;
  /** Name and vault when there is no certificate version yet. */
  name: string;
  vaultUrl: string;
  vaultName: string;
  version?: string;
  policy?: CertificatePolicy;
  operation?: CertificateOperation;
  /** DER, leaf first, when the full chain was read. */
  chain?: Buffer[];
  now: number;
  warningDays: number;
}

function operationModel(op: CertificateOperation): OperationModel {
  const waitingForMerge = (op.status ?? '').toLowerCase() === 'inprogress' && op.issuerName?.toLowerCase() === 'unknown';
  const m: OperationModel = { status: op.status ?? 'unknown', cancellationRequested: op.cancellationRequested, waitingForMerge };
  if (op.statusDetails) m.statusDetails = op.statusDetails;
  if (op.issuerName) m.issuer = op.issuerName;
  if (op.error?.message || op.error?.code) m.error = [op.error.code, op.error.message].filter(Boolean).join(': ');
  if (op.requestId) m.requestId = op.requestId;
  if (op.csr?.length) {
    try {
      const csr = csrDetails(op.csr);
      m.csr = { subject: csr.subject, sans: sanEntries(csr.subjectAlternativeNames), publicKey: publicKeyText(csr.publicKey) };
    } catch {
      // An unreadable CSR still downloads; the page just does not describe it.
    }
  }
  return m;
}

export function buildDetailsModel(input: ModelInput): DetailsModel {
  const cert = input.certificate;
  const date = (d?: Date): string => (d ? `${iso(d).replace('T', ' ').slice(0, 16)} UTC` : '—');
  const model: DetailsModel = {
    name: input.name,
    id: cert?.id ?? `${new URL(input.vaultUrl).origin}/certificates/${input.name}`,
    vaultName: input.vaultName,
    vaultHost: new URL(input.vaultUrl).host,
    enabled: cert?.attributes.enabled ?? true,
    health: 'pending',
    healthText: 'No certificate has been issued yet',
    chain: [],
    chainState: 'none',
    attributes: [],
    tags: Object.entries(cert?.tags ?? {}),
  };
  const version = input.version ?? cert?.version;
  if (version) model.version = version;
  if (cert) {
    const a = cert.attributes;
    model.attributes = [
      { label: 'Identifier', value: cert.id, mono: true, copy: 'id' },
      { label: 'Enabled', value: a.enabled ? 'yes' : 'no' },
      { label: 'Created', value: date(a.createdOn) },
      { label: 'Updated', value: date(a.updatedOn) },
      ...(a.recoveryLevel ? [{ label: 'Recovery level', value: a.recoveryLevel }] : []),
      ...(cert.secretId ? [{ label: 'Secret', value: cert.secretId, mono: true }] : []),
      ...(cert.keyId ? [{ label: 'Key', value: cert.keyId, mono: true }] : []),
    ];
  }
  if (cert && cert.cer.length > 0) {
    const d = certificateDetails(cert.cer);
    model.certificate = {
      subject: d.subject,
      issuer: d.issuer,
      sans: sanEntries(d.subjectAlternativeNames),
      notBefore: iso(d.notBefore),
      notAfter: iso(d.notAfter),
      serialNumber: d.serialNumber,
      thumbprintSha1: d.thumbprintSha1,
      thumbprintSha256: d.thumbprintSha256,
      keyUsage: d.keyUsage.map((u) => KEY_USAGE_NAMES[u] ?? u),
      extendedKeyUsage: d.extendedKeyUsage.map(ekuName),
      publicKey: publicKeyText(d.publicKey),
      ...(d.signatureAlgorithm ? { signatureAlgorithm: d.signatureAlgorithm } : {}),
      isCertificateAuthority: d.isCertificateAuthority,
      selfIssued: d.selfIssued,
    };
    const h = healthOf(d.notBefore, d.notAfter, input.now, input.warningDays);
    model.health = h.health;
    model.healthText = h.text;
    if (input.chain?.length) {
      model.chain = input.chain.map((der) => chainEntry(certificateDetails(der)));
      model.chainState = 'loaded';
    } else {
      model.chain = [chainEntry(d)];
      model.chainState = d.selfIssued ? 'self-signed' : 'leaf-only';
    }
  }
  if (cert && !cert.attributes.enabled) {
    model.health = 'disabled';
    model.healthText = `Disabled${model.certificate ? ` · ${model.healthText.charAt(0).toLowerCase()}${model.healthText.slice(1)}` : ''}`;
  }
  const policy = input.policy ?? cert?.policy;
  if (policy) model.policy = policyRows(policy);
  if (input.operation && (input.operation.status ?? '').toLowerCase() !== 'completed') {
    model.operation = operationModel(input.operation);
    if (!model.certificate || cert?.pending) {
      model.health = 'pending';
      model.healthText = model.operation.waitingForMerge ? 'Pending: waiting for the signed certificate to be merged' : `Pending: ${model.operation.status}`;
    }
  }
  return model;
}
