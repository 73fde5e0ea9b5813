import type { FamilyModule, JsonResponse, RouteContext, RouteDef } from '../core/types';
import { addKeyVersionService, getKeyPrivate } from './keys/bundle';
import { generateKeyMaterial, keyObjectOf } from './keys/jwk';
import {
  backupKey, createKey, deleteKey, getDeletedKey, getKey, getRandomBytes, getRotationPolicy, importKey, listDeletedKeys, listKeyVersions, listKeys,
  notEmulated, purgeDeletedKey, recoverDeletedKey, releaseKey, restoreKey, rotateKey, updateKey, updateRotationPolicy,
} from './keys/management';
import { keyStore } from './keys/model';
import { decryptHandler, encryptHandler, signHandler, unwrapHandler, verifyHandler, wrapHandler } from './keys/operations';
import { ensureDemoKeys, markDemoKeys } from './keys/seed';

// Keys on vaults and Managed HSMs, with real cryptography (node:crypto) over private material kept as JWK in the state.
// Crypto routes exist with and without a version segment: SDK clients send `/keys/{name}//sign` for the latest
// version, which the router sees as `/keys/{name}/sign`.

type Handler = (ctx: RouteContext) => JsonResponse | Promise<JsonResponse>;

/** Every keys handler first waits for the container's lazily generated demo keys. */
const seeded =
  (handler: Handler): Handler =>
  async (ctx) => {
    await ensureDemoKeys(ctx);
    return handler(ctx);
  };

const both = ['vault', 'hsm'] as const;
const hsmOnly = ['hsm'] as const;
const perm = (action: string) => ({ family: 'keys' as const, action });

const crypto: [string, string, string, Handler][] = [
  ['sign', 'sign', 'sign', signHandler],
  ['verify', 'verify', 'verify', verifyHandler],
  ['encrypt', 'encrypt', 'encrypt', encryptHandler],
  ['decrypt', 'decrypt', 'decrypt', decryptHandler],
  ['wrapkey', 'wrapKey', 'wrapKey', wrapHandler],
  ['unwrapkey', 'unwrapKey', 'unwrapKey', unwrapHandler],
  ['release', 'release', 'release', releaseKey],
  ['securewrapkey', 'securewrapkey', 'wrapKey', notEmulated('Secure key wrap')],
  ['secureunwrapkey', 'secureunwrapkey', 'unwrapKey', notEmulated('Secure key unwrap')],
];

const table: RouteDef[] = [
  { method: 'GET', path: '/keys', operationId: 'GetKeys', on: both, permission: perm('list'), handler: listKeys },
  { method: 'POST', path: '/keys/restore', operationId: 'RestoreKey', on: both, permission: perm('restore'), handler: restoreKey },
  { method: 'PUT', path: '/keys/{key-name}', operationId: 'ImportKey', on: both, permission: perm('import'), handler: importKey },
  { method: 'DELETE', path: '/keys/{key-name}', operationId: 'DeleteKey', on: both, permission: perm('delete'), handler: deleteKey },
  { method: 'POST', path: '/keys/{key-name}/create', operationId: 'CreateKey', on: both, permission: perm('create'), handler: createKey },
  { method: 'POST', path: '/keys/{key-name}/rotate', operationId: 'RotateKey', on: both, permission: perm('rotate'), handler: rotateKey },
  { method: 'POST', path: '/keys/{key-name}/backup', operationId: 'BackupKey', on: both, permission: perm('backup'), handler: backupKey },
  { method: 'GET', path: '/keys/{key-name}/versions', operationId: 'GetKeyVersions', on: both, permission: perm('list'), handler: listKeyVersions },
  { method: 'GET', path: '/keys/{key-name}/rotationpolicy', operationId: 'GetKeyRotationPolicy', on: both, permission: perm('getrotationpolicy'), handler: getRotationPolicy },
  { method: 'PUT', path: '/keys/{key-name}/rotationpolicy', operationId: 'UpdateKeyRotationPolicy', on: both, permission: perm('setrotationpolicy'), handler: updateRotationPolicy },
  { method: 'GET', path: '/keys/{key-name}/attestation', operationId: 'GetKeyAttestation', on: both, permission: perm('get'), handler: notEmulated('Key attestation') },
  { method: 'GET', path: '/keys/{key-name}/{key-version}/attestation', operationId: 'GetKeyAttestation', on: both, permission: perm('get'), handler: notEmulated('Key attestation') },
  { method: 'GET', path: '/keys/{key-name}/{key-version?}', operationId: 'GetKey', on: both, permission: perm('get'), handler: getKey },
  { method: 'PATCH', path: '/keys/{key-name}/{key-version?}', operationId: 'UpdateKey', on: both, permission: perm('update'), handler: updateKey },
  ...crypto.flatMap(([segment, operationId, action, handler]): RouteDef[] => [
    { method: 'POST' as const, path: `/keys/{key-name}/${segment}`, operationId, on: both, permission: perm(action), handler },
    { method: 'POST' as const, path: `/keys/{key-name}/{key-version}/${segment}`, operationId, on: both, permission: perm(action), handler },
  ]),
  { method: 'GET', path: '/deletedkeys', operationId: 'GetDeletedKeys', on: both, permission: perm('list'), handler: listDeletedKeys },
  { method: 'GET', path: '/deletedkeys/{key-name}', operationId: 'GetDeletedKey', on: both, permission: perm('get'), handler: getDeletedKey },
  { method: 'DELETE', path: '/deletedkeys/{key-name}', operationId: 'PurgeDeletedKey', on: both, permission: perm('purge'), handler: purgeDeletedKey },
  { method: 'POST', path: '/deletedkeys/{key-name}/recover', operationId: 'RecoverDeletedKey', on: both, permission: perm('recover'), handler: recoverDeletedKey },
  { method: 'POST', path: '/rng', operationId: 'GetRandomBytes', on: hsmOnly, permission: perm('rng'), handler: getRandomBytes },
];
const routes: RouteDef[] = table.map((r) => ({ ...r, handler: seeded(r.handler) }));

export const keys: FamilyModule = {
  routes,
  seedDemo(container) {
    markDemoKeys(container);
  },
  register(emulator) {
    emulator.services.addKeyVersion = addKeyVersionService;
    emulator.services.getKeyPrivate = getKeyPrivate;
    emulator.services.keyStore = keyStore;
    /** Fresh key material for other families (a certificate's key pair), as a Node KeyObject. */
    emulator.services.generateKeyObject = async (kty: 'RSA' | 'EC', options: { keySize?: number; crv?: 'P-256' | 'P-384' | 'P-521' | 'P-256K' } = {}) =>
      keyObjectOf(await generateKeyMaterial(kty, options));
  },
};
