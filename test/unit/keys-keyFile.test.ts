import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { inspectKeyFile, keyNameFromFileName, MAX_KEY_FILE_BYTES, readKeyFile } from '../../src/commands/keys/keyFile';
import { KeyVaultError } from '../../src/keyvault/errors';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
const ed = generateKeyPairSync('ed25519');

const pkcs8 = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const pkcs1 = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const sec1 = ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
const encryptedPkcs8 = rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' }).toString();
const encryptedSec1 = ec.privateKey.export({ type: 'sec1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'pw' }).toString();
const rsaJwk = rsa.privateKey.export({ format: 'jwk' });
const k1Jwk = k1.privateKey.export({ format: 'jwk' });

/** The error a read gives, as its message (fails when the read succeeds). */
function refusal(content: Uint8Array, passphrase?: string): string {
  try {
    readKeyFile(content, passphrase);
  } catch (err) {
    assert.ok(err instanceof KeyVaultError, `a KeyVaultError, not ${String(err)}`);
    assert.equal(err.kind, 'bad-request');
    return err.userMessage;
  }
  assert.fail('the file was accepted');
}

describe('Import Key: reading PEM and JWK files', () => {
  it('reads an RSA PKCS#8 and PKCS#1 PEM into the same private JWK', () => {
    const a = readKeyFile(utf8(pkcs8));
    const b = readKeyFile(utf8(pkcs1));
    assert.equal(a.format, 'pem');
    assert.equal(a.summary, 'RSA 2048-bit');
    assert.deepEqual(a.jwk, b.jwk);
    assert.equal(a.jwk.n, rsaJwk.n);
    assert.ok(a.jwk.d && a.jwk.p && a.jwk.q && a.jwk.qi, 'private members present');
  });

  it('reads an EC SEC1 PEM with its curve', () => {
    const r = readKeyFile(utf8(sec1));
    assert.equal(r.jwk.kty, 'EC');
    assert.equal(r.jwk.crv, 'P-384');
    assert.equal(r.summary, 'EC P-384');
  });

  it('says a passphrase is needed before asking for it, for encrypted PKCS#8 and legacy-encrypted SEC1', () => {
    assert.deepEqual(inspectKeyFile(utf8(encryptedPkcs8)), { format: 'pem', encrypted: true });
    assert.deepEqual(inspectKeyFile(utf8(encryptedSec1)), { format: 'pem', encrypted: true });
    assert.deepEqual(inspectKeyFile(utf8(pkcs8)), { format: 'pem', encrypted: false });
    assert.match(refusal(utf8(encryptedPkcs8)), /encrypted: enter its passphrase/);
  });

  it('decrypts with the right passphrase and refuses a wrong one clearly', () => {
    assert.equal(readKeyFile(utf8(encryptedPkcs8), 'correct horse').jwk.n, rsaJwk.n);
    assert.equal(readKeyFile(utf8(encryptedSec1), 'pw').jwk.crv, 'P-384');
    assert.match(refusal(utf8(encryptedPkcs8), 'wrong'), /passphrase does not decrypt/);
  });

  it('reads a JWK file, a JWK Set with one private key, and the standard secp256k1 curve name', () => {
    const single = readKeyFile(utf8(JSON.stringify(rsaJwk)));
    assert.equal(single.format, 'jwk');
    assert.equal(single.jwk.n, rsaJwk.n);
    const set = readKeyFile(utf8(JSON.stringify({ keys: [{ kty: 'RSA', n: rsaJwk.n, e: rsaJwk.e }, rsaJwk] })));
    assert.equal(set.jwk.d, rsaJwk.d);
    const secp = readKeyFile(utf8(JSON.stringify(k1Jwk)));
    assert.equal(secp.jwk.crv, 'P-256K');
    assert.equal(secp.summary, 'EC P-256K');
  });

  it('reads a file with a UTF-8 byte order mark', () => {
    assert.equal(readKeyFile(utf8(`\uFEFF${pkcs8}`)).jwk.n, rsaJwk.n);
  });

  it('explains what is wrong with files that are not a usable private key', () => {
    assert.match(refusal(utf8('')), /empty/);
    assert.match(refusal(new Uint8Array([0x30, 0x82, 0xff, 0xfe, 0x00])), /binary, not PEM or JSON.*openssl/);
    assert.match(refusal(utf8('hello world')), /neither a PEM file nor a JSON Web Key/);
    assert.match(refusal(utf8(rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString())), /only public key data/);
    assert.match(refusal(utf8(ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())), /RSA and EC keys only/);
    assert.match(refusal(utf8('{"kty": "RSA", "n": "AQAB", "e": "AQAB"')), /not valid JSON/);
    assert.match(refusal(utf8('[1,2]')), /not a JSON Web Key/);
    assert.match(refusal(utf8(JSON.stringify({ kty: 'RSA', n: rsaJwk.n, e: rsaJwk.e }))), /no private part/);
    assert.match(refusal(utf8(JSON.stringify({ keys: [rsaJwk, rsaJwk] }))), /2 private keys/);
    assert.match(refusal(utf8(JSON.stringify({ ...rsaJwk, d: rsa.privateKey.export({ format: 'jwk' }).dp }))), /RSA/);
    assert.match(refusal(new Uint8Array(MAX_KEY_FILE_BYTES + 1).fill(0x41)), /a few kilobytes/);
    const damaged = pkcs8.replace(/[A-Za-z0-9+/]{20}\n/, 'AAAAAAAAAAAAAAAAAAAA\n');
    assert.match(refusal(utf8(damaged)), /damaged|RSA|not form/);
  });

  it('never puts key material into an error message', () => {
    const wrongD = { ...rsaJwk, d: Buffer.from(rsaJwk.d!, 'base64url').reverse().toString('base64url') };
    const message = refusal(utf8(JSON.stringify(wrongD)));
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) assert.ok(!message.includes(String(rsaJwk[member]).slice(0, 16)), `no ${member} in the message`);
  });

  it('proposes a key name from the file name', () => {
    assert.equal(keyNameFromFileName('/home/me/signing_key.pem'), 'signing-key');
    assert.equal(keyNameFromFileName('C:\\keys\\My Key (prod).key.pem'), 'My-Key-prod');
    assert.equal(keyNameFromFileName('jwk.json'), 'jwk');
    assert.equal(keyNameFromFileName('....pem'), '');
  });
});

describe('Import Key: malformed input never crashes the parser (fuzz)', () => {
  const inputs = fc.oneof(
    fc.uint8Array({ maxLength: 600 }),
    fc.string({ maxLength: 400 }).map(utf8),
    fc.json({ maxDepth: 3 }).map(utf8),
    // PEM-looking text with a random body.
    fc.tuple(fc.constantFrom('PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'PUBLIC KEY', 'CERTIFICATE'), fc.base64String({ maxLength: 400 })).map(([label, body]) => utf8(`-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`)),
    // A real key with bytes changed.
    fc.tuple(fc.constantFrom(pkcs8, pkcs1, sec1, encryptedPkcs8, JSON.stringify(rsaJwk), JSON.stringify(k1Jwk)), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([text, at, byte]) => {
      const bytes = utf8(text);
      bytes[at % bytes.length] = byte;
      return bytes;
    }),
    // JWK objects with members of the wrong type or value.
    fc.record({ kty: fc.constantFrom('RSA', 'EC', 'oct', 'RSA-HSM', 'x', 1), n: fc.oneof(fc.string(), fc.integer()), e: fc.string(), d: fc.oneof(fc.string(), fc.constant(null)), crv: fc.constantFrom('P-256', 'secp256k1', 'P-999'), x: fc.string(), y: fc.string(), k: fc.string(), key_ops: fc.oneof(fc.array(fc.string()), fc.string()) }, { requiredKeys: ['kty'] }).map((o) => utf8(JSON.stringify(o))),
  );

  it('answers every input with a key or a bad-request KeyVaultError, nothing else', () => {
    fc.assert(
      fc.property(inputs, fc.option(fc.string({ maxLength: 12 }), { nil: undefined }), (content, passphrase) => {
        try {
          const r = readKeyFile(content, passphrase);
          assert.ok(r.jwk.kty === 'RSA' || r.jwk.kty === 'EC' || r.jwk.kty.startsWith('oct') || r.jwk.kty.endsWith('-HSM'));
        } catch (err) {
          assert.ok(err instanceof KeyVaultError && err.kind === 'bad-request', `unexpected ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
        }
      }),
      { numRuns: 400, seed: 20260401 },
    );
  });

  it('inspects any bytes without throwing anything but a bad-request', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (content) => {
        try {
          inspectKeyFile(content);
        } catch (err) {
          assert.ok(err instanceof KeyVaultError && err.kind === 'bad-request');
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
