import { CLOUDS } from '../../src/azure/clouds';
import type { KeyVaultClientConfig } from '../../src/keyvault/http/client';
import { createKeyVaultService, type KeyVaultService } from '../../src/keyvault/service';
import type { ReadyInfo } from '../emulator';
import { credentialFor, type IdentityHandle } from './emulator';

/** Our service layer wired to the emulator: every emulator origin is an explicitly added custom endpoint. */
export function serviceFor(ready: ReadyInfo, handle: IdentityHandle = 'app', overrides: Partial<KeyVaultClientConfig> = {}): KeyVaultService {
  return createKeyVaultService({
    credential: credentialFor(ready, handle),
    cloud: CLOUDS[0]!,
    customEndpoints: ready.containers.map((c) => ({ origin: c.url, authorityHost: ready.authorityHost })),
    userAgentPrefix: 'keyvault-explorer-test/0.0.0',
    retry: () => ({ maxRetries: 3, baseDelayMs: 20, maxDelayMs: 200, maxRetryAfterMs: 5_000 }),
    ...overrides,
  });
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}
