"""The command line: exit codes, text/JSON/SARIF output, configuration, bad files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import write_files

from tfguard.cli import main

INSECURE = {
    "main.tf": (
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


def run(args: list[str], cwd: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        code = main(args)
    finally:
        os.chdir(old)
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_groups_by_file_with_caret_and_exits_1(tmp_path, capsys) -> None:
    write_files(tmp_path, INSECURE)
    code, out, _ = run(["scan", ".", "--no-color"], tmp_path, capsys)
    assert code == 1
    assert "main.tf:10:3: CRITICAL aws-ec2-no-public-ingress" in out
    assert '10 |   cidr_blocks       = ["0.0.0.0/0"]' in out
    assert "   |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^" in out
    assert "main.tf:1:1: MEDIUM aws-kms-key-rotation" in out
    assert out.rstrip().endswith("Found 2 findings (1 critical, 1 medium) in 1 of 1 file.")


def test_min_severity_threshold_controls_exit_code(tmp_path, capsys) -> None:
    write_files(tmp_path, INSECURE)
    write_files(
        tmp_path, {".tfguard.hcl": 'rule "aws-ec2-no-public-ingress" {\n  severity = "high"\n}\n'}
    )
    code, out, _ = run(["scan", "--min-severity", "critical", "--no-color"], tmp_path, capsys)
    assert code == 0
    assert "No findings in 1 file." in out
    code, out, _ = run(["scan", "--min-severity", "high", "--format", "json"], tmp_path, capsys)
    assert code == 1
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["aws-ec2-no-public-ingress"]


def test_clean_directory_exits_0(tmp_path, capsys) -> None:
    write_files(
        tmp_path, {"main.tf": 'resource "aws_kms_key" "k" { enable_key_rotation = true }\n'}
    )
    assert run(["scan"], tmp_path, capsys)[0] == 0


def test_usage_and_io_errors_exit_2(tmp_path, capsys) -> None:
    code, _, err = run(["scan", "missing-dir"], tmp_path, capsys)
    assert code == 2 and "missing-dir: no such file or directory" in err
    (tmp_path / "notes.txt").write_text("x")
    code, _, err = run(["scan", "notes.txt"], tmp_path, capsys)
    assert code == 2 and "not a Terraform" in err
    with pytest.raises(SystemExit) as exc:
        run(["scan", "--min-severity", "urgent"], tmp_path, capsys)
    assert exc.value.code == 2


def test_nul_and_undecodable_bytes_are_findings_with_a_location(tmp_path, capsys) -> None:
    write_files(
        tmp_path,
        {**INSECURE, "blob.tf": b"\x00\x01\x02binary", "latin.tf": "# caf\xe9\n".encode("latin-1")},
    )
    code, out, _ = run(["scan", "--no-color"], tmp_path, capsys)
    assert code == 1
    assert "blob.tf:1:1: HIGH syntax NUL byte: Terraform rejects this file" in out
    assert "latin.tf:1:6: HIGH syntax invalid UTF-8 byte 0xE9: Terraform rejects this file" in out
    assert "warning:" not in out
    assert "aws-ec2-no-public-ingress" in out  # the other file keeps its findings


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file without permissions")
def test_unreadable_file_is_reported(tmp_path, capsys) -> None:
    write_files(tmp_path, INSECURE)
    secret = tmp_path / "locked.tf"
    secret.write_text("x = 1\n")
    secret.chmod(0)
    code, out, _ = run(["scan", "--no-color"], tmp_path, capsys)
    assert code == 2 and "locked.tf: cannot read" in out


def test_a_file_that_cannot_be_read_is_an_error_exit_2(tmp_path, capsys, monkeypatch) -> None:
    write_files(tmp_path, {**INSECURE, "locked.tf": "x = 1\n"})
    real_open = open

    def deny(path, *args, **kwargs):
        if str(path).endswith("locked.tf"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("tfguard.engine.open", deny, raising=False)
    code, out, _ = run(["scan", "--no-color"], tmp_path, capsys)
    assert code == 2
    assert "warning: locked.tf: cannot read: Permission denied" in out
    assert "main.tf:10:3: CRITICAL aws-ec2-no-public-ingress" in out  # the rest is reported
    code, out, _ = run(["scan", "--format", "json"], tmp_path, capsys)
    assert code == 2 and json.loads(out)["errors"] == ["locked.tf: cannot read: Permission denied"]


def test_syntax_errors_are_results_and_other_blocks_keep_findings(tmp_path, capsys) -> None:
    write_files(
        tmp_path, {"main.tf": 'resource "aws_kms_key" "a" {\n  x = \n}\n' + INSECURE["main.tf"]}
    )
    code, out, _ = run(["scan", "--format", "json"], tmp_path, capsys)
    findings = json.loads(out)["findings"]
    assert code == 1
    assert [(f["rule"], f["range"]["start"]["line"]) for f in findings] == [
        ("syntax", 2),
        ("aws-kms-key-rotation", 4),
        ("aws-ec2-no-public-ingress", 13),
    ]


def test_sarif_is_valid_2_1_0_with_rule_metadata_and_relative_uris(tmp_path, capsys) -> None:
    write_files(tmp_path, {"modules/store/main.tf": INSECURE["main.tf"]})
    code, out, _ = run(["scan", "--format", "sarif"], tmp_path, capsys)
    assert code == 1
    doc = json.loads(out)
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    run_ = doc["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    acl_rule = rules[ids.index("aws-s3-no-public-acl")]
    assert acl_rule["helpUri"].startswith("https://")
    assert acl_rule["defaultConfiguration"]["level"] == "error"
    assert "CKV_AWS_20" in acl_rule["properties"]["aliases"]
    assert acl_rule["help"]["text"]
    results = run_["results"]
    assert {r["ruleId"] for r in results} == {"aws-ec2-no-public-ingress", "aws-kms-key-rotation"}
    for r in results:
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == "modules/store/main.tf"
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["level"] in ("error", "warning", "note")


def test_config_disables_rules_changes_severity_and_excludes_paths(tmp_path, capsys) -> None:
    write_files(
        tmp_path,
        {
            **INSECURE,
            "legacy/old.tf": 'resource "aws_kms_key" "old" {}\n',
            ".tfguard.hcl": (
                'exclude = ["legacy/**"]\n'
                'rule "CKV_AWS_24" {\n'  # an alias works as the label
                "  enabled = false\n"
                "}\n"
                'rule "aws-kms-key-rotation" {\n'
                '  severity = "critical"\n'
                "}\n"
            ),
        },
    )
    code, out, _ = run(["scan", "--format", "json"], tmp_path, capsys)
    findings = json.loads(out)["findings"]
    assert code == 1
    assert [(f["rule"], f["severity"], f["path"]) for f in findings] == [
        ("aws-kms-key-rotation", "critical", "main.tf")
    ]


def test_config_minimum_severity(tmp_path, capsys) -> None:
    write_files(tmp_path, {**INSECURE, ".tfguard.hcl": 'minimum_severity = "high"\n'})
    code, out, _ = run(["scan", "--format", "json"], tmp_path, capsys)
    assert code == 1
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["aws-ec2-no-public-ingress"]


@pytest.mark.parametrize(
    ("config", "where", "message"),
    [
        ('minimum_severity = "urgent"\n', ":1:20:", "unknown severity 'urgent'"),
        ('rule "aws-nope" {\n  enabled = false\n}\n', ":1:6:", "unknown rule 'aws-nope'"),
        (
            'rule "aws-kms-key-rotation" {\n  enabled = "no"\n}\n',
            ":2:13:",
            "enabled must be true or false",
        ),
        ("exclude = \n", ":1:", "unexpected"),
        ('colour = "red"\n', ":1:1:", "unknown setting 'colour'"),
    ],
)
def test_bad_config_is_one_clear_error_with_location_and_exit_2(
    tmp_path, capsys, config: str, where: str, message: str
) -> None:
    write_files(tmp_path, {**INSECURE, ".tfguard.hcl": config})
    code, out, err = run(["scan"], tmp_path, capsys)
    assert code == 2
    assert err.count("error:") == 1
    assert f".tfguard.hcl{where}" in err and message in err
    assert out == ""


def test_explicit_config_flag(tmp_path, capsys) -> None:
    config = (
        'minimum_severity = "critical"\nrule "aws-ec2-no-public-ingress" {\n  enabled = false\n}\n'
    )
    write_files(tmp_path, {**INSECURE, "ci.hcl": config})
    assert run(["scan", "--config", "ci.hcl"], tmp_path, capsys)[0] == 0
    assert run(["scan"], tmp_path, capsys)[0] == 1  # without the flag ci.hcl is not read
    code, _, err = run(["scan", "--config", "nope.hcl"], tmp_path, capsys)
    assert code == 2 and "not found" in err


def test_rules_and_explain(tmp_path, capsys) -> None:
    code, out, _ = run(["rules", "--format", "json"], tmp_path, capsys)
    rules = json.loads(out)
    assert code == 0 and {"id", "title", "severity", "aliases"} <= set(rules[0])
    code, out, _ = run(["explain", "AVD-AWS-0092"], tmp_path, capsys)
    assert code == 0
    assert out.startswith("aws-s3-no-public-acl: ")
    assert "Insecure example" in out and 'acl    = "public-read"' in out
    assert "Automatic fix:" in out
    code, _, err = run(["explain", "nope"], tmp_path, capsys)
    assert code == 2 and "unknown rule" in err


def test_console_script_runs_as_a_process(tmp_path: Path) -> None:
    write_files(tmp_path, INSECURE)
    proc = subprocess.run(
        [sys.executable, "-m", "tfguard", "scan", "--format", "json", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert len(json.loads(proc.stdout)["findings"]) == 2
