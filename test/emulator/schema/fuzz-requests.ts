import fc from 'fast-check';
import { bodyArbitrary } from './arbitraries';
import { loadSpec, type SpecOperation } from './spec';

/**
 * Random requests for the emulator fuzz: half built from nothing (any collection, segments, methods, query strings,
 * bodies of any shape, including broken and huge ones), half following an operation of the definitions (its path
 * template, verb and body schema, sometimes with one wrong property) so that they reach the handlers.
 */

const COLLECTIONS = [
  'secrets', 'deletedsecrets', 'keys', 'deletedkeys', 'certificates', 'deletedcertificates', 'certificates/issuers', 'certificates/contacts',
  'storage', 'deletedstorage', 'rng', 'settings', 'providers/Microsoft.Authorization/roleDefinitions', 'providers/Microsoft.Authorization/roleAssignments',
  'keys/providers/Microsoft.Authorization/roleAssignments', 'backup', 'restore', 'securitydomain/download', '',
];
const ACTIONS = [
  'versions', 'backup', 'restore', 'recover', 'create', 'import', 'sign', 'verify', 'encrypt', 'decrypt', 'wrapkey', 'unwrapkey', 'rotate', 'rotationpolicy',
  'release', 'attestation', 'securewrapkey', 'pending', 'merge', 'policy', 'sas', 'regeneratekey', 'contacts', 'issuers',
];
/** Demo objects, so that routes reach their handlers with existing state too. */
const NAMES = ['database-password', 'legacy-token-disabled', 'future-secret', 'old-service-password', 'api-key-expiring', 'fuzz-object', 'a'.repeat(127), 'a'.repeat(128)];
const ODD_SEGMENTS = ['%', '%zz', '%E0%A4%A', '%00', '%2F', '%2e%2e', '%C3%28', '%F0%9F%92%A9', '..', '.', ' ', 'null', 'undefined', '0', '-', '😀', 'ä', '\u202e', '00000000000000000000000000000000'];
const API_VERSIONS = ['2026-04-01', '2025-07-01', '7.6', '7.5', '7.4', '7.0'];
const METHODS = ['GET', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS', 'HEAD'];
const PLAUSIBLE_KEYS = [
  'value', 'contentType', 'tags', 'attributes', 'enabled', 'nbf', 'exp', 'kty', 'key_size', 'key_ops', 'crv', 'public_exponent', 'key', 'hsm', 'alg', 'digest',
  'iv', 'tag', 'aad', 'count', 'policy', 'x5c', 'pwd', 'target', 'nonce', 'enc', 'lifetimeActions', 'properties', 'roleDefinitionId', 'principalId',
  'permissions', 'roleName', 'assignableScopes', 'resourceId', 'activeKeyName', 'autoRegenerateKey', 'regenerationPeriod', 'keyName', 'templateUri',
  'sasType', 'validityPeriod', 'contacts', 'credentials', 'provider', 'org_details', 'cancellation_requested', 'issuer', 'x509_props', 'key_props',
  'secret_props', 'subject', 'validity_months', 'sans', 'release_policy', 'exportable', 'recoveryLevel', 'name', 'n', 'e', 'd', 'x', 'y', 'k',
];
const PLAUSIBLE_VALUES = [
  '', 'RSA', 'EC', 'oct', 'oct-HSM', 'RSA-HSM', 'EC-HSM', 'P-256', 'P-384', 'P-256K', 'RS256', 'PS512', 'ES256', 'ES256K', 'RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5',
  'A256GCM', 'A128CBCPAD', 'A256KW', 'Self', 'Unknown', 'application/x-pkcs12', 'application/x-pem-file', 'account', 'service', 'P30D', 'PT1H', 'P0D',
  '-1', '1e309', 'AQAB', 'AA', '====', 'sign', 'encrypt', 'CN=fuzz', 'key1', 'key2', 'https://example.test/x?sv=1', 'Rotate', 'Notify', 'EmailContacts',
  'AutoRenew', '/', '/keys', 'true', 'AllowKeyManagementOperationsThroughARM',
];

/** Makes a random segment path-safe enough to stay a path: `?`, `#` and `/` would change what the URL means. */
export const segmentText = (s: string): string => s.replace(/[?#/\\]/g, (c) => encodeURIComponent(c));

const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ACTIONS) },
  { weight: 4, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_SEGMENTS) },
  { weight: 2, arbitrary: fc.stringMatching(/^[0-9a-f]{32}$/) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }).map(segmentText) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }).map((s) => segmentText(encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, 'x')))) },
  { weight: 1, arbitrary: fc.constant('') },
);

const path = fc.tuple(fc.constantFrom(...COLLECTIONS), fc.array(segment, { maxLength: 4 })).map(([collection, rest]) => `/${[collection, ...rest].join('/')}`);

const leaf = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PLAUSIBLE_VALUES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1, 256, 2048, 5000, 1_000_000, 2 ** 53, -(2 ** 31), 1.5) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 300 }).map((n) => 'x'.repeat(n)) },
);

const { jsonish } = fc.letrec<{ jsonish: unknown }>((tie) => ({
  jsonish: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('jsonish'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...PLAUSIBLE_KEYS), fc.string({ maxLength: 8 })), tie('jsonish'), { maxKeys: 6 }),
  ),
}));

/** Bodies: none, plausible-but-wrong objects, any JSON, broken JSON, very deep nesting, big documents. */
const body = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...PLAUSIBLE_KEYS), jsonish, { maxKeys: 6 }).map((o) => JSON.stringify(o)) },
  { weight: 2, arbitrary: jsonish.map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 1, arbitrary: fc.string({ maxLength: 50 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }).map((n) => JSON.stringify({ value: 'v', tags: Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, 'x'])) })) },
  // Around the 25 KB secret limit and far beyond it; one big string, so generation stays cheap.
  { weight: 1, arbitrary: fc.integer({ min: 20_000, max: 60_000 }).map((n) => JSON.stringify({ value: 'x'.repeat(n), kty: 'RSA', x5c: ['x'.repeat(n)] })) },
);

const query = fc.record({
  apiVersion: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...API_VERSIONS) }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }),
  extra: fc.array(
    fc.tuple(fc.oneof(fc.constantFrom('maxresults', '$skiptoken', 'outContentType', '$filter', 'api-version'), fc.string({ maxLength: 5 })), fc.oneof(fc.constantFrom('0', '1', '25', '26', 'abc', '', '-1', 'application/x-pem-file'), fc.string({ maxLength: 20 }))),
    { maxLength: 3 },
  ),
});

const randomRequest = fc.record({
  container: fc.constantFrom('kv-demo', 'kv-demo', 'kv-demo', 'hsm-demo', 'kv-scale'),
  method: fc.constantFrom(...METHODS),
  path,
  query,
  body,
  contentType: fc.constantFrom('application/json', 'application/json', 'application/json', 'text/plain', 'application/xml', 'application/json; charset=utf-16', undefined),
  override: fc.option(fc.constantFrom('PATCH', 'DELETE', 'PUT', 'patch', 'GET', ''), { freq: 8 }),
});

export type FuzzRequest = typeof randomRequest extends fc.Arbitrary<infer T> ? T : never;

/** Values for a path parameter, by its name in the definitions. */
function pathParam(name: string): fc.Arbitrary<string> {
  if (/version$/i.test(name)) return fc.oneof(fc.constant(''), fc.stringMatching(/^[0-9a-f]{32}$/));
  if (name === 'scope') return fc.constantFrom('', 'keys');
  if (name === 'setting-name') return fc.oneof(fc.constant('AllowKeyManagementOperationsThroughARM'), fc.string({ maxLength: 10 }).map(segmentText));
  if (/^(roleDefinitionName|roleAssignmentName|jobId)$/.test(name)) return fc.uuid();
  if (/^(storage-account-name|sas-definition-name)$/.test(name)) return fc.constantFrom('fuzzstorage', 'fuzzsas', 'contosodemo', 'x'.repeat(30));
  return fc.oneof(fc.constantFrom(...NAMES), fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/));
}

/** Requests that follow an operation of the definitions (path, verb and body shape), so they reach the handlers. */
const spec = loadSpec();
function requestFor(op: SpecOperation): fc.Arbitrary<FuzzRequest> {
  const segments = op.path.split('/').filter(Boolean);
  const pathArb = fc.tuple(...segments.map((seg) => (/^\{(.+)\}$/.test(seg) ? pathParam(seg.slice(1, -1)) : fc.constant(seg)))).map((parts) => `/${parts.join('/')}`);
  const bodyArb = bodyArbitrary(spec, op, jsonish);
  const container = op.family === 'hsm' ? fc.constant('hsm-demo' as const) : op.family === 'keys' ? fc.constantFrom('kv-demo' as const, 'hsm-demo' as const) : fc.constant('kv-demo' as const);
  return fc.record({
    container,
    method: fc.oneof({ weight: 9, arbitrary: fc.constant(op.method as string) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
    path: pathArb,
    query: fc.record({
      apiVersion: op.family === 'storage' ? fc.constant('7.5') : fc.constantFrom(...API_VERSIONS),
      extra: fc.oneof(fc.constant<[string, string][]>([]), fc.integer({ min: 1, max: 25 }).map((n): [string, string][] => [['maxresults', String(n)]])),
    }),
    body: bodyArb ? fc.option(bodyArb.map((b) => JSON.stringify(b)), { freq: 10, nil: undefined }) : fc.constant(undefined),
    contentType: fc.constant<FuzzRequest['contentType']>('application/json'),
    override: fc.constant(null),
  });
}

/** Built once per operation: building schema-driven arbitraries on every run would dominate the fuzz time. */
const perOperation = new Map<string, fc.Arbitrary<FuzzRequest>>();
const guidedRequest: fc.Arbitrary<FuzzRequest> = fc.constantFrom(...spec.operations.filter((o) => o.family !== 'common')).chain((op) => {
  let arbitrary = perOperation.get(op.operationId);
  if (!arbitrary) perOperation.set(op.operationId, (arbitrary = requestFor(op)));
  return arbitrary;
});

export const fuzzRequest = fc.oneof(randomRequest, guidedRequest);

export function describeRequest(r: FuzzRequest): string {
  const b = r.body === undefined ? '' : ` body(${r.body.length})=${r.body.slice(0, 200)}`;
  return `${r.method} ${r.container}${r.path} query=${JSON.stringify(r.query)} ct=${r.contentType ?? '-'} override=${r.override ?? '-'}${b}`;
}
