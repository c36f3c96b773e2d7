import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { mirrorLog } from '../../src/logMirror';

/** The part of a LogOutputChannel the extension and the language client use, recording calls. */
function fakeChannel(): { channel: vscode.LogOutputChannel; calls: string[] } {
  const calls: string[] = [];
  const channel = {
    name: 'vetpy',
    info(message: string) { calls.push(`info:${message}`); },
    warn(message: string) { calls.push(`warn:${message}`); },
    error(message: string | Error) { calls.push(`error:${String(message)}`); },
    append(text: string) { calls.push(`append:${text}`); },
    appendLine(text: string) { calls.push(`appendLine:${text}`); },
    show() { calls.push('show'); },
  };
  return { channel: channel as unknown as vscode.LogOutputChannel, calls };
}

describe('mirrorLog', () => {
  it('without a file returns the channel itself', () => {
    const { channel } = fakeChannel();
    assert.equal(mirrorLog(channel, undefined), channel);
    assert.equal(mirrorLog(channel, ''), channel);
  });

  it('appends every line written to the channel to the file, and still writes the channel', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'vetpy-log-')), 'client.log');
    const { channel, calls } = fakeChannel();
    const log = mirrorLog(channel, file);
    log.info('Starting the server (activation)');
    log.error('The server stopped 3 times in a row; not restarting it');
    log.appendLine('[Info  - 12:00:00] untrusted workspace: no interpreter of the workspace is run');
    log.append('[LSP   - 12:00:01] ');
    log.appendLine('{"method":"initialize"}');
    log.show();
    assert.deepEqual(calls, [
      'info:Starting the server (activation)',
      'error:The server stopped 3 times in a row; not restarting it',
      'appendLine:[Info  - 12:00:00] untrusted workspace: no interpreter of the workspace is run',
      'append:[LSP   - 12:00:01] ',
      'appendLine:{"method":"initialize"}',
      'show',
    ]);
    assert.equal(
      readFileSync(file, 'utf8'),
      '[info] Starting the server (activation)\n'
        + '[error] The server stopped 3 times in a row; not restarting it\n'
        + '[Info  - 12:00:00] untrusted workspace: no interpreter of the workspace is run\n'
        + '[LSP   - 12:00:01] {"method":"initialize"}\n',
    );
    assert.equal(log.name, 'vetpy');
  });

  it('a file that cannot be written never breaks logging', () => {
    const { channel, calls } = fakeChannel();
    const file = path.join(os.tmpdir(), 'no-such-dir-vetpy', 'x', 'client.log');
    mirrorLog(channel, file).info('still logged');
    assert.deepEqual(calls, ['info:still logged']);
    assert.equal(existsSync(file), false);
  });
});
