import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as path from 'node:path';
import {
  DiscoveryDeps,
  NoServerError,
  PythonCandidate,
  PythonInfo,
  discoverServer,
  extensionLayout,
  insideAny,
  interpreterInFolder,
  isPyLauncher,
  isSupportedVersion,
  pathCandidates,
  serverExecutable,
  windowsInstallCandidates,
} from '../../src/discovery';

type Behaviour = PythonInfo | Error;

const python = (version: [number, number, number], extra: Partial<PythonInfo> = {}): PythonInfo => ({
  version,
  implementation: 'cpython',
  executable: `/usr/bin/python${version[0]}.${version[1]}`,
  ...extra,
});

const LAYOUT = { launcher: '/ext/launcher/launch.py', bundled: true, cwd: '/ext' };

/** Deps whose probe answers from `pythons` (keyed by command) and records every call. */
function fakeDeps(pythons: Record<string, Behaviour>, overrides: Partial<DiscoveryDeps> = {}) {
  const probed: string[] = [];
  const logs: string[] = [];
  let extensionAsked = 0;
  const deps: DiscoveryDeps = {
    path: '',
    interpreter: '',
    layout: LAYOUT,
    platform: 'linux',
    async pythonExtensionInterpreter() {
      extensionAsked += 1;
      return undefined;
    },
    async probe(candidate: PythonCandidate) {
      const name = [candidate.command, ...candidate.args].join(' ');
      probed.push(name);
      const behaviour = pythons[name] ?? new Error('not found');
      if (behaviour instanceof Error) {
        throw behaviour;
      }
      return behaviour;
    },
    async exists() {
      return true;
    },
    log: (message) => logs.push(message),
    ...overrides,
  };
  return { deps, probed, logs, extensionAsked: () => extensionAsked };
}

describe('discoverServer order', () => {
  test('tfguard.path wins and is run as `<path> lsp` without probing any Python', async () => {
    const fake = fakeDeps({ python3: python([3, 12, 1]) }, { path: '/opt/tfguard/bin/tfguard', interpreter: '/venv/bin/python' });
    const server = await discoverServer(fake.deps);
    assert.equal(server.command, '/opt/tfguard/bin/tfguard');
    assert.deepEqual(server.args, ['lsp']);
    assert.deepEqual(server.env, {});
    assert.equal(server.cwd, '/ext');
    assert.equal(server.source, 'tfguard.path');
    assert.deepEqual(fake.probed, []);
    assert.equal(fake.extensionAsked(), 0);
  });

  test('a tfguard.path that does not exist is reported against that setting', async () => {
    const fake = fakeDeps({}, { path: '/nowhere/tfguard', exists: async () => false });
    await assert.rejects(discoverServer(fake.deps), (error: unknown) => {
      assert.ok(error instanceof NoServerError);
      assert.equal(error.setting, 'tfguard.path');
      assert.match(error.message, /\/nowhere\/tfguard/);
      return true;
    });
  });

  test('a bare tfguard.path is left to the PATH lookup', async () => {
    const fake = fakeDeps({}, { path: 'tfguard', exists: async () => false });
    const server = await discoverServer(fake.deps);
    assert.equal(server.command, 'tfguard');
  });

  test('tfguard.interpreter comes before the Python extension and PATH', async () => {
    const fake = fakeDeps({ '/venv/bin/python': python([3, 11, 4]), python3: python([3, 12, 0]) }, { interpreter: '/venv/bin/python' });
    const server = await discoverServer(fake.deps);
    assert.equal(server.command, '/venv/bin/python');
    assert.deepEqual(server.args, ['-I', '/ext/launcher/launch.py', 'lsp']);
    assert.equal(server.source, 'tfguard.interpreter');
    assert.deepEqual(fake.probed, ['/venv/bin/python']);
    assert.equal(fake.extensionAsked(), 0);
  });

  test('an unusable tfguard.interpreter is an error, not a silent fallback', async () => {
    const fake = fakeDeps({ '/old/python': python([3, 8, 10]), python3: python([3, 12, 0]) }, { interpreter: '/old/python' });
    await assert.rejects(discoverServer(fake.deps), (error: unknown) => {
      assert.ok(error instanceof NoServerError);
      assert.equal(error.setting, 'tfguard.interpreter');
      assert.match(error.message, /3\.8\.10 is too old/);
      return true;
    });
    assert.deepEqual(fake.probed, ['/old/python']);
  });

  test('the Python extension interpreter comes before PATH', async () => {
    const fake = fakeDeps(
      { '/proj/.venv/bin/python': python([3, 13, 0]), python3: python([3, 12, 0]) },
      { pythonExtensionInterpreter: async () => '/proj/.venv/bin/python' },
    );
    const server = await discoverServer(fake.deps);
    assert.equal(server.command, '/proj/.venv/bin/python');
    assert.equal(server.source, 'Python extension');
    assert.deepEqual(fake.probed, ['/proj/.venv/bin/python']);
  });

  test('in an untrusted workspace its own interpreter is never run', async () => {
    const fake = fakeDeps(
      { '/proj/.venv/bin/python': python([3, 13, 0]), python3: python([3, 12, 0]) },
      {
        pythonExtensionInterpreter: async () => '/proj/.venv/bin/python',
        untrustedFolders: ['/proj'],
      },
    );
    const server = await discoverServer(fake.deps);
    assert.equal(server.command, 'python3');
    assert.deepEqual(fake.probed, ['python3']);
    assert.ok(fake.logs.some((l) => l.includes('/proj/.venv/bin/python') && l.includes('untrusted')));
  });

  test('an interpreter outside the untrusted workspace is still used', async () => {
    const fake = fakeDeps(
      { '/opt/py/bin/python': python([3, 13, 0]) },
      {
        pythonExtensionInterpreter: async () => '/opt/py/bin/python',
        untrustedFolders: ['/proj', '/opt/py-other'],
      },
    );
    const server = await discoverServer(fake.deps);
    assert.equal(server.command, '/opt/py/bin/python');
  });

  test('a too old Python extension interpreter falls through to python3 on PATH', async () => {
    const fake = fakeDeps(
      { '/proj/.venv/bin/python': python([3, 9, 18]), python3: python([3, 12, 0]) },
      { pythonExtensionInterpreter: async () => '/proj/.venv/bin/python' },
    );
    const server = await discoverServer(fake.deps);
    assert.equal(server.command, 'python3');
    assert.equal(server.source, 'PATH');
    assert.deepEqual(fake.probed, ['/proj/.venv/bin/python', 'python3']);
    assert.ok(fake.logs.some((l) => l.includes('/proj/.venv/bin/python') && l.includes('too old')));
  });

  test('a failing Python extension is logged and skipped', async () => {
    const fake = fakeDeps(
      { python3: python([3, 10, 0]) },
      {
        pythonExtensionInterpreter: async () => {
          throw new Error('activation failed');
        },
      },
    );
    const server = await discoverServer(fake.deps);
    assert.equal(server.command, 'python3');
    assert.ok(fake.logs.some((l) => l.includes('activation failed')));
  });

  test('python3 missing from PATH falls back to python', async () => {
    const fake = fakeDeps({ python: python([3, 11, 0]) });
    const server = await discoverServer(fake.deps);
    assert.equal(server.command, 'python');
    assert.deepEqual(fake.probed, ['python3', 'python']);
  });

  test('a Python that cannot import the bundled server is refused with the import error', async () => {
    const fake = fakeDeps({
      python3: python([3, 12, 0], { importError: "ModuleNotFoundError: No module named 'regex._regex'" }),
      python: python([3, 11, 0]),
    });
    const server = await discoverServer(fake.deps);
    assert.equal(server.command, 'python');
    assert.ok(fake.logs.some((l) => l.includes('cannot load the bundled server') && l.includes('regex._regex')));
  });

  test('nothing usable: one error that lists every candidate in order with its reason', async () => {
    const fake = fakeDeps(
      { '/proj/.venv/bin/python': python([3, 9, 1]), python: python([2, 7, 18]) },
      { pythonExtensionInterpreter: async () => '/proj/.venv/bin/python' },
    );
    await assert.rejects(discoverServer(fake.deps), (error: unknown) => {
      assert.ok(error instanceof NoServerError);
      assert.equal(error.setting, undefined);
      assert.match(error.message, /No Python 3\.10 or newer/);
      assert.deepEqual(
        error.attempts.map((a) => [a.candidate, a.source]),
        [
          ['/proj/.venv/bin/python', 'Python extension'],
          ['python3', 'PATH'],
          ['python', 'PATH'],
        ],
      );
      assert.deepEqual(
        error.attempts.map((a) => a.reason),
        [
          'Python 3.9.1 is too old (3.10 or newer is needed)',
          'not found',
          'Python 2.7.18 is too old (3.10 or newer is needed)',
        ],
      );
      return true;
    });
  });
});

describe('bundled server launch', () => {
  test('isolated through the launcher, in the extension folder, with no PYTHONPATH', async () => {
    const fake = fakeDeps({ python3: python([3, 12, 0]) });
    const server = await discoverServer(fake.deps);
    assert.deepEqual(server.args, ['-I', '/ext/launcher/launch.py', 'lsp']);
    assert.deepEqual(server.env, {});
    assert.equal(server.cwd, '/ext');
    assert.match(server.description, /bundled server with Python 3\.12\.0/);
    assert.deepEqual(serverExecutable(server), {
      command: 'python3',
      args: ['-I', '/ext/launcher/launch.py', 'lsp'],
      options: { env: {}, cwd: '/ext' },
    });
  });

  test('Windows tries python then the py launcher, whose -3 goes before -I', async () => {
    const fake = fakeDeps({ 'py -3': python([3, 12, 0]) }, { platform: 'win32' });
    const server = await discoverServer(fake.deps);
    assert.equal(server.command, 'py');
    assert.deepEqual(server.args, ['-3', '-I', '/ext/launcher/launch.py', 'lsp']);
    assert.deepEqual(server.env, {});
    assert.deepEqual(fake.probed, ['python', 'py -3']);
  });

  test('without a bundle the same launch uses the tfguard installed for the interpreter', async () => {
    const fake = fakeDeps(
      { python3: python([3, 12, 0], { importError: "ModuleNotFoundError: No module named 'tfguard'" }), python: python([3, 11, 2]) },
      { layout: { ...LAYOUT, bundled: false } },
    );
    const server = await discoverServer(fake.deps);
    assert.equal(server.command, 'python');
    assert.deepEqual(server.args, ['-I', '/ext/launcher/launch.py', 'lsp']);
    assert.deepEqual(server.env, {});
    assert.equal(server.cwd, '/ext');
    assert.match(server.description, /installed server/);
    assert.ok(fake.logs.some((l) => l.includes('tfguard is not installed')));
  });

  test('the extension layout: launcher/launch.py, bundled when bundled/libs/tfguard exists, cwd the extension', () => {
    const seen: string[] = [];
    const bundled = extensionLayout(path.join(path.sep, 'ext'), (file) => {
      seen.push(file);
      return true;
    });
    assert.deepEqual(bundled, {
      launcher: path.join(path.sep, 'ext', 'launcher', 'launch.py'),
      bundled: true,
      cwd: path.join(path.sep, 'ext'),
    });
    assert.deepEqual(seen, [path.join(path.sep, 'ext', 'bundled', 'libs', 'tfguard')]);
    assert.equal(extensionLayout(path.join(path.sep, 'ext'), () => false).bundled, false);
  });
});

describe('version checks', () => {
  test('3.10 is the oldest supported Python', () => {
    assert.equal(isSupportedVersion([3, 10, 0]), true);
    assert.equal(isSupportedVersion([3, 14, 2]), true);
    assert.equal(isSupportedVersion([4, 0, 0]), true);
    assert.equal(isSupportedVersion([3, 9, 20]), false);
    assert.equal(isSupportedVersion([2, 7, 18]), false);
  });

  test('PATH candidates per platform', () => {
    assert.deepEqual(pathCandidates('linux').map((c) => c.command), ['python3', 'python']);
    assert.deepEqual(pathCandidates('darwin').map((c) => c.command), ['python3', 'python']);
    assert.deepEqual(pathCandidates('win32').map((c) => [c.command, ...c.args].join(' ')), ['python', 'py -3']);
  });
});

describe('Windows interpreters', () => {
  const win = (version: [number, number, number], executable: string): PythonInfo => ({
    version,
    implementation: 'cpython',
    executable,
  });
  const LOCAL = 'C:\\Users\\ana\\AppData\\Local';
  const ENV = { LOCALAPPDATA: LOCAL, ProgramFiles: 'C:\\Program Files', SystemRoot: 'C:\\Windows' };
  /** A Windows file system: the files that exist and the folders' entries. */
  const windowsFs = (files: string[], folders: Record<string, string[]>): Partial<DiscoveryDeps> => ({
    platform: 'win32',
    env: ENV,
    exists: async (file) => files.includes(file),
    isDirectory: async (file) => file in folders,
    listDir: async (folder) => folders[folder] ?? [],
  });

  test('a virtual environment folder as tfguard.interpreter means its Scripts\\python.exe', async () => {
    const venv = 'C:\\work\\infra\\.venv';
    const python = 'C:\\work\\infra\\.venv\\Scripts\\python.exe';
    const fake = fakeDeps(
      { [python]: win([3, 12, 4], python) },
      { interpreter: venv, ...windowsFs([python], { [venv]: ['Scripts', 'pyvenv.cfg'] }) },
    );
    const server = await discoverServer(fake.deps);
    assert.equal(server.command, python);
    assert.deepEqual(server.args, ['-I', '/ext/launcher/launch.py', 'lsp']);
    assert.equal(server.source, 'tfguard.interpreter');
    assert.deepEqual(fake.probed, [python]);
  });

  test('a venv folder elsewhere means its bin/python', async () => {
    const fake = fakeDeps(
      { '/srv/venv/bin/python': python([3, 11, 9]) },
      { interpreter: '/srv/venv', isDirectory: async (file) => file === '/srv/venv' },
    );
    const server = await discoverServer(fake.deps);
    assert.equal(server.command, '/srv/venv/bin/python');
  });

  test('py.exe as tfguard.interpreter runs as py.exe -3', async () => {
    const launcher = 'C:\\Windows\\py.exe';
    const fake = fakeDeps(
      { [`${launcher} -3`]: win([3, 13, 1], 'C:\\Python313\\python.exe') },
      { interpreter: launcher, ...windowsFs([launcher], {}) },
    );
    const server = await discoverServer(fake.deps);
    assert.equal(server.command, launcher);
    assert.deepEqual(server.args, ['-3', '-I', '/ext/launcher/launch.py', 'lsp']);
    assert.equal(isPyLauncher('py', 'win32'), true);
    assert.equal(isPyLauncher('C:\\Windows\\PY.EXE', 'win32'), true);
    assert.equal(isPyLauncher('python.exe', 'win32'), false);
    assert.equal(isPyLauncher('py', 'linux'), false);
  });

  test('nothing on PATH: the py launcher, then per-user and all-users installs, newest first', async () => {
    const perUser = `${LOCAL}\\Programs\\Python`;
    const files = [
      `${perUser}\\Launcher\\py.exe`,
      `${perUser}\\Python311\\python.exe`,
      `${perUser}\\Python313\\python.exe`,
      `${perUser}\\Python39\\python.exe`,
      `${perUser}\\Python312-32\\python.exe`,
      'C:\\Program Files\\Python310\\python.exe',
    ];
    const folders: Record<string, string[]> = {
      [perUser]: ['Launcher', 'Python311', 'Python313', 'Python39', 'Python312-32', 'notes.txt'],
      'C:\\Program Files': ['Python310', 'Common Files'],
    };
    const candidates = await windowsInstallCandidates(
      ENV,
      async (folder) => folders[folder] ?? [],
      async (file) => files.includes(file),
      true,
    );
    assert.deepEqual(
      candidates.map((c) => [c.command, ...c.args].join(' ')),
      [
        `${perUser}\\Launcher\\py.exe -3`,
        `${perUser}\\Python313\\python.exe`,
        `${perUser}\\Python311\\python.exe`,
        `${perUser}\\Python39\\python.exe`,
        'C:\\Program Files\\Python310\\python.exe',
      ],
    );
    assert.ok(candidates.every((c) => c.source === 'standard location'));

    // Through discovery: PATH first (python, py -3: not found), then those, the first usable wins.
    const fake = fakeDeps(
      {
        [`${perUser}\\Launcher\\py.exe -3`]: new Error('it failed to run: No suitable Python runtime found'),
        [`${perUser}\\Python313\\python.exe`]: win([3, 13, 2], `${perUser}\\Python313\\python.exe`),
      },
      windowsFs(files, folders),
    );
    const server = await discoverServer(fake.deps);
    assert.equal(server.command, `${perUser}\\Python313\\python.exe`);
    assert.equal(server.source, 'standard location');
    assert.deepEqual(fake.probed, ['python', 'py -3', `${perUser}\\Launcher\\py.exe -3`, `${perUser}\\Python313\\python.exe`]);
  });

  test('without a bundle, 32-bit installs are candidates too', async () => {
    const folders: Record<string, string[]> = { 'C:\\Program Files': ['Python312-32'] };
    const python = 'C:\\Program Files\\Python312-32\\python.exe';
    const candidates = await windowsInstallCandidates(ENV, async (f) => folders[f] ?? [], async (f) => f === python, false);
    assert.deepEqual(candidates.map((c) => c.command), [python]);
  });

  test('other platforms look in no Windows folder', async () => {
    let listed = 0;
    const fake = fakeDeps({}, { listDir: async () => { listed += 1; return []; }, env: ENV });
    await assert.rejects(discoverServer(fake.deps));
    assert.equal(listed, 0);
  });

  test("an untrusted workspace's venv is refused whatever the case and the slashes", async () => {
    const fromExtension = 'c:/Work/Infra/.venv/Scripts/python.exe';
    const fake = fakeDeps(
      { [fromExtension]: win([3, 12, 0], fromExtension), python: win([3, 12, 0], 'C:\\Python312\\python.exe') },
      {
        ...windowsFs([], {}),
        pythonExtensionInterpreter: async () => fromExtension,
        untrustedFolders: ['C:\\work\\infra'],
      },
    );
    const server = await discoverServer(fake.deps);
    assert.equal(server.command, 'python');
    assert.deepEqual(fake.probed, ['python']);
    assert.equal(insideAny('C:\\work\\infra\\.venv\\Scripts\\python.exe', ['c:/WORK/infra'], 'win32'), true);
    assert.equal(insideAny('C:\\work\\infra2\\python.exe', ['C:\\work\\infra'], 'win32'), false);
    assert.equal(insideAny('D:\\work\\infra\\python.exe', ['C:\\work\\infra'], 'win32'), false);
    assert.equal(insideAny('/Work/infra/python', ['/work/infra'], 'linux'), false);
  });

  test('folder interpreters per platform', () => {
    assert.equal(interpreterInFolder('C:\\venv', 'win32'), 'C:\\venv\\Scripts\\python.exe');
    assert.equal(interpreterInFolder('/venv', 'darwin'), '/venv/bin/python');
  });
});
