import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InterpreterChoice } from '../../src/interpreter';
import { describeCommand, pipInstallCommand, resolveServerCommand, type InspectResult, type Probe } from '../../src/serverCommand';

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

describe('describeCommand and pipInstallCommand', () => {
  it('quotes arguments with spaces', () => {
    assert.equal(describeCommand({ command: '/a b/python', args: ['-m', 'vetpy', 'serve'] }), '"/a b/python" -m vetpy serve');
  });

  it('builds a shell-safe pip command', () => {
    assert.equal(pipInstallCommand("/it's/python", 'linux'), `'/it'\\''s/python' -m pip install --upgrade vetpy`);
    assert.equal(pipInstallCommand('C:\\py\\python.exe', 'win32'), '& "C:\\py\\python.exe" -m pip install --upgrade vetpy');
  });
});
