// Runs a Python candidate once to learn its version and whether it can import the server.
// It runs like the server: isolated (`-I`) and in the extension's folder, so that nothing of
// the workspace is imported, and through the launcher's own `prepare()`, so that it imports
// the server from where the launcher will.
import { execFile } from 'child_process';
import { ExtensionLayout, ISOLATED, PythonCandidate, PythonInfo } from './discovery';

const PROBE_TIMEOUT_MS = 20_000;

// Kept valid for old Pythons too, so that a Python 3 older than 3.10 is reported as too old
// and not as a syntax error (Pythons older than 3.4 refuse `-I` before reading it). The import
// check runs only on 3.10+. Its one argument is the launcher.
export const PROBE_SCRIPT = [
  'import json, sys',
  'info = {"version": list(sys.version_info[:3]), "implementation": sys.implementation.name if hasattr(sys, "implementation") else "unknown", "executable": sys.executable}',
  'if sys.version_info[:2] >= (3, 10):',
  '    try:',
  '        import runpy',
  '        runpy.run_path(sys.argv[1])["prepare"]()',
  '        import tfguard, tfguard.lsp, pygls, lsprotocol, hcl2',
  '    except Exception as error:',
  '        info["importError"] = "%s: %s" % (type(error).__name__, error)',
  'print("TFGUARD-PROBE " + json.dumps(info))',
].join('\n');

export interface ProbeInvocation {
  command: string;
  args: string[];
  options: { cwd: string; timeout: number; windowsHide: boolean; maxBuffer: number };
}

/** The process the probe starts: `<python> -I -B -c <script> <launcher>` in `layout.cwd`. */
export function probeInvocation(candidate: PythonCandidate, layout: Pick<ExtensionLayout, 'launcher' | 'cwd'>): ProbeInvocation {
  return {
    command: candidate.command,
    // -B: no .pyc files written into the extension's folders by a probe.
    args: [...candidate.args, ISOLATED, '-B', '-c', PROBE_SCRIPT, layout.launcher],
    options: { cwd: layout.cwd, timeout: PROBE_TIMEOUT_MS, windowsHide: true, maxBuffer: 1024 * 1024 },
  };
}

export function parseProbeOutput(stdout: string): PythonInfo {
  const line = stdout
    .split(/\r?\n/)
    .reverse()
    .find((l) => l.startsWith('TFGUARD-PROBE '));
  if (line === undefined) {
    throw new Error('it printed no version information');
  }
  const data: unknown = JSON.parse(line.slice('TFGUARD-PROBE '.length));
  if (typeof data !== 'object' || data === null) {
    throw new Error('it printed unreadable version information');
  }
  const raw = data as Record<string, unknown>;
  const version = raw.version;
  if (!Array.isArray(version) || version.length !== 3 || !version.every((n) => typeof n === 'number')) {
    throw new Error('it printed an unreadable version');
  }
  const info: PythonInfo = {
    version: [version[0], version[1], version[2]] as [number, number, number],
    implementation: typeof raw.implementation === 'string' ? raw.implementation : 'unknown',
    executable: typeof raw.executable === 'string' && raw.executable !== '' ? raw.executable : '?',
  };
  if (typeof raw.importError === 'string') {
    info.importError = raw.importError;
  }
  return info;
}

export function probePython(candidate: PythonCandidate, layout: Pick<ExtensionLayout, 'launcher' | 'cwd'>): Promise<PythonInfo> {
  const run = probeInvocation(candidate, layout);
  return new Promise((resolve, reject) => {
    execFile(
      run.command,
      run.args,
      run.options,
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') {
            reject(new Error('not found'));
          } else if (error.killed) {
            reject(new Error(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`));
          } else if (/^Unknown option:? -I\b/m.test(String(stderr))) {
            reject(new Error(`it is too old to know the ${ISOLATED} option (3.10 or newer is needed)`));
          } else {
            const detail = String(stderr).trim().split(/\r?\n/).pop() ?? '';
            reject(new Error(`it failed to run${detail ? `: ${detail}` : ''}`));
          }
          return;
        }
        try {
          resolve(parseProbeOutput(String(stdout)));
        } catch (parseError) {
          reject(parseError);
        }
      },
    );
  });
}
