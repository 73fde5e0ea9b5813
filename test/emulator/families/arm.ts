import { KvError } from '../core/errors';
import type { ArmContext, JsonResponse, SubscriptionSpec } from '../core/types';
import { authorizationFailed, invalidApiVersion, missingApiVersion, resourceGroupNotFound, resourceNotFound, subscriptionNotFound, wrongTenant } from './arm/errors';
import { GRAPH_API_VERSIONS, resourceGraph } from './arm/graph';
import { armPage } from './arm/paging';
import { HSM_TYPE, VAULT_TYPE, armShape, resourcesOf, type ArmResource } from './arm/resources';
import { subscriptionOut, subscriptionsOfTenant, tenantOut } from './arm/subscriptions';

/**
 * Minimal Azure Resource Manager + Resource Graph: subscriptions and tenants, Microsoft.KeyVault vaults and
 * managedHSMs (list by subscription or resource group, get), generic resource listing, and Resource Graph queries.
 * Who may read is the topology's `armAccess`; a subscription answers only tokens of its own tenant.
 */

// Resource-provider api-versions look like dates; ARM refuses anything else before looking further.
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

function requireApiVersion(ctx: ArmContext, supported?: readonly string[]): void {
  const v = ctx.url.searchParams.get('api-version');
  if (v === null || v === '') throw missingApiVersion();
  if (supported ? !supported.includes(v) : !API_VERSION.test(v)) throw invalidApiVersion(v, supported ?? ['2015-11-01', '2022-12-01', '2023-07-01', '2024-11-01', '2026-02-01']);
}

function requireArmAccess(ctx: ArmContext, action: string, scope: string): void {
  if (!ctx.emulator.topology.armAccess[ctx.caller.identity.handle]) throw authorizationFailed(ctx.caller, action, scope);
}

function subscription(ctx: ArmContext, id: string, action: string): SubscriptionSpec {
  const sub = ctx.emulator.topology.subscriptions.find((s) => s.subscriptionId.toLowerCase() === id.toLowerCase());
  if (!sub) throw subscriptionNotFound(id);
  if (sub.tenantId !== ctx.caller.tenantId) throw wrongTenant(ctx.emulator.authorityHost, sub.tenantId, ctx.caller.tenantId);
  requireArmAccess(ctx, action, `/subscriptions/${sub.subscriptionId}`);
  return sub;
}

const TYPES: Record<string, string> = { vaults: VAULT_TYPE, managedhsms: HSM_TYPE };

function listOfType(ctx: ArmContext, sub: SubscriptionSpec, type: string, resourceGroup?: string): JsonResponse {
  let items = resourcesOf(ctx.emulator, sub).filter((r) => r.type === type);
  if (resourceGroup !== undefined) {
    if (!resourcesOf(ctx.emulator, sub).some((r) => r.resourceGroup.toLowerCase() === resourceGroup.toLowerCase())) throw resourceGroupNotFound(resourceGroup);
    items = items.filter((r) => r.resourceGroup.toLowerCase() === resourceGroup.toLowerCase());
  }
  return { body: armPage(items.map(armShape), ctx.url) };
}

function getOne(ctx: ArmContext, sub: SubscriptionSpec, type: string, resourceGroup: string, name: string): JsonResponse {
  const all = resourcesOf(ctx.emulator, sub);
  const inGroup = all.filter((r) => r.resourceGroup.toLowerCase() === resourceGroup.toLowerCase());
  if (inGroup.length === 0) throw resourceGroupNotFound(resourceGroup);
  const found = inGroup.find((r) => r.type === type && r.name.toLowerCase() === name.toLowerCase());
  if (!found) throw resourceNotFound(type, name, resourceGroup);
  return { body: armShape(found) };
}

/** `/subscriptions/{id}/resources?$filter=resourceType eq '…'` (what vaults.list of @azure/arm-keyvault calls). */
function genericResources(ctx: ArmContext, sub: SubscriptionSpec): JsonResponse {
  const filter = ctx.url.searchParams.get('$filter');
  const m = filter ? /resourceType\s+eq\s+'([^']+)'/i.exec(filter) : null;
  const items = resourcesOf(ctx.emulator, sub).filter((r) => !m || r.type.toLowerCase() === m[1]!.toLowerCase());
  const shape = (r: ArmResource) => ({ id: r.id, name: r.name, type: r.type, location: r.location, tags: r.tags });
  return { body: armPage(items.map(shape), ctx.url) };
}

function resourceGroups(ctx: ArmContext, sub: SubscriptionSpec): JsonResponse {
  const groups = new Map<string, ArmResource>();
  for (const r of resourcesOf(ctx.emulator, sub)) if (!groups.has(r.resourceGroup.toLowerCase())) groups.set(r.resourceGroup.toLowerCase(), r);
  const value = [...groups.values()].map((r) => ({
    id: `/subscriptions/${sub.subscriptionId}/resourceGroups/${r.resourceGroup}`,
    name: r.resourceGroup,
    type: 'Microsoft.Resources/resourceGroups',
    location: r.location,
    properties: { provisioningState: 'Succeeded' },
  }));
  return { body: armPage(value, ctx.url) };
}

export function handleArmRequest(ctx: ArmContext): JsonResponse | Promise<JsonResponse> {
  let parts: string[];
  try {
    parts = ctx.url.pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  } catch {
    throw new KvError(400, 'InvalidRequestUri', `The request URI '${ctx.url.pathname}' is not valid.`);
  }
  const lower = parts.map((p) => p.toLowerCase());
  const route = lower.join('/');
  const readOnly = (): never => {
    throw new KvError(405, 'MethodNotAllowed', `The emulator's Resource Manager is read-only: ${ctx.method} ${ctx.url.pathname} is not supported.`);
  };

  if (route === 'providers/microsoft.resourcegraph/resources') {
    if (ctx.method !== 'POST') readOnly();
    requireApiVersion(ctx, GRAPH_API_VERSIONS);
    if (!ctx.emulator.topology.armAccess[ctx.caller.identity.handle]?.graph) throw authorizationFailed(ctx.caller, 'Microsoft.ResourceGraph/resources/read', '/providers/Microsoft.ResourceGraph');
    return resourceGraph(ctx);
  }
  if (ctx.method !== 'GET') readOnly();
  requireApiVersion(ctx);

  if (route === 'subscriptions') {
    requireArmAccess(ctx, 'Microsoft.Resources/subscriptions/read', '/');
    const value = subscriptionsOfTenant(ctx.emulator, ctx.caller.tenantId).map(subscriptionOut);
    return { body: { ...armPage(value, ctx.url), count: { type: 'Total', value: value.length } } };
  }
  if (route === 'tenants') {
    requireArmAccess(ctx, 'Microsoft.Resources/tenants/read', '/');
    const tenants = ctx.emulator.topology.tenants.filter((t) => ctx.caller.identity.tenants.includes(t.tenantId));
    return { body: armPage(tenants.map(tenantOut), ctx.url) };
  }
  if (lower[0] === 'subscriptions' && parts.length >= 2) {
    const id = parts[1]!;
    const rest = lower.slice(2);
    if (rest.length === 0) return { body: subscriptionOut(subscription(ctx, id, 'Microsoft.Resources/subscriptions/read')) };
    if (rest.length === 1 && rest[0] === 'resources') return genericResources(ctx, subscription(ctx, id, 'Microsoft.Resources/subscriptions/resources/read'));
    if (rest.length === 1 && rest[0] === 'resourcegroups') return resourceGroups(ctx, subscription(ctx, id, 'Microsoft.Resources/subscriptions/resourceGroups/read'));
    // /providers/Microsoft.KeyVault/{vaults|managedHSMs}
    if (rest.length === 3 && rest[0] === 'providers' && rest[1] === 'microsoft.keyvault' && TYPES[rest[2]!]) {
      const type = TYPES[rest[2]!]!;
      return listOfType(ctx, subscription(ctx, id, `${type}/read`), type);
    }
    // /resourceGroups/{rg}/providers/Microsoft.KeyVault/{type}[/{name}]
    if ((rest.length === 5 || rest.length === 6) && rest[0] === 'resourcegroups' && rest[2] === 'providers' && rest[3] === 'microsoft.keyvault' && TYPES[rest[4]!]) {
      const type = TYPES[rest[4]!]!;
      const sub = subscription(ctx, id, `${type}/read`);
      const rg = parts[3]!;
      return rest.length === 5 ? listOfType(ctx, sub, type, rg) : getOne(ctx, sub, type, rg, parts[7]!);
    }
  }
  throw new KvError(404, 'NotFound', `The emulator's Resource Manager has no resource at ${ctx.url.pathname}.`);
}
