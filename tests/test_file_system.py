"""Symbolic links, duplicate files and unreadable folders in ``tfguard scan`` and ``tfguard fix``:
nothing outside the scanned directories is read or written through a link, a file reached twice is
reported once, and a folder that cannot be listed is an error with its name."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import write_files

from tfguard.cli import main
from tfguard.engine import Engine, fixes_for

SG = (
    'resource "aws_security_group_rule" "ssh" {\n'
    '  type              = "ingress"\n'
    '  security_group_id = "sg-123"\n'
    "  from_port         = 22\n"
    "  to_port           = 22\n"
    '  protocol          = "tcp"\n'
    '  cidr_blocks       = ["0.0.0.0/0"]\n'
    '  description       = "Temporary admin access"\n'
    "}\n"
)
KEY = 'resource "aws_kms_key" "k" {}\n'
FIXED_KEY = 'resource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n'
SECRET = 'locals {\n  api_token = "tok_9f8e7d6c5b4a39281706"\n}\n'
OPEN_INGRESS = "aws-ec2-no-public-ingress"


def link(path: Path, target: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


def run(args: list[str], cwd: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        code = main(args)
    finally:
        os.chdir(old)
    out, err = capsys.readouterr()
    return code, out, err


def findings_of(out: str) -> list[tuple[str, str]]:
    return [(f["rule"], f["path"]) for f in json.loads(out)["findings"]]


# -- tfguard fix ------------------------------------------------------------------------------


def test_fix_does_not_write_through_a_symlink_out_of_the_scanned_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, {"outside/shared.tf": KEY, "symlinked/own.tf": KEY})
    link(tmp_path / "symlinked" / "linked.tf", "../outside/shared.tf")
    code, out, err = run(["fix", "--diff", "symlinked"], tmp_path, capsys)
    assert "symlinked/own.tf" in out and "shared.tf" not in out and code == 1
    note = (
        "symlinked/linked.tf: skipped: a symbolic link to outside/shared.tf, "
        "outside the scanned directories"
    )
    assert note in err
    code, _, err = run(["fix", "symlinked"], tmp_path, capsys)
    assert code == 0 and note in err
    assert (tmp_path / "outside" / "shared.tf").read_text() == KEY
    assert (tmp_path / "symlinked" / "own.tf").read_text() == FIXED_KEY
    assert (tmp_path / "symlinked" / "linked.tf").is_symlink()


def test_fix_writes_through_a_symlink_inside_the_roots_only_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, {"shared/k.tf": KEY})
    link(tmp_path / "a" / "link.tf", "../shared/k.tf")
    code, out, err = run(["fix", "--diff", "."], tmp_path, capsys)
    assert code == 1 and "b/shared/k.tf" in out and "a/link.tf" not in out
    assert "a/link.tf: skipped: a symbolic link to shared/k.tf (--follow-symlinks writes" in err

    code, out, err = run(["fix", "--diff", "--follow-symlinks", "."], tmp_path, capsys)
    assert code == 1 and "b/a/link.tf" in out and "b/shared/k.tf" in out
    assert "skipped" not in err
    code, out, err = run(["fix", "--diff", "--follow-symlinks", "a"], tmp_path, capsys)
    assert code == 0 and out == ""  # shared/ is not scanned: the link is not even read
    assert "a/link.tf: skipped: a symbolic link to shared/k.tf, outside the scanned" in err

    code, _, err = run(["fix", "--follow-symlinks", "."], tmp_path, capsys)
    assert code == 0 and "skipped" not in err
    assert (tmp_path / "a" / "link.tf").is_symlink()
    assert (tmp_path / "shared" / "k.tf").read_text() == FIXED_KEY  # fixed once


@pytest.mark.parametrize("exists", [False, True])
def test_a_fix_never_creates_or_appends_to_a_file_outside_the_module(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], exists: bool
) -> None:
    # The secret's fix moves it to a variable declared in variables.tf, which links out of
    # the module: to a file that does not exist yet (the fix would create it) or one that does.
    outside = tmp_path / "outside" / "variables.tf"
    if exists:
        write_files(tmp_path, {"outside/variables.tf": 'variable "region" {}\n'})
    write_files(tmp_path, {"mod/main.tf": SECRET, "plain/main.tf": SECRET})
    link(tmp_path / "mod" / "variables.tf", "../outside/variables.tf")

    # The engine (and so the editor) does not offer that fix; it does where nothing links out.
    engine = Engine()
    for module, offered in (("mod", False), ("plain", True)):
        result = engine.analyze_module(str(tmp_path / module))
        (finding,) = [f for f in result.all_findings() if f.rule_id == "terraform-secret-literal"]
        paths = {p for fix in fixes_for(result, finding) for p in fix.paths}
        assert (str(tmp_path / module / "variables.tf") in paths) is offered

    code, _, err = run(["fix", "mod", "plain"], tmp_path, capsys)
    assert (tmp_path / "mod" / "main.tf").read_text() == SECRET
    assert outside.exists() is exists
    if exists:
        assert outside.read_text() == 'variable "region" {}\n'
    assert "var.api_token" in (tmp_path / "plain" / "main.tf").read_text()
    assert "mod/variables.tf: skipped: a symbolic link to outside/variables.tf" in err
    assert code == 1  # the secret in mod/ is still there


def test_the_editor_may_fix_its_own_document_even_when_it_is_a_link(tmp_path: Path) -> None:
    # The editor applies the edit to the buffer the user opened: that is the user's choice.
    write_files(tmp_path, {"shared/main.tf": KEY})
    link(tmp_path / "mod" / "main.tf", "../shared/main.tf")
    result = Engine().analyze_module(str(tmp_path / "mod"))
    (finding,) = result.all_findings()
    first = fixes_for(result, finding)[0]
    assert first.paths == {str(tmp_path / "mod" / "main.tf")}


# -- tfguard scan: links ------------------------------------------------------------------------


def test_a_file_linked_inside_the_roots_is_reported_once_under_its_first_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, {"z/main.tf": SG})
    link(tmp_path / "a" / "main.tf", "../z/main.tf")
    link(tmp_path / "b" / "main.tf", "../z/main.tf")
    code, out, _ = run(["scan", "--format", "json", "."], tmp_path, capsys)
    assert code == 1
    assert findings_of(out) == [(OPEN_INGRESS, "a/main.tf")]
    assert json.loads(out)["summary"]["files"] == 1


def test_a_file_linked_out_of_the_roots_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, {"outside/ext.tf": SG, "root/mod/main.tf": 'variable "x" {}\n'})
    link(tmp_path / "root" / "mod" / "ext.tf", "../../outside/ext.tf")
    root = tmp_path / "root"
    code, out, err = run(["scan", "--format", "json", "."], root, capsys)
    assert code == 0 and findings_of(out) == []
    assert (
        "tfguard: note: mod/ext.tf: skipped: a symbolic link to ../outside/ext.tf, "
        "outside the scanned directories" in err
    )
    assert json.loads(out)["summary"]["files"] == 1
    # Scanned as well, the target is inside the roots: reported once, under its first path.
    code, out, err = run(["scan", "--format", "json", ".", "../outside"], root, capsys)
    assert code == 1 and findings_of(out) == [(OPEN_INGRESS, "../outside/ext.tf")]
    assert "skipped" not in err


def test_linked_folders_are_not_followed_and_loops_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, {"outside/ext/main.tf": SG, "root/a/main.tf": SG})
    link(tmp_path / "root" / "a" / "loop", "..")
    link(tmp_path / "root" / "a" / "ext", "../../outside/ext")
    code, out, err = run(["scan", "--format", "json", "."], tmp_path / "root", capsys)
    assert code == 1 and findings_of(out) == [(OPEN_INGRESS, "a/main.tf")]
    assert (
        "a/ext: skipped: a symbolic link to the directory ../outside/ext, "
        "outside the scanned directories" in err
    )
    assert "a/loop" not in err  # a link to a folder that is scanned anyway: nothing to say


# -- tfguard scan: unreadable folders ------------------------------------------------------------


@pytest.fixture
def locked_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``locked/`` cannot be listed (as root, chmod 000 does not stop reading it)."""
    write_files(tmp_path, {"ok/main.tf": SG, "locked/main.tf": SG})
    locked = str(tmp_path / "locked")
    real = os.scandir

    def scandir(path: str | os.PathLike[str] = ".") -> Iterator[os.DirEntry[str]]:
        if os.path.abspath(os.fspath(path)) == locked:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    yield tmp_path


def test_an_unreadable_folder_is_an_error_naming_it(
    locked_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    message = "locked: cannot read the directory: Permission denied"
    code, out, err = run(["scan", "--no-color", "."], locked_folder, capsys)
    assert code == 2
    assert f"tfguard: warning: {message}" in err
    assert "ok/main.tf:7:3: CRITICAL aws-ec2-no-public-ingress" in out  # the rest is scanned
    assert "locked/main.tf" not in out

    code, out, _ = run(["scan", "--format", "json", "."], locked_folder, capsys)
    assert code == 2 and message in json.loads(out)["errors"]
    code, out, _ = run(["scan", "--format", "sarif", "."], locked_folder, capsys)
    notes = json.loads(out)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert code == 2 and message in [n["message"]["text"] for n in notes]
    code, _, err = run(["fix", "--diff", "."], locked_folder, capsys)
    assert code == 2 and f"tfguard: warning: {message}" in err


def test_an_unreadable_module_folder_named_by_a_file_is_an_error(
    locked_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["scan", "--format", "json", "locked/main.tf"], locked_folder, capsys)
    assert code == 2
    assert "locked: cannot read the directory: Permission denied" in json.loads(out)["errors"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a directory without permissions")
def test_a_folder_without_permissions_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, {"ok/main.tf": SG, "locked/main.tf": SG})
    (tmp_path / "locked").chmod(0)
    try:
        code, _, err = run(["scan", "."], tmp_path, capsys)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert code == 2 and "locked: cannot read the directory" in err
