import { createPrivateKey } from 'node:crypto';
import { KvError, badParameter, conflict } from '../../core/errors';
import { newVersion } from '../../core/ids';
import { newAttributes, VersionedStore } from '../../core/store';
import { checkName, optionalAttributes, optionalBoolean, optionalString, optionalTags, requireObject } from '../../core/validate';
import type { Container, RouteContext } from '../../core/types';
import { completeVersion, startVersion, withNewVersion } from './issuance';
import { findIssuer } from './issuers';
import { bundle, certStore, deletedConflict, metaOf, operationOut, pendingNotFound, type CertObject, type CertVersion } from './model';
import { decodeCertificateValue, pairKeyWithChain, readPem } from './pfx';
import { importedPolicy, resolvePolicy, type PolicyContext, type PolicyRecord } from './policy';
import { keyShapeOf, readCertificate, sameKey } from './x509';

export const policyContext = (container: Container): PolicyContext => ({
  premium: container.spec.sku === 'premium',
  issuerExists: (name) => findIssuer(container, name) !== undefined,
});

const certificateName = (ctx: RouteContext): string => {
  const name = ctx.params['certificate-name']!;
  checkName(name, 'Certificate');
  return name;
};

/**
 * A certificate owns the key and the secret of its name. A key or secret that exists (or waits in the deleted
 * state) without a certificate blocks the name, as on Key Vault.
 */
function checkNameAvailable(container: Container, name: string): void {
  const [keys, secrets] = [new VersionedStore(container.data.keys), new VersionedStore(container.data.secrets)];
  for (const [store, kind] of [[keys, 'key'], [secrets, 'secret']] as const) {
    if (store.get(name)) throw conflict(`A ${kind} named ${name} already exists in this vault. A certificate needs its name for its own key and secret; choose another name or delete (and purge) the ${kind}.`);
    if (store.getDeleted(name)) throw conflict(`A deleted ${kind} named ${name} is waiting to be purged or recovered; a certificate needs its name for its own key and secret. Purge or recover the ${kind} first.`);
  }
}

/** Create/import refuse a name in the deleted state, a key/secret-only name, and a certificate mid-operation. */
function prepareNewVersion(container: Container, name: string): CertObject | undefined {
  const store = certStore(container);
  if (store.getDeleted(name)) throw deletedConflict(name);
  const existing = store.get(name);
  if (!existing) {
    checkNameAvailable(container, name);
    return undefined;
  }
  const op = metaOf(existing).operation;
  if (op?.status === 'inProgress') {
    throw conflict(`Certificate ${name} has a pending operation (request ${op.requestId}). Merge, cancel or delete the pending operation before creating or importing a new version.`);
  }
  return existing;
}

export async function createCertificate(ctx: RouteContext) {
  const name = certificateName(ctx);
  const body = requireObject(ctx.body ?? {}, 'CreateCertificate');
  const existing = prepareNewVersion(ctx.container, name);
  let policy: PolicyRecord;
  if (body.policy !== undefined && body.policy !== null) {
    policy = resolvePolicy(body.policy, undefined, policyContext(ctx.container), 'create');
    if (existing) policy.attributes.created = metaOf(existing).policy.attributes.created;
  } else if (existing) {
    policy = metaOf(existing).policy;
  } else {
    throw badParameter('The policy is required to create the first version of a certificate.');
  }
  const attributes = optionalAttributes(body);
  const tags = optionalTags(body);
  const preserveCertOrder = optionalBoolean(body, 'preserveCertOrder');
  const { object, operation } = await startVersion(ctx.container, ctx.emulator, {
    name,
    policy,
    ...(attributes?.enabled !== undefined ? { enabled: attributes.enabled } : {}),
    ...(tags ? { tags } : {}),
    ...(preserveCertOrder !== undefined ? { preserveCertOrder } : {}),
    version: newVersion(),
    requestId: newVersion(),
    recheck: () => void prepareNewVersion(ctx.container, name),
  });
  ctx.save();
  const origin = ctx.container.origin;
  return {
    status: 202,
    body: operationOut(origin, object.name, operation, true),
    headers: { location: `${origin}/certificates/${object.name}/pending?api-version=${ctx.apiVersion}&request_id=${operation.requestId}`, 'retry-after': '1' },
  };
}

function pendingOperation(ctx: RouteContext) {
  const name = ctx.params['certificate-name']!;
  const object = certStore(ctx.container).get(name);
  const operation = object ? metaOf(object).operation : undefined;
  if (!object || !operation) throw pendingNotFound(name);
  return { object, operation };
}

export function getOperation(ctx: RouteContext) {
  const { object, operation } = pendingOperation(ctx);
  return { body: operationOut(ctx.container.origin, object.name, operation) };
}

export function updateOperation(ctx: RouteContext) {
  const { object, operation } = pendingOperation(ctx);
  const body = requireObject(ctx.body, 'UpdateCertificateOperation');
  const cancel = optionalBoolean(body, 'cancellation_requested');
  if (cancel === undefined) throw badParameter("Property 'cancellation_requested' is required and must be true or false.");
  if (operation.status !== 'inProgress') throw new KvError(403, 'Forbidden', 'Pending status must be in progress to allow update.');
  if (cancel) {
    // With no provider to call back, a cancellation takes effect at once.
    operation.cancellationRequested = true;
    operation.status = 'cancelled';
    operation.statusDetails = 'The certificate request was cancelled. Create a new version to request a certificate again.';
    delete operation.keyPem;
    ctx.save();
  }
  return { body: operationOut(ctx.container.origin, object.name, operation) };
}

export function deleteOperation(ctx: RouteContext) {
  const { object, operation } = pendingOperation(ctx);
  const out = operationOut(ctx.container.origin, object.name, operation);
  // The reserved version stays, disabled and without a certificate, as Key Vault keeps it.
  delete metaOf(object).operation;
  ctx.save();
  return { body: out };
}

/**
 * x5c entries are base64 DER; clients (the JS SDK among them) also send base64 of the certificate's base64 or PEM
 * text, which Key Vault accepts as well.
 */
function decodeX5c(entry: unknown, index: number): Buffer[] {
  if (typeof entry !== 'string' || entry.trim() === '') throw badParameter(`x5c[${index}] must be a base64-encoded certificate.`);
  const bytes = Buffer.from(entry, 'base64');
  if (bytes[0] === 0x30) return [bytes];
  const text = bytes.toString('latin1').trim();
  if (text.includes('-----BEGIN CERTIFICATE-----')) return readPem(text).certs;
  if (/^[A-Za-z0-9+/=\s]+$/.test(text)) {
    const inner = Buffer.from(text, 'base64');
    if (inner[0] === 0x30) return [inner];
  }
  throw badParameter(`x5c[${index}] is not a base64-encoded X.509 certificate (DER or PEM).`);
}

export function mergeCertificate(ctx: RouteContext) {
  const { object, operation } = pendingOperation(ctx);
  const name = object.name;
  const body = requireObject(ctx.body, 'MergeCertificate');
  if (!Array.isArray(body.x5c) || body.x5c.length === 0) throw badParameter("Property 'x5c' is required: the certificate (or chain) to merge, as base64-encoded DER.");
  const certs = body.x5c.flatMap((entry, i) => decodeX5c(entry, i));
  if (operation.status !== 'inProgress' || !operation.keyPem) {
    throw new KvError(403, 'Forbidden', `Pending status must be in progress to allow merge; the operation for certificate ${name} is ${operation.status}.`);
  }
  const record = object.versions.find((v) => v.version === operation.version);
  if (!record) throw new KvError(409, 'Conflict', `The pending version of certificate ${name} no longer exists.`);
  const key = createPrivateKey(operation.keyPem);
  const leafIndex = certs.findIndex((der) => sameKey(readCertificate(der).publicKey, key));
  if (leafIndex < 0) throw badParameter("Public key from x509 certificate and key of this instance doesn't match");
  const leaf = certs[leafIndex]!;
  const chain = operation.preserveCertOrder ? certs : [leaf, ...certs.filter((_, i) => i !== leafIndex)];
  const attributes = optionalAttributes(body);
  const tags = optionalTags(body) ?? operation.requested.tags;
  const enabled = attributes?.enabled ?? operation.requested.enabled;
  completeVersion(ctx.container, ctx.emulator, object, record, { key, leaf, chain }, {
    ...(enabled !== undefined ? { enabled } : {}),
    ...(tags ? { tags } : {}),
    ...(operation.preserveCertOrder !== undefined ? { preserveCertOrder: operation.preserveCertOrder } : {}),
  });
  operation.status = 'completed';
  delete operation.statusDetails;
  delete operation.keyPem;
  ctx.save();
  return { status: 201, body: bundle(ctx.container.origin, object, record) };
}

export function importCertificate(ctx: RouteContext) {
  const name = certificateName(ctx);
  const body = requireObject(ctx.body, 'ImportCertificate');
  if (typeof body.value !== 'string' || body.value.trim() === '') throw badParameter("Property 'value' is required: the base64-encoded PFX, or the PEM text, with the private key.");
  const password = optionalString(body, 'pwd');
  const preserveCertOrder = optionalBoolean(body, 'preserveCertOrder');
  const attributes = optionalAttributes(body);
  const tags = optionalTags(body);
  const existing = prepareNewVersion(ctx.container, name);
  const decoded = decodeCertificateValue(body.value, password);
  const { key, leaf, chain } = pairKeyWithChain(decoded, preserveCertOrder ?? false);
  const policy = importedPolicy(body.policy, readCertificate(leaf), keyShapeOf(key), decoded.format, policyContext(ctx.container));
  if (existing) policy.attributes.created = metaOf(existing).policy.attributes.created;

  const record: CertVersion = { version: newVersion(), attributes: newAttributes({ enabled: false }, ctx.container.spec.softDeleteRetentionDays), payload: { status: 'pending' } };
  // An import ends any earlier (finished) operation: there is nothing pending for this version.
  const object = withNewVersion(ctx.container, name, record, { policy, operation: undefined }, (object) => {
    completeVersion(ctx.container, ctx.emulator, object, record, { key, leaf, chain }, {
      ...(attributes?.enabled !== undefined ? { enabled: attributes.enabled } : {}),
      ...(tags ? { tags } : {}),
      ...(preserveCertOrder !== undefined ? { preserveCertOrder } : {}),
    });
    return object;
  });
  ctx.save();
  return { body: bundle(ctx.container.origin, object, record) };
}
