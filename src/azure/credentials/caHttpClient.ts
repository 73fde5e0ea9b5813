import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';
import { Agent } from 'node:https';

/**
 * An HTTP client that trusts one extra CA (a local emulator's), for the token service and Resource Manager of a
 * custom cloud. Node reads NODE_EXTRA_CA_CERTS only at start-up, so a VS Code started without it still works.
 * Requests that already carry an agent keep it.
 */
export function httpClientTrusting(caPem: string): HttpClient {
  const inner = createDefaultHttpClient();
  const agent = new Agent({ keepAlive: true, ca: caPem });
  return {
    sendRequest(request) {
      request.agent ??= agent;
      return inner.sendRequest(request);
    },
  };
}
