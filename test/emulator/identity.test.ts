import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, createSign, createVerify, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { ClientSecretCredential } from '@azure/identity';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { SecretClient } from '@azure/keyvault-secrets';
import type { Emulator } from '../emulator/emulator';
import { TENANT_B } from '../emulator/topology';
import { containerUrl, credentialFor, sdkOptions, startTestEmulator, type IdentityHandle } from '../support/emulator';

// The emulator's Entra-like token service as @azure/identity sees it, and the token checks every vault applies:
// signatures, audiences, tenants, expiry and revocation (CAE claims challenges).

let emulator: Emulator;

before(async () => {
  emulator = await startTestEmulator({ seed: 'demo' });
  emulator.recordExchanges = true;
});

after(async () => {
  await emulator.close();
});

afterEach(() => {
  emulator.faults.clear();
  emulator.setLatency(0);
  emulator.setTokenLifetime(3600);
});

interface Jwt {
  header: { alg: string; kid: string; typ: string };
  claims: { aud: string; tid: string; oid: string; exp: number; iat: number; nbf: number; iss: string; appid: string };
  signingInput: string;
  signature: Buffer;
}

function decodeJwt(token: string): Jwt {
  const [h, b, s] = token.split('.');
  assert.ok(h && b && s, 'a JWT has three parts');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Jwt['header'],
    claims: JSON.parse(Buffer.from(b, 'base64url').toString('utf8')) as Jwt['claims'],
    signingInput: `${h}.${b}`,
    signature: Buffer.from(s, 'base64url'),
  };
}

const identity = (handle: IdentityHandle) => emulator.ready.identities.find((i) => i.handle === handle)!;
const scopeOf = (vault: string): string => `${containerUrl(emulator.ready, vault)}/.default`;

/** A SecretClient that records the bearer tokens it sends, so tests can see which token went where. */
function recordingClient(vault: string, who: IdentityHandle = 'app', credential = credentialFor(emulator.ready, who)): { client: SecretClient; tokens: string[] } {
  const tokens: string[] = [];
  const recorder: PipelinePolicy = {
    name: 'recordBearerTokens',
    sendRequest: async (request, next) => {
      const auth = request.headers.get('authorization');
      if (auth) tokens.push(auth.replace(/^Bearer /i, ''));
      return next(request);
    },
  };
  const client = new SecretClient(containerUrl(emulator.ready, vault), credential, { ...sdkOptions, additionalPolicies: [{ policy: recorder, position: 'perRetry' }] });
  return { client, tokens };
}

async function rejection(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof Error);
    return err;
  }
  assert.fail('the call succeeded but should have failed');
}

async function rawGet(url: string, token?: string): Promise<{ status: number; headers: Headers; body: { error?: { code: string; message: string } } }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as { error?: { code: string; message: string } }) : {} };
}

describe('identity: token service', () => {
  it('issues ClientSecretCredential an RS256 JWT with aud, tid, oid and exp that verifies with the JWKS of the OpenID configuration', async () => {
    const before = Math.floor(Date.now() / 1000);
    const token = await credentialFor(emulator.ready).getToken(scopeOf('kv-demo'));
    const jwt = decodeJwt(token.token);
    assert.equal(jwt.header.alg, 'RS256');
    assert.equal(jwt.claims.aud.replace(/\/$/, ''), containerUrl(emulator.ready, 'kv-demo'));
    assert.equal(jwt.claims.tid, emulator.ready.tenantId);
    assert.match(jwt.claims.oid, /^[0-9a-f-]{36}$/);
    assert.equal(jwt.claims.appid, emulator.ready.clientId);
    assert.ok(jwt.claims.exp >= before + 3000 && jwt.claims.exp <= before + 3700, 'the default lifetime is about an hour');
    assert.ok(Math.abs(token.expiresOnTimestamp - jwt.claims.exp * 1000) < 5000, 'the SDK sees the same expiry as the token carries');

    const config = (await (await fetch(`${emulator.ready.authorityHost}/${emulator.ready.tenantId}/v2.0/.well-known/openid-configuration`)).json()) as { jwks_uri: string; issuer: string; token_endpoint: string };
    assert.ok(config.token_endpoint.startsWith(emulator.ready.authorityHost));
    const jwks = (await (await fetch(config.jwks_uri)).json()) as { keys: (JsonWebKey & { kid: string })[] };
    const jwk = jwks.keys.find((k) => k.kid === jwt.header.kid);
    assert.ok(jwk, 'the JWKS has the key named by the token header');
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    assert.ok(createVerify('RSA-SHA256').update(jwt.signingInput).verify(key, jwt.signature), 'the signature verifies with the published key');
    const forged = Buffer.from(jwt.signature);
    forged[0] = forged[0]! ^ 1;
    assert.ok(!createVerify('RSA-SHA256').update(jwt.signingInput).verify(key, forged));
  });

  it('refuses a wrong client secret with AADSTS7000215', async () => {
    const app = identity('app');
    const credential = new ClientSecretCredential(emulator.ready.tenantId, app.clientId, `${app.clientSecret}-wrong`, { authorityHost: emulator.ready.authorityHost, disableInstanceDiscovery: true });
    const err = await rejection(() => credential.getToken(scopeOf('kv-demo')));
    assert.match(err.message, /AADSTS7000215/);
  });

  it('refuses an unknown tenant with AADSTS90002', async () => {
    const app = identity('app');
    const unknown = '00000000-0000-4000-8000-0000000000ff';
    const credential = new ClientSecretCredential(unknown, app.clientId, app.clientSecret, { authorityHost: emulator.ready.authorityHost, disableInstanceDiscovery: true });
    // MSAL reports it as an endpoint resolution failure, as it does against Entra ID: the OpenID configuration says why.
    const err = await rejection(() => credential.getToken(scopeOf('kv-demo')));
    assert.match(err.name, /^(CredentialUnavailableError|AuthenticationError)$/);
    const config = await fetch(`${emulator.ready.authorityHost}/${unknown}/v2.0/.well-known/openid-configuration`);
    assert.equal(config.status, 400);
    assert.match(((await config.json()) as { error_description: string }).error_description, /AADSTS90002: Tenant '[0-9a-f-]+' not found/);
    const raw = await fetch(`${emulator.ready.authorityHost}/${unknown}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret, scope: scopeOf('kv-demo') }).toString(),
    });
    assert.equal(raw.status, 400);
    assert.match(((await raw.json()) as { error_description: string }).error_description, /AADSTS90002/);
  });

  it('refuses an unknown client id with AADSTS700016', async () => {
    const credential = new ClientSecretCredential(emulator.ready.tenantId, '0badc0de-0000-4000-8000-000000000000', 'nope', { authorityHost: emulator.ready.authorityHost, disableInstanceDiscovery: true });
    const err = await rejection(() => credential.getToken(scopeOf('kv-demo')));
    assert.match(err.message, /AADSTS700016/);
  });

  it('refuses a token for a resource it does not know with AADSTS500011', async () => {
    const err = await rejection(() => credentialFor(emulator.ready).getToken('https://vault.example.invalid/.default'));
    assert.match(err.message, /AADSTS500011/);
  });
});

describe('identity: challenge and token checks on a vault', () => {
  it('answers a request without a token with 401 and a challenge naming the tenant and the vault origin', async () => {
    const url = containerUrl(emulator.ready, 'kv-demo');
    const res = await rawGet(`${url}/secrets?api-version=7.5`);
    assert.equal(res.status, 401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    assert.ok(challenge.includes(`authorization="${emulator.ready.authorityHost}/${emulator.ready.tenantId}"`), challenge);
    assert.ok(challenge.includes(`resource="${url}"`), challenge);
  });

  it('refuses a token for another vault, a forged token and an expired one with 401', async () => {
    const url = containerUrl(emulator.ready, 'kv-demo');
    const other = await credentialFor(emulator.ready).getToken(scopeOf('kv-scale'));
    const wrongAudience = await rawGet(`${url}/secrets?api-version=7.5`, other.token);
    assert.equal(wrongAudience.status, 401);
    assert.match(wrongAudience.body.error?.message ?? '', /audience/i);

    // Same claims, signed by a key the emulator never published.
    const good = decodeJwt((await credentialFor(emulator.ready).getToken(scopeOf('kv-demo'))).token);
    const sign = (claims: object): string => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const h = Buffer.from(JSON.stringify(good.header)).toString('base64url');
      const b = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `${h}.${b}.${createSign('RSA-SHA256').update(`${h}.${b}`).sign(privateKey).toString('base64url')}`;
    };
    const forged = await rawGet(`${url}/secrets?api-version=7.5`, sign(good.claims));
    assert.equal(forged.status, 401);
    assert.match(forged.body.error?.message ?? '', /signature/i);
    assert.ok(forged.headers.get('www-authenticate')?.startsWith('Bearer '), 'a refused token gets a fresh challenge');

    emulator.setTokenLifetime(2);
    const shortLived = await credentialFor(emulator.ready).getToken(scopeOf('kv-demo'));
    // Accepted while fresh, so the emulator has seen (and may have cached) it before it expires.
    assert.equal((await rawGet(`${url}/secrets?api-version=7.5`, shortLived.token)).status, 200);
    const { exp } = decodeJwt(shortLived.token).claims;
    await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 50));
    const expired = await rawGet(`${url}/secrets?api-version=7.5`, shortLived.token);
    assert.equal(expired.status, 401);
    assert.match(expired.body.error?.message ?? '', /expired/i);
  });
});

describe('identity: second tenant', () => {
  it('lets the app reach kv-tenant2 with a token for tenant B obtained through the challenge', async () => {
    const unauthenticated = await rawGet(`${containerUrl(emulator.ready, 'kv-tenant2')}/secrets?api-version=7.5`);
    assert.ok(unauthenticated.headers.get('www-authenticate')?.includes(`/${TENANT_B}"`), 'the challenge names tenant B');

    const { client, tokens } = recordingClient('kv-tenant2');
    await client.setSecret('cross-tenant', 'from tenant B');
    assert.equal((await client.getSecret('cross-tenant')).value, 'from tenant B');
    assert.ok(tokens.length > 0);
    for (const t of tokens) {
      const { claims } = decodeJwt(t);
      assert.equal(claims.tid, TENANT_B);
      assert.equal(claims.aud.replace(/\/$/, ''), containerUrl(emulator.ready, 'kv-tenant2'));
    }
  });

  it('refuses a token from tenant A on the tenant B vault', async () => {
    const tokenA = await credentialFor(emulator.ready).getToken(scopeOf('kv-tenant2'));
    assert.equal(decodeJwt(tokenA.token).claims.tid, emulator.ready.tenantId);
    const res = await rawGet(`${containerUrl(emulator.ready, 'kv-tenant2')}/secrets?api-version=7.5`, tokenA.token);
    assert.equal(res.status, 401);
    assert.match(res.body.error?.message ?? '', /issuer/i);
  });

  it('fails with a clear AADSTS700016 error when the reader, not registered in tenant B, reaches kv-tenant2', async () => {
    const { client } = recordingClient('kv-tenant2', 'reader');
    const err = await rejection(() => client.getSecret('cross-tenant'));
    assert.match(err.message, /AADSTS700016/);
    assert.ok(err.message.includes(TENANT_B), 'the error names the tenant');
  });
});

describe('identity: token lifetime and revocation', () => {
  it('completes a long listing with short-lived tokens by refreshing them', async () => {
    emulator.setTokenLifetime(2);
    emulator.setLatency(65);
    const { client, tokens } = recordingClient('kv-scale');
    const issuedBefore = emulator.tokenRequests;
    const started = Date.now();
    let count = 0;
    for await (const p of client.listPropertiesOfSecrets()) count += p.name ? 1 : 0;
    const elapsed = Date.now() - started;
    assert.equal(count, 1200);
    assert.ok(elapsed > 2000, `the listing outlived one token (${elapsed} ms)`);
    assert.ok(emulator.tokenRequests - issuedBefore > 1, 'more than one token was issued');
    assert.ok(new Set(tokens).size > 1, 'the client sent more than one token');
  });

  it('recovers from revoked tokens through the CAE claims challenge (admin endpoint)', async () => {
    const { client, tokens } = recordingClient('kv-demo');
    await client.setSecret('cae-admin', 'v1');
    const issued = emulator.tokenRequests;
    const res = await fetch(`${emulator.ready.adminUrl}/revoke-tokens`, { method: 'POST', headers: { 'x-emulator-admin-key': emulator.ready.adminKey } });
    assert.equal(res.status, 200);
    const from = emulator.exchanges.length;
    assert.equal((await client.getSecret('cae-admin')).value, 'v1');
    assert.ok(emulator.tokenRequests > issued, 'a fresh token was issued');
    const refused = emulator.exchanges.slice(from).filter((x) => x.status === 401);
    assert.ok(refused.length >= 1, 'the old token was refused first');
    assert.notEqual(tokens.at(-1), tokens[0], 'the call succeeded with a new token');
  });

  it('recovers from an injected expire-token fault through the claims challenge', async () => {
    const { client, tokens } = recordingClient('kv-demo');
    await client.setSecret('cae-fault', 'v1');
    emulator.faults.add({ kind: 'expire-token', target: 'kv-demo', method: 'GET', times: 1 });
    const issued = emulator.tokenRequests;
    assert.equal((await client.getSecret('cae-fault')).value, 'v1');
    assert.ok(emulator.tokenRequests > issued);
    assert.ok(new Set(tokens).size >= 2);
  });

  it('sends a claims challenge that names insufficient_claims for a revoked token', async () => {
    const token = await credentialFor(emulator.ready).getToken(scopeOf('kv-demo'));
    emulator.faults.tokensRevokedBefore = Date.now() + 1;
    await new Promise((r) => setTimeout(r, 5));
    const res = await rawGet(`${containerUrl(emulator.ready, 'kv-demo')}/secrets?api-version=7.5`, token.token);
    assert.equal(res.status, 401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /error="insufficient_claims"/);
    const claims = /claims="([^"]+)"/.exec(challenge)?.[1];
    assert.ok(claims);
    assert.ok(JSON.parse(Buffer.from(claims, 'base64').toString('utf8')).access_token, 'the claims are base64 JSON for access_token');
  });
});
