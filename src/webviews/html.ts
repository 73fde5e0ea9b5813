// The one HTML shell for every webview panel. Only types come from 'vscode', so the CSP and markup are unit-tested in
// plain Node with a fake webview.
import { randomBytes } from 'node:crypto';
import type { Uri, Webview, WebviewOptions, WebviewPanelOptions } from 'vscode';

/** Where page scripts (and the CSS they import) are bundled by esbuild.js: dist/webview/<name>.js / .css. */
export const WEBVIEW_DIST = 'dist/webview';
/** Static assets (icons). */
export const MEDIA = 'media';

const joinPath = (base: Uri, relative: string): Uri => base.with({ path: `${base.path.replace(/\/$/, '')}/${relative}` });

/**
 * Options for createWebviewPanel: scripts on, resources only from dist/webview and media, and no retained context —
 * a hidden panel is torn down with whatever it showed, and comes back in its initial state.
 */
export function webviewOptions(extensionUri: Uri): WebviewOptions & WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [joinPath(extensionUri, WEBVIEW_DIST), joinPath(extensionUri, MEDIA)],
    retainContextWhenHidden: false,
    enableFindWidget: false,
  };
}

/** 128 bits from the OS CSPRNG, fresh for every page load. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/**
 * `default-src 'none'`, then only what a page needs: its own bundled script by nonce, stylesheets and images from the
 * webview resource origin. No inline script or style, no eval, no network.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export interface PageOptions {
  webview: Pick<Webview, 'cspSource' | 'asWebviewUri'>;
  extensionUri: Uri;
  /** The document title (screen readers announce it). */
  title: string;
  /** Page script name: dist/webview/<script>.js; its CSS (if it imports any) is dist/webview/<script>.css. */
  script: string;
  /** Whether the page script imports CSS (esbuild then writes <script>.css beside it). */
  hasStyles?: boolean;
  /** Static markup (already escaped): no inline handlers or scripts; the page script wires behaviour. */
  body: string;
  /** Injected for tests; a fresh one otherwise. */
  nonce?: string;
}

/** The page: CSP meta first, the bundled stylesheet, the body, then the nonce'd script. */
export function renderPage(options: PageOptions): string {
  const nonce = options.nonce ?? newNonce();
  const { webview, extensionUri } = options;
  const script = webview.asWebviewUri(joinPath(extensionUri, `${WEBVIEW_DIST}/${options.script}.js`));
  const style = options.hasStyles ? webview.asWebviewUri(joinPath(extensionUri, `${WEBVIEW_DIST}/${options.script}.css`)) : undefined;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(webview.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(options.title)}</title>
${style ? `<link rel="stylesheet" href="${escapeHtml(style.toString())}">` : ''}
</head>
<body>
${options.body}
<script nonce="${escapeHtml(nonce)}" src="${escapeHtml(script.toString())}"></script>
</body>
</html>`;
}
