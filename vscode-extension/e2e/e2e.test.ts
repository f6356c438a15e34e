// End-to-end test in a real VS Code: code-server (installed by ../shared/vscode-web/install.sh)
// driven in headless Chromium with playwright-core.
//
// It installs the freshly built .vsix, opens a copy of e2e/fixture, waits for the tfguard finding
// in the Problems panel, turns its rule off and on through the folder settings, applies a tfguard
// quick fix with Ctrl+. on the finding's range, then checks that the file changed (in the editor
// and, after saving, on disk) and the finding is gone, and runs the scan command from the palette.
// It saves images/e2e.png (the README picture) on the way. A second editor checks the report of
// a wrong tfguard.interpreter and the restart once it is cleared.
//
// Environment: VSCODE_WEB_DIR (where install.sh installed code-server; default
// ~/.cache/vscode-web), VSCODE_WEB_SCRIPTS (folder of serve.sh; default ../shared/vscode-web
// beside the repository root), TFGUARD_VSIX (default: the newest tfguard-*.vsix here),
// CHROMIUM (default /usr/bin/chromium). playwright-core is a dev dependency of this package.
import assert from 'node:assert/strict';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { Browser, Page, chromium } from 'playwright-core';

const run = promisify(execFile);

const extensionRoot = path.resolve(__dirname, '..', '..');
const repoRoot = path.dirname(extensionRoot);
const webDir = process.env.VSCODE_WEB_DIR ?? path.join(os.homedir(), '.cache', 'vscode-web');
const scriptsDir = process.env.VSCODE_WEB_SCRIPTS ?? path.join(repoRoot, '..', 'shared', 'vscode-web');
const artifacts = path.join(extensionRoot, 'out', 'e2e-artifacts');
const screenshot = path.join(extensionRoot, 'images', 'e2e.png');
const codeServerEntry = path.join(webDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

const STARTUP_MS = 90_000;
const FINDING_MS = 90_000;
const STEP_MS = 30_000;

function newestVsix(): string {
  if (process.env.TFGUARD_VSIX) {
    return path.resolve(process.env.TFGUARD_VSIX);
  }
  const found = fs
    .readdirSync(extensionRoot)
    .filter((name) => name.startsWith('tfguard-') && name.endsWith('.vsix'))
    .map((name) => path.join(extensionRoot, name))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (found.length === 0) {
    throw new Error('no tfguard-*.vsix: run `npm run package` first');
  }
  return found[0];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', () => resolve(0));
    request.setTimeout(2_000, () => {
      request.destroy();
      resolve(0);
    });
  });
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function findFiles(folder: string, test: (name: string) => boolean, out: string[] = []): string[] {
  if (!fs.existsSync(folder)) {
    return out;
  }
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      findFiles(full, test, out);
    } else if (test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

const timings: [string, number][] = [];
const started = Date.now();
function mark(step: string): void {
  timings.push([step, Date.now()]);
  const previous = timings.length > 1 ? timings[timings.length - 2][1] : started;
  console.log(`# ${step}: ${((Date.now() - previous) / 1000).toFixed(1)} s`);
}

const baseSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'tfguard.trace.server': 'messages',
};

/** Finds `name` on PATH. */
function onPath(name: string): string {
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(folder, name);
    if (folder !== '' && fs.existsSync(candidate)) {
      return candidate;
    }
  }
  throw new Error(`${name} is not on PATH`);
}

/** One code-server with the .vsix installed, a copy of the fixture open, and a Chromium page on it. */
class Editor {
  readonly workspace: string;
  readonly userData: string;
  page!: Page;
  private readonly tmp: string;
  private readonly extensionsDir: string;
  private server: ChildProcess | undefined;
  private browser: Browser | undefined;

  constructor(readonly name: string) {
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), `tfguard-e2e-${name}-`));
    this.workspace = path.join(this.tmp, 'workspace');
    this.userData = path.join(this.tmp, 'user-data');
    this.extensionsDir = path.join(this.tmp, 'extensions');
    fs.cpSync(path.join(extensionRoot, 'e2e', 'fixture'), this.workspace, { recursive: true });
    fs.mkdirSync(path.join(this.userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(this.userData, 'User', 'settings.json'), JSON.stringify(baseSettings, null, 2));
  }

  /** Installs the .vsix, starts code-server and opens the workbench. */
  async start(): Promise<void> {
    const vsix = newestVsix();
    const installed = await run(
      process.execPath,
      [codeServerEntry, '--user-data-dir', this.userData, '--extensions-dir', this.extensionsDir, '--install-extension', vsix],
      { timeout: 120_000 },
    );
    assert.match(installed.stdout + installed.stderr, /successfully installed/i, 'the .vsix did not install');
    mark(`install ${path.basename(vsix)}`);

    const port = await freePort();
    const log = fs.openSync(path.join(artifacts, `${this.name}-code-server.log`), 'w');
    this.server = spawn(onPath('bash'), [path.join(scriptsDir, 'serve.sh'), String(port), this.workspace, this.userData, this.extensionsDir], {
      env: { ...process.env, VSCODE_WEB_DIR: webDir },
      stdio: ['ignore', log, log],
      detached: true,
    });
    await waitFor('code-server to answer', STARTUP_MS, async () =>
      (await httpStatus(`http://127.0.0.1:${port}/healthz`)) === 200 ? true : undefined,
    );
    mark('start code-server');

    this.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    this.page = await this.browser.newPage({ viewport: { width: 1280, height: 800 } });
    this.page.setDefaultTimeout(STEP_MS);
    await this.page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(this.workspace)}`);
    await this.page.waitForSelector('.monaco-workbench', { timeout: STARTUP_MS });
    mark('open the workbench');
  }

  /**
   * Writes (or, given undefined, removes) the folder's .vscode/settings.json; VS Code notices the
   * change and the extension forwards it to the server.
   */
  writeFolderSettings(settings: Record<string, unknown> | undefined): void {
    const folder = path.join(this.workspace, '.vscode');
    if (settings === undefined) {
      fs.rmSync(folder, { recursive: true, force: true });
      return;
    }
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'settings.json'), JSON.stringify(settings, null, 2));
  }

  /** Saves what a failure needs: a screenshot, the Problems rows and the extension's log. */
  async keepEvidence(failed: boolean): Promise<void> {
    if (failed && this.page !== undefined) {
      await this.page.screenshot({ path: path.join(artifacts, `${this.name}-failure.png`) }).catch(() => undefined);
      const rows = await problemRows(this.page).catch(() => []);
      fs.writeFileSync(path.join(artifacts, `${this.name}-problems.txt`), rows.join('\n---\n'));
    }
    for (const file of findFiles(path.join(this.userData, 'logs'), (n) => /tfguard/i.test(n))) {
      fs.copyFileSync(file, path.join(artifacts, `${this.name}-${path.basename(file)}`));
    }
  }

  async close(): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    if (this.server?.pid !== undefined) {
      try {
        process.kill(-this.server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** Runs `body` against a fresh editor, keeping evidence and cleaning up whatever happens. */
async function withEditor(
  name: string,
  prepare: (editor: Editor) => void,
  body: (editor: Editor) => Promise<void>,
): Promise<void> {
  const editor = new Editor(name);
  let failed = true;
  try {
    prepare(editor);
    await editor.start();
    await body(editor);
    failed = false;
  } finally {
    await editor.keepEvidence(failed);
    await editor.close();
  }
}

before(() => {
  assert.ok(fs.existsSync(codeServerEntry), `code-server is not installed in ${webDir}: run install.sh`);
  fs.rmSync(artifacts, { recursive: true, force: true });
  fs.mkdirSync(artifacts, { recursive: true });
});

after(() => {
  const total = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`# e2e total: ${total} s (artifacts in ${path.relative(process.cwd(), artifacts) || '.'})`);
});

/** Text of the editor's visible lines, with the non-breaking spaces Monaco renders made plain. */
async function editorText(p: Page): Promise<string> {
  const text = await p.locator('.monaco-editor .view-lines').first().innerText();
  return text.replace(/\u00a0/g, ' ');
}

async function problemRows(p: Page): Promise<string[]> {
  return p.locator('.markers-panel .monaco-list-row').allInnerTexts();
}

/**
 * The rule id and position of a tfguard row of the Problems panel. A row reads
 * `<message> tfguard(<rule id>) [Ln 11, Col 5]`; its text comes split over several lines.
 */
function parseProblem(row: string): { ruleId: string; line: number; column: number } | undefined {
  const match = /\btfguard\s*\(?\s*([A-Za-z0-9_.-]+)\s*\)?\s*\[Ln (\d+), Col (\d+)\]/.exec(row.replace(/\s+/g, ' '));
  return match ? { ruleId: match[1], line: Number(match[2]), column: Number(match[3]) } : undefined;
}

async function statusText(p: Page): Promise<string> {
  const items = await p.locator('.statusbar-item').allInnerTexts();
  return items.find((t) => t.includes('tfguard')) ?? '';
}

async function runQuickInput(p: Page, shortcut: string, text: string): Promise<void> {
  await p.keyboard.press(shortcut);
  const input = p.locator('.quick-input-widget input[type="text"]');
  await input.waitFor({ state: 'visible' });
  await p.keyboard.type(text);
}

test('a tfguard finding is listed, follows a settings change, and goes away with a Ctrl+. quick fix', { timeout: 200_000 }, async () => {
  await withEditor('quickfix', () => undefined, async (editor) => {
    const p = editor.page;
    const workspace = editor.workspace;
    // Open the file.
    await runQuickInput(p, 'Control+P', 'main.tf');
    await p.locator('.quick-input-list .monaco-list-row', { hasText: 'main.tf' }).first().waitFor();
    await p.keyboard.press('Enter');
    await p.locator('.monaco-editor .view-lines', { hasText: 'aws_security_group' }).waitFor();
    mark('open main.tf');

    // The finding reaches the Problems panel.
    await p.keyboard.press('Control+Shift+M');
    const finding = await waitFor('the tfguard finding in the Problems panel', FINDING_MS, async () => {
      const rows = await problemRows(p);
      return rows.find((row) => parseProblem(row) !== undefined);
    });
    mark('tfguard finding listed in Problems');
    const parsed = parseProblem(finding);
    assert.ok(parsed, `no rule id and position in the problem row: ${finding}`);
    const { ruleId, line, column } = parsed;
    const countRule = async () => (await problemRows(p)).filter((row) => parseProblem(row)?.ruleId === ruleId).length;
    const before = await countRule();
    assert.ok(before >= 1);
    const total = async () => (await problemRows(p)).filter((row) => parseProblem(row) !== undefined).length;
    const totalBefore = await total();
    await waitFor(`the status bar to count ${totalBefore}`, STEP_MS, async () =>
      (await statusText(p)).includes(`tfguard ${totalBefore}`) ? true : undefined,
    );

    // A settings change reaches the running server: disabling the rule hides its findings,
    // enabling it again brings them back.
    editor.writeFolderSettings({ 'tfguard.disabledRules': [ruleId] });
    await waitFor(`${ruleId} to go with tfguard.disabledRules`, STEP_MS, async () =>
      (await countRule()) === 0 ? true : undefined,
    );
    editor.writeFolderSettings(undefined);
    await waitFor(`${ruleId} to come back`, STEP_MS, async () => ((await countRule()) === before ? true : undefined));
    mark('tfguard.disabledRules applied and reverted');

    // Put the cursor on the finding's range and ask for quick fixes.
    await runQuickInput(p, 'Control+G', `${line}:${column + 1}`);
    await p.keyboard.press('Enter');
    await p.locator('.monaco-editor textarea').first().focus();
    await p.keyboard.press('Control+.');
    const actions = p.locator('.action-widget .monaco-list-row');
    await actions.first().waitFor();
    const titles = await actions.allInnerTexts();
    console.log(`# quick fixes offered: ${titles.map((t) => t.trim()).join(' | ')}`);
    const wanted =
      titles.findIndex((t) => t.includes(`Ignore ${ruleId} for this resource`)) >= 0
        ? `Ignore ${ruleId} for this resource`
        : `Ignore ${ruleId}`;
    assert.ok(
      titles.some((t) => t.includes(wanted)),
      `no tfguard ignore action for ${ruleId} among: ${titles.join(' | ')}`,
    );
    fs.mkdirSync(path.dirname(screenshot), { recursive: true });
    await p.screenshot({ path: screenshot });
    mark('quick fix menu open (screenshot saved)');

    const original = fs.readFileSync(path.join(workspace, 'main.tf'), 'utf8');
    // Choose with the keyboard, as a person at the keyboard would (the menu's overlay also
    // swallows synthetic clicks).
    const focused = p.locator('.action-widget .monaco-list-row.focused');
    for (let step = 0; step < titles.length; step++) {
      const label = (await focused.getAttribute('aria-label').catch(() => null)) ?? '';
      if (label.includes(wanted)) {
        break;
      }
      await p.keyboard.press('ArrowDown');
    }
    assert.match((await focused.getAttribute('aria-label')) ?? '', new RegExp(wanted));
    await p.keyboard.press('Enter');

    // The edit lands in the editor...
    await waitFor('the ignore comment in the editor', STEP_MS, async () =>
      (await editorText(p)).includes(`tfguard:ignore:${ruleId}`) ? true : undefined,
    );
    // ...and the finding leaves the Problems panel and the status bar count drops.
    await waitFor(`the ${ruleId} finding to disappear`, FINDING_MS, async () =>
      (await countRule()) === before - 1 ? true : undefined,
    );
    mark('finding gone after the quick fix');
    await waitFor('the status bar count to drop', STEP_MS, async () =>
      (await statusText(p)).includes(`tfguard ${totalBefore - 1}`) ? true : undefined,
    );

    // Saved to disk: the original lines, in order, plus exactly one ignore comment.
    await p.keyboard.press('Control+S');
    // (Wait for the whole new text: a read during the save can see a file still being written.)
    const saved = await waitFor('main.tf to be saved', STEP_MS, async () => {
      const text = fs.readFileSync(path.join(workspace, 'main.tf'), 'utf8');
      const complete = text.includes(`tfguard:ignore:${ruleId}`) && text.split('\n').length === original.split('\n').length + 1;
      return complete ? text : undefined;
    });
    const added = saved.split('\n').filter((line) => !original.split('\n').includes(line));
    assert.deepEqual(
      added.map((line) => line.trim()),
      [`# tfguard:ignore:${ruleId}`],
      `unexpected change:\n${saved}`,
    );
    assert.deepEqual(
      saved.split('\n').filter((line) => !added.includes(line)),
      original.split('\n'),
    );
    await p.screenshot({ path: path.join(artifacts, 'after-fix.png') });
    mark('file saved with the suppression');

    // The server's scan command runs from the command palette and reports in the status bar.
    await runQuickInput(p, 'F1', 'tfguard: Scan Workspace');
    await p.locator('.quick-input-list .monaco-list-row', { hasText: 'Scan Workspace' }).first().waitFor();
    await p.keyboard.press('Enter');
    const scanned = p.locator('.statusbar-item', { hasText: /tfguard: scanned/ }).first();
    await scanned.waitFor();
    const left = totalBefore - 1;
    assert.equal(
      (await scanned.innerText()).trim(),
      `tfguard: scanned 1 file in 1 module, ${left} finding${left === 1 ? '' : 's'}`,
    );
    mark('tfguard: Scan Workspace from the command palette');
  });
});

test('a wrong tfguard.interpreter is reported, and fixing it starts the server', { timeout: 150_000 }, async () => {
  await withEditor(
    'bad-interpreter',
    (editor) => editor.writeFolderSettings({ 'tfguard.interpreter': '${workspaceFolder}/no-such-python' }),
    async (editor) => {
      const p = editor.page;
      const toast = p.locator('.notifications-toasts .notification-toast', { hasText: 'tfguard.interpreter' });
      await toast.waitFor({ timeout: FINDING_MS });
      const text = (await toast.innerText()).replace(/\s+/g, ' ');
      assert.match(text, /no-such-python/);
      assert.match(text, /not found/);
      for (const button of ['Open Settings', 'Show Logs']) {
        assert.equal(await toast.locator('.monaco-button', { hasText: button }).count(), 1, `no ${button} button`);
      }
      await waitFor('the status bar to show the failure', STEP_MS, async () =>
        /tfguard/.test(await statusText(p)) && !/tfguard \d/.test(await statusText(p)) ? true : undefined,
      );
      await p.screenshot({ path: path.join(artifacts, 'bad-interpreter.png') });
      mark('wrong interpreter reported');

      // Clearing the setting restarts the server with the Python found on PATH.
      editor.writeFolderSettings(undefined);
      await p.keyboard.press('Control+Shift+M');
      await waitFor('the finding after the restart', FINDING_MS, async () =>
        (await problemRows(p)).some((row) => parseProblem(row) !== undefined) ? true : undefined,
      );
      await waitFor('the status bar count', STEP_MS, async () =>
        /tfguard [1-9]/.test(await statusText(p)) ? true : undefined,
      );
      mark('server started after the setting was cleared');
    },
  );
});
