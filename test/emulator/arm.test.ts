import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RestError } from '@azure/core-rest-pipeline';
import { KeyVaultManagementClient, type ManagedHsm, type Vault } from '@azure/arm-keyvault';
import type { Emulator } from './emulator';
import { TENANT_B } from './topology';
import { containerUrl, credentialFor, startTestEmulator, type IdentityHandle } from '../support/emulator';

// The emulator's Azure Resource Manager: the official KeyVaultManagementClient for vaults and Managed HSMs,
// raw HTTPS for subscriptions, tenants and Resource Graph, and the access errors of each identity.

let emulator: Emulator;

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { error?: { code: string; message: string; details?: { code: string }[] } };
}

const credentials = new Map<string, ReturnType<typeof credentialFor>>();
function credential(who: IdentityHandle = 'app', tenantId = emulator.ready.tenantId): ReturnType<typeof credentialFor> {
  const key = `${who}/${tenantId}`;
  let c = credentials.get(key);
  if (!c) credentials.set(key, (c = credentialFor(emulator.ready, who, tenantId)));
  return c;
}

async function arm(method: string, path: string, options: { body?: unknown; who?: IdentityHandle; tenantId?: string; apiVersion?: string | null } = {}): Promise<Reply> {
  const armEndpoint = emulator.ready.armEndpoint;
  const token = await credential(options.who, options.tenantId).getToken(`${armEndpoint}/.default`);
  const url = new URL(path, armEndpoint);
  const apiVersion = options.apiVersion === undefined ? (path.includes('ResourceGraph') ? '2021-03-01' : '2022-12-01') : options.apiVersion;
  if (apiVersion !== null && !url.searchParams.has('api-version')) url.searchParams.set('api-version', apiVersion);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const res = await fetch(url, { method, body, headers: { authorization: `Bearer ${token.token}`, ...(body ? { 'content-type': 'application/json' } : {}) } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Reply['body']) : {} };
}

const graph = (body: unknown, who: IdentityHandle = 'app', apiVersion?: string) => arm('POST', '/providers/Microsoft.ResourceGraph/resources', { body, who, ...(apiVersion ? { apiVersion } : {}) });

function client(subscriptionId: string, who: IdentityHandle = 'app'): KeyVaultManagementClient {
  const armEndpoint = emulator.ready.armEndpoint;
  return new KeyVaultManagementClient(credential(who), subscriptionId, { endpoint: armEndpoint, credentials: { scopes: [`${armEndpoint}/.default`] }, retryOptions: { maxRetries: 0 } });
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

async function restError(fn: () => Promise<unknown>): Promise<RestError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof RestError, `expected a RestError, got ${String(err)}`);
    return err;
  }
  assert.fail('the call succeeded but should have failed');
}

const containersOf = (subscriptionId: string, kind: 'vault' | 'hsm') => emulator.ready.containers.filter((c) => c.subscriptionId === subscriptionId && c.kind === kind);
const tenantSubscriptions = (tenantId: string) => emulator.ready.subscriptions.filter((s) => s.tenantId === tenantId);

before(async () => {
  emulator = await startTestEmulator({ seed: 'empty' });
});

after(async () => {
  await emulator.close();
});

describe('subscriptions and tenants', () => {
  it("lists only the subscriptions of the token's tenant", async () => {
    for (const tenantId of [emulator.ready.tenantId, TENANT_B]) {
      const r = await arm('GET', '/subscriptions', { tenantId });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const subs = r.body.value as { subscriptionId: string; tenantId: string; displayName: string; state: string; id: string }[];
      assert.deepEqual(subs.map((s) => s.subscriptionId).sort(), tenantSubscriptions(tenantId).map((s) => s.subscriptionId).sort());
      for (const s of subs) {
        assert.equal(s.tenantId, tenantId);
        assert.equal(s.id, `/subscriptions/${s.subscriptionId}`);
        assert.equal(s.state, 'Enabled');
      }
    }
    assert.ok(tenantSubscriptions(emulator.ready.tenantId).length >= 2);
  });

  it('requires an api-version', async () => {
    const r = await arm('GET', '/subscriptions', { apiVersion: null });
    assert.equal(r.status, 400);
    assert.equal(r.body.error?.code, 'MissingApiVersionParameter');
    assert.equal((await arm('GET', '/subscriptions', { apiVersion: 'latest' })).status, 400);
  });

  it('gets one subscription and sends a token of the wrong tenant to the right one', async () => {
    const own = tenantSubscriptions(emulator.ready.tenantId)[0]!;
    const r = await arm('GET', `/subscriptions/${own.subscriptionId}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.displayName, own.displayName);
    const other = tenantSubscriptions(TENANT_B)[0]!;
    const wrong = await arm('GET', `/subscriptions/${other.subscriptionId}/providers/Microsoft.KeyVault/vaults`);
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error?.code, 'InvalidAuthenticationTokenTenant');
    assert.match(wrong.headers.get('www-authenticate') ?? '', new RegExp(`authorization_uri="[^"]+/${TENANT_B}"`));
    const missing = await arm('GET', '/subscriptions/00000000-0000-4000-8000-000000000000');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error?.code, 'SubscriptionNotFound');
  });

  it('lists the tenants the identity is registered in', async () => {
    const r = await arm('GET', '/tenants');
    assert.equal(r.status, 200);
    const ids = (r.body.value as { tenantId: string }[]).map((t) => t.tenantId).sort();
    assert.deepEqual(ids, emulator.ready.identities.find((i) => i.handle === 'app')!.tenants.slice().sort());
  });
});

describe('Microsoft.KeyVault through KeyVaultManagementClient', () => {
  it('lists the vaults of a subscription with their data-plane URI, tenant, SKU, access model and network rules', async () => {
    const sub = emulator.ready.subscriptionId;
    const vaults = await collect<Vault>(client(sub).vaults.listBySubscription());
    const expected = containersOf(sub, 'vault');
    assert.deepEqual(vaults.map((v) => v.name).sort(), expected.map((c) => c.name).sort());
    for (const v of vaults) {
      const c = expected.find((x) => x.name === v.name)!;
      assert.equal(v.type, 'Microsoft.KeyVault/vaults');
      assert.match(v.id!, new RegExp(`^/subscriptions/${sub}/resourceGroups/[^/]+/providers/Microsoft\\.KeyVault/vaults/${v.name}$`));
      assert.equal(v.properties.vaultUri, `${c.url}/`);
      assert.equal(v.properties.tenantId, c.tenantId);
      assert.equal(v.properties.sku.family, 'A');
      assert.ok(['standard', 'premium'].includes(v.properties.sku.name));
      assert.equal(v.properties.enableRbacAuthorization, c.accessModel === 'rbac');
      assert.equal(v.properties.enableSoftDelete, true);
      assert.equal(typeof v.properties.softDeleteRetentionInDays, 'number');
      assert.equal(v.properties.networkAcls?.defaultAction, c.firewall ? 'Deny' : 'Allow');
    }
    assert.ok(expected.some((c) => c.firewall), 'the firewalled vault is in this subscription');
  });

  it('reports access policies for an access-policy vault, naming the app identity', async () => {
    const c = emulator.ready.containers.find((x) => x.kind === 'vault' && x.accessModel === 'accessPolicy' && x.tenantId === emulator.ready.tenantId)!;
    const vault = (await collect<Vault>(client(c.subscriptionId).vaults.listBySubscription())).find((v) => v.name === c.name)!;
    const token = await credential('app').getToken(`${emulator.ready.armEndpoint}/.default`);
    const oid = (JSON.parse(Buffer.from(token.token.split('.')[1]!, 'base64url').toString('utf8')) as { oid: string }).oid;
    const policy = vault.properties.accessPolicies?.find((p) => p.objectId === oid);
    assert.ok(policy, 'the app has an access policy');
    assert.ok(policy.permissions.secrets?.includes('get'));
  });

  it('follows nextLink pages when $top is smaller than the list', async () => {
    const sub = emulator.ready.subscriptionId;
    const pages = await collect(client(sub).vaults.listBySubscription({ top: 1 }).byPage());
    const expected = containersOf(sub, 'vault').length;
    assert.equal(pages.length, expected);
    assert.equal(pages.flat().length, expected);
  });

  it('lists Managed HSMs with their hsmUri and SKU', async () => {
    const sub = emulator.ready.subscriptionId;
    const hsms = await collect<ManagedHsm>(client(sub).managedHsms.listBySubscription());
    const expected = containersOf(sub, 'hsm');
    assert.equal(hsms.length, expected.length);
    assert.ok(expected.length > 0);
    for (const h of hsms) {
      const c = expected.find((x) => x.name === h.name)!;
      assert.equal(h.type, 'Microsoft.KeyVault/managedHSMs');
      assert.equal(h.properties?.hsmUri, `${c.url}/`);
      assert.equal(h.properties?.tenantId, c.tenantId);
      assert.equal(h.sku?.name, 'Standard_B1');
    }
  });

  it('gets a vault and a Managed HSM by resource group and name, and answers 404 for unknown ones', async () => {
    const sub = emulator.ready.subscriptionId;
    const listed = (await collect<Vault>(client(sub).vaults.listBySubscription()))[0]!;
    const rg = listed.id!.split('/')[4]!;
    const got = await client(sub).vaults.get(rg, listed.name!);
    assert.deepEqual(got.properties.vaultUri, listed.properties.vaultUri);
    const hsm = (await collect<ManagedHsm>(client(sub).managedHsms.listBySubscription()))[0]!;
    const gotHsm = await client(sub).managedHsms.get(hsm.id!.split('/')[4]!, hsm.name!);
    assert.equal(gotHsm.properties?.hsmUri, hsm.properties?.hsmUri);

    const missing = await restError(() => client(sub).vaults.get(rg, 'no-such-vault'));
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.code, 'ResourceNotFound');
    const missingGroup = await restError(() => client(sub).vaults.get('rg-missing', listed.name!));
    assert.equal(missingGroup.statusCode, 404);
    assert.equal(missingGroup.code, 'ResourceGroupNotFound');
  });

  it('lists vaults as generic resources, as vaults.list does', async () => {
    const sub = emulator.ready.subscriptionId;
    const resources = await collect(client(sub).vaults.list());
    assert.deepEqual(resources.map((r) => r.name).sort(), containersOf(sub, 'vault').map((c) => c.name).sort());
    assert.ok(resources.every((r) => r.type === 'Microsoft.KeyVault/vaults'));
  });

  it('lets the reader use ARM but refuses the no-access identity with 403 AuthorizationFailed', async () => {
    const sub = emulator.ready.subscriptionId;
    assert.ok((await collect<Vault>(client(sub, 'reader').vaults.listBySubscription())).length > 0);
    const err = await restError(() => collect<Vault>(client(sub, 'noaccess').vaults.listBySubscription()));
    assert.equal(err.statusCode, 403);
    assert.equal(err.code, 'AuthorizationFailed');
    const subs = await arm('GET', '/subscriptions', { who: 'noaccess' });
    assert.equal(subs.status, 403);
    assert.match(subs.body.error!.message, /does not have authorization to perform action 'Microsoft\.Resources\/subscriptions\/read'/);
  });

  it('is read-only', async () => {
    const r = await arm('PUT', `/subscriptions/${emulator.ready.subscriptionId}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/new-vault`, { body: {} });
    assert.equal(r.status, 405);
  });
});

describe('Resource Graph', () => {
  const KV_QUERY = "Resources | where type in~ ('microsoft.keyvault/vaults', 'microsoft.keyvault/managedhsms') | order by name asc";

  it("answers the Key Vault resources of the token tenant's subscriptions", async () => {
    const r = await graph({ query: KV_QUERY, options: { resultFormat: 'objectArray' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const expected = emulator.ready.containers.filter((c) => c.tenantId === emulator.ready.tenantId);
    const rows = r.body.data as Record<string, unknown>[];
    assert.deepEqual(rows.map((x) => x.name), expected.map((c) => c.name).sort());
    assert.equal(r.body.totalRecords, expected.length);
    assert.equal(r.body.count, expected.length);
    assert.deepEqual(r.body.facets, []);
    assert.equal(r.body.resultTruncated, 'false');
    assert.equal(r.body.$skipToken, undefined);
    for (const row of rows) {
      const c = expected.find((x) => x.name === row.name)!;
      for (const field of ['id', 'name', 'type', 'location', 'resourceGroup', 'subscriptionId', 'tenantId', 'properties']) assert.ok(field in row, field);
      assert.equal(row.type, c.kind === 'vault' ? 'microsoft.keyvault/vaults' : 'microsoft.keyvault/managedhsms');
      assert.equal(row.subscriptionId, c.subscriptionId);
      const props = row.properties as { vaultUri?: string; hsmUri?: string };
      assert.equal(c.kind === 'vault' ? props.vaultUri : props.hsmUri, `${c.url}/`);
    }
  });

  it('selects by the types the query names', async () => {
    const vaultsOnly = await graph({ query: "resources | where type =~ 'Microsoft.KeyVault/vaults'" });
    assert.ok((vaultsOnly.body.data as { type: string }[]).every((x) => x.type === 'microsoft.keyvault/vaults'));
    assert.ok((vaultsOnly.body.data as unknown[]).length > 0);
    const other = await graph({ query: "Resources | where type =~ 'microsoft.storage/storageaccounts'" });
    assert.equal(other.body.totalRecords, 0);
  });

  it('pages with $top and $skipToken', async () => {
    const all = (await graph({ query: KV_QUERY })).body.data as { id: string }[];
    const seen: string[] = [];
    let skipToken: string | undefined;
    let pages = 0;
    do {
      const r = await graph({ query: KV_QUERY, options: { $top: 2, ...(skipToken ? { $skipToken: skipToken } : {}) } });
      assert.equal(r.status, 200);
      assert.equal(r.body.totalRecords, all.length);
      seen.push(...(r.body.data as { id: string }[]).map((x) => x.id));
      skipToken = r.body.$skipToken as string | undefined;
      pages += 1;
    } while (skipToken);
    assert.deepEqual(seen, all.map((x) => x.id));
    assert.equal(pages, Math.ceil(all.length / 2));
    assert.equal((await graph({ query: KV_QUERY, options: { $top: 0 } })).status, 400);
  });

  it('restricts to the subscriptions asked for', async () => {
    const sub = tenantSubscriptions(emulator.ready.tenantId)[1]!.subscriptionId;
    const r = await graph({ subscriptions: [sub], query: KV_QUERY });
    const rows = r.body.data as { subscriptionId: string }[];
    assert.ok(rows.length > 0);
    assert.ok(rows.every((x) => x.subscriptionId === sub));
    const foreign = await graph({ subscriptions: [tenantSubscriptions(TENANT_B)[0]!.subscriptionId], query: KV_QUERY });
    assert.equal(foreign.body.totalRecords, 0, "another tenant's subscription is not visible");
  });

  it('honours a simple project and the table result format', async () => {
    const q = `${KV_QUERY} | project name, uri = tostring(properties.vaultUri), subscriptionId`;
    const r = await graph({ query: q });
    const rows = r.body.data as Record<string, unknown>[];
    assert.deepEqual(Object.keys(rows[0]!), ['name', 'uri', 'subscriptionId']);
    const table = await graph({ query: q, options: { resultFormat: 'table' } });
    const data = table.body.data as { columns: { name: string }[]; rows: unknown[][] };
    assert.deepEqual(data.columns.map((c) => c.name), ['name', 'uri', 'subscriptionId']);
    assert.equal(data.rows.length, rows.length);
  });

  it('refuses a request without a query and an unknown api-version', async () => {
    const r = await graph({ subscriptions: [] });
    assert.equal(r.status, 400);
    assert.equal(r.body.error?.code, 'BadRequest');
    assert.equal(r.body.error?.details?.[0]?.code, 'InvalidQuery');
    const v = await graph({ query: KV_QUERY }, 'app', '2018-01-01');
    assert.equal(v.status, 400);
    assert.equal(v.body.error?.code, 'InvalidApiVersionParameter');
    assert.equal((await graph({ query: KV_QUERY }, 'app', '2022-10-01')).status, 200);
  });

  it('answers arbitrary request bodies and queries with a status below 500', async () => {
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record({ query: fc.oneof(fc.string(), fc.constantFrom(KV_QUERY, `${KV_QUERY} | project name, x = tolower(properties.vaultUri)`, 'Resources | project')), subscriptions: fc.jsonValue(), options: fc.jsonValue() }, { requiredKeys: ['query'] }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const r = await graph(b);
        assert.ok(r.status < 500, `${JSON.stringify(b)} → ${r.status}`);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses the reader and the no-access identity with 403 AuthorizationFailed', async () => {
    for (const who of ['reader', 'noaccess'] as const) {
      const r = await graph({ query: KV_QUERY }, who);
      assert.equal(r.status, 403, who);
      assert.equal(r.body.error?.code, 'AuthorizationFailed');
      assert.match(r.body.error!.message, /Microsoft\.ResourceGraph\/resources\/read/);
    }
  });
});

describe('synthetic subscriptions', () => {
  let big: Emulator;
  before(async () => {
    big = await startTestEmulator({ seed: 'empty', syntheticSubscriptions: 50 });
  });
  after(async () => {
    await big.close();
  });

  it('adds ARM-only subscriptions with vaults that discovery finds through ARM and Resource Graph', async () => {
    const armEndpoint = big.ready.armEndpoint;
    const token = (await credentialFor(big.ready, 'app').getToken(`${armEndpoint}/.default`)).token;
    const get = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(new URL(path, armEndpoint), { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
      return (await res.json()) as Record<string, unknown>;
    };
    const subs = (await get('/subscriptions?api-version=2022-12-01')).value as { subscriptionId: string }[];
    assert.equal(subs.length, big.ready.subscriptions.filter((s) => s.tenantId === big.ready.tenantId).length);
    assert.ok(subs.length >= 52);
    const synthetic = big.ready.subscriptions.find((s) => s.displayName.startsWith('Synthetic'))!;
    const vaults = (await get(`/subscriptions/${synthetic.subscriptionId}/providers/Microsoft.KeyVault/vaults?api-version=2026-02-01`)).value as { properties: { vaultUri: string } }[];
    assert.equal(vaults.length, 3);
    const first = await get('/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01', {
      method: 'POST',
      body: JSON.stringify({ query: "Resources | where type =~ 'microsoft.keyvault/vaults'", options: { $top: 1000 } }),
    });
    assert.ok(Number(first.totalRecords) >= 150);
    assert.equal(containerUrl(big.ready, 'kv-demo').startsWith('https://'), true, 'the real containers are still served');
  });
});
