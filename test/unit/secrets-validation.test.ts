import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  backupFileName,
  checkDateOrder,
  contentTypeForFile,
  formatDateInput,
  formatTags,
  keyVaultReference,
  MAX_SECRET_VALUE_BYTES,
  nameFromBackupFileName,
  nameFromFileName,
  parseDateInput,
  parseTags,
  secretIdentifier,
  validateSecretName,
  validateSecretValue,
  valueShape,
  vaultNameOf,
} from '../../src/commands/secrets/validation';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('secret name rule (Key Vault: 1-127 letters, digits, dashes)', () => {
  it('accepts names Key Vault accepts', () => {
    for (const name of ['a', 'db-password', 'A1-b2-C3', '-leading-dash', 'x'.repeat(127)]) assert.equal(validateSecretName(name), undefined, name);
  });

  it('asks for a name when it is empty', () => {
    assert.match(validateSecretName('') ?? '', /Enter a name/);
  });

  it('says how long is too long', () => {
    assert.match(validateSecretName('x'.repeat(128)) ?? '', /128 characters.*at most 127/);
  });

  it('names the characters that are not allowed', () => {
    assert.match(validateSecretName('db_password') ?? '', /not '_'/);
    assert.match(validateSecretName('my secret') ?? '', /not space/);
    assert.match(validateSecretName('a.b/c') ?? '', /'\.', '\/'/);
  });

  it('agrees with the REST layer\'s identifier rule for any string (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 140 }), (name) => {
        const ok = /^[0-9a-zA-Z-]{1,127}$/.test(name);
        assert.equal(validateSecretName(name) === undefined, ok);
      }),
    );
  });
});

describe('secret value rule', () => {
  it('refuses an empty value', () => {
    assert.match(validateSecretValue('') ?? '', /cannot be empty/);
  });

  it('accepts exactly 25 KB and refuses one byte more, counting UTF-8 bytes', () => {
    assert.equal(validateSecretValue('a'.repeat(MAX_SECRET_VALUE_BYTES)), undefined);
    assert.match(validateSecretValue('a'.repeat(MAX_SECRET_VALUE_BYTES + 1)) ?? '', /25,601 bytes; Key Vault accepts at most 25,600 bytes/);
    // 'é' is two bytes in UTF-8: 12,801 of them are over the limit although the string is shorter.
    assert.match(validateSecretValue('é'.repeat(12_801)) ?? '', /25,602 bytes.*at most 25,600 bytes/);
  });

  it('never repeats the value in its message', () => {
    const value = `sekret-${'x'.repeat(MAX_SECRET_VALUE_BYTES)}`;
    assert.ok(!(validateSecretValue(value) ?? '').includes('sekret'));
  });
});

describe('tags', () => {
  it('parses name=value pairs separated by commas, trimming spaces', () => {
    assert.deepEqual(parseTags(' env = prod, owner=data team ,flag'), { ok: true, value: { env: 'prod', owner: 'data team', flag: '' } });
    assert.deepEqual(parseTags(''), { ok: true, value: {} });
  });

  it('treats __proto__ as an ordinary tag name', () => {
    const parsed = parseTags('__proto__=x, constructor=y');
    assert.ok(parsed.ok);
    assert.deepEqual(Object.keys(parsed.value), ['__proto__', 'constructor']);
    assert.equal(Object.getPrototypeOf(parsed.value), Object.prototype);
  });

  it('refuses a pair without a name, a repeated name and more than 15 tags', () => {
    assert.equal(parseTags('=x').ok, false);
    assert.match((parseTags('a=1, a=2') as { error: string }).error, /appears twice/);
    const many = Array.from({ length: 16 }, (_, i) => `t${i}=v`).join(',');
    assert.match((parseTags(many) as { error: string }).error, /at most 15 tags/);
  });

  it('formats back to text that parses to the same tags (property)', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
    const val = fc.stringMatching(/^[a-z0-9 ]{0,12}$/).map((s) => s.trim());
    fc.assert(
      fc.property(fc.dictionary(key, val, { maxKeys: 15 }), (tags) => {
        const parsed = parseTags(formatTags(tags));
        assert.deepEqual(parsed, { ok: true, value: { ...tags } });
      }),
    );
  });
});

describe('dates', () => {
  it('reads dates and date-times as UTC, and zones when given', () => {
    assert.deepEqual(parseDateInput('2026-03-31', NOW), { ok: true, value: new Date('2026-03-31T00:00:00Z') });
    assert.deepEqual(parseDateInput('2026-03-31T18:30', NOW), { ok: true, value: new Date('2026-03-31T18:30:00Z') });
    assert.deepEqual(parseDateInput('2026-03-31 18:30:15+02:00', NOW), { ok: true, value: new Date('2026-03-31T16:30:15Z') });
  });

  it('reads +90d, 12h, 2w and 1y relative to now, and empty as none', () => {
    assert.deepEqual(parseDateInput('+90d', NOW), { ok: true, value: new Date(NOW + 90 * 86_400_000) });
    assert.deepEqual(parseDateInput('12h', NOW), { ok: true, value: new Date(NOW + 12 * 3_600_000) });
    assert.deepEqual(parseDateInput('2w', NOW), { ok: true, value: new Date(NOW + 14 * 86_400_000) });
    assert.deepEqual(parseDateInput('1y', NOW), { ok: true, value: new Date(NOW + 365 * 86_400_000) });
    assert.deepEqual(parseDateInput('  ', NOW), { ok: true, value: undefined });
  });

  it('refuses text that is not a date, and calendar dates that do not exist', () => {
    assert.match((parseDateInput('next friday', NOW) as { error: string }).error, /not a date/);
    assert.match((parseDateInput('2026-02-30', NOW) as { error: string }).error, /not a valid calendar date/);
  });

  it('round-trips what it prefills (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2200, 0, 1) }), (ms) => {
        const minute = new Date(Math.floor(ms / 60_000) * 60_000);
        assert.deepEqual(parseDateInput(formatDateInput(minute), NOW), { ok: true, value: minute });
      }),
    );
  });

  it('wants the expiry after the activation date', () => {
    const a = new Date('2026-01-01T00:00:00Z');
    const b = new Date('2026-06-01T00:00:00Z');
    assert.equal(checkDateOrder(a, b), undefined);
    assert.match(checkDateOrder(b, a) ?? '', /must be after the activation date/);
    assert.match(checkDateOrder(a, a) ?? '', /must be after/);
    assert.equal(checkDateOrder(undefined, a), undefined);
  });
});

describe('identifiers and App Service references', () => {
  const vault = 'https://contoso.vault.azure.net';
  const version = 'ec96f02080254f109c51a1f14cdb1931';

  it('builds versioned and versionless identifiers', () => {
    assert.equal(secretIdentifier(`${vault}/`, 'db'), `${vault}/secrets/db`);
    assert.equal(secretIdentifier(vault, 'db', version), `${vault}/secrets/db/${version}`);
  });

  it('builds both @Microsoft.KeyVault forms, versioned or not', () => {
    assert.equal(keyVaultReference('uri', vault, 'db'), `@Microsoft.KeyVault(SecretUri=${vault}/secrets/db/)`);
    assert.equal(keyVaultReference('uri-versioned', vault, 'db', version), `@Microsoft.KeyVault(SecretUri=${vault}/secrets/db/${version})`);
    assert.equal(keyVaultReference('name', vault, 'db'), '@Microsoft.KeyVault(VaultName=contoso;SecretName=db)');
    assert.equal(keyVaultReference('name-versioned', vault, 'db', version), `@Microsoft.KeyVault(VaultName=contoso;SecretName=db;SecretVersion=${version})`);
  });

  it('knows vault names in sovereign clouds, and none for custom endpoints such as the emulator', () => {
    assert.equal(vaultNameOf('https://kv1.vault.azure.cn'), 'kv1');
    assert.equal(vaultNameOf('https://kv2.vault.usgovcloudapi.net'), 'kv2');
    assert.equal(vaultNameOf('https://127.0.0.1:8443'), undefined);
    assert.equal(vaultNameOf('https://hsm.managedhsm.azure.net'), undefined);
    assert.equal(keyVaultReference('name', 'https://127.0.0.1:8443', 'db'), undefined);
    assert.equal(keyVaultReference('uri', 'https://127.0.0.1:8443', 'db'), '@Microsoft.KeyVault(SecretUri=https://127.0.0.1:8443/secrets/db/)');
  });

  it('needs a version for the versioned forms', () => {
    assert.equal(keyVaultReference('uri-versioned', vault, 'db'), undefined);
    assert.equal(keyVaultReference('name-versioned', vault, 'db'), undefined);
  });
});

describe('backup file names', () => {
  it('say which secret they hold, and are read back', () => {
    assert.equal(backupFileName('db-password'), 'db-password.secret-backup');
    assert.equal(nameFromBackupFileName('/home/me/backups/db-password.secret-backup'), 'db-password');
    assert.equal(nameFromBackupFileName('C:\\backups\\DB.secret-backup'), 'DB');
    assert.equal(nameFromBackupFileName('db-password (1).secret-backup'), undefined);
    assert.equal(nameFromBackupFileName('notes.txt'), undefined);
  });
});

describe('value shape (what the Reveal panel needs to pick a view)', () => {
  it('counts lines and bytes and recognises JSON objects and arrays', () => {
    assert.deepEqual(valueShape('p@ss'), { bytes: 4, lines: 1, multiline: false, json: false });
    assert.deepEqual(valueShape('a\nb\r\nc'), { bytes: 6, lines: 3, multiline: true, json: false });
    assert.equal(valueShape('{"a": [1, 2]}').json, true);
    assert.equal(valueShape(' [1,2] ').json, true);
    assert.equal(valueShape('{not json}').json, false);
    assert.equal(valueShape('42').json, false);
    assert.equal(valueShape('"text"').json, false);
  });
});

describe('create from a file', () => {
  it('suggests a valid secret name from the file name', () => {
    assert.equal(nameFromFileName('db.password.txt'), 'db-password');
    assert.equal(nameFromFileName('/home/me/app settings (prod).json'), 'app-settings-prod');
    assert.equal(nameFromFileName('C:\\keys\\tls_cert.pem'), 'tls-cert');
    assert.equal(nameFromFileName('.env'), '');
    assert.equal(validateSecretName(nameFromFileName(`${'a'.repeat(200)}.txt`)), undefined);
  });

  it('guesses the content type from the extension, or leaves it empty', () => {
    assert.equal(contentTypeForFile('x.JSON'), 'application/json');
    assert.equal(contentTypeForFile('chain.pem'), 'application/x-pem-file');
    assert.equal(contentTypeForFile('notes.txt'), 'text/plain');
    assert.equal(contentTypeForFile('blob.bin'), '');
    assert.equal(contentTypeForFile('Makefile'), '');
  });
});
