// A copy of the extension's log in a plain file, for the end-to-end test only.
//
// VS Code writes an output channel to disk in batches, sometimes more than a minute late on a
// loaded machine; a test reading the channel's file then sees an empty log.  When the environment
// names a file (VETPY_CLIENT_LOG_FILE, which the e2e sets), every line written to the channel is
// also appended to it, synchronously.  Unset: the channel itself, untouched.

import { appendFileSync } from 'node:fs';
import type * as vscode from 'vscode';

export const LOG_FILE_VARIABLE = 'VETPY_CLIENT_LOG_FILE';

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error']);

/** `channel`, or a view of it that also appends what is written to `file` (when one is given). */
export function mirrorLog(channel: vscode.LogOutputChannel, file: string | undefined): vscode.LogOutputChannel {
  if (!file) {
    return channel;
  }
  const write = (text: string): void => {
    try {
      appendFileSync(file, text);
    } catch {
      // the copy is a test aid: never let it break logging
    }
  };
  return new Proxy(channel, {
    get(target, property, _receiver) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') {
        return value;
      }
      const method = value as (...args: unknown[]) => unknown;
      const name = String(property);
      return (...args: unknown[]): unknown => {
        if (name === 'append') {
          write(String(args[0]));
        } else if (name === 'appendLine') {
          write(`${String(args[0])}\n`);
        } else if (LEVELS.has(name)) {
          write(`[${name}] ${args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' ')}\n`);
        }
        return method.apply(target, args);
      };
    },
  });
}
