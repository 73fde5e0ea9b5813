// Certificate workflows in a real VS Code (code-server) against the emulator the tier started: create (self-signed
// and issuer Unknown with a CSR signed here by a local CA, then merged), import PFX and PEM (checked locally first),
// downloads in every format parsed back, details and create panels, policy documents, issuers and contacts, and the
// lifecycle. Prompts are answered through the commands' Prompts seam.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AccountSession, AccountsModel } from '../../../src/accounts/types';
import { readPem, readPfx } from '../../../src/keyvault/certificates/pfx';
import { certificateDetails, readCertificates } from '../../../src/keyvault/certificates/x509';
import type { CertificateOperation } from '../../../src/keyvault/models/certificates';
import { derOf, issue, keyPemOf, LocalCa, pemOf, pfxOf, rsaKey } from '../../unit/certificates-ui-fixtures';
import { activatedExtension, waitFor as waitForValue, type Probe } from './helpers';
import { BACK, ScriptedPrompts } from './secrets-prompts';

interface TreeNodeLike {
  id: string;
  ref?: { name: string; url: string };
  family?: string;
  kind?: string;
  view?: { name: string; version?: string; enabled: boolean; family: string; pending?: boolean; thumbprint?: string };
  deletedGroup?: TreeNodeLike;
}

interface Api {
  accounts: AccountsModel & { whenLoaded(): Promise<void>; refresh(): Promise<void> };
  certificates?: {
    setPrompts(p: ScriptedPrompts | undefined): void;
    createPanels: { size: number };
    detailsPanels: { size: number };
    errors: string[];
    tree: { getChildren(node?: TreeNodeLike): Promise<TreeNodeLike[]>; refresh(node?: TreeNodeLike): void };
  };
}

const READY_FILE_ENV = 'KEYVAULT_TEST_EMULATOR_READY_FILE';
const config = () => vscode.workspace.getConfiguration('keyVault');
const run = <T = unknown>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(command, ...args);
const suffix = Math.random().toString(36).slice(2, 8);
const sha1 = (der: Uint8Array): string => createHash('sha1').update(der).digest('hex').toUpperCase();

// This suite's waits default to 15 s.
const waitFor = <T>(what: string, probe: Probe<T>, timeoutMs = 15_000): Promise<T> => waitForValue(what, probe, timeoutMs);

describe('Certificate workflows against the emulator', function () {
  this.timeout(120_000);
  let api: Api;
  let certs: NonNullable<Api['certificates']>;
  let session: AccountSession;
  let vaultUrl: string;
  let scratch: string;
  const prompts = new ScriptedPrompts();
  const ca = new LocalCa();

  const svc = () => session.service.certificates;
  const file = (name: string) => vscode.Uri.file(path.join(scratch, name));
  const idOf = (name: string) => `${vaultUrl}/certificates/${name}`;

  async function certificatesCategory(): Promise<TreeNodeLike> {
    const roots = await certs.tree.getChildren();
    const vault = await waitFor('kv-demo is in the tree', () => roots.find((n) => n.ref?.name === 'kv-demo'));
    return (await certs.tree.getChildren(vault)).find((c) => c.family === 'certificates')!;
  }
  async function certificateNode(name: string): Promise<TreeNodeLike> {
    const category = await certificatesCategory();
    return waitFor(`${name} is listed`, async () => {
      certs.tree.refresh(category);
      return (await certs.tree.getChildren(category)).find((n) => n.kind === 'object' && n.view?.name === name);
    });
  }
  async function deletedNode(name: string): Promise<TreeNodeLike> {
    const category = await certificatesCategory();
    return waitFor(`${name} is in the Deleted group`, async () => {
      certs.tree.refresh(category);
      await certs.tree.getChildren(category);
      return (await certs.tree.getChildren(category.deletedGroup!)).find((n) => n.view?.name === name);
    });
  }

  before(async function () {
    const readyFile = process.env[READY_FILE_ENV] ?? '';
    if (!readyFile || !existsSync(readyFile)) {
      console.log(`[suite] ${READY_FILE_ENV} is not set (the code-server tier starts the emulator): skipping the certificate tests`);
      this.skip();
    }
    const ready = JSON.parse(readFileSync(readyFile, 'utf8')) as { containers: { name: string; url: string }[] };
    vaultUrl = ready.containers.find((c) => c.name === 'kv-demo')!.url;
    api = (await activatedExtension()).exports as Api;
    assert.ok(api.certificates, 'the extension exposes the certificates test API under the test harness');
    certs = api.certificates;
    await api.accounts.whenLoaded();
    await run('keyVault.useLocalEmulator', readyFile);
    session = await waitFor('the emulator session is up', async () => {
      await api.accounts.refresh();
      return api.accounts.sessionFor(vaultUrl);
    });
    certs.setPrompts(prompts);
    scratch = mkdtempSync(path.join(tmpdir(), 'kv-certificates-'));
  });

  beforeEach(() => {
    prompts.reset();
    certs.errors.length = 0;
  });

  afterEach(function () {
    if (this.currentTest?.state === 'passed') {
      assert.deepEqual(prompts.unexpected, [], 'unexpected prompts');
      assert.equal(prompts.pending, 0, 'scripted answers left over');
    }
  });

  after(async () => {
    certs?.setPrompts(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of ['credential', 'emulator.readyFile']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await api?.accounts.refresh();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('creates a self-signed certificate that completes; the downloaded CER and PEM parse with the policy subject and SANs', async () => {
    const name = `selfsigned-${suffix}`;
    const op = await run<CertificateOperation>('keyVault.certificate.create', vaultUrl, {
      name,
      options: { subject: `CN=${name}.contoso.com, O=Contoso, C=US`, dnsNames: [`${name}.contoso.com`, 'contoso.com'], validityInMonths: 6, lifetimeAction: { action: 'EmailContacts', daysBeforeExpiry: 30 } },
    });
    assert.deepEqual(certs.errors, []);
    assert.equal(op?.status?.toLowerCase(), 'completed');

    await run('keyVault.certificate.download', idOf(name), { format: 'cer', uri: file(`${name}.cer`) });
    const der = readFileSync(file(`${name}.cer`).fsPath);
    const details = certificateDetails(der);
    assert.equal(details.subject, `CN=${name}.contoso.com, O=Contoso, C=US`);
    assert.deepEqual(details.subjectAlternativeNames.dnsNames, [`${name}.contoso.com`, 'contoso.com']);
    assert.equal(details.selfIssued, true);
    const months = (details.notAfter.getTime() - details.notBefore.getTime()) / (30.4 * 86_400_000);
    assert.ok(months > 5.5 && months < 6.5, `about 6 months of validity, got ${months.toFixed(1)}`);

    await run('keyVault.certificate.download', idOf(name), { format: 'pem', uri: file(`${name}.pem`) });
    const [pemDer] = readCertificates(readFileSync(file(`${name}.pem`).fsPath, 'utf8'));
    assert.equal(sha1(pemDer!), sha1(der));
    assert.doesNotMatch(readFileSync(file(`${name}.pem`).fsPath, 'utf8'), /PRIVATE KEY/);

    // The tree shows it with its thumbprint.
    const node = await certificateNode(name);
    assert.equal(node.view?.thumbprint, sha1(der));
  });

  it('downloads the PFX and PEM with the private key only after a warning, and both open with a key that matches', async () => {
    const name = `withkey-${suffix}`;
    await run('keyVault.certificate.create', vaultUrl, { name, options: { subject: `CN=${name}`, contentType: 'PFX' } });
    prompts.answerModal(/with its private key/, undefined);
    await run('keyVault.certificate.download', idOf(name), { format: 'pfx', uri: file(`${name}-cancelled.pfx`) });
    assert.equal(existsSync(file(`${name}-cancelled.pfx`).fsPath), false, 'nothing is written when the warning is dismissed');

    prompts.answerModal(/with its private key/, 'Download with Private Key');
    await run('keyVault.certificate.download', idOf(name), { format: 'pfx', uri: file(`${name}.pfx`) });
    const pfx = readPfx(readFileSync(file(`${name}.pfx`).fsPath), undefined);
    assert.equal(pfx.leaf.subject, `CN=${name}`);

    prompts.answerModal(/with its private key/, 'Download with Private Key');
    await run('keyVault.certificate.download', idOf(name), { format: 'pem-with-key', uri: file(`${name}-key.pem`) });
    const pem = readPem(readFileSync(file(`${name}-key.pem`).fsPath, 'utf8'), undefined);
    assert.equal(pem.leaf.thumbprintSha1, pfx.leaf.thumbprintSha1);
    assert.deepEqual(certs.errors, []);
  });

  it('issuer Unknown: the CSR downloads as PEM, a local CA signs it, the merge completes the certificate', async () => {
    const name = `unknown-${suffix}`;
    const op = await run<CertificateOperation>('keyVault.certificate.create', vaultUrl, {
      name,
      options: { subject: `CN=${name}.contoso.com`, dnsNames: [`${name}.contoso.com`], issuer: 'Unknown', lifetimeAction: { action: 'EmailContacts', lifetimePercentage: 90 } },
    });
    assert.equal(op?.status, 'inProgress');
    assert.equal(op?.issuerName, 'Unknown');
    const node = await certificateNode(name);
    assert.equal(node.view?.pending, true);

    await run('keyVault.certificate.downloadCsr', node, { uri: file(`${name}.csr`) });
    const csrPem = readFileSync(file(`${name}.csr`).fsPath, 'utf8');
    assert.match(csrPem, /^-----BEGIN CERTIFICATE REQUEST-----/);
    const signed = ca.sign(csrPem);
    writeFileSync(file(`${name}-signed.pem`).fsPath, pemOf(signed) + pemOf(ca.cert));

    await run('keyVault.certificate.merge', node, { uri: file(`${name}-signed.pem`) });
    assert.deepEqual(certs.errors, []);
    const after = await svc().getOperation(vaultUrl, name);
    assert.equal(after.status, 'completed');
    await run('keyVault.certificate.download', idOf(name), { format: 'cer', uri: file(`${name}.cer`) });
    const der = readFileSync(file(`${name}.cer`).fsPath);
    assert.equal(sha1(der), sha1(derOf(signed)));
    const details = certificateDetails(der);
    assert.equal(details.issuer, 'CN=Key Vault Explorer Test CA');
    assert.deepEqual(details.subjectAlternativeNames.dnsNames, [`${name}.contoso.com`]);
  });

  it('merging a file that is not a certificate says so, and the operation stays pending', async () => {
    const name = `badmerge-${suffix}`;
    await run('keyVault.certificate.create', vaultUrl, { name, options: { subject: `CN=${name}`, issuer: 'Unknown', lifetimeAction: { action: 'EmailContacts', lifetimePercentage: 90 } } });
    writeFileSync(file('not-a-cert.pem').fsPath, 'hello');
    await run('keyVault.certificate.merge', idOf(name), { uri: file('not-a-cert.pem') });
    assert.match(certs.errors.join('\n'), /not-a-cert\.pem does not hold a certificate to merge/);
    assert.equal((await svc().getOperation(vaultUrl, name)).status, 'inProgress');

    prompts.answerModal(/Cancel the pending operation/, 'Cancel Operation');
    await run('keyVault.certificate.cancelOperation', idOf(name));
    prompts.answerModal(/Delete the pending operation/, 'Delete Operation');
    await run('keyVault.certificate.deleteOperation', idOf(name));
    assert.deepEqual(certs.errors.slice(1), []);
  });

  it('imports a password-protected PFX: the password is asked for masked, a wrong one is asked again', async () => {
    const name = `imported-pfx-${suffix}`;
    const key = rsaKey();
    const leaf = issue(`${name}.contoso.com`, key, { dnsNames: [`${name}.contoso.com`] });
    writeFileSync(file(`${name}.pfx`).fsPath, pfxOf(key, [leaf], 'Correct-Horse-1'));
    prompts.answerInput(/protected by a password/, 'wrong-password').answerInput(/does not open this PFX/, 'Correct-Horse-1');
    await run('keyVault.certificate.import', vaultUrl, { uri: file(`${name}.pfx`), name });
    assert.deepEqual(certs.errors, []);
    const inputs = prompts.seen.filter((s) => s.kind === 'input');
    assert.equal(inputs.length, 2);
    assert.ok(inputs.every((s) => s.password), 'password prompts are masked');
    assert.ok(!prompts.transcript().includes('Correct-Horse-1'), 'the password appears in no prompt or message');
    const imported = await svc().get(vaultUrl, name);
    assert.equal(imported.thumbprint, sha1(derOf(leaf)));
  });

  it('imports PEM (certificate and key); refuses a key from another pair and an expired certificate unless the user agrees', async () => {
    const name = `imported-pem-${suffix}`;
    const key = rsaKey();
    const leaf = issue(`${name}.contoso.com`, key);
    writeFileSync(file(`${name}.pem`).fsPath, pemOf(leaf) + keyPemOf(key));
    await run('keyVault.certificate.import', vaultUrl, { uri: file(`${name}.pem`), name });
    assert.deepEqual(certs.errors, []);
    assert.equal((await svc().get(vaultUrl, name)).thumbprint, sha1(derOf(leaf)));

    writeFileSync(file('mismatch.pem').fsPath, pemOf(leaf) + keyPemOf(rsaKey()));
    await run('keyVault.certificate.import', vaultUrl, { uri: file('mismatch.pem'), name: `mismatch-${suffix}` });
    assert.match(certs.errors.join('\n'), /mismatch\.pem: The private key does not belong to the certificate/);

    const expiredKey = rsaKey();
    const expired = issue('expired.contoso.com', expiredKey, { notBefore: new Date(Date.now() - 100 * 86_400_000), notAfter: new Date(Date.now() - 5 * 86_400_000) });
    writeFileSync(file('expired.pem').fsPath, pemOf(expired) + keyPemOf(expiredKey));
    prompts.answerModal(/expired on/, undefined);
    await run('keyVault.certificate.import', vaultUrl, { uri: file('expired.pem'), name: `expired-${suffix}` });
    await assert.rejects(svc().get(vaultUrl, `expired-${suffix}`), (e: { status?: number }) => e.status === 404);
    prompts.answerModal(/expired on/, 'Import Expired Certificate');
    await run('keyVault.certificate.import', vaultUrl, { uri: file('expired.pem'), name: `expired-${suffix}` });
    assert.equal((await svc().get(vaultUrl, `expired-${suffix}`)).thumbprint, sha1(derOf(expired)));
  });

  it('opens the details panel for a certificate and the create panel for a vault', async () => {
    const name = `selfsigned-${suffix}`;
    const before = certs.detailsPanels.size;
    await run('keyVault.certificate.showDetails', idOf(name));
    assert.equal(certs.detailsPanels.size, before + 1);
    await run('keyVault.certificate.create', vaultUrl);
    assert.equal(certs.createPanels.size, 1);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('the panels are closed', () => certs.createPanels.size === 0 && certs.detailsPanels.size === 0);
  });

  it('edits the policy as a document: a valid save updates Key Vault, an invalid one says why and changes nothing', async () => {
    const name = `selfsigned-${suffix}`;
    const uri = await run<vscode.Uri>('keyVault.certificate.editPolicy', idOf(name));
    assert.ok(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    const policy = JSON.parse(doc.getText()) as { x509Properties: { validityInMonths: number }; lifetimeActions: unknown[] };
    assert.equal(policy.x509Properties.validityInMonths, 6);
    policy.x509Properties.validityInMonths = 18;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(policy, null, 2)));
    assert.equal((await svc().getPolicy(vaultUrl, name)).x509Properties.validityInMonths, 18);

    const bad = { ...policy, keyProperties: { keyType: 'RSA', keySize: 1024 } };
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(bad)))), /RSA key size 1024 is not supported/);
    assert.equal((await svc().getPolicy(vaultUrl, name)).keyProperties.keySize, 2048);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('copies the thumbprint and the identifier', async () => {
    const name = `selfsigned-${suffix}`;
    const cert = await svc().get(vaultUrl, name);
    await run('keyVault.certificate.copyThumbprint', idOf(name));
    assert.equal(await vscode.env.clipboard.readText(), cert.thumbprint);
    await run('keyVault.certificate.copyIdentifier', `${idOf(name)}/${cert.version}`);
    assert.equal(await vscode.env.clipboard.readText(), `${idOf(name)}/${cert.version}`);
  });

  it('disables and enables, backs up, deletes, recovers, purges (typed name) and restores from the backup', async () => {
    const name = `lifecycle-${suffix}`;
    await run('keyVault.certificate.create', vaultUrl, { name, options: { subject: `CN=${name}` } });
    prompts.answerModal(/Disable certificate/, 'Disable');
    await run('keyVault.certificate.disable', await certificateNode(name));
    assert.equal((await svc().get(vaultUrl, name)).attributes.enabled, false);
    await run('keyVault.certificate.enable', idOf(name));
    assert.equal((await svc().get(vaultUrl, name)).attributes.enabled, true);

    await run('keyVault.certificate.backup', idOf(name), { uri: file(`${name}.certificate-backup`) });
    assert.ok(readFileSync(file(`${name}.certificate-backup`).fsPath).length > 100);

    prompts.answerModal(/Delete certificate/, 'Delete');
    await run('keyVault.certificate.delete', await certificateNode(name));
    await run('keyVault.certificate.recover', await deletedNode(name));
    assert.equal((await svc().get(vaultUrl, name)).name, name);

    prompts.answerModal(/Delete certificate/, 'Delete');
    await run('keyVault.certificate.delete', idOf(name));
    prompts.answerModal(/Purge certificate/, 'Purge…').answerInput(/Type its name/, name.toUpperCase()).answerInput(/Type its name/, name);
    await run('keyVault.certificate.purge', await deletedNode(name));
    assert.ok(prompts.validation.some((m) => m.includes(`Type ${name} exactly`)), 'a wrong name is refused');
    await waitFor('the purge is done', async () => (await svc().getDeleted(vaultUrl, name).then(() => undefined, () => true)));

    await run('keyVault.certificate.restore', vaultUrl, { uri: file(`${name}.certificate-backup`) });
    assert.equal((await svc().get(vaultUrl, name)).name, name);
    assert.deepEqual(certs.errors, []);
  });

  describe('from the palette', () => {
    const name = `palette-${suffix}`;
    before(async () => {
      await run('keyVault.certificate.create', vaultUrl, { name, options: { subject: `CN=${name}` } });
      assert.equal((await svc().get(vaultUrl, name)).name, name);
    });

    it('Copy Certificate Identifier picks vault (1/2) → certificate (2/2) and copies the versionless id', async () => {
      await vscode.env.clipboard.writeText('untouched');
      prompts.answerPick(/Copy Certificate Identifier/, 'kv-demo').answerPick(/Choose a certificate in kv-demo/, name);
      const id = await run<string>('keyVault.certificate.copyIdentifier');
      assert.equal(id, idOf(name), certs.errors.join(' '));
      await waitFor('the identifier is on the clipboard', async () => ((await vscode.env.clipboard.readText()) === idOf(name) ? true : undefined), 5000);
      assert.deepEqual(prompts.pickSteps(), ['1/2', '2/2']);
    });

    it('Show Certificate Details: Back at the certificate step returns to the vault step; the panel opens for the one picked', async () => {
      const before = certs.detailsPanels.size;
      prompts
        .answerPick(/Show Certificate Details/, 'kv-demo')
        .answerPick(/Choose a certificate in kv-demo/, BACK)
        .answerPick(/Show Certificate Details/, 'kv-demo')
        .answerPick(/Choose a certificate in kv-demo/, name);
      await run('keyVault.certificate.showDetails');
      assert.deepEqual(certs.errors, []);
      assert.equal(certs.detailsPanels.size, before + 1);
      assert.deepEqual(prompts.pickSteps(), ['1/2', '2/2', '1/2', '2/2']);
      const back = prompts.seen.filter((s) => /Choose a certificate/.test(s.text)).map((s) => s.canGoBack);
      assert.deepEqual(back, [true, true]);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await waitFor('the panel is closed', () => certs.detailsPanels.size === before);
    });

    it('Recover Deleted Certificate picks among deleted certificates only and recovers the one picked', async () => {
      await svc().delete(vaultUrl, name);
      await waitFor('the certificate shows as deleted', () => svc().getDeleted(vaultUrl, name).then(() => true, () => undefined));
      prompts.answerPick(/Recover Deleted Certificate/, 'kv-demo').answerPick(/Choose a deleted certificate in kv-demo/, name);
      await run('keyVault.certificate.recover');
      assert.deepEqual(certs.errors, []);
      await waitFor('the certificate is back', () => svc().get(vaultUrl, name).then(() => true, () => undefined));
      assert.deepEqual(prompts.pickSteps(), ['1/2', '2/2']);
      const listed = prompts.seen.find((s) => /Choose a deleted certificate/.test(s.text))!.items!;
      assert.ok(listed.includes(name), listed.join(', '));
    });
  });

  it('manages contacts and issuers from quick picks; the issuer password is asked for masked', async () => {
    const email = `pki-${suffix}@contoso.com`;
    prompts
      .answerPick(/Certificate Contacts/, 'Add Contact…')
      .answerInput(/Email address/, 'not-an-email')
      .answerInput(/Email address/, email)
      .answerInput(/Name/, 'PKI Suite')
      .answerInput(/Phone/, '')
      .answerPick(/Certificate Contacts/, undefined);
    await run('keyVault.certificate.manageContacts', vaultUrl);
    assert.ok((await svc().getContacts(vaultUrl)).some((c) => c.email === email && c.name === 'PKI Suite'));
    assert.ok(prompts.validation.some((m) => /not a valid email/.test(m)));

    const issuer = `suite-ca-${suffix}`;
    prompts
      .answerPick(/Certificate Issuers/, 'Add Issuer…')
      .answerInput(/Issuer name/, 'Self')
      .answerInput(/Issuer name/, issuer)
      .answerInput(/Provider/, 'Test')
      .answerInput(/Account id/, 'acct-1')
      .answerInput(/password or API key/, 'issuer-Secret-42')
      .answerInput(/Organization id/, '')
      .answerInput(/Administrator email/, '')
      .answerPick(/Certificate Issuers/, undefined);
    await run('keyVault.certificate.manageIssuers', vaultUrl);
    assert.deepEqual(certs.errors, []);
    assert.ok(prompts.validation.some((m) => /built in/.test(m)), 'Self is refused as a name');
    assert.ok(prompts.seen.some((s) => s.kind === 'input' && /password or API key/.test(s.text) && s.password), 'the issuer password is masked');
    assert.ok(!prompts.transcript().includes('issuer-Secret-42'));
    const saved = await svc().getIssuer(vaultUrl, issuer);
    assert.equal(saved.provider, 'Test');
    assert.equal(saved.accountId, 'acct-1');

    prompts.reset();
    prompts
      .answerPick(/Certificate Issuers/, issuer)
      .answerPick(new RegExp(issuer), 'Delete…')
      .answerModal(/Delete issuer/, 'Delete')
      .answerPick(/Certificate Issuers/, undefined);
    await run('keyVault.certificate.manageIssuers', vaultUrl);
    await assert.rejects(svc().getIssuer(vaultUrl, issuer));
  });
});
