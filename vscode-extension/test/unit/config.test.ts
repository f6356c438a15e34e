import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, test } from 'node:test';
import type * as vscode from 'vscode';
import {
  SERVER_KEYS,
  affectsLaunch,
  affectsServer,
  defaultServerSettings,
  readLaunchSettings,
  readServerSettings,
  toServerSettings,
} from '../../src/config';
import { Uri, mock } from '../mocks/vscode';

const fromObject = (values: Record<string, unknown>) => (key: string) => values[key];

describe('toServerSettings', () => {
  test('an empty minimum severity leaves the choice to the project (null)', () => {
    const { value, warnings } = toServerSettings(fromObject({ minimumSeverity: '' }));
    assert.equal(value.minimumSeverity, null);
    assert.deepEqual(warnings, []);
  });

  test('unset values give the defaults and no warning', () => {
    const { value, warnings } = toServerSettings(() => undefined);
    assert.deepEqual(value, defaultServerSettings());
    assert.deepEqual(warnings, []);
  });

  test('valid values pass through under the camelCase keys the server reads', () => {
    const { value, warnings } = toServerSettings(
      fromObject({
        minimumSeverity: 'high',
        disabledRules: ['rule-a', 'rule-b'],
        severityMap: { critical: 'warning', low: 'hint' },
        debounceMs: 750,
        workspaceScan: false,
        maxFileKiB: 2048,
      }),
    );
    assert.deepEqual(warnings, []);
    assert.deepEqual(value, {
      minimumSeverity: 'high',
      disabledRules: ['rule-a', 'rule-b'],
      severityMap: { critical: 'warning', high: 'error', medium: 'warning', low: 'hint', info: 'hint' },
      debounceMs: 750,
      workspaceScan: false,
      maxFileKiB: 2048,
    });
    assert.deepEqual(Object.keys(value).sort(), [...SERVER_KEYS].sort());
  });

  test('labels are normalised: case, spaces, duplicate and empty rule ids', () => {
    const { value, warnings } = toServerSettings(
      fromObject({
        minimumSeverity: ' MEDIUM ',
        disabledRules: [' rule-a ', 'rule-a', 'rule-b'],
        severityMap: { High: 'Information' },
      }),
    );
    assert.equal(value.minimumSeverity, 'medium');
    assert.deepEqual(value.disabledRules, ['rule-a', 'rule-b']);
    assert.equal(value.severityMap.high, 'information');
    assert.deepEqual(warnings, []);
  });

  test('invalid values fall back to the default, each with a warning naming the setting', () => {
    const defaults = defaultServerSettings();
    const { value, warnings } = toServerSettings(
      fromObject({
        minimumSeverity: 'severe',
        disabledRules: ['ok', 42, ''],
        severityMap: { urgent: 'error', high: 'loud' },
        debounceMs: 'soon',
        workspaceScan: 'yes',
        maxFileKiB: 1.5,
      }),
    );
    assert.equal(value.minimumSeverity, defaults.minimumSeverity);
    assert.deepEqual(value.disabledRules, ['ok']);
    assert.deepEqual(value.severityMap, defaults.severityMap);
    assert.equal(value.debounceMs, defaults.debounceMs);
    assert.equal(value.workspaceScan, defaults.workspaceScan);
    assert.equal(value.maxFileKiB, defaults.maxFileKiB);
    const named = warnings.map((w) => w.split(':')[0]);
    assert.deepEqual(named, [
      'tfguard.minimumSeverity',
      'tfguard.disabledRules',
      'tfguard.disabledRules',
      'tfguard.severityMap.urgent',
      'tfguard.severityMap.high',
      'tfguard.debounceMs',
      'tfguard.workspaceScan',
      'tfguard.maxFileKiB',
    ]);
  });

  test('wrong container types are refused whole', () => {
    const { value, warnings } = toServerSettings(
      fromObject({ disabledRules: 'rule-a', severityMap: ['error'] }),
    );
    assert.deepEqual(value.disabledRules, []);
    assert.deepEqual(value.severityMap, defaultServerSettings().severityMap);
    assert.equal(warnings.length, 2);
  });

  test('debounce is rounded and clamped', () => {
    assert.equal(toServerSettings(fromObject({ debounceMs: -5 })).value.debounceMs, 0);
    assert.equal(toServerSettings(fromObject({ debounceMs: 12.6 })).value.debounceMs, 13);
    assert.equal(toServerSettings(fromObject({ debounceMs: 1e9 })).value.debounceMs, 10_000);
    assert.equal(toServerSettings(fromObject({ debounceMs: Number.NaN })).warnings.length, 1);
  });
});

describe('settings read through the vscode API', () => {
  beforeEach(() => mock.reset());

  test('readServerSettings maps tfguard.* settings for the given scope', () => {
    mock.settings.set('tfguard.minimumSeverity', 'low');
    mock.settings.set('tfguard.disabledRules', ['x']);
    mock.folderSettings.set('/ws/b', new Map<string, unknown>([['tfguard.minimumSeverity', 'critical']]));
    const folderB = Uri.file('/ws/b');
    assert.equal(readServerSettings().value.minimumSeverity, 'low');
    const inB = readServerSettings(folderB as unknown as vscode.Uri).value;
    assert.equal(inB.minimumSeverity, 'critical');
    assert.deepEqual(inB.disabledRules, ['x']);
    assert.equal(mock.configurationScopes.at(-1), folderB);
  });

  test('readLaunchSettings trims and ignores non-strings', () => {
    mock.settings.set('tfguard.path', '  /opt/tfguard/bin/tfguard ');
    mock.settings.set('tfguard.interpreter', 3);
    assert.deepEqual(readLaunchSettings(), { path: '/opt/tfguard/bin/tfguard', interpreter: '' });
  });

  test('a launch setting change restarts, a server setting change notifies', () => {
    const event = (...changed: string[]) =>
      ({ affectsConfiguration: (name: string) => changed.includes(name) }) as vscode.ConfigurationChangeEvent;
    assert.equal(affectsLaunch(event('tfguard.interpreter')), true);
    assert.equal(affectsLaunch(event('tfguard.minimumSeverity')), false);
    assert.equal(affectsServer(event('tfguard.minimumSeverity')), true);
    assert.equal(affectsServer(event('tfguard.workspaceScan')), true);
    assert.equal(affectsServer(event('tfguard.trace.server')), false);
    assert.equal(affectsServer(event('editor.fontSize')), false);
  });
});

describe('package.json contributions', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const properties: Record<string, { default?: unknown; enum?: unknown[] }> =
    manifest.contributes.configuration.properties;

  test('every server setting is contributed, and its default maps to the default sent', () => {
    for (const key of SERVER_KEYS) {
      assert.ok(properties[`tfguard.${key}`], `tfguard.${key} is not contributed`);
    }
    const mapped = toServerSettings((key) => properties[`tfguard.${key}`]?.default);
    assert.deepEqual(mapped.warnings, []);
    assert.deepEqual(mapped.value, defaultServerSettings());
  });

  test('every choice offered for the minimum severity is accepted', () => {
    for (const choice of properties['tfguard.minimumSeverity'].enum ?? []) {
      assert.deepEqual(toServerSettings(() => choice).warnings.filter((w) => w.includes('minimumSeverity')), []);
    }
  });

  test('the launch and trace settings exist and nothing else is contributed', () => {
    const expected = [...SERVER_KEYS.map((k) => `tfguard.${k}`), 'tfguard.path', 'tfguard.interpreter', 'tfguard.trace.server'];
    assert.deepEqual(Object.keys(properties).sort(), expected.sort());
  });

  test('commands and activation cover the issue', () => {
    const commands = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(commands, ['tfguard.restart', 'tfguard.scanWorkspace', 'tfguard.showLogs']);
    for (const event of ['onLanguage:terraform', 'onLanguage:opentofu', 'workspaceContains:**/*.tf', 'workspaceContains:**/*.tofu']) {
      assert.ok(manifest.activationEvents.includes(event), event);
    }
  });
});
