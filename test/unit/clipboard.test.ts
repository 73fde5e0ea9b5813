import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClipboardGuard, countdownText, type ClearOutcome, type Clock, type CountdownView } from '../../src/clipboard/clipboardGuard';

/** A clipboard, a clock and a countdown the test controls. */
function harness(clearAfterSeconds = 30) {
  let text = 'before';
  let readable = true;
  const writes: string[] = [];
  const clipboard = {
    readText: async () => {
      if (!readable) throw new Error('no permission');
      return text;
    },
    writeText: async (t: string) => {
      text = t;
      writes.push(t);
    },
  };
  let now = 1_000_000;
  const timers = new Map<number, () => void>();
  let nextId = 1;
  const clock: Clock = {
    now: () => now,
    setInterval: (fn) => {
      const id = nextId++;
      timers.set(id, fn);
      return id;
    },
    clearInterval: (id) => {
      timers.delete(id as number);
    },
  };
  const shown: Array<{ secondsLeft: number; what: string } | 'hidden'> = [];
  const view: CountdownView = { show: (secondsLeft, what) => shown.push({ secondsLeft, what }), hide: () => shown.push('hidden') };
  let seconds = clearAfterSeconds;
  const guard = new ClipboardGuard(clipboard, view, () => seconds, clock);
  const outcomes: ClearOutcome[] = [];
  guard.onDidClear((o) => outcomes.push(o));
  /** Advances the clock second by second, running interval callbacks and letting their promises settle. */
  const advance = async (s: number) => {
    for (let i = 0; i < s; i++) {
      now += 1000;
      for (const fn of [...timers.values()]) fn();
      await new Promise((r) => setImmediate(r));
    }
  };
  return {
    guard,
    advance,
    outcomes,
    shown,
    writes,
    timers,
    get text() {
      return text;
    },
    userCopies: (t: string) => {
      text = t;
    },
    setReadable: (r: boolean) => {
      readable = r;
    },
    setSeconds: (s: number) => {
      seconds = s;
    },
  };
}

describe('clipboard guard', () => {
  it('puts the value on the clipboard and clears it after the configured seconds', async () => {
    const h = harness(30);
    const result = await h.guard.copySecret('s3cr3t', 'secret db-password');
    assert.deepEqual(result, { clearsInSeconds: 30 });
    assert.equal(h.text, 's3cr3t');
    await h.advance(29);
    assert.equal(h.text, 's3cr3t', 'still there before the deadline');
    await h.advance(1);
    assert.equal(h.text, '');
    assert.deepEqual(h.outcomes, ['cleared']);
    assert.equal(h.timers.size, 0, 'no timer left behind');
    assert.equal(h.guard.hasPending, false);
  });

  it('leaves the clipboard alone when the user copied something else meanwhile', async () => {
    const h = harness(5);
    await h.guard.copySecret('s3cr3t', 'secret a');
    h.userCopies('my own text');
    await h.advance(5);
    assert.equal(h.text, 'my own text');
    assert.deepEqual(h.outcomes, ['not-ours']);
  });

  it('never clears when clearAfterSeconds is 0, and shows no countdown', async () => {
    const h = harness(0);
    assert.deepEqual(await h.guard.copySecret('s3cr3t', 'secret a'), { clearsInSeconds: 0 });
    await h.advance(100);
    assert.equal(h.text, 's3cr3t');
    assert.equal(h.shown.length, 0);
    assert.equal(h.timers.size, 0);
  });

  it('counts down in the view with what was copied, never the value, and hides when done', async () => {
    const h = harness(3);
    await h.guard.copySecret('s3cr3t', 'secret db-password');
    await h.advance(3);
    const shows = h.shown.filter((s) => s !== 'hidden') as Array<{ secondsLeft: number; what: string }>;
    assert.deepEqual(
      shows.map((s) => s.secondsLeft),
      [3, 2, 1],
    );
    assert.ok(shows.every((s) => s.what === 'secret db-password' && !s.what.includes('s3cr3t')));
    assert.equal(h.shown.at(-1), 'hidden');
  });

  it('a second copy replaces the first: one timer, counted from the second copy', async () => {
    const h = harness(10);
    await h.guard.copySecret('first', 'secret a');
    await h.advance(6);
    await h.guard.copySecret('second', 'secret b');
    assert.equal(h.timers.size, 1);
    await h.advance(6);
    assert.equal(h.text, 'second', 'the first deadline no longer applies');
    await h.advance(4);
    assert.equal(h.text, '');
  });

  it('copying an identifier (not secret) cancels the pending clear: the clipboard is the identifier now', async () => {
    const h = harness(5);
    await h.guard.copySecret('s3cr3t', 'secret a');
    await h.guard.copyText('https://kv.vault.azure.net/secrets/a');
    assert.equal(h.guard.hasPending, false);
    await h.advance(10);
    assert.equal(h.text, 'https://kv.vault.azure.net/secrets/a');
    assert.deepEqual(h.outcomes, []);
  });

  it('clears at once on dispose (deactivation) when the value is still there', async () => {
    const h = harness(30);
    await h.guard.copySecret('s3cr3t', 'secret a');
    await h.guard.dispose();
    assert.equal(h.text, '');
    assert.equal(h.timers.size, 0);
  });

  it('does not touch what the user copied on dispose either', async () => {
    const h = harness(30);
    await h.guard.copySecret('s3cr3t', 'secret a');
    h.userCopies('mine');
    await h.guard.dispose();
    assert.equal(h.text, 'mine');
  });

  it('leaves the clipboard when it cannot read it (it cannot tell whose content it is)', async () => {
    const h = harness(2);
    await h.guard.copySecret('s3cr3t', 'secret a');
    h.setReadable(false);
    await h.advance(2);
    assert.equal(h.text, 's3cr3t');
    assert.deepEqual(h.outcomes, ['unreadable']);
  });

  it('reads the setting at copy time', async () => {
    const h = harness(30);
    h.setSeconds(2);
    assert.deepEqual(await h.guard.copySecret('x', 'secret a'), { clearsInSeconds: 2 });
  });

  it('keeps no copy of the value in its own state', async () => {
    const h = harness(30);
    await h.guard.copySecret('very-secret-value', 'secret a');
    const seen = JSON.stringify(h.guard, (_k, v: unknown) => (typeof v === 'function' ? undefined : v));
    assert.ok(!seen.includes('very-secret-value'));
  });

  it('formats the countdown', () => {
    assert.equal(countdownText(29.2), '30s');
    assert.equal(countdownText(0), '0s');
    assert.equal(countdownText(65), '1m 05s');
  });
});
