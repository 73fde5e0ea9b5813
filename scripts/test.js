// @ts-check
// `npm test`: every tier, one summary. `npm run test:unit` (`node scripts/test.js unit`): the node-runner tiers only.
//
//   lint, typecheck          one check each
//   unit, emulator, service  node's test runner through tsx over test/<tier>/**/*.test.ts (tiers with no files are skipped)
//   extension host, UI       the code-server tier (test/vscode/run.ts): mocha inside VS Code, then Playwright
//
// Prints per-tier counts and ends with exactly one line `N passed, N failed`. Exits non-zero when anything failed or
// a tier could not run. KEYVAULT_SKIP_VSCODE=1 skips the code-server tier for quick local runs; ignored when CI=true.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const results = path.join(root, 'test-results');
const unitOnly = process.argv[2] === 'unit';
const ci = process.env.CI === 'true' || process.env.CI === '1';
const skipVscode = !ci && /^(1|true|yes)$/i.test(process.env.KEYVAULT_SKIP_VSCODE ?? '');

/** @type {Array<{ name: string, passed: number, failed: number, seconds: number, note?: string }>} */
const tiers = [];
/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();

function killGroup(/** @type {number | undefined} */ pid) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

process.on('exit', () => {
  for (const child of children) killGroup(child.pid);
});
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => {
    // The code-server tier stops its own children on SIGTERM; give it a moment before killing the groups.
    for (const child of children) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // gone already
      }
    }
    setTimeout(() => process.exit(130), 3000).unref();
  });
}

/**
 * Runs a command in its own process group, output to this terminal, killed after timeoutMs.
 * @param {string} command
 * @param {string[]} args
 * @param {{ timeoutMs: number, env?: NodeJS.ProcessEnv }} options
 * @returns {Promise<{ code: number | null, timedOut: boolean }>}
 */
function run(command, args, { timeoutMs, env }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: env ?? process.env, stdio: 'inherit', detached: true });
    children.add(child);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.log(`\n${command} ${args.join(' ')}: timed out after ${Math.round(timeoutMs / 1000)} s, stopping it`);
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // gone already
      }
      setTimeout(() => killGroup(child.pid), 5000).unref();
    }, timeoutMs);
    const done = (/** @type {number | null} */ code) => {
      clearTimeout(timer);
      children.delete(child);
      // Leave nothing behind from this tier.
      killGroup(child.pid);
      resolve({ code, timedOut });
    };
    child.on('error', (err) => {
      console.log(`${command}: ${err.message}`);
      done(127);
    });
    child.on('exit', (code) => done(code));
  });
}

function banner(/** @type {string} */ text) {
  console.log(`\n━━━ ${text} ${'━'.repeat(Math.max(0, 70 - text.length))}`);
}

/** @param {string} name @param {string} script */
async function npmScript(name, script) {
  banner(name);
  const started = Date.now();
  const { code, timedOut } = await run('npm', ['run', '--silent', script], { timeoutMs: 10 * 60_000 });
  const ok = code === 0 && !timedOut;
  tiers.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, seconds: (Date.now() - started) / 1000, note: ok ? 'clean' : 'errors above' });
}

/** Every *.test.ts under dir (Node 20's --test takes no globs), sorted. */
function testFiles(/** @type {string} */ dir) {
  /** @type {string[]} */
  const found = [];
  const walk = (/** @type {string} */ d) => {
    if (!fs.existsSync(d)) return;
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'fixtures') continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.test.ts')) found.push(full);
    }
  };
  walk(dir);
  return found.sort();
}

/** Counts from the TAP summary node's runner prints at the end (`# pass N`, `# fail N`, `# cancelled N`). */
function tapCounts(/** @type {string} */ file) {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const count = (/** @type {string} */ key) => {
    const matches = [...text.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))];
    const last = matches[matches.length - 1];
    return last ? Number(last[1]) : undefined;
  };
  const pass = count('pass');
  const fail = count('fail');
  const cancelled = count('cancelled') ?? 0;
  if (pass === undefined || fail === undefined) return undefined;
  return { passed: pass, failed: fail + cancelled };
}

/**
 * The emulator's CA, created once, trusted by the test processes from start-up (NODE_EXTRA_CA_CERTS is only read
 * then). test/support/prepare-ca.ts belongs to the emulator; without it there is nothing to trust.
 * @returns {NodeJS.ProcessEnv}
 */
function emulatorTrustEnv() {
  const prepare = path.join(root, 'test', 'support', 'prepare-ca.ts');
  if (!fs.existsSync(prepare)) return {};
  const caDir = path.join(results, 'emulator-ca');
  const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const out = spawnSync(process.execPath, [tsx, prepare, caDir], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  const caFile = out.stdout.trim().split('\n').pop();
  if (out.status !== 0 || !caFile || !fs.existsSync(caFile)) {
    console.log(`could not prepare the emulator CA (${out.stderr.trim() || `exit ${out.status}`}); emulator tests will fail`);
    return {};
  }
  return { KEYVAULT_EMULATOR_CA_DIR: caDir, NODE_EXTRA_CA_CERTS: caFile };
}

/** @param {string} name @param {string} dir @param {NodeJS.ProcessEnv} env */
async function nodeTier(name, dir, env) {
  const files = testFiles(path.join(root, dir));
  if (files.length === 0) {
    console.log(`\n${name}: no tests in ${dir}/ yet, skipped`);
    return;
  }
  banner(`${name} (${files.length} file${files.length === 1 ? '' : 's'})`);
  const tap = path.join(results, `${name.replace(/\W+/g, '-')}.tap`);
  fs.rmSync(tap, { force: true });
  const started = Date.now();
  const { code, timedOut } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      // A hanging test fails instead of stalling the run.
      '--test-timeout=120000',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files.map((f) => path.relative(root, f)),
    ],
    { timeoutMs: 20 * 60_000, env: { ...process.env, ...env } },
  );
  const counts = tapCounts(tap);
  const seconds = (Date.now() - started) / 1000;
  if (!counts) {
    tiers.push({ name, passed: 0, failed: 1, seconds, note: timedOut ? 'timed out' : `no results (exit ${code})` });
  } else if (code !== 0 && counts.failed === 0) {
    // The runner failed outside any test (a file that does not load, a crash): that is a failure too.
    tiers.push({ name, ...counts, failed: 1, seconds, note: timedOut ? 'timed out' : `exit ${code}` });
  } else {
    tiers.push({ name, ...counts, seconds });
  }
}

async function codeServerTier() {
  if (skipVscode) {
    console.log('\nextension host + UI: skipped (KEYVAULT_SKIP_VSCODE is set)');
    tiers.push({ name: 'extension host + UI', passed: 0, failed: 0, seconds: 0, note: 'skipped (KEYVAULT_SKIP_VSCODE)' });
    return;
  }
  banner('code-server: extension host + UI');
  const report = path.join(results, 'vscode-report.json');
  fs.rmSync(report, { force: true });
  const started = Date.now();
  const { code, timedOut } = await run(process.execPath, ['--import', 'tsx', path.join('test', 'vscode', 'run.ts'), '--report', report], {
    timeoutMs: 30 * 60_000,
  });
  const seconds = (Date.now() - started) / 1000;
  /** @type {any} */
  let result;
  try {
    result = JSON.parse(fs.readFileSync(report, 'utf8'));
  } catch {
    tiers.push({ name: 'code-server', passed: 0, failed: 1, seconds, note: timedOut ? 'timed out' : `could not run (exit ${code})` });
    return;
  }
  const timing = (/** @type {string} */ key) => (result.timingsMs?.[key] ?? 0) / 1000;
  if (result.extensionHost) {
    const note = result.vscodeVersion ? `VS Code ${result.vscodeVersion}` : undefined;
    tiers.push({ name: 'extension host', passed: result.extensionHost.passed, failed: result.extensionHost.failed, seconds: timing('extension-host suite'), ...(note ? { note } : {}) });
  }
  if (result.ui) tiers.push({ name: 'UI (Playwright)', passed: result.ui.passed, failed: result.ui.failed, seconds: timing('UI tests') });
  // Setup is every step the tier timed that is not a suite (provision, package, install, start, ...).
  const setup = Object.keys(result.timingsMs ?? {})
    .filter((k) => !['total', 'extension-host suite', 'UI tests'].includes(k))
    .reduce((s, k) => s + timing(k), 0);
  if (result.error || timedOut) {
    tiers.push({ name: 'code-server setup', passed: 0, failed: 1, seconds: setup, note: timedOut ? 'timed out' : String(result.error) });
  } else {
    console.log(`code-server tier: ${seconds.toFixed(1)} s in all (setup ${setup.toFixed(1)} s)`);
  }
}

async function main() {
  const started = Date.now();
  fs.mkdirSync(results, { recursive: true });
  if (!unitOnly) {
    await npmScript('lint', 'lint');
    await npmScript('typecheck', 'typecheck');
  }
  const env = emulatorTrustEnv();
  await nodeTier('unit', path.join('test', 'unit'), env);
  await nodeTier('emulator', path.join('test', 'emulator'), env);
  await nodeTier('service', path.join('test', 'service'), env);
  if (!unitOnly) await codeServerTier();

  const passed = tiers.reduce((n, t) => n + t.passed, 0);
  const failed = tiers.reduce((n, t) => n + t.failed, 0);
  banner('summary');
  for (const t of tiers) {
    const counts = `${String(t.passed).padStart(4)} passed ${String(t.failed).padStart(3)} failed`;
    console.log(`${t.failed > 0 ? '✘' : '✔'} ${t.name.padEnd(20)} ${counts} ${t.seconds.toFixed(1).padStart(7)} s${t.note ? `  ${t.note}` : ''}`);
  }
  console.log(`total time ${((Date.now() - started) / 1000).toFixed(1)} s; results in ${path.relative(root, results)}/`);
  // Nothing may print after this line: CI reads it as the result.
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || tiers.length === 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
