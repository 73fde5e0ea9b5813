import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PINNED_STATE_KEY, PinnedStore, sanitizePinned, type MementoLike } from '../../src/accounts/pinnedStore';

/** globalState in memory, storing JSON like VS Code does (so no object identity leaks between calls). */
function memento(initial: Record<string, unknown> = {}): MementoLike & { raw: Record<string, string> } {
  const raw: Record<string, string> = Object.fromEntries(Object.entries(initial).map(([k, v]) => [k, JSON.stringify(v)]));
  return {
    raw,
    get: <T>(key: string) => (key in raw ? (JSON.parse(raw[key]!) as T) : undefined),
    update: async (key: string, value: unknown) => {
      if (value === undefined) delete raw[key];
      else raw[key] = JSON.stringify(value);
    },
  };
}

describe('pinned vaults in globalState', () => {
  it('starts empty, adds, lists, finds by any URL of the same origin, and removes', async () => {
    const store = new PinnedStore(memento());
    assert.deepEqual(store.list(), []);
    assert.equal(await store.add({ kind: 'vault', name: 'contoso', url: 'https://contoso.vault.azure.net' }), 'added');
    assert.equal(await store.add({ kind: 'hsm', name: 'h1', url: 'https://h1.managedhsm.azure.net/', sessionId: 'microsoft:abc' }), 'added');
    assert.deepEqual(store.list().map((p) => p.url), ['https://contoso.vault.azure.net', 'https://h1.managedhsm.azure.net']);
    assert.equal(store.find('https://CONTOSO.vault.azure.net/secrets/x')?.name, 'contoso');
    assert.equal(await store.remove('https://contoso.vault.azure.net/'), true);
    assert.equal(await store.remove('https://contoso.vault.azure.net/'), false);
    assert.deepEqual(store.list().map((p) => p.name), ['h1']);
  });

  it('keeps one entry per origin: adding again replaces it', async () => {
    const store = new PinnedStore(memento());
    await store.add({ kind: 'vault', name: 'contoso', url: 'https://contoso.vault.azure.net' });
    assert.equal(await store.add({ kind: 'vault', name: 'contoso', url: 'https://Contoso.vault.azure.net/', sessionId: 'identity:azureCli' }), 'replaced');
    assert.deepEqual(store.list(), [{ kind: 'vault', name: 'contoso', url: 'https://contoso.vault.azure.net', sessionId: 'identity:azureCli' }]);
  });

  it('persists only what a pin is: no token, secret or other field ever reaches globalState', async () => {
    const state = memento();
    const store = new PinnedStore(state);
    const sneaky = { kind: 'vault', name: 'emu', url: 'https://127.0.0.1:8443', custom: { caFile: '/tmp/ca.pem', ca: '-----BEGIN' }, token: 'eyJ0eXAi', clientSecret: 's3cret' };
    await store.add(sneaky as never);
    const stored = state.raw[PINNED_STATE_KEY]!;
    assert.doesNotMatch(stored, /eyJ0eXAi|s3cret|BEGIN/);
    assert.deepEqual(JSON.parse(stored), [{ kind: 'vault', name: 'emu', url: 'https://127.0.0.1:8443', custom: { caFile: '/tmp/ca.pem' } }]);
  });

  it('survives whatever an older version or a hand edit left in globalState', () => {
    const store = new PinnedStore(
      memento({
        [PINNED_STATE_KEY]: [
          null,
          'https://x.vault.azure.net',
          { kind: 'vault', name: 'ok', url: 'https://ok.vault.azure.net' },
          { kind: 'vault', name: 'dup', url: 'https://OK.vault.azure.net/' },
          { kind: 'bucket', name: 'b', url: 'https://b.vault.azure.net' },
          { kind: 'vault', name: 'plain', url: 'http://plain.vault.azure.net' },
          { kind: 'hsm', name: '', url: 'https://h.managedhsm.azure.net' },
          { kind: 'hsm', name: 'h', url: 'not a url' },
        ],
      }),
    );
    assert.deepEqual(store.list(), [{ kind: 'vault', name: 'ok', url: 'https://ok.vault.azure.net' }]);
    assert.deepEqual(sanitizePinned({ not: 'a list' }), []);
  });

  it('refuses to add a malformed pin', async () => {
    const store = new PinnedStore(memento());
    await assert.rejects(store.add({ kind: 'vault', name: 'x', url: 'http://x.vault.azure.net' }), /Not a valid pinned vault/);
  });
});
