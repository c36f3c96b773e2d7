import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { chooseInterpreter } from '../../src/interpreter';
import { DEFAULT_DEBOUNCE_MS, expandPath, initializationOptions, resolveSettings, stringList } from '../../src/settings';

/** The part of package.json these tests read. */
interface PackageJson {
  contributes: { configuration: { properties: Record<string, { default?: unknown } | undefined> } };
}

const vars = { workspaceFolder: '/ws/proj', userHome: '/home/ann', env: { VENV: '/opt/venv' } };

describe('expandPath', () => {
  it('expands ${workspaceFolder}, ${userHome}, ${env:X} and a leading ~', () => {
    assert.equal(expandPath('${workspaceFolder}/.venv/bin/python', vars), '/ws/proj/.venv/bin/python');
    assert.equal(expandPath('~/envs/a/bin/python', vars), '/home/ann/envs/a/bin/python');
    assert.equal(expandPath('${userHome}/x', vars), '/home/ann/x');
    assert.equal(expandPath('${env:VENV}/bin/python', vars), '/opt/venv/bin/python');
  });

  it('leaves unknown variables, a mid-path ~ and a missing folder alone', () => {
    assert.equal(expandPath('/a/~b', vars), '/a/~b');
    assert.equal(expandPath('${config:x}', vars), '${config:x}');
    assert.equal(expandPath('${workspaceFolder}/p', { ...vars, workspaceFolder: undefined }), '${workspaceFolder}/p');
    assert.equal(expandPath('${env:NOPE}x', vars), 'x');
  });

  it('trims surrounding whitespace', () => {
    assert.equal(expandPath('  /usr/bin/python3 ', vars), '/usr/bin/python3');
  });
});

describe('stringList', () => {
  it('keeps non-empty strings only', () => {
    assert.deepEqual(stringList(['HAL003', '', ' SEC ', 3, null]), ['HAL003', 'SEC']);
    assert.deepEqual(stringList('HAL003'), []);
    assert.deepEqual(stringList(undefined), []);
  });
});

describe('resolveSettings', () => {
  it('builds the server shape with the chosen interpreter as a one-element list', () => {
    const s = resolveSettings(
      { select: ['HAL'], ignore: ['HAL003'], debounceMs: 150, logLevel: 'debug' },
      'file:///ws/proj',
      '/ws/proj/.venv/bin/python',
      true,
    );
    assert.deepEqual(s, {
      workspace: 'file:///ws/proj',
      interpreter: ['/ws/proj/.venv/bin/python'],
      select: ['HAL'],
      ignore: ['HAL003'],
      debounceMs: 150,
      logLevel: 'debug',
      trusted: true,
    });
  });

  it('falls back to defaults for missing or invalid values', () => {
    const s = resolveSettings({ debounceMs: 'soon', logLevel: 'loud', select: 'HAL' }, 'file:///w', undefined, true);
    assert.equal(s.debounceMs, DEFAULT_DEBOUNCE_MS);
    // package.json's default is what VS Code hands over when the user set nothing
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as PackageJson;
    assert.equal(pkg.contributes.configuration.properties['vetpy.debounceMs']?.default, DEFAULT_DEBOUNCE_MS);
    assert.equal(s.logLevel, 'info');
    assert.equal('select' in s, false);
    assert.deepEqual(s.interpreter, []);
  });

  it('leaves select, ignore and introspection out unless set, so [tool.vetpy] applies', () => {
    const s = resolveSettings({ select: [], ignore: [''] }, 'w', undefined, true);
    assert.deepEqual(Object.keys(s).sort(), ['debounceMs', 'interpreter', 'logLevel', 'trusted', 'workspace']);
  });

  it('clamps and rounds the debounce', () => {
    assert.equal(resolveSettings({ debounceMs: -5 }, 'w', undefined, true).debounceMs, 0);
    assert.equal(resolveSettings({ debounceMs: 99999 }, 'w', undefined, true).debounceMs, 10000);
    assert.equal(resolveSettings({ debounceMs: 12.6 }, 'w', undefined, true).debounceMs, 13);
  });

  it('says whether the workspace is trusted, and turns introspection off when it is not', () => {
    const s = resolveSettings({}, 'w', undefined, false);
    assert.equal(s.trusted, false);
    assert.equal(s.introspection, false);
    assert.equal(resolveSettings({}, 'w', undefined, true).trusted, true);
  });
});

describe('initializationOptions', () => {
  it('uses the VS Code shape and drops workspace from the global settings', () => {
    const folder = resolveSettings({ ignore: ['EDGE'] }, 'file:///a', '/a/py', true);
    const global = resolveSettings({}, '/home/ann', undefined, true);
    const options = initializationOptions([folder], global);
    assert.deepEqual(options.settings, [folder]);
    assert.equal('workspace' in options.globalSettings, false);
    assert.equal(options.globalSettings.ignore, undefined);
    assert.deepEqual(options.settings[0]?.ignore, ['EDGE']);
  });
});

// The server's own tests (tests/test_lsp_trust.py) send this file, as the extension builds it in
// Restricted Mode, and check that the workspace's interpreters never run: if the extension's shape
// changes, this test fails until the file is regenerated (VETPY_UPDATE_FIXTURES=1 npm test), and
// then the server's tests run with the new shape.
describe('Restricted Mode payload shared with the server tests', () => {
  it('equals test/fixtures/restricted-mode-initialization-options.json', () => {
    const folderUri = '${FOLDER_URI}';
    const home = '${HOME}';
    const vars = { workspaceFolder: '${FOLDER}', userHome: home, env: {} };
    const folderChoice = chooseInterpreter({ setting: undefined, pythonExtension: '${FOLDER}/.venv/bin/python', trusted: false, vars });
    const globalChoice = chooseInterpreter({ setting: undefined, trusted: false, vars });
    const options = initializationOptions(
      [resolveSettings({}, folderUri, folderChoice.path, false)],
      resolveSettings({}, home, globalChoice.path, false),
    );
    const file = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'restricted-mode-initialization-options.json');
    if (process.env.VETPY_UPDATE_FIXTURES === '1') {
      writeFileSync(file, JSON.stringify(options, null, 2) + '\n');
    }
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), options);
  });
});
