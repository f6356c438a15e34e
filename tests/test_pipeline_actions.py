"""The GitHub Action (action.yml), the documented workflow and the GitLab CI template.

The action's run steps are taken out of action.yml and run as bash scripts with the variables
GitHub would give them: the install step really installs this checkout into a virtual
environment, then the scan step runs against scratch workspaces."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.conftest import write_files
from tests.test_pipeline_precommit import ROOT, copy_checkout

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
WORKFLOW = yaml.safe_load((ROOT / "docs" / "ci" / "github-workflow.yml").read_text())
GITLAB = yaml.safe_load((ROOT / "docs" / "ci" / "gitlab-ci.yml").read_text())
EXPRESSION = re.compile(r"^\$\{\{ (inputs|steps)\.([\w-]+)(?:\.outputs\.([\w-]+))? \}\}$")

INSECURE = {
    "infra/main.tf": (
        'resource "aws_kms_key" "state" {\n'
        '  description = "state"\n'
        "}\n"
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
}
SCRIPT = shutil.which("tfguard", path=os.path.dirname(sys.executable))


def step(step_id: str) -> dict[str, Any]:
    (found,) = [s for s in ACTION["runs"]["steps"] if s.get("id") == step_id]
    return found


def outputs_of(path: Path) -> dict[str, str]:
    lines = path.read_text().splitlines() if path.exists() else []
    return dict(line.split("=", 1) for line in lines if "=" in line)


# -- the action's definition --------------------------------------------------------------------


def test_action_is_composite_and_passes_inputs_only_through_the_environment() -> None:
    assert ACTION["runs"]["using"] == "composite"
    steps = ACTION["runs"]["steps"]
    setup = steps[0]
    assert setup["uses"].startswith("actions/setup-python@v")
    assert setup["with"]["python-version"] == "${{ inputs.python-version }}"
    assert setup["with"]["update-environment"] is False  # the job's own Python is untouched
    inputs = set(ACTION["inputs"])
    used: set[str] = set()
    for s in steps:
        if "run" not in s:
            continue
        assert s["shell"] == "bash"
        assert "${{" not in s["run"], f"{s['id']}: an expression inside a script"
        assert "python -m tfguard" not in s["run"] and "-m tfguard" not in s["run"]
        for name, value in s.get("env", {}).items():
            match = EXPRESSION.match(value)
            assert match, f"{name}: {value}"
            kind, what, _ = match.groups()
            if kind == "inputs":
                assert what in inputs
                used.add(what)
                if name.startswith("INPUT_"):
                    assert name == "INPUT_" + what.upper().replace("-", "_")
    used |= {"python-version"}
    assert used == inputs  # every input does something
    install = step("install")["run"]
    assert '-I -m venv "$venv"' in install and '"$venv/bin/python" -I -m pip install' in install
    assert 'cd "$RUNNER_TEMP"' in install
    assert '"${TFGUARD:?}"' in step("scan")["run"]  # the console script, by absolute path
    assert ACTION["outputs"]["sarif-file"]["value"] == "${{ steps.scan.outputs.sarif-file }}"


# -- the action, run ----------------------------------------------------------------------------


def run_step(
    step_id: str, env: dict[str, str], cwd: Path, tmp: Path
) -> subprocess.CompletedProcess[str]:
    script = tmp / f"{step_id}.sh"
    script.write_text(step(step_id)["run"])
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The install step run once: tfguard from a copy of this checkout in a fresh venv."""
    tmp = tmp_path_factory.mktemp("action")
    action_path = copy_checkout(tmp / "action")
    runner_temp = tmp / "runner-temp"
    runner_temp.mkdir()
    workspace = tmp / "workspace"
    workspace.mkdir()
    output = tmp / "github-output"
    env = {
        **os.environ,
        "RUNNER_TEMP": str(runner_temp),
        "GITHUB_ACTION_PATH": str(action_path),
        "GITHUB_OUTPUT": str(output),
        "TFGUARD_PYTHON": sys.executable,
    }
    proc = run_step("install", env, workspace, tmp)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("tfguard ")  # its --version
    tfguard = outputs_of(output)["tfguard"]
    assert tfguard == str(runner_temp / "tfguard-venv" / "bin" / "tfguard")
    assert os.access(tfguard, os.X_OK)
    return tfguard


def scan_env(tfguard: str, tmp: Path, **inputs: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
    for name, spec in ACTION["inputs"].items():
        env["INPUT_" + name.upper().replace("-", "_")] = str(spec.get("default", ""))
    for name, value in inputs.items():
        env["INPUT_" + name.upper()] = value
    env.update(
        TFGUARD=tfguard,
        GITHUB_OUTPUT=str(tmp / "output"),
        GITHUB_STEP_SUMMARY=str(tmp / "summary.md"),
    )
    return env


def test_action_scan_writes_sarif_and_summary_and_fails_on_findings(installed, tmp_path) -> None:
    workspace = tmp_path / "workspace"
    write_files(workspace, INSECURE)
    proc = run_step("scan", scan_env(installed, tmp_path), workspace, tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "infra/main.tf:10:3: CRITICAL aws-ec2-no-public-ingress" in proc.stdout
    assert outputs_of(tmp_path / "output") == {"exit-code": "1", "sarif-file": "tfguard.sarif"}
    sarif = json.loads((workspace / "tfguard.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"aws-ec2-no-public-ingress", "aws-kms-key-rotation"}
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"infra/main.tf"}
    summary = (tmp_path / "summary.md").read_text()
    assert summary.startswith("### tfguard: Found 2 findings (1 critical, 1 medium) in 1 of 1 file")


def test_action_inputs_threshold_no_fail_paths_and_baseline(installed, tmp_path) -> None:
    workspace = tmp_path / "workspace"
    write_files(workspace, {**INSECURE, "other/main.tf": INSECURE["infra/main.tf"]})

    proc = run_step(
        "scan", scan_env(installed, tmp_path, min_severity="critical"), workspace, tmp_path
    )
    assert proc.returncode == 1
    assert "aws-kms-key-rotation" not in proc.stdout  # below the threshold

    proc = run_step(
        "scan", scan_env(installed, tmp_path, fail_on_findings="false"), workspace, tmp_path
    )
    assert proc.returncode == 0
    assert "::notice::tfguard reported findings" in proc.stdout
    assert outputs_of(tmp_path / "output")["exit-code"] == "1"

    # two paths, one per line, a format for the log, a SARIF file in a folder
    (workspace / "reports").mkdir()
    env = scan_env(
        installed, tmp_path, paths="infra\nother/main.tf", format="json", sarif_file="reports/x"
    )
    proc = run_step("scan", env, workspace, tmp_path)
    assert proc.returncode == 1
    assert {f["path"] for f in json.loads(proc.stdout)["findings"]} == {
        "infra/main.tf",
        "other/main.tf",
    }
    assert json.loads((workspace / "reports" / "x").read_text())["version"] == "2.1.0"

    subprocess.run(
        [installed, "scan", "--write-baseline", "tfguard-baseline.json"],
        cwd=workspace,
        check=True,
        capture_output=True,
        timeout=120,
    )
    env = scan_env(installed, tmp_path, baseline="tfguard-baseline.json")
    proc = run_step("scan", env, workspace, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No findings in 2 files; 4 in the baseline." in proc.stdout

    proc = run_step(
        "scan", scan_env(installed, tmp_path, fail_on_findings="no"), workspace, tmp_path
    )
    assert proc.returncode == 2 and "fail-on-findings must be true or false" in proc.stdout


def test_action_never_imports_from_the_scanned_checkout(installed, tmp_path) -> None:
    workspace = tmp_path / "workspace"
    marker = tmp_path / "planted-code-ran"
    planted = f"import pathlib\npathlib.Path({str(marker)!r}).write_text('x')\n"
    write_files(
        workspace,
        {
            **INSECURE,
            "tfguard/__init__.py": planted,
            "tfguard/cli.py": planted,
            "hcl2/__init__.py": planted,
            "lark/__init__.py": planted,
            "sitecustomize.py": planted,
            "usercustomize.py": planted,
        },
    )
    env = scan_env(installed, tmp_path)
    env["PYTHONPATH"] = str(workspace)  # even a hostile PYTHONPATH from the job
    proc = run_step("scan", env, workspace, tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "aws-ec2-no-public-ingress" in proc.stdout
    assert not marker.exists()


# -- the documented GitHub workflow -------------------------------------------------------------


def test_workflow_runs_the_action_and_uploads_its_sarif() -> None:
    triggers = WORKFLOW.get("on", WORKFLOW.get(True))  # YAML 1.1 reads `on` as true
    assert "pull_request" in triggers and "push" in triggers
    assert WORKFLOW["permissions"]["security-events"] == "write"
    (job,) = WORKFLOW["jobs"].values()
    steps = job["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    (scan,) = [s for s in steps if s.get("uses", "").startswith("tfguard/tfguard@")]
    assert set(scan["with"]) <= set(ACTION["inputs"])
    (upload,) = [
        s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")
    ]
    assert steps.index(upload) > steps.index(scan)
    assert upload["with"]["sarif_file"] == f"${{{{ steps.{scan['id']}.outputs.sarif-file }}}}"
    assert "always()" in upload["if"]  # uploaded when the scan step failed on findings too


# -- the GitLab template ------------------------------------------------------------------------


def test_gitlab_template_produces_the_code_quality_report_it_declares(tmp_path) -> None:
    (job,) = GITLAB.values()
    reports = job["artifacts"]["reports"]
    assert job["artifacts"]["when"] == "always"
    script = "\n".join(job["script"])
    assert f"--format gitlab={reports['codequality']}" in script
    assert f"--format junit={reports['junit']}" in script
    assert all(" -I " in line for line in job["before_script"])

    if SCRIPT is None:
        pytest.skip("no tfguard console script next to this Python")
    # Run the job's script with tfguard where before_script would have put it.
    home = tmp_path / "home"
    bin_dir = home / "tfguard-venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "tfguard").write_text(f'#!/bin/sh\nexec "{SCRIPT}" "$@"\n')
    (bin_dir / "tfguard").chmod(0o755)
    project = tmp_path / "project"
    write_files(project, INSECURE)
    env = {**os.environ, **{k: str(v) for k, v in job["variables"].items()}, "HOME": str(home)}
    proc = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr  # findings fail the job
    assert "CRITICAL aws-ec2-no-public-ingress" in proc.stdout
    issues = json.loads((project / reports["codequality"]).read_text())
    assert {i["check_name"] for i in issues} == {
        "aws-ec2-no-public-ingress",
        "aws-kms-key-rotation",
    }
    for issue in issues:
        assert issue["location"]["path"] == "infra/main.tf"
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["fingerprint"] and issue["description"]
    junit = ET.parse(project / reports["junit"]).getroot()
    assert junit.get("failures") == "2"
