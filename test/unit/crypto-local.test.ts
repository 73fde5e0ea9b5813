import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createECDH, createHash, createPublicKey, generateKeyPairSync, privateDecrypt, sign, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { isKeyVaultError, type KeyVaultErrorKind } from '../../src/keyvault/errors';
import { checkDigestLength, digestFor, hashFor } from '../../src/keyvault/crypto/digest';
import { pemToJwk } from '../../src/keyvault/crypto/pem';
import { checkImportJwk, publicKeyJwk, publicKeyToPem } from '../../src/keyvault/crypto/jwk';
import { algorithmsFor, checkKeyAllows } from '../../src/keyvault/crypto/algorithms';
import { durationLabel, parseIsoDuration, tryParseIsoDuration } from '../../src/keyvault/crypto/duration';
import { encryptLocally, verifyLocally } from '../../src/keyvault/crypto/localVerify';
import { bytesToBigInt, CURVES, multiplyPoint } from '../../src/keyvault/crypto/ecdsa';
import type { JsonWebPublicKey, KeyCurveName, KeyVaultKey } from '../../src/keyvault/models/keys';
import type { RsaEncryptionAlgorithm, SignatureAlgorithm } from '../../src/keyvault/models/crypto';

const throwsKv =
  (kind: KeyVaultErrorKind, message?: RegExp) =>
  (e: unknown): boolean => {
    assert.ok(isKeyVaultError(e), `expected a KeyVaultError, got ${String(e)}`);
    assert.equal(e.kind, kind);
    if (message) assert.match(e.message, message);
    return true;
  };

const NODE_CURVE: Record<KeyCurveName, string> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1', 'P-256K': 'secp256k1' };

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPublic = (): JsonWebPublicKey => {
  const j = rsa.publicKey.export({ format: 'jwk' });
  return { kty: 'RSA', n: j.n!, e: j.e! };
};
const ec = {} as Record<KeyCurveName, { pair: { privateKey: KeyObject }; jwk: JsonWebPublicKey }>;
for (const crv of Object.keys(NODE_CURVE) as KeyCurveName[]) {
  const pair = generateKeyPairSync('ec', { namedCurve: NODE_CURVE[crv] });
  const j = pair.publicKey.export({ format: 'jwk' });
  ec[crv] = { pair, jwk: { kty: 'EC', crv, x: j.x!, y: j.y! } };
}

const HASH_OF_ALG: Record<string, string> = { 256: 'sha256', 384: 'sha384', 512: 'sha512' };
const hashName = (alg: string): string => HASH_OF_ALG[alg.slice(2, 5)]!;

/** A signature made by Node's own sign() over the message, for the algorithms Key Vault uses. */
function nodeSign(alg: SignatureAlgorithm, data: Uint8Array): Uint8Array {
  const hash = hashName(alg);
  if (alg.startsWith('RS')) return sign(hash, data, rsa.privateKey);
  if (alg.startsWith('PS')) return sign(hash, data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: createHash(hash).digest().length });
  const crv = ({ ES256: 'P-256', ES384: 'P-384', ES512: 'P-521', ES256K: 'P-256K' } as const)[alg as 'ES256'];
  return sign(hash, data, { key: ec[crv].pair.privateKey, dsaEncoding: 'ieee-p1363' });
}
const publicFor = (alg: SignatureAlgorithm): JsonWebPublicKey =>
  alg.startsWith('ES') ? ec[({ ES256: 'P-256', ES384: 'P-384', ES512: 'P-521', ES256K: 'P-256K' } as const)[alg as 'ES256']].jwk : rsaPublic();

describe('digest helpers', () => {
  it('hashes with the algorithm’s hash: SHA-256, -384 or -512', () => {
    const data = Buffer.from('the quick brown fox');
    for (const alg of ['RS256', 'PS256', 'ES256', 'ES256K', 'RS384', 'PS384', 'ES384', 'RS512', 'PS512', 'ES512'] as const) {
      assert.deepEqual(Buffer.from(digestFor(alg, data)), createHash(hashFor(alg)!).update(data).digest(), alg);
    }
    assert.deepEqual(Buffer.from(digestFor('ES384', 'text')), createHash('sha384').update('text', 'utf8').digest());
  });

  it('refuses to hash for RSNULL, which signs the bytes it is given', () => {
    assert.throws(() => digestFor('RSNULL', 'x'), throwsKv('bad-request', /no hash of its own/));
  });

  it('accepts a digest of the right length and names the expected length otherwise', () => {
    checkDigestLength('ES512', new Uint8Array(64));
    checkDigestLength('RSNULL', new Uint8Array(35));
    assert.throws(() => checkDigestLength('PS384', new Uint8Array(32)), throwsKv('bad-request', /SHA-384 digest of 48 bytes; this one has 32/));
    assert.throws(() => checkDigestLength('HS256' as never, new Uint8Array(32)), throwsKv('bad-request', /not a signature algorithm/));
  });
});

describe('PEM to JWK', () => {
  const ecKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  const k1Key = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey;
  const rsaJwk = rsa.privateKey.export({ format: 'jwk' });

  it('reads PKCS#1 and PKCS#8 RSA keys and SEC1 and PKCS#8 EC keys', () => {
    for (const type of ['pkcs1', 'pkcs8'] as const) {
      const jwk = pemToJwk(rsa.privateKey.export({ type, format: 'pem' }).toString());
      assert.equal(jwk.kty, 'RSA');
      assert.equal(jwk.n, rsaJwk.n);
      assert.equal(jwk.d, rsaJwk.d);
    }
    for (const type of ['sec1', 'pkcs8'] as const) {
      const jwk = pemToJwk(ecKey.export({ type, format: 'pem' }));
      assert.equal(jwk.kty, 'EC');
      assert.equal(jwk.crv, 'P-256');
      assert.equal(jwk.d, ecKey.export({ format: 'jwk' }).d);
    }
    assert.equal(pemToJwk(k1Key.export({ type: 'sec1', format: 'pem' })).crv, 'P-256K');
  });

  it('reads keys encrypted with a passphrase in each format', () => {
    const variants = [
      rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 's3cret' }),
      rsa.privateKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 's3cret' }),
      ecKey.export({ type: 'sec1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 's3cret' }),
    ];
    for (const pem of variants) assert.ok(pemToJwk(pem.toString(), 's3cret').d);
  });

  it('says when the passphrase is missing or wrong, without echoing it', () => {
    const pem = ecKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right-one' }).toString();
    assert.throws(() => pemToJwk(pem), throwsKv('bad-request', /encrypted: enter its passphrase/));
    assert.throws(() => pemToJwk(pem, 'wrong-one'), (e: unknown) => throwsKv('bad-request', /passphrase does not decrypt/)(e) && !(e as Error).message.includes('wrong-one'));
  });

  it('uses the private key of a bundle that also holds certificates', () => {
    const bundle = `-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n${ecKey.export({ type: 'pkcs8', format: 'pem' }).toString()}`;
    assert.equal(pemToJwk(new TextEncoder().encode(bundle)).crv, 'P-256');
  });

  it('explains public-only, OpenSSH, damaged, unsupported-type and unsupported-curve input', () => {
    assert.throws(() => pemToJwk(rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString()), throwsKv('bad-request', /only public key data/));
    assert.throws(() => pemToJwk('-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbg==\n-----END OPENSSH PRIVATE KEY-----'), throwsKv('bad-request', /OpenSSH/));
    assert.throws(() => pemToJwk('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----'), throwsKv('bad-request', /damaged/));
    assert.throws(() => pemToJwk('no pem here'), throwsKv('bad-request', /No PEM private key/));
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.throws(() => pemToJwk(ed), throwsKv('bad-request', /ed25519 key; Key Vault imports RSA and EC/));
    const brainpool = generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.throws(() => pemToJwk(brainpool), throwsKv('bad-request', /brainpoolP256r1/));
  });

  it('answers any text that is not a PEM key with a clear error, never a crash', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.uint8Array({ maxLength: 512 })), (input) => {
        assert.throws(() => pemToJwk(input), throwsKv('bad-request'));
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it('answers a damaged PEM key with a clear error or the key, never a crash', () => {
    const pem = ecKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const body = pem.split('\n').slice(1, -2).join('\n');
    const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    fc.assert(
      fc.property(fc.nat({ max: body.length - 1 }), fc.constantFrom(...b64), fc.option(fc.string({ maxLength: 8 }), { nil: undefined }), (at, ch, passphrase) => {
        const damaged = pem.replace(body, body.slice(0, at) + ch + body.slice(at + 1));
        try {
          assert.equal(pemToJwk(damaged, passphrase).kty, 'EC');
        } catch (e) {
          throwsKv('bad-request')(e);
        }
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});

describe('JWK checks before import', () => {
  const rsaJwk = rsa.privateKey.export({ format: 'jwk' });
  const ecJwk = (crv: KeyCurveName) => ec[crv].pair.privateKey.export({ format: 'jwk' });

  it('passes valid RSA, EC (incl. P-256K) and symmetric keys and keeps only JWK members', () => {
    const r = checkImportJwk({ ...rsaJwk, kty: 'RSA', key_ops: ['sign', 'sign', 'verify'], extra: 'dropped' });
    assert.deepEqual(Object.keys(r).sort(), ['d', 'dp', 'dq', 'e', 'key_ops', 'kty', 'n', 'p', 'q', 'qi']);
    assert.deepEqual(r.key_ops, ['sign', 'verify']);
    const k1 = ecJwk('P-256K');
    assert.equal(checkImportJwk({ kty: 'EC-HSM', crv: 'P-256K', x: k1.x, y: k1.y, d: k1.d }).crv, 'P-256K');
    assert.equal(checkImportJwk({ kty: 'oct-HSM', k: Buffer.alloc(24, 1).toString('base64url') }).kty, 'oct-HSM');
  });

  it('names what is wrong: missing private part, mismatched members, bad sizes, unknown values', () => {
    const p256 = ecJwk('P-256');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
    const cases: [unknown, RegExp][] = [
      ['a string', /JSON Web Key object/],
      [{ kty: 'DSA' }, /kty 'DSA' is not valid/],
      [{ kty: 'EC', crv: 'P-256', x: p256.x, y: p256.y }, /no private part/],
      [{ kty: 'EC', crv: 'P-192', x: p256.x, y: p256.y, d: p256.d }, /'P-192' is not one Key Vault holds/],
      [{ kty: 'EC', crv: 'P-384', x: p256.x, y: p256.y, d: p256.d }, /must be 48 bytes/],
      [{ kty: 'EC', crv: 'P-256', x: p256.x, y: p256.y, d: ecJwk('P-256K').d }, /does not belong/],
      [{ ...rsaJwk, kty: 'RSA', p: other.p }, /p and q do not match/],
      [{ ...rsaJwk, kty: 'RSA', d: other.d }, /private exponent d does not match/],
      [{ ...rsaJwk, kty: 'RSA', qi: other.qi }, /CRT values/],
      [{ ...rsaJwk, kty: 'RSA', n: '!!not-base64!!' }, /'n' is not base64url/],
      [{ ...generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' }), kty: 'RSA' }, /this one has 1024/],
      [{ kty: 'oct', k: Buffer.alloc(20).toString('base64url') }, /this one has 160/],
      [{ ...rsaJwk, kty: 'RSA', key_ops: ['sign', 'fly'] }, /'fly' is not a key operation/],
      [{ kty: 'RSA', key_hsm: 'abc' }, /BYOK/],
    ];
    for (const [input, message] of cases) assert.throws(() => checkImportJwk(input), throwsKv('bad-request', message), String(message));
  });

  it('never leaks key material into its messages', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
    try {
      checkImportJwk({ ...rsaJwk, kty: 'RSA', d: other.d });
      assert.fail('expected an error');
    } catch (e) {
      for (const m of ['d', 'p', 'q', 'n'] as const) assert.ok(!(e as Error).message.includes(rsaJwk[m]!.slice(0, 16)));
    }
  });

  it('answers any JSON value with a clear error or a clean key, never a crash', () => {
    const member = fc.oneof(fc.string(), fc.base64String().map((s) => s.replace(/=+$/, '')), fc.integer(), fc.constant(null));
    const jwkLike = fc.record(
      { kty: fc.oneof(fc.constantFrom('RSA', 'EC', 'oct', 'EC-HSM', 'RSA-HSM', 'oct-HSM'), fc.string()), crv: fc.oneof(fc.constantFrom('P-256', 'P-384', 'P-521', 'P-256K'), fc.string()), n: member, e: member, d: member, p: member, q: member, x: member, y: member, k: member, key_ops: fc.array(fc.string()) },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(jwkLike, fc.jsonValue()), (input) => {
        try {
          checkImportJwk(input);
        } catch (e) {
          throwsKv('bad-request')(e);
        }
      }),
      { numRuns: 1000, seed: 3 },
    );
  });
});

describe('public key export', () => {
  it('writes a PEM that Node reads back to the same key', () => {
    for (const jwk of [rsaPublic(), ec['P-384'].jwk, ec['P-256K'].jwk]) {
      const back = createPublicKey(publicKeyToPem(jwk)).export({ format: 'jwk' });
      assert.equal(back.n ?? back.x, jwk.n ?? jwk.x);
    }
  });

  it('gives a standard public JWK: no -HSM suffix, secp256k1 by its JOSE name, no private members', () => {
    const j = publicKeyJwk({ ...ec['P-256K'].jwk, kty: 'EC-HSM', kid: 'https://v/keys/k/1', key_ops: ['verify'] });
    assert.deepEqual(j, { kty: 'EC', kid: 'https://v/keys/k/1', key_ops: ['verify'], crv: 'secp256k1', x: ec['P-256K'].jwk.x, y: ec['P-256K'].jwk.y });
    assert.throws(() => publicKeyJwk({ kty: 'oct-HSM' }), throwsKv('bad-request', /no public key/));
    assert.throws(() => publicKeyToPem({ ...ec['P-256'].jwk, y: ec['P-256'].jwk.x }), throwsKv('bad-request', /not a valid public key on curve P-256/));
  });
});

describe('algorithms a key allows', () => {
  it('offers RSA signatures, encryption and wrapping for a full RSA key', () => {
    const a = algorithmsFor({ keyType: 'RSA-HSM', keyOps: ['sign', 'verify', 'encrypt', 'decrypt', 'wrapKey', 'unwrapKey'] });
    assert.deepEqual(a.sign, ['PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'RSNULL']);
    assert.deepEqual(a.encrypt, ['RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5']);
    assert.deepEqual(a.unwrapKey, ['RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5']);
  });

  it('drops what key_ops do not allow', () => {
    const a = algorithmsFor({ keyType: 'RSA', keyOps: ['verify'] });
    assert.deepEqual(a.sign, []);
    assert.ok(a.verify.includes('PS256'));
    assert.deepEqual([a.encrypt, a.decrypt, a.wrapKey, a.unwrapKey], [[], [], [], []]);
  });

  it('pairs each curve with its one ECDSA algorithm', () => {
    const expected: Record<KeyCurveName, string> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512', 'P-256K': 'ES256K' };
    for (const [curve, alg] of Object.entries(expected)) assert.deepEqual(algorithmsFor({ keyType: 'EC', curve: curve as KeyCurveName, keyOps: ['sign'] }).sign, [alg]);
    assert.deepEqual(algorithmsFor({ keyType: 'EC' }).sign, ['ES256', 'ES384', 'ES512', 'ES256K']);
    assert.deepEqual(algorithmsFor({ keyType: 'EC-HSM', curve: 'P-256' }).encrypt, []);
  });

  it('matches AES algorithms to the key size', () => {
    const a = algorithmsFor({ keyType: 'oct-HSM', keySize: 192 });
    assert.deepEqual(a.encrypt, ['A192GCM', 'A192CBC', 'A192CBCPAD']);
    assert.deepEqual(a.wrapKey, ['A192KW']);
    assert.deepEqual(a.sign, []);
    assert.equal(algorithmsFor({ keyType: 'oct-HSM' }).encrypt.length, 9);
  });

  it('refuses a disabled key, a missing operation, an expired key for signing, and an algorithm that does not fit', () => {
    const key: KeyVaultKey = {
      id: 'https://v.vault.azure.net/keys/k/1',
      vaultUrl: 'https://v.vault.azure.net',
      name: 'k',
      version: '1',
      tags: {},
      managed: false,
      attributes: { enabled: true },
      keyType: 'EC',
      keyOps: ['sign', 'verify'],
      curve: 'P-256',
      key: ec['P-256'].jwk,
    };
    checkKeyAllows(key, 'sign', 'ES256');
    assert.throws(() => checkKeyAllows({ ...key, attributes: { enabled: false } }, 'sign', 'ES256'), throwsKv('disabled', /disabled/));
    assert.throws(() => checkKeyAllows(key, 'encrypt', 'RSA-OAEP'), throwsKv('bad-request', /does not permit encrypt: its operations are sign, verify/));
    assert.throws(() => checkKeyAllows(key, 'sign', 'ES384'), throwsKv('bad-request', /ES384 does not fit EC key on P-256/));
    const expired = { ...key, attributes: { enabled: true, expiresOn: new Date(Date.now() - 1000) } };
    assert.throws(() => checkKeyAllows(expired, 'sign', 'ES256'), throwsKv('bad-request', /expired/));
    checkKeyAllows(expired, 'verify', 'ES256');
    assert.throws(() => checkKeyAllows({ ...key, attributes: { enabled: true, notBefore: new Date(Date.now() + 60_000) } }, 'sign', 'ES256'), throwsKv('bad-request', /not valid before/));
  });
});

describe('durations', () => {
  it('renders ISO 8601 durations as words', () => {
    assert.equal(durationLabel('P90D'), '90 days');
    assert.equal(durationLabel('P1Y'), '1 year');
    assert.equal(durationLabel('P1Y6M'), '1 year, 6 months');
    assert.equal(durationLabel('PT48H'), '48 hours');
    assert.equal(durationLabel('P2W'), '2 weeks');
    assert.equal(durationLabel('P0D'), '0 days');
    assert.equal(durationLabel('not a duration'), 'not a duration');
  });

  it('refuses text that is not a duration, naming the field', () => {
    for (const bad of ['P', 'PT', '90D', 'P90', 'P1.5Y', 'P-1D', 'p90d', 'P1DT', ' P1D']) {
      assert.equal(tryParseIsoDuration(bad), undefined, bad);
      assert.throws(() => parseIsoDuration(bad, 'Expiry time'), throwsKv('bad-request', /Expiry time .* is not an ISO 8601 duration/));
    }
  });

  it('reads back every component of any duration it is given', () => {
    const n = fc.nat({ max: 999 });
    fc.assert(
      fc.property(fc.record({ years: n, months: n, weeks: n, days: n, hours: n, minutes: n, seconds: n }), (d) => {
        const date = `${d.years}Y${d.months}M${d.weeks}W${d.days}D`;
        const text = `P${date}T${d.hours}H${d.minutes}M${d.seconds}S`;
        assert.deepEqual(parseIsoDuration(text), { ...d });
        const label = durationLabel(text);
        for (const [unit, v] of Object.entries(d)) if (v > 0) assert.match(label, new RegExp(`\\b${v} ${unit.replace(/s$/, '')}`));
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});

describe('local verification and encryption', () => {
  it('has curve constants that agree with OpenSSL', () => {
    for (const [crv, c] of Object.entries(CURVES)) {
      const g = createECDH(c.openssl);
      g.setPrivateKey(Buffer.from('01'.padStart(c.bytes * 2, '0'), 'hex'));
      const G = g.getPublicKey();
      const [gx, gy] = [bytesToBigInt(G.subarray(1, 1 + c.bytes)), bytesToBigInt(G.subarray(1 + c.bytes))];
      for (const k of [2n, 3n, 0xdeadbeefn, c.n - 1n]) {
        const e = createECDH(c.openssl);
        e.setPrivateKey(Buffer.from(k.toString(16).padStart(c.bytes * 2, '0'), 'hex'));
        const P = e.getPublicKey();
        assert.deepEqual(multiplyPoint(k, gx, gy, c), { x: bytesToBigInt(P.subarray(1, 1 + c.bytes)), y: bytesToBigInt(P.subarray(1 + c.bytes)) }, `${crv} k=${k}`);
      }
      assert.equal(multiplyPoint(c.n, gx, gy, c), undefined, `${crv}: n·G is the point at infinity`);
    }
  });

  it('verifies, from the public key, what Node signs with the private key — for any data and every algorithm', () => {
    const algs: SignatureAlgorithm[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'ES256K'];
    fc.assert(
      fc.property(fc.constantFrom(...algs), fc.uint8Array({ maxLength: 1024 }), fc.nat(), (alg, data, flip) => {
        const signature = nodeSign(alg, data);
        const digest = digestFor(alg, data);
        assert.equal(verifyLocally(publicFor(alg), alg, digest, signature), true);
        const tampered = Uint8Array.from(signature);
        tampered[flip % tampered.length]! ^= 1 << flip % 8;
        assert.equal(verifyLocally(publicFor(alg), alg, digest, tampered), false);
        const otherDigest = Uint8Array.from(digest);
        otherDigest[0]! ^= 0x80;
        assert.equal(verifyLocally(publicFor(alg), alg, otherDigest, signature), false);
      }),
      { numRuns: 200, seed: 1 },
    );
  });

  it('returns false for signatures of the wrong length or out of range, and refuses mismatched keys', () => {
    const digest = digestFor('ES256', 'x');
    assert.equal(verifyLocally(ec['P-256'].jwk, 'ES256', digest, new Uint8Array(63)), false);
    assert.equal(verifyLocally(ec['P-256'].jwk, 'ES256', digest, new Uint8Array(64)), false);
    assert.equal(verifyLocally(ec['P-256'].jwk, 'ES256', digest, new Uint8Array(64).fill(0xff)), false);
    assert.equal(verifyLocally(rsaPublic(), 'RS256', digest, new Uint8Array(255)), false);
    assert.throws(() => verifyLocally(ec['P-256'].jwk, 'ES384', digestFor('ES384', 'x'), new Uint8Array(96)), throwsKv('bad-request', /curve P-384/));
    assert.throws(() => verifyLocally(rsaPublic(), 'ES256', digest, new Uint8Array(64)), throwsKv('bad-request', /needs an EC key/));
    assert.throws(() => verifyLocally(rsaPublic(), 'RS256', new Uint8Array(20), new Uint8Array(256)), throwsKv('bad-request', /32 bytes/));
  });

  it('encrypts with the public key what the private key decrypts, for any plaintext that fits', () => {
    const spec: Record<RsaEncryptionAlgorithm, { max: number; padding: number; oaepHash?: string }> = {
      RSA1_5: { max: 256 - 11, padding: constants.RSA_PKCS1_PADDING },
      'RSA-OAEP': { max: 256 - 42, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      'RSA-OAEP-256': { max: 256 - 66, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    };
    fc.assert(
      fc.property(fc.constantFrom<RsaEncryptionAlgorithm>('RSA-OAEP', 'RSA-OAEP-256'), fc.uint8Array({ maxLength: 190 }), (alg, plaintext) => {
        const s = spec[alg];
        const ciphertext = encryptLocally(rsaPublic(), alg, plaintext);
        assert.equal(ciphertext.length, 256);
        assert.deepEqual(new Uint8Array(privateDecrypt({ key: rsa.privateKey, padding: s.padding, oaepHash: s.oaepHash! }, ciphertext)), plaintext);
      }),
      { numRuns: 60, seed: 9 },
    );
    assert.equal(encryptLocally(rsaPublic(), 'RSA1_5', new Uint8Array(245)).length, 256);
    assert.throws(() => encryptLocally(rsaPublic(), 'RSA-OAEP-256', new Uint8Array(191)), throwsKv('bad-request', /at most 190 bytes/));
    assert.throws(() => encryptLocally(ec['P-256'].jwk, 'RSA-OAEP', new Uint8Array(1)), throwsKv('bad-request', /needs an RSA key/));
    assert.throws(() => encryptLocally(rsaPublic(), 'A256GCM' as never, new Uint8Array(1)), throwsKv('bad-request', /runs only in the service/));
  });
});
