import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { inspectInterpreter, parseInspectOutput, whichExecutable } from '../../src/probe';

function systemPython(): string | undefined {
  try {
    return execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

describe('parseInspectOutput', () => {
  it('reads the last JSON line', () => {
    assert.deepEqual(parseInspectOutput('noise\n{"python": "3.12.1", "vetpy": "0.2.0"}\n'), { ok: true, python: '3.12.1', vetpy: '0.2.0' });
    assert.deepEqual(parseInspectOutput('{"python": "3.12.1", "vetpy": null}'), { ok: true, python: '3.12.1', vetpy: undefined });
  });

  it('rejects anything else', () => {
    assert.equal(parseInspectOutput('Python 2.7').ok, false);
    assert.equal(parseInspectOutput('{"vetpy": "1"}').ok, false);
  });
});

describe('inspectInterpreter', () => {
  it('reports a missing interpreter', async () => {
    assert.deepEqual(await inspectInterpreter('/definitely/not/python', undefined), { ok: false, error: 'no such file' });
  });

  it('finds vetpy in the working directory, as `python -m vetpy` would', async (t) => {
    const python = systemPython();
    if (python === undefined) {
      t.skip('no python3');
      return;
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'vetpy-probe-'));
    mkdirSync(path.join(dir, 'vetpy'));
    writeFileSync(path.join(dir, 'vetpy', '__init__.py'), '');
    const inside = await inspectInterpreter(python, dir);
    assert.ok(inside.ok);
    assert.notEqual(inside.vetpy, undefined);
    const outside = await inspectInterpreter(python, tmpdir());
    assert.ok(outside.ok);
    assert.match(outside.python, /^3\./);
  });
});

describe('whichExecutable', () => {
  it('finds executable files only, in PATH order', async () => {
    const a = mkdtempSync(path.join(tmpdir(), 'vetpy-which-a-'));
    const b = mkdtempSync(path.join(tmpdir(), 'vetpy-which-b-'));
    writeFileSync(path.join(a, 'vetpy'), 'not executable');
    writeFileSync(path.join(b, 'vetpy'), '#!/bin/sh\n');
    chmodSync(path.join(b, 'vetpy'), 0o755);
    mkdirSync(path.join(a, 'tool'));
    assert.equal(await whichExecutable('vetpy', [a, b].join(path.delimiter), 'linux'), path.join(b, 'vetpy'));
    assert.equal(await whichExecutable('tool', a, 'linux'), undefined);
    assert.equal(await whichExecutable('vetpy', undefined, 'linux'), undefined);
  });
});
