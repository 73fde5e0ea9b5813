import assert from 'node:assert/strict';
import { constants, createHash, generateKeyPairSync, privateDecrypt, privateEncrypt, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RestCryptoService } from '../../src/keyvault/crypto';
import { verifyLocally } from '../../src/keyvault/crypto/localVerify';
import type { KeyVaultHttp } from '../../src/keyvault/http/client';
import type { KeyVaultKey } from '../../src/keyvault/models/keys';
import { decodeBytes, FieldError, initMessage, keyProblems, opAlgorithms, printableText, runOperation } from '../../src/webviews/crypto/operations';
import { describeDropped, parseHostMessage, parsePageMessage, type RunRequest } from '../../src/webviews/crypto/protocol';

// The crypto panels' host logic against the real crypto service, whose HTTP is replaced by node:crypto doing what
// Key Vault does with the private key. So the service's own checks (disabled key, key_ops, digest length) run as in
// production, and what the panel computes locally is checked against an independent implementation.

const VAULT = 'https://kv-unit.vault.azure.net';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

function keyOf(name: string, pair: { publicKey: KeyObject }, overrides: Partial<KeyVaultKey> = {}): KeyVaultKey {
  const jwk = pair.publicKey.export({ format: 'jwk' });
  const isRsa = jwk.kty === 'RSA';
  const id = `${VAULT}/keys/${name}/0123456789abcdef0123456789abcdef`;
  return {
    id,
    vaultUrl: VAULT,
    name,
    version: '0123456789abcdef0123456789abcdef',
    tags: {},
    managed: false,
    attributes: { enabled: true },
    keyType: isRsa ? 'RSA' : 'EC',
    keyOps: isRsa ? ['sign', 'verify', 'encrypt', 'decrypt', 'wrapKey', 'unwrapKey'] : ['sign', 'verify'],
    ...(isRsa ? { keySize: 2048 } : { curve: 'P-256' as const, keySize: 256 }),
    key: isRsa ? { kid: id, kty: 'RSA', n: jwk.n!, e: jwk.e! } : { kid: id, kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! },
    ...overrides,
  };
}

const DIGEST_INFO_SHA256 = Buffer.from('3031300d060960864801650304020105000420', 'hex');
const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));

/** Key Vault's RSA operations done with the private key; records what was sent. */
function fakeHttp(sent: { path: string; body: Record<string, string> }[]): KeyVaultHttp {
  return {
    async send(_method: string, url: string, options: { body: Record<string, string> }) {
      const path = new URL(url).pathname;
      sent.push({ path, body: options.body });
      const op = path.split('/').pop();
      const { alg, value } = options.body as { alg: string; value: string };
      if (op === 'sign') {
        const digest = Buffer.from(value!, 'base64url');
        const payload = alg === 'RSNULL' ? digest : Buffer.concat([DIGEST_INFO_SHA256, digest]);
        return { body: { kid: url.replace(/\/sign$/, ''), value: b64u(privateEncrypt({ key: rsa.privateKey, padding: constants.RSA_PKCS1_PADDING }, payload)) } };
      }
      if (op === 'verify') {
        const key = keyOf('k', rsa);
        return { body: { value: verifyLocally(key.key, alg as 'RS256', bytes(options.body.digest!), bytes(value!)) } };
      }
      if (op === 'decrypt' || op === 'unwrapkey') {
        return { body: { value: b64u(privateDecrypt({ key: rsa.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: alg === 'RSA-OAEP-256' ? 'sha256' : 'sha1' }, bytes(value!))) } };
      }
      throw new Error(`unexpected ${op}`);
    },
  } as unknown as KeyVaultHttp;
}

function run(key: KeyVaultKey, req: Omit<RunRequest, 'type'>, file?: Uint8Array) {
  const sent: { path: string; body: Record<string, string> }[] = [];
  const crypto = new RestCryptoService(fakeHttp(sent));
  const result = runOperation({ crypto, key, readFile: async () => file ?? new Uint8Array() }, { type: 'run', ...req });
  return { result, sent };
}

async function refusal(p: Promise<unknown>): Promise<{ message: string; field?: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof FieldError) return { message: err.message, field: err.field };
    return { message: (err as { userMessage?: string }).userMessage ?? String(err) };
  }
  assert.fail('the operation was not refused');
}

describe('Crypto panel: what each key offers', () => {
  it('filters algorithms by key type and curve, and offers the public-key operations locally', () => {
    const r = keyOf('r', rsa);
    assert.deepEqual(opAlgorithms(r, 'sign').service, ['PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'RSNULL']);
    assert.deepEqual(opAlgorithms(r, 'verify').local, ['PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'RSNULL']);
    assert.deepEqual(opAlgorithms(r, 'encrypt').local, ['RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5']);
    assert.deepEqual(opAlgorithms(r, 'decrypt').local, []);
    const e = keyOf('e', ec);
    assert.deepEqual(opAlgorithms(e, 'sign').service, ['ES256']);
    assert.deepEqual(opAlgorithms(e, 'encrypt'), { service: [], local: [], unavailable: 'A EC key cannot encrypt.' });
  });

  it('says when key_ops leave an operation out, and still verifies locally', () => {
    const k = keyOf('signonly', rsa, { keyOps: ['sign'] });
    const v = opAlgorithms(k, 'verify');
    assert.deepEqual(v.service, []);
    assert.match(v.unavailable ?? '', /does not permit verify: its operations are sign/);
    assert.equal(v.local.length, 7);
  });

  it('warns about a disabled, expired or not-yet-valid key in the banner', () => {
    const now = Date.parse('2026-06-01T00:00:00Z');
    assert.deepEqual(keyProblems(keyOf('ok', rsa), 'sign', now), []);
    assert.match(keyProblems(keyOf('off', rsa, { attributes: { enabled: false } }), 'sign', now).join(), /disabled/);
    assert.match(keyProblems(keyOf('old', rsa, { attributes: { enabled: true, expiresOn: new Date('2026-01-01') } }), 'encrypt', now).join(), /expired on 2026-01-01: it can still decrypt, but not encrypt/);
    assert.match(keyProblems(keyOf('new', rsa, { attributes: { enabled: true, notBefore: new Date('2027-01-01') } }), 'sign', now).join(), /not valid before 2027-01-01/);
  });

  it('sends an init the page accepts', () => {
    const init = initMessage('sign', keyOf('r', rsa), true, Date.now());
    assert.deepEqual(parseHostMessage(JSON.parse(JSON.stringify(init))), JSON.parse(JSON.stringify(init)));
    assert.equal(init.hashes.RS384, 'SHA-384');
    assert.equal(init.digestBytes.ES512, 64);
    assert.equal(init.key.detail, 'RSA 2048-bit');
  });
});

describe('Crypto panel: sign and verify', () => {
  const key = keyOf('signer', rsa);

  it('hashes text locally, sends only the digest, and the signature verifies with Node', async () => {
    const { result, sent } = run(key, { op: 'sign', algorithm: 'RS256', inputKind: 'text', input: 'hello world', by: 'service' });
    const r = await result;
    const digest = createHash('sha256').update('hello world').digest();
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.body.value, b64u(digest), 'only the digest went to the service');
    assert.ok(!JSON.stringify(sent).includes(b64u(Buffer.from('hello world'))));
    const signature = Buffer.from(r.fields.find((f) => f.id === 'signature')!.base64, 'base64');
    assert.equal(r.fields.find((f) => f.id === 'digest')!.hex, digest.toString('hex'));
    assert.ok(createPublicKeyVerify(signature, Buffer.from('hello world')));
    assert.match(r.note, /only the 32-byte digest was sent/);
  });

  it('hashes a picked file the same way as its bytes as text', async () => {
    const file = new TextEncoder().encode('file contents\n');
    const a = await run(key, { op: 'sign', algorithm: 'RS256', inputKind: 'file', input: '', by: 'service' }, file).result;
    const b = await run(key, { op: 'sign', algorithm: 'RS256', inputKind: 'text', input: 'file contents\n', by: 'service' }).result;
    assert.equal(a.fields[1]!.base64, b.fields[1]!.base64);
  });

  it('takes a digest as hex or base64 and refuses one of the wrong length before sending', async () => {
    const digest = createHash('sha256').update('x').digest();
    const hex = await run(key, { op: 'sign', algorithm: 'RS256', inputKind: 'digestHex', input: digest.toString('hex').replace(/(..)/g, '$1 '), by: 'service' }).result;
    const b64 = await run(key, { op: 'sign', algorithm: 'RS256', inputKind: 'digestBase64', input: digest.toString('base64'), by: 'service' }).result;
    assert.equal(hex.fields[1]!.base64, b64.fields[1]!.base64);
    const short = run(key, { op: 'sign', algorithm: 'RS256', inputKind: 'digestHex', input: digest.subarray(0, 31).toString('hex'), by: 'service' });
    const r = await refusal(short.result);
    assert.equal(r.field, 'input');
    assert.match(r.message, /RS256 signs a SHA-256 digest of 32 bytes; this one has 31/);
    assert.equal(short.sent.length, 0, 'nothing was sent');
    const sha384 = await refusal(run(key, { op: 'sign', algorithm: 'RS384', inputKind: 'digestHex', input: digest.toString('hex'), by: 'service' }).result);
    assert.match(sha384.message, /48 bytes; this one has 32/);
  });

  it('signs RSNULL input as given', async () => {
    const r = await run(key, { op: 'sign', algorithm: 'RSNULL', inputKind: 'text', input: 'raw', by: 'service' }).result;
    assert.equal(r.fields[0]!.label, 'Signed value');
    assert.equal(r.fields[0]!.hex, Buffer.from('raw').toString('hex'));
  });

  it('verifies locally without a request, and by the service, and says which', async () => {
    const signed = await run(key, { op: 'sign', algorithm: 'RS256', inputKind: 'text', input: 'data', by: 'service' }).result;
    const signature = { encoding: 'base64' as const, value: signed.fields[1]!.base64 };
    const local = run(key, { op: 'verify', algorithm: 'RS256', inputKind: 'text', input: 'data', signature, by: 'local' });
    const l = await local.result;
    assert.equal(l.verified, true);
    assert.equal(l.by, 'local');
    assert.match(l.note, /locally with the public key \(no request was sent\)/);
    assert.equal(local.sent.length, 0);
    const remote = run(key, { op: 'verify', algorithm: 'RS256', inputKind: 'text', input: 'data', signature: { encoding: 'hex', value: Buffer.from(signature.value, 'base64').toString('hex') }, by: 'service' });
    const s = await remote.result;
    assert.equal(s.verified, true);
    assert.match(s.note, /by Key Vault/);
    assert.equal(remote.sent.length, 1);
    const tampered = await run(key, { op: 'verify', algorithm: 'RS256', inputKind: 'text', input: 'data!', signature, by: 'local' }).result;
    assert.equal(tampered.verified, false);
    assert.match(tampered.summary, /NOT valid/);
  });

  it('refuses an algorithm the key does not allow, a disabled key and missing key_ops before sending', async () => {
    const ecKey = keyOf('ec', ec);
    const wrongAlg = await refusal(run(ecKey, { op: 'sign', algorithm: 'ES384', inputKind: 'text', input: 'x', by: 'service' }).result);
    assert.equal(wrongAlg.field, 'algorithm');
    assert.match(wrongAlg.message, /ES384 is not allowed for EC P-256 'ec' by Key Vault: use ES256/);
    const disabled = run(keyOf('off', rsa, { attributes: { enabled: false } }), { op: 'sign', algorithm: 'RS256', inputKind: 'text', input: 'x', by: 'service' });
    assert.match((await refusal(disabled.result)).message, /Key 'off' is disabled\. Enable it/);
    assert.equal(disabled.sent.length, 0);
    const noOps = await refusal(run(keyOf('enc', rsa, { keyOps: ['encrypt'] }), { op: 'sign', algorithm: 'RS256', inputKind: 'text', input: 'x', by: 'service' }).result);
    assert.match(noOps.message, /does not permit sign: its operations are encrypt/);
    const localSign = await refusal(run(key, { op: 'sign', algorithm: 'RS256', inputKind: 'text', input: 'x', by: 'local' }).result);
    assert.match(localSign.message, /private key/);
    const noFile = await refusal(runOperation({ crypto: new RestCryptoService(fakeHttp([])), key, readFile: async () => { throw new FieldError('Choose a file first.', 'input'); } }, { type: 'run', op: 'sign', algorithm: 'RS256', inputKind: 'file', input: '', by: 'service' }));
    assert.equal(noFile.field, 'input');
  });

  it('explains a malformed signature or digest encoding', async () => {
    const badHex = await refusal(run(key, { op: 'verify', algorithm: 'RS256', inputKind: 'text', input: 'x', signature: { encoding: 'hex', value: 'abc' }, by: 'local' }).result);
    assert.equal(badHex.field, 'signature');
    assert.match(badHex.message, /odd number of hex digits/);
    const badB64 = await refusal(run(key, { op: 'sign', algorithm: 'RS256', inputKind: 'digestBase64', input: 'not*base64', by: 'service' }).result);
    assert.match(badB64.message, /not base64/);
  });
});

describe('Crypto panel: encrypt, decrypt, wrap, unwrap', () => {
  const key = keyOf('enc', rsa);

  it('encrypts locally with the public key and the service decrypts it back', async () => {
    const enc = run(key, { op: 'encrypt', algorithm: 'RSA-OAEP-256', inputKind: 'text', input: 'attack at dawn', by: 'local' });
    const e = await enc.result;
    assert.equal(enc.sent.length, 0, 'local encryption sends nothing');
    const ct = e.fields.find((f) => f.id === 'ciphertext')!;
    const d = await run(key, { op: 'decrypt', algorithm: 'RSA-OAEP-256', inputKind: 'base64', input: ct.base64, by: 'service' }).result;
    const plaintext = d.fields[0]!;
    assert.equal(plaintext.sensitive, true);
    assert.equal(plaintext.text, 'attack at dawn');
  });

  it('refuses plaintext longer than the RSA algorithm allows, with the limit', async () => {
    const r = await refusal(run(key, { op: 'encrypt', algorithm: 'RSA-OAEP', inputKind: 'hex', input: '00'.repeat(215), by: 'local' }).result);
    assert.match(r.message, /at most 214 bytes; this plaintext has 215/);
  });

  it('wraps locally and unwraps in the service; the unwrapped key is marked sensitive', async () => {
    const material = '11'.repeat(32);
    const w = await run(key, { op: 'wrapKey', algorithm: 'RSA-OAEP', inputKind: 'hex', input: material, by: 'local' }).result;
    const u = await run(key, { op: 'unwrapKey', algorithm: 'RSA-OAEP', inputKind: 'base64', input: w.fields[0]!.base64, by: 'service' }).result;
    assert.equal(u.fields[0]!.hex, material);
    assert.equal(u.fields[0]!.sensitive, true);
    assert.equal(u.fields[0]!.text, undefined, 'key bytes are not shown as text');
  });

  it('refuses decrypting locally: it needs the private key', async () => {
    const r = await refusal(run(key, { op: 'decrypt', algorithm: 'RSA-OAEP', inputKind: 'base64', input: 'AAAA', by: 'local' }).result);
    assert.match(r.message, /private key/);
  });
});

describe('Crypto panel: byte input and output', () => {
  it('decodes hex with spaces, colons and 0x, and base64 or base64url', () => {
    assert.deepEqual([...decodeBytes('hex', '0x0a:1B 2c', 'x')], [10, 27, 44]);
    assert.deepEqual([...decodeBytes('base64', 'AQID+/8=', 'x')], [1, 2, 3, 251, 255]);
    assert.deepEqual([...decodeBytes('base64', 'AQID-_8', 'x')], [1, 2, 3, 251, 255]);
    assert.throws(() => decodeBytes('hex', 'zz', 'The IV', 'iv'), (e: FieldError) => e.field === 'iv' && /The IV is not hex: character 1/.test(e.message));
    assert.throws(() => decodeBytes('base64', 'A', 'x'), /whole bytes/);
    assert.throws(() => decodeBytes('base64', '  ', 'The signature'), /The signature is empty/);
  });

  it('round-trips any bytes through hex and base64 (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (b) => {
        assert.deepEqual(decodeBytes('hex', Buffer.from(b).toString('hex'), 'x'), b);
        assert.deepEqual(decodeBytes('base64', Buffer.from(b).toString('base64'), 'x'), b);
        assert.deepEqual(decodeBytes('base64', Buffer.from(b).toString('base64url'), 'x'), b);
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  it('shows decrypted bytes as text only when they are printable UTF-8', () => {
    assert.equal(printableText(new TextEncoder().encode('héllo\nworld')), 'héllo\nworld');
    assert.equal(printableText(new Uint8Array([0xff, 0xfe])), undefined);
    assert.equal(printableText(new Uint8Array([104, 0, 105])), undefined);
  });
});

describe('Crypto panel protocol', () => {
  it('accepts well-formed page messages and drops anything else', () => {
    const run: RunRequest = { type: 'run', op: 'verify', algorithm: 'ES256', inputKind: 'text', input: 'x', signature: { encoding: 'hex', value: 'ab' }, by: 'local' };
    assert.deepEqual(parsePageMessage(run), run);
    assert.equal(parsePageMessage({ ...run, by: 'nobody' }), undefined);
    assert.equal(parsePageMessage({ ...run, op: 'launch' }), undefined);
    assert.equal(parsePageMessage({ ...run, extra: true }), undefined);
    assert.equal(parsePageMessage({ ...run, signature: { encoding: 'utf16', value: 'x' } }), undefined);
    assert.equal(parsePageMessage({ ...run, input: 'x'.repeat(4 * 1024 * 1024 + 1) }), undefined);
    assert.deepEqual(parsePageMessage({ type: 'pickFile', op: 'sign' }), { type: 'pickFile', op: 'sign' });
    assert.deepEqual(parsePageMessage({ type: 'copy', label: 'Signature', text: 'AA==', sensitive: false }), { type: 'copy', label: 'Signature', text: 'AA==', sensitive: false });
    assert.equal(parsePageMessage({ type: 'copy', label: 'x', text: 'AA==' }), undefined);
    assert.equal(parsePageMessage(null), undefined);
  });

  it('never crashes on arbitrary input (fuzz)', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        parsePageMessage(x);
        parseHostMessage(x);
        describeDropped(x);
      }),
      { numRuns: 500, seed: 3 },
    );
  });

  it('logs only the type and size of a dropped message', () => {
    assert.equal(describeDropped({ type: 'run', input: 'plaintext secret' }), "type 'run' with 2 field(s)");
  });
});

function createPublicKeyVerify(signature: Buffer, data: Buffer): boolean {
  return nodeVerify('sha256', data, rsa.publicKey, signature);
}
