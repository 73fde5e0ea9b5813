// The code-server tier from the command line (scripts/test.js runs it; so can you):
//   node --import tsx test/vscode/run.ts [--report <file>] [--env KEY=VALUE]... [--only extension-host|ui]
// Exit code 0 only when both suites ran and nothing failed. The report is JSON (see harness/report.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, runCodeServerTier } from './harness/tier';

function parseArgs(argv: readonly string[]): { report: string; env: Record<string, string>; only?: string } {
  const env: Record<string, string> = {};
  let report = path.join(ROOT, 'test-results', 'vscode-report.json');
  let only: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--report' && value) {
      report = path.resolve(value);
      i++;
    } else if (arg === '--env' && value?.includes('=')) {
      env[value.slice(0, value.indexOf('='))] = value.slice(value.indexOf('=') + 1);
      i++;
    } else if (arg === '--only' && (value === 'extension-host' || value === 'ui')) {
      only = value;
      i++;
    } else {
      throw new Error(`unknown argument ${arg ?? ''}; usage: run.ts [--report FILE] [--env KEY=VALUE]... [--only extension-host|ui]`);
    }
  }
  return { report, env, ...(only ? { only } : {}) };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const result = await runCodeServerTier({
    env: args.env,
    runExtensionHost: args.only !== 'ui',
    runUi: args.only !== 'extension-host',
  });
  mkdirSync(path.dirname(args.report), { recursive: true });
  writeFileSync(args.report, `${JSON.stringify(result, null, 2)}\n`);
  const seconds = Object.entries(result.timingsMs)
    .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`)
    .join(', ');
  console.log(`[code-server tier] timings: ${seconds}`);
  const failed = (result.extensionHost?.failed ?? 0) + (result.ui?.failed ?? 0);
  return result.error !== undefined || failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
