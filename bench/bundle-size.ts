import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext, BenchRow } from './lib/types';

// `bundle-size`: the minified extension bundle and the packaged .vsix, as a user downloads them.
// No peer: the goal is the budget (1.5 MB for the bundle). The largest inputs are listed from esbuild's metafile.

export default async function bundleSize(ctx: BenchContext): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kv-bench-vsix-'));
  const out = join(dir, 'bench.vsix');
  let vsix: number;
  try {
    const r = spawnSync(process.execPath, [join(ctx.repoRoot, 'scripts', 'package.js'), '--out', out], { cwd: ctx.repoRoot, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`packaging failed: ${r.stderr || r.stdout}`);
    vsix = statSync(out).size;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const bundle = statSync(join(ctx.repoRoot, 'dist', 'extension.js')).size;
  let largest = '';
  try {
    const meta = JSON.parse(readFileSync(join(ctx.repoRoot, 'dist', 'meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
    const inputs = meta.outputs['dist/extension.js']?.inputs ?? {};
    const byPackage = new Map<string, number>();
    for (const [file, { bytesInOutput }] of Object.entries(inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
      const key = m ? m[1]! : 'src (ours)';
      byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
    }
    largest = ` Largest parts: ${[...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${k} ${(v / 1024).toFixed(0)} KB`).join(', ')}.`;
  } catch {
    largest = '';
  }
  // Packages loaded at first use ship beside the bundle (esbuild.js LAZY_PACKAGES); they count for the download, not
  // for activation.
  const lazyDir = join(ctx.repoRoot, 'dist', 'lazy');
  const lazy = existsSync(lazyDir) ? readdirSync(lazyDir).filter((f) => f.endsWith('.js')).map((f) => ({ f, kb: Math.round(statSync(join(lazyDir, f)).size / 1024) })) : [];
  const lazyNote = lazy.length ? ` Loaded at first use, from dist/lazy/: ${lazy.map((l) => `${l.f} ${l.kb} KB`).join(', ')} (${lazy.reduce((a, l) => a + l.kb, 0)} KB).` : '';
  return [
    { name: 'bundle-size', unit: 'KB', ours: Math.round(bundle / 1024), peer: null, goal: '<= 1536', note: `dist/extension.js, production build (minified, source map outside the .vsix): what VS Code loads at activation.${largest}${lazyNote}` },
    { name: 'vsix-size', unit: 'KB', ours: Math.round(vsix / 1024), peer: null, goal: '<= 2048', note: 'The packaged .vsix (npm run package): bundle, webview scripts, media, README, CHANGELOG, LICENSE.' },
  ];
}
