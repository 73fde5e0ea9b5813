// Fuzz (fast-check, seeded and bounded) of every webview panel's message boundary: whatever a page posts (random
// values, valid messages bent out of shape, prototype keys), the host's parser returns a clean message of a known
// type or drops it, never throws, never pollutes prototypes, and the log line for a dropped message carries none of
// its content. The page-side parsers get the same treatment. Counts go to test-results/fuzz/ and docs/SECURITY.md.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import * as details from '../../src/webviews/certificateDetails/protocol';
import * as createCertificate from '../../src/webviews/createCertificate/protocol';
import { DEFAULT_FORM } from '../../src/webviews/createCertificate/formModel';
import * as createKey from '../../src/webviews/createKey/protocol';
import * as crypto from '../../src/webviews/crypto/protocol';
import * as reveal from '../../src/webviews/reveal/protocol';

const counts: Record<string, number> = {};
const count = (area: string): void => {
  counts[area] = (counts[area] ?? 0) + 1;
};
after(() => {
  const dir = path.join(__dirname, '..', '..', 'test-results', 'fuzz');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'webview-messages.json'), `${JSON.stringify(counts, null, 2)}\n`);
  console.log(`fuzz cases (webview messages): ${JSON.stringify(counts)}`);
});

interface Protocol {
  name: string;
  parsePage(x: unknown): unknown;
  describeDropped(x: unknown): string;
  /** The page's own check of what the host sends. */
  parseHost(x: unknown): unknown;
  pageTypes: readonly string[];
  samples: readonly Record<string, unknown>[];
}

const keyForm: createKey.CreateKeyFormData = { name: 'k1', family: 'RSA', protection: 'software', keySize: 2048, keyOps: ['sign', 'verify'], enabled: true, tags: [{ name: 'env', value: 'dev' }], exportable: false, releasePolicyImmutable: false };

const PROTOCOLS: Protocol[] = [
  {
    name: 'Reveal',
    parsePage: reveal.parsePageMessage,
    describeDropped: reveal.describeDropped,
    parseHost: reveal.parseHostMessage,
    pageTypes: ['ready', 'show', 'copy', 'hidden'],
    samples: [{ type: 'ready' }, { type: 'show' }, { type: 'copy' }, { type: 'hidden', reason: 'user' }, { type: 'hidden', reason: 'timer' }],
  },
  {
    name: 'Crypto',
    parsePage: crypto.parsePageMessage,
    describeDropped: crypto.describeDropped,
    parseHost: crypto.parseHostMessage,
    pageTypes: ['ready', 'enable', 'pickFile', 'copy', 'run'],
    samples: [
      { type: 'ready' },
      { type: 'enable' },
      { type: 'pickFile', op: 'decrypt' },
      { type: 'copy', label: 'Plaintext', text: 'hello', sensitive: true },
      { type: 'run', op: 'sign', algorithm: 'RS256', inputKind: 'text', input: 'hello', by: 'service' },
      { type: 'run', op: 'verify', algorithm: 'ES256', inputKind: 'digestHex', input: 'ab'.repeat(32), signature: { encoding: 'base64', value: 'AAAA' }, by: 'local' },
      { type: 'run', op: 'decrypt', algorithm: 'A256GCM', inputKind: 'base64', input: 'AAAA', iv: { encoding: 'hex', value: '00' }, tag: { encoding: 'hex', value: '00' }, aad: { encoding: 'hex', value: '00' }, by: 'service' },
    ],
  },
  {
    name: 'Create Key',
    parsePage: createKey.parsePageMessage,
    describeDropped: createKey.describeDropped,
    parseHost: createKey.parseHostMessage,
    pageTypes: ['ready', 'cancel', 'submit'],
    samples: [{ type: 'ready' }, { type: 'cancel' }, { type: 'submit', form: keyForm }, { type: 'submit', form: { ...keyForm, family: 'EC', curve: 'P-256', keySize: undefined, notBefore: '2026-01-01T00:00:00.000Z' } }],
  },
  {
    name: 'Create Certificate',
    parsePage: createCertificate.parsePageMessage,
    describeDropped: createCertificate.describeDropped,
    parseHost: (x) => (createCertificate.isHostMessage(x) ? x : undefined),
    pageTypes: ['ready', 'change', 'submit', 'action'],
    samples: [
      { type: 'ready' },
      { type: 'change', seq: 3, form: { ...DEFAULT_FORM, name: 'c1', subject: 'CN=a' } },
      { type: 'submit', form: { ...DEFAULT_FORM, name: 'c1', subject: 'CN=a', tags: [{ key: 'a', value: 'b' }] } },
      { type: 'action', action: 'showDetails' },
    ],
  },
  {
    name: 'Certificate Details',
    parsePage: details.parsePageMessage,
    describeDropped: details.describeDropped,
    parseHost: (x) => (details.isHostMessage(x) ? x : undefined),
    pageTypes: ['ready', 'action'],
    samples: [{ type: 'ready' }, ...details.DETAILS_ACTIONS.map((action) => ({ type: 'action', action }))],
  },
];

/** A marker that must never reach a log line about a dropped message. */
const MARK = 'SeCrEt-MaRkEr';
const marked = fc.oneof(fc.string({ maxLength: 30 }), fc.constant('')).map((s) => `${MARK}${s}`);
const anyValue = fc.oneof(fc.anything({ maxDepth: 3 }), marked, fc.constantFrom(null, undefined, 0, -1, 1e308, Number.NaN, '', [], {}, true));

/** A valid message bent out of shape: a field dropped, retyped or added, the type renamed, nested values replaced. */
function bent(sample: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(sample);
  return fc.oneof(
    fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(sample).filter(([key]) => key !== k))),
    fc.tuple(fc.constantFrom(...keys), anyValue).map(([k, v]) => ({ ...sample, [k]: v })),
    fc.tuple(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra')), anyValue).map(([k, v]) => ({ ...sample, [k]: v })),
    fc.oneof(fc.string({ maxLength: 40 }), marked, fc.constantFrom('READY', 'ready ', 'submit\u0000', 'toString', '__proto__')).map((type) => ({ ...sample, type })),
    ...(typeof sample.form === 'object'
      ? [fc.tuple(fc.constantFrom(...Object.keys(sample.form as object), 'tags', 'keyOps', '__proto__'), anyValue).map(([k, v]) => ({ ...sample, form: { ...(sample.form as object), [k]: v } }))]
      : []),
  );
}

/** JSON as a hostile page could post it: own __proto__ and constructor members (JSON.parse keeps them as data). */
const prototypeKeys = fc
  .tuple(fc.constantFrom('ready', 'submit', 'run', 'action', 'change', 'copy'), fc.jsonValue({ maxDepth: 2 }))
  .map(([type, v]) => JSON.parse(`{"type":"${type}","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"form":{"__proto__":{"polluted":true}},"x":${JSON.stringify(v ?? null)}}`) as unknown);

function checkAccepted(p: Protocol, input: unknown, parsed: unknown): void {
  if (parsed === undefined) return;
  assert.ok(typeof parsed === 'object' && parsed !== null, `${p.name}: a parsed message is an object`);
  const type = (parsed as { type?: unknown }).type;
  assert.ok(p.pageTypes.includes(String(type)), `${p.name}: accepted an unknown type ${String(type)}`);
  // What the host keeps is plain data: it survives JSON and parses again to the same message.
  const again = p.parsePage(JSON.parse(JSON.stringify(parsed)));
  assert.deepEqual(again, parsed, `${p.name}: a parsed message does not parse to itself (${JSON.stringify(input).slice(0, 120)})`);
  assert.ok(!Object.prototype.hasOwnProperty.call(parsed, '__proto__'), `${p.name}: kept a __proto__ member`);
}

function checkDropLine(p: Protocol, input: unknown): void {
  const line = p.describeDropped(input);
  assert.equal(typeof line, 'string');
  assert.ok(line.length <= 100, `${p.name}: the log line is long (${line.length})`);
  // Nothing the page wrote reaches the log, not even the type of a message it does not know.
  assert.ok(!line.includes(MARK), `${p.name}: the log line repeats message content: ${line}`);
}

describe('fuzz: webview messages', () => {
  for (const p of PROTOCOLS) {
    it(`${p.name} panel: any value from the page is parsed to a known message or dropped, and the drop is logged without content`, () => {
      fc.assert(
        fc.property(fc.oneof(anyValue, fc.record({ type: fc.constantFrom(...p.pageTypes), value: anyValue, text: marked })), (x) => {
          count('webview messages');
          const parsed = p.parsePage(x);
          checkAccepted(p, x, parsed);
          if (parsed === undefined) checkDropLine(p, x);
        }),
        { numRuns: 600, seed: 310000 + p.name.length },
      );
    });

    it(`${p.name} panel: valid messages bent out of shape are dropped or parsed to clean messages`, () => {
      fc.assert(
        fc.property(fc.constantFrom(...p.samples).chain(bent), (x) => {
          count('webview messages');
          const parsed = p.parsePage(x);
          checkAccepted(p, x, parsed);
          if (parsed === undefined) checkDropLine(p, x);
        }),
        { numRuns: 800, seed: 320000 + p.name.length },
      );
    });

    it(`${p.name} panel: __proto__ and constructor members pollute nothing`, () => {
      fc.assert(
        fc.property(prototypeKeys, (x) => {
          count('webview messages');
          const parsed = p.parsePage(x);
          checkAccepted(p, x, parsed);
          assert.equal(({} as { polluted?: unknown }).polluted, undefined, 'Object.prototype was polluted');
          assert.equal((Object.prototype as { polluted?: unknown }).polluted, undefined);
        }),
        { numRuns: 100, seed: 330000 + p.name.length },
      );
    });

    it(`${p.name} page: anything the host could send is checked without throwing`, () => {
      fc.assert(
        fc.property(fc.oneof(anyValue, fc.record({ type: fc.constantFrom('init', 'value', 'problem', 'copied', 'errors', 'busy', 'result', 'error', 'file', 'details', 'status', 'issuers', 'validation', 'progress'), x: anyValue })), (x) => {
          count('webview messages');
          p.parseHost(x);
        }),
        { numRuns: 300, seed: 340000 + p.name.length },
      );
    });
  }

  it('the valid samples themselves are accepted (the fuzz starts from real messages)', () => {
    for (const p of PROTOCOLS) for (const s of p.samples) assert.notEqual(p.parsePage(s), undefined, `${p.name}: ${JSON.stringify(s).slice(0, 80)}`);
  });
});
