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

  it('reads ids written the way the service writes them exactly as the full URL parser does (hosts, ports, IPv4 forms)', () => {
    // A leading space never matches the shortcut for canonical ids, so it shows what the URL parser makes of the same id.
    const label = fc.stringMatching(/^[a-z0-9-]{1,6}$/);
    const host = fc.oneof(
      fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.')),
      fc.array(fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('0x7f', '0x', '01', '00')), { minLength: 1, maxLength: 4 }).map((l) => l.join('.')),
    );
    const port = fc.oneof(fc.constant(''), fc.constantFrom(':443', ':0443', ':0', ':65536', ':99999'), fc.integer({ min: 1, max: 65535 }).map((p) => `:${p}`));
    const path = fc.tuple(fc.constantFrom('keys', 'secrets', 'storage', 'deletedkeys', 'Secrets', 'blobs'), nameArb, fc.option(fc.stringMatching(/^[0-9a-zA-Z]{1,8}$/), { nil: undefined }));
    const outcome = (text: string): unknown => {
      try {
        return parseObjectId(text);
      } catch (e) {
        return (e as Error).message;
      }
    };
    fc.assert(
      fc.property(host, port, path, (h, p, [collection, name, version]) => {
        const id = `https://${h}${p}/${collection}/${name}${version ? `/${version}` : ''}`;
        assert.deepEqual(outcome(id), outcome(` ${id}`));
      }),
      { numRuns: 3000, seed: 11 },
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
