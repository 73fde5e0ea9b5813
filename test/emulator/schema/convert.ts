import { refTarget, resolvePointer, type Json } from './spec';

/**
 * Swagger 2.0 schemas → JSON Schema for ajv.
 *
 * - `$ref`s become absolute (`SCHEMA_BASE + file + #pointer`) so every file's definitions can live in one ajv
 *   instance even though several files define `Error`, `Attributes`, … differently.
 * - Nulls: Azure's own response validator (oav) treats an optional property as nullable unless it says
 *   `x-nullable: false`, and a definition marked `x-nullable: true` as nullable wherever it is used. Real Key Vault
 *   answers `"nextLink": null`, which the definitions do not spell out, so the same rule is applied here.
 * - Unknown properties: an object schema that lists its properties and says nothing about others is closed
 *   (`additionalProperties: false`) when `closed` is set: a field name the contract does not know is a fidelity bug.
 * - `allOf` is merged into one object schema first (closing a member schema would reject its siblings' fields).
 * - Extensions (`x-ms-*`), documentation and `readOnly` are dropped; formats are kept (see validator.ts).
 */

export const SCHEMA_BASE = 'https://keyvault-spec.emulator.test/';

export interface ConvertOptions {
  documents: Map<string, Json>;
  /** Close object schemas to unknown properties. */
  closed: boolean;
  /** Values a live service sends beyond an extensible (`modelAsString`) enum, by x-ms-enum name. */
  enumExtensions?: Record<string, readonly string[]>;
}

const COPIED = ['type', 'enum', 'format', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'required'] as const;

export const absoluteRef = (fromFile: string, ref: string): string => {
  if (ref.startsWith(SCHEMA_BASE)) return ref;
  const { file, pointer } = refTarget(fromFile, ref);
  return `${SCHEMA_BASE}${file}#${pointer}`;
};

/** Converts one schema found in `file`; `nullable` says whether the place it is used in admits null. */
export function convertSchema(schema: Json, file: string, options: ConvertOptions, nullable = false): Json {
  if (typeof schema.$ref === 'string') {
    const ref: Json = { $ref: absoluteRef(file, schema.$ref) };
    return nullable ? { anyOf: [ref, { type: 'null' }] } : ref;
  }
  const flat = Array.isArray(schema.allOf) ? mergeAllOf(schema, file, options) : { schema, file };
  const source = flat.schema;
  const out: Json = {};
  for (const key of COPIED) if (source[key] !== undefined) out[key] = source[key];
  const enumName = (source['x-ms-enum'] as { name?: string } | undefined)?.name;
  const extra = enumName ? options.enumExtensions?.[enumName] : undefined;
  if (Array.isArray(out.enum) && extra) out.enum = [...(out.enum as unknown[]), ...extra];
  if (Array.isArray(out.required) && out.required.length === 0) delete out.required;
  if (source.items && typeof source.items === 'object') out.items = convertSchema(source.items as Json, flat.file, options);
  const properties = source.properties as Record<string, Json> | undefined;
  if (properties) {
    const required = new Set((source.required as string[] | undefined) ?? []);
    out.properties = Object.fromEntries(
      Object.entries(properties).map(([name, prop]) => [name, convertSchema(prop, flat.file, options, !required.has(name) && prop['x-nullable'] !== false)]),
    );
    if (!out.type) out.type = 'object';
  }
  if (source.additionalProperties !== undefined) {
    out.additionalProperties = typeof source.additionalProperties === 'object' ? convertSchema(source.additionalProperties as Json, flat.file, options) : source.additionalProperties;
  } else if (properties && options.closed) {
    out.additionalProperties = false;
  }
  return nullable || source['x-nullable'] === true ? allowNull(out) : out;
}

function allowNull(schema: Json): Json {
  if (typeof schema.type === 'string' && !schema.enum) return { ...schema, type: [schema.type, 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
}

/** Flattens `allOf: [{$ref: Base}]` + own properties into one object schema (recursively, across files). */
function mergeAllOf(schema: Json, file: string, options: ConvertOptions): { schema: Json; file: string } {
  const merged: Json = { type: 'object', properties: {}, required: [] };
  const add = (part: Json, partFile: string): void => {
    const props = merged.properties as Record<string, Json>;
    for (const [name, prop] of Object.entries((part.properties as Record<string, Json> | undefined) ?? {})) {
      // Keep each property's refs valid from the merged schema's file by making them absolute now.
      props[name] = absolutize(prop, partFile);
    }
    (merged.required as string[]).push(...((part.required as string[] | undefined) ?? []));
    if (part.additionalProperties !== undefined) merged.additionalProperties = part.additionalProperties;
    if (part['x-nullable'] !== undefined) merged['x-nullable'] = part['x-nullable'];
  };
  const visit = (part: Json, partFile: string): void => {
    if (typeof part.$ref === 'string') {
      const target = refTarget(partFile, part.$ref);
      visit(resolvePointer(options.documents, target.file, target.pointer), target.file);
      return;
    }
    for (const member of (part.allOf as Json[] | undefined) ?? []) visit(member, partFile);
    add(part, partFile);
  };
  visit(schema, file);
  return { schema: merged, file };
}

/** Rewrites every `$ref` under `node` to an absolute ref; convertSchema leaves absolute refs as they are. */
function absolutize(node: Json, file: string): Json {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!value || typeof value !== 'object') return value;
    const out: Json = {};
    for (const [k, v] of Object.entries(value as Json)) out[k] = k === '$ref' && typeof v === 'string' ? absoluteRef(file, v) : walk(v);
    return out;
  };
  return walk(node) as Json;
}

/** Every definition of one file as a JSON Schema document ajv can register under its absolute id. */
export function convertDefinitions(file: string, options: ConvertOptions): Json {
  const doc = options.documents.get(file)!;
  const definitions = (doc.definitions as Record<string, Json> | undefined) ?? {};
  return {
    $id: `${SCHEMA_BASE}${file}`,
    definitions: Object.fromEntries(Object.entries(definitions).map(([name, def]) => [name, convertSchema(def, file, options)])),
  };
}
