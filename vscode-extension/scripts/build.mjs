// Bundles the extension (and, on request, the unit and end-to-end tests) with esbuild.
//   node scripts/build.mjs [--production] [--tests] [--e2e]
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'fs';
import { dirname, join } from 'path';
import { fileURLToPath } from 'url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const flags = new Set(process.argv.slice(2));
const production = flags.has('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  logLevel: 'warning',
  absWorkingDir: root,
};

const testEntries = (folder) =>
  readdirSync(join(root, folder))
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => join(folder, name));

const builds = [];
if (flags.has('--tests')) {
  builds.push({
    ...common,
    entryPoints: testEntries('test/unit'),
    outdir: 'out/test',
    sourcemap: 'inline',
    // The code under test imports 'vscode'; the tests run it against a small fake.
    alias: { vscode: './test/mocks/vscode.ts' },
  });
}
if (flags.has('--e2e')) {
  builds.push({
    ...common,
    entryPoints: testEntries('e2e'),
    outdir: 'out/e2e',
    sourcemap: 'inline',
    external: ['playwright-core'],
  });
}
if (builds.length === 0 || production) {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  builds.push({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    minify: production,
    sourcemap: !production,
  });
}
await Promise.all(builds.map((options) => esbuild.build(options)));
