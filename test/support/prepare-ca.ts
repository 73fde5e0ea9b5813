import { loadOrCreateCa } from '../emulator/tls';

// Creates (once) the CA that test processes trust through NODE_EXTRA_CA_CERTS; prints its file.
const dir = process.argv[2];
if (!dir) {
  console.error('usage: tsx test/support/prepare-ca.ts <dir>');
  process.exit(2);
}
console.log(loadOrCreateCa(dir).caCertFile);
