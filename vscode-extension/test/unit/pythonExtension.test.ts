import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import type * as vscode from 'vscode';
import { PYTHON_EXTENSION_ID, onPythonInterpreterChange, pythonExtensionInterpreter } from '../../src/pythonExtension';
import { EventEmitter, Uri, mock } from '../mocks/vscode';

function pythonApi(executable: string | undefined, activePath = '/envs/p/bin/python') {
  const changed = new EventEmitter<unknown>();
  const asked: unknown[] = [];
  return {
    changed,
    asked,
    exports: {
      environments: {
        getActiveEnvironmentPath(resource?: unknown) {
          asked.push(resource);
          return { id: 'p', path: activePath };
        },
        async resolveEnvironment(env: { path: string }) {
          assert.equal(env.path, activePath);
          return { executable: { uri: executable === undefined ? undefined : Uri.file(executable) } };
        },
        onDidChangeActiveEnvironmentPath: changed.event,
      },
    },
  };
}

describe('Python extension interpreter', () => {
  beforeEach(() => mock.reset());

  test('without the Python extension there is no interpreter', async () => {
    assert.equal(await pythonExtensionInterpreter(), undefined);
  });

  test('activates the extension and returns the resolved executable for the resource', async () => {
    const api = pythonApi('/envs/p/bin/python3.12');
    const extension = mock.addExtension(PYTHON_EXTENSION_ID, api.exports);
    const folder = Uri.file('/ws');
    assert.equal(await pythonExtensionInterpreter(folder as unknown as vscode.Uri), '/envs/p/bin/python3.12');
    assert.equal(extension.activations, 1);
    assert.deepEqual(api.asked, [folder]);
  });

  test('an active extension is not activated again', async () => {
    const api = pythonApi('/envs/p/bin/python3.12');
    const extension = mock.addExtension(PYTHON_EXTENSION_ID, api.exports, true);
    assert.equal(await pythonExtensionInterpreter(), '/envs/p/bin/python3.12');
    assert.equal(extension.activations, 0);
  });

  test('falls back to the environment path when it cannot be resolved', async () => {
    mock.addExtension(PYTHON_EXTENSION_ID, pythonApi(undefined, '/usr/bin/python3').exports, true);
    assert.equal(await pythonExtensionInterpreter(), '/usr/bin/python3');
  });

  test('an extension without the environments API gives no interpreter', async () => {
    mock.addExtension(PYTHON_EXTENSION_ID, { ready: Promise.resolve() }, true);
    assert.equal(await pythonExtensionInterpreter(), undefined);
  });

  test('interpreter changes are forwarded until disposed', async () => {
    const api = pythonApi('/x');
    mock.addExtension(PYTHON_EXTENSION_ID, api.exports, true);
    let calls = 0;
    const subscription = await onPythonInterpreterChange(() => (calls += 1));
    api.changed.fire({});
    subscription.dispose();
    api.changed.fire({});
    assert.equal(calls, 1);
  });
});
