import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

/**
 * The Key Vault contract (Swagger 2.0 definitions in test/spec/keyvault) loaded once and indexed by operationId,
 * with `$ref`s to parameters resolved across files so that tests can reason about paths, parameters and responses.
 */

export const SPEC_ROOT = join(__dirname, '..', '..', 'spec', 'keyvault');

/** Which family of the emulator each definition file describes. */
export type SpecFamily = 'keys' | 'secrets' | 'certificates' | 'hsm' | 'storage' | 'common';

export const SPEC_FILES: readonly { file: string; family: SpecFamily }[] = [
  { file: '2026-04-01/keys.json', family: 'keys' },
  { file: '2026-04-01/secrets.json', family: 'secrets' },
  { file: '2026-04-01/certificates.json', family: 'certificates' },
  { file: '2026-04-01/administration.json', family: 'hsm' },
  { file: '2026-04-01/securitydomain.json', family: 'hsm' },
  { file: '7.5/storage.json', family: 'storage' },
  { file: '7.5/common.json', family: 'common' },
];

/** A JSON object from a definition file (schemas, parameters, operations are all plain JSON). */
export type Json = Record<string, unknown>;

export interface SwaggerParameter {
  name: string;
  in: 'path' | 'query' | 'body' | 'header';
  required?: boolean;
  type?: string;
  schema?: Json;
  'x-ms-skip-url-encoding'?: boolean;
  [key: string]: unknown;
}

export interface SpecOperation {
  operationId: string;
  method: 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';
  /** Path template as written in the definitions, e.g. `/secrets/{secret-name}/{secret-version}`. */
  path: string;
  /** Definition file (relative to SPEC_ROOT) the operation and its schemas come from. */
  file: string;
  family: SpecFamily;
  parameters: SwaggerParameter[];
  /** Response schemas by status code ("200", "204", "default"); `undefined` schema means no body. */
  responses: Record<string, { schema?: Json }>;
  /** Example files (absolute paths) the operation references through x-ms-examples and that exist on disk. */
  examples: string[];
  /** Matches a request path (without query) served for this operation. */
  pathPattern: RegExp;
  /** The operation's description (Key Vault's say which access-policy permission they need). */
  description: string;
}

export interface Spec {
  /** Parsed definition files by their path relative to SPEC_ROOT. */
  documents: Map<string, Json>;
  operations: SpecOperation[];
  byId: Map<string, SpecOperation>;
}

const METHODS = ['get', 'put', 'patch', 'post', 'delete'] as const;

let cached: Spec | undefined;

export function loadSpec(): Spec {
  if (cached) return cached;
  const documents = new Map<string, Json>();
  for (const { file } of SPEC_FILES) documents.set(file, JSON.parse(readFileSync(join(SPEC_ROOT, file), 'utf8')) as Json);
  const operations: SpecOperation[] = [];
  const byId = new Map<string, SpecOperation>();
  for (const { file, family } of SPEC_FILES) {
    const doc = documents.get(file)!;
    const pathGroups = [doc.paths, doc['x-ms-paths']].filter(Boolean) as Record<string, Json>[];
    for (const group of pathGroups) {
      for (const [rawPath, item] of Object.entries(group)) {
        // x-ms-paths keys carry a `?_overload=` suffix to stay unique; the wire path is the part before it.
        const path = rawPath.split('?')[0]!;
        const shared = (item.parameters as Json[] | undefined) ?? [];
        for (const m of METHODS) {
          const op = item[m] as Json | undefined;
          if (!op) continue;
          const parameters = [...shared, ...((op.parameters as Json[] | undefined) ?? [])].map((p) => resolveParameter(documents, file, p));
          const responses: SpecOperation['responses'] = {};
          for (const [status, r] of Object.entries((op.responses as Record<string, Json>) ?? {})) {
            responses[status] = r.schema ? { schema: r.schema as Json } : {};
          }
          const examples = Object.values((op['x-ms-examples'] as Record<string, { $ref: string }> | undefined) ?? {})
            .map((e) => join(SPEC_ROOT, dirname(file), e.$ref))
            .filter((f) => existsSync(f));
          const operation: SpecOperation = {
            operationId: op.operationId as string,
            method: m.toUpperCase() as SpecOperation['method'],
            path,
            file,
            family,
            parameters,
            responses,
            examples,
            pathPattern: pathPattern(path, parameters),
            description: typeof op.description === 'string' ? op.description : '',
          };
          if (byId.has(operation.operationId.toLowerCase())) throw new Error(`operationId ${operation.operationId} is defined twice in the spec`);
          byId.set(operation.operationId.toLowerCase(), operation);
          operations.push(operation);
        }
      }
    }
  }
  cached = { documents, operations, byId };
  return cached;
}

/** Finds an operation by id; Key Vault's definitions mix `GetSecret` and `decrypt`, so the lookup ignores case. */
export function operation(spec: Spec, operationId: string): SpecOperation | undefined {
  return spec.byId.get(operationId.toLowerCase());
}

/** Splits a `$ref` into the definition file it points into (relative to SPEC_ROOT) and its JSON pointer. */
export function refTarget(fromFile: string, ref: string): { file: string; pointer: string } {
  const [filePart, pointer = ''] = ref.split('#');
  const file = filePart ? posix.normalize(posix.join(posix.dirname(fromFile), filePart)) : fromFile;
  return { file, pointer };
}

export function resolvePointer(documents: Map<string, Json>, file: string, pointer: string): Json {
  const doc = documents.get(file);
  if (!doc) throw new Error(`$ref into ${file}, which is not a loaded definition file`);
  let node: unknown = doc;
  for (const raw of pointer.split('/').filter(Boolean)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Json | undefined)?.[key];
  }
  if (!node || typeof node !== 'object') throw new Error(`$ref ${file}#${pointer} does not resolve`);
  return node as Json;
}

function resolveParameter(documents: Map<string, Json>, file: string, p: Json): SwaggerParameter {
  if (typeof p.$ref !== 'string') return p as unknown as SwaggerParameter;
  const target = refTarget(file, p.$ref);
  return resolvePointer(documents, target.file, target.pointer) as unknown as SwaggerParameter;
}

/**
 * A request path matcher for a template. Path parameters match one segment; the last one and any `*-version` one
 * may be empty or missing (`/secrets/{name}/` is how SDKs ask for the latest version). Parameters marked x-ms-skip-url-encoding (HSM role
 * `{scope}`, e.g. `/` or `/keys`) may span several segments or be empty. Key Vault paths are case-insensitive.
 */
export function pathPattern(template: string, parameters: readonly SwaggerParameter[]): RegExp {
  const segments = template.split('/').filter(Boolean);
  const skipEncoding = new Set(parameters.filter((p) => p['x-ms-skip-url-encoding']).map((p) => p.name));
  let source = '';
  segments.forEach((segment, index) => {
    const param = /^\{(.+)\}$/.exec(segment)?.[1];
    if (param === undefined) {
      source += `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
    } else if (skipEncoding.has(param)) {
      source += '(?:/.*?)?';
    } else if ((index === segments.length - 1 && segments.length > 1) || /version$/i.test(param)) {
      // SDKs send `/keys/{name}//sign` (empty version) for the latest version; servers also see it as `/keys/{name}/sign`.
      source += '(?:/[^/]*)?';
    } else {
      source += '/[^/]+';
    }
  });
  return new RegExp(`^${source || '/'}/?$`, 'i');
}

/** Collapses doubled slashes (an HSM scope of `/` yields `//providers/...`) before matching a request path. */
export function normalizePath(pathname: string): string {
  return pathname.replace(/\/{2,}/g, '/');
}
