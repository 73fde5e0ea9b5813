import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { refTarget, resolvePointer, type Json, type Spec, type SpecOperation } from './spec';

/**
 * fast-check arbitraries derived from the Key Vault definitions: request bodies that follow an operation's body
 * schema (so that random input reaches the handlers instead of bouncing off validation), optionally with one
 * property replaced by something of the wrong kind.
 */

const now = Math.floor(Date.now() / 1000);

/** An arbitrary for a Swagger schema; `depth` bounds recursion (Error.innererror, nested policies). */
export function arbitraryForSchema(spec: Spec, schema: Json, file: string, depth = 0): fc.Arbitrary<unknown> {
  if (typeof schema.$ref === 'string') {
    const target = refTarget(file, schema.$ref);
    return arbitraryForSchema(spec, resolvePointer(spec.documents, target.file, target.pointer), target.file, depth);
  }
  if (Array.isArray(schema.allOf)) {
    const parts = (schema.allOf as Json[]).map((p) => arbitraryForSchema(spec, p, file, depth));
    const own = arbitraryForSchema(spec, { ...schema, allOf: undefined }, file, depth);
    return fc.tuple(own, ...parts).map((objs) => Object.assign({}, ...objs.filter((o) => o && typeof o === 'object')) as unknown);
  }
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const properties = schema.properties as Record<string, Json> | undefined;
  if (properties || schema.type === 'object') {
    if (depth > 3) return fc.constant({});
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const entries = Object.entries(properties ?? {}).filter(([, p]) => !p.readOnly);
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, prop] of entries) record[name] = arbitraryForSchema(spec, prop, file, depth + 1);
    const base = fc.record(record, { requiredKeys: entries.map(([n]) => n).filter((n) => required.has(n)) });
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      const values = arbitraryForSchema(spec, schema.additionalProperties as Json, file, depth + 1);
      return fc.tuple(base, fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), values, { maxKeys: 4 })).map(([a, b]) => ({ ...b, ...a }));
    }
    return base;
  }
  switch (schema.type) {
    case 'array':
      return fc.array(schema.items ? arbitraryForSchema(spec, schema.items as Json, file, depth + 1) : fc.string(), { maxLength: 3 });
    case 'boolean':
      return fc.boolean();
    case 'integer':
      // 2048 is the only RSA size offered: 3072/4096-bit key generation would make a bounded fuzz run slow.
      return schema.format === 'unixtime' ? fc.integer({ min: now - 86_400 * 400, max: now + 86_400 * 400 }) : fc.oneof(fc.constantFrom(1, 2, 32, 128, 256, 2048), fc.integer({ min: -5, max: 1000 }));
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'string':
      if (schema.format === 'base64url' || schema.format === 'byte') {
        return fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b).toString(schema.format === 'byte' ? 'base64' : 'base64url'));
      }
      return fc.oneof(fc.string({ maxLength: 24 }), fc.constantFrom('P30D', 'PT1H', 'CN=fuzz.contoso.test', 'https://fuzz.contoso.test/x', randomUUID(), 'key1'));
    default:
      return fc.constant(null);
  }
}

/** The body an operation takes, following its schema; undefined when it takes none. */
export function bodyArbitrary(spec: Spec, op: SpecOperation, wrongKind: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> | undefined {
  const param = op.parameters.find((p) => p.in === 'body');
  if (!param?.schema) return undefined;
  const faithful = arbitraryForSchema(spec, param.schema, op.file);
  // One property of the wrong kind: checks that validation, not a crash, turns it away.
  const mutated = fc.tuple(faithful, fc.string({ maxLength: 12 }), wrongKind).map(([body, key, value]) => {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
    const keys = Object.keys(body);
    const target = keys.length ? keys[key.length % keys.length]! : key;
    return { ...(body as Json), [target]: value };
  });
  return fc.oneof({ weight: 3, arbitrary: faithful }, { weight: 1, arbitrary: mutated });
}
