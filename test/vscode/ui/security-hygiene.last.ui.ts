// The final hygiene scan, after every other suite of the tier (extension host and UI; *.last.ui.ts runs last): every
// value any suite sent to or read from the emulator (its recorded exchanges: secret values, certificate secrets with
// their private keys, imported key material, passwords, plaintexts, unwrapped keys, random bytes, SAS templates),
// the values of the scripted session, and the emulator identities' client secrets are searched for in the whole
// test-results/ folder (logs, user-data with its state databases and webview state, reports, TAP output), together
// with anything shaped like a bearer token, a JWT or a PEM private key; and the browser's clipboard is read.
// Exceptions, each by design and listed in docs/SECURITY.md: the emulator's own files (ready file with the client
// secrets, CA private key, state), the installed extension code, and the test workspace (the user's own files).
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { UiTest } from '../harness/uiRunner';
import { tierEmulator } from '../harness/tierEmulator';
import { describeScan, findInText, needlesFromExchanges, NEEDLES_FILE, readNeedles, scanTree, type Hit, type Needle } from '../../support/hygiene';
import { readyFile, tierResults } from '../../support/hygiene-ui';

/** Paths (relative to test-results/) that hold secrets by design: the emulator's files, installed code. */
const BY_DESIGN: { pattern: RegExp; why: string }[] = [
  { pattern: /(^|\/)emulator-ca(\/|$)/, why: 'the emulator CA (its private key signs the test TLS certificates)' },
  { pattern: /(^|\/)emulator\/(ready\.json|ca-key\.pem|ca\.pem|state\.json)$/, why: "the emulator's ready file (client secrets), CA key and state" },
  { pattern: /(^|\/)vscode\/extensions(\/|$)|\.vsix$/, why: 'installed extension code (parsers name PEM headers)' },
  { pattern: /\.code-server-tier\.lock/, why: 'a lock' },
];
const USER_FILES = /(^|\/)vscode\/workspace(\/|$)/;

let needles: Needle[] = [];

export const tests: UiTest[] = [
  {
    name: 'collects every value the tier used: the emulator exchanges, the scripted session, the client secrets',
    async run() {
      const emulator = tierEmulator();
      assert.ok(emulator, 'the tier emulator is reachable from the UI tests');
      const fromExchanges = needlesFromExchanges(emulator.exchanges);
      const fromSession = readNeedles(path.join(tierResults(), NEEDLES_FILE));
      const ready = JSON.parse((await import('node:fs')).readFileSync(readyFile(), 'utf8')) as { identities: { handle: string; clientSecret: string }[] };
      const secrets = ready.identities.map((i) => ({ label: `client secret of ${i.handle}`, value: i.clientSecret }));
      const seen = new Set<string>();
      needles = [...fromSession, ...fromExchanges, ...secrets].filter((n) => !seen.has(n.value) && seen.add(n.value));
      console.log(`  final scan: ${emulator.exchanges.length} exchanges → ${fromExchanges.length} values; session ${fromSession.length}; ${needles.length} distinct needles`);
      assert.ok(fromExchanges.length > 20, 'the suites sent and read values');
    },
  },
  {
    name: "the browser's clipboard holds none of them",
    async run({ page }) {
      const text = await page.evaluate(() => navigator.clipboard.readText()).catch(() => '');
      assert.deepEqual(findInText(text, needles), []);
    },
  },
  {
    name: 'test-results/ (logs, user-data with state databases and webview state, reports) holds no value, private key, password or token',
    timeoutMs: 300_000,
    async run() {
      const root = path.dirname(tierResults());
      const result = scanTree(root, needles, { exclude: (rel) => BY_DESIGN.some((b) => b.pattern.test(rel.split(path.sep).join('/'))) });
      const normal = (h: Hit) => !USER_FILES.test(h.file.split(path.sep).join('/'));
      const userFiles = result.hits.filter((h) => !normal(h));
      const leaks = result.hits.filter(normal);
      const report = {
        files: result.files,
        bytes: result.bytes,
        needles: needles.length,
        leaks,
        userFiles,
        excluded: BY_DESIGN.map((b) => b.why),
      };
      mkdirSync(path.join(tierResults(), 'hygiene'), { recursive: true });
      writeFileSync(path.join(tierResults(), 'hygiene', 'final-scan.json'), `${JSON.stringify(report, null, 2)}\n`);
      console.log(`  ${describeScan('final scan of test-results', { ...result, hits: leaks })}; ${userFiles.length} hit(s) in the workspace (the user's own files)`);
      assert.ok(result.files > 100, `searched ${result.files} files`);
      assert.deepEqual(leaks, []);
    },
  },
];
