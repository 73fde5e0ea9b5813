import { ClientSecretCredential } from '@azure/identity';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { CLOUDS } from '../../src/azure/clouds';
import { createKeyVaultService, type KeyVaultService } from '../../src/keyvault/service';
import type { ReadyInfo } from '../../test/emulator/emulator';

export function credentialOf(ready: ReadyInfo): ClientSecretCredential {
  return new ClientSecretCredential(ready.tenantId, ready.clientId, ready.clientSecret, { authorityHost: ready.authorityHost, disableInstanceDiscovery: true, additionallyAllowedTenants: ['*'] });
}

/** Our service layer as the extension builds it, against an emulator whose origins are explicitly added. */
export function ourService(ready: ReadyInfo, credential = credentialOf(ready)): KeyVaultService {
  return createKeyVaultService({
    credential,
    cloud: CLOUDS[0]!,
    customEndpoints: ready.containers.map((c) => ({ origin: c.url, authorityHost: ready.authorityHost })),
    userAgentPrefix: 'keyvault-explorer-bench',
  });
}

/** Counts round trips of an official SDK client (a per-retry policy sees every attempt). */
export function countingPolicy(): { policy: PipelinePolicy; count: () => number } {
  let n = 0;
  return {
    policy: {
      name: 'benchCountingPolicy',
      sendRequest(request, next) {
        n++;
        return next(request);
      },
    },
    count: () => n,
  };
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
