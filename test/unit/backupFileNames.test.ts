import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nameFromBackupFile } from '../../src/commands/backupFileNames';

describe('the object name a backup file was saved under', () => {
  it('reads it from <name>.<extension>, on any platform path', () => {
    assert.equal(nameFromBackupFile('/home/me/backups/signing-key.keybackup', 'keybackup'), 'signing-key');
    assert.equal(nameFromBackupFile('C:\\backups\\WebCert.CERTIFICATE-BACKUP', 'certificate-backup'), 'WebCert');
  });

  it('gives none for another extension, a renamed copy or an invalid name', () => {
    assert.equal(nameFromBackupFile('signing-key.certificate-backup', 'keybackup'), undefined);
    assert.equal(nameFromBackupFile('signing-key (1).keybackup', 'keybackup'), undefined);
    assert.equal(nameFromBackupFile('.keybackup', 'keybackup'), undefined);
    assert.equal(nameFromBackupFile('a.b.keybackup', 'keybackup'), undefined);
  });
});
