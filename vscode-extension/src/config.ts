// Reads the `tfguard.*` settings and maps them to what the server expects.
//
// The server takes the same camelCase keys in `initializationOptions` and in the answer to
// `workspace/configuration` for the section "tfguard"; the launch settings (`path`,
// `interpreter`) and `trace.server` stay in the extension.
import * as vscode from 'vscode';

export const SECTION = 'tfguard';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const DIAGNOSTIC_LEVELS = ['error', 'warning', 'information', 'hint'] as const;
export type DiagnosticLevel = (typeof DIAGNOSTIC_LEVELS)[number];

export interface ServerSettings {
  /** null: the project's `.tfguard.hcl` (or the server's default) decides. */
  minimumSeverity: Severity | null;
  disabledRules: string[];
  severityMap: Record<Severity, DiagnosticLevel>;
  debounceMs: number;
  workspaceScan: boolean;
  /** Files larger than this many KiB are not analysed in the editor (a scan analyses them). */
  maxFileKiB: number;
}

/** Keys of the server settings, which are also the setting names after `tfguard.`. */
export const SERVER_KEYS = [
  'minimumSeverity',
  'disabledRules',
  'severityMap',
  'debounceMs',
  'workspaceScan',
  'maxFileKiB',
] as const satisfies readonly (keyof ServerSettings)[];

/** Settings whose change needs a new server process rather than a notification. */
export const LAUNCH_KEYS = ['path', 'interpreter'] as const;

export const MAX_DEBOUNCE_MS = 10_000;
export const DEFAULT_MAX_FILE_KIB = 256;
export const MAX_FILE_KIB = 8 * 1024; // what the server reads at all

export function defaultServerSettings(): ServerSettings {
  return {
    minimumSeverity: null,
    disabledRules: [],
    severityMap: { critical: 'error', high: 'error', medium: 'warning', low: 'information', info: 'hint' },
    debounceMs: 150,
    workspaceScan: true,
    maxFileKiB: DEFAULT_MAX_FILE_KIB,
  };
}

export interface Mapped<T> {
  value: T;
  /** One line per setting value that was invalid and replaced by its default. */
  warnings: string[];
}

function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

function isLevel(value: string): value is DiagnosticLevel {
  return (DIAGNOSTIC_LEVELS as readonly string[]).includes(value);
}

/**
 * Builds the server settings from raw setting values (as `WorkspaceConfiguration.get` returns
 * them). Invalid values never reach the server: each is replaced by its default and reported.
 */
export function toServerSettings(get: (key: string) => unknown): Mapped<ServerSettings> {
  const result = defaultServerSettings();
  const warnings: string[] = [];
  const bad = (key: string, value: unknown, expected: string): void => {
    warnings.push(`${SECTION}.${key}: ignoring ${JSON.stringify(value)} (expected ${expected})`);
  };

  const minimum = get('minimumSeverity');
  if (minimum !== undefined && minimum !== null && minimum !== '') {
    const label = typeof minimum === 'string' ? minimum.trim().toLowerCase() : undefined;
    if (label !== undefined && isSeverity(label)) {
      result.minimumSeverity = label;
    } else {
      bad('minimumSeverity', minimum, `one of ${SEVERITIES.join(', ')}`);
    }
  }

  const disabled = get('disabledRules');
  if (disabled !== undefined && disabled !== null) {
    if (Array.isArray(disabled)) {
      const ids = new Set<string>();
      for (const item of disabled) {
        if (typeof item === 'string' && item.trim() !== '') {
          ids.add(item.trim());
        } else {
          bad('disabledRules', item, 'a rule id');
        }
      }
      result.disabledRules = [...ids];
    } else {
      bad('disabledRules', disabled, 'a list of rule ids');
    }
  }

  const map = get('severityMap');
  if (map !== undefined && map !== null) {
    if (typeof map === 'object' && !Array.isArray(map)) {
      for (const [rawKey, rawLevel] of Object.entries(map as Record<string, unknown>)) {
        const key = rawKey.trim().toLowerCase();
        const level = typeof rawLevel === 'string' ? rawLevel.trim().toLowerCase() : undefined;
        if (!isSeverity(key)) {
          bad(`severityMap.${rawKey}`, rawLevel, `a key among ${SEVERITIES.join(', ')}`);
        } else if (level === undefined || !isLevel(level)) {
          bad(`severityMap.${rawKey}`, rawLevel, `one of ${DIAGNOSTIC_LEVELS.join(', ')}`);
        } else {
          result.severityMap[key] = level;
        }
      }
    } else {
      bad('severityMap', map, 'an object from severity to diagnostic level');
    }
  }

  const debounce = get('debounceMs');
  if (debounce !== undefined && debounce !== null) {
    if (typeof debounce === 'number' && Number.isFinite(debounce)) {
      result.debounceMs = Math.min(MAX_DEBOUNCE_MS, Math.max(0, Math.round(debounce)));
    } else {
      bad('debounceMs', debounce, 'a number of milliseconds');
    }
  }

  const scan = get('workspaceScan');
  if (scan !== undefined && scan !== null) {
    if (typeof scan === 'boolean') {
      result.workspaceScan = scan;
    } else {
      bad('workspaceScan', scan, 'true or false');
    }
  }

  const limit = get('maxFileKiB');
  if (limit !== undefined && limit !== null) {
    if (typeof limit === 'number' && Number.isInteger(limit) && limit >= 1 && limit <= MAX_FILE_KIB) {
      result.maxFileKiB = limit;
    } else {
      bad('maxFileKiB', limit, `a whole number of KiB from 1 to ${MAX_FILE_KIB}`);
    }
  }

  return { value: result, warnings };
}

/** The server settings in force for `scope` (a document or folder URI, or the window). */
export function readServerSettings(scope?: vscode.ConfigurationScope | null): Mapped<ServerSettings> {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  return toServerSettings((key) => config.get(key));
}

export interface LaunchSettings {
  /** `tfguard.path`, trimmed; empty when unset. */
  path: string;
  /** `tfguard.interpreter`, trimmed; empty when unset. */
  interpreter: string;
}

export function readLaunchSettings(scope?: vscode.ConfigurationScope | null): LaunchSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const text = (key: string): string => {
    const value = config.get<unknown>(key);
    return typeof value === 'string' ? value.trim() : '';
  };
  return { path: text('path'), interpreter: text('interpreter') };
}

export function affectsLaunch(event: vscode.ConfigurationChangeEvent): boolean {
  return LAUNCH_KEYS.some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
}

export function affectsServer(event: vscode.ConfigurationChangeEvent): boolean {
  return SERVER_KEYS.some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
}
