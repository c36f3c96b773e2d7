// Optional integration with the Python extension (ms-python.python): its active environment,
// and an event when it changes. No hard dependency: everything is undefined when it is absent.

import * as vscode from 'vscode';

interface EnvironmentPath {
  readonly id: string;
  readonly path: string;
}

interface PythonEnvironmentsApi {
  getActiveEnvironmentPath(resource?: vscode.Uri): EnvironmentPath;
  resolveEnvironment(env: EnvironmentPath | string): Promise<{ readonly executable: { readonly uri: vscode.Uri | undefined } } | undefined>;
  readonly onDidChangeActiveEnvironmentPath: vscode.Event<unknown>;
}

interface PythonExtensionApi {
  readonly environments?: PythonEnvironmentsApi;
}

const PYTHON_EXTENSION_ID = 'ms-python.python';

async function environmentsApi(log: vscode.LogOutputChannel): Promise<PythonEnvironmentsApi | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
  if (extension === undefined) {
    return undefined;
  }
  try {
    // exports can be undefined while the Python extension failed to activate.
    const api = (extension.isActive ? extension.exports : await extension.activate()) as PythonExtensionApi | undefined;
    return api?.environments;
  } catch (error) {
    log.warn(`Python extension API unavailable: ${String(error)}`);
    return undefined;
  }
}

/** The Python extension's active interpreter for a folder, or undefined. */
export async function activeInterpreter(resource: vscode.Uri | undefined, log: vscode.LogOutputChannel): Promise<string | undefined> {
  const api = await environmentsApi(log);
  if (api === undefined) {
    return undefined;
  }
  try {
    const env = await api.resolveEnvironment(api.getActiveEnvironmentPath(resource));
    return env?.executable.uri?.fsPath;
  } catch (error) {
    log.warn(`Could not read the Python extension's interpreter: ${String(error)}`);
    return undefined;
  }
}

export async function onActiveInterpreterChanged(listener: () => void, log: vscode.LogOutputChannel): Promise<vscode.Disposable | undefined> {
  const api = await environmentsApi(log);
  return api?.onDidChangeActiveEnvironmentPath(listener);
}
