"""A real editor: Emacs in batch mode, with the README's eglot snippet as its only
configuration, drives ``tfguard lsp`` through eglot and Flymake and applies quick fixes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
README = HERE.parents[1] / "README.md"
RULE = "aws-ec2-no-public-ingress"
FIX_ALL_KIND = "source.fixAll.tfguard"


def _emacs() -> str:
    emacs = shutil.which("emacs")
    if emacs is None:
        pytest.skip(
            "emacs is not installed: the Emacs end-to-end test needs Emacs 28+ with eglot "
            "(.ci/run installs Debian's emacs-nox and elpa-eglot)"
        )
    return emacs


def _section(text: str, heading: str) -> str:
    """The README section under ``heading`` (up to the next heading of any level)."""
    match = re.search(rf"^{re.escape(heading)}\n(.*?)(?=^#)", text, re.M | re.S)
    assert match, f"README.md has no section {heading!r}"
    return match.group(1)


def readme_eglot_snippet() -> str:
    """The first ``elisp`` block of the README's Emacs section: the eglot configuration."""
    match = re.search(r"```elisp\n(.*?)```", _section(README.read_text(), "### Emacs"), re.S)
    assert match, "the README's Emacs section has no elisp block"
    return match.group(1)


def readme_fix_all_form() -> str:
    """The fix-all expression the README gives for Emacs."""
    section = _section(README.read_text(), "### Quick fixes and fix-all")
    emacs = next((line for line in section.split("\n- ") if line.startswith("Emacs")), None)
    assert emacs, "the README's fix-all list has no Emacs entry"
    forms = [f for f in re.findall(r"`([^`]+)`", emacs) if FIX_ALL_KIND in f]
    assert len(forms) == 1, forms
    return forms[0]


def _run(tmp_path: Path, steps: list[dict[str, Any]], timeout: int) -> dict[str, Any]:
    """Run quick_fixes.el in a batch Emacs whose home is empty, with the README's snippet as
    init file and a ``tfguard`` command on PATH that starts this checkout's server isolated."""
    emacs = _emacs()
    home = tmp_path / "home"
    home.mkdir()
    init = tmp_path / "init.el"
    init.write_text(readme_eglot_snippet())
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "tfguard"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -I -m tfguard "$@"\n')
    wrapper.chmod(0o755)
    result = tmp_path / "result.json"
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        TFGUARD_INIT=str(init),
        TFGUARD_ROOT=str(tmp_path / "ws"),
        TFGUARD_STEPS=json.dumps(steps),
        TFGUARD_FIX_ALL=readme_fix_all_form(),
        TFGUARD_RESULT=str(result),
    )
    # -q, not -Q: a new user's Emacs loads the system's site files, which is where Debian's
    # elpa-eglot is found (Emacs 29 and later have eglot built in either way).
    completed = subprocess.run(
        [emacs, "--batch", "-q", "-l", str(HERE / "quick_fixes.el")],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.exists(), (
        f"emacs wrote no result (exit {completed.returncode}): {completed.stderr[-3000:]}"
    )
    outcome: dict[str, Any] = json.loads(result.read_text())
    assert outcome["ok"], (outcome, completed.stderr[-3000:])
    return outcome


STEPS: list[dict[str, Any]] = [
    # C-u M-x eglot-code-actions RET quickfix RET, then the fix that declares a variable in a
    # variables.tf that does not exist yet (eglot asks before editing a file that is not open).
    {
        "file": "network/main.tf",
        "rule": RULE,
        "how": "quickfix",
        "kind": "quickfix",
        "pick": "with a new variable var.admin_allowed_cidrs",
    },
    # A .tofu file: the snippet maps it to the same mode.
    {
        "file": "state/main.tofu",
        "rule": "terraform-backend-s3-encryption",
        "how": "quickfix",
        "kind": "quickfix",
        "pick": "encrypt",
    },
    # M-x eglot-code-actions, the ignore comment; eglot-workspace-configuration's
    # minimumSeverity "low" must hide this file's two info findings.
    {
        "file": "database/main.tf",
        "rule": "aws-secret-argument-write-only",
        "how": "ignore",
        "pick": "Ignore aws-secret-argument-write-only for this line",
        "absent": ["aws-rds-copy-tags-to-snapshot", "aws-rds-default-port"],
    },
    # The README's fix-all expression: every preferred (safe) fix of the file at once.
    {"file": "storage/main.tf", "rule": "aws-kms-key-rotation", "how": "fix-all"},
]


def _unaligned(line: str) -> str:
    return re.sub(r"(\S)\s+= ", r"\1 = ", line)


def test_readme_snippet_in_emacs(tmp_path: Path) -> None:
    shutil.copytree(HERE / "fixtures", tmp_path / "ws")
    originals = {s["file"]: (tmp_path / "ws" / s["file"]).read_text() for s in STEPS}
    outcome = _run(tmp_path, STEPS, 180)
    steps = {step["rule"]: step for step in outcome["steps"]}
    assert list(steps) == [s["rule"] for s in STEPS]

    for step in outcome["steps"]:
        # No terraform-mode in a new Emacs: the snippet's own mode, for .tf and .tofu alike.
        assert step["mode"] == "tfguard-terraform-mode", step
        assert step["language"] in ("terraform", "unknown"), step
        assert step["modified"] is True, step  # the buffer changed ...
    for name, original in originals.items():  # ... never the file
        assert (tmp_path / "ws" / name).read_text() == original

    network = steps[RULE]
    assert network["prompts"][0].startswith("[eglot] Action kind")
    assert "Remove the SSH rule" in " ".join(network["offered"])
    assert all("Explain" not in title for title in network["offered"])  # kind quickfix only
    assert network["after"][9] == "    cidr_blocks = var.admin_allowed_cidrs"
    assert network["after"][:9] + network["after"][10:] == (
        network["before"][:9] + network["before"][10:]
    )
    # variables.tf was not open: eglot asked, then opened it as a new, unsaved buffer.
    variables = str(tmp_path / "ws" / "network" / "variables.tf")
    assert any("Server wants to edit" in p and "variables.tf" in p for p in network["prompts"])
    assert list(network["others"] or {}) == [variables]
    created = network["others"][variables]
    assert created["exists"] is False
    assert created["lines"][0] == 'variable "admin_allowed_cidrs" {'
    assert "  type        = list(string)" in created["lines"]
    assert not os.path.exists(variables)

    backend = steps["terraform-backend-s3-encryption"]
    before = [_unaligned(line) for line in backend["before"]]
    # One line added inside the backend block (the neighbours' '=' realigned, as fmt does).
    assert [_unaligned(line) for line in backend["after"]] == [
        *before[:5],
        "    encrypt = true",
        *before[5:],
    ]
    assert "terraform-backend-s3-encryption" not in backend["codes_after"]

    database = steps["aws-secret-argument-write-only"]
    assert "aws-rds-backup-retention" in database["codes"]  # low: shown
    assert "aws-rds-copy-tags-to-snapshot" not in database["codes"]  # info: hidden
    assert "aws-rds-default-port" not in database["codes"]
    assert "Explain aws-secret-argument-write-only" in database["offered"]
    line = next(i for i, x in enumerate(database["before"]) if "password" in x)
    assert database["after"][line] == "  # tfguard:ignore:aws-secret-argument-write-only"
    assert database["after"][line + 1] == database["before"][line]

    storage = steps["aws-kms-key-rotation"]
    assert FIX_ALL_KIND in storage["chosen"]
    assert storage["prompts"] == []  # one action of that kind: eglot runs it without asking
    assert "  enable_key_rotation = true" in storage["after"]
    assert "aws-kms-key-rotation" not in storage["codes_after"]


def test_readme_snippet_is_what_the_test_loads() -> None:
    """The test reads the README, so the two cannot drift apart; check that it reads the
    intended block (the eglot one, with the fallback mode) and the fix-all expression."""
    snippet = readme_eglot_snippet()
    assert "eglot-server-programs" in snippet
    assert "define-derived-mode tfguard-terraform-mode" in snippet
    assert re.search(r'"tfguard" "lsp"', snippet)
    assert readme_fix_all_form().startswith("(eglot-code-actions ")
