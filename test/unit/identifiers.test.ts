import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildObjectId, parseObjectId, type ObjectCollection } from '../../src/keyvault/identifiers';

const nameArb = fc.stringMatching(/^[0-9a-zA-Z-]{1,127}$/);
const versionArb = fc.option(fc.stringMatching(/^[0-9a-f]{32}$/), { nil: undefined });
const hostArb = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{2,22}[a-z0-9]$/).map((n) => `https://${n}.vault.azure.net`),
  fc.stringMatching(/^[a-z][a-z0-9-]{2,22}[a-z0-9]$/).map((n) => `https://${n}.managedhsm.usgovcloudapi.net`),
  fc.integer({ min: 1, max: 65535 }).map((p) => `https://127.0.0.1:${p}`),
);
const collectionArb = fc.constantFrom<ObjectCollection>('keys', 'secrets', 'certificates', 'storage', 'deletedsecrets');

describe('object identifiers', () => {
  it('parse(build(x)) gives back x for any vault, collection, name and version', () => {
    fc.assert(
      fc.property(hostArb, collectionArb, nameArb, versionArb, (host, collection, name, version) => {
        const id = buildObjectId(host, collection, name, version);
        const parsed = parseObjectId(id);
        const origin = new URL(host).origin;
        assert.equal(parsed.vaultUrl, origin);
        assert.equal(parsed.collection, collection);
        assert.equal(parsed.name, name);
        assert.equal(parsed.version, version);
        assert.equal(parsed.id, id);
      }),
      { numRuns: 2000, seed: 42 },
    );
  });

  it('accepts a trailing slash and surrounding whitespace', () => {
    const p = parseObjectId('  https://contoso.vault.azure.net/secrets/db-password/  ');
    assert.equal(p.name, 'db-password');
    assert.equal(p.version, undefined);
  });

  it('rejects anything else with a message saying what is wrong, never a crash', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseObjectId(text);
        } catch (e) {
          assert.ok(e instanceof Error);
          assert.ok(e.message.length > 10);
        }
      }),
      { numRuns: 3000, seed: 7 },
    );
  });

  it('names the problem for common mistakes', () => {
    assert.throws(() => parseObjectId('contoso.vault.azure.net/secrets/x'), /not a URL/);
    assert.throws(() => parseObjectId('http://contoso.vault.azure.net/secrets/x'), /https/);
    assert.throws(() => parseObjectId('https://contoso.vault.azure.net/blobs/x'), /Unknown collection/);
    assert.throws(() => parseObjectId('https://contoso.vault.azure.net/secrets/bad_name'), /not a valid name/);
    assert.throws(() => parseObjectId('https://contoso.vault.azure.net/secrets/x/y/z'), /Expected/);
    assert.throws(() => parseObjectId('https://contoso.vault.azure.net/secrets/x?api-version=1'), /query/);
    assert.throws(() => buildObjectId('https://contoso.vault.azure.net', 'secrets', 'no spaces'), /not a valid name/);
  });
});
