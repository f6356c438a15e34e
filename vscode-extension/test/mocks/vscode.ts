// A small stand-in for the `vscode` module, enough for the modules under unit test.
// The test build aliases `vscode` to this file; tests drive it through `mock`.
/* eslint-disable @typescript-eslint/no-explicit-any */
import * as path from 'path';

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}

  static file(fsPath: string): Uri {
    return new Uri('file', path.resolve(fsPath));
  }

  static parse(text: string): Uri {
    const match = /^([a-z][a-z0-9+.-]*):(?:\/\/[^/]*)?(.*)$/i.exec(text);
    if (match === null) {
      throw new Error(`not a URI: ${text}`);
    }
    return new Uri(match[1], decodeURIComponent(match[2]));
  }

  get fsPath(): string {
    return this.path;
  }

  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

export class Disposable {
  constructor(private readonly onDispose: () => void) {}

  dispose(): void {
    this.onDispose();
  }
}

export class EventEmitter<T> {
  private listeners: ((value: T) => void)[] = [];

  readonly event = (listener: (value: T) => void): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    });
  };

  fire(value: T): void {
    this.listeners.forEach((l) => l(value));
  }
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}

export interface FakeExtension {
  id: string;
  isActive: boolean;
  exports: unknown;
  activations: number;
  activate(): Promise<unknown>;
}

export interface FakeStatusBarItem {
  id: string;
  text: string;
  tooltip: string | undefined;
  name: string | undefined;
  command: string | undefined;
  backgroundColor: ThemeColor | undefined;
  visible: boolean;
  disposed: boolean;
  show(): void;
  hide(): void;
  dispose(): void;
}

/** State of the fake, reset by `mock.reset()`. */
export const mock = {
  /** Setting values by full name (`tfguard.minimumSeverity`) for the window scope. */
  settings: new Map<string, unknown>(),
  /** Per-folder overrides: folder path -> full name -> value. */
  folderSettings: new Map<string, Map<string, unknown>>(),
  /** Scopes passed to getConfiguration, in order. */
  configurationScopes: [] as unknown[],
  extensions: new Map<string, FakeExtension>(),
  statusBarItems: [] as FakeStatusBarItem[],

  reset(): void {
    this.settings.clear();
    this.folderSettings.clear();
    this.configurationScopes = [];
    this.extensions.clear();
    this.statusBarItems = [];
    workspace.workspaceFolders = undefined;
  },

  addExtension(id: string, exports: unknown, isActive = false): FakeExtension {
    const extension: FakeExtension = {
      id,
      isActive,
      exports: isActive ? exports : undefined,
      activations: 0,
      async activate() {
        extension.activations += 1;
        extension.isActive = true;
        extension.exports = exports;
        return exports;
      },
    };
    this.extensions.set(id, extension);
    return extension;
  },
};

function scopePath(scope: unknown): string | undefined {
  if (scope instanceof Uri) {
    return scope.fsPath;
  }
  if (scope !== null && typeof scope === 'object' && 'uri' in scope && (scope as any).uri instanceof Uri) {
    return (scope as any).uri.fsPath;
  }
  return undefined;
}

export const workspace = {
  workspaceFolders: undefined as { uri: Uri; name: string; index: number }[] | undefined,
  isTrusted: true,

  getConfiguration(section?: string, scope?: unknown) {
    mock.configurationScopes.push(scope);
    const folder = scopePath(scope);
    const lookup = (key: string): unknown => {
      const full = section ? `${section}.${key}` : key;
      if (folder !== undefined) {
        for (const [root, values] of mock.folderSettings) {
          if ((folder === root || folder.startsWith(root + path.sep)) && values.has(full)) {
            return values.get(full);
          }
        }
      }
      return mock.settings.get(full);
    };
    return {
      get<T>(key: string, defaultValue?: T): T | undefined {
        const value = lookup(key);
        return (value === undefined ? defaultValue : value) as T | undefined;
      },
      has(key: string): boolean {
        return lookup(key) !== undefined;
      },
    };
  },
};

export const extensions = {
  getExtension(id: string): FakeExtension | undefined {
    return mock.extensions.get(id);
  },
};

export const window = {
  createStatusBarItem(id: string, _alignment?: StatusBarAlignment, _priority?: number): FakeStatusBarItem {
    const item: FakeStatusBarItem = {
      id,
      text: '',
      tooltip: undefined,
      name: undefined,
      command: undefined,
      backgroundColor: undefined,
      visible: false,
      disposed: false,
      show() {
        item.visible = true;
      },
      hide() {
        item.visible = false;
      },
      dispose() {
        item.disposed = true;
      },
    };
    mock.statusBarItems.push(item);
    return item;
  },
};
