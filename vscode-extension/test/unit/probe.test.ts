import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { isSupportedVersion } from '../../src/discovery';
import { PROBE_SCRIPT, parseProbeOutput, probeInvocation, probePython } from '../../src/probe';

const PYTHON = process.env.PYTHON ?? (process.platform === 'win32' ? 'python' : 'python3');
// This extension's folder (the tests run from out/test, the sources are in test/unit).
const EXTENSION_ROOT = resolve(__dirname, '..', '..');
const EXTENSION = { launcher: join(EXTENSION_ROOT, 'launcher', 'launch.py'), cwd: EXTENSION_ROOT };

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

describe('probeInvocation', () => {
  test('runs the candidate isolated, without writing bytecode, in the extension folder, with the launcher as argument', () => {
    const run = probeInvocation({ command: 'py', args: ['-3'], source: 'PATH' }, { launcher: '/ext/launcher/launch.py', cwd: '/ext' });
    assert.equal(run.command, 'py');
    assert.deepEqual(run.args, ['-3', '-I', '-B', '-c', PROBE_SCRIPT, '/ext/launcher/launch.py']);
    assert.equal(run.options.cwd, '/ext');
  });
});

describe('probePython against real processes', () => {
  test('reports the version of the Python on this machine', async () => {
    const info = await probePython({ command: PYTHON, args: [], source: 'PATH' }, EXTENSION);
    assert.equal(info.version.length, 3);
    assert.ok(info.version.every((n) => Number.isInteger(n)));
    assert.ok(isSupportedVersion(info.version), `the test machine runs Python ${info.version.join('.')}`);
    assert.notEqual(info.executable, '?');
  });

  test('reports an import error when the bundled server cannot be imported', async () => {
    // A broken tfguard package in bundled/libs, which the launcher puts first on the path,
    // shadows any installed one.
    const dir = mkdtempSync(join(tmpdir(), 'probe-'));
    try {
      mkdirSync(join(dir, 'launcher'));
      copyFileSync(EXTENSION.launcher, join(dir, 'launcher', 'launch.py'));
      mkdirSync(join(dir, 'bundled', 'libs', 'tfguard'), { recursive: true });
      writeFileSync(join(dir, 'bundled', 'libs', 'tfguard', '__init__.py'), 'raise ImportError("broken on purpose")\n');
      const info = await probePython(
        { command: PYTHON, args: [], source: 'PATH' },
        { launcher: join(dir, 'launcher', 'launch.py'), cwd: dir },
      );
      assert.equal(info.importError, 'ImportError: broken on purpose');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a missing launcher is an import error that names it', async () => {
    const launcher = join(EXTENSION_ROOT, 'no-such-launcher.py');
    const info = await probePython({ command: PYTHON, args: [], source: 'PATH' }, { launcher, cwd: EXTENSION_ROOT });
    assert.match(info.importError ?? '', /FileNotFoundError: .*no-such-launcher\.py/);
  });

  test('a Python that does not know -I (older than 3.4) is refused as too old', async () => {
    const script = 'console.error("Unknown option: -I"); console.error("usage: python [option] ..."); process.exit(2)';
    await assert.rejects(
      probePython({ command: process.execPath, args: ['-e', script, '--'], source: 'PATH' }, EXTENSION),
      /too old to know the -I option \(3\.10 or newer is needed\)/,
    );
  });

  test('a missing command is reported as not found', async () => {
    await assert.rejects(
      probePython({ command: 'python-that-does-not-exist-3', args: [], source: 'PATH' }, EXTENSION),
      /not found/,
    );
  });

  test('a command that exits with an error is reported with its last stderr line', async () => {
    await assert.rejects(
      probePython({ command: process.execPath, args: ['-e', 'console.error("boom"); process.exit(3)', '--'], source: 'PATH' }, EXTENSION),
      /failed to run: boom/,
    );
  });
});
