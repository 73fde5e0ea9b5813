import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { customCloud, type CloudDefinition } from '../clouds';
import type { CustomEndpoint } from '../../keyvault/http/trust';
import type { IdentityModule } from './identity';

/**
 * The fields of the local emulator's ready file (test/emulator/emulator.ts ReadyInfo) that the extension uses.
 * The file holds a client secret for the emulator's own token service: it is read, never copied anywhere.
 */
export interface EmulatorReadyInfo {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  authorityHost: string;
  caCertFile: string;
  armEndpoint: string;
  vaults: { name: string; url: string }[];
  managedHsms: { name: string; url: string }[];
}

export class ReadyFileError extends Error {
  override readonly name = 'ReadyFileError';
}

function httpsOrigin(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new ReadyFileError(`The ready file has no ${field}.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ReadyFileError(`The ready file's ${field} is not a URL.`);
  }
  if (url.protocol !== 'https:') throw new ReadyFileError(`The ready file's ${field} must use https (found ${url.protocol}).`);
  return url.origin;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ReadyFileError(`The ready file has no ${field}.`);
  return value;
}

function containers(value: unknown, field: string): { name: string; url: string }[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ReadyFileError(`The ready file's ${field} is not a list.`);
  return value.map((c: { name?: unknown; url?: unknown }, i) => ({ name: text(c?.name, `${field}[${i}].name`), url: httpsOrigin(c?.url, `${field}[${i}].url`) }));
}

/** Checks a ready file's JSON; every problem names the field. A relative caCertFile is relative to the file. */
export function parseReadyFile(json: string, file?: string): EmulatorReadyInfo {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(json) as Record<string, unknown>;
  } catch {
    throw new ReadyFileError('The ready file is not JSON (is the emulator still starting?).');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ReadyFileError('The ready file is not a JSON object.');
  const caCertFile = text(raw.caCertFile, 'caCertFile');
  return {
    tenantId: text(raw.tenantId, 'tenantId'),
    clientId: text(raw.clientId, 'clientId'),
    clientSecret: text(raw.clientSecret, 'clientSecret'),
    authorityHost: httpsOrigin(raw.authorityHost, 'authorityHost'),
    caCertFile: file && !isAbsolute(caCertFile) ? resolve(dirname(file), caCertFile) : caCertFile,
    armEndpoint: httpsOrigin(raw.armEndpoint, 'armEndpoint'),
    vaults: containers(raw.vaults, 'vaults'),
    managedHsms: containers(raw.managedHsms, 'managedHsms'),
  };
}

export interface LoadedEmulator {
  ready: EmulatorReadyInfo;
  /** PEM of the emulator's CA. */
  ca: string;
  /** Identifies this run of the emulator (ports and secret change when it restarts). */
  fingerprint: string;
}

export async function loadReadyFile(file: string): Promise<LoadedEmulator> {
  let json: string;
  try {
    json = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new ReadyFileError(code === 'ENOENT' ? `No emulator ready file at ${file} (is the emulator running?).` : `Cannot read the emulator ready file ${file} (${code ?? String(err)}).`);
  }
  const ready = parseReadyFile(json, file);
  let ca: string | undefined;
  let firstError: unknown;
  // A relative caCertFile was written relative to the emulator's working directory, which we do not know: try
  // beside the ready file (parseReadyFile's choice), then as given, then its name beside the ready file.
  const raw = (JSON.parse(json) as { caCertFile: string }).caCertFile;
  for (const candidate of [...new Set([ready.caCertFile, raw, join(dirname(file), basename(raw))])]) {
    try {
      ca = await readFile(candidate, 'utf8');
      ready.caCertFile = candidate;
      break;
    } catch (err) {
      firstError ??= err;
    }
  }
  if (ca === undefined) {
    throw new ReadyFileError(`Cannot read the emulator's CA certificate ${ready.caCertFile} (${(firstError as { code?: string }).code ?? String(firstError)}).`);
  }
  if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new ReadyFileError(`${ready.caCertFile} is not a PEM certificate.`);
  const fingerprint = JSON.stringify([ready.authorityHost, ready.armEndpoint, ready.clientId, ready.tenantId, ready.vaults, ready.managedHsms, ca.length]);
  return { ready, ca, fingerprint };
}

/** ARM = the emulator's Resource Manager, login = its token service. */
export function emulatorCloud(ready: EmulatorReadyInfo): CloudDefinition {
  return customCloud({ resourceManagerEndpoint: ready.armEndpoint, loginEndpoint: ready.authorityHost, displayName: 'Local emulator' });
}

/** Every emulator vault and HSM, added explicitly as a custom endpoint (exact origin, its authority, its CA). */
export function emulatorEndpoints(ready: EmulatorReadyInfo, ca: string): CustomEndpoint[] {
  return [...ready.vaults, ...ready.managedHsms].map((c) => ({ origin: c.url, authorityHost: ready.authorityHost, ca }));
}

/**
 * The emulator's app identity as a client-secret credential: its own authority (no instance discovery), any
 * tenant (the emulator has two; a vault in the second names it in its challenge), its CA for the token service.
 */
export function emulatorCredential(identity: IdentityModule, ready: EmulatorReadyInfo, httpClient?: HttpClient): TokenCredential {
  return new identity.ClientSecretCredential(ready.tenantId, ready.clientId, ready.clientSecret, {
    authorityHost: ready.authorityHost,
    disableInstanceDiscovery: true,
    additionallyAllowedTenants: ['*'],
    ...(httpClient ? { httpClient } : {}),
  });
}
