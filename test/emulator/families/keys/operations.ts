import { KvError, badParameter } from '../../core/errors';
import { nowSeconds } from '../../core/ids';
import { requireObject } from '../../core/validate';
import type { RouteContext } from '../../core/types';
import { keyId } from './bundle';
import { decrypt, encrypt, signDigest, unwrapKey, verifyDigest, wrapKey } from './crypto';
import { findVersion } from './management';
import { b64u, decodeBase64Url } from './model';

type Operation = 'sign' | 'verify' | 'encrypt' | 'decrypt' | 'wrapKey' | 'unwrapKey';

/**
 * Not-yet-valid and expired keys still decrypt, unwrap and verify (to recover data made while the key was valid);
 * they refuse to encrypt, wrap and sign.
 */
const DATE_CONTROLLED: ReadonlySet<Operation> = new Set(['sign', 'encrypt', 'wrapKey']);

function requireAlg(body: Record<string, unknown>): string {
  if (body.alg === undefined || body.alg === null || body.alg === '') throw badParameter("Property 'alg' is required.");
  if (typeof body.alg !== 'string') throw badParameter("Property 'alg' has invalid value: expected a string.");
  return body.alg;
}

/** Finds the key version and applies Key Vault's checks in its order: disabled, key_ops, then nbf/exp. */
function usableKey(ctx: RouteContext, operation: Operation) {
  const found = findVersion(ctx);
  const { attributes, payload } = found.record;
  if (!attributes.enabled) throw new KvError(403, 'Forbidden', `Operation ${operation} is not allowed on a disabled key.`, 'KeyDisabled');
  if (!payload.keyOps.includes(operation)) throw new KvError(403, 'Forbidden', `Operation ${operation} is not permitted on this key.`, 'KeyOperationForbidden');
  if (DATE_CONTROLLED.has(operation)) {
    const now = nowSeconds();
    if (attributes.nbf !== undefined && attributes.nbf > now) {
      throw new KvError(403, 'Forbidden', `Operation ${operation} is not allowed on a key that is not yet valid (nbf is in the future).`, 'KeyNotYetValid');
    }
    if (attributes.exp !== undefined && attributes.exp <= now) throw new KvError(403, 'Forbidden', `Operation ${operation} is not allowed on an expired key.`, 'KeyExpired');
  }
  return { kid: keyId(ctx.container.origin, found.object.name, found.record.version), key: { kty: payload.kty, jwk: payload.jwk } };
}

export function signHandler(ctx: RouteContext) {
  const body = requireObject(ctx.body, 'sign');
  const alg = requireAlg(body);
  const digest = decodeBase64Url(body.value, 'value')!;
  const { kid, key } = usableKey(ctx, 'sign');
  return { body: { kid, value: b64u(signDigest(key, alg, digest)) } };
}

export function verifyHandler(ctx: RouteContext) {
  const body = requireObject(ctx.body, 'verify');
  const alg = requireAlg(body);
  const digest = decodeBase64Url(body.digest, 'digest')!;
  const signature = decodeBase64Url(body.value, 'value')!;
  const { key } = usableKey(ctx, 'verify');
  return { body: { value: verifyDigest(key, alg, digest, signature) } };
}

function symmetricParams(body: Record<string, unknown>) {
  const iv = decodeBase64Url(body.iv, 'iv', false);
  const aad = decodeBase64Url(body.aad, 'aad', false);
  const tag = decodeBase64Url(body.tag, 'tag', false);
  return { ...(iv ? { iv } : {}), ...(aad?.length ? { aad } : {}), ...(tag ? { tag } : {}) };
}

export function encryptHandler(ctx: RouteContext) {
  const body = requireObject(ctx.body, 'encrypt');
  const alg = requireAlg(body);
  const plaintext = decodeBase64Url(body.value, 'value')!;
  const params = symmetricParams(body);
  const { kid, key } = usableKey(ctx, 'encrypt');
  const result = encrypt(key, alg, plaintext, params);
  const out: Record<string, unknown> = { kid, value: b64u(result.value) };
  if (result.iv) out.iv = b64u(result.iv);
  if (result.tag) out.tag = b64u(result.tag);
  if (result.aad) out.aad = b64u(result.aad);
  return { body: out };
}

export function decryptHandler(ctx: RouteContext) {
  const body = requireObject(ctx.body, 'decrypt');
  const alg = requireAlg(body);
  const ciphertext = decodeBase64Url(body.value, 'value')!;
  const params = symmetricParams(body);
  const { kid, key } = usableKey(ctx, 'decrypt');
  return { body: { kid, value: b64u(decrypt(key, alg, ciphertext, params)) } };
}

export function wrapHandler(ctx: RouteContext) {
  const body = requireObject(ctx.body, 'wrapKey');
  const alg = requireAlg(body);
  const cek = decodeBase64Url(body.value, 'value')!;
  const { kid, key } = usableKey(ctx, 'wrapKey');
  return { body: { kid, value: b64u(wrapKey(key, alg, cek)) } };
}

export function unwrapHandler(ctx: RouteContext) {
  const body = requireObject(ctx.body, 'unwrapKey');
  const alg = requireAlg(body);
  const wrapped = decodeBase64Url(body.value, 'value')!;
  const { kid, key } = usableKey(ctx, 'unwrapKey');
  return { body: { kid, value: b64u(unwrapKey(key, alg, wrapped)) } };
}
