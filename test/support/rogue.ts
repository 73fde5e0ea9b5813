import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createTlsMaterial } from '../emulator/tls';

export interface SeenRequest {
  method: string;
  url: string;
  authorization?: string;
}

export interface RogueServer {
  origin: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/**
 * A small HTTPS server trusted through the emulator's CA, whose answers a test scripts: a host that names another
 * host's resource in its challenge, redirects elsewhere, or simply records whether a token ever reached it.
 */
export async function startRogueServer(handler: (req: IncomingMessage, res: ServerResponse, seen: SeenRequest[]) => void): Promise<RogueServer> {
  const tls = createTlsMaterial(process.env.KEYVAULT_EMULATOR_CA_DIR);
  const seen: SeenRequest[] = [];
  const server: Server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      handler(req, res, seen);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `https://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
