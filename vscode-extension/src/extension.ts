// Entry point: a log channel, a status bar item, three commands and the server.
import * as vscode from 'vscode';
import { ServerManager } from './server';
import { StatusBar } from './status';

export const RESTART_COMMAND = 'tfguard.restart';
export const SHOW_LOGS_COMMAND = 'tfguard.showLogs';
// `tfguard.scanWorkspace` is the server's own command: the language client registers it
// from the server's executeCommandProvider, so it is declared in package.json only.

let manager: ServerManager | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('tfguard', { log: true });
  const status = new StatusBar(SHOW_LOGS_COMMAND);
  manager = new ServerManager(context, log, status);
  const server = manager;
  context.subscriptions.push(
    log,
    status,
    server,
    vscode.commands.registerCommand(RESTART_COMMAND, () => server.restart()),
    vscode.commands.registerCommand(SHOW_LOGS_COMMAND, () => log.show()),
  );
  void server.start();
}

export async function deactivate(): Promise<void> {
  await manager?.stop();
  manager = undefined;
}
