import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import type { Emulator } from './emulator';
import { startTestEmulator } from '../support/emulator';
import { RawClient } from './schema/http-client';
import { ExampleReplayer, exampleCases, exampleName, orphanExamples } from './schema/replay';
import { SPEC_ROOT } from './schema/spec';

/**
 * Every official example whose operation the emulator serves is replayed against a demo emulator: the answer must
 * have the example's status and the example's property names (values differ and are not compared). Examples of
 * operations the emulator does not serve, or that it declares not emulated, are skipped with the reason.
 */
describe('The official examples replay against the emulator with their status and shape', () => {
  let emulator: Emulator;
  let raw: RawClient;
  let replayer: ExampleReplayer;
  const tally = { pass: 0, fail: 0, skip: 0 };

  before(async () => {
    emulator = await startTestEmulator({ seed: 'demo' });
    raw = new RawClient(emulator.ready);
    replayer = new ExampleReplayer(raw);
  });

  after(async () => {
    raw.close();
    await emulator.close();
  });

  for (const c of exampleCases()) {
    const status = Object.keys(c.example.responses)[0];
    it(`${exampleName(c.file)}: ${c.op.operationId} answers ${status} with the example's property names`, async (t) => {
      const result = await replayer.replay(c);
      tally[result.outcome]++;
      for (const note of result.notes) t.diagnostic(note);
      if (result.outcome === 'skip') {
        t.skip(result.reason);
        return;
      }
      if (result.outcome === 'fail') assert.fail(`${relative(SPEC_ROOT, c.file)}: ${result.reason}`);
    });
  }

  it('no example file is left out', (t) => {
    const orphans = orphanExamples().map((f) => relative(SPEC_ROOT, f));
    // Files no operation references cannot be replayed (there is no method or path for them); list them.
    for (const o of orphans) t.diagnostic(`not referenced by any operation: ${o}`);
    t.diagnostic(`examples: ${tally.pass} passed, ${tally.skip} skipped, ${tally.fail} failed`);
    assert.ok(tally.pass + tally.skip + tally.fail >= 80, 'fewer examples than the definitions reference were replayed');
  });
});
