// Owns the language client: finds the server, starts, stops and restarts it, forwards
// settings and keeps the status bar in step.
import * as fs from 'fs';
import * as os from 'os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import {
  SECTION,
  SERVER_KEYS,
  ServerSettings,
  affectsLaunch,
  affectsServer,
  readLaunchSettings,
  readServerSettings,
} from './config';
import { ExtensionLayout, NoServerError, ServerCommand, discoverServer, extensionLayout, serverExecutable } from './discovery';
import { probePython } from './probe';
import { onPythonInterpreterChange, pythonExtensionInterpreter } from './pythonExtension';
import { StatusBar, countFindings, describeScan } from './status';
import { VariableError, resolveCommandPath } from './variables';

export const CLIENT_ID = 'tfguard';
export const SCAN_COMMAND = 'tfguard.scanWorkspace';
const RUNNING_CONTEXT = 'tfguard.serverRunning';

const LANGUAGE_IDS = ['terraform', 'terraform-vars', 'opentofu', 'opentofu-vars'];
export const FILE_GLOB = '**/*.{tf,tofu,tfvars,tf.json,tofu.json}';

export const DOCUMENT_SELECTOR = [
  ...LANGUAGE_IDS.map((language) => ({ scheme: 'file', language })),
  ...LANGUAGE_IDS.map((language) => ({ scheme: 'untitled', language })),
  { scheme: 'file', pattern: FILE_GLOB },
];

export class ServerManager implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private stopping = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly disposables: vscode.Disposable[] = [];
  private clientDisposables: vscode.Disposable[] = [];
  private countTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly status: StatusBar,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => this.onConfigurationChanged(event)),
      vscode.languages.onDidChangeDiagnostics(() => this.scheduleCount()),
    );
  }

  /** Runs start/stop/restart one at a time, in the order asked. */
  private enqueue(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(step, step).catch((error: unknown) => {
      this.log.error(`tfguard: ${error instanceof Error ? error.message : String(error)}`);
    });
    return this.queue;
  }

  start(): Promise<void> {
    return this.enqueue(() => this.doStart());
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop());
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.doStop();
      await this.doStart();
    });
  }

  private scope(): vscode.Uri | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri;
  }

  private layout(): ExtensionLayout {
    return extensionLayout(this.context.extensionPath, (file) => fs.existsSync(file));
  }

  private async findServer(): Promise<ServerCommand> {
    const scope = this.scope();
    const launch = readLaunchSettings(scope);
    const variables = {
      userHome: os.homedir(),
      workspaceFolder: scope?.scheme === 'file' ? scope.fsPath : undefined,
      env: process.env,
    };
    const resolve = (setting: string, value: string): string => {
      try {
        return resolveCommandPath(value, variables);
      } catch (error) {
        if (error instanceof VariableError) {
          throw new NoServerError(`${setting}: ${error.message}.`, [], setting as 'tfguard.path');
        }
        throw error;
      }
    };
    const layout = this.layout();
    if (!layout.bundled) {
      this.log.warn('No bundled server in this build; the interpreter must have tfguard installed.');
    }
    return discoverServer({
      path: resolve('tfguard.path', launch.path),
      interpreter: resolve('tfguard.interpreter', launch.interpreter),
      layout,
      platform: process.platform,
      pythonExtensionInterpreter: () => pythonExtensionInterpreter(scope),
      probe: (candidate) => probePython(candidate, layout),
      exists: async (file) => fs.existsSync(file),
      isDirectory: async (file) => {
        try {
          return (await fs.promises.stat(file)).isDirectory();
        } catch {
          return false;
        }
      },
      listDir: async (folder) => {
        try {
          return await fs.promises.readdir(folder);
        } catch {
          return [];
        }
      },
      env: process.env,
      log: (message) => this.log.info(message),
      untrustedFolders: vscode.workspace.isTrusted
        ? []
        : (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath),
    });
  }

  private async doStart(): Promise<void> {
    if (this.client !== undefined) {
      return;
    }
    this.status.setState('starting');
    let command: ServerCommand;
    try {
      command = await this.findServer();
    } catch (error) {
      this.status.setState('failed', 'no server could be started');
      // Not awaited: the notification stays open without holding up later restarts.
      void this.reportNoServer(error);
      return;
    }
    this.log.info(`Starting the ${command.description}`);

    const scope = this.scope();
    const settings = this.serverSettings(scope);
    let client: LanguageClient;
    // Never the workspace folder as the working directory (the language client's default):
    // see discovery.ts.
    const serverOptions: ServerOptions = { ...serverExecutable(command), transport: TransportKind.stdio };
    const watcher = vscode.workspace.createFileSystemWatcher(FILE_GLOB);
    this.clientDisposables.push(watcher);
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      diagnosticCollectionName: CLIENT_ID,
      outputChannel: this.log,
      traceOutputChannel: this.log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: settings,
      synchronize: {
        fileEvents: watcher,
      },
      middleware: {
        // The scan command is the server's; show that it runs and what it found, quietly.
        executeCommand: async (name, args, next) => {
          if (name !== SCAN_COMMAND) {
            return next(name, args);
          }
          const result: unknown = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Window, title: 'tfguard: scanning the workspace' },
            async () => next(name, args),
          );
          const summary = describeScan(result);
          if (summary !== undefined) {
            this.log.info(summary);
            vscode.window.setStatusBarMessage(summary, 10_000);
          }
          return result;
        },
        workspace: {
          // The server registers for configuration changes; send it the mapped settings
          // (it also pulls them through `configuration` below).
          didChangeConfiguration: async () => {
            if (client.isRunning()) {
              await client.sendNotification(DidChangeConfigurationNotification.type, {
                settings: { [SECTION]: this.serverSettings(this.scope()) },
              });
            }
          },
          configuration: async (params, token, next) => {
            const answer = await next(params, token);
            if (!Array.isArray(answer)) {
              return answer;
            }
            return params.items.map((item, index) =>
              this.configurationItem(item.section, item.scopeUri, answer[index]),
            );
          },
        },
      },
    };

    client = new LanguageClient(CLIENT_ID, 'tfguard', serverOptions, clientOptions);
    this.client = client;
    this.clientDisposables.push(
      client.onDidChangeState((event) => {
        if (event.newState === State.Running) {
          this.status.setState('running');
          void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, true);
        } else if (event.newState === State.Starting) {
          this.status.setState('starting');
        } else {
          void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, false);
          this.status.setState(this.stopping ? 'stopped' : 'failed', 'the server stopped');
        }
      }),
    );
    try {
      await client.start();
    } catch (error) {
      this.log.error(`The server did not start: ${error instanceof Error ? error.message : String(error)}`);
      this.status.setState('failed', 'the server did not start');
      return;
    }
    const commands = client.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
    if (!commands.includes(SCAN_COMMAND)) {
      this.log.warn(`This server has no ${SCAN_COMMAND} command.`);
    }
    if (command.source === 'Python extension') {
      this.clientDisposables.push(
        await onPythonInterpreterChange(() => {
          this.log.info('The Python interpreter changed; restarting the server.');
          void this.restart();
        }),
      );
    }
    this.scheduleCount();
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.clientDisposables.forEach((d) => d.dispose());
    this.clientDisposables = [];
    if (client === undefined) {
      return;
    }
    this.stopping = true;
    try {
      if (client.isRunning()) {
        await client.stop(5_000);
      }
    } catch (error) {
      this.log.warn(`Stopping the server: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      await client.dispose().catch(() => undefined);
      this.stopping = false;
    }
    this.status.setState('stopped');
    this.status.setCounts({ findings: 0, files: 0 });
  }

  private serverSettings(scope: vscode.ConfigurationScope | undefined): ServerSettings {
    const mapped = readServerSettings(scope);
    mapped.warnings.forEach((warning) => this.log.warn(warning));
    return mapped.value;
  }

  /** The answer to one `workspace/configuration` item: tfguard sections get the mapped settings. */
  private configurationItem(section: string | undefined, scopeUri: string | undefined, fallback: unknown): unknown {
    if (section !== SECTION && !section?.startsWith(`${SECTION}.`)) {
      return fallback;
    }
    const scope = scopeUri !== undefined ? vscode.Uri.parse(scopeUri) : this.scope();
    const settings = this.serverSettings(scope);
    if (section === SECTION) {
      return settings;
    }
    const key = section.slice(SECTION.length + 1);
    return (SERVER_KEYS as readonly string[]).includes(key) ? settings[key as keyof ServerSettings] : fallback;
  }

  private onConfigurationChanged(event: vscode.ConfigurationChangeEvent): void {
    if (affectsLaunch(event)) {
      this.log.info('tfguard.path or tfguard.interpreter changed; restarting the server.');
      void this.restart();
      return;
    }
    if (affectsServer(event)) {
      // Only validate and log here: the language client forwards the change to the server.
      this.serverSettings(this.scope());
    }
  }

  private scheduleCount(): void {
    if (this.countTimer !== undefined) {
      return;
    }
    this.countTimer = setTimeout(() => {
      this.countTimer = undefined;
      this.status.setCounts(
        this.client !== undefined ? countFindings(vscode.languages.getDiagnostics()) : { findings: 0, files: 0 },
      );
    }, 150);
  }

  private async reportNoServer(error: unknown): Promise<void> {
    const openSettings = 'Open Settings';
    const showLogs = 'Show Logs';
    let message: string;
    let setting = 'tfguard.interpreter';
    if (error instanceof NoServerError) {
      for (const attempt of error.attempts) {
        this.log.error(`  ${attempt.candidate} (from ${attempt.source}): ${attempt.reason}`);
      }
      setting = error.setting ?? setting;
      message =
        error.setting !== undefined
          ? `tfguard: ${error.message} Fix the setting or clear it.`
          : `tfguard: ${error.message} Install Python 3.10+ (python3 on PATH), select one with the Python extension, or set tfguard.interpreter; or set tfguard.path to a tfguard executable.`;
    } else {
      message = `tfguard: the server could not be started: ${error instanceof Error ? error.message : String(error)}`;
    }
    this.log.error(message);
    const choice = await vscode.window.showErrorMessage(message, openSettings, showLogs);
    if (choice === openSettings) {
      await vscode.commands.executeCommand('workbench.action.openSettings', setting);
    } else if (choice === showLogs) {
      this.log.show();
    }
  }

  dispose(): void {
    if (this.countTimer !== undefined) {
      clearTimeout(this.countTimer);
    }
    this.disposables.forEach((d) => d.dispose());
  }
}
