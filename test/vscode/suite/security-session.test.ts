// Secret and token hygiene, in a real VS Code (code-server) against the emulator: a scripted session runs every
// command of every family with the extension's log at Trace (the Azure SDK's verbose log included), creating,
// importing, copying, revealing, exporting, deleting and restoring with fresh values, key material and passwords.
// Then it searches everything a user or a disk could see for them: the log file, the whole user-data folder (logs,
// globalState/workspaceState databases, persisted webview state, backups), what the prompts and notifications
// showed, every tree label, description and tooltip, and the clipboard after its clear time. It also checks each
// panel it opened (CSP, nonce, handlers, resource roots) and sends them malformed messages. The values go (hex) to
// test-results/vscode/hygiene/ for the final scan after every suite (test/vscode/ui/security-hygiene.last.ui.ts).
//
// The root hook below turns the extension's log to Trace before any suite runs, so every suite of the tier runs
// with the most verbose logging, as a user would set it with the gear of the Output view.
import * as assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AccountSession } from '../../../src/accounts/types';
import { AutoPrompts, type AutoPromptsContext, type Scripted } from '../../support/hygiene-prompts';
import { findInText, NEEDLES_FILE, scanTree, describeScan, writeNeedles, type Needle } from '../../support/hygiene';
import { connect, containerUrl, extensionApi, readReady, resultsDir, rowText, sleep, tierReadyFile, TreeAccess, waitFor, type Api, type PanelHost, type Ready, type TreeNodeLike } from '../../support/hygiene-suite';
import forge from 'node-forge';
import { issue, LocalCa, pfxOf, rsaKey, keyPemOf } from '../../unit/certificates-ui-fixtures';

const run = (command: string, ...args: unknown[]) => vscode.commands.executeCommand(command, ...args);
const config = () => vscode.workspace.getConfiguration('keyVault');

/**
 * Sets the extension's log to Trace the way a user does: show its channel in the Output view, then the view's log
 * level Trace (the gear). Checked by a trace line reaching the log file; tried again while the view catches up.
 */
async function traceLogging(): Promise<boolean> {
  await extensionApi();
  for (let attempt = 0; attempt < 10; attempt++) {
    await run('keyVault.showLog');
    await sleep(300 + attempt * 200);
    await run('workbench.action.output.activeOutputLogLevel.1');
    // runCommand logs every command at trace level.
    await run('keyVault.refresh');
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      if (logFiles().some((f) => /\[trace\]/.test(readFileSync(f, 'utf8')))) {
        await run('workbench.action.closePanel');
        return true;
      }
      await sleep(200);
    }
  }
  await run('workbench.action.closePanel');
  return false;
}

// Root hook: before every suite of the tier, so all of them run with the most verbose logging. It never fails the
// tier: the session's own test says whether Trace was reached.
let traceOn = false;
before(async function () {
  this.timeout(90_000);
  traceOn = await traceLogging().catch(() => false);
  console.log(`[suite] extension log at Trace: ${traceOn}`);
});

/** The extension's log files (one per window session) under the user-data folder. */
function logFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      // VS Code rolls a log over when it grows (the Azure SDK's verbose lines add up): every part counts.
      else if (/^Azure Key Vault.*\.log$/.test(entry) && full.includes('keyvault-explorer')) found.push(full);
    }
  };
  walk(path.join(resultsDir(), 'user-data', 'logs'));
  return found;
}

/** KEYVAULT_SECURITY_KEEP=<dir>: a copy of the session's report and log outside test-results (which the next run empties). */
function keep(name: string, text: string): void {
  const dir = process.env.KEYVAULT_SECURITY_KEEP;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, name), text);
}

interface Outcome {
  command: string;
  ms: number;
  /** 'ok', 'error: …' (what the user was told), 'cancelled' (a prompt was dismissed), 'timeout'. */
  result: string;
}

describe('Secret and token hygiene: a full session at Trace level, then a search for every value', function () {
  this.timeout(600_000);
  let api: Api;
  let ready: Ready;
  let readyFile: string;
  let session: AccountSession;
  let tree: TreeAccess;
  let vault: string;
  let hsm: string;
  let dir: string;
  const tag = Math.random().toString(36).slice(2, 7);
  const needles: Needle[] = [];
  const outcomes: Outcome[] = [];
  /** What the searches covered, for docs/SECURITY.md (written to hygiene/session.json). */
  const figures: Record<string, number> = {};
  const failures: string[] = [];
  const invoked = new Set<string>();
  let counter = 0;
  const remember = (label: string, value: string): string => {
    needles.push({ label, value });
    return value;
  };
  const newValue = (label: string): string => remember(label, `S3cr3t-${tag}-${randomBytes(12).toString('base64url')}-${counter++}`);
  const newName = (prefix: string): string => `${prefix}-${tag}-${counter++}`;
  const files = new Map<string, vscode.Uri[]>();
  const ctx: AutoPromptsContext = {
    newValue,
    newName,
    passwords: [],
    saveTo: (suggested) => vscode.Uri.file(path.join(dir, `${counter++}-${suggested.replace(/[^\w.-]+/g, '_')}`)),
    openFor: (what) => {
      for (const [key, uris] of files) if (new RegExp(key, 'i').test(what)) return uris;
      return undefined;
    },
  };
  const prompts = new AutoPrompts(ctx);
  const passwords = ctx.passwords;

  /** Runs one command with the step's answers; records what the user was told; never hangs the session. */
  async function step(command: string, args: unknown[] = [], options: { scripted?: Scripted[]; prefer?: RegExp[]; names?: string[]; expect?: 'ok' | 'any' } = {}): Promise<unknown> {
    prompts.step(options.scripted ?? [], options.prefer ?? [new RegExp(`-${tag}-`), /^kv-demo$/, /^hsm-demo$/], options.names ?? []);
    const errorsBefore = prompts.errors.length + (api.certificates?.errors.length ?? 0) + (api.storage?.errors.length ?? 0);
    const started = Date.now();
    invoked.add(command);
    let result: unknown;
    let timedOut = false;
    await Promise.race([
      Promise.resolve(run(command, ...args)).then((r) => (result = r)),
      sleep(90_000).then(() => (timedOut = true)),
    ]);
    const shown = [...prompts.errors, ...(api.certificates?.errors ?? []), ...(api.storage?.errors ?? [])].slice(errorsBefore);
    const outcome = timedOut ? 'timeout' : shown.length ? `error: ${shown.join(' | ')}` : prompts.stuck.length ? `cancelled: ${prompts.stuck.splice(0).join(' | ')}` : 'ok';
    outcomes.push({ command, ms: Date.now() - started, result: outcome });
    // Recorded, not thrown: one family's test reports every command that did not go as expected.
    if (timedOut || ((options.expect ?? 'ok') === 'ok' && outcome !== 'ok')) failures.push(`${command}: ${outcome}`);
    return result;
  }

  const secretId = (name: string, version?: string) => `${vault}/secrets/${name}${version ? `/${version}` : ''}`;
  const keyId = (name: string, url = vault) => `${url}/keys/${name}`;
  const certId = (name: string) => `${vault}/certificates/${name}`;

  before(async function () {
    const file = tierReadyFile();
    if (!file) this.skip();
    readyFile = file!;
    ready = readReady(readyFile);
    vault = containerUrl(ready, 'kv-demo');
    hsm = containerUrl(ready, 'hsm-demo');
    api = await extensionApi();
    session = await connect(api, readyFile, vault);
    tree = new TreeAccess(api.tree!.provider);
    for (const family of [api.secrets, api.keys, api.certificates, api.storage, api.tree?.commands]) family?.setPrompts(prompts);
    dir = mkdtempSync(path.join(tmpdir(), 'kv-session-'));
    await config().update('clipboard.clearAfterSeconds', 3, vscode.ConfigurationTarget.Global);
    // The identities' client secrets are credentials too: they live in the ready file, nowhere else.
    for (const i of ready.identities) remember(`client secret of ${i.handle}`, i.clientSecret);
  });

  beforeEach(() => {
    failures.length = 0;
  });

  afterEach(() => {
    // Nothing a user read held a value: prompts, items, notifications, validation messages.
    const found = findInText(prompts.transcript.join('\n'), needles);
    assert.deepEqual(found, [], `prompts or notifications showed: ${found.join(', ')}`);
  });

  after(async () => {
    for (const family of [api?.secrets, api?.keys, api?.certificates, api?.storage, api?.tree?.commands]) family?.setPrompts(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await config().update('clipboard.clearAfterSeconds', undefined, vscode.ConfigurationTarget.Global);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // ---- secrets ----------------------------------------------------------------------------------------------------

  it('secrets: every command, with fresh values', async () => {
    const name = newName('sess-secret');
    await step('keyVault.secret.create', [vault], { scripted: [{ match: /Secret name/, answer: name }] });
    const doc = await vscode.workspace.openTextDocument({ content: `x ${newValue('selected text')} y`, language: 'plaintext' });
    const editor = await vscode.window.showTextDocument(doc);
    const selected = doc.getText().split(' ')[1]!;
    editor.selection = new vscode.Selection(0, 2, 0, 2 + selected.length);
    await step('keyVault.secret.createFromSelection', [], { scripted: [{ match: /Secret name/, answer: newName('sess-selection') }] });
    await run('workbench.action.revertAndCloseActiveEditor');
    const fileValue = newValue('file content');
    writeFileSync(path.join(dir, 'app.env'), fileValue);
    await step('keyVault.secret.createFromFile', [vscode.Uri.file(path.join(dir, 'app.env'))], { scripted: [{ match: /Secret name/, answer: newName('sess-file') }] });
    await step('keyVault.secret.newVersion', [secretId(name)]);
    await step('keyVault.secret.reveal', [secretId(name)]);
    // Copy Value: the guarded clipboard clears it after 3 s (if it still holds it).
    await step('keyVault.secret.copyValue', [secretId(name)]);
    const copied = (await session.service.secrets.get(vault, name)).value ?? '';
    assert.equal(await vscode.env.clipboard.readText(), copied, 'the value was copied');
    await sleep(4500);
    assert.notEqual(await vscode.env.clipboard.readText(), copied, 'the clipboard still held the value after its clear time');
    await step('keyVault.secret.copyIdentifier', [secretId(name)]);
    await step('keyVault.secret.copyReference', [secretId(name)]);
    // A demo secret's value, read by Copy Value, is a value like any other.
    remember('demo secret database-password', (await session.service.secrets.get(vault, 'database-password')).value ?? '');
    await step('keyVault.secret.copyValue', [secretId('database-password')]);
    await step('keyVault.clearClipboard');
    assert.equal(await vscode.env.clipboard.readText(), '', 'Clear Clipboard emptied it');
    // Edit Value: an in-memory document; a new value saved as a new version; the editor closed.
    await step('keyVault.secret.editValue', [secretId(name)]);
    const valueDoc = await waitFor('the value document is open', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'keyvault-secret' && !d.isClosed && d.uri.path.endsWith(`/${name}`)));
    const valueEditor = await vscode.window.showTextDocument(valueDoc);
    const edited = newValue('edited in the editor');
    await valueEditor.edit((b) => b.replace(new vscode.Range(valueDoc.positionAt(0), valueDoc.positionAt(valueDoc.getText().length)), edited));
    // The edit is staged in memory first (kept out of VS Code's backups); an explicit Save stores it.
    await waitFor('the edit is staged', () => !valueDoc.isDirty, 5000);
    await run('workbench.action.files.save');
    await waitFor('the edit is saved as a version', async () => (await session.service.secrets.get(vault, name)).value === edited);
    await run('workbench.action.closeAllEditors');
    await step('keyVault.secret.editAttributes', [secretId(name)]);
    await step('keyVault.secret.showVersions', [secretId(name)], { expect: 'any' });
    await step('keyVault.secret.disable', [secretId(name)]);
    await step('keyVault.secret.enable', [secretId(name)]);
    const versions: string[] = [];
    for await (const v of session.service.secrets.listVersions(vault, name)) versions.push(v.version!);
    await step('keyVault.secret.restoreVersion', [secretId(name, versions[0])]);
    files.set('Restore Secret|secret backup|Backup', [vscode.Uri.file(path.join(dir, 'secret.backup'))]);
    await step('keyVault.secret.backup', [secretId(name)], { scripted: [{ match: /^save: /, answer: vscode.Uri.file(path.join(dir, 'secret.backup')) }] });
    await step('keyVault.secret.delete', [secretId(name)]);
    await step('keyVault.secret.recover', [`${vault}/deletedsecrets/${name}`]);
    await step('keyVault.secret.delete', [secretId(name)]);
    await step('keyVault.secret.purge', [`${vault}/deletedsecrets/${name}`], { names: [name] });
    await waitFor('the purge completes', async () => {
      for await (const d of session.service.secrets.listDeleted(vault)) if (d.name === name) return undefined;
      return true;
    });
    await step('keyVault.secret.restoreBackup', [vault]);
    assert.equal((await session.service.secrets.get(vault, name)).value !== undefined, true, 'restored');
    assert.deepEqual(failures, [], 'commands that did not go as expected');
  });

  // ---- keys -------------------------------------------------------------------------------------------------------

  it('keys and the Managed HSM: every command, with imported key material and crypto on secret data', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const passphrase = remember('key file passphrase', `pass-${tag}-${randomBytes(9).toString('base64url')}`);
    passwords.push(passphrase);
    const pem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
    const clearPem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const jwk = rsa.privateKey.export({ format: 'jwk' });
    for (const m of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) remember(`imported key ${m}`, jwk[m]!);
    remember('imported key PEM body', clearPem.split('\n').slice(1, 4).join(''));
    const keyFile = path.join(dir, 'import.pem');
    writeFileSync(keyFile, pem);
    const imported = newName('sess-imported');
    await step('keyVault.key.import', [{ container: vault, file: vscode.Uri.file(keyFile) }], { scripted: [{ match: /Import .* key into/, answer: imported }] });

    const created = newName('sess-key');
    await step('keyVault.key.create', [vault], { scripted: [{ match: /Create Key in/, answer: created }, { match: /Create Key/, answer: /RSA 2048/ }] });
    // The Create Key form: checked, sent malformed messages, then submitted.
    await step('keyVault.key.createWithOptions', [vault]);
    const form = api.keys!.createKeyPanels.list().at(-1)!;
    await checkPanel(form, 'Create Key');
    const formKey = newName('sess-form');
    await form.receive({ type: 'submit', form: { name: formKey, family: 'EC', protection: 'software', curve: 'P-256', keyOps: ['sign', 'verify'], enabled: true, tags: [], exportable: false, releasePolicyImmutable: false } });
    await waitFor('the form created its key', async () => session.service.keys.get(vault, formKey).then(() => true, () => undefined));

    // Crypto panels on the imported RSA key: encrypt and decrypt a secret plaintext, wrap and unwrap a secret key.
    await step('keyVault.key.encryptDecrypt', [keyId(imported)]);
    const cryptoPanel = api.keys!.cryptoPanels.list().at(-1)!;
    await checkPanel(cryptoPanel, 'Encrypt / Decrypt');
    const plaintext = newValue('plaintext to encrypt');
    await cryptoPanel.receive({ type: 'run', op: 'encrypt', algorithm: 'RSA-OAEP', inputKind: 'text', input: plaintext, by: 'service' });
    const cipher = await session.service.crypto.encrypt(keyId(imported), 'RSA-OAEP', new TextEncoder().encode(plaintext));
    await cryptoPanel.receive({ type: 'run', op: 'decrypt', algorithm: 'RSA-OAEP', inputKind: 'base64', input: Buffer.from(cipher.ciphertext).toString('base64'), by: 'service' });
    await cryptoPanel.receive({ type: 'copy', label: 'Plaintext', text: plaintext, sensitive: true });
    await step('keyVault.key.wrapUnwrap', [keyId(imported)]);
    const wrapPanel = api.keys!.cryptoPanels.list().at(-1)!;
    const secretKey = remember('key to wrap (hex)', randomBytes(32).toString('hex'));
    await wrapPanel.receive({ type: 'run', op: 'wrapKey', algorithm: 'RSA-OAEP', inputKind: 'hex', input: secretKey, by: 'service' });
    await step('keyVault.key.signVerify', [keyId(created)]);
    const signPanel = api.keys!.cryptoPanels.list().at(-1)!;
    await signPanel.receive({ type: 'run', op: 'sign', algorithm: 'RS256', inputKind: 'text', input: newValue('data to sign'), by: 'service' });

    await step('keyVault.key.rotate', [keyId(created)]);
    await step('keyVault.key.rotationPolicy', [keyId(created)], { expect: 'any' });
    await step('keyVault.key.downloadPublicKey', [keyId(imported), { format: 'pem', file: vscode.Uri.file(path.join(dir, 'public.pem')) }]);
    await step('keyVault.key.copyIdentifier', [keyId(imported)]);
    await step('keyVault.key.showDetails', [keyId(imported)]);
    await step('keyVault.key.disable', [keyId(created)]);
    await step('keyVault.key.enable', [keyId(created)]);
    const backup = vscode.Uri.file(path.join(dir, 'key.backup'));
    await step('keyVault.key.backup', [keyId(imported), backup]);
    await step('keyVault.key.delete', [keyId(imported)]);
    await step('keyVault.key.recover', [`${vault}/deletedkeys/${imported}`]);
    await step('keyVault.key.delete', [keyId(imported)]);
    await step('keyVault.key.purge', [`${vault}/deletedkeys/${imported}`], { names: [imported] });
    await waitFor('the key purge completes', async () => {
      for await (const d of session.service.keys.listDeleted(vault)) if (d.name === imported) return undefined;
      return true;
    });
    await step('keyVault.key.restore', [vault, backup]);

    await step('keyVault.hsm.randomBytes', [{ hsm, count: 32, format: 'hex', destination: 'clipboard' }]);
    remember('random bytes from the HSM', await vscode.env.clipboard.readText());
    const principal = randomUUID();
    await step('keyVault.hsm.addRoleAssignment', [hsm], { scripted: [{ match: /Add a role assignment/, answer: 'Managed HSM Crypto User' }, { match: /Add a role assignment/, answer: principal }] , prefer: [/All keys/] });
    await step('keyVault.hsm.removeRoleAssignment', [hsm], { prefer: [new RegExp(principal)] });
    await step('keyVault.hsm.updateSetting', [{ hsm, name: 'AllowKeyManagementOperationsThroughARM', value: false }]);
    assert.deepEqual(failures, [], 'commands that did not go as expected');
  });

  // ---- certificates -------------------------------------------------------------------------------------------------

  it('certificates: every command, with an imported PFX (password), a private-key download, a CSR signed and merged', async () => {
    const key = rsaKey();
    const cert = issue('session.contoso.example', key, { dnsNames: ['session.contoso.example'] });
    const pfxPassword = remember('PFX password', `pfx-${tag}-${randomBytes(9).toString('base64url')}`);
    passwords.push(pfxPassword);
    remember('imported certificate key PEM body', keyPemOf(key).split('\n').slice(1, 4).join(''));
    const pfxFile = path.join(dir, 'import.pfx');
    writeFileSync(pfxFile, pfxOf(key, [cert], pfxPassword));
    const importedName = newName('sess-cert-imported');
    await step('keyVault.certificate.import', [vault, { uri: vscode.Uri.file(pfxFile), name: importedName, password: pfxPassword }]);

    const selfSigned = newName('sess-cert');
    await step('keyVault.certificate.create', [vault, { name: selfSigned, options: { subject: 'CN=session.contoso.example', validityInMonths: 12, issuer: 'Self', keyType: 'RSA', keySize: 2048, contentType: 'PEM', exportable: true } }]);
    // The Create Certificate form (a panel): opened, then closed.
    await step('keyVault.certificate.create', [vault]);
    await run('workbench.action.closeActiveEditor');
    await step('keyVault.certificate.showDetails', [certId(selfSigned)]);
    await run('workbench.action.closeActiveEditor');
    const pemWithKey = vscode.Uri.file(path.join(dir, 'with-key.pem'));
    await step('keyVault.certificate.download', [certId(selfSigned), { format: 'pem-with-key', uri: pemWithKey }]);
    // What the user exported on purpose: its private key must be nowhere else.
    const exported = readFileSync(pemWithKey.fsPath, 'utf8');
    const keyBody = /-----BEGIN PRIVATE KEY-----\s*([\s\S]*?)-----END/.exec(exported)?.[1]?.replace(/\s+/g, '');
    assert.ok(keyBody, 'the download holds the private key');
    remember('downloaded certificate private key', keyBody.slice(0, 64));
    await step('keyVault.certificate.download', [certId(importedName), { format: 'pfx', uri: vscode.Uri.file(path.join(dir, 'download.pfx')) }]);
    await step('keyVault.certificate.copyThumbprint', [certId(selfSigned)]);
    await step('keyVault.certificate.copyIdentifier', [certId(selfSigned)]);
    await step('keyVault.certificate.editPolicy', [certId(selfSigned)]);
    await run('workbench.action.closeAllEditors');
    await step('keyVault.certificate.disable', [certId(selfSigned)]);
    await step('keyVault.certificate.enable', [certId(selfSigned)]);

    // A pending certificate (issuer Unknown): its operation, CSR, a local CA's signature, Merge.
    const pending = newName('sess-pending');
    await step('keyVault.certificate.create', [vault, { name: pending, options: { subject: 'CN=pending.contoso.example', validityInMonths: 12, issuer: 'Unknown', keyType: 'RSA', keySize: 2048, contentType: 'PFX' } }], { expect: 'any' });
    await step('keyVault.certificate.showOperation', [certId(pending)]);
    await run('workbench.action.closeActiveEditor');
    const csrFile = vscode.Uri.file(path.join(dir, 'pending.csr'));
    await step('keyVault.certificate.downloadCsr', [certId(pending), { uri: csrFile }]);
    const signed = new LocalCa().sign(readFileSync(csrFile.fsPath, 'utf8'));
    const signedFile = path.join(dir, 'signed.pem');
    writeFileSync(signedFile, forge.pki.certificateToPem(signed));
    await step('keyVault.certificate.merge', [certId(pending), { uri: vscode.Uri.file(signedFile) }]);
    const cancelled = newName('sess-cancel');
    await step('keyVault.certificate.create', [vault, { name: cancelled, options: { subject: 'CN=cancel.contoso.example', validityInMonths: 12, issuer: 'Unknown', keyType: 'RSA', keySize: 2048, contentType: 'PFX' } }], { expect: 'any' });
    await step('keyVault.certificate.cancelOperation', [certId(cancelled)]);
    await step('keyVault.certificate.deleteOperation', [certId(cancelled)], { expect: 'any' });

    const backup = vscode.Uri.file(path.join(dir, 'cert.backup'));
    await step('keyVault.certificate.backup', [certId(importedName), { uri: backup }]);
    await step('keyVault.certificate.delete', [certId(importedName)]);
    await step('keyVault.certificate.recover', [`${vault}/deletedcertificates/${importedName}`]);
    await step('keyVault.certificate.delete', [certId(importedName)]);
    await step('keyVault.certificate.purge', [`${vault}/deletedcertificates/${importedName}`], { names: [importedName] });
    await waitFor('the certificate purge completes', async () => {
      for await (const d of session.service.certificates.listDeleted(vault)) if (d.name === importedName) return undefined;
      return true;
    });
    await step('keyVault.certificate.restore', [vault, { uri: backup }]);
    await step('keyVault.certificate.manageIssuers', [vault], { expect: 'any' });
    await step('keyVault.certificate.manageContacts', [vault], { expect: 'any' });
    assert.deepEqual(failures, [], 'commands that did not go as expected');
  });

  // ---- storage ------------------------------------------------------------------------------------------------------

  it('managed storage accounts and SAS definitions: every command, with a signed SAS template', async () => {
    const account = newName('sessstore').replace(/-/g, '').slice(0, 24);
    const resourceId = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-session/providers/Microsoft.Storage/storageAccounts/${account}`;
    await step('keyVault.storage.add', [vault, { name: account, resourceId, activeKeyName: 'key1', autoRegenerateKey: false }]);
    const id = `${vault}/storage/${account}`;
    await step('keyVault.storage.showDetails', [id]);
    await step('keyVault.storage.regenerateKey', [id, 'key2']);
    const signature = remember('SAS template signature', randomBytes(32).toString('base64'));
    const sas = newName('sesssas').replace(/-/g, '');
    const templateUri = `https://${account}.blob.core.windows.net/?sv=2024-11-04&ss=b&srt=sco&sp=rl&se=2030-01-01T00%3A00%3A00Z&sig=${encodeURIComponent(signature)}`;
    await step('keyVault.storage.createSasDefinition', [id, { name: sas, sasType: 'account', templateUri, validityPeriod: 'PT2H' }]);
    const sasId = `${id}/sas/${sas}`;
    await step('keyVault.storage.showSasDefinition', [sasId], { expect: 'any' });
    await step('keyVault.storage.copySasSecretId', [sasId], { expect: 'any' });
    await step('keyVault.storage.deleteSasDefinition', [sasId], { expect: 'any' });
    await step('keyVault.storage.recoverSasDefinition', [`${vault}/deletedstorage/${account}/sas/${sas}`], { expect: 'any' });
    await step('keyVault.storage.delete', [id]);
    await step('keyVault.storage.recover', [`${vault}/deletedstorage/${account}`]);
    await step('keyVault.storage.delete', [id]);
    await step('keyVault.storage.purge', [`${vault}/deletedstorage/${account}`], { names: [account] });
    assert.deepEqual(failures, [], 'commands that did not go as expected');
  });

  // ---- the tree and the accounts ------------------------------------------------------------------------------------

  it('the tree and account commands', async () => {
    await step('keyVault.showLog');
    await run('workbench.action.closePanel');
    await step('keyVault.refresh');
    await step('keyVault.retry');
    await step('keyVault.learnMore');
    const scale = await tree.category('kv-scale', 'secrets');
    const more = (await tree.children(scale)).find((n) => /\/more$/.test(n.id));
    await step('keyVault.loadMore', [more]);
    const secrets = await tree.category('kv-demo', 'secrets');
    await step('keyVault.filter', [secrets], { scripted: [{ match: /[Ff]ilter/, answer: 'sess' }] });
    await step('keyVault.clearFilter', [secrets]);
    await step('keyVault.findObject', [], { expect: 'any' });
    await step('keyVault.openById', [`${vault}/secrets/database-password`], { expect: 'any' });
    await run('workbench.action.closeAllEditors');
    await step('keyVault.showProperties', [await tree.container('kv-demo')]);
    await step('keyVault.openInPortal', [await tree.container('kv-demo')]);
    await step('keyVault.addVaultByUrl', [hsm.replace('https://', '')]);
    await step('keyVault.removePinnedVault', [hsm]);
    const subscriptions = (ready as unknown as { subscriptions: { subscriptionId: string }[] }).subscriptions.map((s) => s.subscriptionId);
    await step('keyVault.selectSubscriptions', [subscriptions.slice(0, 1)]);
    await step('keyVault.selectSubscriptions', [subscriptions]);
    await step('keyVault.signIn', ['azureCli'], { expect: 'any' });
    await step('keyVault.signOut', ['identity:azureCli'], { expect: 'any' });
    await step('keyVault.useLocalEmulator', [readyFile]);
    await step('keyVault.signOut', ['emulator']);
    await step('keyVault.useLocalEmulator', [readyFile]);
    session = await connect(api, readyFile, vault);
    assert.deepEqual(failures, [], 'commands that did not go as expected');
  });

  it('commands no step above names (added since) run from the palette too, with every confirmation declined', async () => {
    const manifest = vscode.extensions.getExtension('keyvault-explorer.azure-keyvault-explorer')!.packageJSON as { contributes: { commands: { command: string }[] } };
    const rest = manifest.contributes.commands.map((c) => c.command).filter((c) => !invoked.has(c));
    prompts.confirmModals = false;
    try {
      for (const command of rest) await step(command, [], { expect: 'any' });
    } finally {
      prompts.confirmModals = true;
    }
    console.log(`[suite] security session: ${rest.length} command(s) run from the palette with confirmations declined${rest.length ? `: ${rest.join(', ')}` : ''}`);
  });

  it('ran every command the extension contributes', () => {
    const manifest = vscode.extensions.getExtension('keyvault-explorer.azure-keyvault-explorer')!.packageJSON as { contributes: { commands: { command: string }[] } };
    const contributed = manifest.contributes.commands.map((c) => c.command);
    const missing = contributed.filter((c) => !invoked.has(c));
    assert.deepEqual(missing, [], 'commands the session did not run');
    console.log(`[suite] security session: ${invoked.size} commands, ${outcomes.length} steps, ${needles.length} needles`);
  });

  // ---- the search ---------------------------------------------------------------------------------------------------

  it('no tree label, description or tooltip holds a value (every vault, category, object, version and deleted item)', async () => {
    const seen: TreeNodeLike[] = [];
    const visit = async (node: TreeNodeLike | undefined, depth: number): Promise<void> => {
      if (depth > 7 || seen.length > 3000) return;
      for (const child of await tree.children(node)) {
        seen.push(child);
        const found = findInText(rowText(await tree.item(child)), needles);
        assert.deepEqual(found, [], `${child.id} shows ${found.join(', ')}`);
        // kv-scale's 1,200 secrets add nothing here but time.
        if (!/\/more$/.test(child.id) && !(child.ref?.name === 'kv-scale')) await visit(child, depth + 1);
      }
    };
    await visit(undefined, 0);
    assert.ok(seen.length > 50, `walked ${seen.length} rows`);
    figures.treeRows = seen.length;
    console.log(`[suite] security session: ${seen.length} tree rows searched`);
  });

  it('the clipboard holds no value at the end', async () => {
    assert.deepEqual(findInText(await vscode.env.clipboard.readText(), needles), []);
  });

  it('the log was at Trace and holds no value, key, password or token', async () => {
    await sleep(1500);
    const logs = logFiles();
    assert.ok(logs.length > 0, 'found the extension log file');
    assert.ok(traceOn, 'the Output view set the extension log to Trace');
    const text = logs.map((f) => readFileSync(f, 'utf8')).join('\n');
    const traceLines = text.split('\n').filter((l) => /\[trace\]/.test(l)).length;
    assert.ok(traceLines > 50, `the log was at Trace (${traceLines} trace lines)`);
    keep('extension.log', text);
    const commandLines = text.split('\n').filter((l) => /\[trace\] command keyVault\./.test(l)).length;
    assert.ok(commandLines >= 50, `the log records the commands at Trace (${commandLines} lines)`);
    Object.assign(figures, { logFiles: logs.length, logLines: text.split('\n').length, logTraceLines: traceLines, logCommandLines: commandLines });
    assert.deepEqual(findInText(text, needles), []);
    // The malformed messages sent to the panels were dropped and logged, without their content.
    assert.ok(/dropped/.test(text), 'dropped messages are logged');
    assert.ok(!text.includes(MARKER), 'a dropped message was logged with its content');
    console.log(`[suite] security session: log ${logs.length} file(s), ${text.split('\n').length} lines (${traceLines} at trace) searched`);
  });

  it('the user-data folder (logs, global and workspace state databases, webview state, backups) holds none of them', async () => {
    await sleep(1000);
    const userData = path.join(resultsDir(), 'user-data');
    const result = scanTree(userData, needles);
    console.log(`[suite] ${describeScan('security session: user-data', result)}`);
    assert.ok(result.files > 20, `searched ${result.files} files`);
    Object.assign(figures, { userDataFiles: result.files, userDataBytes: result.bytes });
    assert.deepEqual(result.hits, []);
    writeNeedles(path.join(resultsDir(), NEEDLES_FILE), needles);
    const report = `${JSON.stringify({ commands: invoked.size, steps: outcomes.length, stepsOk: outcomes.filter((o) => o.result === 'ok').length, needles: needles.length, figures, outcomes }, null, 2)}\n`;
    writeFileSync(path.join(resultsDir(), 'hygiene', 'session.json'), report);
    keep('session.json', report);
  });
});

/**
 * A panel as loaded: CSP default-src 'none' with a nonce'd script (fresh per load), no inline handlers or scripts,
 * resources only from dist/webview and media, no command URIs, nothing retained when hidden; then malformed
 * messages are dropped without a reply or a crash.
 */
const nonces: string[] = [];
/** Sent to every panel inside malformed messages: it must never reach the log. */
const MARKER = 'SeCrEt-MaRkEr-of-a-malformed-message';

async function checkPanel(host: PanelHost, what: string): Promise<void> {
  const { html, options } = host.panel.webview;
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1]?.replace(/&#39;/g, "'") ?? '';
  assert.match(csp, /^default-src 'none';/, `${what}: CSP`);
  const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
  assert.ok(nonce && nonce.length >= 22, `${what}: a nonce of 128 bits`);
  assert.ok(!nonces.includes(nonce), `${what}: a fresh nonce for each load`);
  nonces.push(nonce);
  assert.ok(!/unsafe-inline|unsafe-eval/.test(csp), `${what}: no unsafe-*`);
  assert.equal([...html.matchAll(/<script\b[^>]*>/g)].length, 1, `${what}: one script`);
  assert.match(html, new RegExp(`<script nonce="${nonce!.replace(/[+/=]/g, (c) => `\\${c}`)}" src="[^"]+"></script>`), `${what}: the script carries the nonce and a src`);
  assert.ok(!/\son[a-z]+\s*=/i.test(html), `${what}: no inline event handlers`);
  assert.ok(!/javascript:/i.test(html), `${what}: no javascript: URLs`);
  const roots = (options.localResourceRoots ?? []).map((u) => u.path.replace(/.*\/(dist\/webview|media)$/, '$1'));
  assert.deepEqual(roots, ['dist/webview', 'media'], `${what}: resource roots`);
  assert.equal(options.enableCommandUris, false, `${what}: no command URIs`);
  assert.equal(host.panel.options.retainContextWhenHidden, false, `${what}: nothing retained when hidden`);
  for (const bad of [null, 42, 'ready', [], { type: 'nope' }, { type: 'submit' }, { type: 'run', op: 'sign', input: 'x'.repeat(10) }, { type: 'copy', text: 5 }, { type: 'ready', extra: MARKER }, { type: 'copy', label: 'x', text: MARKER, sensitive: 'yes' }]) await host.receive(bad);
}
