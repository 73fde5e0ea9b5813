import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { badParameter } from './errors';

// Backups are opaque to clients, as on Key Vault: JSON sealed with AES-256-GCM under a per-process key,
// base64url-encoded. A tampered or foreign blob fails authentication and is refused.
let backupKey: Buffer = randomBytes(32);

/** Keeps backups restorable across `--state` restarts by deriving the key from persisted material. */
export function setBackupKeySeed(seed: string): void {
  backupKey = createHash('sha256').update(`kv-emulator-backup:${seed}`).digest();
}

const MAGIC = Buffer.from('KVEMUBK1');

export function sealBackup(family: string, payload: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', backupKey, iv);
  cipher.setAAD(Buffer.from(family));
  const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]).toString('base64url');
}

export function openBackup<T>(family: string, blob: unknown): T {
  if (typeof blob !== 'string' || blob.length === 0) throw badParameter('The backup blob is required (property "value").');
  const raw = Buffer.from(blob, 'base64url');
  if (raw.length < MAGIC.length + 28 || !raw.subarray(0, MAGIC.length).equals(MAGIC)) throw badParameter('Backup blob contains invalid or corrupt version.');
  try {
    const iv = raw.subarray(8, 20);
    const tag = raw.subarray(20, 36);
    const decipher = createDecipheriv('aes-256-gcm', backupKey, iv);
    decipher.setAAD(Buffer.from(family));
    decipher.setAuthTag(tag);
    const json = Buffer.concat([decipher.update(raw.subarray(36)), decipher.final()]).toString('utf8');
    return JSON.parse(json) as T;
  } catch {
    throw badParameter(`Backup blob is corrupt or was not made for ${family} by this service.`);
  }
}
