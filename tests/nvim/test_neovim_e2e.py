"""A real editor: headless Neovim drives ``tfguard lsp`` through its built-in LSP client."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
RULE = "aws-ec2-no-public-ingress"


def _nvim() -> str:
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.skip(
            "nvim is not installed: the Neovim end-to-end test needs Neovim 0.7+ "
            "(.ci/run installs Debian's neovim package)"
        )
    return nvim


def _run_script(
    tmp_path: Path, script: str, settings: dict[str, str], timeout: int
) -> dict[str, Any]:
    """Run a Lua script of this folder in a headless Neovim without user configuration (its
    state kept under ``tmp_path``), with ``settings`` added to the environment and the
    server command in TFGUARD_CMD; the script's outcome, which must say ok."""
    nvim = _nvim()
    result = tmp_path / "result.json"
    env = dict(os.environ)
    env.update(
        settings,
        TFGUARD_RESULT=str(result),
        # Isolated, as editors should start it: nothing of the opened folder is imported.
        TFGUARD_CMD=json.dumps([sys.executable, "-I", "-m", "tfguard", "lsp"]),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    completed = subprocess.run(
        [nvim, "--headless", "-n", "-u", "NONE", "-i", "NONE", "-c", f"luafile {HERE / script}"],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.exists(), (
        f"nvim wrote no result (exit {completed.returncode}): {completed.stderr}"
    )
    outcome: dict[str, Any] = json.loads(result.read_text())
    assert outcome["ok"], outcome
    return outcome


def test_ignore_action_in_neovim(tmp_path: Path) -> None:
    shutil.copytree(HERE / "fixtures", tmp_path / "ws")
    fixture = tmp_path / "ws" / "network" / "main.tf"
    outcome = _run_script(tmp_path, "ignore_action.lua", {"TFGUARD_FIXTURE": str(fixture)}, 90)
    assert outcome["diagnostic"] == {"code": RULE, "source": "tfguard", "lnum": 9, "col": 4}
    assert f"Ignore {RULE} for this line" in outcome["titles"]
    assert outcome["lines"][9] == f"    # tfguard:ignore:{RULE}"
    assert outcome["lines"][10] == '    cidr_blocks = ["0.0.0.0/0"]'
    assert fixture.read_text().count("tfguard:ignore") == 0  # the buffer changed, not the file


# One fix of each kind the editor must apply: add encryption (the S3 backend's encrypt = true),
# password -> password_wo, narrow a CIDR (to a new variable in a variables.tf that does not
# exist yet), and fix-all; each step picks the rule's preferred fix, or its first one for the
# unsafe fixes (narrowing a CIDR, password_wo), which are offered but never preferred.
FIX_STEPS = [
    {"file": "network/main.tf", "rule": RULE, "first": True},
    {"file": "state/main.tf", "rule": "terraform-backend-s3-encryption"},
    {"file": "database/main.tf", "rule": "aws-secret-argument-write-only", "first": True},
    {"file": "storage/main.tf", "rule": "aws-kms-key-rotation", "fix_all": True},
]


def test_quick_fixes_in_neovim(tmp_path: Path) -> None:
    shutil.copytree(HERE / "fixtures", tmp_path / "ws")
    originals = {step["file"]: (tmp_path / "ws" / step["file"]).read_text() for step in FIX_STEPS}
    settings = {"TFGUARD_ROOT": str(tmp_path / "ws"), "TFGUARD_STEPS": json.dumps(FIX_STEPS)}
    outcome = _run_script(tmp_path, "fix_actions.lua", settings, 120)
    steps = {step["rule"]: step for step in outcome["steps"]}

    backend = steps["terraform-backend-s3-encryption"]
    assert backend["chosen"] in backend["offered"]
    # One line added inside the backend block, the "=" of its neighbours aligned with it as
    # terraform fmt aligns them, everything else untouched.
    before = backend["before"]
    assert backend["after"] == [
        *before[:2],
        '    bucket  = "acme-state"',
        '    key     = "network/terraform.tfstate"',
        '    region  = "eu-west-1"',
        "    encrypt = true",
        *before[5:],
    ]

    database = steps["aws-secret-argument-write-only"]
    after = [line.strip() for line in database["after"]]
    assert "password_wo         = var.db_password" in after
    assert "password_wo_version = 1" in after
    assert not [line for line in after if line.startswith(("password =", "password  "))]

    def others(lines: list[str]) -> list[str]:  # what the fix must leave alone
        return [x for x in lines if "password" not in x and not x.strip().startswith("#")]

    assert others(database["before"]) == others(database["after"])

    network = steps[RULE]
    assert "Remove the SSH rule" in " ".join(network["offered"])  # offered, not preferred
    assert "var.admin_allowed_cidrs" in network["chosen"]
    assert network["after"][9] == "    cidr_blocks = var.admin_allowed_cidrs"
    assert network["after"][:9] + network["after"][10:] == (
        network["before"][:9] + network["before"][10:]
    )
    variables = str(tmp_path / "ws" / "network" / "variables.tf")
    assert list(network["others"]) == [variables]  # a new buffer, not yet a file
    assert network["others"][variables][0] == 'variable "admin_allowed_cidrs" {'
    assert "  type        = list(string)" in network["others"][variables]
    assert not os.path.exists(variables)

    storage = steps["aws-kms-key-rotation"]
    assert storage["chosen"] == "Fix all auto-fixable tfguard findings in this file"
    text = "\n".join(storage["after"])
    # Fix-all applies safe fixes only: the key rotates, the ACL (unsafe to close) stays.
    assert 'acl    = "public-read"' in text and "enable_key_rotation = true" in text

    for step in outcome["steps"]:
        assert step["modified"], step  # the buffers changed ...
    for name, original in originals.items():  # ... never the files
        assert (tmp_path / "ws" / name).read_text() == original
