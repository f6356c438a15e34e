// The status bar item: server state and the number of findings in the tfguard collection.
import * as vscode from 'vscode';

export const SOURCE = 'tfguard';

export type ServerState = 'starting' | 'running' | 'stopped' | 'failed';

export interface StatusView {
  text: string;
  tooltip: string;
  error: boolean;
}

export function statusView(state: ServerState, findings: number, files: number, detail?: string): StatusView {
  switch (state) {
    case 'starting':
      return { text: '$(loading~spin) tfguard', tooltip: 'tfguard: starting the server', error: false };
    case 'stopped':
      return { text: '$(circle-slash) tfguard', tooltip: 'tfguard: server stopped', error: false };
    case 'failed':
      return {
        text: '$(error) tfguard',
        tooltip: `tfguard: ${detail ?? 'the server is not running'}. Click for the logs.`,
        error: true,
      };
    case 'running': {
      const noun = findings === 1 ? 'finding' : 'findings';
      const where = findings === 0 ? '' : ` in ${files} ${files === 1 ? 'file' : 'files'}`;
      return {
        text: `$(shield) tfguard ${findings}`,
        tooltip: `tfguard: ${findings} ${noun}${where}. Click for the logs.`,
        error: false,
      };
    }
  }
}

/**
 * Counts tfguard findings (diagnostics whose source is "tfguard") over all files. Counting by
 * source covers both pushed diagnostics and pulled ones, which the language client keeps in
 * separate collections.
 */
export function countFindings(all: readonly [vscode.Uri, readonly vscode.Diagnostic[]][]): { findings: number; files: number } {
  let findings = 0;
  let files = 0;
  for (const [, diagnostics] of all) {
    const ours = diagnostics.filter((d) => d.source === SOURCE).length;
    if (ours > 0) {
      findings += ours;
      files += 1;
    }
  }
  return { findings, files };
}

/** One line about the result of `tfguard.scanWorkspace`, or undefined for an unknown shape. */
export function describeScan(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null) {
    return undefined;
  }
  const { modules, files, findings, cancelled } = result as Record<string, unknown>;
  if (typeof files !== 'number' || typeof findings !== 'number') {
    return undefined;
  }
  if (cancelled === true) {
    return 'tfguard: workspace scan cancelled';
  }
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const where = typeof modules === 'number' ? ` in ${plural(modules, 'module')}` : '';
  return `tfguard: scanned ${plural(files, 'file')}${where}, ${plural(findings, 'finding')}`;
}

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private state: ServerState = 'stopped';
  private detail: string | undefined;
  private counts = { findings: 0, files: 0 };

  constructor(command: string) {
    this.item = vscode.window.createStatusBarItem('tfguard.status', vscode.StatusBarAlignment.Left, 0);
    this.item.name = 'tfguard';
    this.item.command = command;
    this.render();
    this.item.show();
  }

  setState(state: ServerState, detail?: string): void {
    this.state = state;
    this.detail = detail;
    this.render();
  }

  setCounts(counts: { findings: number; files: number }): void {
    this.counts = counts;
    this.render();
  }

  private render(): void {
    const view = statusView(this.state, this.counts.findings, this.counts.files, this.detail);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = view.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
