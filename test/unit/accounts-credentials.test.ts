import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLOUDS } from '../../src/azure/clouds';
import { emulatorCloud, emulatorCredential, emulatorEndpoints, parseReadyFile, ReadyFileError } from '../../src/azure/credentials/emulator';
import { createIdentityCredential, type IdentityModule } from '../../src/azure/credentials/identity';
import { MicrosoftAccountCredential, SignInRequiredError, type GetVsCodeSession, type SessionRequest, type SessionRequestOptions } from '../../src/azure/credentials/microsoftAccount';
import { tokenExpiry } from '../../src/azure/credentials/tokenExpiry';
import { planCredential } from '../../src/accounts/sources';
import { toKeyVaultError } from '../../src/keyvault/http/client';

// VS Code's own Microsoft sign-in cannot reach a login server on this machine, so these tests check the wiring
// with fakes: what the adapter asks VS Code for, and what it does with the answer.

const jwt = (claims: Record<string, unknown>) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;
const account = { id: 'acc-1', label: 'alice@contoso.com' };

function fakeVsCode(answer: (r: SessionRequest, o: SessionRequestOptions) => { accessToken: string } | undefined) {
  const calls: { request: SessionRequest; options: SessionRequestOptions }[] = [];
  const getSession: GetVsCodeSession = async (request, options) => {
    calls.push({ request, options });
    return answer(request, options);
  };
  return { getSession, calls };
}

describe('VS Code Microsoft account credential', () => {
  it('asks VS Code silently for the scope, in the tenant the vault challenge named (guest access)', async () => {
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const { getSession, calls } = fakeVsCode((r) => ({ accessToken: jwt({ exp, tid: r.tenantId }) }));
    const credential = new MicrosoftAccountCredential(getSession, account);
    const token = await credential.getToken('https://vault.azure.net/.default', { tenantId: 'guest-tenant' });
    assert.deepEqual(calls[0], { request: { scopes: ['https://vault.azure.net/.default'], tenantId: 'guest-tenant' }, options: { account, silent: true } });
    assert.equal(token.expiresOnTimestamp, exp * 1000, 'expiry read from the token, so the policy can cache it');
    assert.equal(token.tokenType, 'Bearer');
  });

  it('uses the home tenant when the caller names none', async () => {
    const { getSession, calls } = fakeVsCode(() => ({ accessToken: 'opaque' }));
    await new MicrosoftAccountCredential(getSession, account, 'home').getToken(['https://management.azure.com/.default']);
    assert.equal(calls[0]!.request.tenantId, 'home');
    await new MicrosoftAccountCredential(getSession, account).getToken(['https://management.azure.com/.default']);
    assert.equal(calls[1]!.request.tenantId, undefined);
  });

  it('never prompts while loading: without a session it asks VS Code once to offer sign-in, then fails with a hint', async () => {
    const { getSession, calls } = fakeVsCode(() => undefined);
    const credential = new MicrosoftAccountCredential(getSession, account);
    await assert.rejects(credential.getToken('https://vault.azure.net/.default', { tenantId: 't2' }), (err: unknown) => {
      assert.ok(err instanceof SignInRequiredError);
      assert.equal(err.name, 'AuthenticationRequiredError');
      assert.match(err.message, /alice@contoso\.com is not signed in to directory t2.*Key Vault: Sign In/);
      return true;
    });
    await assert.rejects(credential.getToken('https://vault.azure.net/.default', { tenantId: 't2' }));
    await new Promise((r) => setImmediate(r));
    const nonSilent = calls.filter((c) => !c.options.silent);
    assert.equal(nonSilent.length, 1, 'the Accounts-menu request is made once per tenant and scope');
    assert.equal(nonSilent[0]!.options.createIfNone, undefined, 'and it never opens a sign-in dialog by itself');
  });

  it('turns a CAE claims challenge into a WWW-Authenticate request that may prompt', async () => {
    const { getSession, calls } = fakeVsCode(() => ({ accessToken: 'x' }));
    await new MicrosoftAccountCredential(getSession, account).getToken('https://vault.azure.net/.default', { claims: '{"access_token":{"nbf":{"essential":true}}}' });
    assert.equal(calls[0]!.options.createIfNone, true);
    assert.match(calls[0]!.request.wwwAuthenticate ?? '', /^Bearer error="insufficient_claims", claims="[A-Za-z0-9+/=]+"$/);
  });

  it('the REST layer reports a missing sign-in as unauthorized, naming what to do', () => {
    const err = toKeyVaultError(new SignInRequiredError(account, 't2'), new URL('https://contoso.vault.azure.net/secrets'), 'GET');
    assert.equal(err.kind, 'unauthorized');
    assert.match(err.message, /not signed in to directory t2/);
  });

  it('reads a token expiry from its exp claim, and treats unreadable tokens as short-lived', () => {
    const now = 1_700_000_000_000;
    assert.equal(tokenExpiry(jwt({ exp: now / 1000 + 600 }), now), now + 600_000);
    assert.equal(tokenExpiry('opaque', now), now + 60_000);
    assert.equal(tokenExpiry('a.!!!.c', now), now + 60_000);
    assert.equal(tokenExpiry(jwt({ exp: now / 1000 - 5 }), now), now + 60_000, 'an already expired exp is not trusted');
  });
});

/** Records which @azure/identity class was built with which arguments. */
function fakeIdentity() {
  const built: { type: string; args: unknown[] }[] = [];
  const make = (type: string) =>
    class {
      constructor(...args: unknown[]) {
        built.push({ type, args });
      }
      async getToken(_scopes: string | string[], options?: { tenantId?: string }) {
        return { token: `${type}:${options?.tenantId ?? ''}`, expiresOnTimestamp: Date.now() + 3_600_000 };
      }
    };
  const module = {
    AzureCliCredential: make('AzureCliCredential'),
    AzureDeveloperCliCredential: make('AzureDeveloperCliCredential'),
    EnvironmentCredential: make('EnvironmentCredential'),
    ManagedIdentityCredential: make('ManagedIdentityCredential'),
    ClientSecretCredential: make('ClientSecretCredential'),
  } as unknown as IdentityModule;
  return { module, built };
}

describe('@azure/identity credentials chosen in settings', () => {
  it('lets the CLIs and the environment service principal switch to any tenant a vault names', () => {
    const { module, built } = fakeIdentity();
    createIdentityCredential(module, 'azureCli', CLOUDS[0]!);
    createIdentityCredential(module, 'azureDeveloperCli', CLOUDS[0]!);
    assert.deepEqual(built.map((b) => [b.type, b.args[0]]), [
      ['AzureCliCredential', { additionallyAllowedTenants: ['*'] }],
      ['AzureDeveloperCliCredential', { additionallyAllowedTenants: ['*'] }],
    ]);
  });

  it("signs the environment service principal in at the cloud's authority (AZURE_AUTHORITY_HOST wins)", () => {
    const { module, built } = fakeIdentity();
    const saved = process.env.AZURE_AUTHORITY_HOST;
    try {
      delete process.env.AZURE_AUTHORITY_HOST;
      createIdentityCredential(module, 'environment', CLOUDS[2]!);
      process.env.AZURE_AUTHORITY_HOST = 'https://login.example';
      createIdentityCredential(module, 'environment', CLOUDS[2]!);
    } finally {
      if (saved === undefined) delete process.env.AZURE_AUTHORITY_HOST;
      else process.env.AZURE_AUTHORITY_HOST = saved;
    }
    assert.deepEqual(built.map((b) => (b.args[0] as { authorityHost: string }).authorityHost), ['https://login.microsoftonline.us', 'https://login.example']);
  });

  it('uses a user-assigned managed identity when a client id is set, and never asks it for another tenant', async () => {
    const { module, built } = fakeIdentity();
    const system = createIdentityCredential(module, 'managedIdentity', CLOUDS[0]!);
    createIdentityCredential(module, 'managedIdentity', CLOUDS[0]!, { managedIdentityClientId: ' 0000-client ' });
    assert.deepEqual(built.map((b) => b.args), [[], [{ clientId: '0000-client' }]]);
    assert.equal((await system.getToken('https://vault.azure.net/.default', { tenantId: 'other' }))?.token, 'ManagedIdentityCredential:');
  });
});

const readyJson = {
  tenantId: 'tenant-a',
  clientId: 'client',
  clientSecret: 'emu~secret',
  authorityHost: 'https://127.0.0.1:9000',
  caCertFile: 'ca.pem',
  armEndpoint: 'https://127.0.0.1:9001/',
  subscriptionId: 's1',
  vaults: [{ name: 'kv-demo', url: 'https://127.0.0.1:9002' }],
  managedHsms: [{ name: 'hsm-demo', url: 'https://127.0.0.1:9003/' }],
};

describe('the emulator credential from its ready file', () => {
  it('reads the fields it needs; a relative CA path is relative to the ready file', () => {
    const ready = parseReadyFile(JSON.stringify(readyJson), '/tmp/emu/ready.json');
    assert.equal(ready.caCertFile, '/tmp/emu/ca.pem');
    assert.equal(ready.armEndpoint, 'https://127.0.0.1:9001');
    assert.deepEqual(ready.managedHsms, [{ name: 'hsm-demo', url: 'https://127.0.0.1:9003' }]);
  });

  it('names the field that is wrong', () => {
    const bad = (patch: Record<string, unknown>) => () => parseReadyFile(JSON.stringify({ ...readyJson, ...patch }));
    assert.throws(() => parseReadyFile('{'), /not JSON/);
    assert.throws(bad({ clientSecret: '' }), (e: unknown) => e instanceof ReadyFileError && /clientSecret/.test(e.message));
    assert.throws(bad({ authorityHost: 'http://127.0.0.1:9000' }), /authorityHost must use https/);
    assert.throws(bad({ vaults: [{ name: 'x', url: 'nope' }] }), /vaults\[0\]\.url is not a URL/);
  });

  it('authenticates at the emulator (no instance discovery), any tenant, with its CA; every vault is a custom endpoint', () => {
    const { module, built } = fakeIdentity();
    const ready = parseReadyFile(JSON.stringify(readyJson));
    const httpClient = { sendRequest: async () => ({}) as never };
    emulatorCredential(module, ready, httpClient);
    assert.deepEqual(built[0], {
      type: 'ClientSecretCredential',
      args: ['tenant-a', 'client', 'emu~secret', { authorityHost: 'https://127.0.0.1:9000', disableInstanceDiscovery: true, additionallyAllowedTenants: ['*'], httpClient }],
    });
    const cloud = emulatorCloud(ready);
    assert.equal(cloud.resourceManagerEndpoint, 'https://127.0.0.1:9001');
    assert.equal(cloud.loginEndpoint, 'https://127.0.0.1:9000');
    assert.deepEqual(emulatorEndpoints(ready, 'PEM'), [
      { origin: 'https://127.0.0.1:9002', authorityHost: 'https://127.0.0.1:9000', ca: 'PEM' },
      { origin: 'https://127.0.0.1:9003', authorityHost: 'https://127.0.0.1:9000', ca: 'PEM' },
    ]);
  });
});

describe('keyVault.credential', () => {
  const config = (credential: string, emulatorReadyFile = '') => ({ credential: credential as never, emulatorReadyFile, managedIdentityClientId: '' });

  it('auto: the emulator appears by itself when KEYVAULT_EMULATOR_READY_FILE is set (npm start), else nothing extra', () => {
    assert.deepEqual(planCredential(config('auto'), '/r/ready.json'), { kind: 'emulator', readyFile: '/r/ready.json', automatic: true });
    assert.deepEqual(planCredential(config('auto'), undefined), { kind: 'none' });
    assert.deepEqual(planCredential(config('auto'), '  '), { kind: 'none' });
  });

  it('microsoft: VS Code accounts only, even with the emulator variable set', () => {
    assert.deepEqual(planCredential(config('microsoft'), '/r/ready.json'), { kind: 'none' });
  });

  it('emulator: the ready-file setting, else the variable, else a problem that says what to run', () => {
    assert.deepEqual(planCredential(config('emulator', '/mine.json'), '/env.json'), { kind: 'emulator', readyFile: '/mine.json', automatic: false });
    assert.deepEqual(planCredential(config('emulator'), '/env.json'), { kind: 'emulator', readyFile: '/env.json', automatic: false });
    const none = planCredential(config('emulator'), undefined);
    assert.equal(none.kind, 'error');
    assert.match(none.kind === 'error' ? none.message : '', /Use Local Emulator/);
  });

  it('the @azure/identity kinds', () => {
    for (const kind of ['azureCli', 'azureDeveloperCli', 'environment', 'managedIdentity']) {
      assert.deepEqual(planCredential(config(kind), '/env.json'), { kind: 'identity', identity: kind });
    }
  });
});
