// Pure server-command resolution: how to start `vetpy serve`. Process spawning is injected
// (see probe.ts) so the decision logic is unit-tested without Python.
//
// Import strategies (as ruff-vscode's `ruff.importStrategy`):
// - `useBundled` (default): the server shipped inside the extension (`bundled/libs`: vetpy and its
//   pure-Python dependencies, built by scripts/bundle_server.py) runs with any Python >= the
//   minimum, put first on PYTHONPATH: vetpy is never installed into the environment it checks.
// - `fromEnvironment`: a vetpy installed for the chosen interpreter, or `vetpy` on PATH; the
//   bundled server when neither has one.

import type { InterpreterChoice } from './interpreter';
import { expandPath, stringList, type PathVariables } from './settings';

export interface InterpreterInfo {
  /** Python version, e.g. "3.11.7". */
  python: string;
  /** vetpy's version when importable by this interpreter, else undefined. */
  vetpy?: string;
}

export type InspectResult = ({ ok: true } & InterpreterInfo) | { ok: false; error: string };

export interface Probe {
  /** Runs the interpreter to learn its version and whether it can import vetpy. */
  inspect(python: string): Promise<InspectResult>;
  /** Full path of an executable on PATH, or undefined. */
  which(name: string): Promise<string | undefined>;
}

export type CommandOrigin = 'setting' | 'interpreter' | 'path' | 'python-on-path' | 'bundled';

export type ImportStrategy = 'useBundled' | 'fromEnvironment';

/** The oldest Python the server runs on (pyproject.toml's requires-python; a unit test keeps them equal). */
export const MINIMUM_PYTHON: readonly [number, number] = [3, 10];

export interface ServerCommand {
  command: string;
  args: string[];
  origin: CommandOrigin;
  /** Variables added to the server's environment (the bundled server's PYTHONPATH). */
  env?: Record<string, string>;
  /** Why a fallback was taken, for the log. */
  note?: string;
}

export type Resolution =
  | { kind: 'ok'; server: ServerCommand }
  | { kind: 'bad-setting'; message: string }
  | { kind: 'interpreter-broken'; interpreter: string; error: string }
  | { kind: 'vetpy-missing'; interpreter?: string }
  | { kind: 'no-python'; tried: string[] };

export interface ResolveInputs {
  serverCommand: unknown;
  interpreter: InterpreterChoice;
  trusted: boolean;
  vars: PathVariables;
  /** `vetpy.importStrategy` (unvalidated): `useBundled` unless it is `fromEnvironment`. */
  importStrategy?: unknown;
  /** The extension's `bundled/libs` when the extension ships the server (absent in a development build). */
  bundledLibs?: string;
  /** PATH separator of the platform (`:` or `;`), for PYTHONPATH. */
  delimiter?: string;
}

const INTERPRETER_TOKEN = '${interpreter}';

export function moduleCommand(python: string): { command: string; args: string[] } {
  return { command: python, args: ['-m', 'vetpy', 'serve'] };
}

export function importStrategy(value: unknown): ImportStrategy {
  return value === 'fromEnvironment' ? 'fromEnvironment' : 'useBundled';
}

/** Is `version` ("3.11.7") at least MINIMUM_PYTHON? */
export function supportedPython(version: string): boolean {
  const [major, minor] = version.split('.').map((part) => Number.parseInt(part, 10));
  if (major === undefined || minor === undefined || Number.isNaN(major) || Number.isNaN(minor)) {
    return false;
  }
  return major > MINIMUM_PYTHON[0] || (major === MINIMUM_PYTHON[0] && minor >= MINIMUM_PYTHON[1]);
}

/**
 * The bundled server, run by the chosen interpreter when it is a Python >= the minimum, else (in
 * a trusted workspace) by `python3` or `python` on PATH. Nothing is installed anywhere: the
 * server's own libraries come from `bundledLibs`, first on PYTHONPATH (the server keeps that
 * entry away from the interpreters it checks).
 */
async function bundledServer(inputs: ResolveInputs, libs: string, probe: Probe): Promise<Extract<Resolution, { kind: 'ok' | 'no-python' }>> {
  const tried: string[] = [];
  const candidates: string[] = [];
  if (inputs.interpreter.path !== undefined) {
    candidates.push(inputs.interpreter.path);
  }
  if (inputs.trusted) {
    for (const name of ['python3', 'python']) {
      const found = await probe.which(name);
      if (found !== undefined && !candidates.includes(found)) {
        candidates.push(found);
      }
    }
  }
  for (const python of candidates) {
    const info = await probe.inspect(python);
    if (info.ok && supportedPython(info.python)) {
      const existing = inputs.vars.env.PYTHONPATH;
      const pythonPath = existing ? [libs, existing].join(inputs.delimiter ?? ':') : libs;
      const note = tried.length > 0 ? `the bundled server runs with ${python} (${tried.join('; ')})` : undefined;
      return { kind: 'ok', server: { ...moduleCommand(python), origin: 'bundled', env: { PYTHONPATH: pythonPath }, note } };
    }
    tried.push(info.ok ? `${python} is Python ${info.python}` : `${python}: ${info.error}`);
  }
  return { kind: 'no-python', tried };
}

export async function resolveServerCommand(inputs: ResolveInputs, probe: Probe): Promise<Resolution> {
  const strategy = importStrategy(inputs.importStrategy);
  const libs = inputs.bundledLibs;
  if (stringList(inputs.serverCommand).length === 0 && strategy === 'useBundled' && libs !== undefined) {
    const bundled = await bundledServer(inputs, libs, probe);
    if (bundled.kind === 'ok') {
      return bundled;
    }
    // No Python to run it with (an untrusted workspace runs none it did not get from the user):
    // a vetpy of the user's on PATH still serves.
    const installed = await environmentServer(inputs, probe);
    if (installed.kind === 'ok') {
      installed.server.note = `no Python >= ${MINIMUM_PYTHON.join('.')} to run the bundled server${bundled.tried.length > 0 ? ` (${bundled.tried.join('; ')})` : ''}; using ${describeCommand(installed.server)}`;
      return installed;
    }
    return inputs.trusted || inputs.interpreter.path !== undefined ? bundled : installed;
  }
  const fromEnvironment = await environmentServer(inputs, probe);
  if (fromEnvironment.kind === 'ok' || libs === undefined || fromEnvironment.kind === 'bad-setting') {
    return fromEnvironment;
  }
  // fromEnvironment found no vetpy: the bundled server, saying why
  const bundled = await bundledServer(inputs, libs, probe);
  if (bundled.kind === 'ok') {
    const why = fromEnvironment.kind === 'vetpy-missing' && fromEnvironment.interpreter !== undefined ? `vetpy is not installed for ${fromEnvironment.interpreter}` : 'no vetpy found in the environment';
    bundled.server.note = `${why}: using the bundled server${bundled.server.note ? `; ${bundled.server.note}` : ''}`;
    return bundled;
  }
  return fromEnvironment;
}

/** `fromEnvironment`: the serverCommand setting, a vetpy installed for the interpreter, `vetpy` on PATH. */
async function environmentServer(inputs: ResolveInputs, probe: Probe): Promise<Resolution> {
  const configured = stringList(inputs.serverCommand);
  const interpreter = inputs.interpreter.path;
  if (configured.length > 0) {
    if (interpreter === undefined && configured.some((part) => part.includes(INTERPRETER_TOKEN))) {
      return { kind: 'bad-setting', message: `vetpy.serverCommand uses ${INTERPRETER_TOKEN} but no interpreter is chosen: set vetpy.interpreter.` };
    }
    const [command, ...args] = configured.map((part) => expandPath(part.split(INTERPRETER_TOKEN).join(interpreter ?? ''), inputs.vars));
    return { kind: 'ok', server: { command: command ?? '', args, origin: 'setting' } };
  }

  let failure: Resolution | undefined;
  if (interpreter !== undefined) {
    const info = await probe.inspect(interpreter);
    if (info.ok && info.vetpy !== undefined) {
      return { kind: 'ok', server: { ...moduleCommand(interpreter), origin: 'interpreter' } };
    }
    failure = info.ok ? { kind: 'vetpy-missing', interpreter } : { kind: 'interpreter-broken', interpreter, error: info.error };
  }

  const onPath = await probe.which('vetpy');
  if (onPath !== undefined) {
    const note = failure === undefined ? undefined : `vetpy is not usable from ${interpreter ?? ''}; using ${onPath}`;
    return { kind: 'ok', server: { command: onPath, args: ['serve'], origin: 'path', note } };
  }
  if (failure !== undefined) {
    return failure;
  }
  if (inputs.trusted) {
    // No interpreter chosen: a python3 on PATH that has vetpy can serve; the server then finds the project's environment.
    const python = await probe.which('python3');
    if (python !== undefined) {
      const info = await probe.inspect(python);
      if (info.ok && info.vetpy !== undefined) {
        return { kind: 'ok', server: { ...moduleCommand(python), origin: 'python-on-path' } };
      }
      if (info.ok) {
        return { kind: 'vetpy-missing', interpreter: python };
      }
    }
  }
  return { kind: 'vetpy-missing' };
}

export function describeCommand(server: { command: string; args: string[] }): string {
  return [server.command, ...server.args].map((p) => (/[\s"']/.test(p) ? JSON.stringify(p) : p)).join(' ');
}
