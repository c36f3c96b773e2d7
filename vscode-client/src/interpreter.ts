// Pure interpreter choice: the `vetpy.interpreter` setting, else the Python extension's active
// environment, else none (the server discovers one). Untrusted workspaces never use an
// interpreter that the workspace chose.

import { expandPath, type PathVariables } from './settings';

export type InterpreterSource = 'setting' | 'python-extension' | 'server-discovery' | 'restricted';

export interface InterpreterChoice {
  path?: string;
  source: InterpreterSource;
}

export interface InterpreterInputs {
  /** `vetpy.interpreter` for the scope. In untrusted workspaces VS Code only returns the user's value. */
  setting: unknown;
  /** The Python extension's active interpreter for the scope, when that extension is installed. */
  pythonExtension?: string;
  trusted: boolean;
  vars: PathVariables;
}

export function chooseInterpreter(inputs: InterpreterInputs): InterpreterChoice {
  const setting = typeof inputs.setting === 'string' ? inputs.setting.trim() : '';
  if (setting !== '') {
    return { path: expandPath(setting, inputs.vars), source: 'setting' };
  }
  if (!inputs.trusted) {
    // The Python extension's choice may be the project's own .venv: do not run it.
    return { source: 'restricted' };
  }
  if (inputs.pythonExtension) {
    return { path: inputs.pythonExtension, source: 'python-extension' };
  }
  return { source: 'server-discovery' };
}

export function describeInterpreter(choice: InterpreterChoice): string {
  switch (choice.source) {
    case 'setting':
      return `${choice.path ?? ''} (vetpy.interpreter)`;
    case 'python-extension':
      return `${choice.path ?? ''} (Python extension)`;
    case 'server-discovery':
      return 'discovered by the server';
    case 'restricted':
      return 'none (untrusted workspace)';
  }
}

/** Short name of the environment for the status bar: `.venv` for `/p/.venv/bin/python`. */
export function environmentLabel(interpreter: string | undefined): string {
  if (interpreter === undefined || interpreter === '') {
    return 'auto';
  }
  const parts = interpreter.split(/[\\/]+/).filter((p) => p !== '');
  const parent = parts.at(-2);
  if ((parent === 'bin' || parent === 'Scripts') && parts.length >= 3) {
    return parts.at(-3) ?? interpreter;
  }
  return parts.at(-1) ?? interpreter;
}
