import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import type * as vscode from 'vscode';
import { StatusBar, countFindings, describeScan, statusView } from '../../src/status';
import { ThemeColor, mock } from '../mocks/vscode';

const diagnostic = (source: string | undefined) => ({ source }) as vscode.Diagnostic;
const uri = (name: string) => name as unknown as vscode.Uri;

describe('status bar', () => {
  beforeEach(() => mock.reset());

  test('counts tfguard findings and the files that have any, ignoring other sources', () => {
    const all: [vscode.Uri, vscode.Diagnostic[]][] = [
      [uri('a.tf'), [diagnostic('tfguard'), diagnostic('tfguard'), diagnostic('terraform')]],
      [uri('b.tf'), [diagnostic('terraform'), diagnostic(undefined)]],
      [uri('c.tf'), [diagnostic('tfguard')]],
      [uri('d.tf'), []],
    ];
    assert.deepEqual(countFindings(all), { findings: 3, files: 2 });
    assert.deepEqual(countFindings([]), { findings: 0, files: 0 });
  });

  test('views per state', () => {
    assert.match(statusView('starting', 0, 0).text, /loading~spin/);
    assert.equal(statusView('running', 0, 0).text, '$(shield) tfguard 0');
    assert.equal(statusView('running', 1, 1).tooltip, 'tfguard: 1 finding in 1 file. Click for the logs.');
    assert.equal(statusView('running', 5, 2).tooltip, 'tfguard: 5 findings in 2 files. Click for the logs.');
    const failed = statusView('failed', 0, 0, 'no server could be started');
    assert.equal(failed.error, true);
    assert.match(failed.tooltip, /no server could be started/);
  });

  test('the item follows state and counts and opens the logs on click', () => {
    const bar = new StatusBar('tfguard.showLogs');
    const item = mock.statusBarItems[0];
    assert.equal(item.command, 'tfguard.showLogs');
    assert.equal(item.visible, true);
    bar.setState('running');
    bar.setCounts({ findings: 4, files: 2 });
    assert.equal(item.text, '$(shield) tfguard 4');
    assert.equal(item.backgroundColor, undefined);
    bar.setState('failed', 'the server stopped');
    const color: unknown = item.backgroundColor;
    assert.ok(color instanceof ThemeColor);
    assert.equal(color.id, 'statusBarItem.errorBackground');
    bar.dispose();
    assert.equal(item.disposed, true);
  });

  test('the workspace scan summary', () => {
    assert.equal(
      describeScan({ modules: 2, files: 5, findings: 1, cancelled: false }),
      'tfguard: scanned 5 files in 2 modules, 1 finding',
    );
    assert.equal(describeScan({ modules: 1, files: 1, findings: 0 }), 'tfguard: scanned 1 file in 1 module, 0 findings');
    assert.equal(describeScan({ files: 3, findings: 2 }), 'tfguard: scanned 3 files, 2 findings');
    assert.equal(describeScan({ modules: 0, files: 0, findings: 0, cancelled: true }), 'tfguard: workspace scan cancelled');
    assert.equal(describeScan(null), undefined);
    assert.equal(describeScan({ files: '3' }), undefined);
  });
});
