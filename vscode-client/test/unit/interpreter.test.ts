import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseInterpreter, describeInterpreter, environmentLabel } from '../../src/interpreter';

const vars = { workspaceFolder: '/ws/p', userHome: '/home/ann', env: {} };

describe('chooseInterpreter', () => {
  it('prefers the vetpy.interpreter setting, expanded', () => {
    const choice = chooseInterpreter({ setting: '${workspaceFolder}/.venv/bin/python', pythonExtension: '/usr/bin/python3', trusted: true, vars });
    assert.deepEqual(choice, { path: '/ws/p/.venv/bin/python', source: 'setting' });
  });

  it('uses the Python extension when the setting is empty', () => {
    assert.deepEqual(chooseInterpreter({ setting: '  ', pythonExtension: '/ws/p/venv/bin/python', trusted: true, vars }), {
      path: '/ws/p/venv/bin/python',
      source: 'python-extension',
    });
  });

  it('leaves discovery to the server when neither is available', () => {
    assert.deepEqual(chooseInterpreter({ setting: undefined, trusted: true, vars }), { source: 'server-discovery' });
    assert.deepEqual(chooseInterpreter({ setting: 42, pythonExtension: '', trusted: true, vars }), { source: 'server-discovery' });
  });

  it('never uses the Python extension choice in an untrusted workspace', () => {
    assert.deepEqual(chooseInterpreter({ setting: '', pythonExtension: '/ws/p/.venv/bin/python', trusted: false, vars }), { source: 'restricted' });
  });

  it('keeps a user-level setting in an untrusted workspace (VS Code hides workspace values)', () => {
    assert.equal(chooseInterpreter({ setting: '/usr/bin/python3', trusted: false, vars }).source, 'setting');
  });
});

describe('environmentLabel', () => {
  it('names the environment folder of a venv interpreter', () => {
    assert.equal(environmentLabel('/ws/p/.venv/bin/python'), '.venv');
    assert.equal(environmentLabel('C:\\proj\\env\\Scripts\\python.exe'), 'env');
  });

  it('names the executable otherwise, and auto when unknown', () => {
    assert.equal(environmentLabel('/usr/local/python3.12'), 'python3.12');
    assert.equal(environmentLabel('python3'), 'python3');
    assert.equal(environmentLabel(undefined), 'auto');
  });
});

describe('describeInterpreter', () => {
  it('says where the interpreter came from', () => {
    assert.match(describeInterpreter({ path: '/x/python', source: 'python-extension' }), /\/x\/python \(Python extension\)/);
    assert.match(describeInterpreter({ source: 'restricted' }), /untrusted/);
  });
});
