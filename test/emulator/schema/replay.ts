import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { families } from '../families';
import { errorOf, type RawClient, type RawResponse } from './http-client';
import { loadSpec, refTarget, resolvePointer, SPEC_ROOT, SPEC_FILES, type Json, type Spec, type SpecOperation } from './spec';
import { makePfx, signCsr } from './x509-fixtures';

/**
 * Replays the official examples against the emulator. Each example is made self-contained, generically:
 * - the object it names is first cleared (deleted and purged), then created with the operation that creates that
 *   kind of object (`PUT {object}` or `POST {object}/create`, using that operation's own official example body),
 *   then deleted when the example works on the deleted form (`/deleted…`); parents (a SAS definition's storage
 *   account) are created first; a singleton (`/certificates/contacts`) is set before it is read or deleted;
 * - version parameters take the version the emulator just created; opaque `$skiptoken`s from Azure are dropped.
 * A few operations need protocol knowledge no example carries (a ciphertext made by this service's key, a CSR to
 * merge, a real PFX where the example has "MIIJ...") and get it from RECIPES below. Expected values are never
 * invented: only the example's status and property names are compared.
 */

export interface ExampleDoc {
  parameters: Record<string, unknown>;
  responses: Record<string, { body?: unknown }>;
  title?: string;
}

export interface ExampleCase {
  file: string;
  op: SpecOperation;
  example: ExampleDoc;
}

export interface ReplayResult {
  outcome: 'pass' | 'fail' | 'skip';
  reason: string;
  /** Things worth seeing that are not failures (fields the example predates, the request that was sent). */
  notes: string[];
}

/** Every example file that an operation references, with that operation. */
export function exampleCases(spec: Spec = loadSpec()): ExampleCase[] {
  return spec.operations.flatMap((op) => op.examples.map((file) => ({ file, op, example: JSON.parse(readFileSync(file, 'utf8')) as ExampleDoc })));
}

/** Example files on disk that no operation references (reported, never silently dropped). */
export function orphanExamples(spec: Spec = loadSpec()): string[] {
  const referenced = new Set(spec.operations.flatMap((o) => o.examples));
  const dirs = [...new Set(SPEC_FILES.map((f) => join(SPEC_ROOT, f.file, '..', 'examples')))].filter((d) => existsSync(d));
  return dirs.flatMap((d) => readdirSync(d).map((f) => join(d, f))).filter((f) => f.endsWith('.json') && !referenced.has(f));
}

/** Which container kinds serve each operationId, from the emulator's own route tables. */
export function servedOperations(): Map<string, Set<'vault' | 'hsm'>> {
  const served = new Map<string, Set<'vault' | 'hsm'>>();
  for (const route of families.flatMap((f) => f.routes)) {
    const kinds = served.get(route.operationId.toLowerCase()) ?? new Set();
    route.on.forEach((k) => kinds.add(k));
    served.set(route.operationId.toLowerCase(), kinds);
  }
  return served;
}

const b64u = (b: Buffer): string => b.toString('base64url');
const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));
const isObject = (v: unknown): v is Json => Boolean(v) && typeof v === 'object' && !Array.isArray(v);

/** A named object a path works on: its parameter and its path template in live form (`/secrets/{secret-name}`). */
interface ObjectRef {
  param: string;
  live: string;
}

class SetupError extends Error {}

export class ExampleReplayer {
  private readonly spec: Spec;
  private readonly served = servedOperations();

  constructor(private readonly raw: RawClient) {
    this.spec = loadSpec();
  }

  async replay(c: ExampleCase): Promise<ReplayResult> {
    const { op, example } = c;
    const kinds = this.served.get(op.operationId.toLowerCase());
    if (!kinds) return { outcome: 'skip', reason: `${op.operationId} is not served by the emulator (no route)`, notes: [] };
    const container = op.family === 'hsm' || !kinds.has('vault') ? 'hsm-demo' : 'kv-demo';
    const apiVersion = typeof example.parameters['api-version'] === 'string' ? example.parameters['api-version'] : undefined;
    const ctx = new Context(this.raw, container, apiVersion);
    const notes: string[] = [];
    const params: Record<string, unknown> = { ...example.parameters };
    for (const p of op.parameters) {
      if (p.in !== 'path' || params[p.name] === undefined) continue;
      const rule = this.descriptions(p.name, String(p.description ?? ''));
      const value = contractValue(rule, String(params[p.name]));
      if (value !== params[p.name]) notes.push(`${p.name} '${String(params[p.name])}' → '${value}' (the definitions: "${rule}")`);
      params[p.name] = value;
    }
    const bodyParam = op.parameters.find((p) => p.in === 'body');
    let body = bodyParam ? clone(params[bodyParam.name]) : undefined;
    try {
      const chain = objectChain(op);
      const versions = await this.prepare(ctx, op, chain, params);
      for (const p of op.parameters) if (p.in === 'path' && /version$/i.test(p.name) && versions) params[p.name] = versions;
      body = await this.applyRecipes(ctx, op, params, body);
    } catch (err) {
      if (err instanceof SetupError) return { outcome: 'skip', reason: `setup: ${err.message}`, notes };
      throw err;
    }

    const path = fill(op.path, params, op);
    const query = new URLSearchParams();
    for (const p of op.parameters) {
      if (p.in !== 'query' || p.name === 'api-version' || params[p.name] === undefined) continue;
      // Continuation tokens are opaque and only mean something to the service that issued them.
      if (p.name === '$skiptoken') continue;
      query.set(p.name, String(params[p.name]));
    }
    const target = `${path}${query.size ? `?${query}` : ''}`;
    notes.push(`${op.method} ${container}${target}`);
    const res = await ctx.call(op.method, target, body);
    const [expectedStatus, expected] = Object.entries(example.responses)[0]!;
    if (String(res.status) !== expectedStatus) {
      const error = errorOf(res);
      if (/not supported by the emulator|not emulated|does not emulate/i.test(error?.message ?? '')) {
        return { outcome: 'skip', reason: `not emulated: ${error?.message}`, notes };
      }
      return { outcome: 'fail', reason: `expected ${expectedStatus}, got ${res.status} ${error?.code ?? ''}: ${error?.message ?? res.text.slice(0, 300)}`, notes };
    }
    const differences = compareShape(this.spec, op, expectedStatus, expected.body, res.json, notes);
    if (differences.length) return { outcome: 'fail', reason: differences.join('; '), notes };
    return { outcome: 'pass', reason: `${res.status} with the example's property names`, notes };
  }

  /** A parameter's description, plus the GUID rule when any operation states it for a parameter of that name. */
  private descriptions(name: string, own: string): string {
    const guid = this.spec.operations.some((o) => o.parameters.some((p) => p.name === name && /valid GUID/i.test(String(p.description ?? ''))));
    return guid && !/valid GUID/i.test(own) ? `${own} It can be any valid GUID.` : own;
  }

  /** Clears and creates what the example needs; returns the version of the object it created, if any. */
  private async prepare(ctx: Context, op: SpecOperation, chain: ObjectRef[], params: Record<string, unknown>): Promise<string | undefined> {
    const singletonSetter = this.spec.operations.find((o) => o.method === 'PUT' && o.path === op.path && o !== op);
    if (!chain.length) {
      if (singletonSetter) await this.create(ctx, singletonSetter, params);
      return undefined;
    }
    const target = chain.at(-1)!;
    for (const parent of chain.slice(0, -1)) {
      const exists = await ctx.call('GET', fill(parent.live, params, op));
      if (exists.status === 404) await this.create(ctx, this.creatorOf(parent, op), params);
    }
    const creator = this.findCreator(target);
    // Nothing creates it (HSM settings): it exists by itself, and the example works on it as it is.
    if (!creator) return undefined;
    await this.clear(ctx, target, params, op);
    if (this.isCreator(op, target)) return undefined;
    const created = await this.create(ctx, creator, params, /\/pending/.test(op.path) ? pendingRecipe : RECIPES[op.operationId.toLowerCase()]?.create);
    let version = versionOf(created.json);
    if (!version && !/\/pending/.test(op.path)) version = await this.waitForVersion(ctx, fill(target.live, params, op));
    // A sub-resource with its own setter (`PUT /keys/{name}/rotationpolicy`) is set before it is read.
    if (singletonSetter && op.method !== 'PUT' && op.path !== target.live) await this.create(ctx, singletonSetter, params);
    if (/^\/deleted/i.test(op.path)) {
      const deleted = await ctx.call('DELETE', fill(target.live, params, op));
      if (deleted.status >= 300) throw new SetupError(`deleting ${fill(target.live, params, op)} answered ${deleted.status} ${errorOf(deleted)?.code ?? ''}`);
    }
    return version;
  }

  private isCreator(op: SpecOperation, target: ObjectRef): boolean {
    return (op.method === 'PUT' && op.path === target.live) || (op.method === 'POST' && (op.path === `${target.live}/create` || op.path === `${target.live}/import`));
  }

  /** `POST {object}/create` when the contract has one (CreateKey over ImportKey), else `PUT {object}`. */
  private findCreator(ref: ObjectRef): SpecOperation | undefined {
    return this.spec.operations.find((o) => o.method === 'POST' && o.path === `${ref.live}/create`) ?? this.spec.operations.find((o) => o.method === 'PUT' && o.path === ref.live);
  }

  private creatorOf(ref: ObjectRef, forOp: SpecOperation): SpecOperation {
    const creator = this.findCreator(ref);
    if (!creator) throw new SetupError(`no operation creates ${ref.live} for ${forOp.operationId}`);
    return creator;
  }

  /** Runs a creating operation with its own example's body, under the names of the example being replayed. */
  private async create(ctx: Context, creator: SpecOperation, params: Record<string, unknown>, adjust?: (body: Json, ctx: Context, params: Record<string, unknown>) => Promise<Json> | Json): Promise<RawResponse> {
    const source = creator.examples[0];
    if (!source) throw new SetupError(`${creator.operationId} has no official example to create the prerequisite with`);
    const example = JSON.parse(readFileSync(source, 'utf8')) as ExampleDoc;
    const bodyParam = creator.parameters.find((p) => p.in === 'body');
    let body = (bodyParam ? clone(example.parameters[bodyParam.name]) : undefined) as Json | undefined;
    if (body) body = await (RECIPES[creator.operationId.toLowerCase()]?.body?.(body, ctx, params) ?? body);
    if (body && adjust) body = await adjust(body, ctx, params);
    const path = fill(creator.path, { ...example.parameters, ...params }, creator);
    const res = await ctx.call(creator.method, path, body);
    if (res.status >= 300) throw new SetupError(`${creator.operationId} ${path} answered ${res.status} ${errorOf(res)?.code ?? ''}: ${errorOf(res)?.message ?? ''}`);
    return res;
  }

  /** Deletes the object and purges it, so the example starts from nothing (answers are ignored: it may not exist). */
  private async clear(ctx: Context, ref: ObjectRef, params: Record<string, unknown>, op: SpecOperation): Promise<void> {
    const live = fill(ref.live, params, op);
    await ctx.call('DELETE', live);
    const deletedTemplate = ref.live.replace(/^\/([^/]+)/, '/deleted$1');
    if (this.spec.operations.some((o) => o.method === 'DELETE' && o.path === deletedTemplate)) {
      const purge = fill(deletedTemplate, params, op);
      for (let i = 0; i < 20; i++) {
        const r = await ctx.call('DELETE', purge);
        if (r.status !== 409) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  /** A certificate created with an issuer completes asynchronously on Key Vault; wait for its first version. */
  private async waitForVersion(ctx: Context, live: string): Promise<string | undefined> {
    for (let i = 0; i < 40; i++) {
      const r = await ctx.call('GET', `${live}/`);
      const version = r.status === 200 ? versionOf(r.json) : undefined;
      if (version) return version;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return undefined;
  }

  private async applyRecipes(ctx: Context, op: SpecOperation, params: Record<string, unknown>, body: unknown): Promise<unknown> {
    const recipe = RECIPES[op.operationId.toLowerCase()]?.body;
    return recipe && isObject(body) ? recipe(body, ctx, params, op) : body;
  }
}

/** Requests against one container with the example's api-version. */
class Context {
  constructor(
    readonly raw: RawClient,
    readonly container: string,
    readonly apiVersion: string | undefined,
  ) {}

  call(method: string, path: string, body?: unknown): Promise<RawResponse> {
    return this.raw.request(this.container, method, path, { ...(this.apiVersion ? { apiVersion: this.apiVersion } : {}), ...(body === undefined ? {} : { body }) });
  }
}

type BodyRecipe = (body: Json, ctx: Context, params: Record<string, unknown>, op?: SpecOperation) => Promise<Json> | Json;

/** The version segment of a bundle's id (`…/secrets/{name}/{version}`, `key.kid`). */
function versionOf(json: unknown): string | undefined {
  if (!isObject(json)) return undefined;
  const id = (typeof json.id === 'string' ? json.id : undefined) ?? (isObject(json.key) && typeof json.key.kid === 'string' ? json.key.kid : undefined);
  if (!id) return undefined;
  const segments = new URL(id, 'https://x').pathname.split('/').filter(Boolean);
  const last = segments.at(-1);
  return segments.length >= 3 && last && /^[0-9a-f]{32}$/i.test(last) ? last : undefined;
}

/** Named objects along a path template, outermost first, in live form (`/deletedstorage/{a}` → `/storage/{a}`). */
function objectChain(op: SpecOperation): ObjectRef[] {
  const segments = op.path.split('/').filter(Boolean);
  const skip = new Set(op.parameters.filter((p) => p['x-ms-skip-url-encoding'] || /version$/i.test(p.name) || p.name === 'jobId').map((p) => p.name));
  const live = segments.map((s, i) => (i === 0 ? s.replace(/^deleted/i, '') : s));
  const chain: ObjectRef[] = [];
  segments.forEach((segment, i) => {
    const param = /^\{(.+)\}$/.exec(segment)?.[1];
    if (param && !skip.has(param)) chain.push({ param, live: `/${live.slice(0, i + 1).join('/')}` });
  });
  return chain;
}

/** Fills a path template; x-ms-skip-url-encoding parameters (an HSM role scope such as `keys` or `/`) go in as they are. */
function fill(template: string, params: Record<string, unknown>, op: SpecOperation): string {
  const raw = new Set(op.parameters.filter((p) => p['x-ms-skip-url-encoding']).map((p) => p.name));
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name] === undefined ? '' : String(params[name]);
    return raw.has(name) ? value.replace(/^\/+|\/+$/g, '') : encodeURIComponent(value);
  });
  return path.replace(/\/{2,}/g, '/');
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What the definitions' own words require of a path parameter, where the illustrative example value breaks them:
 * "Managed HSM only supports '/'" (role definition scope), "It can be any valid GUID" (role names) — the GUID is
 * derived from the example's value, so related examples (create, get, delete) agree on it.
 */
function contractValue(description: string, value: string): string {
  const only = /only supports '([^']*)'/i.exec(description)?.[1];
  if (only !== undefined) return only;
  if (/valid GUID/i.test(description) && !GUID.test(value)) {
    const h = createHash('sha256').update(value).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  return value;
}

const DIGEST_BYTES: Record<string, number> = { '256': 32, '384': 48, '512': 64 };

/** A digest of the length the signature algorithm expects (RS512 → 64 bytes). */
function digestFor(alg: unknown): string {
  const bits = /(256|384|512)/.exec(String(alg))?.[1] ?? '256';
  return b64u(createHash(`sha${bits}`).update('example replay').digest().subarray(0, DIGEST_BYTES[bits]));
}

async function forward(ctx: Context, op: SpecOperation | undefined, params: Record<string, unknown>, action: string, body: Json): Promise<Json> {
  const path = fill(`/keys/{key-name}/{key-version}/${action}`, params, op!);
  const res = await ctx.call('POST', path, body);
  if (res.status !== 200 || !isObject(res.json)) throw new SetupError(`${action} to prepare the input answered ${res.status} ${errorOf(res)?.code ?? ''}: ${errorOf(res)?.message ?? ''}`);
  return res.json;
}

/** A pending certificate needs an issuer that does not complete by itself. */
const pendingRecipe = (body: Json): Json => ({ ...body, policy: { ...(isObject(body.policy) ? body.policy : {}), issuer: { name: 'Unknown' } } });

/**
 * Protocol knowledge the examples cannot carry, by operationId: `body` adjusts the request body (of the example, or
 * of a creating operation's example when it runs as setup); `create` adjusts the body that creates the object.
 */
const RECIPES: Record<string, { body?: BodyRecipe; create?: BodyRecipe }> = {
  // A ciphertext, wrapped key or signature only means something to the key that made it: make it with this key.
  decrypt: { body: async (b, ctx, params, op) => ({ ...b, value: (await forward(ctx, op, params, 'encrypt', { alg: b.alg, value: b64u(Buffer.from('example replay')) })).value }) },
  unwrapkey: { body: async (b, ctx, params, op) => ({ ...b, value: (await forward(ctx, op, params, 'wrapkey', { alg: b.alg, value: b64u(randomBytes(32)) })).value }) },
  verify: {
    body: async (b, ctx, params, op) => {
      const digest = digestFor(b.alg);
      return { ...b, digest, value: (await forward(ctx, op, params, 'sign', { alg: b.alg, value: digest })).value };
    },
  },
  sign: { body: (b) => ({ ...b, value: digestFor(b.alg) }) },
  secureunwrapkey: { body: async (b, ctx, params, op) => ({ ...b, value: (await forward(ctx, op, params, 'securewrapkey', { alg: b.alg })).value }) },
  // Release needs an exportable HSM-protected key with a release policy (the example's key is "exportable-aes-key").
  release: {
    create: (b) => ({ ...b, kty: 'RSA-HSM', attributes: { ...(isObject(b.attributes) ? b.attributes : {}), exportable: true }, release_policy: { contentType: 'application/json; charset=utf-8', data: b64u(Buffer.from(JSON.stringify({ version: '1.0.0', anyOf: [{ authority: 'https://attest.example.test', allOf: [{ claim: 'x-ms-sevsnpvm-is-debuggable', equals: false }] }] }))) } }),
  },
  // The example's PFX is "MIIJ..." (cut for brevity): import a real one protected with the example's password.
  importcertificate: {
    body: (b) => (typeof b.value === 'string' && b.value.length < 200 ? { ...b, value: Buffer.from(makePfx(String(b.pwd ?? ''), 'example-import.contoso.test')).toString('base64') } : b),
  },
  // The example's x5c is "MII++cut+for+brevity++…": issue a real certificate for the pending request's CSR.
  mergecertificate: {
    body: async (b, ctx, params, op) => {
      const pending = await ctx.call('GET', fill('/certificates/{certificate-name}/pending', params, op!));
      const csr = isObject(pending.json) ? pending.json.csr : undefined;
      if (typeof csr !== 'string') throw new SetupError(`the pending operation has no CSR (${pending.status})`);
      return { ...b, x5c: [Buffer.from(signCsr(Buffer.from(csr, 'base64'))).toString('base64')] };
    },
  },
  // The example's roleDefinitionId is the placeholder ".../roleDefinitions/roleDefinitionId": use a real role of that scope.
  roleassignments_create: {
    body: async (b, ctx, params) => {
      const scope = String(params.scope ?? '').replace(/^\/+|\/+$/g, '');
      const list = await ctx.call('GET', `/${scope ? `${scope}/` : ''}providers/Microsoft.Authorization/roleDefinitions`);
      const role = isObject(list.json) && Array.isArray(list.json.value) ? (list.json.value[0] as Json | undefined) : undefined;
      if (!role || typeof role.id !== 'string') throw new SetupError(`no role definition to assign (${list.status})`);
      const properties = isObject(b.properties) ? b.properties : {};
      return { ...b, properties: { ...properties, roleDefinitionId: role.id } };
    },
  },
};

/** Property names of a schema (following $ref and allOf), with each property's schema and file. */
function schemaProperties(spec: Spec, schema: Json | undefined, file: string): Map<string, { schema: Json; file: string }> {
  const out = new Map<string, { schema: Json; file: string }>();
  const visit = (s: Json | undefined, f: string, depth: number): void => {
    if (!s || depth > 8) return;
    if (typeof s.$ref === 'string') {
      const t = refTarget(f, s.$ref);
      visit(resolvePointer(spec.documents, t.file, t.pointer), t.file, depth + 1);
      return;
    }
    for (const member of (s.allOf as Json[] | undefined) ?? []) visit(member, f, depth + 1);
    for (const [name, prop] of Object.entries((s.properties as Record<string, Json> | undefined) ?? {})) out.set(name, { schema: prop, file: f });
  };
  visit(schema, file, 0);
  return out;
}

/**
 * Same property names as the example at the top level and inside attributes / key / policy. A property the
 * example lacks is accepted only when the definitions list it (the examples predate e.g. recoverableDays) and is
 * reported as a note; a property the example has and the emulator does not is a failure.
 */
function compareShape(spec: Spec, op: SpecOperation, status: string, expected: unknown, actual: unknown, notes: string[]): string[] {
  if (expected === undefined) return actual === undefined ? [] : ['the example answers without a body, the emulator sent one'];
  if (!isObject(expected) || !isObject(actual)) return isObject(expected) !== isObject(actual) ? [`body kind differs: example ${typeof expected}, emulator ${typeof actual}`] : [];
  const problems: string[] = [];
  const compare = (exp: Json, act: Json, schema: Map<string, { schema: Json; file: string }>, where: string): void => {
    const missing = Object.keys(exp).filter((k) => !(k in act));
    const extra = Object.keys(act).filter((k) => !(k in exp));
    if (missing.length) problems.push(`${where}: missing ${missing.join(', ')}`);
    const unknown = extra.filter((k) => !schema.has(k));
    if (unknown.length) problems.push(`${where}: not in the example nor the definitions: ${unknown.join(', ')}`);
    const documented = extra.filter((k) => schema.has(k));
    if (documented.length) notes.push(`${where}: also has ${documented.join(', ')} (in the definitions, not in the example)`);
  };
  const response = op.responses[status]?.schema;
  const top = schemaProperties(spec, response, op.file);
  compare(expected, actual, top, 'body');
  for (const nested of ['attributes', 'key', 'policy']) {
    const e = expected[nested];
    const a = actual[nested];
    if (isObject(e) && isObject(a)) {
      const prop = top.get(nested);
      compare(e, a, schemaProperties(spec, prop?.schema, prop?.file ?? op.file), nested);
    }
  }
  return problems;
}

export const exampleName = (file: string): string => basename(file);
