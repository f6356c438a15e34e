// Asks the Python extension (when installed) which interpreter the user selected.
// Uses the extension's public `environments` API through its exports, without a dependency.
import * as vscode from 'vscode';

export const PYTHON_EXTENSION_ID = 'ms-python.python';
const ACTIVATION_TIMEOUT_MS = 15_000;

interface EnvironmentPath {
  id: string;
  path: string;
}

interface ResolvedEnvironment {
  executable: { uri?: vscode.Uri };
}

interface EnvironmentsApi {
  getActiveEnvironmentPath(resource?: vscode.Uri): EnvironmentPath;
  resolveEnvironment(environment: EnvironmentPath | string): Promise<ResolvedEnvironment | undefined>;
  onDidChangeActiveEnvironmentPath: vscode.Event<unknown>;
}

function environmentsApi(exports: unknown): EnvironmentsApi | undefined {
  const environments = (exports as { environments?: Partial<EnvironmentsApi> } | undefined)?.environments;
  if (
    environments !== undefined &&
    typeof environments.getActiveEnvironmentPath === 'function' &&
    typeof environments.resolveEnvironment === 'function'
  ) {
    return environments as EnvironmentsApi;
  }
  return undefined;
}

function withTimeout<T>(promise: Thenable<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

async function api(): Promise<EnvironmentsApi | undefined> {
  const extension = vscode.extensions.getExtension(PYTHON_EXTENSION_ID);
  if (extension === undefined) {
    return undefined;
  }
  const exports: unknown = extension.isActive
    ? extension.exports
    : await withTimeout(extension.activate(), ACTIVATION_TIMEOUT_MS, 'Activating the Python extension');
  return environmentsApi(exports);
}

/** The executable of the interpreter selected for `resource`, or undefined. */
export async function pythonExtensionInterpreter(resource?: vscode.Uri): Promise<string | undefined> {
  const environments = await api();
  if (environments === undefined) {
    return undefined;
  }
  const active = environments.getActiveEnvironmentPath(resource);
  const resolved = await environments.resolveEnvironment(active);
  return resolved?.executable.uri?.fsPath ?? (active.path !== '' ? active.path : undefined);
}

/** Calls `listener` when the user selects another interpreter; a no-op without the extension. */
export async function onPythonInterpreterChange(listener: () => void): Promise<vscode.Disposable> {
  try {
    const environments = await api();
    if (environments !== undefined) {
      return environments.onDidChangeActiveEnvironmentPath(() => listener());
    }
  } catch {
    // Without a working Python extension there is nothing to follow.
  }
  return new vscode.Disposable(() => undefined);
}
