// Installs the tfguard server and its dependencies into bundled/libs, so that the extension
// runs `python -I launcher/launch.py lsp` (which puts bundled/libs first on sys.path) with no
// pip install on the user's side.
//
//   node scripts/bundle-server.mjs        (PYTHON=... picks the Python used to build)
//
// The dependencies are resolved for the oldest supported Python (3.10), so version markers
// pull in every backport. Dependencies that ship compiled extension modules are pure Python
// apart from those modules; their modules for the newer Python versions are added beside the
// first ones (CPython loads the file whose ABI tag matches), so one folder serves 3.10 to 3.14
// on the platform it was built on.
import { execFileSync } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, relative } from 'path';
import { fileURLToPath } from 'url';

const extensionRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(extensionRoot, '..');
const libs = join(extensionRoot, 'bundled', 'libs');
const python = process.env.PYTHON || (process.platform === 'win32' ? 'python' : 'python3');
const BASE_VERSION = '3.10';
const EXTRA_VERSIONS = ['3.11', '3.12', '3.13', '3.14'];

function run(command, args, options = {}) {
  const shown = args.map((a) => (a.includes('\n') ? '<script>' : a.includes(' ') ? JSON.stringify(a) : a));
  console.log(`$ ${[command, ...shown].join(' ')}`);
  return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...options });
}

function pip(...args) {
  return run(python, ['-m', 'pip', '--disable-pip-version-check', '--no-input', ...args], {
    env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' },
  });
}

// The wheel is built from a copy (top-level files and server/), so that the build leaves no
// build/ or egg-info folder in the working tree.
function copySource(dest) {
  for (const entry of readdirSync(repoRoot, { withFileTypes: true })) {
    if (entry.isFile()) {
      cpSync(join(repoRoot, entry.name), join(dest, entry.name));
    }
  }
  cpSync(join(repoRoot, 'server'), join(dest, 'server'), {
    recursive: true,
    filter: (source) => !/(__pycache__|\.egg-info)$/.test(source),
  });
}

function distInfos() {
  return readdirSync(libs).filter((name) => name.endsWith('.dist-info'));
}

function metadata(distInfo) {
  const text = readFileSync(join(libs, distInfo, 'METADATA'), 'utf8');
  const field = (name) => text.match(new RegExp(`^${name}: (.+)$`, 'm'))?.[1].trim();
  return { name: field('Name'), version: field('Version') };
}

function isPure(distInfo) {
  const wheel = readFileSync(join(libs, distInfo, 'WHEEL'), 'utf8');
  return /^Root-Is-Purelib: true$/m.test(wheel);
}

function removeAll(folder, test) {
  for (const name of readdirSync(folder)) {
    const full = join(folder, name);
    if (test(name, full)) {
      rmSync(full, { recursive: true, force: true });
    } else if (statSync(full).isDirectory()) {
      removeAll(full, test);
    }
  }
}

function folderSize(folder) {
  let total = 0;
  for (const name of readdirSync(folder)) {
    const full = join(folder, name);
    const stat = statSync(full);
    total += stat.isDirectory() ? folderSize(full) : stat.size;
  }
  return total;
}

// Copies the compiled extension modules of a wheel into libs (the Python files are the same
// as in the wheel installed for 3.10).
const EXTRACT_MODULES = `
import sys, zipfile, os
wheel, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        top = name.split("/", 1)[0]
        if top.endswith((".dist-info", ".data")):
            continue
        if name.endswith((".so", ".pyd")):
            z.extract(name, target)
            print(name)
`;

// Imports the server through the launcher's prepare(), which must find bundled/libs.
const BUNDLE_CHECK = `
import runpy, sys
libs = runpy.run_path(sys.argv[1])["prepare"]()
if libs is None:
    sys.exit("the launcher found no bundled/libs")
import tfguard, tfguard.lsp, pygls, lsprotocol, hcl2
print("bundle imports fine from", libs)
`;

const started = Date.now();
rmSync(join(extensionRoot, 'bundled'), { recursive: true, force: true });
mkdirSync(libs, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'tfguard-bundle-'));
try {
  const source = join(work, 'source');
  copySource(source);
  pip('wheel', '--quiet', '--no-deps', '--wheel-dir', join(work, 'wheel'), source);
  const wheel = readdirSync(join(work, 'wheel')).find((name) => name.endsWith('.whl'));
  if (wheel === undefined) {
    throw new Error('pip built no wheel of tfguard');
  }
  pip(
    'install', '--quiet', '--no-compile', '--target', libs,
    '--only-binary=:all:', '--implementation', 'cp', '--python-version', BASE_VERSION,
    join(work, 'wheel', wheel),
  );

  for (const distInfo of distInfos().filter((d) => !isPure(d))) {
    const { name, version } = metadata(distInfo);
    for (const pyVersion of EXTRA_VERSIONS) {
      const dest = join(work, `${name}-${pyVersion}`);
      try {
        pip(
          'download', '--quiet', '--no-deps', '--only-binary=:all:', '--implementation', 'cp',
          '--python-version', pyVersion, '--dest', dest, `${name}==${version}`,
        );
      } catch {
        console.warn(`warning: no ${name} ${version} build for Python ${pyVersion} on this platform`);
        continue;
      }
      for (const file of readdirSync(dest).filter((f) => f.endsWith('.whl'))) {
        run(python, ['-c', EXTRACT_MODULES, join(dest, file), libs]);
      }
    }
  }

  rmSync(join(libs, 'bin'), { recursive: true, force: true });
  removeAll(libs, (name) => name === '__pycache__');

  // The bundle must work on its own, as the launcher sets it up: isolated (-I), no
  // site-packages (-S), only bundled/libs on the path.
  run(python, ['-I', '-S', '-B', '-c', BUNDLE_CHECK, join(extensionRoot, 'launcher', 'launch.py')]);
} finally {
  rmSync(work, { recursive: true, force: true });
}

const packages = distInfos().map((d) => {
  const { name, version } = metadata(d);
  return `${name} ${version}${isPure(d) ? '' : ' (compiled)'}`;
});
const binaries = [];
removeAll(libs, (name, full) => {
  if (name.endsWith('.so') || name.endsWith('.pyd')) {
    binaries.push(relative(libs, full));
  }
  return false;
});
console.log(`bundled/libs: ${packages.join(', ')}`);
console.log(`compiled modules: ${binaries.length ? binaries.join(', ') : 'none'}`);
console.log(
  `size ${(folderSize(libs) / 1024 / 1024).toFixed(1)} MiB, built in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
if (!existsSync(join(libs, 'tfguard'))) {
  throw new Error('bundled/libs has no tfguard package');
}
