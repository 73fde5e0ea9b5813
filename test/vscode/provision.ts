// Provisions code-server, Node 24 and chromium for the code-server tier (idempotent). .ci/run calls this first.
//   node --import tsx test/vscode/provision.ts
import { installExitHandlers } from './harness/processes';
import { provision } from './harness/provision';

installExitHandlers();
provision().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`provision: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
