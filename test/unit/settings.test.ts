import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ConfigurationChangeEvent, Disposable } from 'vscode';
import { DEFAULT_SETTINGS, parseSettings, SETTING_KEYS, Settings, SETTINGS_SECTION, type ConfigurationSource, type SettingsChange } from '../../src/settings';

interface ConfigurationProperty {
  default: unknown;
}
const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, ConfigurationProperty> } };
};
const declared = manifest.contributes.configuration.properties;

/** settings.json as a map; `keyVault.` keys only, as VS Code would scope them. */
function fakeWorkspace(values: Record<string, unknown> = {}) {
  const listeners = new Set<(e: ConfigurationChangeEvent) => unknown>();
  const source: ConfigurationSource = {
    getConfiguration: (section) => ({
      get: <T>(key: string) => values[`${section}.${key}`] as T,
    }),
    onDidChangeConfiguration(listener): Disposable {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
  };
  const change = (updates: Record<string, unknown>) => {
    Object.assign(values, updates);
    const event: ConfigurationChangeEvent = {
      affectsConfiguration: (section) => Object.keys(updates).some((k) => k === section || k.startsWith(`${section}.`)),
    };
    for (const l of listeners) l(event);
  };
  return { source, change, listenerCount: () => listeners.size };
}

describe('settings', () => {
  it('declares in package.json exactly the settings the accessor reads, with the same defaults', () => {
    const expected = Object.fromEntries(
      (Object.keys(SETTING_KEYS) as Array<keyof typeof SETTING_KEYS>).map((field) => [`${SETTINGS_SECTION}.${SETTING_KEYS[field]}`, DEFAULT_SETTINGS[field]]),
    );
    const actual = Object.fromEntries(Object.entries(declared).map(([key, property]) => [key, property.default]));
    assert.deepEqual(actual, expected);
  });

  it('uses the defaults when nothing is set', () => {
    assert.deepEqual(parseSettings(() => undefined), DEFAULT_SETTINGS);
  });

  it('reads values that are set and valid', () => {
    const values: Record<string, unknown> = {
      apiVersion: '7.5',
      pageSize: 10,
      'clipboard.clearAfterSeconds': 0,
      useMethodOverride: true,
      'expiry.warningDays': 7,
      'expiry.notify': false,
      'tree.groupBySubscription': true,
      requestTimeoutSeconds: 5,
      credential: 'azureCli',
      'emulator.readyFile': ' /tmp/ready.json ',
      'managedIdentity.clientId': 'client-id',
      selectedSubscriptions: ['t1/s1', 's2'],
      'reveal.autoHideSeconds': 0,
      'bulk.concurrency': 12,
    };
    assert.deepEqual(parseSettings((key) => values[key]), {
      apiVersion: '7.5',
      pageSize: 10,
      clipboardClearAfterSeconds: 0,
      useMethodOverride: true,
      expiryWarningDays: 7,
      expiryWatch: false,
      groupBySubscription: true,
      requestTimeoutSeconds: 5,
      credential: 'azureCli',
      emulatorReadyFile: '/tmp/ready.json',
      managedIdentityClientId: 'client-id',
      selectedSubscriptions: ['t1/s1', 's2'],
      revealAutoHideSeconds: 0,
      bulkConcurrency: 12,
    });
  });

  it('accepts preview api-versions and trims stray spaces', () => {
    assert.equal(parseSettings((k) => (k === 'apiVersion' ? '2016-10-01-preview' : undefined)).apiVersion, '2016-10-01-preview');
    assert.equal(parseSettings((k) => (k === 'apiVersion' ? ' 2025-07-01 ' : undefined)).apiVersion, '2025-07-01');
  });

  for (const [key, bad] of [
    ['apiVersion', 'latest'],
    ['apiVersion', 7.5],
    ['pageSize', 0],
    ['pageSize', 26],
    ['pageSize', 2.5],
    ['pageSize', '10'],
    ['clipboard.clearAfterSeconds', -1],
    ['clipboard.clearAfterSeconds', null],
    ['useMethodOverride', 'true'],
    ['credential', 'azurePowerShell'],
    ['credential', 3],
    ['emulator.readyFile', false],
    ['selectedSubscriptions', 's1'],
    ['reveal.autoHideSeconds', -5],
    ['reveal.autoHideSeconds', 3601],
    ['bulk.concurrency', 0],
    ['bulk.concurrency', 33],
    ['bulk.concurrency', 1.5],
  ] as const) {
    it(`falls back to the default when ${key} is ${JSON.stringify(bad)}`, () => {
      assert.deepEqual(parseSettings((k) => (k === key ? bad : undefined)), DEFAULT_SETTINGS);
    });
  }

  it('drops what is not a subscription entry from selectedSubscriptions', () => {
    assert.deepEqual(parseSettings((k) => (k === 'selectedSubscriptions' ? ['t/s', '', 7, null, ' s2 '] : undefined)).selectedSubscriptions, ['t/s', 's2']);
  });

  it('reads live values, so a change is seen without re-creating the accessor', () => {
    const ws = fakeWorkspace();
    const settings = new Settings(ws.source);
    assert.equal(settings.current.pageSize, 25);
    ws.change({ 'keyVault.pageSize': 5 });
    assert.equal(settings.current.pageSize, 5);
  });

  it('reports changes to keyVault settings with the fields that changed, and ignores other sections', () => {
    const ws = fakeWorkspace();
    const settings = new Settings(ws.source);
    const seen: SettingsChange[] = [];
    const subscription = settings.onDidChange((c) => seen.push(c));
    ws.change({ 'editor.fontSize': 20 });
    ws.change({ 'keyVault.clipboard.clearAfterSeconds': 60, 'keyVault.useMethodOverride': true });
    assert.equal(seen.length, 1);
    assert.deepEqual([...(seen[0]?.changed ?? [])].sort(), ['clipboardClearAfterSeconds', 'useMethodOverride']);
    assert.equal(seen[0]?.settings.clipboardClearAfterSeconds, 60);
    subscription.dispose();
    assert.equal(ws.listenerCount(), 0);
  });
});
