// Pure server-command resolution: how to start `vetpy serve`. Process spawning is injected
// (see probe.ts) so the decision logic is unit-tested without Python.

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

export type CommandOrigin = 'setting' | 'interpreter' | 'path' | 'python-on-path';

export interface ServerCommand {
  command: string;
  args: string[];
  origin: CommandOrigin;
  /** Why a fallback was taken, for the log. */
  note?: string;
}

export type Resolution =
  | { kind: 'ok'; server: ServerCommand }
  | { kind: 'bad-setting'; message: string }
  | { kind: 'interpreter-broken'; interpreter: string; error: string }
  | { kind: 'vetpy-missing'; interpreter?: string };

export interface ResolveInputs {
  serverCommand: unknown;
  interpreter: InterpreterChoice;
  trusted: boolean;
  vars: PathVariables;
}

const INTERPRETER_TOKEN = '${interpreter}';

export function moduleCommand(python: string): { command: string; args: string[] } {
  return { command: python, args: ['-m', 'vetpy', 'serve'] };
}

export async function resolveServerCommand(inputs: ResolveInputs, probe: Probe): Promise<Resolution> {
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

/** Shell-safe command line that installs vetpy for `python` (run in a terminal). */
export function pipInstallCommand(python: string, platform: NodeJS.Platform): string {
  const quoted = platform === 'win32' ? `& "${python}"` : `'${python.replace(/'/g, `'\\''`)}'`;
  return `${quoted} -m pip install --upgrade vetpy`;
}
