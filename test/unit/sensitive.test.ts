import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { clearSensitiveForTests, maskSensitive, registerSensitive } from '../../src/keyvault/sensitive';

describe('masking of sensitive text', () => {
  beforeEach(() => clearSensitiveForTests());

  it('masks every registered value wherever it appears', () => {
    registerSensitive('hunter2-db-password');
    assert.equal(maskSensitive('Unexpected token in "hunter2-db-password" at 3; again hunter2-db-password'), 'Unexpected token in "***" at 3; again ***');
  });

  it('leaves very short values alone (they would mask ordinary words)', () => {
    registerSensitive('abc');
    assert.equal(maskSensitive('abc def'), 'abc def');
  });

  it('masks JWTs, bearer tokens and PEM private keys even when never registered', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL3ZhdWx0In0.c2lnbmF0dXJlLWhlcmU';
    assert.ok(!maskSensitive(`token ${jwt} end`).includes('eyJhdWQ'));
    assert.equal(maskSensitive('Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345'), 'Authorization: Bearer ***');
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
    assert.ok(!maskSensitive(`bad ${pem}`).includes('MIIEvQ'));
    assert.ok(!maskSensitive('-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA (truncated').includes('MIIEow'));
  });

  it('forgets the oldest values beyond its bound, keeping recent ones', () => {
    for (let i = 0; i < 2100; i++) registerSensitive(`value-number-${i}`);
    assert.equal(maskSensitive('value-number-2099'), '***');
    assert.equal(maskSensitive('value-number-0 x'), 'value-number-0 x');
  });
});
