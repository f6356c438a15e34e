import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isSupportedVersion } from '../../src/discovery';
import { parseProbeOutput, probePython } from '../../src/probe';

const PYTHON = process.env.PYTHON ?? (process.platform === 'win32' ? 'python' : 'python3');

describe('parseProbeOutput', () => {
  test('reads the marked line and ignores noise printed before it', () => {
    const info = parseProbeOutput(
      'sitecustomize says hi\nTFGUARD-PROBE {"version": [3, 12, 4], "implementation": "cpython", "executable": "/usr/bin/python3"}\n',
    );
    assert.deepEqual(info, { version: [3, 12, 4], implementation: 'cpython', executable: '/usr/bin/python3' });
  });

  test('keeps the import error', () => {
    const info = parseProbeOutput(
      'TFGUARD-PROBE {"version": [3, 11, 0], "implementation": "cpython", "executable": "x", "importError": "ModuleNotFoundError: No module named \'tfguard\'"}',
    );
    assert.equal(info.importError, "ModuleNotFoundError: No module named 'tfguard'");
  });

  test('refuses output without the marker or with a malformed version', () => {
    assert.throws(() => parseProbeOutput('Python 3.12.0'), /no version information/);
    assert.throws(() => parseProbeOutput('TFGUARD-PROBE {"version": "3.12"}'), /unreadable version/);
  });
});

describe('probePython against real processes', () => {
  test('reports the version of the Python on this machine', async () => {
    const info = await probePython({ command: PYTHON, args: [], source: 'PATH' }, undefined);
    assert.equal(info.version.length, 3);
    assert.ok(info.version.every((n) => Number.isInteger(n)));
    assert.ok(isSupportedVersion(info.version), `the test machine runs Python ${info.version.join('.')}`);
    assert.notEqual(info.executable, '?');
  });

  test('reports an import error when the server cannot be imported from the given path', async () => {
    // A broken tfguard package first on the path shadows any installed one.
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'probe-'));
    try {
      mkdirSync(join(dir, 'tfguard'));
      writeFileSync(join(dir, 'tfguard', '__init__.py'), 'raise ImportError("broken on purpose")\n');
      const info = await probePython({ command: PYTHON, args: [], source: 'PATH' }, dir);
      assert.equal(info.importError, 'ImportError: broken on purpose');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a missing command is reported as not found', async () => {
    await assert.rejects(
      probePython({ command: 'python-that-does-not-exist-3', args: [], source: 'PATH' }, undefined),
      /not found/,
    );
  });

  test('a command that exits with an error is reported with its last stderr line', async () => {
    await assert.rejects(
      probePython({ command: process.execPath, args: ['-e', 'console.error("boom"); process.exit(3)', '--'], source: 'PATH' }, undefined),
      /failed to run: boom/,
    );
  });
});
