import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileFilter, describeFilter, parseFilter } from '../../src/tree/model/filter';
import { codeSpan, contextValue, describe as describeView, expiryState, secretView, keyView, tooltipMarkdown, type ObjectView } from '../../src/tree/model/objectView';
import { PagedLoader } from '../../src/tree/model/pagedLoader';

const DAY = 86_400_000;
const now = Date.UTC(2026, 10, 28);
const view = (over: Partial<ObjectView> = {}): ObjectView => ({ family: 'secrets', id: 'https://v.vault.azure.net/secrets/a', vaultUrl: 'https://v.vault.azure.net', name: 'a', enabled: true, tags: {}, managed: false, ...over });

describe('tree filter syntax', () => {
  it('parses text, regex, tag, type and state terms', () => {
    assert.deepEqual(parseFilter('db tag:env=prod type:application/json is:disabled'), { filter: { text: 'db', tag: { key: 'env', value: 'prod' }, contentType: 'application/json', state: 'disabled' } });
    assert.deepEqual(parseFilter('/^prod-/ is:expiring'), { filter: { text: '^prod-', regex: true, expiry: 'expiring' } });
    assert.deepEqual(parseFilter('tag:owner'), { filter: { tag: { key: 'owner' } } });
  });

  it('explains what is wrong with a bad filter', () => {
    assert.match((parseFilter('/[/') as { error: string }).error, /Invalid regular expression/);
    assert.match((parseFilter('is:purple') as { error: string }).error, /is:enabled/);
    assert.match((parseFilter('tag:') as { error: string }).error, /tag name/);
  });

  it('round-trips through its description', () => {
    const f = (parseFilter('db tag:env=prod is:enabled') as { filter: object }).filter;
    assert.deepEqual(parseFilter(describeFilter(f)), { filter: f });
  });

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => {
      const r = parseFilter(s);
      assert.ok('filter' in r || ('error' in r && r.error.length > 0));
    }), { numRuns: 3000, seed: 3 });
  });

  it('matches by name, tag, content type, state and expiry', () => {
    const items = [
      view({ name: 'db-password', tags: { env: 'prod' }, contentType: 'password' }),
      view({ name: 'DB-backup', tags: { env: 'dev' }, enabled: false }),
      view({ name: 'api-key', expiresOn: new Date(now + 5 * DAY) }),
      view({ name: 'old', expiresOn: new Date(now - DAY) }),
    ];
    const names = (q: string): string[] => items.filter(compileFilter((parseFilter(q) as { filter: object }).filter, 30, now)).map((v) => v.name);
    assert.deepEqual(names('db'), ['db-password', 'DB-backup']);
    assert.deepEqual(names('/^db-p/'), ['db-password']);
    assert.deepEqual(names('tag:env=prod'), ['db-password']);
    assert.deepEqual(names('tag:env'), ['db-password', 'DB-backup']);
    assert.deepEqual(names('type:PASSWORD'), ['db-password']);
    assert.deepEqual(names('is:disabled'), ['DB-backup']);
    assert.deepEqual(names('is:expiring'), ['api-key']);
    assert.deepEqual(names('is:expired'), ['old']);
  });
});

describe('object views', () => {
  it('classifies expiry against the threshold', () => {
    assert.equal(expiryState({ expiresOn: new Date(now - 1) }, now, 30), 'expired');
    assert.equal(expiryState({ expiresOn: new Date(now + 29 * DAY) }, now, 30), 'expiring');
    assert.equal(expiryState({ expiresOn: new Date(now + 31 * DAY) }, now, 30), 'ok');
    assert.equal(expiryState({ notBefore: new Date(now + DAY) }, now, 30), 'not-yet-valid');
  });

  it('describes disabled items in words, not only by colour', () => {
    assert.match(describeView(view({ enabled: false }), now, 30), /disabled/);
    assert.match(describeView(view({ expiresOn: new Date(now + 3 * DAY) }), now, 30), /expires in 3 days/);
    assert.equal(describeView(keyView({ id: 'https://v.vault.azure.net/keys/k/0123456789abcdef0123456789abcdef', vaultUrl: 'https://v.vault.azure.net', name: 'k', tags: {}, managed: false, attributes: { enabled: true }, keyType: 'EC', curve: 'P-256' }), now, 30), 'EC P-256');
  });

  it('builds composable context flags', () => {
    assert.equal(contextValue(view({ managed: true }), 'object'), 'keyvault.secret+enabled+managed');
    assert.equal(contextValue(view({ enabled: false }), 'version'), 'keyvault.secretVersion+disabled');
    assert.equal(contextValue(view({ family: 'keys', keyType: 'RSA-HSM' }), 'deleted'), 'keyvault.keyDeleted+enabled+hsmKey+rsa');
  });

  it('has no field that can carry a secret value, so tooltips cannot show one', () => {
    const props = { id: 'https://v.vault.azure.net/secrets/s/0123456789abcdef0123456789abcdef', vaultUrl: 'https://v.vault.azure.net', name: 's', tags: { a: 'b' }, managed: false, attributes: { enabled: true } };
    const withValue = { ...props, value: 'TOP-SECRET-VALUE-123' } as typeof props;
    const v = secretView(withValue);
    assert.ok(!JSON.stringify(v).includes('TOP-SECRET-VALUE-123'));
    assert.ok(!tooltipMarkdown(v, now, 30).includes('TOP-SECRET-VALUE-123'));
  });
});

describe('tooltip markdown', () => {
  it('keeps its table intact whatever a tag holds (pipes, backticks, markdown)', () => {
    const md = tooltipMarkdown(view({ tags: { 'a|b': 'x|y', tick: 'has `tick`', md: '**bold** [link](https://e.example)' } }), now, 30);
    const tagRow = md.split('\n').find((l) => l.startsWith('| Tags |'))!;
    // Exactly the three cell borders of a two-column row: every other pipe is escaped.
    assert.equal(tagRow.replace(/\\\|/g, '').split('|').length - 1, 3, tagRow);
    assert.ok(tagRow.includes('`` has `tick` ``'));
    assert.ok(tagRow.includes('`**bold** [link](https://e.example)`'), 'markdown inside a code span stays text');
    assert.equal(codeSpan('plain'), '`plain`');
  });
});

describe('paged loader', () => {
  it('loads page one once, shares concurrent loads, and continues from the token', async () => {
    let calls = 0;
    const loader = new PagedLoader<number>(async (token) => {
      calls++;
      return token ? { items: [3, 4] } : { items: [1, 2], continuationToken: 'next' };
    });
    await Promise.all([loader.ensureFirstPage(), loader.ensureFirstPage()]);
    assert.equal(calls, 1);
    assert.deepEqual(loader.items, [1, 2]);
    assert.ok(loader.hasMore);
    await loader.loadMore();
    assert.deepEqual(loader.items, [1, 2, 3, 4]);
    assert.equal(loader.hasMore, false);
  });

  it('keeps an error instead of throwing, and can retry after reset', async () => {
    let fail = true;
    const loader = new PagedLoader<number>(async () => {
      if (fail) throw new Error('403');
      return { items: [1] };
    });
    await loader.ensureFirstPage();
    assert.equal((loader.error as Error).message, '403');
    fail = false;
    loader.reset();
    await loader.ensureFirstPage();
    assert.deepEqual(loader.items, [1]);
  });
});
