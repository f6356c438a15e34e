"""The command line in pipelines: no silent green on folders tfguard cannot read, a closed pipe
ends quietly, progress only where a person watches, --changed-since and --whole-modules."""

from __future__ import annotations

import io
import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import write_files

from tfguard import progress
from tfguard.cli import main

SCRIPT = shutil.which("tfguard", path=os.path.dirname(sys.executable))
# The console script users run; `python -m tfguard` where it is not installed as one.
TFGUARD = [SCRIPT] if SCRIPT else [sys.executable, "-m", "tfguard"]

SSH = (
    'resource "aws_security_group_rule" "ssh" {\n'
    '  type              = "ingress"\n'
    '  security_group_id = "sg-123"\n'
    "  from_port         = 22\n"
    "  to_port           = 22\n"
    '  protocol          = "tcp"\n'
    "  cidr_blocks       = [var.cidr]\n"
    '  description       = "SSH for the operators"\n'
    "}\n"
)
PRIVATE = 'variable "cidr" {\n  type    = string\n  default = "10.0.0.0/8"\n}\n'
PUBLIC = PRIVATE.replace("10.0.0.0/8", "0.0.0.0/0")
KMS = 'resource "aws_kms_key" "k" {\n}\n'
PLAN = {"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {}}


def run(args: list[str], cwd: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        code = main(args)
    finally:
        os.chdir(old)
    out, err = capsys.readouterr()
    return code, out, err


# -- no silent green ----------------------------------------------------------------------------


def test_a_folder_without_analysable_files_is_an_error_that_names_what_it_holds(
    tmp_path, capsys
) -> None:
    write_files(
        tmp_path,
        {
            "live/prod/terragrunt.hcl": 'terraform {\n  source = "../../modules/app"\n}\n',
            "plans/plan.json": json.dumps(PLAN),
            "plans/other.json": '{"format_version": "1.0"}',
            ".terraform/modules/x/main.tf.json": "{}",  # tool folders are skipped
        },
    )
    code, out, err = run(["scan", "."], tmp_path, capsys)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0] == (
        "tfguard: error: no Terraform or OpenTofu files (.tf, .tofu, .tfvars) in .: "
        "nothing was scanned"
    )
    assert lines[1].startswith("  found 1 Terragrunt file (live/prod/terragrunt.hcl): ")
    assert lines[2].startswith("  found 1 Terraform plan in JSON (plans/plan.json): ")
    assert "named on the command line" in lines[2]
    assert "--allow-empty" in lines[3]

    code, out, err = run(["scan", ".", "--allow-empty", "--no-color"], tmp_path, capsys)
    assert code == 0
    assert err.startswith("tfguard: warning: no Terraform or OpenTofu files")
    assert out.strip() == "No findings in 0 files."

    (tmp_path / "empty").mkdir()
    code, _, err = run(["scan", "empty"], tmp_path, capsys)
    assert code == 2 and "in empty: nothing was scanned" in err


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("terragrunt.hcl", "inputs = {}\n", "Terragrunt configuration"),
        ("notes.json", "{}", "not a Terraform or OpenTofu file"),
    ],
)
def test_an_unsupported_file_named_on_the_command_line_is_explained(
    tmp_path, capsys, name: str, content: str, reason: str
) -> None:
    write_files(tmp_path, {name: content, "main.tf": KMS})
    code, out, err = run(["scan", name, "main.tf"], tmp_path, capsys)
    assert code == 2 and out == ""
    assert err.startswith(f"tfguard: error: {name}: {reason}")


# -- closed pipes -------------------------------------------------------------------------------


def _closed_pipe_run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Run with standard output a pipe whose reader is already gone: every write fails."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [*TFGUARD, *args], stdout=write_end, stderr=subprocess.PIPE, cwd=cwd, timeout=120
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    ("args", "status"),
    [(["rules"], 0), (["rules", "--format", "json"], 0), (["explain", "CKV_AWS_20"], 0)],
)
def test_a_closed_pipe_ends_quietly(tmp_path, args: list[str], status: int) -> None:
    proc = _closed_pipe_run(args, tmp_path)
    assert proc.stderr == b""
    assert proc.returncode == status


def test_a_closed_pipe_keeps_the_scan_status(tmp_path) -> None:
    write_files(tmp_path, {"main.tf": KMS})
    proc = _closed_pipe_run(["scan", "."], tmp_path)
    assert proc.stderr == b""
    assert proc.returncode == 1  # findings stay findings, even when nobody reads them


def test_rules_piped_into_head(tmp_path) -> None:
    proc = subprocess.run(
        ["bash", "-c", 'set -o pipefail; "$@" rules | head -1', "bash", *TFGUARD],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    full = subprocess.run(
        [*TFGUARD, "rules"], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert proc.stdout.splitlines() == full.stdout.splitlines()[:1]


# -- progress -----------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_waits_for_a_long_scan_redraws_in_place_and_erases_itself() -> None:
    clock = FakeClock()
    stream = io.StringIO()
    shown = progress.Progress(stream, 4, progress.Mode.TTY, clock=clock)
    shown.advance(10)
    clock.now += 0.5
    shown.advance(10)
    assert stream.getvalue() == ""  # a short scan shows nothing
    clock.now += 0.6  # 1.1 s
    shown.advance(2)
    assert stream.getvalue() == "\r\033[Ktfguard: 3/4 modules, 22 files (20 files/s)"
    clock.now += 0.05
    shown.advance(2)  # too soon to redraw
    assert stream.getvalue().count("\r\033[K") == 1
    shown.close()
    assert stream.getvalue().endswith("\r\033[K")  # the line is gone
    assert stream.getvalue().count("\r\033[K") == 2


def test_forced_progress_in_a_log_writes_plain_lines() -> None:
    clock = FakeClock()
    stream = io.StringIO()
    shown = progress.Progress(stream, 3, progress.Mode.LINES, delay=0.0, clock=clock)
    shown.advance(5)
    clock.now += 1.0
    shown.advance(5)  # within the log interval: no second line
    clock.now += progress.LINE_INTERVAL
    shown.advance(5)
    shown.close()
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue() and "\033" not in stream.getvalue()
    assert lines == [
        "tfguard: 1/3 modules, 5 files",  # no rate yet: too little time has passed
        "tfguard: 3/3 modules, 15 files (2 files/s)",
        "tfguard: 3/3 modules, 15 files (2 files/s) in 6.0 s",
    ]


def test_progress_only_on_a_terminal_outside_ci() -> None:
    master, slave = pty.openpty()
    with open(slave, "w", closefd=True) as tty, open(os.devnull, "w") as pipe_like:
        try:
            choose = progress.choose_mode
            assert choose(tty, None, {}) is progress.Mode.TTY
            assert choose(tty, None, {"CI": "true"}) is progress.Mode.OFF
            assert choose(tty, None, {"TERM": "dumb"}) is progress.Mode.OFF
            assert choose(pipe_like, None, {}) is progress.Mode.OFF
            assert choose(io.StringIO(), None, {}) is progress.Mode.OFF
            assert choose(pipe_like, True, {"CI": "true"}) is progress.Mode.LINES
            assert choose(tty, True, {"CI": "true"}) is progress.Mode.TTY
            assert choose(tty, False, {}) is progress.Mode.OFF
        finally:
            os.close(master)


def test_progress_on_a_real_terminal(tmp_path) -> None:
    for i in range(12):
        write_files(tmp_path, {f"m{i}/main.tf": KMS})
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    proc = subprocess.Popen(
        [*TFGUARD, "scan", "--progress", "--format", "json", "."],
        stdout=subprocess.PIPE,
        stderr=slave,
        cwd=tmp_path,
        env=env,
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert len(json.loads(out)["findings"]) == 12  # stdout holds only the report
    assert b"\r\x1b[Ktfguard: 1/12 modules, 1 files" in seen
    assert seen.endswith(b"\r\x1b[K")  # erased at the end
    assert b"\n" not in seen


# -- --changed-since and --whole-modules --------------------------------------------------------


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return proc.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    write_files(
        tmp_path,
        {
            "net/main.tf": SSH,
            "net/variables.tf": PRIVATE,
            "keys/main.tf": KMS,
            "README.md": "infra\n",
        },
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    return tmp_path


def findings_of(out: str) -> list[tuple[str, str]]:
    return [(f["path"], f["rule"]) for f in json.loads(out)["findings"]]


def test_changed_since_reports_touched_modules_analysed_whole(repo, capsys) -> None:
    # keys/ has a finding but is unchanged; the variable default opens net/main.tf's rule
    (repo / "net" / "variables.tf").write_text(PUBLIC)
    write_files(repo, {"new/main.tf": KMS, "docs/notes.md": "x\n"})  # untracked module
    code, out, err = run(["scan", "--format", "json", "--changed-since", "HEAD"], repo, capsys)
    assert code == 1, err
    assert findings_of(out) == [
        ("net/main.tf", "aws-ec2-no-public-ingress"),
        ("new/main.tf", "aws-kms-key-rotation"),
    ]
    assert json.loads(out)["summary"]["files"] == 3

    # committed on a branch: the same against the branch point of main
    git(repo, "checkout", "-q", "-b", "feature")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "open it")
    (repo / "keys" / "main.tf").write_text(KMS + "# touched on main\n")
    git(repo, "checkout", "-q", "main")
    git(repo, "commit", "-q", "-am", "main moves on")
    git(repo, "checkout", "-q", "feature")
    code, out, _ = run(["scan", "--format", "json", "--changed-since", "main"], repo, capsys)
    assert code == 1
    assert [p for p, _ in findings_of(out)] == ["net/main.tf", "new/main.tf"]

    code, out, err = run(["scan", "--no-color", "--changed-since", "HEAD"], repo, capsys)
    assert code == 0
    assert "no Terraform or OpenTofu file changed since HEAD" in err
    assert out.strip() == "No findings in 0 files."


def test_changed_since_errors_exit_2(repo, tmp_path_factory, capsys, monkeypatch) -> None:
    code, out, err = run(["scan", "--changed-since", "no-such-branch"], repo, capsys)
    assert code == 2 and out == ""
    assert "unknown git ref 'no-such-branch'" in err
    code, _, err = run(["scan", "--changed-since=--output=x"], repo, capsys)
    assert code == 2 and "is not a git ref" in err

    elsewhere = tmp_path_factory.mktemp("not-a-repo")
    write_files(elsewhere, {"main.tf": KMS})
    code, _, err = run(["scan", "--changed-since", "HEAD"], elsewhere, capsys)
    assert code == 2 and "is not in a git work tree" in err

    monkeypatch.setenv("PATH", str(elsewhere))
    code, _, err = run(["scan", "--changed-since", "HEAD"], repo, capsys)
    assert code == 2 and "needs git, which is not on PATH" in err


def test_whole_modules_reports_every_file_of_a_named_files_module(repo, capsys) -> None:
    (repo / "net" / "variables.tf").write_text(PUBLIC)
    code, out, _ = run(["scan", "--format", "json", "net/variables.tf"], repo, capsys)
    assert code == 0 and findings_of(out) == []  # only the named file is reported
    code, out, _ = run(
        ["scan", "--format", "json", "--whole-modules", "net/variables.tf"], repo, capsys
    )
    assert code == 1
    assert findings_of(out) == [("net/main.tf", "aws-ec2-no-public-ingress")]


def test_changed_since_runs_no_program_a_scanned_repository_names(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repository's own .git/config (shipped with a copied folder) cannot make git run a
    program, and a git planted in the scanned folder is never the one started."""
    marker = repo.parent / "ran"
    hook = repo / "hook.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    planted = repo / "git"
    planted.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    planted.chmod(0o755)
    git(repo, "config", "core.fsmonitor", str(hook))
    git(repo, "config", "diff.external", str(hook))
    monkeypatch.setenv("PATH", os.pathsep.join([str(repo), ".", os.environ["PATH"]]))
    (repo / "net" / "open.tf").write_text(
        'resource "aws_security_group_rule" "ssh" {\n  type              = "ingress"\n'
        '  security_group_id = "sg-1"\n  from_port         = 22\n  to_port           = 22\n'
        '  protocol          = "tcp"\n  cidr_blocks       = ["0.0.0.0/0"]\n}\n'
    )
    code, out, _ = run(["scan", "--format", "json", "--changed-since", "HEAD"], repo, capsys)
    assert code == 1
    assert ("net/open.tf", "aws-ec2-no-public-ingress") in findings_of(out)
    assert not marker.exists()
