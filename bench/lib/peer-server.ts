import { createServer } from 'node:https';
import { createTlsMaterial } from '../../test/emulator/tls';

// The peer of `emulator-rps`: the least an HTTPS JSON server on this machine can do (TLS, keep-alive, a fixed body
// of the size of a secret bundle), so the ratio shows what the emulator's own work costs. Run as its own process.
const caDir = process.argv[2];
if (!caDir) {
  console.error('usage: peer-server.ts <ca-dir>');
  process.exit(2);
}
const tls = createTlsMaterial(caDir);
const body = JSON.stringify({
  value: 'benchmark-value-0123456789',
  id: 'https://127.0.0.1:1/secrets/bench-secret/0123456789abcdef0123456789abcdef',
  attributes: { enabled: true, created: 1767225600, updated: 1767225600, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90 },
  tags: { purpose: 'benchmark' },
});
const server = createServer({ key: tls.keyPem, cert: tls.certPem, keepAlive: true }, (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
