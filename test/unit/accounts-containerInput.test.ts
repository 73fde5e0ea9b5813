import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CLOUDS, customCloud } from '../../src/azure/clouds';
import { nameProblem, parseContainerInput } from '../../src/accounts/containerInput';

const azure = CLOUDS[0]!;
const china = CLOUDS[1]!;
const emulatorCloud = customCloud({ resourceManagerEndpoint: 'https://127.0.0.1:9001', loginEndpoint: 'https://127.0.0.1:9000' });

const letter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split(''));
const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));
/** Valid vault / HSM names: 3–24 chars, letter first, letter or digit last, hyphens never doubled. */
const validName = fc
  .tuple(letter, fc.array(fc.oneof(alnum, fc.constant('-')), { minLength: 1, maxLength: 22 }), alnum)
  .map(([a, mid, z]) => `${a}${mid.join('')}${z}`)
  .filter((n) => !n.includes('--') && n.length <= 24);
const randomCase = (s: string) => fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((up) => [...s].map((ch, i) => (up[i] ? ch.toUpperCase() : ch)).join(''));
const cloud = fc.constantFrom(...CLOUDS);
const kind = fc.constantFrom('vault' as const, 'hsm' as const);
const tail = fc.constantFrom('', '/', '/secrets/db-password', '/keys/k1/0123456789abcdef0123456789abcdef', '?api-version=2025-07-01', '#x');

describe('Add Vault or HSM by URL: parsing what the user types', () => {
  it('a full vault or HSM URL of any cloud gives its kind, name, cloud and origin (any case, any path)', () => {
    fc.assert(
      fc.property(validName, cloud, kind, tail, fc.boolean(), (name, c, k, path, withScheme) => {
        const suffix = k === 'vault' ? c.keyVaultDnsSuffix : c.managedHsmDnsSuffix;
        const host = `${name}.${suffix}`;
        const typed = `${withScheme ? 'https://' : ''}${host.toUpperCase()}${path}`;
        const parsed = parseContainerInput(typed, azure);
        assert.ok(parsed.ok && parsed.type === 'cloud', JSON.stringify(parsed));
        assert.equal(parsed.kind, k);
        assert.equal(parsed.name, name);
        assert.equal(parsed.url, `https://${host}`);
        assert.equal(parsed.cloud.id, c.id);
      }),
    );
  });

  it('a bare name expands into the active cloud, vault or HSM, for the caller to choose', () => {
    fc.assert(
      fc.property(validName.chain((n) => randomCase(n)), cloud, (typed, c) => {
        const parsed = parseContainerInput(`  ${typed} `, c);
        assert.ok(parsed.ok && parsed.type === 'name');
        assert.equal(parsed.name, typed.toLowerCase());
        assert.deepEqual(parsed.candidates, [
          { kind: 'vault', url: `https://${typed.toLowerCase()}.${c.keyVaultDnsSuffix}` },
          { kind: 'hsm', url: `https://${typed.toLowerCase()}.${c.managedHsmDnsSuffix}` },
        ]);
      }),
    );
  });

  it('parsing the URL it produced gives the same result (idempotent)', () => {
    fc.assert(
      fc.property(fc.oneof(validName, validName.map((n) => `https://${n}.${china.managedHsmDnsSuffix}/keys`), fc.webUrl({ validSchemes: ['https'] })), (typed) => {
        const first = parseContainerInput(typed, azure);
        if (!first.ok) return;
        const urls = first.type === 'name' ? first.candidates.map((c) => c.url) : [first.url];
        for (const url of urls) {
          const again = parseContainerInput(url, azure);
          assert.ok(again.ok && again.type !== 'name');
          assert.equal(again.url, url);
        }
      }),
    );
  });

  it('never throws, whatever is typed, and every error says what to fix', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.string({ unit: 'grapheme' }), fc.constantFrom('https://', 'https://:443', 'http://x', '::', '[', 'https://[::1]:8443/')), (typed) => {
        const parsed = parseContainerInput(typed, azure);
        if (!parsed.ok) assert.ok(parsed.message.length > 10, parsed.code);
      }),
    );
  });

  it('refuses plain http, always', () => {
    fc.assert(
      fc.property(fc.oneof(validName.map((n) => `${n}.vault.azure.net`), fc.domain()), (host) => {
        const parsed = parseContainerInput(`http://${host}`, azure);
        assert.equal(parsed.ok, false);
        assert.equal(!parsed.ok && parsed.code, 'not-https');
      }),
    );
  });

  it('refuses invalid names with the rule they break', () => {
    fc.assert(
      fc.property(validName, fc.constantFrom('_', '!', 'é', '@', '\\'), (name, bad) => {
        const typed = `${name.slice(0, 2)}${bad}${name.slice(2)}`;
        const parsed = parseContainerInput(typed, azure);
        assert.equal(parsed.ok, false);
      }),
    );
    const cases: [string, RegExp][] = [
      ['ab', /too short/],
      ['a'.repeat(25), /too long/],
      ['1vault', /start with a letter/],
      ['vault-', /end with a letter or digit/],
      ['my--vault', /two hyphens/],
      ['my_vault', /contains "_"/],
    ];
    for (const [name, message] of cases) {
      const parsed = parseContainerInput(name, azure);
      assert.ok(!parsed.ok && parsed.code === 'invalid-name', name);
      assert.match(parsed.message, message);
      assert.match(nameProblem(name) ?? '', message);
      const asUrl = parseContainerInput(`https://${name}.vault.azure.net`, azure);
      assert.ok(!asUrl.ok && asUrl.code === 'invalid-name', `${name} as URL`);
    }
  });

  it('gives specific errors for the usual mistakes', () => {
    const code = (typed: string) => {
      const p = parseContainerInput(typed, azure);
      return p.ok ? p.type : p.code;
    };
    assert.equal(code(''), 'empty');
    assert.equal(code('   '), 'empty');
    assert.equal(code('my vault'), 'whitespace');
    assert.equal(code('ftp://contoso.vault.azure.net'), 'bad-url');
    assert.equal(code('https://user:pw@contoso.vault.azure.net'), 'credentials-in-url');
    assert.equal(code('https://vault.azure.net'), 'bad-host');
    assert.equal(code('https://a.contoso.vault.azure.net'), 'bad-host');
    assert.equal(code('https://contoso.vault.azure.net:8443'), 'bad-port');
    assert.equal(code('https://contoso.vault.azure.net:443/'), 'cloud');
    assert.equal(code('contoso/'), 'name');
    assert.equal(parseContainerInput('contoso', emulatorCloud).ok, false, 'a custom cloud has no suffix to expand a name with');
  });

  it('takes any other https origin as a custom endpoint, reduced to its origin', () => {
    fc.assert(
      fc.property(fc.domain(), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), tail, (domain, port, path) => {
        fc.pre(!CLOUDS.some((c) => domain.endsWith(c.keyVaultDnsSuffix) || domain.endsWith(c.managedHsmDnsSuffix)));
        const typed = `https://${domain}${port !== undefined ? `:${port}` : ''}${path}`;
        const parsed = parseContainerInput(typed, azure);
        assert.ok(parsed.ok && parsed.type === 'custom', typed);
        assert.equal(parsed.url, new URL(typed).origin);
        assert.equal(parsed.name, new URL(typed).host);
      }),
    );
    const emulator = parseContainerInput('127.0.0.1:8443', azure);
    assert.ok(emulator.ok && emulator.type === 'custom');
    assert.equal(emulator.url, 'https://127.0.0.1:8443');
  });
});
