// Run by bench/load.ts in a fresh Node process (no tsx: its loader would be measured too):
//   node bench/lib/load-probe.cjs <dist/extension.js>
// Requires the bundle with a behaviour-free `vscode` stand-in, calls activate(), and prints one JSON line: the wall
// and CPU time of the require (read + compile + evaluate) and of activate(), and which dist/lazy bundles were
// loaded by then (none should be: they load at first use).
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');

const bundle = path.resolve(process.argv[2]);

/** Any property, call or `new` gives another stand-in; `then` is absent so awaiting one does not hang. */
function standIn(name) {
  const fn = function () {};
  const cache = new Map();
  return new Proxy(fn, {
    get(_target, key) {
      if (key === Symbol.toPrimitive) return () => `[${name}]`;
      if (key === Symbol.iterator) return function* () {};
      if (key === 'then' || typeof key === 'symbol') return cache.get(key);
      if (key === 'prototype') return fn.prototype;
      if (!cache.has(key)) cache.set(key, standIn(`${name}.${String(key)}`));
      return cache.get(key);
    },
    set(_target, key, value) {
      cache.set(key, value);
      return true;
    },
    apply: () => standIn(`${name}()`),
    construct: () => standIn(`new ${name}`),
  });
}

// The API's top-level names, so that esbuild's interop helpers (which copy own properties) see them all.
const dts = fs.readFileSync(require.resolve('@types/vscode/index.d.ts', { paths: [path.dirname(bundle), process.cwd()] }), 'utf8');
const vscode = {};
for (const m of dts.matchAll(/^\t?export (?:class|namespace|enum|function|const|let|var) (\w+)/gm)) vscode[m[1]] ??= standIn(`vscode.${m[1]}`);

const loaded = [];
const load = Module._load;
Module._load = function (request, parent, ...rest) {
  if (request === 'vscode') return vscode;
  if (/(^|\/)lazy\//.test(request)) loaded.push(path.basename(request));
  return load.call(this, request, parent, ...rest);
};

const memento = { get: (_k, d) => d, update: async () => undefined, keys: () => [], setKeysForSync: () => undefined };
const context = {
  subscriptions: [],
  globalState: memento,
  workspaceState: memento,
  secrets: standIn('secrets'),
  extension: { id: 'bench.probe', packageJSON: JSON.parse(fs.readFileSync(path.join(path.dirname(bundle), '..', 'package.json'), 'utf8')) },
  extensionUri: standIn('extensionUri'),
  extensionPath: path.dirname(path.dirname(bundle)),
  logUri: standIn('logUri'),
  globalStorageUri: standIn('globalStorageUri'),
};

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const extension = require(bundle);
const t1 = performance.now();
const cpu1 = process.cpuUsage(cpu0);
const loadedAtRequire = [...loaded];

let activateError;
const cpu2 = process.cpuUsage();
const t2 = performance.now();
try {
  extension.activate(context);
} catch (err) {
  activateError = err instanceof Error ? `${err.message} ${err.stack?.split('\n')[1]?.trim()}` : String(err);
}
const t3 = performance.now();
const cpu3 = process.cpuUsage(cpu2);

// Let the background work activate() started take its first steps (with no credential configured: nothing to load).
setTimeout(() => {
  const ms = (n) => Number(n.toFixed(2));
  process.stdout.write(
    `${JSON.stringify({
      requireMs: ms(t1 - t0),
      requireCpuMs: ms((cpu1.user + cpu1.system) / 1000),
      activateMs: ms(t3 - t2),
      activateCpuMs: ms((cpu3.user + cpu3.system) / 1000),
      activateError,
      loadedAtRequire,
      loadedAfterActivate: [...new Set(loaded)],
      bytes: fs.statSync(bundle).size,
    })}\n`,
  );
  process.exit(0);
}, 300);
