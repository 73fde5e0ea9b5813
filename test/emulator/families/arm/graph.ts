import { randomUUID } from 'node:crypto';
import type { ArmContext, JsonResponse } from '../../core/types';
import { badRequest } from './errors';
import { decodeSkipToken, encodeSkipToken } from './paging';
import { resourcesOf, type ArmResource } from './resources';
import { subscriptionsOfTenant } from './subscriptions';

/**
 * Azure Resource Graph `resources` queries, understood leniently: the Key Vault resource types named in the query
 * (type =~ / in~ …) select vaults and Managed HSMs; simple `field =~ 'x'` filters on name, subscriptionId,
 * resourceGroup and location, `order by`, `limit`/`take` and `project` are honoured; anything else is ignored.
 */

export const GRAPH_API_VERSIONS = ['2019-04-01', '2020-04-01-preview', '2021-03-01', '2021-06-01-preview', '2022-10-01', '2024-04-01'];

type Row = Record<string, unknown>;

const KNOWN_TYPES: Record<string, string> = { 'microsoft.keyvault/vaults': 'microsoft.keyvault/vaults', 'microsoft.keyvault/managedhsms': 'microsoft.keyvault/managedhsms' };

function invalidQuery(message: string): JsonResponse {
  return {
    status: 400,
    body: {
      error: {
        code: 'BadRequest',
        message: `Please provide below info when asking for support: timestamp = ${new Date().toISOString()}, correlationId = ${randomUUID()}.`,
        details: [
          { code: 'InvalidQuery', message: 'Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.' },
          { code: 'ParserFailure', message },
        ],
      },
    },
  };
}

function graphRow(r: ArmResource): Row {
  return {
    id: r.id,
    name: r.name,
    type: r.type.toLowerCase(),
    tenantId: r.tenantId,
    kind: '',
    location: r.location,
    resourceGroup: r.resourceGroup.toLowerCase(),
    subscriptionId: r.subscriptionId,
    managedBy: '',
    sku: r.sku ?? null,
    plan: null,
    properties: r.properties,
    tags: r.tags,
    identity: null,
    zones: null,
    extendedLocation: null,
  };
}

function pathValue(row: Row, path: string[]): unknown {
  let v: unknown = row;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v ?? null;
}

/** `| project a, b = properties.x, tostring(properties.y)`; undefined when an item is beyond this parser. */
function parseProject(stage: string): ((row: Row) => Row) | undefined {
  const items = stage.replace(/^project\s+/i, '').split(',').map((s) => s.trim()).filter(Boolean);
  const columns: { name: string; path: string[]; fn?: string }[] = [];
  for (const item of items) {
    const m = /^(?:([A-Za-z_]\w*)\s*=\s*)?(?:(tostring|tolower|toupper)\(\s*)?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*\)?$/.exec(item);
    if (!m) return undefined;
    const path = m[3]!.split('.');
    columns.push({ name: m[1] ?? path.join('_'), path, ...(m[2] ? { fn: m[2].toLowerCase() } : {}) });
  }
  return (row) =>
    Object.fromEntries(
      columns.map((c) => {
        let v = pathValue(row, c.path);
        if (c.fn) {
          const s = v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
          v = c.fn === 'tolower' ? s.toLowerCase() : c.fn === 'toupper' ? s.toUpperCase() : s;
        }
        return [c.name, v];
      }),
    );
}

export function runQuery(query: string, rows: Row[]): Row[] {
  const stages = query.split('|').map((s) => s.trim());
  const table = /^[A-Za-z]+$/.test(stages[0] ?? '') ? stages.shift()!.toLowerCase() : 'resources';
  if (table !== 'resources') return [];
  const literals = [...query.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => (m[1] ?? m[2] ?? '').toLowerCase());
  const typeLiterals = literals.filter((l) => /^[a-z0-9]+\.[a-z0-9]+\/[a-z0-9/]+$/.test(l));
  let out = typeLiterals.length > 0 ? rows.filter((r) => typeLiterals.some((t) => KNOWN_TYPES[t] === r.type)) : rows;
  for (const field of ['name', 'subscriptionId', 'resourceGroup', 'location']) {
    const m = new RegExp(`\\b${field}\\s*(=~|==)\\s*['"]([^'"]*)['"]`, 'i').exec(query);
    if (!m) continue;
    const wanted = m[2]!;
    out = out.filter((r) => (m[1] === '==' ? r[field] === wanted : String(r[field]).toLowerCase() === wanted.toLowerCase()));
  }
  const order = /\b(?:order|sort)\s+by\s+([A-Za-z_]\w*)(?:\s+(asc|desc))?/i.exec(query);
  if (order) {
    const field = order[1]!;
    // KQL sorts descending unless told otherwise.
    const sign = order[2]?.toLowerCase() === 'asc' ? 1 : -1;
    out = [...out].sort((a, b) => sign * String(a[field] ?? '').localeCompare(String(b[field] ?? '')));
  }
  const limit = /\|\s*(?:limit|take)\s+(\d+)/i.exec(query);
  if (limit) out = out.slice(0, Number(limit[1]));
  const projectStage = stages.find((s) => /^project\s/i.test(s));
  const project = projectStage ? parseProject(projectStage) : undefined;
  return project ? out.map(project) : out;
}

function columnType(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  return 'object';
}

export function resourceGraph(ctx: ArmContext): JsonResponse {
  const body = ctx.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return invalidQuery('The request body must be a JSON object with a query.');
  const request = body as { subscriptions?: unknown; query?: unknown; options?: Record<string, unknown> };
  if (typeof request.query !== 'string' || !request.query.trim()) return invalidQuery("The request has no 'query'.");
  const visible = subscriptionsOfTenant(ctx.emulator, ctx.caller.tenantId);
  let subscriptions = visible;
  if (request.subscriptions !== undefined && request.subscriptions !== null) {
    if (!Array.isArray(request.subscriptions) || request.subscriptions.some((s) => typeof s !== 'string')) throw badRequest('InvalidRequestContent', "The property 'subscriptions' must be an array of subscription ids.");
    const asked = new Set((request.subscriptions as string[]).map((s) => s.toLowerCase()));
    subscriptions = visible.filter((s) => asked.has(s.subscriptionId.toLowerCase()));
  }
  const rows = runQuery(request.query, subscriptions.flatMap((s) => resourcesOf(ctx.emulator, s)).map(graphRow));

  const options = request.options ?? {};
  const top = options.$top ?? options.top;
  const size = top === undefined || top === null ? 100 : Number(top);
  if (!Number.isInteger(size) || size < 1 || size > 1000) throw badRequest('BadRequest', `The value of $top must be an integer from 1 to 1000, not '${String(top)}'.`);
  const skip = options.$skip ?? options.skip;
  let offset = skip === undefined || skip === null ? 0 : Number(skip);
  if (!Number.isInteger(offset) || offset < 0) throw badRequest('BadRequest', `The value of $skip must be a non-negative integer, not '${String(skip)}'.`);
  const token = options.$skipToken ?? options.skipToken;
  if (typeof token === 'string' && token) offset = decodeSkipToken(token);
  const page = rows.slice(offset, offset + size);
  const format = options.resultFormat ?? 'objectArray';
  if (format !== 'objectArray' && format !== 'table') throw badRequest('BadRequest', `The resultFormat '${String(format)}' is not supported; use objectArray or table.`);
  let data: unknown = page;
  if (format === 'table') {
    const names = rows[0] ? Object.keys(rows[0]) : [];
    data = { columns: names.map((n) => ({ name: n, type: columnType(rows[0]![n]) })), rows: page.map((r) => names.map((n) => r[n])) };
  }
  const out: Record<string, unknown> = { totalRecords: rows.length, count: page.length, data, facets: [], resultTruncated: 'false' };
  if (offset + size < rows.length) out.$skipToken = encodeSkipToken(offset + size);
  return { body: out };
}
