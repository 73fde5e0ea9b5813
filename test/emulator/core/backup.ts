import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { badParameter } from './errors';

// Backups are opaque to clients, as on Key Vault: JSON sealed with AES-256-GCM under a per-process key,
// base64url-encoded. A tampered or foreign blob fails authentication and is refused.
let backupKey: Buffer = randomBytes(32);
/**
 * Every key this process has sealed with. A test file may start a second emulator (with its own seed) while the first
 * still serves: backups the first made before that must keep restoring, as Key Vault restores a backup into any vault
 * of the same subscription and geography.
 */
const knownKeys: Buffer[] = [backupKey];

/** Keeps backups restorable across `--state` restarts by deriving the key from persisted material. */
export function setBackupKeySeed(seed: string): void {
  backupKey = createHash('sha256').update(`kv-emulator-backup:${seed}`).digest();
  if (!knownKeys.some((k) => k.equals(backupKey))) knownKeys.push(backupKey);
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
  const iv = raw.subarray(8, 20);
  const tag = raw.subarray(20, 36);
  for (const key of [backupKey, ...knownKeys.filter((k) => k !== backupKey)]) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(Buffer.from(family));
      decipher.setAuthTag(tag);
      const json = Buffer.concat([decipher.update(raw.subarray(36)), decipher.final()]).toString('utf8');
      return JSON.parse(json) as T;
    } catch {
      // Not sealed with this key (or tampered): try the next one.
    }
  }
  throw badParameter(`Backup blob is corrupt or was not made for ${family} by this service.`);
}
