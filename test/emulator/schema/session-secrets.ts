import { SecretClient } from '@azure/keyvault-secrets';
import { containerUrl, credentialFor, sdkOptions } from '../../support/emulator';
import { drainPages, fastPoll, uniqueName, type SessionContext } from './session-context';
import { expectStatus } from './session';

/** Every secrets operation through @azure/keyvault-secrets, plus the error paths a client meets. */
export async function secretsSession({ ready, raw, s }: SessionContext): Promise<void> {
  const client = new SecretClient(containerUrl(ready, 'kv-demo'), credentialFor(ready, 'app'), sdkOptions);
  const name = uniqueName('schema-secret');
  const now = Date.now();
  const v1 = await s.step('SetSecret with content type, tags, nbf and exp', () =>
    client.setSecret(name, 'first value', { contentType: 'text/plain', tags: { team: 'fidelity' }, notBefore: new Date(now - 60_000), expiresOn: new Date(now + 86_400_000) }),
  );
  await s.step('SetSecret a second version', () => client.setSecret(name, 'second value'));
  await s.step('GetSecret latest', () => client.getSecret(name));
  if (v1?.properties.version) {
    const version = v1.properties.version;
    await s.step('GetSecret by version', () => client.getSecret(name, { version }));
    await s.step('UpdateSecret of a version', () => client.updateSecretProperties(name, version, { tags: { team: 'fidelity', updated: 'yes' }, contentType: 'application/json', enabled: true }));
  } else {
    s.blocked('GetSecret by version / UpdateSecret', 'SetSecret');
  }
  await s.step('GetSecrets, several pages', () => drainPages(client.listPropertiesOfSecrets().byPage({ maxPageSize: 3 })));
  await s.step('GetSecretVersions', () => drainPages(client.listPropertiesOfSecretVersions(name).byPage({ maxPageSize: 1 })));
  const backup = await s.step('BackupSecret', () => client.backupSecret(name));
  await s.step('DeleteSecret', async () => (await client.beginDeleteSecret(name, fastPoll)).pollUntilDone());
  await s.step('GetDeletedSecret', () => client.getDeletedSecret(name));
  await s.step('GetDeletedSecrets', () => drainPages(client.listDeletedSecrets().byPage({ maxPageSize: 2 })));
  await s.step('RecoverDeletedSecret', async () => (await client.beginRecoverDeletedSecret(name, fastPoll)).pollUntilDone());
  await s.step('DeleteSecret again', async () => (await client.beginDeleteSecret(name, fastPoll)).pollUntilDone());
  await s.step('PurgeDeletedSecret', () => client.purgeDeletedSecret(name));
  if (backup) await s.step('RestoreSecret after purge', () => client.restoreSecretBackup(backup));
  else s.blocked('RestoreSecret', 'BackupSecret');

  // Error paths: each must answer the contract's error body.
  await s.step('GetSecret of a missing secret is 404 SecretNotFound', async () => {
    expectStatus(await raw.request('kv-demo', 'GET', `/secrets/${uniqueName('missing')}/`), 404);
  });
  await s.step('GetSecret of a disabled demo secret is 403', async () => {
    expectStatus(await raw.request('kv-demo', 'GET', '/secrets/legacy-token-disabled/'), 403);
  });
  await s.step('SetSecret on a deleted name is 409', async () => {
    expectStatus(await raw.request('kv-demo', 'PUT', '/secrets/old-service-password', { body: { value: 'x' } }), 409);
  });
  await s.step('RestoreSecret of a corrupt blob is 400', async () => {
    expectStatus(await raw.request('kv-demo', 'POST', '/secrets/restore', { body: { value: 'bm90LWEtYmFja3Vw' } }), 400);
  });
  await s.step('GetSecret with an old api-version (7.0) still conforms', async () => {
    expectStatus(await raw.request('kv-demo', 'GET', '/secrets/database-password/', { apiVersion: '7.0' }), 200);
  });
}
