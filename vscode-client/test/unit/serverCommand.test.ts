import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InterpreterChoice } from '../../src/interpreter';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describeCommand, importStrategy, MINIMUM_PYTHON, resolveServerCommand, supportedPython, type InspectResult, type Probe } from '../../src/serverCommand';

const vars = { workspaceFolder: '/ws/p', userHome: '/home/ann', env: {} };

/** A probe over a fake machine: interpreters with their vetpy (or an error) and executables on PATH. */
function probe(interpreters: Record<string, InspectResult>, onPath: Record<string, string> = {}): Probe & { inspected: string[] } {
  const inspected: string[] = [];
  return {
    inspected,
    inspect: (python) => {
      inspected.push(python);
      return Promise.resolve(interpreters[python] ?? { ok: false, error: 'no such file' });
    },
    which: (name) => Promise.resolve(onPath[name]),
  };
}

const withVetpy: InspectResult = { ok: true, python: '3.11.7', vetpy: '0.1.0' };
const withoutVetpy: InspectResult = { ok: true, python: '3.11.7' };
const venv: InterpreterChoice = { path: '/ws/p/.venv/bin/python', source: 'setting' };

describe('resolveServerCommand', () => {
  it('runs `<interpreter> -m vetpy serve` when vetpy is installed there', async () => {
    const result = await resolveServerCommand({ serverCommand: [], interpreter: venv, trusted: true, vars }, probe({ '/ws/p/.venv/bin/python': withVetpy }, { vetpy: '/usr/bin/vetpy' }));
    assert.deepEqual(result, { kind: 'ok', server: { command: '/ws/p/.venv/bin/python', args: ['-m', 'vetpy', 'serve'], origin: 'interpreter' } });
  });

  it('falls back to vetpy on PATH, with a note, when the interpreter lacks vetpy', async () => {
    const result = await resolveServerCommand({ serverCommand: [], interpreter: venv, trusted: true, vars }, probe({ '/ws/p/.venv/bin/python': withoutVetpy }, { vetpy: '/usr/bin/vetpy' }));
    assert.ok(result.kind === 'ok');
    assert.deepEqual([result.server.command, ...result.server.args], ['/usr/bin/vetpy', 'serve']);
    assert.equal(result.server.origin, 'path');
    assert.match(result.server.note ?? '', /not usable from \/ws\/p\/\.venv\/bin\/python/);
  });

  it('reports vetpy missing for the chosen interpreter when nothing else can serve', async () => {
    const result = await resolveServerCommand({ serverCommand: [], interpreter: venv, trusted: true, vars }, probe({ '/ws/p/.venv/bin/python': withoutVetpy }));
    assert.deepEqual(result, { kind: 'vetpy-missing', interpreter: '/ws/p/.venv/bin/python' });
  });

  it('reports a broken interpreter path', async () => {
    const result = await resolveServerCommand({ serverCommand: [], interpreter: { path: '/nope/python', source: 'setting' }, trusted: true, vars }, probe({}));
    assert.deepEqual(result, { kind: 'interpreter-broken', interpreter: '/nope/python', error: 'no such file' });
  });

  it('uses the serverCommand setting verbatim, without probing, substituting ${interpreter}', async () => {
    const p = probe({});
    const result = await resolveServerCommand({ serverCommand: ['${interpreter}', '-m', 'vetpy', 'serve', '--log=${workspaceFolder}/l'], interpreter: venv, trusted: true, vars }, p);
    assert.deepEqual(result, { kind: 'ok', server: { command: '/ws/p/.venv/bin/python', args: ['-m', 'vetpy', 'serve', '--log=/ws/p/l'], origin: 'setting' } });
    assert.deepEqual(p.inspected, []);
  });

  it('rejects ${interpreter} in serverCommand when no interpreter is chosen', async () => {
    const result = await resolveServerCommand({ serverCommand: ['${interpreter}', '-m', 'vetpy'], interpreter: { source: 'server-discovery' }, trusted: true, vars }, probe({}));
    assert.equal(result.kind, 'bad-setting');
  });

  it('without an interpreter: vetpy on PATH, else a python3 on PATH that has vetpy', async () => {
    const none: InterpreterChoice = { source: 'server-discovery' };
    const fromPath = await resolveServerCommand({ serverCommand: [], interpreter: none, trusted: true, vars }, probe({}, { vetpy: '/home/ann/.local/bin/vetpy' }));
    assert.ok(fromPath.kind === 'ok' && fromPath.server.origin === 'path');
    const fromPython = await resolveServerCommand({ serverCommand: [], interpreter: none, trusted: true, vars }, probe({ '/usr/bin/python3': withVetpy }, { python3: '/usr/bin/python3' }));
    assert.deepEqual(fromPython, { kind: 'ok', server: { command: '/usr/bin/python3', args: ['-m', 'vetpy', 'serve'], origin: 'python-on-path' } });
    const missing = await resolveServerCommand({ serverCommand: [], interpreter: none, trusted: true, vars }, probe({ '/usr/bin/python3': withoutVetpy }, { python3: '/usr/bin/python3' }));
    assert.deepEqual(missing, { kind: 'vetpy-missing', interpreter: '/usr/bin/python3' });
    const nothing = await resolveServerCommand({ serverCommand: [], interpreter: none, trusted: true, vars }, probe({}));
    assert.deepEqual(nothing, { kind: 'vetpy-missing' });
  });

  it('in an untrusted workspace runs no interpreter at all unless the user chose one', async () => {
    const p = probe({ '/usr/bin/python3': withVetpy }, { python3: '/usr/bin/python3' });
    const result = await resolveServerCommand({ serverCommand: [], interpreter: { source: 'restricted' }, trusted: false, vars }, p);
    assert.deepEqual(result, { kind: 'vetpy-missing' });
    assert.deepEqual(p.inspected, []);
    const onPath = await resolveServerCommand({ serverCommand: [], interpreter: { source: 'restricted' }, trusted: false, vars }, probe({}, { vetpy: '/usr/bin/vetpy' }));
    assert.ok(onPath.kind === 'ok' && onPath.server.command === '/usr/bin/vetpy');
  });
});

describe('describeCommand', () => {
  it('quotes arguments with spaces', () => {
    assert.equal(describeCommand({ command: '/a b/python', args: ['-m', 'vetpy', 'serve'] }), '"/a b/python" -m vetpy serve');
  });
});

const LIBS = '/ext/bundled/libs';
const bare: InspectResult = { ok: true, python: '3.12.1' }; // a Python without vetpy
const old: InspectResult = { ok: true, python: '3.9.18' };

describe('the bundled server (vetpy.importStrategy)', () => {
  it('useBundled is the default; anything but fromEnvironment means it', () => {
    assert.equal(importStrategy(undefined), 'useBundled');
    assert.equal(importStrategy('nonsense'), 'useBundled');
    assert.equal(importStrategy('fromEnvironment'), 'fromEnvironment');
  });

  it('runs the bundled server with the chosen interpreter, which has no vetpy, libraries on PYTHONPATH', async () => {
    const p = probe({ '/ws/p/.venv/bin/python': bare }, { vetpy: '/usr/bin/vetpy' });
    const result = await resolveServerCommand({ serverCommand: [], interpreter: venv, trusted: true, vars, bundledLibs: LIBS }, p);
    assert.deepEqual(result, {
      kind: 'ok',
      server: { command: '/ws/p/.venv/bin/python', args: ['-m', 'vetpy', 'serve'], origin: 'bundled', env: { PYTHONPATH: LIBS }, note: undefined },
    });
  });

  it('prefers the bundled server to a vetpy installed in the environment', async () => {
    const result = await resolveServerCommand({ serverCommand: [], interpreter: venv, trusted: true, vars, bundledLibs: LIBS }, probe({ '/ws/p/.venv/bin/python': withVetpy }));
    assert.ok(result.kind === 'ok' && result.server.origin === 'bundled');
  });

  it("keeps the user's PYTHONPATH after the bundle's", async () => {
    const withPath = { ...vars, env: { PYTHONPATH: '/home/ann/lib' } };
    const result = await resolveServerCommand({ serverCommand: [], interpreter: venv, trusted: true, vars: withPath, bundledLibs: LIBS, delimiter: ';' }, probe({ '/ws/p/.venv/bin/python': bare }));
    assert.ok(result.kind === 'ok');
    assert.deepEqual(result.server.env, { PYTHONPATH: `${LIBS};/home/ann/lib` });
  });

  it('an interpreter older than the minimum: python3 on PATH runs the bundle, with a note', async () => {
    const result = await resolveServerCommand(
      { serverCommand: [], interpreter: venv, trusted: true, vars, bundledLibs: LIBS },
      probe({ '/ws/p/.venv/bin/python': old, '/usr/bin/python3': bare }, { python3: '/usr/bin/python3' }),
    );
    assert.ok(result.kind === 'ok');
    assert.equal(result.server.command, '/usr/bin/python3');
    assert.match(result.server.note ?? '', /\/ws\/p\/\.venv\/bin\/python is Python 3\.9\.18/);
  });

  it('no Python new enough anywhere: says so, naming what was tried', async () => {
    const result = await resolveServerCommand({ serverCommand: [], interpreter: venv, trusted: true, vars, bundledLibs: LIBS }, probe({ '/ws/p/.venv/bin/python': old }));
    assert.deepEqual(result, { kind: 'no-python', tried: ['/ws/p/.venv/bin/python is Python 3.9.18'] });
  });

  it("fromEnvironment uses the environment's vetpy, and the bundle only when there is none", async () => {
    const installed = await resolveServerCommand(
      { serverCommand: [], interpreter: venv, trusted: true, vars, bundledLibs: LIBS, importStrategy: 'fromEnvironment' },
      probe({ '/ws/p/.venv/bin/python': withVetpy }),
    );
    assert.deepEqual(installed, { kind: 'ok', server: { command: '/ws/p/.venv/bin/python', args: ['-m', 'vetpy', 'serve'], origin: 'interpreter' } });
    const fallback = await resolveServerCommand(
      { serverCommand: [], interpreter: venv, trusted: true, vars, bundledLibs: LIBS, importStrategy: 'fromEnvironment' },
      probe({ '/ws/p/.venv/bin/python': bare }),
    );
    assert.ok(fallback.kind === 'ok' && fallback.server.origin === 'bundled');
    assert.match(fallback.server.note ?? '', /vetpy is not installed for \/ws\/p\/\.venv\/bin\/python: using the bundled server/);
  });

  it('the serverCommand setting still wins over the bundle', async () => {
    const result = await resolveServerCommand({ serverCommand: ['/opt/vetpy', 'serve'], interpreter: venv, trusted: true, vars, bundledLibs: LIBS }, probe({}));
    assert.deepEqual(result, { kind: 'ok', server: { command: '/opt/vetpy', args: ['serve'], origin: 'setting' } });
  });

  it('untrusted: runs no interpreter the user did not choose; a user-level vetpy.interpreter runs the bundle', async () => {
    const p = probe({ '/usr/bin/python3': bare }, { python3: '/usr/bin/python3' });
    const none = await resolveServerCommand({ serverCommand: [], interpreter: { source: 'restricted' }, trusted: false, vars, bundledLibs: LIBS }, p);
    assert.deepEqual(none, { kind: 'vetpy-missing' });
    assert.deepEqual(p.inspected, []);
    const user = await resolveServerCommand({ serverCommand: [], interpreter: { path: '/usr/bin/python3', source: 'setting' }, trusted: false, vars, bundledLibs: LIBS }, p);
    assert.ok(user.kind === 'ok' && user.server.origin === 'bundled' && user.server.command === '/usr/bin/python3');
  });

  it('the minimum Python is the one pyproject.toml requires', () => {
    const pyproject = readFileSync(path.join(__dirname, '..', '..', '..', '..', 'pyproject.toml'), 'utf8');
    const match = /requires-python\s*=\s*">=\s*(\d+)\.(\d+)"/.exec(pyproject);
    assert.ok(match, 'no requires-python in pyproject.toml');
    assert.deepEqual([Number(match[1]), Number(match[2])], [...MINIMUM_PYTHON]);
    assert.ok(supportedPython('3.10.0') && supportedPython('3.13.1') && supportedPython('4.0'));
    assert.ok(!supportedPython('3.9.18') && !supportedPython('2.7.18') && !supportedPython('garbage'));
  });
});
