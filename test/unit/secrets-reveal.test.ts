import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Uri } from 'vscode';
import { contentSecurityPolicy, escapeHtml, newNonce, renderPage, webviewOptions } from '../../src/webviews/html';
import { describeDropped, parseHostMessage, parsePageMessage } from '../../src/webviews/reveal/protocol';

/** Just enough of vscode.Uri for the html helper. */
function fakeUri(path: string): Uri {
  const uri = {
    scheme: 'file',
    path,
    with: (change: { path?: string }) => fakeUri(change.path ?? path),
    toString: () => `file://${path}`,
  };
  return uri as unknown as Uri;
}

const webview = {
  cspSource: 'https://webview.test',
  asWebviewUri: (u: Uri) => ({ toString: () => `https://webview.test${u.path}` }) as unknown as Uri,
};

describe('webview html shell', () => {
  const html = renderPage({ webview, extensionUri: fakeUri('/ext'), title: 'Secret <db>', script: 'reveal', hasStyles: true, body: '<main></main>', nonce: 'abc123' });

  it("starts from default-src 'none' and allows only the nonce'd script and the webview's own styles", () => {
    const csp = (/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '').replace(/&#39;/g, "'");
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, /script-src 'nonce-abc123'/);
    assert.match(csp, /style-src https:\/\/webview\.test(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  });

  it('loads the bundled script with the nonce and its stylesheet from dist/webview', () => {
    assert.match(html, /<script nonce="abc123" src="https:\/\/webview\.test\/ext\/dist\/webview\/reveal\.js"><\/script>/);
    assert.match(html, /<link rel="stylesheet" href="https:\/\/webview\.test\/ext\/dist\/webview\/reveal\.css">/);
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'one script, no inline ones');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
  });

  it('escapes the title', () => {
    assert.match(html, /<title>Secret &lt;db&gt;<\/title>/);
  });

  it('makes a fresh 128-bit nonce every time', () => {
    const nonces = new Set(Array.from({ length: 200 }, newNonce));
    assert.equal(nonces.size, 200);
    for (const n of nonces) assert.equal(Buffer.from(n, 'base64').length, 16);
  });

  it('limits local resources to dist/webview and media, and retains nothing when hidden', () => {
    const options = webviewOptions(fakeUri('/ext'));
    assert.deepEqual(
      options.localResourceRoots?.map((u) => u.path),
      ['/ext/dist/webview', '/ext/media'],
    );
    assert.equal(options.retainContextWhenHidden, false);
    assert.equal(options.enableCommandUris, false);
  });

  it('builds the CSP from the given source and nonce only', () => {
    assert.equal(contentSecurityPolicy('S', 'N').split('; ')[0], "default-src 'none'");
  });

  it('escapes the characters HTML gives meaning to', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('reveal panel protocol', () => {
  it('accepts the page messages it knows, exactly', () => {
    assert.deepEqual(parsePageMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parsePageMessage({ type: 'show' }), { type: 'show' });
    assert.deepEqual(parsePageMessage({ type: 'copy' }), { type: 'copy' });
    assert.deepEqual(parsePageMessage({ type: 'hidden', reason: 'timer' }), { type: 'hidden', reason: 'timer' });
  });

  it('drops anything else from the page: unknown types, extra fields, wrong shapes', () => {
    for (const bad of [null, 'show', 42, [], {}, { type: 'setValue', value: 'x' }, { type: 'show', extra: 1 }, { type: 'hidden', reason: 'other' }, { type: 'hidden' }]) {
      assert.equal(parsePageMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('never throws on any input (property)', () => {
    fc.assert(fc.property(fc.anything(), (x) => {
      parsePageMessage(x);
      parseHostMessage(x);
      describeDropped(x);
    }));
  });

  it('validates host messages on the page side too', () => {
    assert.deepEqual(parseHostMessage({ type: 'init', name: 'a', vault: 'kv', enabled: true, autoHideSeconds: 30 }), { type: 'init', name: 'a', vault: 'kv', enabled: true, autoHideSeconds: 30 });
    assert.equal(parseHostMessage({ type: 'init', name: 'a', vault: 'kv', enabled: 'yes', autoHideSeconds: 30 }), undefined);
    assert.deepEqual(parseHostMessage({ type: 'value', value: 'v', json: false, lines: 1, bytes: 1, autoHideSeconds: 0 }), { type: 'value', value: 'v', json: false, lines: 1, bytes: 1, autoHideSeconds: 0 });
    assert.equal(parseHostMessage({ type: 'value', value: 'v', json: false, lines: -1, bytes: 1, autoHideSeconds: 0 }), undefined);
    assert.equal(parseHostMessage({ type: 'copied' }), undefined);
  });

  it('describes a dropped message by type and size, never by content', () => {
    const text = describeDropped({ type: 'value', value: 'hunter2-secret' });
    assert.equal(text, 'an unknown type (5 characters) with 2 field(s)');
    assert.ok(!text.includes('hunter2'));
  });
});

describe('reveal page script', () => {
  // Code only: the comments may name what the page avoids.
  const page = readFileSync(path.join(__dirname, '..', '..', 'media', 'webview', 'reveal.ts'), 'utf8').replace(/\/\/.*$/gm, '');

  it('keeps no webview state and uses no storage', () => {
    assert.doesNotMatch(page, /setState|getState|localStorage|sessionStorage|indexedDB|document\.cookie/);
  });

  it('writes the value with textContent, never as HTML', () => {
    assert.doesNotMatch(page, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
