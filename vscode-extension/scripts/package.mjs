// Packages the extension for the platform it runs on (the bundled server has compiled
// modules for that platform): `npm run package` -> tfguard-<version>-<target>.vsix
import { execFileSync } from 'child_process';
import { readFileSync, statSync } from 'fs';
import { createRequire } from 'module';
import { dirname, join } from 'path';
import { fileURLToPath } from 'url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function hostTarget() {
  const arch = { x64: 'x64', arm64: 'arm64', arm: 'armhf' }[process.arch];
  if (arch === undefined || !['linux', 'darwin', 'win32'].includes(process.platform)) {
    throw new Error(`no VS Code target for ${process.platform}-${process.arch}`);
  }
  if (process.platform === 'linux' && !process.report.getReport().header.glibcVersionRuntime) {
    return `alpine-${arch}`;
  }
  return `${process.platform}-${arch}`;
}

// Always the host: the bundled compiled modules are the ones pip picked for this platform.
const target = hostTarget();
const out = join(root, `tfguard-${version}-${target}.vsix`);
const vsce = join(dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
const started = Date.now();
execFileSync(
  process.execPath,
  [
    vsce, 'package',
    '--target', target,
    '--out', out,
    '--no-dependencies',
    '--allow-missing-repository',
    '--skip-license',
    '--no-rewrite-relative-links',
  ],
  { cwd: root, stdio: 'inherit' },
);
const size = (statSync(out).size / 1024 / 1024).toFixed(2);
console.log(`packaged ${out} (${size} MiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
