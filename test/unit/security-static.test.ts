// What holds for the whole code base, checked from its source: every webview panel is made with the one html helper
// (strict CSP, crypto nonce, narrow resource roots, nothing retained), no page script keeps state or builds HTML
// from strings, nothing evaluates code, nothing turns TLS checks off, and nonces come from the OS CSPRNG.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Uri } from 'vscode';
import { contentSecurityPolicy, newNonce, renderPage, webviewOptions } from '../../src/webviews/html';

const root = path.join(__dirname, '..', '..');

function sources(dir: string, ext = /\.ts$/): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const full = path.join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (ext.test(entry) && !entry.endsWith('.d.ts')) out.push({ file: path.relative(root, full), text: readFileSync(full, 'utf8') });
    }
  };
  walk(path.join(root, dir));
  return out;
}

/** Code without comments, so a sentence that says "no setState" does not count as a call. */
const code = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

const fakeUri = (p: string): Uri => ({ scheme: 'file', path: p, with: (c: { path?: string }) => fakeUri(c.path ?? p), toString: () => `file://${p}` }) as unknown as Uri;

describe('webviews, from the source', () => {
  const src = sources('src');
  const pages = sources('media/webview');

  it('every panel is created with webviewOptions() and rendered with renderPage() (one html helper for all)', () => {
    const creators = src.filter((f) => /createWebviewPanel\(/.test(code(f.text)));
    assert.ok(creators.length >= 5, `found ${creators.length} panel hosts`);
    for (const f of creators) {
      assert.match(code(f.text), /webviewOptions\(/, `${f.file} creates a panel without webviewOptions()`);
      assert.match(code(f.text), /renderPage\(/, `${f.file} renders a panel without renderPage()`);
    }
    for (const f of src.filter((x) => x.file !== path.join('src', 'webviews', 'html.ts'))) {
      assert.ok(!/<script/i.test(code(f.text)), `${f.file} writes its own <script>`);
      assert.ok(!/retainContextWhenHidden\s*:\s*true|enableCommandUris\s*:\s*true/.test(code(f.text)), `${f.file} loosens a webview option`);
      assert.ok(!/\son[a-z]+\s*=\s*["'`]/i.test(code(f.text).replace(/\bon[A-Z]\w*/g, '')), `${f.file} has an inline event handler in markup`);
    }
  });

  it('the options allow scripts but no command URIs, only dist/webview and media as resources, and nothing retained when hidden', () => {
    const o = webviewOptions(fakeUri('/ext'));
    assert.deepEqual(o.localResourceRoots?.map((u) => u.path), ['/ext/dist/webview', '/ext/media']);
    assert.equal(o.enableScripts, true);
    assert.equal(o.enableCommandUris, false);
    assert.equal(o.retainContextWhenHidden, false);
  });

  it("the CSP starts from default-src 'none' and allows no inline script, no eval, no network", () => {
    const csp = contentSecurityPolicy('https://webview.test', 'NONCE');
    assert.match(csp, /^default-src 'none';/);
    assert.ok(!/unsafe-inline|unsafe-eval|connect-src|\*|https?:(?!\/\/webview\.test)/.test(csp), csp);
    const html = renderPage({ webview: { cspSource: 'https://webview.test', asWebviewUri: (u: Uri) => u }, extensionUri: fakeUri('/ext'), title: 't', script: 's', body: '<main></main>' });
    const nonce = /'nonce-([^']+)'/.exec(html.replace(/&#39;/g, "'"))?.[1];
    assert.ok(nonce && html.includes(`<script nonce="${nonce}" src=`));
  });

  it('nonces are 128 bits from the OS CSPRNG, different on every load (10,000 loads)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) seen.add(newNonce());
    assert.equal(seen.size, 10_000);
    for (const n of [...seen].slice(0, 100)) assert.equal(Buffer.from(n, 'base64').length, 16);
    const html = code(readFileSync(path.join(root, 'src', 'webviews', 'html.ts'), 'utf8'));
    assert.match(html, /randomBytes\(16\)/);
    assert.ok(!/Math\.random/.test(html));
  });

  it('page scripts keep no state (no setState, no storage) and never build HTML from strings', () => {
    assert.ok(pages.length >= 5, `found ${pages.length} page scripts`);
    for (const f of pages) {
      const c = code(f.text);
      assert.ok(!/\bsetState\s*\(|\bgetState\s*\(/.test(c), `${f.file} keeps webview state`);
      assert.ok(!/localStorage|sessionStorage|indexedDB|document\.cookie/.test(c), `${f.file} uses browser storage`);
      assert.ok(!/\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write/.test(c), `${f.file} builds HTML from strings`);
    }
  });

  it('nothing evaluates code, and nothing turns certificate checks off', () => {
    for (const f of [...src, ...pages]) {
      const c = code(f.text);
      assert.ok(!/\beval\s*\(|new Function\s*\(/.test(c), `${f.file} evaluates code`);
      assert.ok(!/rejectUnauthorized\s*:\s*false|NODE_TLS_REJECT_UNAUTHORIZED/.test(c), `${f.file} turns TLS checks off`);
    }
  });
});
