// Fuzz (fast-check, seeded and bounded) of the key and certificate material users hand over: JWK and PEM key files
// (Import Key), PEM and PFX certificate bundles (Import Certificate), CSRs and signed certificates (Merge). Valid
// material is mutated (bytes flipped, cut, members swapped, labels changed) and random input is thrown in: nothing
// crashes, every refusal is a 'bad-request' KeyVaultError with a clear message, and no message repeats the key
// material or the password it was given. Counts go to test-results/fuzz/ and docs/SECURITY.md.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { certificatesInBundle, importFormatOf } from '../../src/commands/certificates/files';
import { readKeyFile } from '../../src/commands/keys/keyFile';
import { csrDetails } from '../../src/keyvault/certificates/csr';
import { readPem, readPfx } from '../../src/keyvault/certificates/pfx';
import { readCertificates } from '../../src/keyvault/certificates/x509';
import { checkImportJwk } from '../../src/keyvault/crypto/jwk';
import { KeyVaultError } from '../../src/keyvault/errors';
import { csrOf, derOf, issue, keyPemOf, pemOf, pfxOf, rsaKey, type RsaKey } from './certificates-ui-fixtures';

const counts: Record<string, number> = {};
const count = (area: string): void => {
  counts[area] = (counts[area] ?? 0) + 1;
};
after(() => {
  const dir = path.join(__dirname, '..', '..', 'test-results', 'fuzz');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'keys-certificates.json'), `${JSON.stringify(counts, null, 2)}\n`);
  console.log(`fuzz cases (keys and certificates): ${JSON.stringify(counts)}`);
});

/**
 * Runs a parser on hostile input: it returns, or throws a 'bad-request' KeyVaultError whose message is a clear
 * sentence that holds no run of 8+ characters of `secrets` (key material, base64 bodies, passwords).
 */
function refusedClearly<T>(what: string, fn: () => T, secrets: readonly string[]): T | undefined {
  try {
    return fn();
  } catch (err) {
    // A deliberate refusal is a KeyVaultError (kind bad-request) or a plain Error; TypeError, RangeError and the
    // like are crashes of a parser that met input it did not expect.
    assert.ok(err instanceof KeyVaultError || (err instanceof Error && err.constructor === Error), `${what}: crashed with ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    if (err instanceof KeyVaultError) assert.equal(err.kind, 'bad-request', `${what}: ${err.kind}`);
    const text = `${err.message} ${err instanceof KeyVaultError ? err.hint : ''}`;
    assert.ok(err.message.trim().split(/\s+/).length >= 3, `${what}: unclear message ${JSON.stringify(err.message)}`);
    assert.ok(!/\bundefined\b|\[object |\bNaN\b|\n\s+at /.test(text), `${what}: programmer noise in ${JSON.stringify(text)}`);
    for (const run of text.match(/[A-Za-z0-9+/=_-]{8,}/g) ?? []) {
      for (const s of secrets) assert.ok(!s.includes(run), `${what}: the message repeats input material (${run.slice(0, 12)}…)`);
    }
    return undefined;
  }
}

/** The base64 bodies of a PEM text (what must never be echoed). */
const pemBodies = (pem: string): string[] => [...pem.matchAll(/-----BEGIN [^-]+-----([\s\S]*?)-----END/g)].map((m) => m[1]!.replace(/\s+/g, ''));

// ---- mutations of valid material ----

/** Flip, delete, insert or replace bytes; cut the tail; or double a slice. */
function mutateBytes(bytes: Uint8Array): fc.Arbitrary<Uint8Array> {
  const n = bytes.length;
  return fc.oneof(
    fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }).map((flips) => {
      const out = Uint8Array.from(bytes);
      for (const [i, x] of flips) out[i] = out[i]! ^ x;
      return out;
    }),
    fc.nat({ max: n - 1 }).map((cut) => bytes.slice(0, cut)),
    fc.tuple(fc.nat({ max: n - 1 }), fc.uint8Array({ minLength: 1, maxLength: 32 })).map(([at, junk]) => Uint8Array.from([...bytes.slice(0, at), ...junk, ...bytes.slice(at)])),
    fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: 64 })).map(([at, len]) => Uint8Array.from([...bytes.slice(0, at), ...bytes.slice(at + len)])),
    fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: 200 })).map(([at, len]) => Uint8Array.from([...bytes.slice(0, at + len), ...bytes.slice(at)])),
  );
}

const base64Char = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='.split(''));
const LABELS = ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'PUBLIC KEY', 'CERTIFICATE', 'CERTIFICATE REQUEST', 'X509 CRL', 'OPENSSH PRIVATE KEY', 'DSA PRIVATE KEY'];

/** Text mutations that keep the PEM shape (so parsers get past the first check): body characters, lines, labels. */
function mutatePem(pem: string): fc.Arbitrary<string> {
  const lines = pem.split('\n');
  return fc.oneof(
    fc.array(fc.tuple(fc.nat({ max: pem.length - 1 }), base64Char), { minLength: 1, maxLength: 6 }).map((edits) => {
      const chars = [...pem];
      for (const [i, c] of edits) if (chars[i] !== '\n' && chars[i] !== '-') chars[i] = c;
      return chars.join('');
    }),
    fc.nat({ max: lines.length - 1 }).map((i) => lines.filter((_, j) => j !== i).join('\n')),
    fc.tuple(fc.nat({ max: lines.length - 1 }), fc.string({ maxLength: 80 })).map(([i, junk]) => [...lines.slice(0, i), junk, ...lines.slice(i)].join('\n')),
    fc.constantFrom(...LABELS).map((label) => pem.replace(/(-----(?:BEGIN|END) )[^-]+(-----)/g, `$1${label}$2`)),
    fc.nat({ max: pem.length - 1 }).map((cut) => pem.slice(0, cut)),
    fc.constantFrom('\r\n', '\n\n', ' ', '\t').map((sep) => pem.replace(/\n/g, sep)),
    fc.constant(pem + pem),
  );
}

/** JSON mutations of a JWK: members dropped, swapped, retyped, corrupted; and syntax damage. */
function mutateJwk(jwk: Record<string, unknown>): fc.Arbitrary<string> {
  const keys = Object.keys(jwk);
  const member = fc.constantFrom(...keys, 'kty', 'crv', 'key_ops', 'key_hsm', 'alg');
  return fc.oneof(
    member.map((k) => JSON.stringify({ ...jwk, [k]: undefined })),
    fc.tuple(member, fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => JSON.stringify({ ...jwk, [k]: v })),
    fc.tuple(member, member).map(([a, b]) => JSON.stringify({ ...jwk, [a]: jwk[b], [b]: jwk[a] })),
    fc.tuple(fc.constantFrom(...keys.filter((k) => typeof jwk[k] === 'string')), fc.nat(), base64Char).map(([k, at, c]) => {
      const v = String(jwk[k]);
      const i = at % Math.max(1, v.length);
      return JSON.stringify({ ...jwk, [k]: v.slice(0, i) + c + v.slice(i + 1) });
    }),
    fc.constantFrom('RSA', 'EC', 'oct', 'RSA-HSM', 'EC-HSM', 'oct-HSM', 'OKP', 'rsa', '', 'P-256').map((kty) => JSON.stringify({ ...jwk, kty })),
    fc.constantFrom('P-256', 'P-384', 'P-521', 'P-256K', 'secp256k1', 'Ed25519', 'X25519', '').map((crv) => JSON.stringify({ ...jwk, crv })),
    fc.nat().map((cut) => {
      const text = JSON.stringify(jwk);
      return text.slice(0, cut % text.length);
    }),
    fc.tuple(fc.nat(), fc.constantFrom('}', ',', '"', ':', ' x', '\u0000', ']')).map(([at, junk]) => {
      const text = JSON.stringify(jwk);
      const i = at % text.length;
      return text.slice(0, i) + junk + text.slice(i);
    }),
    fc.constant(JSON.stringify({ keys: [jwk, jwk] })),
    fc.constant(JSON.stringify({ keys: [{ ...jwk, d: undefined }] })),
  );
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('fuzz: key material and certificates', () => {
  let rsaPkcs8: string;
  let rsaPkcs1: string;
  let ecSec1: string;
  let encrypted: string;
  const passphrase = `pass-${randomBytes(6).toString('hex')}`;
  let rsaJwk: Record<string, unknown>;
  let ecJwk: Record<string, unknown>;
  let octJwk: Record<string, unknown>;
  let certKey: RsaKey;
  let certPem: string;
  let bundlePem: string;
  let pfxBytes: Uint8Array;
  let pfxOpen: Uint8Array;
  const pfxPassword = `pfx-${randomBytes(6).toString('hex')}`;
  let csrPem: string;
  let caChainPem: string;
  /** Every private body and password the parsers see: none may come back in a message. */
  let secrets: string[];

  before(() => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    rsaPkcs8 = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    rsaPkcs1 = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    ecSec1 = ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    encrypted = rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
    rsaJwk = rsa.privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
    ecJwk = ec.privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
    octJwk = { kty: 'oct-HSM', k: randomBytes(32).toString('base64url'), key_ops: ['encrypt', 'decrypt'] };
    certKey = rsaKey();
    const cert = issue('fuzz.example.com', certKey, { dnsNames: ['fuzz.example.com'] });
    certPem = pemOf(cert);
    bundlePem = keyPemOf(certKey) + certPem;
    pfxBytes = pfxOf(certKey, [cert], pfxPassword);
    pfxOpen = pfxOf(certKey, [cert], null);
    csrPem = csrOf(certKey, 'fuzz.example.com', ['fuzz.example.com', 'www.fuzz.example.com']);
    caChainPem = certPem + pemOf(issue('Fuzz CA', rsaKey(), { ca: true }));
    const jwkPrivate = (j: Record<string, unknown>) => ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].map((m) => j[m]).filter((v): v is string => typeof v === 'string');
    secrets = [
      ...[rsaPkcs8, rsaPkcs1, ecSec1, encrypted, keyPemOf(certKey)].flatMap(pemBodies),
      ...jwkPrivate(rsaJwk),
      ...jwkPrivate(ecJwk),
      ...jwkPrivate(octJwk),
      passphrase,
      pfxPassword,
      Buffer.from(pfxBytes).toString('base64'),
    ];
  });

  it('JWK key files: valid ones import, damaged ones are refused with a clear message that holds no key material', () => {
    fc.assert(
      fc.property(
        fc.oneof(mutateJwk(rsaJwk), mutateJwk(ecJwk), mutateJwk(octJwk), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), fc.string({ maxLength: 200 }).map((s) => `{${s}`)),
        (text) => {
          count('JWK');
          const read = refusedClearly('JWK file', () => readKeyFile(utf8(text)), secrets);
          if (read) {
            assert.match(read.summary, /^(RSA \d+-bit|EC P-(256|384|521|256K)|oct \d+-bit)$/);
            assert.ok(read.jwk.d !== undefined || read.jwk.k !== undefined, 'imports carry a private key');
          }
        },
      ),
      { numRuns: 1500, seed: 210001 },
    );
  });

  it('JWK objects handed over directly (the service layer check): anything at all is accepted or refused clearly', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), mutateJwk(rsaJwk).map((t) => { try { return JSON.parse(t) as unknown; } catch { return t; } })), (x) => {
        count('JWK');
        refusedClearly('checkImportJwk', () => checkImportJwk(x), secrets);
      }),
      { numRuns: 1000, seed: 210002 },
    );
  });

  it('PEM key files (PKCS#8, PKCS#1, SEC1, encrypted): damaged ones and wrong passphrases are refused clearly', () => {
    fc.assert(
      fc.property(
        fc.oneof(mutatePem(rsaPkcs8), mutatePem(rsaPkcs1), mutatePem(ecSec1), mutatePem(encrypted), fc.string({ maxLength: 200 }).map((s) => `-----BEGIN PRIVATE KEY-----\n${s}\n-----END PRIVATE KEY-----\n`)),
        fc.option(fc.oneof(fc.constant(passphrase), fc.string({ maxLength: 20 })), { nil: undefined }),
        (pem, pass) => {
          count('PEM');
          const read = refusedClearly('PEM key file', () => readKeyFile(utf8(pem), pass), secrets);
          if (read) assert.match(read.summary, /^(RSA \d+-bit|EC P-(256|384|521|256K))$/);
        },
      ),
      { numRuns: 1200, seed: 220001 },
    );
  });

  it('PEM certificate bundles (key + certificate) for Import Certificate: accepted only when the key belongs to the certificate', () => {
    fc.assert(
      fc.property(fc.oneof(mutatePem(bundlePem), mutatePem(certPem), fc.constant(certPem + rsaPkcs8)), fc.option(fc.string({ maxLength: 12 }), { nil: undefined }), (pem, pass) => {
        count('PEM');
        const material = refusedClearly('PEM bundle', () => readPem(pem, pass), secrets);
        if (material) assert.ok(material.chain.length >= 1 && material.leaf.subject.length > 0);
      }),
      { numRuns: 600, seed: 220002 },
    );
  });

  it('PFX files: damaged bytes, wrong or missing passwords and random files are refused clearly; the password never appears', () => {
    fc.assert(
      fc.property(
        fc.oneof(mutateBytes(pfxBytes), mutateBytes(pfxOpen), fc.uint8Array({ maxLength: 400 }), fc.constant(pfxBytes)),
        fc.option(fc.oneof(fc.constant(pfxPassword), fc.string({ maxLength: 16 })), { nil: undefined }),
        (bytes, password) => {
          count('PFX');
          const material = refusedClearly('PFX', () => readPfx(bytes, password), secrets);
          if (material) assert.ok(material.chain.length >= 1);
        },
      ),
      { numRuns: 1000, seed: 230001 },
    );
  });

  it('the bundle Download reads (PFX without password or PEM) is parsed or refused clearly, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.oneof(mutateBytes(pfxOpen), mutateBytes(utf8(bundlePem)), fc.uint8Array({ maxLength: 300 })), fc.constantFrom('application/x-pkcs12', 'application/x-pem-file'), (bytes, contentType) => {
        count('PFX');
        assert.ok(['pem', 'pfx'].includes(importFormatOf(bytes)));
        refusedClearly('certificate bundle', () => certificatesInBundle(bytes, contentType), secrets);
      }),
      { numRuns: 500, seed: 230002 },
    );
  });

  it('CSRs (PEM or DER): read or refused clearly', () => {
    const csrDer = Buffer.from(pemBodies(csrPem)[0]!, 'base64');
    fc.assert(
      fc.property(fc.oneof(mutatePem(csrPem), mutateBytes(csrDer), fc.uint8Array({ maxLength: 200 }), fc.string({ maxLength: 200 })), (input) => {
        count('CSR and merge input');
        const details = refusedClearly('CSR', () => csrDetails(input), secrets);
        if (details) assert.equal(typeof details.subject, 'string');
      }),
      { numRuns: 800, seed: 240001 },
    );
  });

  it('Merge input (the signed certificate from a CA: PEM chain, DER, base64): read or refused clearly', () => {
    const der = derOf(issue('merge.example.com', certKey));
    fc.assert(
      fc.property(
        fc.oneof(
          mutatePem(caChainPem).map(utf8),
          mutateBytes(der),
          mutateBytes(utf8(Buffer.from(der).toString('base64'))),
          fc.uint8Array({ maxLength: 300 }),
          fc.string({ maxLength: 300 }).map(utf8),
          fc.constant(utf8(Buffer.from(caChainPem).toString('base64'))),
        ),
        (bytes) => {
          count('CSR and merge input');
          const ders = refusedClearly('merge input', () => readCertificates(bytes), secrets);
          if (ders) assert.ok(ders.length >= 1);
        },
      ),
      { numRuns: 1000, seed: 240002 },
    );
  });
});
