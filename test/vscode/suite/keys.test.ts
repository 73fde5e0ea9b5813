// Every key workflow in a real VS Code (code-server) against the emulator the tier started: the commands run as the
// palette or a menu runs them (identifiers, node-like arguments), prompts are answered through the Prompts seam, and
// the panels are driven through the same messages their pages send. Signatures and ciphertexts are checked with
// Node's crypto, not only by the service that made them.
import * as assert from 'node:assert/strict';
import { constants, createPublicKey, generateKeyPairSync, publicDecrypt, publicEncrypt, randomBytes, randomUUID, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AccountSession, AccountsModel } from '../../../src/accounts/types';
import type { KeyVaultKey } from '../../../src/keyvault/models/keys';
import type { CreateKeyFormData, HostMessage as FormHostMessage } from '../../../src/webviews/createKey/protocol';
import type { CryptoResult, HostMessage, RunRequest } from '../../../src/webviews/crypto/protocol';
import { activatedExtension, sleep, waitFor as waitForValue, type Probe } from './helpers';
import { BACK, ScriptedPrompts } from './secrets-prompts';

interface PanelLike {
  readonly keyVersion: KeyVaultKey;
  readonly panel: vscode.WebviewPanel;
  onDidPost(listener: (m: HostMessage) => void): vscode.Disposable;
  receive(raw: unknown): Promise<void>;
}
interface FormPanelLike {
  readonly panel: vscode.WebviewPanel;
  readonly result: Promise<KeyVaultKey | undefined>;
  onDidPost(listener: (m: FormHostMessage) => void): vscode.Disposable;
  receive(raw: unknown): Promise<void>;
}
interface Api {
  accounts: AccountsModel & { whenLoaded(): Promise<void>; refresh(): Promise<void> };
  keys?: { setPrompts(p: ScriptedPrompts | undefined): void; createKeyPanels: { list(): FormPanelLike[] }; cryptoPanels: { list(): PanelLike[] } };
  tree?: { provider: vscode.TreeDataProvider<unknown> };
}

const READY_FILE_ENV = 'KEYVAULT_TEST_EMULATOR_READY_FILE';
const config = () => vscode.workspace.getConfiguration('keyVault');
const run = <T = unknown>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(command, ...args);
const suffix = Math.random().toString(36).slice(2, 7);
const unique = (label: string) => `t${suffix}-${label}`;

const HASH: Record<string, string> = { PS256: 'sha256', PS384: 'sha384', PS512: 'sha512', RS256: 'sha256', RS384: 'sha384', RS512: 'sha512', ES256: 'sha256', ES384: 'sha384', ES512: 'sha512', ES256K: 'sha256' };
const HASH_BYTES: Record<string, number> = { sha256: 32, sha384: 48, sha512: 64 };
const NODE_CURVE: Record<string, string> = { 'P-256': 'P-256', 'P-384': 'P-384', 'P-521': 'P-521', 'P-256K': 'secp256k1' };

/** The key's public part as a Node KeyObject, straight from what the service returned. */
function publicKeyOf(key: KeyVaultKey): KeyObject {
  const k = key.key;
  if (k.kty.startsWith('RSA')) return createPublicKey({ key: { kty: 'RSA', n: k.n!, e: k.e! }, format: 'jwk' });
  return createPublicKey({ key: { kty: 'EC', crv: NODE_CURVE[k.crv!]!, x: k.x!, y: k.y! }, format: 'jwk' });
}

/** Checks a signature of `data` with node:crypto alone. */
function nodeVerifies(key: KeyVaultKey, alg: string, data: Buffer, signature: Buffer): boolean {
  const pub = publicKeyOf(key);
  if (alg === 'RSNULL') {
    try {
      return publicDecrypt({ key: pub, padding: constants.RSA_PKCS1_PADDING }, signature).equals(data);
    } catch {
      return false;
    }
  }
  const hash = HASH[alg]!;
  if (alg.startsWith('PS')) return verify(hash, data, { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[hash]! }, signature);
  if (alg.startsWith('RS')) return verify(hash, data, { key: pub, padding: constants.RSA_PKCS1_PADDING }, signature);
  return verify(hash, data, { key: pub, dsaEncoding: 'ieee-p1363' }, signature);
}

// This suite's waits default to 15 s.
const waitFor = <T>(what: string, probe: Probe<T>, timeoutMs = 15_000): Promise<T> => waitForValue(what, probe, timeoutMs);

describe('Key workflows against the emulator', function () {
  this.timeout(180_000);
  let api: Api;
  let keysApi: NonNullable<Api['keys']>;
  let prompts: ScriptedPrompts;
  let vaultUrl: string;
  let hsmUrl: string;
  /** A Standard-tier vault (kv-demo is Premium). */
  let standardUrl: string;
  let session: AccountSession;
  let dir: string;
  /** Keys made by the create tests, by label, for the crypto tests. */
  const made = new Map<string, KeyVaultKey>();

  before(async function () {
    const readyFile = process.env[READY_FILE_ENV] ?? '';
    if (!readyFile || !existsSync(readyFile)) this.skip();
    api = (await activatedExtension()).exports as Api;
    if (!api.keys) this.skip();
    keysApi = api.keys!;
    await api.accounts.whenLoaded();
    await run('keyVault.useLocalEmulator', readyFile);
    await waitFor('the emulator session appears', async () => {
      if (api.accounts.sessions().length > 0) return true;
      await api.accounts.refresh();
      return undefined;
    });
    const ready = JSON.parse(readFileSync(readyFile, 'utf8')) as { containers: { name: string; url: string; kind: string }[] };
    vaultUrl = ready.containers.find((c) => c.name === 'kv-demo')!.url;
    hsmUrl = ready.containers.find((c) => c.name === 'hsm-demo')!.url;
    standardUrl = ready.containers.find((c) => c.name === 'kv-scale')!.url;
    session = api.accounts.sessionFor(vaultUrl)!;
    assert.ok(session, 'a session for the emulator vault');
    dir = mkdtempSync(path.join(tmpdir(), 'kv-keys-'));
  });

  beforeEach(() => {
    prompts = new ScriptedPrompts();
    keysApi?.setPrompts(prompts);
  });

  afterEach(function () {
    const unexpected = prompts?.unexpected ?? [];
    keysApi?.setPrompts(undefined);
    for (const p of keysApi?.cryptoPanels.list() ?? []) p.panel.dispose();
    for (const p of keysApi?.createKeyPanels.list() ?? []) p.panel.dispose();
    if (this.currentTest?.state === 'passed') assert.deepEqual(unexpected, [], 'every prompt had a scripted answer');
  });

  after(async function () {
    this.timeout(120_000);
    // Leave the demo vaults as the other suites expect them: delete and purge every key this suite made.
    for (const url of [vaultUrl, hsmUrl].filter(Boolean)) {
      const names: string[] = [];
      for await (const k of session.service.keys.list(url)) if (k.name.startsWith(`t${suffix}-`)) names.push(k.name);
      for (const name of names) {
        await session.service.keys.delete(url, name).catch(() => undefined);
        await waitFor(`${name} is deleted`, () => session.service.keys.getDeleted(url, name).then(() => true, () => undefined), 5000).catch(() => undefined);
        await session.service.keys.purge(url, name).catch(() => undefined);
      }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
    for (const key of ['credential', 'emulator.readyFile']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
  });

  /** Create Key through the quick input: name, then the type's label. */
  async function createByQuickInput(container: string, label: string, typeLabel: string): Promise<KeyVaultKey> {
    prompts.answerInput(/Create Key in/, unique(label)).answerPick(/Create Key/, typeLabel);
    const key = await run<KeyVaultKey | undefined>('keyVault.key.create', container);
    assert.ok(key, `created ${typeLabel}: ${prompts.notifications('error').join(' ')}`);
    made.set(label, key);
    return key;
  }

  async function openPanel(command: string, keyId: string): Promise<{ panel: PanelLike; posted: HostMessage[] }> {
    const panel = await run<PanelLike | undefined>(command, keyId);
    assert.ok(panel, `${command} opened a panel: ${prompts.notifications('error').join(' ')}`);
    const posted: HostMessage[] = [];
    panel.onDidPost((m) => posted.push(m));
    await panel.receive({ type: 'ready' });
    assert.equal(posted[0]?.type, 'init');
    return { panel, posted };
  }

  /** Runs one operation as the page would and returns its result (or fails with the panel's error). */
  async function operate(p: { panel: PanelLike; posted: HostMessage[] }, req: Omit<RunRequest, 'type'>): Promise<CryptoResult> {
    const from = p.posted.length;
    await p.panel.receive({ type: 'run', ...req });
    const answer = p.posted.slice(from).find((m) => m.type === 'result' || m.type === 'error');
    if (answer?.type === 'error') assert.fail(`${req.op} ${req.algorithm}: ${answer.message}`);
    assert.equal(answer?.type, 'result');
    return answer as CryptoResult;
  }

  async function refused(p: { panel: PanelLike; posted: HostMessage[] }, req: Omit<RunRequest, 'type'>): Promise<{ message: string; field?: string }> {
    const from = p.posted.length;
    await p.panel.receive({ type: 'run', ...req });
    const answer = p.posted.slice(from).find((m) => m.type === 'result' || m.type === 'error');
    assert.equal(answer?.type, 'error', `${req.op} ${req.algorithm} was refused`);
    return answer as { message: string; field?: string };
  }

  const field = (r: CryptoResult, id: string) => r.fields.find((f) => f.id === id)!;

  /** Opens the Create Key form for a container, acting as its page: ready, then what the host posts. */
  const openCreateKeyForm = async (url: string) => {
    await run('keyVault.key.createWithOptions', url);
    const form = await waitFor('the Create Key form opens', () => keysApi.createKeyPanels.list().at(-1));
    const posted: FormHostMessage[] = [];
    form.onDidPost((m) => posted.push(m));
    await form.receive({ type: 'ready' });
    return { form, posted, init: posted.find((m) => m.type === 'init') };
  };

  describe('create', () => {
    it('creates RSA 2048/3072/4096 and EC P-256/P-384/P-521/P-256K keys in a vault through the quick input', async () => {
      for (const [label, type, check] of [
        ['rsa2048', 'RSA 2048', (k: KeyVaultKey) => k.keyType === 'RSA' && k.keySize === 2048],
        ['rsa3072', 'RSA 3072', (k: KeyVaultKey) => k.keySize === 3072],
        ['rsa4096', 'RSA 4096', (k: KeyVaultKey) => k.keySize === 4096],
        ['p256', 'EC P-256', (k: KeyVaultKey) => k.keyType === 'EC' && k.curve === 'P-256'],
        ['p384', 'EC P-384', (k: KeyVaultKey) => k.curve === 'P-384'],
        ['p521', 'EC P-521', (k: KeyVaultKey) => k.curve === 'P-521'],
        ['p256k', 'EC P-256K', (k: KeyVaultKey) => k.curve === 'P-256K'],
      ] as const) {
        const key = await createByQuickInput(vaultUrl, label, type);
        assert.ok(check(key), `${type}: got ${key.keyType} ${key.keySize ?? ''} ${key.curve ?? ''}`);
      }
      assert.match(prompts.notifications('info').join('\n'), /Created key t\w+-rsa2048 \(RSA 2048-bit\) in /);
    });

    it('creates RSA-HSM, EC-HSM and AES 128/192/256 keys in a Managed HSM', async () => {
      assert.equal((await createByQuickInput(hsmUrl, 'hsm-rsa', 'RSA 2048')).keyType, 'RSA-HSM');
      assert.equal((await createByQuickInput(hsmUrl, 'hsm-ec', 'EC P-384')).keyType, 'EC-HSM');
      for (const size of [128, 192, 256]) {
        const key = await createByQuickInput(hsmUrl, `aes${size}`, `AES ${size}`);
        assert.equal(key.keyType, 'oct-HSM');
        assert.equal(key.keySize, size);
      }
      const typePick = prompts.seen.find((s) => s.kind === 'pick' && s.items?.includes('AES 256'));
      assert.ok(typePick, 'the HSM offers AES keys');
    });

    it('offers no AES keys in a vault, and the form for HSM protection', async () => {
      prompts.answerInput(/Create Key in/, unique('never')).answerPick(/Create Key/, undefined);
      await run('keyVault.key.create', vaultUrl);
      const typePick = prompts.seen.find((s) => s.kind === 'pick')!;
      assert.ok(!typePick.items!.some((i) => i.startsWith('AES')), typePick.items!.join(', '));
      assert.ok(typePick.items!.includes('More options…'));
    });

    it('creates an HSM-protected key with operations, tags and dates in the Create Key form, after showing field errors', async () => {
      const { form, posted, init } = await openCreateKeyForm(vaultUrl);
      assert.ok(init && init.type === 'init' && init.families.join() === 'RSA,EC' && init.protections.join() === 'software,hsm');
      const data: CreateKeyFormData = {
        name: 'bad name!',
        family: 'EC',
        protection: 'hsm',
        curve: 'P-384',
        keyOps: ['sign', 'encrypt'],
        enabled: true,
        notBefore: new Date(Date.now() - 60_000).toISOString(),
        expiresOn: new Date(Date.now() + 400 * 86_400_000).toISOString(),
        tags: [{ name: 'team', value: 'crypto' }],
        exportable: false,
        releasePolicyImmutable: false,
      };
      await form.receive({ type: 'submit', form: data });
      const errors = posted.find((m) => m.type === 'errors');
      assert.ok(errors && errors.type === 'errors');
      assert.match(errors.fields.name ?? '', /Only letters, digits and dashes/);
      assert.match(errors.fields.keyOps ?? '', /An EC key cannot encrypt/);
      await form.receive({ type: 'submit', form: { ...data, name: unique('form-ec'), keyOps: ['sign', 'verify'] } });
      const key = await form.result;
      assert.ok(key, `created: ${JSON.stringify(posted.filter((m) => m.type === 'errors'))}`);
      assert.equal(key.keyType, 'EC-HSM');
      assert.equal(key.curve, 'P-384');
      assert.deepEqual([...key.keyOps].sort(), ['sign', 'verify']);
      assert.deepEqual(key.tags, { team: 'crypto' });
      assert.ok(key.attributes.expiresOn && key.attributes.notBefore);
    });

    it('offers software protection only in a Standard vault, says why, and refuses an HSM key there before sending', async () => {
      const { form, posted, init } = await openCreateKeyForm(standardUrl);
      assert.ok(init && init.type === 'init');
      assert.deepEqual(init.protections, ['software']);
      assert.match(init.protectionNote ?? '', /Standard vault.*Premium/);
      await form.receive({ type: 'submit', form: { name: unique('standard-hsm'), family: 'RSA', protection: 'hsm', keySize: 2048, keyOps: ['sign', 'verify'], enabled: true, tags: [], exportable: false, releasePolicyImmutable: false } });
      const errors = posted.find((m) => m.type === 'errors');
      assert.ok(errors && errors.type === 'errors');
      assert.match(errors.fields.protection ?? '', /Premium/);
    });

    it('creates an exportable HSM key with a release policy in the form', async () => {
      await run('keyVault.key.createWithOptions', hsmUrl);
      const form = await waitFor('the Create Key form opens', () => keysApi.createKeyPanels.list().at(-1));
      const policy = JSON.stringify({ version: '1.0.0', anyOf: [{ authority: 'https://sharedeus.eus.attest.azure.net', allOf: [{ claim: 'x-ms-attestation-type', equals: 'sevsnpvm' }] }] });
      await form.receive({ type: 'submit', form: { name: unique('exportable'), family: 'RSA', protection: 'hsm', keySize: 2048, keyOps: ['wrapKey', 'unwrapKey', 'encrypt', 'decrypt'], enabled: true, tags: [], exportable: true, releasePolicy: policy, releasePolicyImmutable: false } });
      const key = await form.result;
      assert.ok(key);
      assert.equal(key.attributes.exportable, true);
      assert.deepEqual(JSON.parse(new TextDecoder().decode(key.releasePolicy!.encodedPolicy)), JSON.parse(policy));
    });
  });

  describe('import', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const file = (name: string, text: string) => {
      const p = path.join(dir, name);
      writeFileSync(p, text);
      return vscode.Uri.file(p);
    };

    it('imports PKCS#8, PKCS#1 and SEC1 PEM files and a JWK, software and HSM-protected', async () => {
      const cases: [string, string, string, string][] = [
        ['pkcs8.pem', rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'Software-protected', 'RSA'],
        ['pkcs1.pem', rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), 'HSM-protected', 'RSA-HSM'],
        ['sec1.pem', ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString(), 'Software-protected', 'EC'],
        ['key.jwk', JSON.stringify(ec.privateKey.export({ format: 'jwk' })), 'Software-protected', 'EC'],
      ];
      for (const [name, text, protection, kty] of cases) {
        const keyName = unique(`imp-${name.replace(/\W/g, '')}`);
        prompts.answerInput(/Import .* key into/, keyName).answerPick(/protection/, protection);
        const key = await run<KeyVaultKey | undefined>('keyVault.key.import', { container: vaultUrl, file: file(name, text) });
        assert.ok(key, `${name}: ${prompts.notifications('error').join(' ')}`);
        assert.equal(key.keyType, kty, name);
        const expected = (kty.startsWith('RSA') ? rsa : ec).publicKey.export({ format: 'jwk' });
        assert.equal(kty.startsWith('RSA') ? key.key.n : key.key.x, kty.startsWith('RSA') ? expected.n : expected.x, `${name}: the same public key`);
      }
    });

    it('asks for the passphrase of an encrypted PEM again after a wrong one', async () => {
      const pem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 's3cret-pass' }).toString();
      prompts.answerInput(/Import Key/, 'wrong-pass').answerInput(/Import Key/, 's3cret-pass').answerInput(/Import .* key into/, unique('imp-encrypted')).answerPick(/protection/, 'Software-protected');
      const key = await run<KeyVaultKey | undefined>('keyVault.key.import', { container: vaultUrl, file: file('encrypted.pem', pem) });
      assert.ok(key, prompts.notifications('error').join(' '));
      const passphrasePrompts = prompts.seen.filter((s) => s.kind === 'input' && s.password);
      assert.equal(passphrasePrompts.length, 2);
      assert.match(passphrasePrompts[1]!.text, /passphrase does not decrypt this private key/);
      assert.ok(!prompts.transcript().includes('s3cret-pass'), 'the passphrase is never shown back');
    });

    it('refuses a bad PEM, a public key and a broken JWK with a clear message, before sending anything', async () => {
      const before = session.service.requestCount();
      for (const [name, text, expected] of [
        ['public.pem', rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(), /only public key data/],
        ['garbage.pem', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', /damaged/],
        ['broken.json', '{"kty":"RSA",', /not valid JSON/],
        ['notes.txt', 'hello', /neither a PEM file nor a JSON Web Key/],
      ] as const) {
        await run('keyVault.key.import', { container: vaultUrl, file: file(name, text) });
        assert.match(prompts.notifications('error').at(-1) ?? '', expected, name);
      }
      assert.equal(session.service.requestCount(), before, 'no request for a file that does not parse');
    });
    it('survives malformed key files (seeded fuzz): every one is refused with a message or parsed, and the extension keeps working', async () => {
      const pem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const jwk = JSON.stringify(ec.privateKey.export({ format: 'jwk' }));
      let seed = 20260611;
      const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
      const cases: Buffer[] = [];
      for (let i = 0; i < 40; i++) {
        const kind = i % 4;
        if (kind === 0) cases.push(Buffer.from(Array.from({ length: 1 + (next() % 300) }, () => next() % 256)));
        else if (kind === 1) cases.push(Buffer.from(pem.slice(0, next() % pem.length)));
        else {
          const base = Buffer.from(kind === 2 ? pem : jwk);
          for (let n = 0; n < 1 + (next() % 4); n++) base[next() % base.length] = next() % 256;
          cases.push(base);
        }
      }
      for (const [i, bytes] of cases.entries()) {
        const one = new ScriptedPrompts();
        keysApi.setPrompts(one);
        const p = path.join(dir, `fuzz-${i}.pem`);
        writeFileSync(p, bytes);
        await run('keyVault.key.import', { container: vaultUrl, file: vscode.Uri.file(p) });
        const refusedWithMessage = one.notifications('error').length === 1;
        const parsed = one.unexpected.some((u) => /^input: (Import|.*passphrase)/.test(u));
        assert.ok(refusedWithMessage || parsed, `case ${i}: neither refused nor parsed (${JSON.stringify(one.seen)})`);
      }
      keysApi.setPrompts(prompts);
      // Still responsive: a command that reads the vault works.
      prompts.answerInput(/Create Key in/, unique('after-fuzz')).answerPick(/Create Key/, 'EC P-256');
      assert.ok(await run('keyVault.key.create', vaultUrl));
    });
  });

  describe('sign and verify', () => {
    const DATA = Buffer.from('The quick brown fox jumps over the lazy dog', 'utf8');

    it('signs with every RSA algorithm; Node verifies each signature, and so do the panel (locally) and the service', async () => {
      const key = made.get('rsa2048') ?? (await createByQuickInput(vaultUrl, 'rsa2048', 'RSA 2048'));
      const p = await openPanel('keyVault.key.signVerify', key.id);
      for (const alg of ['PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512']) {
        const signed = await operate(p, { op: 'sign', algorithm: alg, inputKind: 'text', input: DATA.toString('utf8'), by: 'service' });
        const signature = Buffer.from(field(signed, 'signature').base64, 'base64');
        assert.ok(nodeVerifies(p.panel.keyVersion, alg, DATA, signature), `${alg}: node:crypto verifies the signature`);
        for (const by of ['local', 'service'] as const) {
          const v = await operate(p, { op: 'verify', algorithm: alg, inputKind: 'text', input: DATA.toString('utf8'), signature: { encoding: 'base64', value: signature.toString('base64') }, by });
          assert.equal(v.verified, true, `${alg} verified ${by}`);
          assert.equal(v.by, by);
        }
        const tampered = await operate(p, { op: 'verify', algorithm: alg, inputKind: 'text', input: `${DATA.toString('utf8')}.`, signature: { encoding: 'base64', value: signature.toString('base64') }, by: 'local' });
        assert.equal(tampered.verified, false, `${alg}: other data does not verify`);
      }
      // RSNULL signs the given bytes as they are.
      const raw = Buffer.from('0123456789abcdef', 'utf8');
      const rsnull = await operate(p, { op: 'sign', algorithm: 'RSNULL', inputKind: 'text', input: raw.toString('utf8'), by: 'service' });
      assert.ok(nodeVerifies(p.panel.keyVersion, 'RSNULL', raw, Buffer.from(field(rsnull, 'signature').base64, 'base64')));
    });

    it('signs with ES256, ES384, ES512 and ES256K on their curves; Node verifies each signature', async () => {
      for (const [label, type, alg] of [
        ['p256', 'EC P-256', 'ES256'],
        ['p384', 'EC P-384', 'ES384'],
        ['p521', 'EC P-521', 'ES512'],
        ['p256k', 'EC P-256K', 'ES256K'],
      ] as const) {
        const key = made.get(label) ?? (await createByQuickInput(vaultUrl, label, type));
        const p = await openPanel('keyVault.key.signVerify', key.id);
        const init = p.posted[0]!;
        assert.ok(init.type === 'init' && init.ops.sign?.service.join() === alg, `${type} offers only ${alg}`);
        const signed = await operate(p, { op: 'sign', algorithm: alg, inputKind: 'text', input: DATA.toString('utf8'), by: 'service' });
        const signature = Buffer.from(field(signed, 'signature').hex, 'hex');
        assert.ok(nodeVerifies(p.panel.keyVersion, alg, DATA, signature), `${alg}: node:crypto verifies the signature`);
        const local = await operate(p, { op: 'verify', algorithm: alg, inputKind: 'text', input: DATA.toString('utf8'), signature: { encoding: 'hex', value: signature.toString('hex') }, by: 'local' });
        assert.equal(local.verified, true);
        p.panel.panel.dispose();
      }
    });

    it('signs a digest given as hex and a picked file; refuses a digest of the wrong length and an algorithm of another curve', async () => {
      const key = made.get('p384') ?? (await createByQuickInput(vaultUrl, 'p384', 'EC P-384'));
      const p = await openPanel('keyVault.key.signVerify', key.id);
      const digest = (await import('node:crypto')).createHash('sha384').update(DATA).digest();
      const byDigest = await operate(p, { op: 'sign', algorithm: 'ES384', inputKind: 'digestHex', input: digest.toString('hex'), by: 'service' });
      assert.ok(nodeVerifies(p.panel.keyVersion, 'ES384', DATA, Buffer.from(field(byDigest, 'signature').base64, 'base64')));
      const fileUri = vscode.Uri.file(path.join(dir, 'data.bin'));
      writeFileSync(fileUri.fsPath, DATA);
      prompts.answerOpen([fileUri]);
      await p.panel.receive({ type: 'pickFile', op: 'sign' });
      const picked = p.posted.at(-1)!;
      assert.ok(picked.type === 'file' && picked.name === 'data.bin' && picked.size === DATA.length);
      const byFile = await operate(p, { op: 'sign', algorithm: 'ES384', inputKind: 'file', input: '', by: 'service' });
      assert.equal(field(byFile, 'digest').hex, digest.toString('hex'), 'the file was hashed locally');
      const short = await refused(p, { op: 'sign', algorithm: 'ES384', inputKind: 'digestHex', input: digest.subarray(0, 32).toString('hex'), by: 'service' });
      assert.equal(short.field, 'input');
      assert.match(short.message, /ES384 signs a SHA-384 digest of 48 bytes; this one has 32/);
      const wrongAlg = await refused(p, { op: 'sign', algorithm: 'ES256', inputKind: 'text', input: 'x', by: 'service' });
      assert.equal(wrongAlg.field, 'algorithm');
      assert.match(wrongAlg.message, /ES256 is not allowed for EC P-384/);
    });

    it('says a key disabled while its panel is open cannot sign, and signs again after Enable in the panel', async () => {
      const key = await createByQuickInput(vaultUrl, 'to-disable', 'EC P-256');
      const p = await openPanel('keyVault.key.signVerify', key.id);
      prompts.answerModal(/Disable/, 'Disable');
      await run('keyVault.key.disable', key.id);
      const r = await refused(p, { op: 'sign', algorithm: 'ES256', inputKind: 'text', input: 'x', by: 'service' });
      assert.match(r.message, /disabled/);
      const banner = p.posted.filter((m) => m.type === 'init').at(-1)!;
      assert.ok(banner.type === 'init' && !banner.key.enabled && banner.problems.some((x) => /disabled/.test(x)), 'the banner says the key is disabled');
      prompts.answerModal(/Enable key/, 'Enable');
      await p.panel.receive({ type: 'enable' });
      const again = p.posted.filter((m) => m.type === 'init').at(-1)!;
      assert.ok(again.type === 'init' && again.key.enabled && again.problems.length === 0);
      await operate(p, { op: 'sign', algorithm: 'ES256', inputKind: 'text', input: 'x', by: 'service' });
    });

    it('offers to enable a disabled key before opening its panel (Key Vault will not even read it)', async () => {
      const key = await createByQuickInput(vaultUrl, 'was-disabled', 'EC P-256');
      prompts.answerModal(/Disable/, 'Disable');
      await run('keyVault.key.disable', key.id);
      prompts.answerModal(/is disabled/, undefined);
      assert.equal(await run('keyVault.key.signVerify', key.id), undefined, 'no panel when the user declines');
      prompts.answerModal(/is disabled/, 'Enable');
      const p = await openPanel('keyVault.key.signVerify', key.id);
      await operate(p, { op: 'sign', algorithm: 'ES256', inputKind: 'text', input: 'x', by: 'service' });
    });

    it('refuses an operation missing from key_ops, and still verifies locally with the public key', async () => {
      await run('keyVault.key.createWithOptions', vaultUrl);
      const form = await waitFor('the Create Key form opens', () => keysApi.createKeyPanels.list().at(-1));
      await form.receive({ type: 'submit', form: { name: unique('sign-only'), family: 'RSA', protection: 'software', keySize: 2048, keyOps: ['sign'], enabled: true, tags: [], exportable: false, releasePolicyImmutable: false } });
      const key = (await form.result)!;
      const p = await openPanel('keyVault.key.signVerify', key.id);
      const init = p.posted[0]!;
      assert.ok(init.type === 'init');
      assert.match(init.ops.verify?.unavailable ?? '', /does not permit verify: its operations are sign/);
      const signed = await operate(p, { op: 'sign', algorithm: 'RS256', inputKind: 'text', input: 'hello', by: 'service' });
      const sig = { encoding: 'base64' as const, value: field(signed, 'signature').base64 };
      const r = await refused(p, { op: 'verify', algorithm: 'RS256', inputKind: 'text', input: 'hello', signature: sig, by: 'service' });
      assert.match(r.message, /does not permit verify/);
      assert.equal((await operate(p, { op: 'verify', algorithm: 'RS256', inputKind: 'text', input: 'hello', signature: sig, by: 'local' })).verified, true);
      const e = await openPanel('keyVault.key.encryptDecrypt', key.id);
      const enc = await refused(e, { op: 'encrypt', algorithm: 'RSA-OAEP', inputKind: 'text', input: 'x', by: 'service' });
      assert.match(enc.message, /does not permit encrypt/);
    });

    it('copies a signature to the clipboard', async () => {
      const key = made.get('p256') ?? (await createByQuickInput(vaultUrl, 'p256', 'EC P-256'));
      const p = await openPanel('keyVault.key.signVerify', key.id);
      const signed = await operate(p, { op: 'sign', algorithm: 'ES256', inputKind: 'text', input: 'copy me', by: 'service' });
      await p.panel.receive({ type: 'copy', label: 'Signature (base64)', text: field(signed, 'signature').base64, sensitive: false });
      await waitFor('the signature is on the clipboard', async () => ((await vscode.env.clipboard.readText()) === field(signed, 'signature').base64 ? true : undefined), 5000);
      assert.equal(p.posted.at(-1)?.type, 'copied');
    });
  });

  describe('encrypt, decrypt, wrap and unwrap', () => {
    it('round-trips RSA-OAEP, RSA-OAEP-256 and RSA1_5 by the service, locally, and from Node', async () => {
      const key = made.get('rsa3072') ?? (await createByQuickInput(vaultUrl, 'rsa3072', 'RSA 3072'));
      const e = await openPanel('keyVault.key.encryptDecrypt', key.id);
      const w = await openPanel('keyVault.key.wrapUnwrap', key.id);
      for (const alg of ['RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5']) {
        for (const by of ['service', 'local'] as const) {
          const ct = await operate(e, { op: 'encrypt', algorithm: alg, inputKind: 'text', input: `secret via ${alg} ${by}`, by });
          const pt = await operate(e, { op: 'decrypt', algorithm: alg, inputKind: 'base64', input: field(ct, 'ciphertext').base64, by: 'service' });
          assert.equal(field(pt, 'plaintext').text, `secret via ${alg} ${by}`);
          assert.equal(field(pt, 'plaintext').sensitive, true);
          const material = randomBytes(32);
          const wrapped = await operate(w, { op: 'wrapKey', algorithm: alg, inputKind: 'hex', input: material.toString('hex'), by });
          const unwrapped = await operate(w, { op: 'unwrapKey', algorithm: alg, inputKind: 'base64', input: field(wrapped, 'encryptedKey').base64, by: 'service' });
          assert.equal(field(unwrapped, 'key').hex, material.toString('hex'));
        }
      }
      // Ciphertext made by Node with the downloaded public key decrypts in the service.
      const nodeCt = publicEncrypt({ key: publicKeyOf(e.panel.keyVersion), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from('from node'));
      const fromNode = await operate(e, { op: 'decrypt', algorithm: 'RSA-OAEP-256', inputKind: 'hex', input: nodeCt.toString('hex'), by: 'service' });
      assert.equal(field(fromNode, 'plaintext').text, 'from node');
    });

    it('round-trips AES-GCM (with AAD), AES-CBC, AES-CBCPAD and AES key wrap with HSM keys of each size', async () => {
      for (const size of [128, 192, 256]) {
        const key = made.get(`aes${size}`) ?? (await createByQuickInput(hsmUrl, `aes${size}`, `AES ${size}`));
        const e = await openPanel('keyVault.key.encryptDecrypt', key.id);
        const init = e.posted[0]!;
        assert.ok(init.type === 'init' && init.ops.encrypt?.service.every((a) => a.startsWith(`A${size}`)), `only A${size}* algorithms`);
        const aad = { encoding: 'hex' as const, value: 'a0a1a2a3' };
        const gcm = await operate(e, { op: 'encrypt', algorithm: `A${size}GCM`, inputKind: 'text', input: 'gcm text', aad, by: 'service' });
        const gcmBack = await operate(e, {
          op: 'decrypt',
          algorithm: `A${size}GCM`,
          inputKind: 'base64',
          input: field(gcm, 'ciphertext').base64,
          iv: { encoding: 'base64', value: field(gcm, 'iv').base64 },
          tag: { encoding: 'base64', value: field(gcm, 'tag').base64 },
          aad,
          by: 'service',
        });
        assert.equal(field(gcmBack, 'plaintext').text, 'gcm text');
        for (const [alg, input] of [
          [`A${size}CBC`, '00112233445566778899aabbccddeeff'],
          [`A${size}CBCPAD`, '0011'],
        ] as const) {
          const ct = await operate(e, { op: 'encrypt', algorithm: alg, inputKind: 'hex', input, by: 'service' });
          const back = await operate(e, { op: 'decrypt', algorithm: alg, inputKind: 'base64', input: field(ct, 'ciphertext').base64, iv: { encoding: 'hex', value: field(ct, 'iv').hex }, by: 'service' });
          assert.equal(field(back, 'plaintext').hex, input, alg);
        }
        const cbcOdd = await refused(e, { op: 'encrypt', algorithm: `A${size}CBC`, inputKind: 'hex', input: '0011', by: 'service' });
        assert.match(cbcOdd.message, /whole 16-byte blocks/);
        const w = await openPanel('keyVault.key.wrapUnwrap', key.id);
        const material = randomBytes(32);
        const wrapped = await operate(w, { op: 'wrapKey', algorithm: `A${size}KW`, inputKind: 'hex', input: material.toString('hex'), by: 'service' });
        const unwrapped = await operate(w, { op: 'unwrapKey', algorithm: `A${size}KW`, inputKind: 'base64', input: field(wrapped, 'encryptedKey').base64, by: 'service' });
        assert.equal(field(unwrapped, 'key').hex, material.toString('hex'));
        e.panel.panel.dispose();
        w.panel.panel.dispose();
      }
    });

    it('refuses to open Sign / Verify on an AES key and Encrypt / Decrypt on an EC key, saying why', async () => {
      const aes = made.get('aes256') ?? (await createByQuickInput(hsmUrl, 'aes256', 'AES 256'));
      assert.equal(await run('keyVault.key.signVerify', aes.id), undefined);
      assert.match(prompts.notifications('error').at(-1) ?? '', /symmetric \(AES\) key: it cannot sign/);
      const ec = made.get('p256') ?? (await createByQuickInput(vaultUrl, 'p256', 'EC P-256'));
      assert.equal(await run('keyVault.key.encryptDecrypt', ec.id), undefined);
      assert.match(prompts.notifications('error').at(-1) ?? '', /EC key: it can only sign and verify/);
    });
  });

  describe('rotation', () => {
    it('rotates a key now: a new current version of the same type', async () => {
      const key = await createByQuickInput(vaultUrl, 'rotate-me', 'RSA 2048');
      const rotated = await run<KeyVaultKey | undefined>('keyVault.key.rotate', `${vaultUrl}/keys/${key.name}`);
      assert.ok(rotated);
      assert.notEqual(rotated.version, key.version);
      assert.equal(rotated.keyType, 'RSA');
      assert.equal(rotated.keySize, 2048);
      assert.match(prompts.notifications('info').at(-1) ?? '', /Rotated t\w+-rotate-me: new current version/);
      const versions: string[] = [];
      for await (const v of session.service.keys.listVersions(vaultUrl, key.name)) versions.push(v.version ?? '');
      assert.equal(versions.length, 2);
    });

    it('shows the rotation policy in words and saves an edited one (expiry, rotate after creation, notify before expiry)', async () => {
      const key = made.get('rotate-me') ?? (await createByQuickInput(vaultUrl, 'rotate-me', 'RSA 2048'));
      prompts
        .answerPick(/Rotation policy of/, /^New versions/)
        .answerPick(/Expiry of new versions/, '1 year')
        .answerPick(/Rotation policy of/, /automatic rotation|Rotate/)
        .answerPick(/Automatic rotation/, /after each version is created/)
        .answerPick(/this long after creation/, 'Custom…')
        .answerInput(/this long after creation/, '3d')
        .answerInput(/this long after creation/, '60 days')
        .answerPick(/Rotation policy of/, /^Notify|No expiry notification/)
        .answerPick(/Expiry notification of/, /Change the time before expiry/)
        .answerPick(/before .* expires/, '14 days')
        .answerPick(/Rotation policy of .*changed/, 'Save Policy');
      const saved = await run<{ lifetimeActions: unknown[]; expiryTime?: string } | undefined>('keyVault.key.rotationPolicy', key.id);
      assert.ok(saved, prompts.notifications('error').join(' '));
      assert.equal(saved.expiryTime, 'P1Y');
      assert.deepEqual(saved.lifetimeActions, [
        { action: 'Rotate', timeAfterCreate: 'P60D' },
        { action: 'Notify', timeBeforeExpiry: 'P14D' },
      ]);
      assert.match(prompts.validation.join(' '), /at least 7 days; P3D is 3 days/);
      assert.match(prompts.notifications('info').at(-1) ?? '', /Rotate 60 days after creation; Notify 14 days before expiry; New versions expire 1 year after creation/);
      const policy = await session.service.keys.getRotationPolicy(vaultUrl, key.name);
      assert.equal(policy.expiryTime, 'P1Y');
    });

    it('will not save a policy Key Vault refuses, and says why', async () => {
      const key = made.get('hsm-rsa') ?? (await createByQuickInput(hsmUrl, 'hsm-rsa', 'RSA 2048'));
      prompts
        .answerPick(/Rotation policy of/, /automatic rotation|Rotate/)
        .answerPick(/Automatic rotation/, /before each version expires/)
        .answerPick(/this long before expiry/, '30 days')
        .answerPick(/Rotation policy of .*changed/, 'Save Policy')
        .answerPick(/Rotation policy of .*changed/, 'Discard Changes');
      await run('keyVault.key.rotationPolicy', key.id);
      assert.match(prompts.notifications('error').join(' '), /needs an expiry time/);
      const notifyOffered = prompts.seen.some((s) => s.kind === 'pick' && s.items?.some((i) => /notification/i.test(i)));
      assert.equal(notifyOffered, false, 'a Managed HSM offers no Notify action');
    });
  });

  describe('lifecycle', () => {
    it('downloads the public key as PEM and JWK, copies the identifier, and shows details', async () => {
      const key = made.get('rsa2048') ?? (await createByQuickInput(vaultUrl, 'rsa2048', 'RSA 2048'));
      const pem = vscode.Uri.file(path.join(dir, 'pub.pem'));
      const jwk = vscode.Uri.file(path.join(dir, 'pub.jwk.json'));
      await run('keyVault.key.downloadPublicKey', key.id, { format: 'pem', file: pem });
      await run('keyVault.key.downloadPublicKey', key.id, { format: 'jwk', file: jwk });
      const fromPem = createPublicKey(readFileSync(pem.fsPath, 'utf8')).export({ format: 'jwk' });
      const fromJwk = JSON.parse(readFileSync(jwk.fsPath, 'utf8')) as Record<string, string>;
      assert.equal(fromPem.n, key.key.n);
      assert.equal(fromJwk.n, key.key.n);
      assert.equal(fromJwk.kty, 'RSA');
      for (const priv of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(fromJwk[priv], undefined);
      // The browser writes the clipboard only while the workbench document has focus (a disposed webview may have had it).
      await run('workbench.action.focusSideBar');
      const id = await run<string>('keyVault.key.copyIdentifier', `${vaultUrl}/keys/${key.name}`);
      await waitFor('the identifier is on the clipboard', async () => ((await vscode.env.clipboard.readText()) === id ? true : undefined), 5000);
      assert.equal(id, `${vaultUrl}/keys/${key.name}`);
      const doc = await run<vscode.TextDocument>('keyVault.key.showDetails', key.id);
      assert.ok(doc);
      const details = JSON.parse(doc.getText()) as { type: string; publicKey: { n: string } };
      assert.match(details.type, /RSA \(RSA 2048-bit\)/);
      assert.equal(details.publicKey.n, key.key.n);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    it("edits a version's operations, expiration and tags in one save; the removed operation is then refused", async () => {
      const key = await createByQuickInput(vaultUrl, 'attrs', 'RSA 2048');
      assert.ok(key.keyOps.includes('encrypt'));
      prompts
        .answerPick(/Attributes of/, /^Operations/)
        .answerPick(/Permitted operations/, 'encrypt')
        .answerPick(/Permitted operations/, 'Done')
        .answerPick(/Attributes of .*changed/, /^Expiration/)
        .answerInput(/Expiration of/, '2030-13-01')
        .answerInput(/Expiration of/, '2030-06-30 12:00')
        .answerPick(/Attributes of .*changed/, /^Tags/)
        .answerInput(/Tags of/, 'env=prod, team=crypto')
        .answerPick(/Attributes of .*changed/, 'Save');
      const updated = await run<KeyVaultKey>('keyVault.key.editAttributes', key.id);
      assert.ok(updated, prompts.notifications('error').join(' '));
      assert.ok(!updated.keyOps.includes('encrypt'));
      assert.ok(updated.keyOps.includes('decrypt'));
      assert.equal(updated.attributes.expiresOn?.toISOString(), '2030-06-30T12:00:00.000Z');
      assert.deepEqual(updated.tags, { env: 'prod', team: 'crypto' });
      assert.match(prompts.validation.join(' '), /is not a date|YYYY-MM-DD/);
      const e = await openPanel('keyVault.key.encryptDecrypt', key.id);
      const r = await refused(e, { op: 'encrypt', algorithm: 'RSA-OAEP', inputKind: 'text', input: 'x', by: 'service' });
      assert.match(r.message, /does not permit encrypt/);
      // Local encryption needs only the public key, and decryption is still permitted.
      const ct = await operate(e, { op: 'encrypt', algorithm: 'RSA-OAEP', inputKind: 'text', input: 'still works', by: 'local' });
      assert.equal(field(await operate(e, { op: 'decrypt', algorithm: 'RSA-OAEP', inputKind: 'base64', input: field(ct, 'ciphertext').base64, by: 'service' }), 'plaintext').text, 'still works');
    });

    it('disables and enables one version', async () => {
      const key = made.get('rotate-me') ?? (await createByQuickInput(vaultUrl, 'rotate-me', 'RSA 2048'));
      prompts.answerModal(/Disable/, 'Disable');
      const off = await run<KeyVaultKey>('keyVault.key.disable', key.id);
      assert.equal(off?.attributes.enabled, false);
      assert.equal(off?.version, key.version);
      const on = await run<KeyVaultKey>('keyVault.key.enable', key.id);
      assert.equal(on?.attributes.enabled, true);
    });

    it('backs up, deletes, recovers, deletes, purges (typing the name) and restores from the backup', async () => {
      const key = await createByQuickInput(vaultUrl, 'lifecycle', 'EC P-256');
      const id = `${vaultUrl}/keys/${key.name}`;
      const backup = vscode.Uri.file(path.join(dir, `${key.name}.keybackup`));
      prompts.answerModal(/Back up key/, 'Choose File…');
      await run('keyVault.key.backup', id, backup);
      assert.ok(readFileSync(backup.fsPath).length > 0);
      prompts.answerModal(/Delete key/, 'Delete');
      await run('keyVault.key.delete', id);
      assert.match(prompts.notifications('info').at(-1) ?? '', /can be recovered until/);
      await run('keyVault.key.recover', `${vaultUrl}/deletedkeys/${key.name}`);
      assert.equal((await session.service.keys.get(vaultUrl, key.name)).name, key.name);
      prompts.answerModal(/Delete key/, 'Delete');
      await run('keyVault.key.delete', id);
      await waitFor('the key shows as deleted', () => session.service.keys.getDeleted(vaultUrl, key.name).then(() => true, () => undefined));
      prompts.answerInput(/Purge/, 'not-the-name').answerInput(/Purge/, key.name);
      await run('keyVault.key.purge', `${vaultUrl}/deletedkeys/${key.name}`);
      assert.match(prompts.validation.join(' '), /Type .* exactly to confirm/);
      await waitFor('the purge completes', () => session.service.keys.getDeleted(vaultUrl, key.name).then(() => undefined, () => true));
      const restored = await run<KeyVaultKey>('keyVault.key.restore', vaultUrl, backup);
      assert.equal(restored?.name, key.name);
      assert.equal(restored?.key.x, key.key.x, 'the same key material');
    });
  });

  describe('Managed HSM', () => {
    it('generates random bytes to the clipboard (hex) and an editor (base64)', async () => {
      await run('workbench.action.focusSideBar'); // the browser writes the clipboard only with the workbench focused
      const hex = await run<string>('keyVault.hsm.randomBytes', { hsm: hsmUrl, count: 32, format: 'hex', destination: 'clipboard' });
      assert.match(hex ?? '', /^[0-9a-f]{64}$/);
      await waitFor('the bytes are on the clipboard', async () => ((await vscode.env.clipboard.readText()) === hex ? true : undefined), 5000);
      assert.match(prompts.notifications('info').at(-1) ?? '', /Copied 32 random bytes \(hex\)/);
      prompts.answerInput(/Random bytes/, '500').answerInput(/Random bytes/, '16').answerPick(/Random bytes/, 'Base64').answerPick(/Random bytes/, 'Open in a New Editor');
      const b64 = await run<string>('keyVault.hsm.randomBytes', hsmUrl);
      assert.equal(Buffer.from(b64 ?? '', 'base64').length, 16);
      assert.match(prompts.validation.join(' '), /1 to 128 bytes/);
      assert.equal(vscode.window.activeTextEditor?.document.getText(), b64);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    it('refuses random bytes from a vault', async () => {
      await run('keyVault.hsm.randomBytes', { hsm: vaultUrl, count: 8, format: 'hex', destination: 'clipboard' });
      assert.match(prompts.notifications('error').at(-1) ?? '', /kv-demo is a key vault: this command needs a Managed HSM/);
    });

    it('adds a built-in role assignment and removes it again', async () => {
      const principalId = randomUUID();
      prompts.answerPick(/Add a role assignment/, 'Managed HSM Crypto User').answerInput(/Add a role assignment/, 'not-a-guid').answerInput(/Add a role assignment/, principalId).answerPick(/Add a role assignment/, 'All keys');
      const assignment = await run<{ name: string; principalId: string; scope?: string; roleDefinitionId: string }>('keyVault.hsm.addRoleAssignment', hsmUrl);
      assert.ok(assignment, prompts.notifications('error').join(' '));
      assert.equal(assignment.principalId, principalId);
      assert.match(assignment.roleDefinitionId, /21dbd100-6940-42c2-9190-5d6cb909625b/);
      assert.match(prompts.validation.join(' '), /object id/);
      const listed: string[] = [];
      for await (const a of session.service.hsm.listRoleAssignments(hsmUrl, '/keys')) listed.push(a.principalId);
      assert.ok(listed.includes(principalId));
      prompts.answerModal(/Remove this role assignment/, 'Remove');
      await run('keyVault.hsm.removeRoleAssignment', { assignment, parent: { hsmUrl, session } });
      const after: string[] = [];
      for await (const a of session.service.hsm.listRoleAssignments(hsmUrl, '/keys')) after.push(a.principalId);
      assert.ok(!after.includes(principalId));
    });

    it('changes an HSM setting', async () => {
      prompts.answerPick(/Settings of/, 'AllowKeyManagementOperationsThroughARM').answerPick(/AllowKeyManagementOperationsThroughARM/, 'true');
      const updated = await run<{ value: string }>('keyVault.hsm.updateSetting', hsmUrl);
      assert.equal(updated?.value, 'true');
      await run('keyVault.hsm.updateSetting', { hsm: hsmUrl, name: 'AllowKeyManagementOperationsThroughARM', value: false });
      assert.equal((await session.service.hsm.getSetting(hsmUrl, 'AllowKeyManagementOperationsThroughARM')).value, 'false');
    });
  });

  describe('from the palette', () => {
    it('picks vault → key → version when Download Public Key runs without an argument', async () => {
      const key = made.get('p256') ?? (await createByQuickInput(vaultUrl, 'p256', 'EC P-256'));
      const target = vscode.Uri.file(path.join(dir, 'palette.pem'));
      prompts.answerPick(/Download Public Key/, 'kv-demo').answerPick(/Download Public Key/, key.name).answerPick(/Download Public Key/, 'Current version').answerPick(/public key of/, 'PEM').answerSave(target);
      await run('keyVault.key.downloadPublicKey');
      assert.deepEqual(prompts.unexpected, []);
      assert.match(readFileSync(target.fsPath, 'utf8'), /-----BEGIN PUBLIC KEY-----/);
    });

    it('Show Key Details: vault → key → version numbered 1/3 to 3/3; Back goes one step back each time, and the older version picked is shown', async () => {
      const key = await createByQuickInput(vaultUrl, 'palette-back', 'EC P-256');
      await sleep(1100); // Key Vault dates versions to the second: the newer one must be newer.
      const rotated = await session.service.keys.rotate(vaultUrl, key.name);
      assert.notEqual(rotated.version, key.version);
      prompts
        .answerPick(/Show Key Details/, 'kv-demo')
        .answerPick(/Choose a key in kv-demo/, key.name)
        .answerPick(/Choose a version of/, BACK)
        .answerPick(/Choose a key in kv-demo/, BACK)
        .answerPick(/Show Key Details/, 'kv-demo')
        .answerPick(/Choose a key in kv-demo/, key.name)
        .answerPick(/Choose a version of/, key.version!);
      const doc = await run<vscode.TextDocument>('keyVault.key.showDetails');
      assert.ok(doc, prompts.notifications('error').join(' '));
      const details = JSON.parse(doc.getText()) as { name: string; version: string };
      assert.deepEqual([details.name, details.version], [key.name, key.version]);
      assert.deepEqual(prompts.pickSteps(/Show Key Details/), ['1/3', '2/3', '3/3', '2/3', '1/3', '2/3', '3/3']);
      const versions = prompts.seen.filter((s) => s.kind === 'pick' && /Choose a version of/.test(s.text)).at(-1)!.items!;
      assert.deepEqual(versions, ['Current version', rotated.version, key.version], 'current first, then the versions newest first');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    it('Recover Deleted Key from the palette lists only deleted keys (1/2, 2/2) and recovers the one picked', async () => {
      const key = await createByQuickInput(vaultUrl, 'palette-recover', 'EC P-256');
      await session.service.keys.delete(vaultUrl, key.name);
      await waitFor('the key shows as deleted', () => session.service.keys.getDeleted(vaultUrl, key.name).then(() => true, () => undefined));
      prompts.answerPick(/Recover Deleted Key/, 'kv-demo').answerPick(/Choose a deleted key in kv-demo/, key.name);
      const recovered = await run<KeyVaultKey>('keyVault.key.recover');
      assert.equal(recovered?.name, key.name, prompts.notifications('error').join(' '));
      assert.equal((await session.service.keys.get(vaultUrl, key.name)).version, key.version);
      assert.deepEqual(prompts.pickSteps(/Recover Deleted Key/), ['1/2', '2/2']);
      const listed = prompts.seen.find((s) => /Choose a deleted key/.test(s.text))!.items!;
      assert.ok(listed.includes(key.name), listed.join(', '));
      const live: string[] = [];
      for await (const k of session.service.keys.list(vaultUrl)) live.push(k.name);
      const stillLive = listed.filter((n) => n !== key.name && live.includes(n));
      assert.deepEqual(stillLive, [], 'no live key among the deleted ones');
    });
  });
});
