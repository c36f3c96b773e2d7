// vetpy for VS Code: starts `vetpy serve` for the project's interpreter and keeps it running.

import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  ExecuteCommandRequest,
  LanguageClient,
  ResponseError,
  RevealOutputChannelOn,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { chooseInterpreter, describeInterpreter, environmentLabel, type InterpreterChoice } from './interpreter';
import { activeInterpreter, onActiveInterpreterChanged } from './pythonExtension';
import { LOG_FILE_VARIABLE, mirrorLog } from './logMirror';
import { nodeProbe } from './probe';
import { RestartPolicy } from './restartPolicy';
import { describeCommand, importStrategy, MINIMUM_PYTHON, resolveServerCommand, type Resolution, type ServerCommand } from './serverCommand';
import { initializationOptions, resolveSettings, type InitializationOptions, type PathVariables, type RawSettings, type ServerSettings } from './settings';

const SECTION = 'vetpy';
/** Commands the extension contributes itself; the server's executeCommand for them is called explicitly. */
const CLIENT_COMMANDS = new Set(['vetpy.restart', 'vetpy.showLogs', 'vetpy.showEnvironment']);

interface Snapshot {
  folders: ServerSettings[];
  global: ServerSettings;
  primary: InterpreterChoice;
  serverCommand: unknown;
  importStrategy: unknown;
  trusted: boolean;
}

type Phase = 'starting' | 'running' | 'restarting' | 'stopped' | 'error';

/** Keeps the extension's own error messages (with buttons) instead of the library's generic ones. */
class VetpyLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown, _showNotification?: boolean | 'force'): void {
    super.error(message, data, false);
  }
}

function pathVariables(folder: vscode.WorkspaceFolder | undefined): PathVariables {
  return { workspaceFolder: folder?.uri.fsPath, userHome: os.homedir(), env: process.env };
}

function rawSettings(config: vscode.WorkspaceConfiguration): RawSettings {
  return {
    interpreter: config.get('interpreter'),
    serverCommand: config.get('serverCommand'),
    select: config.get('select'),
    ignore: config.get('ignore'),
    debounceMs: config.get('debounceMs'),
    logLevel: config.get('logLevel'),
  };
}

class ServerManager implements vscode.Disposable {
  private client: VetpyLanguageClient | undefined;
  private snapshot: Snapshot | undefined;
  private server: ServerCommand | undefined;
  private phase: Phase = 'stopped';
  private detail = '';
  private readonly policy = new RestartPolicy();
  private restartTimer: NodeJS.Timeout | undefined;
  private busy: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly status: vscode.StatusBarItem,
    /** The extension's `bundled/libs` (vetpy and its dependencies), undefined in a development build without it. */
    private readonly bundledLibs: string | undefined,
  ) {}

  /** Serialises start/stop so that quick successive events cannot start two servers. */
  private queue(task: () => Promise<void>): Promise<void> {
    this.busy = this.busy.then(task, task).catch((error: unknown) => {
      this.log.error(`vetpy: ${String(error)}`);
    });
    return this.busy;
  }

  restart(reason: string, userInitiated = false): Promise<void> {
    if (userInitiated) {
      this.policy.reset();
    }
    return this.queue(async () => {
      this.log.info(`Starting the server (${reason})`);
      await this.stopClient();
      await this.startClient();
    });
  }

  /** Re-reads the settings: restarts when the interpreter or server command changed, else notifies the server. */
  refresh(reason: string): Promise<void> {
    return this.queue(async () => {
      const next = await this.readSnapshot();
      const previous = this.snapshot;
      if (this.client === undefined || previous === undefined || startKey(previous) !== startKey(next)) {
        this.log.info(`Restarting the server: ${reason}`);
        await this.stopClient();
        await this.startClient(next);
        return;
      }
      this.snapshot = next;
      this.render();
      if (!this.client.isRunning()) {
        return; // starting or waiting to restart: it reads the new settings when it comes up
      }
      await this.client.sendNotification(DidChangeConfigurationNotification.type, { settings: this.options(next) });
    });
  }

  private async readSnapshot(): Promise<Snapshot> {
    const trusted = vscode.workspace.isTrusted;
    const folders = vscode.workspace.workspaceFolders ?? [];
    const folderSettings: ServerSettings[] = [];
    const choices: InterpreterChoice[] = [];
    for (const folder of folders) {
      const config = vscode.workspace.getConfiguration(SECTION, folder.uri);
      const choice = chooseInterpreter({
        setting: config.get('interpreter'),
        pythonExtension: trusted ? await activeInterpreter(folder.uri, this.log) : undefined,
        trusted,
        vars: pathVariables(folder),
      });
      choices.push(choice);
      folderSettings.push(resolveSettings(rawSettings(config), folder.uri.toString(), choice.path, trusted));
    }
    const globalConfig = vscode.workspace.getConfiguration(SECTION);
    const globalChoice = chooseInterpreter({
      setting: globalConfig.get('interpreter'),
      pythonExtension: trusted && folders.length === 0 ? await activeInterpreter(undefined, this.log) : undefined,
      trusted,
      vars: pathVariables(undefined),
    });
    const first = folders.at(0);
    return {
      folders: folderSettings,
      global: resolveSettings(rawSettings(globalConfig), os.homedir(), globalChoice.path, trusted),
      primary: choices[0] ?? globalChoice,
      serverCommand: vscode.workspace.getConfiguration(SECTION, first?.uri).get('serverCommand'),
      importStrategy: vscode.workspace.getConfiguration(SECTION, first?.uri).get('importStrategy'),
      trusted,
    };
  }

  private options(snapshot: Snapshot): InitializationOptions {
    return initializationOptions(snapshot.folders, snapshot.global);
  }

  private settingsForScope(scopeUri: string | undefined): ServerSettings | undefined {
    const snapshot = this.snapshot;
    if (snapshot === undefined) {
      return undefined;
    }
    if (scopeUri !== undefined) {
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(scopeUri));
      const match = folder && snapshot.folders.find((s) => s.workspace === folder.uri.toString());
      if (match) {
        return match;
      }
    }
    return snapshot.global;
  }

  private async startClient(known?: Snapshot): Promise<void> {
    if (this.disposed) {
      return;
    }
    this.setPhase('starting', '');
    const snapshot = known ?? (await this.readSnapshot());
    this.snapshot = snapshot;
    const first = vscode.workspace.workspaceFolders?.at(0);
    const resolution = await resolveServerCommand(
      {
        serverCommand: snapshot.serverCommand,
        interpreter: snapshot.primary,
        trusted: snapshot.trusted,
        vars: pathVariables(first),
        importStrategy: snapshot.importStrategy,
        bundledLibs: this.bundledLibs,
        delimiter: path.delimiter,
      },
      nodeProbe(first?.uri.fsPath),
    );
    if (resolution.kind !== 'ok') {
      this.server = undefined;
      this.reportUnavailable(resolution, snapshot);
      return;
    }
    this.server = resolution.server;
    if (resolution.server.note) {
      this.log.warn(resolution.server.note);
    }
    this.log.info(`Interpreter: ${describeInterpreter(snapshot.primary)}`);
    this.log.info(`Server command: ${describeServer(resolution.server)}`);

    // No `transport`: with TransportKind.stdio the library appends `--stdio`, which `vetpy serve`
    // rejects; without it the process still talks LSP over stdin/stdout.
    const serverOptions: ServerOptions = {
      command: resolution.server.command,
      args: resolution.server.args,
      options: { cwd: first?.uri.fsPath, env: { ...process.env, PYTHONUNBUFFERED: '1', ...resolution.server.env } },
    };
    let exitHandled = false;
    const onExit = (): void => {
      if (!exitHandled) {
        exitHandled = true;
        this.onServerExit(client);
      }
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'python' },
        { scheme: 'untitled', language: 'python' },
        // declaration files: the server reports look-alike dependency names there (DEP004)
        { scheme: 'file', pattern: '**/{pyproject.toml,requirements*.txt,requirements*.in,requirements/*.txt}' },
      ],
      diagnosticCollectionName: SECTION,
      outputChannel: this.log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: this.options(snapshot),
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue, handled: true }),
        closed: () => {
          onExit();
          return { action: CloseAction.DoNotRestart, handled: true };
        },
      },
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const answers = await next(params, token);
            if (answers instanceof ResponseError) {
              return answers;
            }
            const defaults: unknown[] = answers;
            return params.items.map((item, i) => (item.section === SECTION ? (this.settingsForScope(item.scopeUri) ?? null) : defaults[i]));
          },
        },
      },
    };
    const client = new VetpyLanguageClient(SECTION, 'vetpy', serverOptions, clientOptions);
    keepClientCommands(client);
    this.client = client;
    try {
      await client.start();
      this.setPhase('running', '');
    } catch (error) {
      this.log.error(`The server failed to start: ${String(error)}`);
      onExit();
    }
  }

  private async stopClient(): Promise<void> {
    if (this.restartTimer !== undefined) {
      clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
    }
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      const running = client.needsStop();
      try {
        await client.dispose(2000);
      } catch (error) {
        // A client whose start failed cannot be stopped; disposing it still releases it.
        if (running) {
          this.log.warn(`Stopping the server: ${String(error)}`);
        }
      }
    }
    this.setPhase('stopped', '');
  }

  private onServerExit(client: VetpyLanguageClient): void {
    if (client !== this.client || this.disposed) {
      return;
    }
    const delay = this.policy.onCrash(Date.now());
    if (delay === undefined) {
      const crashes = this.policy.recentCrashes;
      this.log.error(`The server stopped ${crashes} times in a row; not restarting it`);
      this.setPhase('error', `stopped after ${crashes} crashes`);
      void vscode.window
        .showErrorMessage(`vetpy: the language server stopped ${crashes} times in a row and will not be restarted. The log has the details.`, 'Show logs', 'Restart')
        .then((choice) => this.onChoice(choice));
      return;
    }
    this.log.warn(`The server exited unexpectedly; restarting in ${delay / 1000} s`);
    this.setPhase('restarting', `in ${delay / 1000} s`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.restart('after a crash');
    }, delay);
  }

  private reportUnavailable(resolution: Exclude<Resolution, { kind: 'ok' }>, snapshot: Snapshot): void {
    let message: string;
    const actions: string[] = [];
    switch (resolution.kind) {
      case 'bad-setting':
        message = resolution.message;
        actions.push('Open settings');
        break;
      case 'interpreter-broken':
        message = `vetpy: the Python interpreter ${resolution.interpreter} cannot be run (${resolution.error}).`;
        actions.push('Open settings');
        break;
      case 'vetpy-missing':
        // Only without the bundled server (a development build) or in an untrusted workspace.
        if (resolution.interpreter !== undefined) {
          message = `vetpy is not installed for ${resolution.interpreter}, and this build of the extension has no bundled server. Install the .vsix built by \`npm run package\` (it ships the server), or install vetpy for that interpreter from a clone of the vetpy repository or a wheel built from it (\`python -m pip install ./vetpy\`).`;
          actions.push('Open settings');
        } else if (!snapshot.trusted) {
          message = `vetpy: this workspace is not trusted, so vetpy runs no Python interpreter that the workspace could choose. Trust the workspace, or set vetpy.interpreter in your user settings to a Python >= ${MINIMUM_PYTHON.join('.')} to run the bundled server with.`;
          actions.push('Manage Workspace Trust', 'Open settings');
        } else {
          message = 'vetpy: no Python interpreter with vetpy was found, and this build of the extension has no bundled server. Set vetpy.interpreter, or install the .vsix built by `npm run package`.';
          actions.push('Open settings');
        }
        break;
      case 'no-python':
        message = `vetpy: no Python >= ${MINIMUM_PYTHON.join('.')} was found to run the bundled server${resolution.tried.length > 0 ? ` (${resolution.tried.join('; ')})` : ''}. Set vetpy.interpreter to one.`;
        actions.push('Open settings');
        break;
    }
    this.log.error(message);
    this.setPhase('error', message);
    void vscode.window.showErrorMessage(message, ...actions, 'Show logs').then((choice) => this.onChoice(choice));
  }

  private async onChoice(choice: string | undefined): Promise<void> {
    switch (choice) {
      case 'Show logs':
        this.log.show(true);
        break;
      case 'Restart':
        await this.restart('requested', true);
        break;
      case 'Open settings':
        await vscode.commands.executeCommand('workbench.action.openSettings', SECTION);
        break;
      case 'Manage Workspace Trust':
        await vscode.commands.executeCommand('workbench.trust.manage');
        break;
    }
  }

  async showEnvironment(): Promise<void> {
    const lines = [
      '# vetpy environment',
      '',
      `State: ${this.phase}${this.detail ? ` (${this.detail})` : ''}`,
      `Interpreter: ${this.snapshot ? describeInterpreter(this.snapshot.primary) : 'not chosen yet'}`,
      `Server: ${this.server ? describeServer(this.server) : 'not running'}`,
      `Workspace trusted: ${String(vscode.workspace.isTrusted)}`,
    ].map((line) => (line.startsWith('#') || line === '' ? line : `- ${line}`));
    let report: unknown;
    if (this.client?.isRunning() === true) {
      const uri = vscode.window.activeTextEditor?.document.uri.toString();
      try {
        report = await this.client.sendRequest(ExecuteCommandRequest.type, { command: 'vetpy.showEnvironment', arguments: uri ? [uri] : [] });
      } catch (error) {
        lines.push(`The server could not report its environment: ${String(error)}`);
      }
    }
    if (typeof report === 'string') {
      lines.push('', report);
    } else if (report !== undefined && report !== null) {
      lines.push('', '```json', JSON.stringify(report, null, 2), '```');
    }
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: lines.join('\n') });
    await vscode.window.showTextDocument(document, { preview: true });
  }

  showLogs(): void {
    this.log.show(true);
  }

  private setPhase(phase: Phase, detail: string): void {
    this.phase = phase;
    this.detail = detail;
    this.render();
  }

  private render(): void {
    const icons: Record<Phase, string> = {
      starting: '$(loading~spin)',
      restarting: '$(loading~spin)',
      running: '$(check)',
      stopped: '$(circle-slash)',
      error: '$(error)',
    };
    const env = this.snapshot?.trusted === false ? 'restricted' : environmentLabel(this.snapshot?.primary.path);
    this.status.text = `${icons[this.phase]} vetpy (${env})`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**vetpy**: ${this.phase}${this.detail ? ` (${this.detail})` : ''}\n\n`);
    tooltip.appendMarkdown(`Interpreter: ${this.snapshot ? describeInterpreter(this.snapshot.primary) : 'not chosen yet'}\n\n`);
    tooltip.appendMarkdown(`Server: ${this.server ? describeServer(this.server) : 'not running'}\n\n`);
    tooltip.appendMarkdown('Click to show the log.');
    this.status.tooltip = tooltip;
    this.status.backgroundColor = this.phase === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.status.show();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.stopClient();
  }
}

/** What requires a new server process: the interpreters, the server command, the import strategy and trust. */
function startKey(snapshot: Snapshot): string {
  return JSON.stringify([snapshot.primary, snapshot.folders.map((f) => f.interpreter), snapshot.serverCommand, importStrategy(snapshot.importStrategy), snapshot.trusted]);
}

/** The command, and for the bundled server where its libraries come from. */
function describeServer(server: ServerCommand): string {
  const where = server.origin === 'bundled' ? ` (bundled server, PYTHONPATH=${server.env?.PYTHONPATH ?? ''})` : '';
  return `${describeCommand(server)}${where}`;
}

/** `<extension>/bundled/libs` when the extension ships the server (scripts/bundle_server.py). */
function findBundledLibs(extensionPath: string): string | undefined {
  const libs = path.join(extensionPath, 'bundled', 'libs');
  return existsSync(path.join(libs, 'vetpy', '__main__.py')) ? libs : undefined;
}

/**
 * The language client registers a VS Code command for every command the server lists in
 * `executeCommandProvider`; the extension already contributes `vetpy.showEnvironment` (and calls
 * the server itself), so those names are left out of the automatic registration.
 */
function keepClientCommands(client: LanguageClient): void {
  const feature = client.getFeature(ExecuteCommandRequest.method);
  const register = feature.register.bind(feature);
  feature.register = (data) => {
    const commands = data.registerOptions.commands.filter((command) => !CLIENT_COMMANDS.has(command));
    register({ ...data, registerOptions: { ...data.registerOptions, commands } });
  };
}

let manager: ServerManager | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const channel = vscode.window.createOutputChannel('vetpy', { log: true });
  const log = mirrorLog(channel, process.env[LOG_FILE_VARIABLE]); // a plain-file copy for the e2e
  const status = vscode.window.createStatusBarItem('vetpy.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'vetpy';
  status.command = 'vetpy.showLogs';
  const bundledLibs = findBundledLibs(context.extensionPath);
  log.info(bundledLibs ? `Bundled server: ${bundledLibs}` : 'This build of the extension has no bundled server (run `npm run bundle`)');
  const current = new ServerManager(log, status, bundledLibs);
  manager = current;
  context.subscriptions.push(
    channel,
    status,
    vscode.commands.registerCommand('vetpy.restart', () => current.restart('requested', true)),
    vscode.commands.registerCommand('vetpy.showLogs', () => {
      current.showLogs();
    }),
    vscode.commands.registerCommand('vetpy.showEnvironment', () => current.showEnvironment()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SECTION)) {
        void current.refresh('settings changed');
      }
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void current.refresh('workspace folders changed')),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void current.refresh('workspace trusted')),
  );
  const pythonListener = await onActiveInterpreterChanged(() => void current.refresh('the Python extension changed the interpreter'), log);
  if (pythonListener !== undefined) {
    context.subscriptions.push(pythonListener);
  }
  await current.restart('activation');
}

export async function deactivate(): Promise<void> {
  await manager?.dispose();
  manager = undefined;
}
