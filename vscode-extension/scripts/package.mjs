// Packages the extension with the bundled server for one VS Code target or for all of them:
//   npm run package             -> tfguard-<version>-<this machine's target>.vsix
//   npm run package -- --target darwin-arm64
//   npm run package:all         -> one .vsix per target in scripts/targets.mjs
// vsce runs the vscode:prepublish script (build, then bundle-server) before packing; the
// target reaches bundle-server through TFGUARD_TARGET, so each .vsix holds the compiled
// modules of its own platform.
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'fs';
import { createRequire } from 'module';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { fileURLToPath } from 'url';
import { TARGETS, hostTarget } from './targets.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsce = join(dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');

const args = process.argv.slice(2);
const flag = args.indexOf('--target');
let targets;
if (args.includes('--all')) {
  targets = TARGETS;
} else if (flag >= 0) {
  targets = [args[flag + 1]];
} else {
  targets = [hostTarget()];
}
const unknown = targets.filter((t) => !TARGETS.includes(t));
if (unknown.length) {
  throw new Error(`no bundle for ${unknown.join(', ')}: the targets are ${TARGETS.join(', ')}`);
}

const begin = Date.now();
// One tfguard wheel for all the targets of this run (built by the first bundle).
const wheelDir = mkdtempSync(join(tmpdir(), 'tfguard-wheel-'));
try {
  for (const target of targets) {
    const started = Date.now();
    const out = join(root, `tfguard-${version}-${target}.vsix`);
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
      { cwd: root, stdio: 'inherit', env: { ...process.env, TFGUARD_TARGET: target, TFGUARD_WHEEL_DIR: wheelDir } },
    );
    const size = (statSync(out).size / 1024 / 1024).toFixed(2);
    console.log(`packaged ${out} (${size} MiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
} finally {
  rmSync(wheelDir, { recursive: true, force: true });
}
if (targets.length > 1) {
  console.log(`packaged ${targets.length} targets in ${((Date.now() - begin) / 1000).toFixed(1)} s`);
}
