import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { VariableError, expandVariables, resolveCommandPath } from '../../src/variables';

const ctx = {
  userHome: '/home/dev',
  workspaceFolder: '/projects/infra',
  env: { VENV: '/opt/venv' },
  pathApi: path.posix,
};

describe('expandVariables', () => {
  test('expands ~, ${userHome}, ${workspaceFolder} and ${env:NAME}', () => {
    assert.equal(expandVariables('~/bin/tfguard', ctx), '/home/dev/bin/tfguard');
    assert.equal(expandVariables('${userHome}/x', ctx), '/home/dev/x');
    assert.equal(expandVariables('${workspaceFolder}/.venv/bin/python', ctx), '/projects/infra/.venv/bin/python');
    assert.equal(expandVariables('${env:VENV}/bin/python', ctx), '/opt/venv/bin/python');
    assert.equal(expandVariables('${env:MISSING}x', ctx), 'x');
  });

  test('refuses unknown variables and a folder variable without a folder', () => {
    assert.throws(() => expandVariables('${config:python.defaultInterpreterPath}', ctx), VariableError);
    assert.throws(() => expandVariables('${workspaceFolder}/x', { ...ctx, workspaceFolder: undefined }), VariableError);
  });
});

describe('resolveCommandPath', () => {
  test('keeps bare command names for the PATH lookup', () => {
    assert.equal(resolveCommandPath('python3', ctx), 'python3');
    assert.equal(resolveCommandPath('tfguard', ctx), 'tfguard');
  });

  test('makes relative paths absolute against the workspace folder', () => {
    assert.equal(resolveCommandPath('.venv/bin/python', ctx), '/projects/infra/.venv/bin/python');
    assert.equal(resolveCommandPath('/usr/bin/python3', ctx), '/usr/bin/python3');
  });

  test('understands Windows paths', () => {
    const win = { ...ctx, workspaceFolder: 'C:\\infra', pathApi: path.win32 };
    assert.equal(resolveCommandPath('.venv\\Scripts\\python.exe', win), 'C:\\infra\\.venv\\Scripts\\python.exe');
    assert.equal(resolveCommandPath('D:\\py\\python.exe', win), 'D:\\py\\python.exe');
  });
});
