"""A real editor: headless Neovim drives ``tfguard lsp`` through its built-in LSP client."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

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


def test_ignore_action_in_neovim(tmp_path: Path) -> None:
    nvim = _nvim()
    shutil.copytree(HERE / "fixtures", tmp_path / "ws")
    fixture = tmp_path / "ws" / "network" / "main.tf"
    result = tmp_path / "result.json"
    env = dict(os.environ)
    env.update(
        TFGUARD_FIXTURE=str(fixture),
        TFGUARD_RESULT=str(result),
        TFGUARD_CMD=json.dumps([sys.executable, "-m", "tfguard", "lsp"]),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    completed = subprocess.run(
        [
            nvim,
            "--headless",
            "-n",
            "-u",
            "NONE",
            "-i",
            "NONE",
            "-c",
            f"luafile {HERE / 'ignore_action.lua'}",
        ],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert result.exists(), (
        f"nvim wrote no result (exit {completed.returncode}): {completed.stderr}"
    )
    outcome = json.loads(result.read_text())
    assert outcome["ok"], outcome
    assert outcome["diagnostic"] == {"code": RULE, "source": "tfguard", "lnum": 9, "col": 4}
    assert f"Ignore {RULE} for this line" in outcome["titles"]
    assert outcome["lines"][9] == f"    # tfguard:ignore:{RULE}"
    assert outcome["lines"][10] == '    cidr_blocks = ["0.0.0.0/0"]'
    assert fixture.read_text().count("tfguard:ignore") == 0  # the buffer changed, not the file
