// Fuzz (fast-check, seeded and bounded) of what users type: identifiers and URLs, names, tags and settings values.
// No input crashes a parser; each one is either accepted with the invariants that later code relies on, or refused
// with a clear message. Every generated case is counted per area; the counts go to test-results/fuzz/ and
// docs/SECURITY.md.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { nameProblem, parseContainerInput } from '../../src/accounts/containerInput';
import { CLOUDS, customCloud } from '../../src/azure/clouds';
import { checkEmail, checkIssuerName } from '../../src/commands/certificates/issuerInput';
import { formatTags, parseTags, validateSecretName, validateSecretValue, MAX_SECRET_VALUE_BYTES } from '../../src/commands/secrets/validation';
import { checkAccountName, checkDuration, checkSasName } from '../../src/commands/storage/sasInput';
import { TrustedHosts } from '../../src/keyvault/http/trust';
import { buildObjectId, isValidObjectName, parseObjectId } from '../../src/keyvault/identifiers';
import { DEFAULT_SETTINGS, parseSettings, SETTING_KEYS, CREDENTIAL_SETTINGS } from '../../src/settings';
import { checkForm } from '../../src/webviews/createCertificate/form';
import { DEFAULT_FORM } from '../../src/webviews/createCertificate/formModel';
import { formToCreateOptions, validateKeyName } from '../../src/webviews/createKey/form';
import type { CreateKeyFormData } from '../../src/webviews/createKey/protocol';

const counts: Record<string, number> = {};
const count = (area: string): void => {
  counts[area] = (counts[area] ?? 0) + 1;
};
after(() => {
  const dir = path.join(__dirname, '..', '..', 'test-results', 'fuzz');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'inputs.json'), `${JSON.stringify(counts, null, 2)}\n`);
  console.log(`fuzz cases (inputs): ${JSON.stringify(counts)}`);
});

/**
 * A message a user can act on: a few words (it says what is wrong, not just "invalid"), of reasonable length, with
 * no programmer noise (undefined, [object …], NaN, a stack frame) and no stray whitespace around it.
 */
function assertClear(message: unknown, context: string): void {
  assert.equal(typeof message, 'string', `${context}: the rejection has no message`);
  const m = message as string;
  assert.ok(m.trim().split(/\s+/).length >= 3, `${context}: message too short: ${JSON.stringify(m)}`);
  assert.equal(m, m.trim(), `${context}: message has stray whitespace`);
  assert.ok(!/\bundefined\b|\[object |\bNaN\b|\n\s+at /.test(m), `${context}: message carries programmer noise: ${JSON.stringify(m.slice(0, 160))}`);
}

const NAME = /^[0-9a-zA-Z-]{1,127}$/;
const nameChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-'.split(''));
const validObjectName = fc.array(nameChar, { minLength: 1, maxLength: 127 }).map((a) => a.join(''));
const hostileChar = fc.constantFrom(...' _./\\%?#&=+:;@!*\'"<>{}[]|`^~$,\t\n\r\u0000\u00e9\u200b\u202e\ud83d\ude00'.split(''));
/** Names that are almost right: a valid one with hostile characters spliced in, or over the length. */
const nearName = fc.oneof(
  fc.tuple(validObjectName, fc.array(hostileChar, { minLength: 1, maxLength: 4 }), fc.nat()).map(([n, bad, at]) => {
    const i = at % (n.length + 1);
    return n.slice(0, i) + bad.join('') + n.slice(i);
  }),
  fc.array(nameChar, { minLength: 128, maxLength: 300 }).map((a) => a.join('')),
  fc.constant(''),
);
/** encodeURIComponent, or the text as is when it holds a lone surrogate (which cannot be encoded). */
const safeEncode = (s: string): string => {
  try {
    return encodeURIComponent(s);
  } catch {
    return s;
  }
};
const anyText = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 60 }));

const azure = CLOUDS[0]!;
const emulatorCloud = customCloud({ resourceManagerEndpoint: 'https://127.0.0.1:9001', loginEndpoint: 'https://127.0.0.1:9000' });
const COLLECTIONS = ['keys', 'secrets', 'certificates', 'storage', 'deletedkeys', 'deletedsecrets', 'deletedcertificates', 'deletedstorage'];

/** Hosts as users paste them: cloud vaults and HSMs of every cloud, IPs with ports, look-alikes, junk. */
const host = fc.oneof(
  fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{1,22}[a-z0-9]$/), fc.constantFrom(...CLOUDS.flatMap((c) => [c.keyVaultDnsSuffix, c.managedHsmDnsSuffix]))).map(([n, s]) => `${n}.${s}`),
  fc.tuple(fc.domain(), fc.constantFrom('', '.vault.azure.net.evil.example', '.evil-vault.azure.net', 'vault.azure.net')).map(([d, s]) => `${d}${s}`),
  fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 70000 })).map(([ip, port]) => `${ip}:${port}`),
  fc.constantFrom('[::1]:8443', 'localhost', 'user:pass@contoso.vault.azure.net', 'contoso.vault.azure.net:444', 'CONTOSO.VAULT.AZURE.NET', 'xn--80ak6aa92e.vault.azure.net'),
);
const scheme = fc.constantFrom('https://', 'http://', 'HTTPS://', 'ftp://', '', '//', 'https:/', 'javascript:');
const pathPart = fc.oneof(
  fc.tuple(fc.constantFrom(...COLLECTIONS, 'Secrets', 'other', ''), fc.oneof(validObjectName, nearName), fc.option(fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), fc.string({ maxLength: 70 })), { nil: undefined })).map(
    ([c, n, v]) => `/${c}/${safeEncode(n)}${v !== undefined ? `/${v}` : ''}`,
  ),
  fc.webPath(),
  fc.constantFrom('', '/', '/secrets', '/secrets/a/b/c', '/secrets/%E0%A4%A', '/secrets/a?x=1', '/secrets/a#f', '/./secrets/../keys/k'),
);
const urlish = fc.oneof(
  fc.tuple(scheme, host, pathPart).map(([s, h, p]) => `${s}${h}${p}`),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  anyText,
);

describe('fuzz: identifiers and URLs', () => {
  it('parseObjectId accepts only https ids of a known collection with a valid name and version, and says why otherwise', () => {
    fc.assert(
      fc.property(urlish, (input) => {
        count('identifiers and URLs');
        let parsed: ReturnType<typeof parseObjectId>;
        try {
          parsed = parseObjectId(input);
        } catch (err) {
          assert.ok(err instanceof Error, 'rejections are Errors');
          assertClear(err.message, `parseObjectId(${JSON.stringify(input)})`);
          return;
        }
        assert.ok(parsed.vaultUrl.startsWith('https://'), parsed.vaultUrl);
        assert.equal(new URL(parsed.vaultUrl).origin, parsed.vaultUrl);
        assert.ok(COLLECTIONS.includes(parsed.collection));
        assert.match(parsed.name, NAME);
        if (parsed.version !== undefined) assert.match(parsed.version, /^[0-9a-zA-Z]{1,64}$/);
        // What the parser returns is what the builder makes: ids survive a round trip.
        assert.equal(buildObjectId(parsed.vaultUrl, parsed.collection, parsed.name, parsed.version), parsed.id);
        assert.deepEqual(parseObjectId(parsed.id), parsed);
      }),
      { numRuns: 3000, seed: 110001 },
    );
  });

  it('Add Vault by URL never throws: a cloud vault, a name, a custom https origin, or a clear refusal', () => {
    fc.assert(
      fc.property(urlish, fc.constantFrom(azure, emulatorCloud), (input, cloud) => {
        count('identifiers and URLs');
        const parsed = parseContainerInput(input, cloud);
        if (!parsed.ok) {
          assertClear(parsed.message, `parseContainerInput(${JSON.stringify(input)})`);
          return;
        }
        if (parsed.type === 'custom') {
          const u = new URL(parsed.url);
          assert.equal(u.protocol, 'https:');
          assert.equal(u.origin, parsed.url, 'a custom endpoint is an origin: no path, query, or credentials');
        } else if (parsed.type === 'cloud') {
          const u = new URL(parsed.url);
          assert.equal(u.origin, parsed.url);
          assert.ok(u.hostname.endsWith(parsed.kind === 'vault' ? parsed.cloud.keyVaultDnsSuffix : parsed.cloud.managedHsmDnsSuffix));
          assert.equal(nameProblem(parsed.name), undefined);
        } else {
          assert.equal(nameProblem(parsed.name), undefined);
          assert.ok(parsed.candidates.length > 0);
        }
      }),
      { numRuns: 2000, seed: 110002 },
    );
  });

  it('no URL gets a token unless its host is a Key Vault host of the active cloud on port 443, or an added origin', () => {
    const added = 'https://127.0.0.1:8443';
    const trust = new TrustedHosts(azure, [{ origin: added, authorityHost: 'https://127.0.0.1:9000' }]);
    const suffixes = [azure.keyVaultDnsSuffix, azure.managedHsmDnsSuffix];
    fc.assert(
      fc.property(urlish, (input) => {
        count('identifiers and URLs');
        const decision = trust.decide(input);
        if (!decision) return;
        const u = new URL(input);
        assert.equal(u.protocol, 'https:');
        if (u.origin === added) return;
        assert.ok(suffixes.some((s) => u.hostname.endsWith(`.${s}`)), `${input} would get a token`);
        assert.ok(u.port === '' || u.port === '443');
        assert.ok(decision.resources.every((r) => r === azure.keyVaultResource.replace(/\/+$/, '').toLowerCase() || r === azure.managedHsmResource.replace(/\/+$/, '').toLowerCase()));
      }),
      { numRuns: 2000, seed: 110003 },
    );
  });
});

describe('fuzz: names', () => {
  const validators: [string, (s: string) => string | undefined, RegExp | undefined][] = [
    ['secret name', validateSecretName, NAME],
    ['key name', validateKeyName, NAME],
    ['issuer name', (s) => checkIssuerName(s), undefined],
    ['SAS definition name', checkSasName, undefined],
    ['storage account name', checkAccountName, undefined],
    ['vault name', nameProblem, undefined],
    ['contact email', checkEmail, undefined],
  ];
  for (const [what, validate, rule] of validators) {
    it(`${what}: accepted exactly when valid, otherwise a clear inline message`, () => {
      fc.assert(
        fc.property(fc.oneof(validObjectName, nearName, anyText), (input) => {
          count('names');
          const message = validate(input);
          if (message !== undefined) assertClear(message, `${what} ${JSON.stringify(input)}`);
          if (rule) assert.equal(message === undefined, rule.test(input), `${what} ${JSON.stringify(input)}: ${message}`);
          if (what === 'issuer name' && message === undefined) assert.ok(isValidObjectName(input.trim()));
        }),
        { numRuns: 300, seed: 120000 + what.length },
      );
    });
  }

  it('certificate names in the Create Certificate form follow the same rule, with the message on the name field', () => {
    fc.assert(
      fc.property(fc.oneof(validObjectName, nearName, anyText), (name) => {
        count('names');
        const result = checkForm({ ...DEFAULT_FORM, name, subject: 'CN=fuzz.example.com' });
        const problem = result.errors.name;
        if (problem !== undefined) assertClear(problem, `certificate name ${JSON.stringify(name)}`);
        assert.equal(problem === undefined, NAME.test(name.trim()), `${JSON.stringify(name)}: ${problem}`);
      }),
      { numRuns: 500, seed: 120099 },
    );
  });
});

describe('fuzz: tags', () => {
  // Names that are object members elsewhere (prototype, constructor) must stay plain tag names.
  const tagName = fc.oneof(
    fc.string({ minLength: 1, maxLength: 40 }).map((s) => s.replace(/[,=]/g, '').trim()).filter((s) => s.length > 0),
    fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'),
  );
  const tagValue = fc.string({ maxLength: 40 }).map((s) => s.replace(/,/g, '').trim());

  it('parseTags: any text gives tags within Key Vault limits, or a clear message', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.array(fc.tuple(fc.oneof(tagName, fc.string({ maxLength: 600 })), fc.oneof(tagValue, fc.string({ maxLength: 300 }))), { maxLength: 20 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join(', '))), (text) => {
        count('tags');
        const parsed = parseTags(text);
        if (!parsed.ok) {
          assertClear(parsed.error, `parseTags(${JSON.stringify(text.slice(0, 60))})`);
          return;
        }
        const entries = Object.entries(parsed.value);
        assert.ok(entries.length <= 15);
        for (const [k, v] of entries) {
          assert.ok(k.length > 0 && k.length <= 512);
          assert.ok(v.length <= 256);
        }
        // Own properties only: a tag called __proto__ or constructor stays a tag.
        assert.equal(Object.getPrototypeOf(parsed.value), Object.prototype);
      }),
      { numRuns: 1000, seed: 130001 },
    );
  });

  it('tags shown for editing read back as the same tags', () => {
    fc.assert(
      fc.property(fc.dictionary(tagName, tagValue, { maxKeys: 15 }), (tags) => {
        count('tags');
        const parsed = parseTags(formatTags(tags));
        assert.ok(parsed.ok, JSON.stringify(tags));
        assert.deepEqual({ ...parsed.value }, { ...tags });
      }),
      { numRuns: 500, seed: 130002 },
    );
  });

  const formBase: CreateKeyFormData = { name: 'fuzz-key', family: 'RSA', protection: 'software', keySize: 2048, keyOps: ['sign', 'verify'], enabled: true, tags: [], exportable: false, releasePolicyImmutable: false };
  it('Create Key form tags: accepted within the limits, else a message on the tags field', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ name: fc.oneof(tagName, fc.string({ maxLength: 600 })), value: fc.oneof(tagValue, fc.string({ maxLength: 300 })) }), { maxLength: 20 }), (tags) => {
        count('tags');
        const result = formToCreateOptions({ ...formBase, tags }, 'vault', Date.parse('2026-06-01T00:00:00Z'));
        if (!result.ok) {
          assert.ok(result.fields.tags !== undefined, JSON.stringify(result.fields));
          assertClear(result.fields.tags, 'key form tags');
          return;
        }
        const sent = Object.entries(result.options.tags ?? {});
        assert.ok(sent.length <= 15);
        for (const [k, v] of sent) assert.ok(k.trim().length > 0 && k.length <= 512 && v.length <= 256, `${k}=${v}`);
      }),
      { numRuns: 500, seed: 130003 },
    );
  });

  it('Create Certificate form tags: accepted within the limits, else a message on the tags field', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ key: fc.oneof(tagName, fc.string({ maxLength: 600 })), value: fc.oneof(tagValue, fc.string({ maxLength: 300 })) }), { maxLength: 20 }), (tags) => {
        count('tags');
        const result = checkForm({ ...DEFAULT_FORM, name: 'fuzz-cert', subject: 'CN=fuzz.example.com', tags });
        if (result.errors.tags !== undefined) {
          assertClear(result.errors.tags, 'certificate form tags');
          return;
        }
        const sent = Object.entries(result.options?.tags ?? {});
        assert.ok(sent.length <= 15);
        for (const [k, v] of sent) assert.ok(k.length > 0 && k.length <= 512 && v.length <= 256);
      }),
      { numRuns: 500, seed: 130004 },
    );
  });
});

describe('fuzz: valid tags are kept as typed', () => {
  const tagName = fc.oneof(
    fc.string({ minLength: 1, maxLength: 40 }).map((s) => s.trim()).filter((s) => s.length > 0),
    fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'),
  );
  const validTags = fc.uniqueArray(fc.tuple(tagName, fc.string({ maxLength: 40 })), { maxLength: 15, selector: ([k]) => k });
  const own = (tags: Record<string, string> | undefined) => Object.entries(tags ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  const sorted = (pairs: [string, string][]) => [...pairs].sort(([a], [b]) => (a < b ? -1 : 1));

  it('the Create Key form sends exactly the tags typed, whatever their names', () => {
    const base: CreateKeyFormData = { name: 'fuzz-key', family: 'RSA', protection: 'software', keySize: 2048, keyOps: ['sign', 'verify'], enabled: true, tags: [], exportable: false, releasePolicyImmutable: false };
    fc.assert(
      fc.property(validTags.filter((pairs) => pairs.every(([, v]) => v.trim() !== '' || true)), (pairs) => {
        count('tags');
        const result = formToCreateOptions({ ...base, tags: pairs.map(([name, value]) => ({ name, value })) }, 'vault', Date.parse('2026-06-01T00:00:00Z'));
        assert.ok(result.ok, JSON.stringify(result));
        assert.deepEqual(own(result.options.tags), sorted(pairs));
      }),
      { numRuns: 300, seed: 130005 },
    );
  });

  it('the Create Certificate form sends exactly the tags typed, whatever their names', () => {
    fc.assert(
      fc.property(validTags, (pairs) => {
        count('tags');
        const result = checkForm({ ...DEFAULT_FORM, name: 'fuzz-cert', subject: 'CN=fuzz.example.com', tags: pairs.map(([key, value]) => ({ key, value })) });
        assert.deepEqual(result.errors, {});
        assert.deepEqual(own(result.options?.tags), sorted(pairs));
      }),
      { numRuns: 300, seed: 130006 },
    );
  });
});

describe('fuzz: settings values', () => {
  const anyValue = fc.oneof(
    fc.anything(),
    fc.integer(),
    fc.double(),
    fc.string({ maxLength: 40 }),
    fc.constantFrom(0, -1, 1, 25, 26, 3600, 86_400, 86_401, Number.POSITIVE_INFINITY, Number.NaN, '30', '2025-07-01', ' 7.5 ', '7.6-preview.2', 'emulator', 'auto', null, true, [], {}),
  );
  it('any value in settings.json gives typed settings within range (a bad one falls back to the default)', () => {
    const keys = Object.values(SETTING_KEYS);
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), anyValue), (raw) => {
        count('settings values');
        const s = parseSettings((key) => (Object.prototype.hasOwnProperty.call(raw, key) ? raw[key] : undefined));
        assert.match(s.apiVersion, /^(\d{4}-\d{2}-\d{2}|\d+\.\d+)(-preview(\.\d+)?)?$/);
        const inRange = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;
        assert.ok(inRange(s.pageSize, 1, 25));
        assert.ok(inRange(s.clipboardClearAfterSeconds, 0, 86_400));
        assert.ok(inRange(s.expiryWarningDays, 0, 3650));
        assert.ok(inRange(s.requestTimeoutSeconds, 1, 600));
        assert.ok(inRange(s.revealAutoHideSeconds, 0, 3600));
        for (const b of [s.useMethodOverride, s.expiryWatch, s.groupBySubscription]) assert.equal(typeof b, 'boolean');
        assert.ok((CREDENTIAL_SETTINGS as readonly string[]).includes(s.credential));
        assert.equal(typeof s.emulatorReadyFile, 'string');
        assert.equal(typeof s.managedIdentityClientId, 'string');
        assert.ok(Array.isArray(s.selectedSubscriptions) && s.selectedSubscriptions.every((x) => typeof x === 'string' && x.trim() === x && x !== ''));
        // A value of the right type and range is taken as given.
        const clip = raw[SETTING_KEYS.clipboardClearAfterSeconds];
        if (typeof clip === 'number' && inRange(clip, 0, 86_400)) assert.equal(s.clipboardClearAfterSeconds, clip);
        else assert.equal(s.clipboardClearAfterSeconds, DEFAULT_SETTINGS.clipboardClearAfterSeconds);
      }),
      { numRuns: 1500, seed: 140001 },
    );
  });

  it('ISO durations typed for SAS validity: accepted or a clear message, never a crash', () => {
    const duration = fc.oneof(
      fc.stringMatching(/^P(\d{1,3}[YMWD]){0,3}(T(\d{1,3}[HMS]){0,3})?$/),
      fc.string({ maxLength: 30 }),
      fc.constantFrom('P', 'PT', 'P1Y', 'PT1H', 'P1Y2M3DT4H5M6S', 'p1d', '-P1D', 'P1.5D', 'P99999999999999999999D'),
    );
    fc.assert(
      fc.property(duration, (text) => {
        count('settings values');
        const message = checkDuration(text, 'Validity period');
        if (message !== undefined) assertClear(message, `duration ${JSON.stringify(text)}`);
      }),
      { numRuns: 500, seed: 140002 },
    );
  });
});

describe('fuzz: secret values', () => {
  it('a value is accepted exactly when it is 1 byte to 25 KB of UTF-8; the refusal names the size, never the value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 100 }), fc.string({ unit: 'grapheme', minLength: 6000, maxLength: 9000 }), fc.string({ minLength: 25_500, maxLength: 26_000 })), (value) => {
        count('secret values');
        const message = validateSecretValue(value);
        const bytes = Buffer.byteLength(value, 'utf8');
        assert.equal(message === undefined, bytes > 0 && bytes <= MAX_SECRET_VALUE_BYTES);
        if (message !== undefined) {
          assertClear(message, 'secret value');
          if (value.length >= 8) assert.ok(!message.includes(value.slice(0, 8)), 'the message echoes the value');
        }
      }),
      { numRuns: 200, seed: 150001 },
    );
  });
});
