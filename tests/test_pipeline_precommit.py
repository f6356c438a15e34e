"""The pre-commit hooks of .pre-commit-hooks.yaml, run by the real pre-commit: it installs this
checkout (committed to a scratch repository, as pre-commit needs) into its own environment,
then `git commit` in a project that uses the hooks fails on insecure Terraform and passes on a
hardened one, and tfguard-fix rewrites a file and passes once the fix is staged."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
# What `pip install <checkout>` needs, plus the hook and action definitions.
PACKAGE_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "action.yml")

INSECURE_SG = (
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
HARDENED_SG = INSECURE_SG.replace('["0.0.0.0/0"]', '["10.0.0.0/8"]')
KMS_WITHOUT_ROTATION = 'resource "aws_kms_key" "k" {\n  description = "k"\n}\n'


def copy_checkout(dest: Path) -> Path:
    """The files of this checkout that make the package, copied to ``dest``."""
    dest.mkdir(parents=True)
    for name in PACKAGE_FILES:
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(
        ROOT / "server",
        dest / "server",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"),
    )
    return dest


GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def sh(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 60) -> str:
    proc = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert proc.returncode == 0, f"{args}: {proc.stdout}\n{proc.stderr}"
    return proc.stdout


def test_hook_definitions() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"tfguard", "tfguard-fix"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["entry"].split()[0] == "tfguard"  # the console script, not python -m
        assert hook["require_serial"] is True
    pattern = re.compile(hooks["tfguard"]["files"])
    for name in ("main.tf", "x/a.tofu", "prod.tfvars", "x.auto.tfvars.json", "main.tf.json"):
        assert pattern.search(name), name
    for name in ("plan.json", "terragrunt.hcl", "README.md", "main.tfx"):
        assert not pattern.search(name), name
    fix_pattern = re.compile(hooks["tfguard-fix"]["files"])
    assert not fix_pattern.search("main.tf.json")  # fixes write HCL only
    assert hooks["tfguard"]["entry"].split()[1:3] == ["scan", "--whole-modules"]
    assert hooks["tfguard-fix"]["entry"] == "tfguard fix"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_blocks_insecure_commits_and_passes_hardened_ones(tmp_path: Path) -> None:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    env.pop("PRE_COMMIT", None)
    hooks = copy_checkout(tmp_path / "tfguard")
    sh(["git", "init", "-q"], hooks, env)
    sh(["git", "add", "-A"], hooks, env)
    sh(["git", "commit", "-q", "-m", "tfguard"], hooks, env)
    rev = sh(["git", "rev-parse", "HEAD"], hooks, env).strip()

    project = tmp_path / "project"
    project.mkdir()
    sh(["git", "init", "-q"], project, env)
    config = project / ".pre-commit-config.yaml"

    def use_hooks(*ids: str) -> None:
        config.write_text(
            yaml.safe_dump(
                {"repos": [{"repo": str(hooks), "rev": rev, "hooks": [{"id": i} for i in ids]}]}
            )
        )

    def commit(message: str) -> subprocess.CompletedProcess[str]:
        sh(["git", "add", "-A"], project, env)
        return subprocess.run(
            ["git", "commit", "-m", message],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,  # the first commit builds the hook environment (pip install)
            check=False,
        )

    use_hooks("tfguard")
    sh([sys.executable, "-m", "pre_commit", "install"], project, env)
    (project / "network").mkdir()
    (project / "network" / "main.tf").write_text(INSECURE_SG)
    (project / "README.md").write_text("infra\n")

    blocked = commit("open SSH to the world")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1, output
    assert "tfguard scan" in output and "Failed" in output
    assert "network/main.tf:7:3: CRITICAL aws-ec2-no-public-ingress" in output
    no_commit = subprocess.run(
        ["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=project, env=env, check=False
    )
    assert no_commit.returncode != 0  # nothing was committed

    (project / "network" / "main.tf").write_text(HARDENED_SG)
    passed = commit("SSH from the VPN only")
    output = passed.stdout + passed.stderr
    assert passed.returncode == 0, output
    assert "tfguard scan" in output and "Passed" in output

    # tfguard-fix: the commit stops with the file fixed; staging the fix lets it through
    use_hooks("tfguard-fix")
    (project / "keys.tf").write_text(KMS_WITHOUT_ROTATION)
    fixed = commit("a key")
    output = fixed.stdout + fixed.stderr
    assert fixed.returncode == 1, output
    assert "files were modified by this hook" in output
    assert "enable_key_rotation = true" in (project / "keys.tf").read_text()
    again = commit("a key, rotated")
    assert again.returncode == 0, again.stdout + again.stderr
    log = sh(["git", "log", "--format=%s"], project, env).splitlines()
    assert log == ["a key, rotated", "SSH from the VPN only"]
