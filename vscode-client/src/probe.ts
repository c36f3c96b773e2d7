// Node implementation of the Probe used by serverCommand.ts (spawns the interpreter; no vscode).

import { execFile } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { InspectResult, Probe } from './serverCommand';

const INSPECT_SCRIPT = [
  'import importlib.util, json, platform',
  'spec = importlib.util.find_spec("vetpy")',
  'version = None',
  'if spec is not None:',
  '    try:',
  '        from importlib.metadata import version as _v',
  '        version = _v("vetpy")',
  '    except Exception:',
  '        version = "unknown"',
  'print(json.dumps({"python": platform.python_version(), "vetpy": version}))',
].join('\n');

export function parseInspectOutput(stdout: string): InspectResult {
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    const data = JSON.parse(line) as { python?: unknown; vetpy?: unknown };
    if (typeof data.python !== 'string') {
      return { ok: false, error: `unexpected output: ${line}` };
    }
    return { ok: true, python: data.python, vetpy: typeof data.vetpy === 'string' ? data.vetpy : undefined };
  } catch {
    return { ok: false, error: `unexpected output: ${line.slice(0, 200)}` };
  }
}

/** Runs like the server will (same cwd, PYTHONPATH honoured), so the answer matches what `-m vetpy` finds. */
export function inspectInterpreter(python: string, cwd: string | undefined, timeoutMs = 15000): Promise<InspectResult> {
  return new Promise((resolve) => {
    execFile(python, ['-c', INSPECT_SCRIPT], { cwd, timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'not executable' : (stderr.trim().split('\n').pop() ?? error.message);
        resolve({ ok: false, error: reason || error.message });
        return;
      }
      resolve(parseInspectOutput(stdout));
    });
  });
}

export async function whichExecutable(name: string, envPath: string | undefined, platform: NodeJS.Platform): Promise<string | undefined> {
  const exts = platform === 'win32' ? ['.exe', '.cmd', '.bat', ''] : [''];
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (dir === '') {
      continue;
    }
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        await fs.access(candidate, constants.X_OK);
        const stat = await fs.stat(candidate);
        if (stat.isFile()) {
          return candidate;
        }
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export function nodeProbe(cwd: string | undefined): Probe {
  return {
    inspect: (python) => inspectInterpreter(python, cwd),
    which: (name) => whichExecutable(name, process.env.PATH, process.platform),
  };
}
