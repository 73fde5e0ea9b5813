import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Emulator } from './emulator';
import { startTestEmulator } from '../support/emulator';
import { RawClient } from './schema/http-client';
import { Session } from './schema/session';
import type { SessionContext } from './schema/session-context';
import { ContractValidator, checkErrorBody, formatMismatches } from './schema/validator';
import { secretsSession } from './schema/session-secrets';
import { keysSession } from './schema/session-keys';
import { certificatesSession } from './schema/session-certificates';
import { storageSession } from './schema/session-storage';
import { hsmAdminSession } from './schema/session-hsm';
import { operation, type SpecFamily } from './schema/spec';
import { families as emulatorFamilies } from './families';

/**
 * Official examples whose own response breaks their operation's definition. The validator must reject exactly
 * these, and nothing else, among the examples: proof that it is neither too lax nor too strict.
 */
const KNOWN_EXAMPLE_DEFECTS: Record<string, { path: string; why: string }[]> = {
  'wrapKey-example.json': [{ path: '/value', why: 'standard base64 (+ and /) in a base64url field' }],
  'securewrapkey-example.json': [{ path: '/value', why: 'standard base64 (+ and /) in a base64url field' }],
  'ListRoleDefinitions-example.json': [{ path: '/value/0/properties', why: 'properties.type "roletype" is not in the RoleType enum' }],
};

/**
 * Where the emulator deliberately asks for another permission than an operation's (older) description names.
 * Key Vault access policies have dedicated rotation-policy permissions (`az keyvault set-policy --key-permissions
 * getrotationpolicy setrotationpolicy`), which the rotation-policy descriptions predate.
 */
const PERMISSION_DIVERGENCES: Record<string, { permission: string }> = {
  GetKeyRotationPolicy: { permission: 'keys/getrotationpolicy' },
  UpdateKeyRotationPolicy: { permission: 'keys/setrotationpolicy' },
};

describe('The emulator answers the way the Key Vault definitions say', () => {
  let emulator: Emulator;
  let raw: RawClient;
  let validator: ContractValidator;

  before(async () => {
    emulator = await startTestEmulator({ seed: 'demo' });
    emulator.recordExchanges = true;
    raw = new RawClient(emulator.ready);
    validator = new ContractValidator();
  });

  after(async () => {
    raw.close();
    await emulator.close();
  });

  it('the validator accepts every official example response except the examples’ known defects', () => {
    let checked = 0;
    const unexpected: string[] = [];
    for (const op of validator.spec.operations) {
      for (const file of op.examples) {
        const example = JSON.parse(readFileSync(file, 'utf8')) as { responses: Record<string, { body?: unknown }> };
        for (const [status, response] of Object.entries(example.responses)) {
          checked++;
          const problems = validator.checkResponse(op.operationId, Number(status), response.body);
          const known = KNOWN_EXAMPLE_DEFECTS[basename(file)] ?? [];
          const errors = problems.flatMap((p) => (p.errors.length ? p.errors : [p.problem]));
          const stray = errors.filter((e) => !known.some((k) => e.startsWith(k.path)));
          if (stray.length) unexpected.push(`${basename(file)} (${op.operationId} ${status}):\n  ${stray.join('\n  ')}`);
          if (known.length && errors.length === 0) unexpected.push(`${basename(file)} is listed as defective but now validates; remove it from KNOWN_EXAMPLE_DEFECTS`);
        }
      }
    }
    assert.ok(checked >= 80, `only ${checked} example responses found`);
    assert.deepEqual(unexpected, [], unexpected.join('\n'));
  });

  it('the validator rejects wrong types, missing required fields, unknown enums and properties, undeclared statuses', () => {
    const secret = { id: 'https://x/secrets/a/0123', value: 'v', attributes: { enabled: true, created: 1, updated: 1, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90 } };
    assert.deepEqual(validator.checkResponse('GetSecret', 200, secret), []);
    const cases: [string, string, number, unknown, RegExp][] = [
      ['a number where a string belongs', 'GetSecret', 200, { ...secret, value: 42 }, /\/value must be string/],
      ['an unknown enum value', 'GetSecret', 200, { ...secret, attributes: { ...secret.attributes, recoveryLevel: 'Forever' } }, /recoveryLevel must be equal to one of the allowed values/],
      ['a property the contract does not name', 'GetSecret', 200, { ...secret, secretValue: 'v' }, /must NOT have additional properties.*secretValue/],
      ['a fractional unix time', 'GetSecret', 200, { ...secret, attributes: { ...secret.attributes, created: 1.5 } }, /created must be integer/],
      ['a list whose value is not an array', 'GetSecrets', 200, { value: {}, nextLink: null }, /\/value must be array/],
      ['a missing required field', 'GetSetting', 200, { name: 'AllowKeyManagementOperationsThroughARM' }, /must have required property 'value'/],
      ['a 200 where 204 is declared', 'PurgeDeletedSecret', 200, {}, /not a declared success status/],
      ['a body on a 204', 'PurgeDeletedSecret', 204, { value: 1 }, /declared without a body/],
      ['an error without a code', 'GetSecret', 404, { error: { message: 'gone' } }, /without error\.code/],
      ['an operation the contract does not have', 'GetSecretValue', 200, {}, /not in the Key Vault definitions/],
    ];
    for (const [what, op, status, body, expected] of cases) {
      const text = validator.checkResponse(op, status, body).flatMap((p) => [p.problem, ...p.errors]).join('\n');
      assert.match(text, expected, `${what}: ${text || 'accepted'}`);
    }
  });

  it('every route asks for the access-policy permission its operation’s description names', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const route of emulatorFamilies.flatMap((f) => f.routes)) {
      const op = operation(validator.spec, route.operationId);
      const named = op && /requires the ([a-z]+)\/([a-z]+) permission/i.exec(op.description);
      if (!named) continue;
      // The descriptions say "key/backup" and "certificate/purge" in places; the permission families are plural.
      const family = named[1]!.toLowerCase().replace(/^(key|secret|certificate)$/, '$1s');
      const action = named[2]!.toLowerCase();
      const allowed = PERMISSION_DIVERGENCES[route.operationId];
      checked++;
      const have = route.permission ? `${route.permission.family}/${route.permission.action.toLowerCase()}` : '(none)';
      if (have !== `${family}/${action}` && have !== allowed?.permission) wrong.push(`${route.operationId} (${route.method} ${route.path}): asks for ${have}, the definitions say ${family}/${action}`);
    }
    assert.ok(checked > 40, `only ${checked} routes had a permission to check`);
    if (wrong.length) assert.fail(wrong.join('\n'));
  });

  const families: { family: SpecFamily; title: string; run: (ctx: SessionContext) => Promise<void> }[] = [
    { family: 'secrets', title: 'a secrets session through @azure/keyvault-secrets', run: secretsSession },
    { family: 'keys', title: 'a keys session through @azure/keyvault-keys (vault and HSM, with cryptography)', run: keysSession },
    { family: 'certificates', title: 'a certificates session through @azure/keyvault-certificates', run: certificatesSession },
    { family: 'storage', title: 'a storage accounts and SAS definitions session over raw HTTPS (api-version 7.5)', run: storageSession },
    { family: 'hsm', title: 'a Managed HSM administration session over raw HTTPS', run: hsmAdminSession },
  ];

  for (const { family, title, run } of families) {
    it(`${title} conforms to the definitions`, async (t) => {
      await runRecorded(t, family, run);
    });
  }

  it('every recorded error body carries error.code and error.message', () => {
    const errors = emulator.exchanges.filter((x) => x.status >= 400);
    assert.ok(errors.length > 5, `only ${errors.length} error answers were recorded; the sessions should provoke more`);
    const broken = errors.filter((x) => checkErrorBody(x.responseBody).length > 0).map((x) => `${x.status} ${x.method} ${new URL(x.url).pathname}: ${JSON.stringify(x.responseBody)}`);
    assert.deepEqual(broken, [], broken.join('\n'));
  });

  /** Runs one family's session, then validates exactly the exchanges it caused and reports coverage. */
  async function runRecorded(t: TestContext, family: SpecFamily, run: (ctx: SessionContext) => Promise<void>): Promise<void> {
    const start = emulator.exchanges.length;
    const s = new Session(() => emulator.exchanges.at(-1));
    await run({ ready: emulator.ready, raw, s });
    const exchanges = emulator.exchanges.slice(start);
    const mismatches = validator.validateExchanges(exchanges);
    const seen = new Set(exchanges.map((x) => x.operationId?.toLowerCase()).filter(Boolean));
    const ops = validator.spec.operations.filter((o) => o.family === family);
    const unexercised = ops.filter((o) => !seen.has(o.operationId.toLowerCase())).map((o) => o.operationId);
    t.diagnostic(`${exchanges.length} exchanges validated; ${ops.length - unexercised.length}/${ops.length} ${family} operations exercised; ${s.passed.length} steps passed`);
    if (unexercised.length) t.diagnostic(`not exercised: ${unexercised.join(', ')}`);
    for (const skip of s.skipped) t.diagnostic(`skipped ${skip}`);
    const report = [
      ...(s.failures.length ? [`${s.failures.length} step(s) failed:`, ...s.failures.map((f) => `  ${f}`)] : []),
      ...(mismatches.length ? [`${mismatches.length} response(s) do not match the definitions:`, formatMismatches(mismatches)] : []),
    ].join('\n');
    if (report) assert.fail(report);
  }
});
