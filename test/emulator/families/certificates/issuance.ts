import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { nowSeconds } from '../../core/ids';
import { newAttributes, VersionedStore, type Attributes } from '../../core/store';
import type { Container, EmulatorInternals } from '../../core/types';
import { findIssuer, authorityFor } from './issuers';
import { certStore, metaOf, type CertificateMeta, type CertObject, type CertVersion, type OperationRecord } from './model';
import { encodeSecretValue } from './pfx';
import { keyShapeOfPolicy, profileOf, type PolicyRecord } from './policy';
import { createCsr, generatePrivateKey, issueCertificate, keyShapeOf, readCertificate } from './x509';

/** Registered by the keys family: adds a key version (used here for the key behind each certificate version). */
type AddKeyVersion = (
  container: Container,
  name: string,
  input: { privateKey: KeyObject; kty: string; keyOps?: string[]; attributes?: Partial<Attributes>; tags?: Record<string, string>; managed: true; version: string; exportable?: boolean },
) => { kid: string };

/** Registered by the secrets family. */
type AddSecretVersion = (
  container: Container,
  name: string,
  input: { value: string; contentType?: string; managed?: boolean; kid?: string; version?: string; attributes?: Partial<Attributes>; tags?: Record<string, string> },
) => unknown;

export const keyPemOf = (key: KeyObject): string => key.export({ type: 'pkcs8', format: 'pem' }) as string;

// Key Vault backs certificate keys with these operations: RSA keys sign, encrypt and wrap; EC keys only sign.
const keyOpsFor = (kty: string): string[] => (kty.startsWith('EC') ? ['sign', 'verify'] : ['sign', 'verify', 'wrapKey', 'unwrapKey', 'encrypt', 'decrypt']);

/** Self-signed certificates start ten minutes in the past (as Key Vault's do) and run for whole calendar months. */
export function validityWindow(validityMonths: number, now = Date.now()): { notBefore: Date; notAfter: Date } {
  const notAfter = new Date(now);
  notAfter.setUTCMonth(notAfter.getUTCMonth() + validityMonths);
  return { notBefore: new Date(now - 10 * 60_000), notAfter };
}

export interface IssuedMaterial {
  key: KeyObject;
  leaf: Buffer;
  /** The chain in the order the secret keeps it, leaf included. */
  chain: Buffer[];
}

/**
 * Turns a pending version into a completed one: adds the key and the secret with the same name and version (the
 * secret holds the PFX or PEM, with the private key only when the policy allows export), then stores the
 * certificate. Everything that can fail runs before the version changes, so a failure leaves it pending.
 */
export function completeVersion(
  container: Container,
  emulator: EmulatorInternals,
  object: CertObject,
  record: CertVersion,
  material: IssuedMaterial,
  options: { enabled?: boolean; tags?: Record<string, string>; preserveCertOrder?: boolean },
): void {
  const policy = metaOf(object).policy;
  const details = readCertificate(material.leaf);
  const enabled = options.enabled ?? true;
  const contentType = policy.secret_props.contentType;
  const secretValue = encodeSecretValue({ ...(policy.key_props.exportable ? { key: material.key } : {}), certs: material.chain }, contentType);
  const linked: Partial<Attributes> = { enabled, nbf: details.notBefore, exp: details.notAfter };
  const shape = keyShapeOf(material.key);
  const kty = policy.key_props.kty.endsWith('-HSM') ? `${shape.kty}-HSM` : shape.kty;

  const addKeyVersion = emulator.services.addKeyVersion as AddKeyVersion | undefined;
  const kid =
    addKeyVersion?.(container, object.name, {
      privateKey: material.key,
      kty,
      keyOps: keyOpsFor(kty),
      attributes: { ...linked, exportable: policy.key_props.exportable },
      managed: true,
      version: record.version,
      exportable: policy.key_props.exportable,
    }).kid ?? `${container.origin}/keys/${object.name}/${record.version}`;
  const addSecretVersion = emulator.services.addSecretVersion as AddSecretVersion;
  addSecretVersion(container, object.name, { value: secretValue, contentType, managed: true, kid, version: record.version, attributes: linked });

  record.payload = {
    status: 'completed',
    cer: material.leaf.toString('base64'),
    chain: material.chain.map((c) => c.toString('base64')),
    keyPem: keyPemOf(material.key),
    ...(options.preserveCertOrder !== undefined ? { preserveCertOrder: options.preserveCertOrder } : {}),
  };
  Object.assign(record.attributes, linked, { updated: nowSeconds() });
  if (options.tags) record.tags = options.tags;
}

/**
 * Adds a version to a certificate (creating the certificate when needed) and runs `fill` on it; when `fill` throws,
 * the certificate is put back as it was, so no half-made version or operation is left behind.
 */
export function withNewVersion<T>(container: Container, name: string, record: CertVersion, meta: Partial<CertificateMeta>, fill: (object: CertObject) => T): T {
  const store = certStore(container);
  const existing = store.get(name);
  const before = existing ? { ...metaOf(existing) } : undefined;
  const object = store.addVersion(existing?.name ?? name, record);
  Object.assign(object.meta, meta);
  try {
    return fill(object);
  } catch (err) {
    object.versions.pop();
    if (before) {
      for (const key of Object.keys(object.meta)) delete object.meta[key];
      Object.assign(object.meta, before);
    } else {
      delete store.data.live[VersionedStore.key(object.name)];
    }
    throw err;
  }
}

export interface CreateRequest {
  name: string;
  policy: PolicyRecord;
  enabled?: boolean;
  tags?: Record<string, string>;
  preserveCertOrder?: boolean;
  version: string;
  requestId: string;
  /** Overrides the validity the policy implies (the demo seed uses it for a certificate about to expire). */
  window?: { notBefore: Date; notAfter: Date };
  /** A key made beforehand (the demo seed makes all its keys at once, in parallel). */
  key?: KeyObject;
  /** Re-checks the name right before the state changes: another request may have used it while keys were made. */
  recheck?: () => void;
}

/** The key for a new version: the previous version's when the policy says reuse_key and the shape still fits. */
async function keyForNewVersion(object: CertObject | undefined, policy: PolicyRecord): Promise<KeyObject> {
  const shape = keyShapeOfPolicy(policy);
  if (policy.key_props.reuse_key && object) {
    const previous = object.versions.filter((v) => v.payload.keyPem).at(-1);
    if (previous?.payload.keyPem) {
      const key = createPrivateKey(previous.payload.keyPem);
      const current = keyShapeOf(key);
      const fits = current.kty === shape.kty && (shape.kty === 'RSA' ? current.keySize === shape.keySize : current.crv === shape.crv);
      if (fits) return key;
    }
  }
  return generatePrivateKey(shape);
}

/**
 * Starts a certificate version: reserves the version (pending, disabled), makes the key and the CSR, and then
 * - Self: signs the certificate with its own key and completes the version;
 * - a configured issuer: signs it with that issuer's emulated CA (a chain of two) and completes the version, or
 *   fails the operation when the issuer is disabled;
 * - Unknown: leaves the operation in progress with the CSR until a merge, a cancellation or a delete.
 */
export async function startVersion(container: Container, emulator: EmulatorInternals, request: CreateRequest): Promise<{ object: CertObject; operation: OperationRecord }> {
  const existing = certStore(container).get(request.name);
  const key = request.key ?? (await keyForNewVersion(existing, request.policy));
  const publicKey = createPublicKey(key);
  const profile = profileOf(request.policy);
  const csr = createCsr(profile, key, publicKey);
  const window = request.window ?? validityWindow(request.policy.x509_props.validity_months);
  const operation: OperationRecord = {
    requestId: request.requestId,
    version: request.version,
    issuer: { ...request.policy.issuer },
    csr: csr.toString('base64'),
    status: 'inProgress',
    cancellationRequested: false,
    requested: { ...(request.enabled !== undefined ? { enabled: request.enabled } : {}), ...(request.tags ? { tags: request.tags } : {}) },
    ...(request.preserveCertOrder !== undefined ? { preserveCertOrder: request.preserveCertOrder } : {}),
  };

  // Issue first (the only slow, asynchronous part), then change the state in one synchronous step.
  const issuerName = request.policy.issuer.name;
  let issued: { leaf: Buffer; chain: Buffer[] } | undefined;
  if (issuerName === 'Self') {
    const leaf = issueCertificate({ profile, publicKey, ...window, selfKey: key });
    issued = { leaf, chain: [leaf] };
  } else if (issuerName === 'Unknown') {
    operation.keyPem = keyPemOf(key);
    operation.statusDetails = 'Pending certificate created. Please Perform Merge to complete the request.';
  } else {
    const issuer = findIssuer(container, issuerName);
    if (!issuer || !issuer.attributes.enabled) {
      operation.status = 'failed';
      operation.statusDetails = `The certificate request could not be sent to issuer '${issuerName}'.`;
      operation.error = issuer
        ? { code: 'IssuerDisabled', message: `Issuer '${issuerName}' is disabled. Enable it (PATCH /certificates/issuers/${issuerName}) or use another issuer, then create a new version.` }
        : { code: 'IssuerNotFound', message: `Issuer '${issuerName}' is not configured in this vault.` };
    } else {
      const authority = await authorityFor(issuer);
      const leaf = issueCertificate({ profile, publicKey, ...window, issuer: authority });
      issued = { leaf, chain: [leaf, authority.cer] };
    }
  }

  // Until it completes, a version is disabled and shows the validity it is expected to get.
  const record: CertVersion = {
    version: request.version,
    attributes: newAttributes({ enabled: false, nbf: Math.floor(window.notBefore.getTime() / 1000), exp: Math.floor(window.notAfter.getTime() / 1000) }, container.spec.softDeleteRetentionDays),
    payload: { status: 'pending', ...(request.preserveCertOrder !== undefined ? { preserveCertOrder: request.preserveCertOrder } : {}) },
  };
  if (request.tags) record.tags = request.tags;
  request.recheck?.();
  const object = withNewVersion(container, request.name, record, { policy: request.policy, operation }, (object) => {
    if (issued) {
      completeVersion(container, emulator, object, record, { key, ...issued }, { enabled: request.enabled, tags: request.tags, preserveCertOrder: request.preserveCertOrder });
      operation.status = 'completed';
    }
    return object;
  });
  return { object, operation };
}
