import type { DeletedInfo, ObjectAttributes } from './common';

/** Key types a certificate's key may have (JsonWebKeyType minus `oct`: certificates need a key pair). */
export type CertificateKeyType = 'RSA' | 'RSA-HSM' | 'EC' | 'EC-HSM';
export type CertificateKeyCurveName = 'P-256' | 'P-384' | 'P-521' | 'P-256K';
export type KeyUsageType = 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement' | 'keyCertSign' | 'cRLSign' | 'encipherOnly' | 'decipherOnly';
export type CertificateContentType = 'application/x-pkcs12' | 'application/x-pem-file';
export type CertificatePolicyAction = 'EmailContacts' | 'AutoRenew';

/** Reserved issuer names: `Self` signs with the certificate's own key, `Unknown` leaves a CSR for you to get signed. */
export type WellKnownIssuer = 'Self' | 'Unknown';

export interface SubjectAlternativeNames {
  dnsNames?: string[];
  emails?: string[];
  upns?: string[];
  uris?: string[];
  ipAddresses?: string[];
}

export interface LifetimeAction {
  action: CertificatePolicyAction;
  /** Exactly one of the two triggers is set. */
  daysBeforeExpiry?: number;
  lifetimePercentage?: number;
}

/** A certificate policy (CertificatePolicy in certificates.json), with the client names of its fields. */
export interface CertificatePolicy {
  id?: string;
  keyProperties: {
    keyType?: CertificateKeyType | string;
    keySize?: number;
    curve?: CertificateKeyCurveName | string;
    exportable?: boolean;
    reuseKey?: boolean;
  };
  secretProperties: { contentType?: CertificateContentType | string };
  x509Properties: {
    subject?: string;
    subjectAlternativeNames?: SubjectAlternativeNames;
    ekus?: string[];
    keyUsage?: (KeyUsageType | string)[];
    validityInMonths?: number;
  };
  lifetimeActions: LifetimeAction[];
  issuer: {
    name?: WellKnownIssuer | string;
    /** e.g. OV-SSL, EV-SSL for a CA that offers several. */
    certificateType?: string;
    certificateTransparency?: boolean;
  };
  /** enabled, createdOn, updatedOn of the policy itself. */
  attributes?: ObjectAttributes;
}

/** What lists return (CertificateItem). */
export interface CertificateProperties {
  id: string;
  vaultUrl: string;
  name: string;
  version?: string;
  /** SHA-1 thumbprint as Key Vault sends it (`x5t`, base64url). */
  x5t?: string;
  /** The same thumbprint in upper-case hex, as the portal and Windows show it. */
  thumbprint?: string;
  attributes: ObjectAttributes;
  tags: Record<string, string>;
  /** True while a create or renewal has not produced an X.509 certificate yet (no thumbprint, no CER). */
  pending: boolean;
}

/** One certificate version (CertificateBundle). Public material only: the private key lives in the secret. */
export interface KeyVaultCertificate extends CertificateProperties {
  keyId?: string;
  secretId?: string;
  /** The DER (CER) bytes of the X.509 certificate. Empty while pending. */
  cer: Uint8Array;
  /** Content type of the secret that carries the full certificate with its key. */
  contentType?: string;
  preserveCertOrder?: boolean;
  /** Present when the latest version is read (GET /certificates/{name}/). */
  policy?: CertificatePolicy;
}

export type DeletedCertificate = KeyVaultCertificate & DeletedInfo;
export type DeletedCertificateProperties = CertificateProperties & DeletedInfo;

/** The long-running create/renew operation of a certificate (`/certificates/{name}/pending`). */
export interface CertificateOperation {
  id: string;
  vaultUrl: string;
  name: string;
  issuerName?: string;
  certificateType?: string;
  certificateTransparency?: boolean;
  /** PKCS#10 request (DER) for the issuer; see certificates/csr.ts for PEM. */
  csr?: Uint8Array;
  cancellationRequested: boolean;
  /** `inProgress`, `completed`, `cancelled` or `failed` as Key Vault reports it. */
  status?: string;
  statusDetails?: string;
  error?: { code?: string; message?: string };
  /** Id of the certificate the operation produces. */
  target?: string;
  requestId?: string;
  preserveCertOrder?: boolean;
}

export interface AdministratorContact {
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
}

/** What issuer lists return. */
export interface IssuerProperties {
  id: string;
  vaultUrl: string;
  name: string;
  provider?: string;
}

/** A certificate issuer (IssuerBundle). Its password is write-only: Key Vault never returns it. */
export interface CertificateIssuer extends IssuerProperties {
  accountId?: string;
  organizationId?: string;
  administrators: AdministratorContact[];
  enabled: boolean;
  createdOn?: Date;
  updatedOn?: Date;
}

export interface CertificateContact {
  email?: string;
  name?: string;
  phone?: string;
}

/** Friendly input for creating a certificate; certificates/policy.ts turns it into a validated policy. */
export interface CertificatePolicyOptions {
  /** X.500 distinguished name, e.g. `CN=www.contoso.com, O=Contoso, C=US`. Needed unless SANs are given. */
  subject?: string;
  dnsNames?: string[];
  emails?: string[];
  upns?: string[];
  uris?: string[];
  ipAddresses?: string[];
  /** 1-1200; default 12. */
  validityInMonths?: number;
  /** Default RSA. */
  keyType?: CertificateKeyType;
  /** RSA: 2048, 3072 or 4096 (default 2048). EC: implied by the curve. */
  keySize?: number;
  /** EC only; default P-256. */
  curve?: CertificateKeyCurveName;
  reuseKey?: boolean;
  /** Whether the private key may leave Key Vault (via the secret). Default true; HSM key types must be false. */
  exportable?: boolean;
  /** How the secret holds the certificate: PFX (default) or PEM. */
  contentType?: 'PFX' | 'PEM' | CertificateContentType;
  /** `Self` (default), `Unknown`, or the name of an issuer configured in the vault. */
  issuer?: WellKnownIssuer | string;
  certificateType?: string;
  certificateTransparency?: boolean;
  keyUsage?: KeyUsageType[];
  /** Extended key usages as OIDs, e.g. 1.3.6.1.5.5.7.3.1 (server auth). */
  ekus?: string[];
  /** At most one; Key Vault runs it before expiry. */
  lifetimeAction?: { action: CertificatePolicyAction; daysBeforeExpiry?: number; lifetimePercentage?: number };
}

export interface CreateCertificateOptions extends CertificatePolicyOptions {
  enabled?: boolean;
  tags?: Record<string, string>;
  abortSignal?: AbortSignal;
}

/** Import of a certificate with its private key: a PFX (PKCS#12) file, or PEM text holding the certificate(s) and the key. */
export type ImportCertificateOptions = ImportCommonOptions & ({ pfx: Uint8Array; password?: string } | { pem: string; password?: string });

export interface ImportCommonOptions {
  exportable?: boolean;
  reuseKey?: boolean;
  lifetimeAction?: CertificatePolicyOptions['lifetimeAction'];
  enabled?: boolean;
  tags?: Record<string, string>;
  preserveCertOrder?: boolean;
  /** Key Vault accepts expired certificates; we refuse them unless asked, since that is almost always a mistake. */
  allowExpired?: boolean;
  abortSignal?: AbortSignal;
}

export interface MergeCertificateOptions {
  enabled?: boolean;
  tags?: Record<string, string>;
  abortSignal?: AbortSignal;
}

export interface UpdateCertificateOptions {
  enabled?: boolean;
  tags?: Record<string, string>;
  abortSignal?: AbortSignal;
}

export interface SetIssuerOptions {
  /** e.g. DigiCert, GlobalSign (or Test on an emulator). */
  provider: string;
  accountId?: string;
  /** Write-only: sent to Key Vault, never returned, never logged. */
  password?: string;
  organizationId?: string;
  administrators?: AdministratorContact[];
  enabled?: boolean;
  abortSignal?: AbortSignal;
}

export type UpdateIssuerOptions = Partial<SetIssuerOptions>;

/**
 * How to download a certificate:
 * - `cer`: the DER certificate only (public);
 * - `pem`: the certificate only, PEM;
 * - `pfx`: certificate chain and private key as PKCS#12, read from the certificate's secret;
 * - `pem-with-key`: certificate chain and private key as PEM (Key Vault converts a PFX when asked).
 */
export type CertificateDownloadFormat = 'cer' | 'pem' | 'pfx' | 'pem-with-key';

/** Downloaded bytes. With a private key inside: never log them, write them only where the user chose. */
export interface CertificateDownload {
  format: CertificateDownloadFormat;
  bytes: Uint8Array;
  /** MIME type for the file. */
  contentType: string;
  /** `.cer`, `.pem` or `.pfx`. */
  fileExtension: string;
  includesPrivateKey: boolean;
}

export interface DownloadCertificateOptions {
  version?: string;
  abortSignal?: AbortSignal;
}
