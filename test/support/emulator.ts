import { ClientSecretCredential } from '@azure/identity';
import { startEmulator, type Emulator, type EmulatorOptions, type ReadyInfo } from '../emulator';

/**
 * Starts an in-process emulator for a test file. The process must trust the emulator's CA at start-up:
 * `npm test` sets KEYVAULT_EMULATOR_CA_DIR and NODE_EXTRA_CA_CERTS (see scripts/test.js).
 */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  if (!process.env.NODE_EXTRA_CA_CERTS || !process.env.KEYVAULT_EMULATOR_CA_DIR) {
    throw new Error('Run emulator tests through `npm test` / `npm run test:unit`: they set NODE_EXTRA_CA_CERTS and KEYVAULT_EMULATOR_CA_DIR so that Node trusts the emulator CA.');
  }
  return startEmulator({ seed: 'empty', ...options });
}

export type IdentityHandle = 'app' | 'reader' | 'noaccess';

export function credentialFor(ready: ReadyInfo, handle: IdentityHandle = 'app', tenantId = ready.tenantId): ClientSecretCredential {
  const identity = ready.identities.find((i) => i.handle === handle);
  if (!identity) throw new Error(`no identity ${handle}`);
  return new ClientSecretCredential(tenantId, identity.clientId, identity.clientSecret, {
    authorityHost: ready.authorityHost,
    disableInstanceDiscovery: true,
    additionallyAllowedTenants: ['*'],
  });
}

export function containerUrl(ready: ReadyInfo, name: string): string {
  const c = ready.containers.find((x) => x.name === name);
  if (!c) throw new Error(`no container ${name}`);
  return c.url;
}

/** Options for the official SDK clients: the emulator's per-port origins are not subdomains of their challenge resource. */
export const sdkOptions = { disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 } } as const;
