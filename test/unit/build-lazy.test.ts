import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';

// The build rules that keep heavy packages out of activation (esbuild.js LAZY_PACKAGES), on small fixtures.
const root = resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const build = require(join(root, 'esbuild.js')) as { lazyPackagesPlugin: (from: string) => esbuild.Plugin; sharedVscodePlugin: esbuild.Plugin };

async function bundle(source: string, others: Record<string, string> = {}): Promise<{ text: string; errors: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'kv-build-lazy-'));
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, source);
    for (const [name, text] of Object.entries(others)) writeFileSync(join(dir, name), text);
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      external: ['vscode'],
      nodePaths: [join(root, 'node_modules')],
      logLevel: 'silent',
      plugins: [build.lazyPackagesPlugin('.'), build.sharedVscodePlugin],
    });
    return { text: result.outputFiles[0]!.text, errors: [] };
  } catch (err) {
    return { text: '', errors: ((err as { errors?: { text: string }[] }).errors ?? []).map((e) => e.text) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the build keeps heavy packages out of activation', () => {
  it('turns await import() of @azure/identity into a require of dist/lazy/identity.js, bundling none of it', async () => {
    const { text, errors } = await bundle(`export async function f() { return (await import('@azure/identity')).ClientSecretCredential; }`);
    assert.deepEqual(errors, []);
    assert.match(text, /require\("\.\/lazy\/identity\.js"\)/);
    assert.doesNotMatch(text, /msal/i, 'MSAL is not in the bundle');
  });

  it('refuses a static import of @azure/identity or the azureauth library', async () => {
    for (const pkg of ['@azure/identity', '@microsoft/vscode-azext-azureauth']) {
      const { errors } = await bundle(`import * as m from '${pkg}';\nexport const x = m;`);
      assert.equal(errors.length, 1, pkg);
      assert.match(errors[0]!, /loaded lazily/);
    }
  });

  it('gives node-forge a stand-in that loads dist/lazy/node-forge.js on first use, not at load', async () => {
    const { text, errors } = await bundle(`import forge from 'node-forge';\nexport const f = () => forge.asn1;`);
    assert.deepEqual(errors, []);
    assert.match(text, /require\("\.\/lazy\/node-forge\.js"\)/);
    assert.ok(text.length < 5000, 'forge itself is not bundled');
  });

  it('shares one vscode namespace between modules instead of one copy each', async () => {
    const { text, errors } = await bundle(`import * as a from 'vscode';\nimport { g } from './b';\nexport const f = () => [a.commands, g()];`, {
      'b.ts': `import { window } from 'vscode';\nexport const g = () => window;`,
    });
    assert.deepEqual(errors, []);
    assert.equal(text.match(/require\("vscode"\)/g)?.length, 1);
  });
});
