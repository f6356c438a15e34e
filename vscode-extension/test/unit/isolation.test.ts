// Opening a repository must not run its code. These tests start real Python processes the way
// the extension does (probe, then server) while a "workspace" full of planted modules is the
// extension host's current directory and is on PYTHONPATH, and check that none of them ran.
// The server is a stand-in in bundled/libs that records how it was started.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ServerCommand, discoverServer, extensionLayout, serverExecutable } from '../../src/discovery';
import { probePython } from '../../src/probe';

const PYTHON = process.env.PYTHON ?? (process.platform === 'win32' ? 'python' : 'python3');
const LAUNCHER_SOURCE = resolve(__dirname, '..', '..', 'launcher', 'launch.py');

// Modules the probe or the server would import first if the workspace were on sys.path.
const PLANTED = ['tfguard/__init__.py', 'pygls/__init__.py', 'cachetools.py', 'lark.py', 'hcl2.py', 'lsprotocol.py', 'json.py', 'runpy.py', 'sitecustomize.py', 'usercustomize.py'];

interface Record {
  who: string;
  argv: string[];
  cwd: string;
  isolated: number;
  path: string[];
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** Python source that appends what this process looks like to `records` as one JSON line. */
function recorder(records: string, who: string): string {
  return [
    'import json, os, sys',
    `with open(${JSON.stringify(records)}, "a") as out:`,
    `    out.write(json.dumps({"who": ${JSON.stringify(who)}, "argv": sys.argv[1:], "cwd": os.getcwd(), "isolated": sys.flags.isolated, "path": sys.path}) + "\\n")`,
  ].join('\n');
}

let root: string;
let workspace: string;
let markers: string;
let extension: string;
let records: string;

function readRecords(): Record[] {
  if (!existsSync(records)) {
    return [];
  }
  return readFileSync(records, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record);
}

function plantedImports(): string[] {
  return readdirSync(markers);
}

/** Runs `body` as if the extension host had been started in the workspace with it on PYTHONPATH. */
async function inHostileHost<T>(body: () => Promise<T>): Promise<T> {
  const cwd = process.cwd();
  const pythonPath = process.env.PYTHONPATH;
  process.chdir(workspace);
  process.env.PYTHONPATH = workspace;
  try {
    return await body();
  } finally {
    process.chdir(cwd);
    if (pythonPath === undefined) {
      delete process.env.PYTHONPATH;
    } else {
      process.env.PYTHONPATH = pythonPath;
    }
  }
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill(), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stderr });
    });
  });
}

async function discover(): Promise<ServerCommand> {
  const layout = extensionLayout(extension, existsSync);
  return discoverServer({
    path: '',
    interpreter: PYTHON,
    layout,
    platform: process.platform,
    pythonExtensionInterpreter: async () => undefined,
    probe: (candidate) => probePython(candidate, layout),
    exists: async () => true,
    log: () => undefined,
  });
}

function isInside(file: string, folder: string): boolean {
  return file === folder || file.startsWith(folder + sep);
}

describe('nothing of the workspace runs', () => {
  before(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'tfguard-isolation-')));
    workspace = join(root, 'workspace');
    markers = join(root, 'markers');
    extension = join(root, 'extension');
    records = join(root, 'records.jsonl');
    mkdirSync(markers);
    for (const name of PLANTED) {
      const marker = join(markers, name.replace(/[/\\]/g, '.'));
      write(join(workspace, name), `open(${JSON.stringify(marker)}, "w").close()\n`);
    }
    // The extension: the real launcher and a stand-in server in bundled/libs.
    mkdirSync(join(extension, 'launcher'), { recursive: true });
    copyFileSync(LAUNCHER_SOURCE, join(extension, 'launcher', 'launch.py'));
    const libs = join(extension, 'bundled', 'libs');
    write(join(libs, 'tfguard', '__init__.py'), recorder(records, 'import tfguard') + '\n');
    write(join(libs, 'tfguard', 'lsp.py'), '');
    write(join(libs, 'tfguard', 'cli.py'), `def main(argv):\n    ${recorder(records, 'tfguard.cli.main').replace(/\n/g, '\n    ')}\n    return 0\n`);
    for (const name of ['pygls.py', 'lsprotocol.py', 'hcl2.py']) {
      write(join(libs, name), '');
    }
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  beforeEach(() => {
    rmSync(markers, { recursive: true, force: true });
    mkdirSync(markers);
    rmSync(records, { force: true });
  });

  test('the plants work: the old launch (-m tfguard in the workspace, PYTHONPATH set) runs them', async () => {
    const result = await run(PYTHON, ['-m', 'tfguard', 'lsp'], {
      cwd: workspace,
      env: { ...process.env, PYTHONPATH: join(extension, 'bundled', 'libs') },
    });
    // The planted tfguard package; on Python 3.10 already the planted runpy that -m loads.
    const imported = plantedImports();
    assert.ok(
      imported.includes('tfguard.__init__.py') || imported.includes('runpy.py'),
      `exit ${result.code}, imported [${imported.join(', ')}]: ${result.stderr}`,
    );
  });

  test('probe and server start isolated through the launcher, in the extension folder', async () => {
    const command = await inHostileHost(discover);
    assert.equal(command.command, PYTHON);
    assert.deepEqual(command.args, ['-I', join(extension, 'launcher', 'launch.py'), 'lsp']);
    assert.match(command.description, /^bundled server/);
    const executable = serverExecutable(command);
    assert.equal(executable.options.cwd, extension);
    assert.ok(!isInside(executable.options.cwd, workspace));
    assert.equal(executable.options.env.PYTHONPATH, undefined);

    // The language client merges the env into its own and appends --stdio.
    const result = await inHostileHost(() =>
      run(executable.command, [...executable.args, '--stdio'], {
        cwd: executable.options.cwd,
        env: { ...process.env, ...executable.options.env },
      }),
    );
    assert.equal(result.code, 0, result.stderr);

    assert.deepEqual(plantedImports(), []);
    const seen = readRecords();
    const libs = join(extension, 'bundled', 'libs');
    const probe = seen[0];
    assert.equal(probe?.who, 'import tfguard', JSON.stringify(seen));
    assert.deepEqual(probe.argv, [join(extension, 'launcher', 'launch.py')]);
    const server = seen.find((r) => r.who === 'tfguard.cli.main');
    assert.ok(server !== undefined, JSON.stringify(seen));
    assert.deepEqual(server.argv, ['lsp', '--stdio']);
    for (const record of [probe, server]) {
      assert.equal(record.isolated, 1);
      assert.equal(record.cwd, extension);
      assert.equal(record.path[0], libs);
      assert.ok(!record.path.some((p) => p === '' || isInside(p, workspace)), record.path.join('\n'));
    }
  });
});
