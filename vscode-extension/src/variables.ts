// Expands the variables allowed in path settings: a leading `~`, `${userHome}`,
// `${workspaceFolder}` and `${env:NAME}`. Pure, so it is tested without VS Code.
import * as path from 'path';

export interface VariableContext {
  userHome: string;
  workspaceFolder?: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Path flavour of the machine the server runs on (`path.posix` / `path.win32`). */
  pathApi?: path.PlatformPath;
}

export class VariableError extends Error {}

export function expandVariables(value: string, ctx: VariableContext): string {
  let text = value.trim();
  if (text === '~' || text.startsWith('~/') || text.startsWith('~\\')) {
    text = ctx.userHome + text.slice(1);
  }
  return text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    if (name === 'userHome') {
      return ctx.userHome;
    }
    if (name === 'workspaceFolder') {
      if (ctx.workspaceFolder === undefined) {
        throw new VariableError(`${whole} is used but no folder is open`);
      }
      return ctx.workspaceFolder;
    }
    if (name.startsWith('env:')) {
      return ctx.env[name.slice('env:'.length)] ?? '';
    }
    throw new VariableError(`unknown variable ${whole}`);
  });
}

/**
 * Expands variables, then makes a relative path absolute against the workspace folder. A bare
 * command name (no separator, like `python3` or `tfguard`) is left to the PATH lookup.
 */
export function resolveCommandPath(value: string, ctx: VariableContext): string {
  const api = ctx.pathApi ?? path;
  const text = expandVariables(value, ctx);
  if (text === '' || api.isAbsolute(text)) {
    return text;
  }
  const hasSeparator = text.includes('/') || (api === path.win32 && text.includes('\\'));
  if (!hasSeparator || ctx.workspaceFolder === undefined) {
    return text;
  }
  return api.resolve(ctx.workspaceFolder, text);
}
