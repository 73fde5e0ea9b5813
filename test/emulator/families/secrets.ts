import { KvError, badParameter, conflict, notFound } from '../core/errors';
import { newVersion, nowSeconds } from '../core/ids';
import { pageOf } from '../core/paging';
import { newAttributes, VersionedStore, type Attributes, type ObjectRecord, type VersionRecord } from '../core/store';
import { sealBackup, openBackup } from '../core/backup';
import { checkName, optionalAttributes, optionalString, optionalTags, requireObject } from '../core/validate';
import type { Container, EmulatorInternals, FamilyModule, RouteContext, RouteDef } from '../core/types';

export interface SecretPayload {
  value: string;
  contentType?: string;
  /** Set on secrets that back a certificate: they refuse direct changes. */
  managed?: boolean;
  kid?: string;
}

/** Key Vault's limit on a secret value. */
export const MAX_SECRET_BYTES = 25 * 1024;

export const secretStore = (c: Container): VersionedStore<SecretPayload> => new VersionedStore(c.data.secrets as never);

const notFoundError = (name: string, version = ''): KvError =>
  notFound(
    'SecretNotFound',
    `A secret with (name/id) ${name}${version ? `/${version}` : ''} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
  );

const deletedConflict = (name: string): KvError =>
  conflict(`Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`);

function attributesOut(a: Attributes): Record<string, unknown> {
  const out: Record<string, unknown> = { enabled: a.enabled, created: a.created, updated: a.updated, recoveryLevel: a.recoveryLevel, recoverableDays: a.recoverableDays };
  if (a.nbf !== undefined) out.nbf = a.nbf;
  if (a.exp !== undefined) out.exp = a.exp;
  return out;
}

function item(origin: string, object: ObjectRecord<SecretPayload>, record: VersionRecord<SecretPayload>, versioned: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: `${origin}/secrets/${object.name}${versioned ? `/${record.version}` : ''}`,
    attributes: attributesOut(record.attributes),
  };
  if (record.tags) out.tags = record.tags;
  if (record.payload.contentType !== undefined) out.contentType = record.payload.contentType;
  if (record.payload.managed) out.managed = true;
  return out;
}

function bundle(origin: string, object: ObjectRecord<SecretPayload>, record: VersionRecord<SecretPayload>, withValue: boolean): Record<string, unknown> {
  const out = item(origin, object, record, true);
  if (withValue) out.value = record.payload.value;
  if (record.payload.kid) out.kid = record.payload.kid;
  return out;
}

function deletedFields(origin: string, name: string, deletedDate: number, scheduledPurgeDate: number): Record<string, unknown> {
  return { recoveryId: `${origin}/deletedsecrets/${name}`, deletedDate, scheduledPurgeDate };
}

/** Adds a version; used by the routes and by the certificates family for the secret behind a certificate. */
export function addSecretVersion(
  container: Container,
  name: string,
  input: { value: string; contentType?: string; tags?: Record<string, string>; attributes?: Partial<Attributes>; managed?: boolean; kid?: string; version?: string },
): { object: ObjectRecord<SecretPayload>; record: VersionRecord<SecretPayload> } {
  const store = secretStore(container);
  const record: VersionRecord<SecretPayload> = {
    version: input.version ?? newVersion(),
    attributes: newAttributes(input.attributes, container.spec.softDeleteRetentionDays),
    payload: { value: input.value },
  };
  if (input.tags) record.tags = input.tags;
  if (input.contentType !== undefined) record.payload.contentType = input.contentType;
  if (input.managed) record.payload.managed = true;
  if (input.kid) record.payload.kid = input.kid;
  const object = store.addVersion(name, record);
  return { object, record };
}

/**
 * Only `enabled` gates reading a value. Key Vault stores nbf/exp on secrets and returns them, but does not refuse
 * a read outside that window (unlike key operations): observed on the real service (Azure/AzureKeyVault issue #19).
 */
function usable(record: VersionRecord<SecretPayload>, operation: string): void {
  if (!record.attributes.enabled) throw new KvError(403, 'Forbidden', `Operation ${operation} is not allowed on a disabled secret.`, 'SecretDisabled');
}

function setSecret(ctx: RouteContext) {
  const name = ctx.params['secret-name']!;
  checkName(name, 'Secret');
  const body = requireObject(ctx.body, 'SetSecret');
  if (typeof body.value !== 'string') throw badParameter("Property 'value' is required and must be a string.");
  if (Buffer.byteLength(body.value, 'utf8') > MAX_SECRET_BYTES) {
    throw badParameter(`The secret value is too large: ${Buffer.byteLength(body.value, 'utf8')} bytes. The maximum allowed size of a secret value is ${MAX_SECRET_BYTES} bytes.`);
  }
  const store = secretStore(ctx.container);
  if (store.getDeleted(name)) throw deletedConflict(name);
  const existing = store.get(name);
  const current = existing?.versions[existing.versions.length - 1];
  if (current?.payload.managed) throw conflict(`Secret ${name} backs a certificate; its value is managed by Key Vault and cannot be set directly. Import or create a new version of the certificate instead.`);
  const contentType = optionalString(body, 'contentType');
  const tags = optionalTags(body);
  const attributes = optionalAttributes(body);
  const { object, record } = addSecretVersion(ctx.container, existing?.name ?? name, {
    value: body.value,
    ...(contentType !== undefined ? { contentType } : {}),
    ...(tags ? { tags } : {}),
    ...(attributes ? { attributes } : {}),
  });
  ctx.save();
  return { body: bundle(ctx.container.origin, object, record, true) };
}

function getSecret(ctx: RouteContext) {
  const name = ctx.params['secret-name']!;
  const version = ctx.params['secret-version'] ?? '';
  const found = secretStore(ctx.container).getVersion(name, version);
  if (!found) throw notFoundError(name, version);
  usable(found.record, 'get');
  const out = bundle(ctx.container.origin, found.object, found.record, true);
  const outContentType = ctx.url.searchParams.get('outContentType');
  if (outContentType !== null) {
    const convert = ctx.emulator.services.convertCertificateSecret as ((value: string, from: string | undefined, to: string) => string) | undefined;
    if (outContentType !== 'application/x-pkcs12' && outContentType !== 'application/x-pem-file') throw badParameter(`outContentType '${outContentType}' is not supported.`);
    if (!found.record.payload.managed || !convert) throw badParameter('outContentType applies only to secrets that back a certificate.');
    out.value = convert(found.record.payload.value, found.record.payload.contentType, outContentType);
    out.contentType = outContentType;
  }
  return { body: out };
}

function updateSecret(ctx: RouteContext) {
  const name = ctx.params['secret-name']!;
  const version = ctx.params['secret-version'] ?? '';
  const found = secretStore(ctx.container).getVersion(name, version);
  if (!found) throw notFoundError(name, version);
  if (found.record.payload.managed) {
    throw conflict(`Secret ${name} backs a certificate; update the certificate's attributes instead of the secret's.`);
  }
  const body = requireObject(ctx.body ?? {}, 'UpdateSecret');
  const contentType = optionalString(body, 'contentType');
  const tags = optionalTags(body);
  const attributes = optionalAttributes(body);
  const a = found.record.attributes;
  if (attributes?.enabled !== undefined) a.enabled = attributes.enabled;
  if (attributes?.nbf !== undefined) a.nbf = attributes.nbf;
  if (attributes?.exp !== undefined) a.exp = attributes.exp;
  if (a.nbf !== undefined && a.exp !== undefined && a.nbf > a.exp) throw badParameter('The activation date (nbf) must be before the expiry date (exp).');
  if (contentType !== undefined) found.record.payload.contentType = contentType;
  if (tags) found.record.tags = tags;
  a.updated = nowSeconds();
  ctx.save();
  return { body: bundle(ctx.container.origin, found.object, found.record, false) };
}

function deleteSecret(ctx: RouteContext) {
  const name = ctx.params['secret-name']!;
  const store = secretStore(ctx.container);
  const object = store.get(name);
  if (!object) throw notFoundError(name);
  const latest = object.versions[object.versions.length - 1]!;
  if (latest.payload.managed) throw new KvError(403, 'Forbidden', `Secret ${name} backs a certificate and cannot be deleted directly. Delete the certificate instead.`);
  const deleted = store.softDelete(name)!;
  ctx.save();
  return { body: { ...deletedFields(ctx.container.origin, object.name, deleted.deletedDate, deleted.scheduledPurgeDate), ...bundle(ctx.container.origin, object, latest, false) } };
}

function listSecrets(ctx: RouteContext) {
  const objects = secretStore(ctx.container).list();
  return { body: pageOf(objects, ctx.url, (o) => item(ctx.container.origin, o, o.versions[o.versions.length - 1]!, false)) };
}

function listVersions(ctx: RouteContext) {
  const name = ctx.params['secret-name']!;
  const object = secretStore(ctx.container).get(name);
  if (!object) throw notFoundError(name);
  return { body: pageOf(object.versions.map((v) => item(ctx.container.origin, object, v, true)), ctx.url) };
}

function listDeleted(ctx: RouteContext) {
  const items = secretStore(ctx.container)
    .listDeleted()
    .map((d) => ({ ...deletedFields(ctx.container.origin, d.object.name, d.deletedDate, d.scheduledPurgeDate), ...item(ctx.container.origin, d.object, d.object.versions[d.object.versions.length - 1]!, false) }));
  return { body: pageOf(items, ctx.url) };
}

function deletedNotFound(name: string): KvError {
  return notFound('SecretNotFound', `Deleted Secret not found: ${name}`);
}

function getDeleted(ctx: RouteContext) {
  const name = ctx.params['secret-name']!;
  const d = secretStore(ctx.container).getDeleted(name);
  if (!d) throw deletedNotFound(name);
  const latest = d.object.versions[d.object.versions.length - 1]!;
  return { body: { ...deletedFields(ctx.container.origin, d.object.name, d.deletedDate, d.scheduledPurgeDate), ...bundle(ctx.container.origin, d.object, latest, false) } };
}

function purgeDeleted(ctx: RouteContext) {
  const name = ctx.params['secret-name']!;
  const store = secretStore(ctx.container);
  const d = store.getDeleted(name);
  if (!d) throw deletedNotFound(name);
  if (d.object.versions.at(-1)?.payload.managed) throw new KvError(403, 'Forbidden', `Secret ${name} backs a certificate; purge the deleted certificate instead.`);
  store.purge(name);
  ctx.save();
  return { status: 204 };
}

function recoverDeleted(ctx: RouteContext) {
  const name = ctx.params['secret-name']!;
  const store = secretStore(ctx.container);
  if (store.get(name)) throw conflict(`Secret ${name} already exists and is not deleted.`);
  const object = store.recover(name);
  if (!object) throw deletedNotFound(name);
  ctx.save();
  return { body: bundle(ctx.container.origin, object, object.versions[object.versions.length - 1]!, false) };
}

function backupSecret(ctx: RouteContext) {
  const name = ctx.params['secret-name']!;
  const object = secretStore(ctx.container).get(name);
  if (!object) throw notFoundError(name);
  if (object.versions.at(-1)?.payload.managed) throw new KvError(403, 'Forbidden', `Secret ${name} backs a certificate; back up the certificate instead.`);
  return { body: { value: sealBackup('secrets', object) } };
}

function restoreSecret(ctx: RouteContext) {
  const body = requireObject(ctx.body, 'RestoreSecret');
  const object = openBackup<ObjectRecord<SecretPayload>>('secrets', body.value);
  const store = secretStore(ctx.container);
  if (store.get(object.name)) throw conflict(`Secret ${object.name} already exists. Restore is only possible when no secret with that name exists; delete and purge it first.`);
  if (store.getDeleted(object.name)) throw deletedConflict(object.name);
  store.put(object);
  ctx.save();
  return { body: bundle(ctx.container.origin, object, object.versions[object.versions.length - 1]!, false) };
}

const vault = ['vault'] as const;
const routes: RouteDef[] = [
  { method: 'GET', path: '/secrets', operationId: 'GetSecrets', on: vault, permission: { family: 'secrets', action: 'list' }, handler: listSecrets },
  { method: 'POST', path: '/secrets/restore', operationId: 'RestoreSecret', on: vault, permission: { family: 'secrets', action: 'restore' }, handler: restoreSecret },
  { method: 'PUT', path: '/secrets/{secret-name}', operationId: 'SetSecret', on: vault, permission: { family: 'secrets', action: 'set' }, handler: setSecret },
  { method: 'DELETE', path: '/secrets/{secret-name}', operationId: 'DeleteSecret', on: vault, permission: { family: 'secrets', action: 'delete' }, handler: deleteSecret },
  { method: 'GET', path: '/secrets/{secret-name}/versions', operationId: 'GetSecretVersions', on: vault, permission: { family: 'secrets', action: 'list' }, handler: listVersions },
  { method: 'POST', path: '/secrets/{secret-name}/backup', operationId: 'BackupSecret', on: vault, permission: { family: 'secrets', action: 'backup' }, handler: backupSecret },
  { method: 'GET', path: '/secrets/{secret-name}/{secret-version?}', operationId: 'GetSecret', on: vault, permission: { family: 'secrets', action: 'get' }, handler: getSecret },
  { method: 'PATCH', path: '/secrets/{secret-name}/{secret-version?}', operationId: 'UpdateSecret', on: vault, permission: { family: 'secrets', action: 'set' }, handler: updateSecret },
  { method: 'GET', path: '/deletedsecrets', operationId: 'GetDeletedSecrets', on: vault, permission: { family: 'secrets', action: 'list' }, handler: listDeleted },
  { method: 'GET', path: '/deletedsecrets/{secret-name}', operationId: 'GetDeletedSecret', on: vault, permission: { family: 'secrets', action: 'get' }, handler: getDeleted },
  { method: 'DELETE', path: '/deletedsecrets/{secret-name}', operationId: 'PurgeDeletedSecret', on: vault, permission: { family: 'secrets', action: 'purge' }, handler: purgeDeleted },
  { method: 'POST', path: '/deletedsecrets/{secret-name}/recover', operationId: 'RecoverDeletedSecret', on: vault, permission: { family: 'secrets', action: 'recover' }, handler: recoverDeleted },
];

const DAY = 86400;

/** Demo content: realistic names, tags and content types; one near expiry, one disabled, one deleted; 1,200 in kv-scale. */
function seedDemo(container: Container, _emulator: EmulatorInternals): void {
  if (container.spec.kind !== 'vault') return;
  const now = nowSeconds();
  if (container.spec.name === 'kv-scale') {
    for (let i = 0; i < 1200; i++) {
      const app = ['billing', 'orders', 'search', 'identity', 'payments', 'catalog'][i % 6]!;
      addSecretVersion(container, `${app}-setting-${String(i).padStart(4, '0')}`, {
        value: `scale-value-${i}-${Math.random().toString(36).slice(2)}`,
        contentType: i % 3 === 0 ? 'text/plain' : 'application/json',
        tags: { app, env: i % 2 ? 'prod' : 'staging' },
        ...(i % 97 === 0 ? { attributes: { exp: now + 10 * DAY } } : {}),
      });
    }
    return;
  }
  const random = (): string => Math.random().toString(36).slice(2, 14);
  addSecretVersion(container, 'database-password', { value: `P@ss-${random()}`, contentType: 'password', tags: { app: 'orders', env: 'dev', owner: 'data-team' } });
  addSecretVersion(container, 'database-password', { value: `P@ss-${random()}`, contentType: 'password', tags: { app: 'orders', env: 'dev', owner: 'data-team' } });
  addSecretVersion(container, 'storage-connection-string', {
    value: `DefaultEndpointsProtocol=https;AccountName=contosodemo;AccountKey=${Buffer.from(random()).toString('base64')};EndpointSuffix=core.windows.net`,
    contentType: 'text/plain',
    tags: { app: 'orders', env: 'dev' },
  });
  addSecretVersion(container, 'app-config-json', { value: JSON.stringify({ featureFlags: { search: true, beta: false }, retries: 3, endpoint: 'https://api.contoso.example' }, null, 2), contentType: 'application/json', tags: { app: 'web' } });
  addSecretVersion(container, 'api-key-expiring', { value: `key-${random()}`, contentType: 'text/plain', tags: { rotate: 'monthly' }, attributes: { exp: now + 5 * DAY } });
  addSecretVersion(container, 'legacy-token-disabled', { value: `legacy-${random()}`, tags: { status: 'retired' }, attributes: { enabled: false } });
  addSecretVersion(container, 'future-secret', { value: `future-${random()}`, attributes: { nbf: now + 30 * DAY } });
  addSecretVersion(container, 'multiline-pem-note', { value: `-----BEGIN NOTE-----\nline one\nline two\n-----END NOTE-----\n`, contentType: 'text/plain' });
  addSecretVersion(container, 'old-service-password', { value: `old-${random()}`, contentType: 'password', tags: { app: 'legacy' } });
  secretStore(container).softDelete('old-service-password');
}

export const secrets: FamilyModule = {
  routes,
  seedDemo,
  register(emulator) {
    emulator.services.addSecretVersion = addSecretVersion;
    emulator.services.secretStore = secretStore;
  },
};
