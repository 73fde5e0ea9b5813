import forge from 'node-forge';
import type {
  CertificateContact,
  CertificateDownload,
  CertificateDownloadFormat,
  CertificateIssuer,
  CertificateOperation,
  CertificatePolicy,
  CertificateProperties,
  CreateCertificateOptions,
  DeletedCertificate,
  DeletedCertificateProperties,
  DownloadCertificateOptions,
  ImportCertificateOptions,
  IssuerProperties,
  KeyVaultCertificate,
  MergeCertificateOptions,
  SetIssuerOptions,
  UpdateCertificateOptions,
  UpdateIssuerOptions,
} from './models/certificates';
import { KeyVaultError } from './errors';
import type { KeyVaultHttp } from './http/client';
import { pagedList, type PagedList } from './paging';
import { checkName, type Cancellable } from './secrets';
import { buildCertificatePolicy, PEM, PKCS12, policyFromWire, policyToWire, validateCertificatePolicy, type WirePolicy } from './certificates/policy';
import { openPkcs12, pemForImport, readPem, readPfx, type ImportMaterial } from './certificates/pfx';
import { orderChain, readCertificates, toPem } from './certificates/x509';
import { isValidDnsName } from './certificates/names';
import { toBinary } from './certificates/forge';
import {
  certificateFromWire,
  certificatePropertiesFromWire,
  contactsFromWire,
  deletedCertificateFromWire,
  deletedCertificatePropertiesFromWire,
  issuerFromWire,
  issuerPropertiesFromWire,
  operationFromWire,
  type WireCertificate,
  type WireContacts,
  type WireIssuer,
  type WireOperation,
} from './certificates/wire';

export interface ListCertificatesOptions extends Cancellable {
  /** Also list certificates whose first version is still being issued. */
  includePending?: boolean;
}

export interface WaitOptions extends Cancellable {
  /** Default 1 s. */
  pollIntervalMs?: number;
  /** Default 2 min; then a KeyVaultError of kind `timeout`. */
  timeoutMs?: number;
}

export interface CertificatesService {
  list(vaultUrl: string, options?: ListCertificatesOptions): PagedList<CertificateProperties>;
  listVersions(vaultUrl: string, name: string, options?: Cancellable): PagedList<CertificateProperties>;
  /** The latest version (with its policy) unless a version is given. */
  get(vaultUrl: string, name: string, version?: string, options?: Cancellable): Promise<KeyVaultCertificate>;
  getPolicy(vaultUrl: string, name: string, options?: Cancellable): Promise<CertificatePolicy>;
  /** Sends the policy's fields that are set; validated locally first. */
  updatePolicy(vaultUrl: string, name: string, policy: CertificatePolicy, options?: Cancellable): Promise<CertificatePolicy>;
  /** Starts issuance with a policy built from friendly options; returns the pending operation. */
  create(vaultUrl: string, name: string, options: CreateCertificateOptions): Promise<CertificateOperation>;
  getOperation(vaultUrl: string, name: string, options?: Cancellable): Promise<CertificateOperation>;
  /** Polls the operation until it is no longer in progress (completed, failed, cancelled, or waiting for a merge). */
  waitForOperation(vaultUrl: string, name: string, options?: WaitOptions): Promise<CertificateOperation>;
  cancelOperation(vaultUrl: string, name: string, options?: Cancellable): Promise<CertificateOperation>;
  deleteOperation(vaultUrl: string, name: string, options?: Cancellable): Promise<CertificateOperation>;
  /** Completes an issuer-Unknown operation with the CA's certificate (and chain): PEM, DER, base64, or a list. */
  merge(vaultUrl: string, name: string, chain: string | Uint8Array | readonly (string | Uint8Array)[], options?: MergeCertificateOptions): Promise<KeyVaultCertificate>;
  /** Imports a PFX or PEM with its private key, after checking password, key/certificate match and expiry locally. */
  import(vaultUrl: string, name: string, options: ImportCertificateOptions): Promise<KeyVaultCertificate>;
  update(vaultUrl: string, name: string, version: string, update: UpdateCertificateOptions): Promise<KeyVaultCertificate>;
  delete(vaultUrl: string, name: string, options?: Cancellable): Promise<DeletedCertificate>;
  listDeleted(vaultUrl: string, options?: ListCertificatesOptions): PagedList<DeletedCertificateProperties>;
  getDeleted(vaultUrl: string, name: string, options?: Cancellable): Promise<DeletedCertificate>;
  recover(vaultUrl: string, name: string, options?: Cancellable): Promise<KeyVaultCertificate>;
  purge(vaultUrl: string, name: string, options?: Cancellable): Promise<void>;
  backup(vaultUrl: string, name: string, options?: Cancellable): Promise<Uint8Array>;
  restore(vaultUrl: string, backup: Uint8Array, options?: Cancellable): Promise<KeyVaultCertificate>;

  listIssuers(vaultUrl: string, options?: Cancellable): PagedList<IssuerProperties>;
  getIssuer(vaultUrl: string, name: string, options?: Cancellable): Promise<CertificateIssuer>;
  setIssuer(vaultUrl: string, name: string, options: SetIssuerOptions): Promise<CertificateIssuer>;
  updateIssuer(vaultUrl: string, name: string, options: UpdateIssuerOptions): Promise<CertificateIssuer>;
  deleteIssuer(vaultUrl: string, name: string, options?: Cancellable): Promise<CertificateIssuer>;

  /** The vault's certificate contacts; empty when none are set. */
  getContacts(vaultUrl: string, options?: Cancellable): Promise<CertificateContact[]>;
  setContacts(vaultUrl: string, contacts: readonly CertificateContact[], options?: Cancellable): Promise<CertificateContact[]>;
  /** Removes all contacts and returns those removed (empty when there were none). */
  deleteContacts(vaultUrl: string, options?: Cancellable): Promise<CertificateContact[]>;

  /** CER or PEM (public), or the full PFX / PEM with the private key read through the certificate's secret. */
  download(vaultUrl: string, name: string, format: CertificateDownloadFormat, options?: DownloadCertificateOptions): Promise<CertificateDownload>;
}

const base = (vaultUrl: string): string => new URL(vaultUrl).origin;
const seg = encodeURIComponent;
const signal = (o?: Cancellable): { abortSignal?: AbortSignal } => (o?.abortSignal ? { abortSignal: o.abortSignal } : {});
const bad = (message: string, hint?: string): KeyVaultError => new KeyVaultError({ kind: 'bad-request', message, ...(hint ? { hint } : {}) });
const checkCertName = (name: string): void => checkName(name, 'Certificate');
const ISSUER_NAME = /^[0-9a-zA-Z-]{1,127}$/;
const EMAIL = /^[^\s@"(),:;<>[\]\\]+@([^\s@]+)$/;

function checkIssuerName(name: string): void {
  if (!ISSUER_NAME.test(name)) throw bad(`'${name}' is not a valid issuer name.`, 'Issuer names are 1-127 letters, digits and dashes.');
  // Self and Unknown are reserved by Key Vault: they are not objects one can create.
  if (/^(self|unknown)$/i.test(name)) throw bad(`'${name}' is a reserved issuer name.`, 'Self and Unknown are built in; give your issuer another name.');
}

function checkEmail(email: string | undefined, what: string): void {
  const m = email === undefined ? null : EMAIL.exec(email);
  if (!m || !isValidDnsName(m[1]!)) throw bad(`${what} needs a valid email address${email ? `, not '${email}'` : ''}.`);
}

/** The policy Key Vault gets on import: the secret's format must match what is sent, or Key Vault cannot read it. */
function importPolicy(options: ImportCertificateOptions, contentType: string): WirePolicy {
  const keyProps: NonNullable<WirePolicy['key_props']> = {};
  if (options.exportable !== undefined) keyProps.exportable = options.exportable;
  if (options.reuseKey !== undefined) keyProps.reuse_key = options.reuseKey;
  const wire: WirePolicy = { secret_props: { contentType } };
  if (Object.keys(keyProps).length) wire.key_props = keyProps;
  if (options.lifetimeAction) {
    const a = options.lifetimeAction;
    validateCertificatePolicy({ keyProperties: {}, secretProperties: {}, x509Properties: {}, lifetimeActions: [a], issuer: {} });
    wire.lifetime_actions = [{ trigger: a.daysBeforeExpiry !== undefined ? { days_before_expiry: a.daysBeforeExpiry } : { lifetime_percentage: a.lifetimePercentage! }, action: { action_type: a.action } }];
  }
  return wire;
}

function sleep(ms: number, abortSignal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (abortSignal?.aborted) return reject(new KeyVaultError({ kind: 'cancelled', message: 'The operation was cancelled.' }));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new KeyVaultError({ kind: 'cancelled', message: 'The operation was cancelled.' }));
    };
    const timer = setTimeout(() => {
      abortSignal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    abortSignal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Whether a PFX Key Vault returned (no password) or a PEM text carries a private key. */
function hasPrivateKey(bytes: Uint8Array, contentType: string): boolean {
  if (contentType === PEM) return /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(Buffer.from(bytes).toString('utf8'));
  try {
    const p12 = openPkcs12(forge.asn1.fromDer(toBinary(bytes), true), undefined);
    return p12.safeContents.some((s) => s.safeBags.some((b) => b.type === forge.pki.oids.pkcs8ShroudedKeyBag || b.type === forge.pki.oids.keyBag));
  } catch {
    return false;
  }
}

export class RestCertificatesService implements CertificatesService {
  constructor(private readonly http: KeyVaultHttp) {}

  private url(vaultUrl: string, name: string, ...rest: string[]): string {
    checkCertName(name);
    return [`${base(vaultUrl)}/certificates/${seg(name)}`, ...rest.map(seg)].join('/');
  }

  list(vaultUrl: string, options?: ListCertificatesOptions): PagedList<CertificateProperties> {
    return pagedList(this.http, `${base(vaultUrl)}/certificates`, certificatePropertiesFromWire, { ...signal(options), ...(options?.includePending ? { query: { includePending: true } } : {}) });
  }

  listVersions(vaultUrl: string, name: string, options?: Cancellable): PagedList<CertificateProperties> {
    return pagedList(this.http, this.url(vaultUrl, name, 'versions'), certificatePropertiesFromWire, signal(options));
  }

  async get(vaultUrl: string, name: string, version = '', options?: Cancellable): Promise<KeyVaultCertificate> {
    const r = await this.http.send<WireCertificate>('GET', this.url(vaultUrl, name, version), signal(options));
    return certificateFromWire(r.body);
  }

  async getPolicy(vaultUrl: string, name: string, options?: Cancellable): Promise<CertificatePolicy> {
    const r = await this.http.send<WirePolicy>('GET', this.url(vaultUrl, name, 'policy'), signal(options));
    return policyFromWire(r.body);
  }

  async updatePolicy(vaultUrl: string, name: string, policy: CertificatePolicy, options?: Cancellable): Promise<CertificatePolicy> {
    const url = this.url(vaultUrl, name, 'policy');
    validateCertificatePolicy(policy);
    const body = policyToWire(policy);
    delete body.attributes;
    const r = await this.http.send<WirePolicy>('PATCH', url, { body, ...signal(options) });
    return policyFromWire(r.body);
  }

  async create(vaultUrl: string, name: string, options: CreateCertificateOptions): Promise<CertificateOperation> {
    const url = this.url(vaultUrl, name, 'create');
    const policy = policyToWire(buildCertificatePolicy(options));
    // No lifetime action given: let Key Vault apply its default rather than sending "none".
    if (policy.lifetime_actions?.length === 0) delete policy.lifetime_actions;
    const body: Record<string, unknown> = { policy };
    if (options.enabled !== undefined) body.attributes = { enabled: options.enabled };
    if (options.tags) body.tags = options.tags;
    const r = await this.http.send<WireOperation>('POST', url, { body, ...signal(options) });
    return operationFromWire(r.body);
  }

  async getOperation(vaultUrl: string, name: string, options?: Cancellable): Promise<CertificateOperation> {
    const r = await this.http.send<WireOperation>('GET', this.url(vaultUrl, name, 'pending'), signal(options));
    return operationFromWire(r.body);
  }

  async waitForOperation(vaultUrl: string, name: string, options: WaitOptions = {}): Promise<CertificateOperation> {
    const interval = options.pollIntervalMs ?? 1000;
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    for (;;) {
      const op = await this.getOperation(vaultUrl, name, options);
      // An Unknown-issuer operation stays inProgress until merged: waiting for it would never end.
      if (op.status !== 'inProgress' || op.issuerName?.toLowerCase() === 'unknown') return op;
      if (Date.now() + interval > deadline) {
        throw new KeyVaultError({ kind: 'timeout', message: `Certificate '${name}' is still being issued.`, host: new URL(vaultUrl).host, hint: 'Key Vault is still working on it; check the pending operation again later.' });
      }
      await sleep(interval, options.abortSignal);
    }
  }

  async cancelOperation(vaultUrl: string, name: string, options?: Cancellable): Promise<CertificateOperation> {
    const r = await this.http.send<WireOperation>('PATCH', this.url(vaultUrl, name, 'pending'), { body: { cancellation_requested: true }, ...signal(options) });
    return operationFromWire(r.body);
  }

  async deleteOperation(vaultUrl: string, name: string, options?: Cancellable): Promise<CertificateOperation> {
    const r = await this.http.send<WireOperation>('DELETE', this.url(vaultUrl, name, 'pending'), signal(options));
    return operationFromWire(r.body);
  }

  async merge(vaultUrl: string, name: string, chain: string | Uint8Array | readonly (string | Uint8Array)[], options: MergeCertificateOptions = {}): Promise<KeyVaultCertificate> {
    const url = this.url(vaultUrl, name, 'pending', 'merge');
    const ders = orderChain(readCertificates(chain));
    if (ders.length === 0) throw bad('Give the signed certificate to merge.');
    const body: Record<string, unknown> = { x5c: ders.map((d) => d.toString('base64')) };
    if (options.enabled !== undefined) body.attributes = { enabled: options.enabled };
    if (options.tags) body.tags = options.tags;
    const r = await this.http.send<WireCertificate>('POST', url, { body, ...signal(options) });
    return certificateFromWire(r.body);
  }

  async import(vaultUrl: string, name: string, options: ImportCertificateOptions): Promise<KeyVaultCertificate> {
    const url = this.url(vaultUrl, name, 'import');
    const check = { ...(options.allowExpired !== undefined ? { allowExpired: options.allowExpired } : {}) };
    let material: ImportMaterial;
    let value: string;
    let contentType: string;
    if ('pfx' in options) {
      material = readPfx(options.pfx, options.password, check);
      // The PFX goes as given (with its password): Key Vault keeps the chain and key exactly as exported.
      value = Buffer.from(options.pfx).toString('base64');
      contentType = PKCS12;
    } else {
      material = readPem(options.pem, options.password, check);
      // Key Vault reads unencrypted PKCS#8 PEM; an encrypted key has been opened locally with its password.
      value = pemForImport(material);
      contentType = PEM;
    }
    const body: Record<string, unknown> = { value, policy: importPolicy(options, contentType) };
    if (material.format === 'pfx' && options.password) body.pwd = options.password;
    if (options.enabled !== undefined) body.attributes = { enabled: options.enabled };
    if (options.tags) body.tags = options.tags;
    if (options.preserveCertOrder !== undefined) body.preserveCertOrder = options.preserveCertOrder;
    const r = await this.http.send<WireCertificate>('POST', url, { body, ...signal(options) });
    return certificateFromWire(r.body);
  }

  async update(vaultUrl: string, name: string, version: string, update: UpdateCertificateOptions): Promise<KeyVaultCertificate> {
    const body: Record<string, unknown> = {};
    if (update.enabled !== undefined) body.attributes = { enabled: update.enabled };
    if (update.tags) body.tags = update.tags;
    const r = await this.http.send<WireCertificate>('PATCH', this.url(vaultUrl, name, version), { body, ...signal(update) });
    return certificateFromWire(r.body);
  }

  async delete(vaultUrl: string, name: string, options?: Cancellable): Promise<DeletedCertificate> {
    const r = await this.http.send<WireCertificate>('DELETE', this.url(vaultUrl, name), signal(options));
    return deletedCertificateFromWire(r.body);
  }

  listDeleted(vaultUrl: string, options?: ListCertificatesOptions): PagedList<DeletedCertificateProperties> {
    return pagedList(this.http, `${base(vaultUrl)}/deletedcertificates`, deletedCertificatePropertiesFromWire, { ...signal(options), ...(options?.includePending ? { query: { includePending: true } } : {}) });
  }

  async getDeleted(vaultUrl: string, name: string, options?: Cancellable): Promise<DeletedCertificate> {
    checkCertName(name);
    const r = await this.http.send<WireCertificate>('GET', `${base(vaultUrl)}/deletedcertificates/${seg(name)}`, signal(options));
    return deletedCertificateFromWire(r.body);
  }

  async recover(vaultUrl: string, name: string, options?: Cancellable): Promise<KeyVaultCertificate> {
    checkCertName(name);
    const r = await this.http.send<WireCertificate>('POST', `${base(vaultUrl)}/deletedcertificates/${seg(name)}/recover`, signal(options));
    return certificateFromWire(r.body);
  }

  async purge(vaultUrl: string, name: string, options?: Cancellable): Promise<void> {
    checkCertName(name);
    await this.http.send('DELETE', `${base(vaultUrl)}/deletedcertificates/${seg(name)}`, signal(options));
  }

  async backup(vaultUrl: string, name: string, options?: Cancellable): Promise<Uint8Array> {
    const r = await this.http.send<{ value?: string }>('POST', this.url(vaultUrl, name, 'backup'), signal(options));
    return Buffer.from(r.body.value ?? '', 'base64url');
  }

  async restore(vaultUrl: string, backup: Uint8Array, options?: Cancellable): Promise<KeyVaultCertificate> {
    if (backup.length === 0) throw bad('The backup is empty.');
    const r = await this.http.send<WireCertificate>('POST', `${base(vaultUrl)}/certificates/restore`, { body: { value: Buffer.from(backup).toString('base64url') }, ...signal(options) });
    return certificateFromWire(r.body);
  }

  listIssuers(vaultUrl: string, options?: Cancellable): PagedList<IssuerProperties> {
    return pagedList(this.http, `${base(vaultUrl)}/certificates/issuers`, issuerPropertiesFromWire, signal(options));
  }

  private issuerUrl(vaultUrl: string, name: string): string {
    checkIssuerName(name);
    return `${base(vaultUrl)}/certificates/issuers/${seg(name)}`;
  }

  async getIssuer(vaultUrl: string, name: string, options?: Cancellable): Promise<CertificateIssuer> {
    const r = await this.http.send<WireIssuer>('GET', this.issuerUrl(vaultUrl, name), signal(options));
    return issuerFromWire(r.body);
  }

  async setIssuer(vaultUrl: string, name: string, options: SetIssuerOptions): Promise<CertificateIssuer> {
    const url = this.issuerUrl(vaultUrl, name);
    if (!options.provider?.trim()) throw bad('An issuer needs a provider, e.g. DigiCert or GlobalSign.');
    const r = await this.http.send<WireIssuer>('PUT', url, { body: issuerBody(options), ...signal(options) });
    return issuerFromWire(r.body);
  }

  async updateIssuer(vaultUrl: string, name: string, options: UpdateIssuerOptions): Promise<CertificateIssuer> {
    const url = this.issuerUrl(vaultUrl, name);
    if (options.provider !== undefined && !options.provider.trim()) throw bad('The provider cannot be empty.');
    const r = await this.http.send<WireIssuer>('PATCH', url, { body: issuerBody(options), ...signal(options) });
    return issuerFromWire(r.body);
  }

  async deleteIssuer(vaultUrl: string, name: string, options?: Cancellable): Promise<CertificateIssuer> {
    const r = await this.http.send<WireIssuer>('DELETE', this.issuerUrl(vaultUrl, name), signal(options));
    return issuerFromWire(r.body);
  }

  async getContacts(vaultUrl: string, options?: Cancellable): Promise<CertificateContact[]> {
    // Key Vault answers 404 when no contacts were ever set: that is an empty list, not an error.
    const r = await this.http.send<WireContacts>('GET', `${base(vaultUrl)}/certificates/contacts`, { ...signal(options), allowStatus: [404] });
    return r.status === 404 ? [] : contactsFromWire(r.body);
  }

  async setContacts(vaultUrl: string, contacts: readonly CertificateContact[], options?: Cancellable): Promise<CertificateContact[]> {
    if (contacts.length === 0) throw bad('Give at least one contact, or delete the contacts instead.');
    contacts.forEach((c, i) => checkEmail(c.email, `Contact ${i + 1}`));
    const body = { contacts: contacts.map((c) => ({ email: c.email, ...(c.name ? { name: c.name } : {}), ...(c.phone ? { phone: c.phone } : {}) })) };
    const r = await this.http.send<WireContacts>('PUT', `${base(vaultUrl)}/certificates/contacts`, { body, ...signal(options) });
    return contactsFromWire(r.body);
  }

  async deleteContacts(vaultUrl: string, options?: Cancellable): Promise<CertificateContact[]> {
    const r = await this.http.send<WireContacts>('DELETE', `${base(vaultUrl)}/certificates/contacts`, { ...signal(options), allowStatus: [404] });
    return r.status === 404 ? [] : contactsFromWire(r.body);
  }

  async download(vaultUrl: string, name: string, format: CertificateDownloadFormat, options: DownloadCertificateOptions = {}): Promise<CertificateDownload> {
    checkCertName(name);
    if (!['cer', 'pem', 'pfx', 'pem-with-key'].includes(format)) throw bad(`'${String(format)}' is not a download format.`, 'Use cer, pem, pfx or pem-with-key.');
    const version = options.version ?? '';
    if (format === 'cer' || format === 'pem') {
      const cert = await this.get(vaultUrl, name, version, options);
      if (cert.cer.length === 0) throw bad(`Certificate '${name}' has no issued version yet.`, 'Wait for the pending operation to complete (or merge it), then download.');
      return format === 'cer'
        ? { format, bytes: cert.cer, contentType: 'application/pkix-cert', fileExtension: '.cer', includesPrivateKey: false }
        : { format, bytes: new Uint8Array(Buffer.from(toPem(cert.cer))), contentType: PEM, fileExtension: '.pem', includesPrivateKey: false };
    }
    // The full certificate lives in the secret of the same name and version.
    const secretUrl = `${base(vaultUrl)}/secrets/${seg(name)}/${seg(version)}`;
    let secret = (await this.http.send<{ value?: string; contentType?: string }>('GET', secretUrl, signal(options))).body;
    if (format === 'pfx' && secret.contentType === PEM) {
      throw bad(`Certificate '${name}' is stored as PEM; Key Vault converts only PFX to PEM.`, 'Download it as PEM with its key instead.');
    }
    if (format === 'pem-with-key' && secret.contentType === PKCS12) {
      secret = (await this.http.send<{ value?: string; contentType?: string }>('GET', secretUrl, { query: { outContentType: PEM }, ...signal(options) })).body;
    }
    const contentType = secret.contentType === PEM ? PEM : PKCS12;
    const bytes = contentType === PEM ? new Uint8Array(Buffer.from(secret.value ?? '', 'utf8')) : new Uint8Array(Buffer.from(secret.value ?? '', 'base64'));
    return { format, bytes, contentType, fileExtension: contentType === PEM ? '.pem' : '.pfx', includesPrivateKey: hasPrivateKey(bytes, contentType) };
  }
}

function issuerBody(options: UpdateIssuerOptions): Record<string, unknown> {
  options.administrators?.forEach((a, i) => {
    if (a.email !== undefined) checkEmail(a.email, `Administrator ${i + 1}`);
  });
  const body: Record<string, unknown> = {};
  if (options.provider !== undefined) body.provider = options.provider.trim();
  if (options.accountId !== undefined || options.password !== undefined) {
    body.credentials = { ...(options.accountId !== undefined ? { account_id: options.accountId } : {}), ...(options.password !== undefined ? { pwd: options.password } : {}) };
  }
  if (options.organizationId !== undefined || options.administrators !== undefined) {
    body.org_details = {
      ...(options.organizationId !== undefined ? { id: options.organizationId } : {}),
      ...(options.administrators
        ? {
            admin_details: options.administrators.map((a) => ({
              ...(a.firstName !== undefined ? { first_name: a.firstName } : {}),
              ...(a.lastName !== undefined ? { last_name: a.lastName } : {}),
              ...(a.email !== undefined ? { email: a.email } : {}),
              ...(a.phone !== undefined ? { phone: a.phone } : {}),
            })),
          }
        : {}),
    };
  }
  if (options.enabled !== undefined) body.attributes = { enabled: options.enabled };
  return body;
}
