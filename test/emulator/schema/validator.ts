import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Exchange } from '../core/pipeline';
import { convertDefinitions, convertSchema } from './convert';
import { loadSpec, normalizePath, operation, SPEC_FILES, type Json, type Spec, type SpecOperation } from './spec';

/**
 * Validates what the emulator answered against the Key Vault definitions: one ajv validator per operationId and
 * status, compiled on first use. Types, required fields and enums are enforced; unknown property names are refused
 * (see convert.ts for the null and unknown-property rules and why).
 */

export interface Mismatch {
  target: string;
  method: string;
  path: string;
  operationId?: string;
  status: number;
  problem: string;
  /** ajv errors, one line each: `<instance path> <message> <params>`. */
  errors: string[];
  body?: unknown;
}

export interface ValidatorOptions {
  /** Refuse property names the definitions do not list (default true). */
  closed?: boolean;
}

/** Key Vault's own non-standard formats; the others (int32, byte, uri) come from ajv-formats. */
const CUSTOM_FORMATS: Record<string, { type: 'number' | 'string'; validate: (value: never) => boolean }> = {
  unixtime: { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0 },
  // JWK members and crypto results are unpadded base64url (RFC 7515); `+`, `/` or `=` would break SDK decoding.
  base64url: { type: 'string', validate: (s: string) => /^[A-Za-z0-9_-]*$/.test(s) },
};

/**
 * Enums stay strict (a typo such as "Recoverable+purgeable" is a bug), except for values the live service is on
 * record sending beyond an extensible enum: Managed HSM's built-in "Managed HSM Crypto User" role lists these data
 * actions in recorded live responses of the official SDK's tests, though the 2026-04-01 DataAction enum lacks them.
 */
export const ENUM_EXTENSIONS: Record<string, readonly string[]> = {
  DataAction: ['Microsoft.KeyVault/managedHsm/keys/rotate/action', 'Microsoft.KeyVault/managedHsm/keys/derive/action'],
};

export class ContractValidator {
  readonly spec: Spec;
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly closed: boolean;
  private readonly errorSchema: string;

  constructor(options: ValidatorOptions = {}) {
    this.spec = loadSpec();
    this.closed = options.closed ?? true;
    this.ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, strictTuples: false, allowUnionTypes: true, validateFormats: true });
    addFormats(this.ajv);
    for (const [name, format] of Object.entries(CUSTOM_FORMATS)) this.ajv.addFormat(name, format as never);
    // Formats neither ajv-formats nor Key Vault's list knows are annotations only.
    for (const format of collectFormats(this.spec.documents)) if (!this.ajv.formats[format]) this.ajv.addFormat(format, true);
    const convertOptions = { documents: this.spec.documents, closed: this.closed, enumExtensions: ENUM_EXTENSIONS };
    for (const { file } of SPEC_FILES) this.ajv.addSchema(convertDefinitions(file, convertOptions));
    this.errorSchema = 'https://keyvault-spec.emulator.test/7.5/common.json#/definitions/KeyVaultError';
  }

  /** The validator for a declared response, or undefined when the operation does not declare that status. */
  private validatorFor(op: SpecOperation, statusKey: string): ValidateFunction | undefined {
    const key = `${op.operationId}:${statusKey}`;
    const existing = this.compiled.get(key);
    if (existing) return existing;
    const response = op.responses[statusKey];
    if (!response) return undefined;
    const schema: Json = response.schema ? convertSchema(response.schema, op.file, { documents: this.spec.documents, closed: this.closed, enumExtensions: ENUM_EXTENSIONS }) : { not: {} };
    const validate = this.ajv.compile(schema);
    this.compiled.set(key, validate);
    return validate;
  }

  /** Problems with one response body for an operation and status; empty when it conforms. */
  checkResponse(operationId: string | undefined, status: number, body: unknown): { problem: string; errors: string[] }[] {
    const problems: { problem: string; errors: string[] }[] = [];
    if (status >= 400) problems.push(...checkErrorBody(body));
    if (!operationId) {
      if (status < 400) problems.push({ problem: `answered ${status} without an operationId (every successful route must name its Swagger operation)`, errors: [] });
      else problems.push(...this.run(this.ajv.getSchema(this.errorSchema)!, body, 'error body'));
      return problems;
    }
    const op = operation(this.spec, operationId);
    if (!op) return [{ problem: `operationId '${operationId}' is not in the Key Vault definitions`, errors: [] }];
    const declared = op.responses[String(status)];
    if (declared) {
      if (!declared.schema) {
        if (body !== undefined && body !== null && body !== '') problems.push({ problem: `status ${status} is declared without a body, but one was sent`, errors: [] });
        return problems;
      }
      problems.push(...this.run(this.validatorFor(op, String(status))!, body, `${status} body`));
      return problems;
    }
    if (status < 400) {
      const statuses = Object.keys(op.responses).filter((s) => s !== 'default');
      problems.push({ problem: `status ${status} is not a declared success status for ${op.operationId} (declared: ${statuses.join(', ')})`, errors: [] });
      return problems;
    }
    const fallback = this.validatorFor(op, 'default') ?? this.ajv.getSchema(this.errorSchema)!;
    problems.push(...this.run(fallback, body, 'error body'));
    return problems;
  }

  private run(validate: ValidateFunction, body: unknown, what: string): { problem: string; errors: string[] }[] {
    if (validate(body)) return [];
    return [{ problem: `${what} does not match the schema`, errors: readableErrors(validate.errors ?? []) }];
  }

  /** Every mismatch in a recorded session: wrong route for the operation, undeclared status, schema errors. */
  validateExchanges(exchanges: readonly Exchange[]): Mismatch[] {
    const mismatches: Mismatch[] = [];
    for (const x of exchanges) {
      const url = new URL(x.url);
      const base = { target: x.target, method: x.method, path: url.pathname, status: x.status, ...(x.operationId ? { operationId: x.operationId } : {}) };
      if (x.status >= 500) {
        mismatches.push({ ...base, problem: `the emulator answered ${x.status}`, errors: [], body: x.responseBody });
        continue;
      }
      const op = x.operationId ? operation(this.spec, x.operationId) : undefined;
      if (op && (op.method !== x.method || !op.pathPattern.test(normalizePath(url.pathname)))) {
        mismatches.push({ ...base, problem: `served as ${x.operationId}, but the contract has ${op.method} ${op.path}`, errors: [] });
      }
      for (const p of this.checkResponse(x.operationId, x.status, x.responseBody)) mismatches.push({ ...base, ...p, body: x.responseBody });
    }
    return mismatches;
  }
}

let shared: ContractValidator | undefined;

/** Validates a recorded session with the shared (closed) validator. */
export function validateExchanges(exchanges: readonly Exchange[]): Mismatch[] {
  shared ??= new ContractValidator();
  return shared.validateExchanges(exchanges);
}

/** Error bodies must always carry a non-empty code and message, whatever the operation. */
export function checkErrorBody(body: unknown): { problem: string; errors: string[] }[] {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (!error || typeof error !== 'object') return [{ problem: 'error response without an "error" object', errors: [] }];
  const missing = (['code', 'message'] as const).filter((k) => typeof error[k] !== 'string' || (error[k] as string).length === 0);
  return missing.length ? [{ problem: `error body without ${missing.map((k) => `error.${k}`).join(' and ')}`, errors: [] }] : [];
}

/**
 * ajv errors without the noise of the null branch every optional property carries ("must be null", "must match a
 * schema in anyOf" next to the real error), long enum lists shortened, duplicates removed.
 */
export function readableErrors(errors: readonly ErrorObject[]): string[] {
  const real = errors.filter((e) => !(e.keyword === 'type' && (e.params as { type?: unknown }).type === 'null'));
  const kept = real.filter((e) => e.keyword !== 'anyOf' || !real.some((o) => o !== e && o.instancePath.startsWith(e.instancePath)));
  return [...new Set(kept.map(formatAjvError))];
}

export function formatAjvError(e: ErrorObject): string {
  const params = { ...(e.params as Record<string, unknown>) };
  const allowed = params.allowedValues;
  if (Array.isArray(allowed) && allowed.length > 8) params.allowedValues = [...allowed.slice(0, 8), `… ${allowed.length - 8} more`];
  const text = Object.keys(params).length ? ` ${JSON.stringify(params)}` : '';
  return `${e.instancePath || '/'} ${e.message ?? e.keyword}${text}`;
}

/** One readable block per mismatch, bodies shortened. */
export function formatMismatches(mismatches: readonly Mismatch[]): string {
  return mismatches
    .map((m) => {
      const body = m.body === undefined ? '' : `\n    body: ${truncate(JSON.stringify(m.body), 400)}`;
      const errors = m.errors.map((e) => `\n    - ${e}`).join('');
      return `${m.operationId ?? '(no operation)'} ${m.status} [${m.target} ${m.method} ${m.path}]: ${m.problem}${errors}${body}`;
    })
    .join('\n');
}

const truncate = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

function collectFormats(documents: Map<string, Json>): Set<string> {
  const formats = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v as Json)) {
        if (k === 'format' && typeof child === 'string') formats.add(child);
        else walk(child);
      }
    }
  };
  for (const doc of documents.values()) walk(doc.definitions);
  for (const doc of documents.values()) walk(doc.paths);
  return formats;
}
