import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkbench, type Workbench } from '../test/vscode/harness/browser';
import { installExtension, QUIET_SETTINGS, startCodeServer, writeUserSettings, type CodeServer } from '../test/vscode/harness/codeServer';
import { runProcess } from '../test/vscode/harness/processes';
import { provision } from '../test/vscode/harness/provision';
import { startEmulatorProcess } from './lib/emulator-process';
import { median } from './lib/clients';
import type { BenchContext, BenchRow } from './lib/types';

// `activation`: our activate() as the extension host runs it in code-server (fresh profile each start, median of
// several), and the time from clicking the Key Vault icon to the first vaults listed (emulator session).

const STARTS = 3;

function findLog(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) {
      const found = findLog(full);
      if (found) return found;
    } else if (/Azure Key Vault\.log$/.test(full)) return full;
  }
  return undefined;
}

async function waitFor<T>(fn: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export default async function activation(ctx: BenchContext): Promise<BenchRow[]> {
  const provisioned = await provision();
  const work = join(ctx.repoRoot, 'test-results', 'bench-activation');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const vsix = join(work, 'ext.vsix');
  await runProcess('package', process.execPath, [join(ctx.repoRoot, 'scripts', 'package.js'), '--out', vsix], { cwd: ctx.repoRoot, logFile: join(work, 'package.log'), timeoutMs: 180_000 });
  const emulator = await startEmulatorProcess(ctx, ['--seed', 'demo']);
  const activations: number[] = [];
  const firstTree: number[] = [];
  try {
    for (let i = 0; i < Math.max(1, Math.round(STARTS * ctx.scale)); i++) {
      const profile = { userDataDir: join(work, `user-${i}`), extensionsDir: join(work, `ext-${i}`) };
      const folder = join(work, 'workspace');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'README.md'), '# bench\n');
      writeUserSettings(profile, QUIET_SETTINGS);
      await installExtension(provisioned, profile, vsix, join(work, 'install.log'));
      let server: CodeServer | undefined;
      let workbench: Workbench | undefined;
      try {
        server = await startCodeServer(provisioned, {
          profile,
          folder,
          env: { KEYVAULT_EMULATOR_READY_FILE: emulator.readyFile, NODE_EXTRA_CA_CERTS: ctx.caCertFile },
          logFile: join(work, `code-server-${i}.log`),
        });
        workbench = await openWorkbench(provisioned.chromium, server.url(folder));
        const page = workbench.page;
        const icon = page.locator('.activitybar a[aria-label^="Key Vault"], .activitybar .action-label[aria-label^="Key Vault"]').first();
        await icon.waitFor({ state: 'visible', timeout: 60_000 });
        const clicked = performance.now();
        await icon.click();
        await page.locator('.monaco-list-row', { hasText: 'kv-demo' }).first().waitFor({ state: 'visible', timeout: 60_000 });
        firstTree.push(performance.now() - clicked);
        const ms = await waitFor(
          () => {
            const log = findLog(join(profile.userDataDir, 'logs'));
            const m = log ? /activated in ([\d.]+) ms/.exec(readFileSync(log, 'utf8')) : null;
            return m ? Number(m[1]) : undefined;
          },
          60_000,
          'the activation line in the extension log',
        );
        activations.push(ms);
        ctx.log(`activation: start ${i + 1}: activate() ${ms} ms, first vaults ${Math.round(firstTree.at(-1)!)} ms after the click`);
      } finally {
        await workbench?.close();
        await server?.stop();
      }
    }
  } finally {
    await emulator.stop();
  }
  return [
    { name: 'activation', unit: 'ms', ours: Number(median(activations).toFixed(1)), peer: null, goal: '<= 50', note: `activate() in code-server's extension host, measured inside activate() (performance.now), fresh profile per start, median of ${activations.length}: ${activations.join(', ')} ms.` },
    { name: 'first-tree-page', unit: 'ms', ours: Math.round(median(firstTree)), peer: null, goal: '', note: `From clicking the Key Vault icon to the emulator's vaults listed in the tree (includes view creation, token and ARM discovery), median of ${firstTree.length}.` },
  ];
}
