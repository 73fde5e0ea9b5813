import { badParameter, conflict } from '../../core/errors';
import { nowSeconds } from '../../core/ids';
import { pageOf } from '../../core/paging';
import { openBackup, sealBackup } from '../../core/backup';
import type { ObjectRecord } from '../../core/store';
import { optionalAttributes, optionalTags, requireObject } from '../../core/validate';
import type { RouteContext } from '../../core/types';
import type { SecretPayload } from '../secrets';
import {
  bundle,
  certificateId,
  certStore,
  currentVersion,
  deletedConflict,
  deletedFields,
  deletedNotFound,
  findVersion,
  item,
  latestCompleted,
  linkedStores,
  metaOf,
  notFoundError,
  type CertObject,
  type CertVersion,
} from './model';
import { policyContext } from './operations';
import { policyOut, resolvePolicy } from './policy';

function liveCertificate(ctx: RouteContext): CertObject {
  const name = ctx.params['certificate-name']!;
  const object = certStore(ctx.container).get(name);
  if (!object) throw notFoundError(name);
  return object;
}

const includePending = (ctx: RouteContext): boolean => ctx.url.searchParams.get('includePending')?.toLowerCase() === 'true';

/** The version a list shows for a certificate; certificates with nothing issued yet only when includePending=true. */
const listedVersion = (object: CertObject, pending: boolean): CertVersion | undefined => latestCompleted(object) ?? (pending ? object.versions.at(-1) : undefined);

export function getCertificate(ctx: RouteContext) {
  const object = liveCertificate(ctx);
  const version = ctx.params['certificate-version'] ?? '';
  const record = findVersion(object, version);
  if (!record) throw notFoundError(object.name, version);
  return { body: bundle(ctx.container.origin, object, record) };
}

export function updateCertificate(ctx: RouteContext) {
  const object = liveCertificate(ctx);
  const version = ctx.params['certificate-version'] ?? '';
  const record = findVersion(object, version);
  if (!record) throw notFoundError(object.name, version);
  const body = requireObject(ctx.body ?? {}, 'UpdateCertificate');
  const attributes = optionalAttributes(body);
  const tags = optionalTags(body);
  if (body.policy !== undefined && body.policy !== null) metaOf(object).policy = resolvePolicy(body.policy, metaOf(object).policy, policyContext(ctx.container), 'update');
  const now = nowSeconds();
  if (attributes?.enabled !== undefined) {
    record.attributes.enabled = attributes.enabled;
    // The key and the secret of a version follow its certificate, as on Key Vault.
    if (record.payload.status === 'completed') {
      for (const store of linkedStores(ctx.container)) {
        const linked = store.getVersion(object.name, record.version)?.record;
        if (linked) {
          linked.attributes.enabled = attributes.enabled;
          linked.attributes.updated = now;
        }
      }
    }
  }
  if (tags) record.tags = tags;
  record.attributes.updated = now;
  ctx.save();
  return { body: bundle(ctx.container.origin, object, record) };
}

export function listCertificates(ctx: RouteContext) {
  const pending = includePending(ctx);
  const items = certStore(ctx.container)
    .list()
    .flatMap((o) => {
      const record = listedVersion(o, pending);
      return record ? [item(ctx.container.origin, o, record, false)] : [];
    });
  return { body: pageOf(items, ctx.url) };
}

export function listVersions(ctx: RouteContext) {
  const object = liveCertificate(ctx);
  return { body: pageOf(object.versions.map((v) => item(ctx.container.origin, object, v, true)), ctx.url) };
}

export function getPolicy(ctx: RouteContext) {
  const object = liveCertificate(ctx);
  return { body: policyOut(metaOf(object).policy, `${certificateId(ctx.container.origin, object.name)}/policy`) };
}

export function updatePolicy(ctx: RouteContext) {
  const object = liveCertificate(ctx);
  const meta = metaOf(object);
  meta.policy = resolvePolicy(requireObject(ctx.body, 'UpdateCertificatePolicy'), meta.policy, policyContext(ctx.container), 'update');
  ctx.save();
  return { body: policyOut(meta.policy, `${certificateId(ctx.container.origin, object.name)}/policy`) };
}

/** Deleting a certificate deletes its key and its secret too, so they appear (and recover, and purge) together. */
export function deleteCertificate(ctx: RouteContext) {
  const object = liveCertificate(ctx);
  const record = currentVersion(object)!;
  const deleted = certStore(ctx.container).softDelete(object.name)!;
  for (const store of linkedStores(ctx.container)) store.softDelete(object.name);
  ctx.save();
  return { body: { ...deletedFields(ctx.container.origin, object.name, deleted.deletedDate, deleted.scheduledPurgeDate), ...bundle(ctx.container.origin, object, record) } };
}

export function listDeleted(ctx: RouteContext) {
  const pending = includePending(ctx);
  const origin = ctx.container.origin;
  const items = certStore(ctx.container)
    .listDeleted()
    .flatMap((d) => {
      const record = listedVersion(d.object, pending);
      return record ? [{ ...deletedFields(origin, d.object.name, d.deletedDate, d.scheduledPurgeDate), ...item(origin, d.object, record, false) }] : [];
    });
  return { body: pageOf(items, ctx.url) };
}

export function getDeleted(ctx: RouteContext) {
  const name = ctx.params['certificate-name']!;
  const d = certStore(ctx.container).getDeleted(name);
  if (!d) throw deletedNotFound(name);
  return { body: { ...deletedFields(ctx.container.origin, d.object.name, d.deletedDate, d.scheduledPurgeDate), ...bundle(ctx.container.origin, d.object, currentVersion(d.object)!) } };
}

export function purgeDeleted(ctx: RouteContext) {
  const name = ctx.params['certificate-name']!;
  const store = certStore(ctx.container);
  if (!store.getDeleted(name)) throw deletedNotFound(name);
  store.purge(name);
  for (const linked of linkedStores(ctx.container)) linked.purge(name);
  ctx.save();
  return { status: 204 };
}

export function recoverDeleted(ctx: RouteContext) {
  const name = ctx.params['certificate-name']!;
  const store = certStore(ctx.container);
  if (store.get(name)) throw conflict(`Certificate ${name} already exists and is not deleted.`);
  const object = store.recover(name);
  if (!object) throw deletedNotFound(name);
  for (const linked of linkedStores(ctx.container)) if (!linked.get(name)) linked.recover(name);
  ctx.save();
  return { body: bundle(ctx.container.origin, object, currentVersion(object)!) };
}

interface CertificateBackup {
  certificate: CertObject;
  key?: ObjectRecord<unknown>;
  secret?: ObjectRecord<SecretPayload>;
}

/** The backup carries the certificate with its key and secret, sealed like every emulator backup. */
export function backupCertificate(ctx: RouteContext) {
  const object = liveCertificate(ctx);
  const [keys, secrets] = linkedStores(ctx.container);
  const blob: CertificateBackup = { certificate: object };
  const key = keys!.get(object.name);
  const secret = secrets!.get(object.name) as ObjectRecord<SecretPayload> | undefined;
  if (key) blob.key = key;
  if (secret) blob.secret = secret;
  return { body: { value: sealBackup('certificates', blob) } };
}

export function restoreCertificate(ctx: RouteContext) {
  const body = requireObject(ctx.body, 'RestoreCertificate');
  const blob = openBackup<CertificateBackup>('certificates', body.value);
  const object = blob.certificate;
  if (!object || typeof object.name !== 'string' || !Array.isArray(object.versions) || object.versions.length === 0) throw badParameter('Backup blob contains invalid or corrupt version.');
  const name = object.name;
  const store = certStore(ctx.container);
  if (store.get(name)) throw conflict(`Certificate ${name} already exists. Restore is only possible when no certificate with that name exists; delete and purge it first.`);
  if (store.getDeleted(name)) throw deletedConflict(name);
  const [keys, secrets] = linkedStores(ctx.container);
  for (const [linked, kind] of [[keys!, 'key'], [secrets!, 'secret']] as const) {
    if (linked.get(name) || linked.getDeleted(name)) throw conflict(`A ${kind} named ${name} exists in this vault (live or deleted); the certificate's ${kind} cannot be restored over it.`);
  }
  store.put(object);
  if (blob.key) keys!.put(blob.key);
  if (blob.secret) {
    // The secret points at its key by absolute id: make it point into this vault.
    for (const v of blob.secret.versions) if (v.payload.kid) v.payload.kid = `${ctx.container.origin}/keys/${name}/${v.version}`;
    secrets!.put(blob.secret);
  }
  ctx.save();
  return { body: bundle(ctx.container.origin, object, currentVersion(object)!) };
}
