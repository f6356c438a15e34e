// Decides how to start the server. Order:
//   1. `tfguard.path`: run that executable as `<path> lsp`;
//   2. the bundled server, `<python> -I <extension>/launcher/launch.py lsp`: isolated mode
//      keeps the workspace, PYTHONPATH and the user site-packages off `sys.path`, and the
//      launcher puts the bundled libraries first. <python> is the first Python >= 3.10 that can
//      import the server that way among
//      a. `tfguard.interpreter` (an explicit choice: when it is unusable we stop and say so),
//      b. the interpreter selected in the Python extension,
//      c. `python3` / `python` on PATH (`python` / `py -3` on Windows);
//      d. on Windows, where the python.org installers put Python when it is not on PATH:
//         the `py` launcher (`%LOCALAPPDATA%\Programs\Python\Launcher\py.exe`,
//         `%SystemRoot%\py.exe`), then `%LOCALAPPDATA%\Programs\Python\Python3XY\python.exe`
//         and `%ProgramFiles%\Python3XY\python.exe`, newest first;
//   3. otherwise a NoServerError that names every candidate and why it was refused.
// A `tfguard.interpreter` (or Python extension interpreter) that names a virtual environment's
// folder means its interpreter (`Scripts\python.exe` on Windows, `bin/python` elsewhere); a
// bare `py` or `py.exe` gets `-3`, like the launcher found on PATH.
// Every process (the probes too) runs in the extension's own folder, never in the workspace:
// nothing there can be picked up as a module, and on Windows not as a `python.exe` either.
// Everything outside this file is injected, so the order is unit-tested without VS Code.
import * as path from 'path';

export const MIN_PYTHON: readonly [number, number] = [3, 10];

export type Source = 'tfguard.path' | 'tfguard.interpreter' | 'Python extension' | 'PATH' | 'standard location';

/** Where the extension's own files are; see `extensionLayout`. */
export interface ExtensionLayout {
  /** The launcher script every Python runs the server through (`launcher/launch.py`). */
  launcher: string;
  /** True when `bundled/libs` holds the server (a packaged build); the launcher then puts it first. */
  bundled: boolean;
  /** Working directory of every process the extension starts: its own folder. */
  cwd: string;
}

export const LAUNCHER = ['launcher', 'launch.py'] as const;
export const BUNDLED_LIBS = ['bundled', 'libs'] as const;
/** Isolated mode: no current directory, script folder, PYTHON* variables or user site-packages. */
export const ISOLATED = '-I';

export function extensionLayout(extensionPath: string, exists: (file: string) => boolean): ExtensionLayout {
  return {
    launcher: path.join(extensionPath, ...LAUNCHER),
    bundled: exists(path.join(extensionPath, ...BUNDLED_LIBS, 'tfguard')),
    cwd: extensionPath,
  };
}

export interface ServerCommand {
  command: string;
  args: string[];
  /** Extra environment variables for the server process. */
  env: Record<string, string>;
  /** Working directory of the server process (outside the workspace). */
  cwd: string;
  source: Source;
  /** One line for the log: what runs and why. */
  description: string;
}

export interface PythonCandidate {
  command: string;
  /** Arguments placed before `-I <launcher> lsp` (`-3` for the Windows launcher). */
  args: string[];
  source: Exclude<Source, 'tfguard.path'>;
}

export interface PythonInfo {
  version: [number, number, number];
  implementation: string;
  executable: string;
  /** Set when `import tfguard` (and its dependencies) failed with the libraries given. */
  importError?: string;
}

export interface DiscoveryDeps {
  /** `tfguard.path` and `tfguard.interpreter` with variables already expanded ('' when unset). */
  path: string;
  interpreter: string;
  layout: ExtensionLayout;
  platform: NodeJS.Platform;
  pythonExtensionInterpreter(): Promise<string | undefined>;
  /**
   * Runs the candidate (isolated, in `layout.cwd`) and reports its version and whether it
   * imports the server the way the launcher will. Throws if it cannot run.
   */
  probe(candidate: PythonCandidate): Promise<PythonInfo>;
  /** False when an absolute path names nothing; bare command names are not checked. */
  exists(file: string): Promise<boolean>;
  log(message: string): void;
  /**
   * The workspace folders while the workspace is not trusted (empty when it is): an
   * interpreter inside one of them (a `.venv` the repository ships) is never run.
   */
  untrustedFolders?: string[];
  /** True when an absolute path is a folder (a virtual environment named by its folder). */
  isDirectory?(file: string): Promise<boolean>;
  /** The names in a folder ([] when it cannot be read); used for the Windows install folders. */
  listDir?(folder: string): Promise<string[]>;
  /** Environment variables (`LOCALAPPDATA`, `ProgramFiles`, `SystemRoot` on Windows). */
  env?: Record<string, string | undefined>;
}

/** The path flavour of `platform`: Windows paths are compared the Windows way on any host. */
export function pathsOf(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/**
 * Whether `file` lies inside one of `folders` (compared as absolute, normalised paths; on
 * Windows whatever the case and the slashes).
 */
export function insideAny(file: string, folders: string[], platform: NodeJS.Platform = process.platform): boolean {
  const paths = pathsOf(platform);
  const fold = (p: string): string => (platform === 'win32' ? paths.resolve(p).toLowerCase() : paths.resolve(p));
  const resolved = fold(file);
  return folders.some((folder) => {
    const rel = paths.relative(fold(folder), resolved);
    return rel === '' || (!rel.startsWith('..') && !paths.isAbsolute(rel));
  });
}

export interface Attempt {
  candidate: string;
  source: Source;
  reason: string;
}

export class NoServerError extends Error {
  constructor(
    message: string,
    readonly attempts: Attempt[],
    /** The setting to fix, when the failure comes from one. */
    readonly setting?: 'tfguard.path' | 'tfguard.interpreter',
  ) {
    super(message);
    this.name = 'NoServerError';
  }
}

export function pathCandidates(platform: NodeJS.Platform): PythonCandidate[] {
  if (platform === 'win32') {
    return [
      { command: 'python', args: [], source: 'PATH' },
      { command: 'py', args: ['-3'], source: 'PATH' },
    ];
  }
  return [
    { command: 'python3', args: [], source: 'PATH' },
    { command: 'python', args: [], source: 'PATH' },
  ];
}

/** Whether `command` is the Windows `py` launcher, which needs `-3` to pick a Python 3. */
export function isPyLauncher(command: string, platform: NodeJS.Platform): boolean {
  return platform === 'win32' && /^py(\.exe)?$/i.test(pathsOf(platform).basename(command));
}

/** The interpreter of a virtual environment (or Python install) folder. */
export function interpreterInFolder(folder: string, platform: NodeJS.Platform): string {
  const paths = pathsOf(platform);
  return platform === 'win32' ? paths.join(folder, 'Scripts', 'python.exe') : paths.join(folder, 'bin', 'python');
}

/**
 * Where the python.org installers put Python on Windows, for when it is not on PATH: the
 * `py` launcher (per user, then for all users), then each `Python3XY` folder (per user, then
 * for all users), newest first. 32-bit and Arm builds are left out when the bundled compiled
 * modules are for x64.
 */
export async function windowsInstallCandidates(
  env: Record<string, string | undefined>,
  listDir: (folder: string) => Promise<string[]>,
  exists: (file: string) => Promise<boolean>,
  bundled: boolean,
): Promise<PythonCandidate[]> {
  const win = path.win32;
  const candidates: PythonCandidate[] = [];
  const perUser = env.LOCALAPPDATA ? win.join(env.LOCALAPPDATA, 'Programs', 'Python') : undefined;
  const launchers = [
    perUser && win.join(perUser, 'Launcher', 'py.exe'),
    env.SystemRoot && win.join(env.SystemRoot, 'py.exe'),
  ];
  for (const launcher of launchers) {
    if (launcher && (await exists(launcher))) {
      candidates.push({ command: launcher, args: ['-3'], source: 'standard location' });
    }
  }
  for (const base of [perUser, env.ProgramFiles]) {
    if (!base) {
      continue;
    }
    const installs = (await listDir(base))
      .map((name) => ({ name, match: /^Python3(\d+)(-32|-arm64)?$/i.exec(name) }))
      .filter(({ match }) => match !== null && !(bundled && match[2] !== undefined))
      .sort((a, b) => Number(b.match?.[1]) - Number(a.match?.[1]));
    for (const { name } of installs) {
      const python = win.join(base, name, 'python.exe');
      if (await exists(python)) {
        candidates.push({ command: python, args: [], source: 'standard location' });
      }
    }
  }
  return candidates;
}

export function formatVersion(version: readonly number[]): string {
  return version.join('.');
}

export function isSupportedVersion(version: readonly number[]): boolean {
  const [major = 0, minor = 0] = version;
  return major > MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor >= MIN_PYTHON[1]);
}

function isAbsolute(file: string): boolean {
  return file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith('\\\\');
}

function display(candidate: PythonCandidate): string {
  return [candidate.command, ...candidate.args].join(' ');
}

/** Why `info` cannot run the server, or undefined when it can. */
export function refusal(info: PythonInfo, bundled: boolean): string | undefined {
  if (!isSupportedVersion(info.version)) {
    return `Python ${formatVersion(info.version)} is too old (${formatVersion(MIN_PYTHON)} or newer is needed)`;
  }
  if (info.importError !== undefined) {
    return bundled
      ? `cannot load the bundled server: ${info.importError}`
      : `tfguard is not installed for it: ${info.importError}`;
  }
  return undefined;
}

export async function discoverServer(deps: DiscoveryDeps): Promise<ServerCommand> {
  if (deps.path !== '') {
    if (isAbsolute(deps.path) && !(await deps.exists(deps.path))) {
      throw new NoServerError(
        `tfguard.path is set to "${deps.path}", which does not exist.`,
        [{ candidate: deps.path, source: 'tfguard.path', reason: 'does not exist' }],
        'tfguard.path',
      );
    }
    return {
      command: deps.path,
      args: ['lsp'],
      env: {},
      cwd: deps.layout.cwd,
      source: 'tfguard.path',
      description: `${deps.path} lsp (from tfguard.path)`,
    };
  }

  const { bundled } = deps.layout;
  const attempts: Attempt[] = [];

  const tryCandidate = async (candidate: PythonCandidate): Promise<ServerCommand | undefined> => {
    let reason: string | undefined;
    try {
      const info = await deps.probe(candidate);
      reason = refusal(info, bundled);
      if (reason === undefined) {
        const where = bundled ? 'bundled server' : 'installed server';
        return {
          command: candidate.command,
          args: [...candidate.args, ISOLATED, deps.layout.launcher, 'lsp'],
          env: {},
          cwd: deps.layout.cwd,
          source: candidate.source,
          description:
            `${where} with Python ${formatVersion(info.version)} at ${info.executable} ` +
            `(from ${candidate.source})`,
        };
      }
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
    attempts.push({ candidate: display(candidate), source: candidate.source, reason });
    deps.log(`Not using ${display(candidate)} (from ${candidate.source}): ${reason}`);
    return undefined;
  };

  // A folder (a virtual environment) means its interpreter; a bare py launcher gets -3.
  const asCandidate = async (
    command: string,
    source: 'tfguard.interpreter' | 'Python extension',
  ): Promise<PythonCandidate> => {
    if (isAbsolute(command) && deps.isDirectory !== undefined && (await deps.isDirectory(command))) {
      command = interpreterInFolder(command, deps.platform);
    }
    return { command, args: isPyLauncher(command, deps.platform) ? ['-3'] : [], source };
  };

  if (deps.interpreter !== '') {
    const chosen = await tryCandidate(await asCandidate(deps.interpreter, 'tfguard.interpreter'));
    if (chosen !== undefined) {
      return chosen;
    }
    throw new NoServerError(
      `tfguard.interpreter "${deps.interpreter}" cannot run the tfguard server: ${attempts[0]?.reason ?? 'unknown error'}.`,
      attempts,
      'tfguard.interpreter',
    );
  }

  let fromExtension: string | undefined;
  try {
    fromExtension = await deps.pythonExtensionInterpreter();
  } catch (error) {
    deps.log(`The Python extension did not report an interpreter: ${String(error)}`);
  }
  const candidates: PythonCandidate[] = [];
  if (fromExtension !== undefined && fromExtension !== '') {
    const untrusted = deps.untrustedFolders ?? [];
    if (isAbsolute(fromExtension) && insideAny(fromExtension, untrusted, deps.platform)) {
      const reason = 'inside the untrusted workspace';
      attempts.push({ candidate: fromExtension, source: 'Python extension', reason });
      deps.log(`Not using ${fromExtension} (from Python extension): ${reason}`);
    } else {
      candidates.push(await asCandidate(fromExtension, 'Python extension'));
    }
  }
  candidates.push(...pathCandidates(deps.platform));
  if (deps.platform === 'win32') {
    candidates.push(
      ...(await windowsInstallCandidates(
        deps.env ?? {},
        deps.listDir ?? (async () => []),
        deps.exists,
        bundled,
      )),
    );
  }

  for (const candidate of candidates) {
    const chosen = await tryCandidate(candidate);
    if (chosen !== undefined) {
      return chosen;
    }
  }
  throw new NoServerError(
    `No Python ${formatVersion(MIN_PYTHON)} or newer was found to run the tfguard server.`,
    attempts,
  );
}

/** What the language client spawns for `command` (it adds the stdio transport and `--stdio`). */
export function serverExecutable(command: ServerCommand): {
  command: string;
  args: string[];
  options: { env: Record<string, string>; cwd: string };
} {
  return { command: command.command, args: [...command.args], options: { env: { ...command.env }, cwd: command.cwd } };
}
