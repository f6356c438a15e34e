"""Scanning a folder, or opening it in an editor, must not run code from that folder.

Each test runs tfguard in a real process whose working directory is a "workspace" holding
modules named like tfguard's own imports; each of them, if imported, leaves a marker file.
The sanity checks show that the plants work (a launch that looks in the current directory
does import them), so an empty marker folder means something.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest

import tfguard
from tfguard.__main__ import trusted_path

ROOT = Path(__file__).resolve().parent.parent
# The launcher the VS Code extension runs as `<python> -I <launcher> lsp --stdio`
# (vscode-extension/src/discovery.ts; the language client appends --stdio).
LAUNCHER = ROOT / "vscode-extension" / "launcher" / "launch.py"
# The folder the real tfguard package is imported from.
REAL_PACKAGE_DIR = Path(tfguard.__file__).resolve().parent.parent

PLANTS = (
    "cachetools.py",
    "lark.py",
    "pygls/__init__.py",
    "tfguard/__init__.py",
    "sitecustomize.py",
    "usercustomize.py",
)
RULE = "aws-ec2-no-public-ingress"
MAIN_TF = (
    'resource "aws_security_group" "ssh" {\n'
    "  ingress {\n"
    "    from_port   = 22\n"
    "    to_port     = 22\n"
    '    protocol    = "tcp"\n'
    '    cidr_blocks = ["0.0.0.0/0"]\n'
    "  }\n"
    "}\n"
)
TIMEOUT = 60  # seconds: a hang guard, not a speed check


class Workspace:
    """A folder with planted modules and a Terraform file; markers are kept outside it."""

    def __init__(self, base: Path, plants: tuple[str, ...] = PLANTS) -> None:
        self.path = base / "workspace"
        self.markers = base / "markers"
        self.markers.mkdir(parents=True)
        for name in plants:
            marker = self.markers / name.replace("/", ".")
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
        (self.path / "main.tf").write_text(MAIN_TF, encoding="utf-8")

    def imported(self) -> list[str]:
        return sorted(p.name for p in self.markers.iterdir())


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


def environment(**changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    for key, value in changes.items():
        if value is not None:
            env[key] = value
    return env


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def assert_real_scan(proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "main.tf" in proc.stdout and RULE in proc.stdout, proc.stdout + proc.stderr


def console_script() -> Path:
    folder = Path(sys.executable).parent
    for name in ("tfguard", "tfguard.exe"):
        if (folder / name).is_file():
            return folder / name
    pytest.fail(f"no tfguard console script beside {sys.executable}: pip install -e '.[dev]'")


SCAN = ["scan", "--no-color", "."]


# -- the plants work ------------------------------------------------------------------------


def test_the_old_extension_launch_imports_the_workspace(workspace: Workspace) -> None:
    """What the extension used to run: `-m tfguard lsp` in the workspace folder, with the
    real package first on PYTHONPATH. The planted tfguard package wins."""
    proc = run(
        [sys.executable, "-m", "tfguard", "lsp"],
        workspace.path,
        environment(PYTHONPATH=str(REAL_PACKAGE_DIR)),
    )
    assert "tfguard.__init__.py" in workspace.imported(), proc.stderr


def test_the_old_module_entry_imports_the_planted_dependencies(tmp_path: Path) -> None:
    """What tfguard's __main__ used to be, run with the current directory first on sys.path
    (`-c` puts it there as `-m` does) and the real package on PYTHONPATH: the planted
    cachetools is imported (and breaks the run)."""
    ws = Workspace(tmp_path, ("cachetools.py", "lark.py", "pygls/__init__.py"))
    old_main = "import sys; from tfguard.cli import main; sys.exit(main())"
    run(
        [sys.executable, "-c", old_main, *SCAN],
        ws.path,
        environment(PYTHONPATH=str(REAL_PACKAGE_DIR)),
    )
    assert "cachetools.py" in ws.imported()


# -- the extension's launcher ----------------------------------------------------------------


class StdioClient:
    """Just enough of an LSP client: frames messages, answers the server's requests."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdin is not None and proc.stdout is not None
        self.proc = proc
        self.stdin = proc.stdin
        self.incoming: queue.Queue[dict[str, Any] | None] = queue.Queue()
        threading.Thread(target=self._read, args=(proc.stdout,), daemon=True).start()

    def _read(self, stream: Any) -> None:
        while True:
            length = None
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if line == b"" or length is None:
                self.incoming.put(None)
                return
            self.incoming.put(json.loads(stream.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.stdin.flush()

    def wait_for(self, wanted: Any) -> dict[str, Any]:
        """The first message ``wanted`` accepts; requests from the server are answered."""
        while True:
            message = self.incoming.get(timeout=TIMEOUT)
            assert message is not None, "the server closed its output"
            if "method" in message and "id" in message:
                items = message.get("params", {}).get("items", [])
                result = (
                    [None] * len(items) if message["method"] == "workspace/configuration" else None
                )
                self.send({"id": message["id"], "result": result})
            if wanted(message):
                return message


def lsp_session(args: list[str], cwd: Path, env: dict[str, str], folder: Path) -> list[str]:
    """Initialize, open main.tf, wait for its diagnostics, shut down: the codes reported."""
    with tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen(
            args, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr
        )
        try:
            codes = _converse(StdioClient(proc), folder)
            code = proc.wait(timeout=TIMEOUT)
            stderr.seek(0)
            assert code == 0, stderr.read().decode("utf-8", "replace")[-3000:]
            return codes
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    stream.close()


def _converse(client: StdioClient, folder: Path) -> list[str]:
    uri = (folder / "main.tf").as_uri()
    initialize = {
        "processId": os.getpid(),
        "rootUri": folder.as_uri(),
        "workspaceFolders": [{"uri": folder.as_uri(), "name": "workspace"}],
        "capabilities": {},
        "initializationOptions": {"workspaceScan": False, "debounceMs": 0},
    }
    client.send({"id": 1, "method": "initialize", "params": initialize})
    client.wait_for(lambda m: m.get("id") == 1 and "result" in m)
    client.send({"method": "initialized", "params": {}})
    document = {"uri": uri, "languageId": "terraform", "version": 1, "text": MAIN_TF}
    client.send({"method": "textDocument/didOpen", "params": {"textDocument": document}})
    published = client.wait_for(
        lambda m: (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"]["diagnostics"]
        )
    )
    client.send({"id": 2, "method": "shutdown"})
    client.wait_for(lambda m: m.get("id") == 2 and "result" in m)
    client.send({"method": "exit"})
    return [d.get("code") for d in published["params"]["diagnostics"]]


def copy_launcher(extension: Path) -> Path:
    """The launcher in an extension folder of its own (no bundled/libs: the installed
    tfguard is used)."""
    launcher = extension / "launcher" / "launch.py"
    launcher.parent.mkdir(parents=True)
    shutil.copyfile(LAUNCHER, launcher)
    return launcher


@pytest.mark.parametrize("cwd", ["extension", "workspace"])
def test_the_launcher_serves_lsp_without_importing_the_workspace(
    workspace: Workspace, tmp_path: Path, cwd: str
) -> None:
    """The extension's argv, in the extension's folder as the extension runs it (the server
    takes the workspace from initialize, not from its working directory), and in the workspace
    itself: with the workspace on PYTHONPATH too, isolated mode alone keeps the plants out."""
    extension = tmp_path / "extension"
    launcher = copy_launcher(extension)
    codes = lsp_session(
        [sys.executable, "-I", str(launcher), "lsp", "--stdio"],
        extension if cwd == "extension" else workspace.path,
        environment(PYTHONPATH=str(workspace.path)),
        workspace.path,
    )
    assert RULE in codes
    assert workspace.imported() == []


def test_the_launcher_scans_without_importing_the_workspace(
    workspace: Workspace, tmp_path: Path
) -> None:
    launcher = copy_launcher(tmp_path / "extension")
    proc = run(
        [sys.executable, "-I", str(launcher), *SCAN],
        workspace.path,
        environment(PYTHONPATH=str(workspace.path)),
    )
    assert_real_scan(proc)
    assert workspace.imported() == []


def test_the_launcher_puts_the_bundled_libraries_first(
    workspace: Workspace, tmp_path: Path
) -> None:
    """With bundled/libs beside it, the launcher imports tfguard from there (here a stand-in
    whose cli.main reports where it was loaded from)."""
    extension = tmp_path / "extension"
    launcher = copy_launcher(extension)
    libs = extension / "bundled" / "libs"
    (libs / "tfguard").mkdir(parents=True)
    (libs / "tfguard" / "__init__.py").write_text("", encoding="utf-8")
    (libs / "tfguard" / "cli.py").write_text(
        "import json, os, sys\n"
        "def main(argv):\n"
        "    print(json.dumps({'argv': argv, 'file': __file__, 'path': sys.path,\n"
        "                      'isolated': sys.flags.isolated, 'cwd': os.getcwd()}))\n"
        "    return 0\n",
        encoding="utf-8",
    )
    proc = run(
        [sys.executable, "-I", str(launcher), "lsp", "--stdio"],
        workspace.path,
        environment(PYTHONPATH=str(workspace.path)),
    )
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout)
    assert seen["argv"] == ["lsp", "--stdio"]
    assert Path(seen["file"]) == libs / "tfguard" / "cli.py"
    assert seen["path"][0] == str(libs)
    assert seen["isolated"] == 1
    assert not any(p in ("", str(workspace.path)) for p in seen["path"])
    assert workspace.imported() == []


# -- the command line -------------------------------------------------------------------------


def test_isolated_module_run_imports_nothing_from_the_workspace(workspace: Workspace) -> None:
    proc = run(
        [sys.executable, "-I", "-m", "tfguard", *SCAN],
        workspace.path,
        environment(PYTHONPATH=str(workspace.path)),
    )
    assert_real_scan(proc)
    assert workspace.imported() == []


def test_the_console_script_does_not_look_in_the_current_directory(workspace: Workspace) -> None:
    """Its sys.path[0] is the script's folder, not the current directory."""
    proc = run([str(console_script()), *SCAN], workspace.path, environment())
    assert_real_scan(proc)
    assert workspace.imported() == []


def test_an_empty_pythonpath_entry_brings_the_current_directory_back(workspace: Workspace) -> None:
    """The documented limit of the console script (`export PYTHONPATH=$PYTHONPATH:/x` with
    PYTHONPATH unset gives such an entry); the isolated forms ignore PYTHONPATH."""
    hostile = environment(PYTHONPATH=os.pathsep + str(REAL_PACKAGE_DIR))
    run([str(console_script()), *SCAN], workspace.path, hostile)
    assert {"sitecustomize.py", "tfguard.__init__.py"} <= set(workspace.imported())
    for marker in workspace.markers.iterdir():
        marker.unlink()
    assert_real_scan(run([sys.executable, "-I", "-m", "tfguard", *SCAN], workspace.path, hostile))
    assert workspace.imported() == []


def test_module_run_drops_the_current_directory_before_importing(tmp_path: Path) -> None:
    """`python -m tfguard` with the real package first on PYTHONPATH (and, worse, an empty
    entry): after its __main__ starts, nothing else comes from the workspace. (A planted
    tfguard/ package cannot be helped: see the next test.)"""
    ws = Workspace(tmp_path, ("cachetools.py", "lark.py", "pygls/__init__.py"))
    for pythonpath in (str(REAL_PACKAGE_DIR), str(REAL_PACKAGE_DIR) + os.pathsep):
        proc = run(
            [sys.executable, "-m", "tfguard", *SCAN], ws.path, environment(PYTHONPATH=pythonpath)
        )
        assert_real_scan(proc)
        assert ws.imported() == [], pythonpath
    codes = lsp_session(
        [sys.executable, "-m", "tfguard", "lsp"],
        ws.path,
        environment(PYTHONPATH=str(REAL_PACKAGE_DIR)),
        ws.path,
    )
    assert RULE in codes
    assert ws.imported() == []


def test_module_run_cannot_help_a_planted_tfguard_package(workspace: Workspace) -> None:
    """Python imports the package before tfguard's __main__ runs: the documented limit."""
    run([sys.executable, "-m", "tfguard", *SCAN], workspace.path, environment())
    assert "tfguard.__init__.py" in workspace.imported()


# -- trusted_path ------------------------------------------------------------------------------


def test_trusted_path_drops_every_entry_that_looks_in_the_current_directory(
    tmp_path: Path,
) -> None:
    here = tmp_path / "here"
    (here / "sub").mkdir(parents=True)
    site = tmp_path / "site"
    site.mkdir()
    path = [str(here), "", "lib", str(site), str(here / "sub"), str(here) + os.sep, "."]
    assert trusted_path(path, str(here)) == [str(site), str(here / "sub")]
    link = tmp_path / "link"
    try:
        link.symlink_to(here, target_is_directory=True)
    except OSError:  # no symlinks for this user (Windows without the privilege)
        pass
    else:
        assert trusted_path([str(link), str(site)], str(here)) == [str(site)]


def test_trusted_path_without_a_current_directory_keeps_absolute_entries(tmp_path: Path) -> None:
    assert trusted_path(["", str(tmp_path), "rel"], None) == [str(tmp_path)]
