// Builds bundled/ (the tfguard server and its libraries, unpacked from wheels) for one VS Code
// target, so that the extension runs `python -I launcher/launch.py lsp` (which puts
// bundled/libs first on sys.path) with no pip install on the user's side.
//
//   node scripts/bundle-server.mjs [--target linux-x64]    (default: $TFGUARD_TARGET, else
//                                                          this machine; PYTHON=... picks
//                                                          the Python that runs pip)
//
// The work is done by scripts/bundle_server.py (see there): the dependencies are resolved for
// CPython 3.10 to 3.14 on the target's platform, pure-Python wheels are unpacked once and the
// compiled modules of every version side by side; bundled/manifest.json lists what went in.
import { execFileSync } from 'child_process';
import { dirname, join } from 'path';
import { fileURLToPath } from 'url';
import { hostTarget } from './targets.mjs';

const extensionRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const python = process.env.PYTHON || (process.platform === 'win32' ? 'python' : 'python3');
const args = process.argv.slice(2);
const flag = args.indexOf('--target');
const target = flag >= 0 ? args[flag + 1] : process.env.TFGUARD_TARGET || hostTarget();

execFileSync(python, [join(extensionRoot, 'scripts', 'bundle_server.py'), '--target', target], {
  cwd: extensionRoot,
  stdio: 'inherit',
});
