// Destructive operations ask, and cancelling at any prompt changes nothing, in a real VS Code (code-server) against
// the emulator: delete asks; purge asks and needs the typed name (a wrong name is refused inline); restore over an
// existing name asks (secrets, keys, certificates; dismissed, nothing is sent; accepted, Key Vault's refusal is shown and
// nothing is overwritten); restoring an old secret version, disabling a key or certificate, regenerating a storage key,
// cancelling a certificate operation and removing an HSM role assignment ask too. After every dismissal the vault
// is read back: the object is exactly as before.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AccountSession } from '../../../src/accounts/types';
import { connect, containerUrl, extensionApi, readReady, tierReadyFile, waitFor, type Api } from '../../support/hygiene-suite';
import { ScriptedPrompts } from './secrets-prompts';

const run = (command: string, ...args: unknown[]) => vscode.commands.executeCommand(command, ...args);
const tag = Math.random().toString(36).slice(2, 7);

describe('Destructive operations ask first; cancelling at each prompt changes nothing', function () {
  this.timeout(180_000);
  let api: Api;
  let session: AccountSession;
  let vault: string;
  let hsm: string;
  let dir: string;
  const prompts = new ScriptedPrompts();
  const families = () => [api.secrets, api.keys, api.certificates, api.storage];

  const count = async <T>(list: AsyncIterable<T>, where: (t: T) => boolean = () => true): Promise<number> => {
    let n = 0;
    for await (const x of list) if (where(x)) n++;
    return n;
  };
  const isDeleted = async (list: AsyncIterable<{ name: string }>, name: string) => (await count(list, (d) => d.name === name)) === 1;
  const errorsShown = () => [...prompts.notifications('error'), ...(api.certificates?.errors ?? []), ...(api.storage?.errors ?? [])];

  before(async function () {
    const file = tierReadyFile();
    if (!file) this.skip();
    const ready = readReady(file!);
    vault = containerUrl(ready, 'kv-demo');
    hsm = containerUrl(ready, 'hsm-demo');
    api = await extensionApi();
    session = await connect(api, file!, vault);
    for (const f of families()) f?.setPrompts(prompts);
    dir = mkdtempSync(path.join(tmpdir(), 'kv-destructive-'));
  });

  beforeEach(() => {
    prompts.reset();
    api.certificates?.errors.splice(0);
    api.storage?.errors.splice(0);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'passed') {
      assert.deepEqual(prompts.unexpected, [], 'prompts the test did not expect');
      assert.equal(prompts.pending, 0, 'a prompt the test expected never came');
    }
  });

  after(() => {
    for (const f of families()) f?.setPrompts(undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('secrets: Delete asks (dismissed: kept); Purge asks, then wants the exact name (dismissed or mistyped: kept)', async () => {
    const s = session.service.secrets;
    const name = `destroy-secret-${tag}`;
    await s.set(vault, name, 'keep me');
    prompts.answerModal(/Delete secret .*\?/, undefined);
    await run('keyVault.secret.delete', `${vault}/secrets/${name}`);
    assert.equal((await s.get(vault, name)).value, 'keep me');

    await s.delete(vault, name);
    await waitFor('deleted', () => isDeleted(s.listDeleted(vault), name));
    const deleted = `${vault}/deletedsecrets/${name}`;
    prompts.answerModal(/Purge secret .* for good\?/, undefined);
    await run('keyVault.secret.purge', deleted);
    prompts.answerModal(/for good/, 'Purge…').answerInput(/Type .* to purge/, undefined);
    await run('keyVault.secret.purge', deleted);
    prompts.answerModal(/for good/, 'Purge…').answerInput(/Type .* to purge/, name.toUpperCase()).answerInput(/Type .* to purge/, `${name}x`).answerInput(/Type .* to purge/, undefined);
    await run('keyVault.secret.purge', deleted);
    assert.deepEqual(prompts.validation, [`Type the name exactly: ${name}`, `Type the name exactly: ${name}`], `a wrong name is refused inline, twice (${JSON.stringify(prompts.seen.slice(-3))} ${JSON.stringify(prompts.unexpected)})`);
    assert.ok(await isDeleted(s.listDeleted(vault), name), 'still recoverable');
    assert.deepEqual(errorsShown(), []);
  });

  it('secrets: Restore over an existing name asks (dismissed: no new version); Restore This Version asks (dismissed: no new version)', async () => {
    const s = session.service.secrets;
    const name = `destroy-restore-${tag}`;
    await s.set(vault, name, 'first');
    await s.set(vault, name, 'second');
    const file = path.join(dir, `${name}.secret-backup`);
    writeFileSync(file, await s.backup(vault, name));
    const before = await count(s.listVersions(vault, name));
    prompts.answerPick(/Restore Secret from Backup/, 'kv-demo').answerOpen([vscode.Uri.file(file)]).answerModal(/already has a secret named/, undefined);
    await run('keyVault.secret.restoreBackup');
    const versions: string[] = [];
    for await (const v of s.listVersions(vault, name)) versions.push(v.version!);
    assert.equal(versions.length, before);
    prompts.answerModal(/Make the value of version/, undefined);
    await run('keyVault.secret.restoreVersion', `${vault}/secrets/${name}/${versions[0]}`);
    assert.equal(await count(s.listVersions(vault, name)), before);
    assert.equal((await s.get(vault, name)).value, 'second');
  });

  it('keys: Delete asks; Disable asks; Purge wants the exact name; Restore over an existing key asks (dismissed: nothing sent)', async () => {
    const k = session.service.keys;
    const name = `destroy-key-${tag}`;
    await k.create(vault, name, { kty: 'EC', curve: 'P-256' });
    const id = `${vault}/keys/${name}`;
    prompts.answerModal(/Delete key/, undefined);
    await run('keyVault.key.delete', id);
    prompts.answerModal(/Disable/, undefined);
    await run('keyVault.key.disable', id);
    const key = await k.get(vault, name);
    assert.equal(key.attributes.enabled, true);

    const backup = path.join(dir, `${name}.keybackup`);
    writeFileSync(backup, await k.backup(vault, name));
    const versions = await count(k.listVersions(vault, name));
    prompts.answerModal(/already has a key named/, undefined);
    await run('keyVault.key.restore', vault, vscode.Uri.file(backup));
    assert.equal(await count(k.listVersions(vault, name)), versions, 'the existing key is untouched');
    assert.equal((await k.get(vault, name)).key.x, key.key.x, 'same key material');
    assert.deepEqual(prompts.notifications('error'), [], 'nothing was sent, so nothing was refused');

    await k.delete(vault, name);
    await waitFor('deleted', () => isDeleted(k.listDeleted(vault), name));
    prompts.reset();
    prompts.answerInput(/Purge/, undefined);
    await run('keyVault.key.purge', `${vault}/deletedkeys/${name}`);
    prompts.answerInput(/Purge/, 'not-the-name').answerInput(/Purge/, undefined);
    await run('keyVault.key.purge', `${vault}/deletedkeys/${name}`);
    assert.equal(prompts.validation.length, 1);
    assert.ok(await isDeleted(k.listDeleted(vault), name), 'still recoverable');
  });

  it('certificates: Delete asks; Disable asks; Purge asks then wants the name; Cancel Operation asks; Restore over an existing name asks', async () => {
    const c = session.service.certificates;
    const name = `destroy-cert-${tag}`;
    await c.create(vault, name, { subject: 'CN=destroy.contoso.example', issuer: 'Self', validityInMonths: 12 } as never);
    await c.waitForOperation(vault, name);
    const id = `${vault}/certificates/${name}`;
    prompts.answerModal(/Delete certificate/, undefined);
    await run('keyVault.certificate.delete', id);
    prompts.answerModal(/Disable/, undefined);
    await run('keyVault.certificate.disable', id);
    const cert = await c.get(vault, name);
    assert.equal(cert.attributes.enabled, true);

    const backup = path.join(dir, `${name}.certificate-backup`);
    writeFileSync(backup, await c.backup(vault, name));
    const versions = await count(c.listVersions(vault, name));
    prompts.answerModal(/already has a certificate named/, undefined);
    await run('keyVault.certificate.restore', vault, { uri: vscode.Uri.file(backup) });
    assert.equal(await count(c.listVersions(vault, name)), versions);
    assert.deepEqual(errorsShown(), [], 'nothing was sent, so nothing was refused');

    const pending = `destroy-pending-${tag}`;
    await c.create(vault, pending, { subject: 'CN=pending.contoso.example', issuer: 'Unknown', validityInMonths: 12 } as never);
    prompts.reset();
    prompts.answerModal(/[Cc]ancel/, undefined);
    await run('keyVault.certificate.cancelOperation', `${vault}/certificates/${pending}`);
    assert.equal((await c.getOperation(vault, pending)).cancellationRequested ?? false, false, 'the operation was not cancelled');

    await c.delete(vault, name);
    await waitFor('deleted', () => isDeleted(c.listDeleted(vault), name));
    const deleted = `${vault}/deletedcertificates/${name}`;
    prompts.answerModal(/Purge/, undefined);
    await run('keyVault.certificate.purge', deleted);
    prompts.answerModal(/Purge/, 'Purge…').answerInput(/Type its name/, undefined);
    await run('keyVault.certificate.purge', deleted);
    assert.ok(await isDeleted(c.listDeleted(vault), name), 'still recoverable');
  });

  it('keys and certificates: Restore over an existing name, accepted with Try Anyway, gets Key Vault\'s refusal; nothing overwritten', async () => {
    const k = session.service.keys;
    const keyName = `destroy-anyway-${tag}`;
    const key = await k.create(vault, keyName, { kty: 'EC', curve: 'P-256' });
    const keyBackup = path.join(dir, `${keyName}.keybackup`);
    writeFileSync(keyBackup, await k.backup(vault, keyName));
    prompts.answerModal(/already has a key named/, 'Try Anyway');
    await run('keyVault.key.restore', vault, vscode.Uri.file(keyBackup));
    assert.equal((await k.get(vault, keyName)).key.x, key.key.x, 'same key material');
    const [refusal] = prompts.notifications('error');
    assert.match(refusal ?? '', /exist|conflict|already/i, `a clear refusal (${refusal})`);

    const c = session.service.certificates;
    const certName = `destroy-anyway-cert-${tag}`;
    await c.create(vault, certName, { subject: 'CN=anyway.contoso.example', issuer: 'Self', validityInMonths: 12 } as never);
    await c.waitForOperation(vault, certName);
    const certBackup = path.join(dir, `${certName}.certificate-backup`);
    writeFileSync(certBackup, await c.backup(vault, certName));
    const versions = await count(c.listVersions(vault, certName));
    prompts.answerModal(/already has a certificate named/, 'Try Anyway');
    await run('keyVault.certificate.restore', vault, { uri: vscode.Uri.file(certBackup) });
    assert.equal(await count(c.listVersions(vault, certName)), versions);
    assert.match(errorsShown().at(-1) ?? '', /exist|conflict|already/i, 'a clear refusal');
  });

  it('managed storage: Delete asks; Regenerate Key asks; Delete SAS Definition asks; Purge asks then wants the name', async () => {
    const st = session.service.storage;
    const name = `destroy${tag}`.slice(0, 24);
    await st.set(vault, name, { resourceId: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/${name}`, activeKeyName: 'key1', autoRegenerateKey: false } as never);
    const sas = `sas${tag}`;
    await st.setSasDefinition(vault, name, sas, { templateUri: `https://${name}.blob.core.windows.net/?sv=2024-11-04&ss=b&srt=sco&sp=rl&se=2030-01-01T00%3A00%3A00Z&sig=AAAA`, sasType: 'account', validityPeriod: 'PT2H' } as never);
    const before = await st.get(vault, name);
    const id = `${vault}/storage/${name}`;
    prompts.answerModal(/Stop managing storage account/, undefined);
    await run('keyVault.storage.delete', id);
    prompts.answerPick(/Regenerate/, 'key1').answerModal(/Regenerate/, undefined);
    await run('keyVault.storage.regenerateKey', id);
    prompts.answerModal(/Delete SAS definition/, undefined);
    await run('keyVault.storage.deleteSasDefinition', `${id}/sas/${sas}`);
    const after = await st.get(vault, name);
    assert.deepEqual(after.attributes?.updatedOn, before.attributes?.updatedOn, 'the account is unchanged');
    assert.ok(await st.getSasDefinition(vault, name, sas));

    await st.delete(vault, name);
    await waitFor('deleted', () => isDeleted(st.listDeleted(vault), name));
    const deleted = `${vault}/deletedstorage/${name}`;
    prompts.answerModal(/Purge storage account .* for good\?/, undefined);
    await run('keyVault.storage.purge', deleted);
    prompts.answerModal(/Purge storage account .* for good\?/, 'Purge…').answerInput(/Type its name/, undefined);
    await run('keyVault.storage.purge', deleted);
    assert.ok(await isDeleted(st.listDeleted(vault), name), 'still recoverable');
    assert.deepEqual(errorsShown(), []);
  });

  it('Managed HSM: Remove Role Assignment asks (dismissed: the assignment stays)', async () => {
    const h = session.service.hsm;
    const principal = '00000000-0000-0000-0000-0000000d3571';
    const assignment = await h.createRoleAssignment(hsm, { role: 'Managed HSM Crypto User', principalId: principal, scope: '/' });
    prompts.answerModal(/Remove this role assignment/, undefined);
    await run('keyVault.hsm.removeRoleAssignment', { assignment, parent: { hsmUrl: hsm, session } });
    assert.equal(await count(h.listRoleAssignments(hsm), (a) => a.principalId === principal), 1);
    await h.deleteRoleAssignment(hsm, assignment.name);
  });
});
