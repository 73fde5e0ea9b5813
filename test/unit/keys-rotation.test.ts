import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPolicyDraft, describeAction, describePolicy, labelled, normalizeDuration, validateDuration } from '../../src/commands/keys/rotation';

describe('Rotation policy editor: durations', () => {
  it('accepts ISO 8601 and the shorthands people type, and writes ISO 8601', () => {
    assert.equal(normalizeDuration('P90D'), 'P90D');
    assert.equal(normalizeDuration(' p1y6m '), 'P1Y6M');
    assert.equal(normalizeDuration('90d'), 'P90D');
    assert.equal(normalizeDuration('3 months'), 'P3M');
    assert.equal(normalizeDuration('1 year'), 'P1Y');
    assert.equal(normalizeDuration('2w'), 'P2W');
    assert.equal(normalizeDuration('48h'), 'PT48H');
    assert.equal(normalizeDuration('ninety days'), undefined);
    assert.equal(normalizeDuration('P'), undefined);
    assert.equal(normalizeDuration(''), undefined);
  });

  it('labels durations in words beside the ISO text', () => {
    assert.equal(labelled('P90D'), 'P90D (90 days)');
    assert.equal(labelled('P1Y6M'), 'P1Y6M (1 year, 6 months)');
    assert.equal(labelled('bogus'), 'bogus');
  });

  it('validates a field with its minimum and says what was typed means', () => {
    assert.equal(validateDuration('P28D', 28, 'Expiry'), undefined);
    assert.match(validateDuration('P20D', 28, 'Expiry') ?? '', /at least 28 days; P20D is 20 days/);
    assert.match(validateDuration('soon', 7, 'Rotation time') ?? '', /ISO 8601 duration such as P90D/);
    assert.equal(validateDuration('1 year', 28, 'Expiry'), undefined);
  });
});

describe('Rotation policy editor: readable policy', () => {
  it('describes actions and the expiry in words', () => {
    assert.equal(describeAction({ action: 'Rotate', timeAfterCreate: 'P90D' }), 'Rotate 90 days after creation');
    assert.equal(describeAction({ action: 'Notify', timeBeforeExpiry: 'P30D' }), 'Notify 30 days before expiry');
    assert.deepEqual(describePolicy({ lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P90D' }, { action: 'Notify', timeBeforeExpiry: 'P30D' }], expiryTime: 'P1Y' }), [
      'Rotate 90 days after creation',
      'Notify 30 days before expiry',
      'New versions expire 1 year after creation',
    ]);
    assert.deepEqual(describePolicy({ lifetimeActions: [] }), ['No automatic rotation', 'New versions do not expire']);
  });
});

describe("Rotation policy editor: Key Vault's rules before saving", () => {
  it('accepts the policies the portal makes', () => {
    assert.deepEqual(checkPolicyDraft({ expiryTime: 'P1Y', lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P90D' }, { action: 'Notify', timeBeforeExpiry: 'P30D' }] }, 'vault'), []);
    assert.deepEqual(checkPolicyDraft({ expiryTime: 'P2Y', lifetimeActions: [{ action: 'Rotate', timeBeforeExpiry: 'P30D' }] }, 'hsm'), []);
    assert.deepEqual(checkPolicyDraft({ lifetimeActions: [] }, 'vault'), []);
  });

  it('refuses what the service refuses, saying why', () => {
    const problems = (draft: Parameters<typeof checkPolicyDraft>[0], kind: 'vault' | 'hsm' = 'vault') => checkPolicyDraft(draft, kind).join(' ');
    assert.match(problems({ expiryTime: 'P14D', lifetimeActions: [] }), /at least 28 days/);
    assert.match(problems({ lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P3D' }] }), /at least 7 days after creation/);
    assert.match(problems({ expiryTime: 'P60D', lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P58D' }] }), /too late/);
    assert.match(problems({ lifetimeActions: [{ action: 'Rotate', timeBeforeExpiry: 'P30D' }] }), /needs an expiry time/);
    assert.match(problems({ expiryTime: 'P1Y', lifetimeActions: [{ action: 'Notify', timeAfterCreate: 'P30D' }] }), /Notify can only be timed before expiry/);
    assert.match(problems({ expiryTime: 'P1Y', lifetimeActions: [{ action: 'Notify', timeBeforeExpiry: 'P30D' }] }, 'hsm'), /Managed HSM does not send expiry notifications/);
    assert.match(problems({ expiryTime: 'P1Y', lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P30D' }, { action: 'Rotate', timeAfterCreate: 'P60D' }] }), /at most one Rotate/);
    assert.match(problems({ expiryTime: 'P1Y', lifetimeActions: [{ action: 'Rotate' }] }), /exactly one trigger/);
    assert.match(problems({ expiryTime: 'P30D', lifetimeActions: [{ action: 'Notify', timeBeforeExpiry: 'P28D' }] }), /less than 7 days/);
  });
});
