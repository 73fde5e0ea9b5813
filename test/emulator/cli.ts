import { parseArgs } from 'node:util';
import { startEmulator } from './emulator';

/** `npm run emulator -- [--ready-file F] [--seed demo|empty] [--state FILE] [--latency-ms N] [--token-lifetime S] [--base-port P]` */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'ready-file': { type: 'string' },
      seed: { type: 'string', default: 'demo' },
      state: { type: 'string' },
      'latency-ms': { type: 'string' },
      'token-lifetime': { type: 'string' },
      'base-port': { type: 'string' },
      'synthetic-subscriptions': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('Usage: npm run emulator -- [--ready-file F] [--seed demo|empty] [--state FILE] [--latency-ms N] [--token-lifetime S] [--base-port P] [--synthetic-subscriptions N]');
    return;
  }
  if (values.seed !== 'demo' && values.seed !== 'empty') throw new Error(`--seed must be demo or empty, not '${values.seed}'`);
  const num = (v: string | undefined, flag: string, rule: 'non-negative' | 'positive' | 'port' = 'non-negative'): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new Error(`${flag} must be a non-negative number, not '${v}'`);
    // A zero lifetime would issue tokens that are already expired.
    if (rule === 'positive' && n <= 0) throw new Error(`${flag} must be a positive number of seconds, not '${v}'`);
    if (rule === 'port' && (!Number.isInteger(n) || n < 1 || n > 65535 - 16)) throw new Error(`${flag} must be a port number from 1 to 65519, not '${v}'`);
    return n;
  };
  const emulator = await startEmulator({
    seed: values.seed,
    warmDemoKeys: true,
    ...(values['ready-file'] ? { readyFile: values['ready-file'] } : {}),
    ...(values.state ? { stateFile: values.state } : {}),
    ...(values['latency-ms'] !== undefined ? { latencyMs: num(values['latency-ms'], '--latency-ms') } : {}),
    ...(values['token-lifetime'] !== undefined ? { tokenLifetimeSeconds: num(values['token-lifetime'], '--token-lifetime', 'positive') } : {}),
    ...(values['base-port'] !== undefined ? { basePort: num(values['base-port'], '--base-port', 'port') } : {}),
    ...(values['synthetic-subscriptions'] !== undefined ? { syntheticSubscriptions: num(values['synthetic-subscriptions'], '--synthetic-subscriptions') } : {}),
  });
  const r = emulator.ready;
  console.log(`Key Vault emulator ready (pid ${process.pid})`);
  console.log(`  authority  ${r.authorityHost}  tenant ${r.tenantId}`);
  console.log(`  ARM        ${r.armEndpoint}`);
  for (const c of r.containers) console.log(`  ${c.kind.padEnd(5)} ${c.name.padEnd(14)} ${c.url}${c.firewall ? '  (firewalled)' : ''}`);
  console.log(`  CA         ${r.caCertFile}`);
  if (values['ready-file']) console.log(`  ready file ${values['ready-file']}`);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`emulator: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
