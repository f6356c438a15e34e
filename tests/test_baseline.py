"""Baselines: write, apply, survive unrelated edits and moved blocks, count duplicates and stale
entries, mark baselined results as suppressed in SARIF, and come from .tfguard.hcl too."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tests.conftest import write_files

from tfguard import baseline
from tfguard.cli import main
from tfguard.engine import Engine

KMS = 'resource "aws_kms_key" "state" {\n  description = "state"\n}\n'
SSH = (
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
RDP = SSH.replace('"ssh"', '"rdp"').replace("= 22", "= 3389")
KMS_RULE = "aws-kms-key-rotation"
SG_RULE = "aws-ec2-no-public-ingress"


def run(args: list[str], cwd: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        code = main(args)
    finally:
        os.chdir(old)
    out, err = capsys.readouterr()
    return code, out, err


def scan_json(cwd: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict]:
    code, out, err = run(["scan", "--format", "json", *extra], cwd, capsys)
    assert code in (0, 1), err
    return code, json.loads(out)


def test_round_trip_survives_inserted_lines_and_moved_blocks(tmp_path, capsys) -> None:
    write_files(tmp_path, {"main.tf": KMS + SSH})
    code, out, err = run(["scan", "--write-baseline", "tfguard-baseline.json"], tmp_path, capsys)
    assert code == 0 and out == ""
    assert "wrote 2 findings (in 1 of 1 files) to tfguard-baseline.json" in err
    doc = json.loads((tmp_path / "tfguard-baseline.json").read_text())
    assert doc["version"] == 1
    assert sorted(e["rule"] for e in doc["findings"]) == [SG_RULE, KMS_RULE]
    assert all(e["path"] == "main.tf" and e["count"] == 1 for e in doc["findings"])
    assert "line" not in json.dumps(doc)  # no line numbers anywhere

    code, out, _ = run(["scan", "--baseline", "tfguard-baseline.json"], tmp_path, capsys)
    assert code == 0
    assert out.rstrip().endswith("No findings in 1 file; 2 in the baseline.")

    # ten lines at the top, then the blocks swapped: the same findings, still accepted
    header = "".join(f"# comment {i}\n" for i in range(10))
    (tmp_path / "main.tf").write_text(header + SSH + "\n" + KMS)
    code, data = scan_json(tmp_path, capsys, "--baseline", "tfguard-baseline.json")
    assert code == 0 and data["findings"] == []
    assert data["summary"]["baseline"] == {
        "file": "tfguard-baseline.json",
        "baselined": 2,
        "stale": 0,
    }

    # a new finding is reported, and only it
    (tmp_path / "main.tf").write_text(header + SSH + "\n" + KMS + RDP)
    code, data = scan_json(tmp_path, capsys, "--baseline", "tfguard-baseline.json")
    assert code == 1
    assert [(f["rule"], f["range"]["start"]["line"]) for f in data["findings"]] == [(SG_RULE, 30)]
    assert data["summary"]["baseline"]["baselined"] == 2


def test_changing_the_offending_text_is_a_new_finding(tmp_path, capsys) -> None:
    write_files(tmp_path, {"main.tf": SSH})
    assert run(["scan", "--write-baseline", "b.json"], tmp_path, capsys)[0] == 0
    (tmp_path / "main.tf").write_text(SSH.replace('["0.0.0.0/0"]', '["0.0.0.0/0", "::/0"]'))
    code, data = scan_json(tmp_path, capsys, "--baseline", "b.json")
    assert code == 1
    assert [f["rule"] for f in data["findings"]] == [SG_RULE]
    assert data["summary"]["baseline"] == {"file": "b.json", "baselined": 0, "stale": 1}


def test_identical_findings_are_counted_and_stale_entries_reported(tmp_path, capsys) -> None:
    # the same resource twice (a merge mistake): two findings with one fingerprint
    key = 'resource "aws_kms_key" "k" {\n}\n'
    write_files(tmp_path, {"main.tf": key + key})
    assert run(["scan", "--write-baseline", "b.json"], tmp_path, capsys)[0] == 0
    entries = json.loads((tmp_path / "b.json").read_text())["findings"]
    # (and the validation error of the resource declared twice, baselined like syntax errors)
    assert sorted(e["rule"] for e in entries) == sorted([KMS_RULE, "validation"])
    (entry,) = [e for e in entries if e["rule"] == KMS_RULE]
    assert entry["count"] == 2

    (tmp_path / "main.tf").write_text(key + key + key)
    code, data = scan_json(tmp_path, capsys, "--baseline", "b.json")
    new = [f for f in data["findings"] if f["rule"] == KMS_RULE]
    assert code == 1 and len(new) == 1  # the third one is new

    (tmp_path / "main.tf").write_text(key)
    code, out, _ = run(["scan", "--baseline", "b.json", "--no-color"], tmp_path, capsys)
    assert code == 0
    # stale: the second key, and the validation error that went with it
    summary = "No findings in 1 file; 1 in the baseline, 2 stale baseline entries."
    assert out.rstrip().endswith(summary)

    # writing the baseline again drops the stale entry
    assert run(["scan", "--write-baseline", "b.json"], tmp_path, capsys)[0] == 0
    (entry,) = json.loads((tmp_path / "b.json").read_text())["findings"]
    assert entry["count"] == 1


def test_sarif_lists_baselined_results_as_externally_suppressed(tmp_path, capsys) -> None:
    write_files(tmp_path, {"main.tf": KMS})
    assert run(["scan", "--write-baseline", "b.json"], tmp_path, capsys)[0] == 0
    (tmp_path / "main.tf").write_text(KMS + SSH)
    code, out, _ = run(["scan", "--baseline", "b.json", "--format", "sarif"], tmp_path, capsys)
    assert code == 1
    results = json.loads(out)["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    assert set(by_rule) == {KMS_RULE, SG_RULE}
    assert by_rule[KMS_RULE]["suppressions"] == [
        {"kind": "external", "justification": "accepted in the baseline b.json"}
    ]
    assert by_rule[KMS_RULE]["baselineState"] == "unchanged"
    assert "suppressions" not in by_rule[SG_RULE]
    assert by_rule[SG_RULE]["baselineState"] == "new"
    for r in results:
        assert len(r["partialFingerprints"]["tfguard/v1"]) == 32


def test_config_names_the_baseline_and_the_engine_applies_it(tmp_path, capsys) -> None:
    write_files(tmp_path, {"infra/main.tf": KMS + SSH})
    assert run(["scan", "--write-baseline", "tfguard-baseline.json"], tmp_path, capsys)[0] == 0
    baseline_text = (tmp_path / "tfguard-baseline.json").read_text()
    assert '"path": "infra/main.tf"' in baseline_text  # relative to the baseline's folder
    (tmp_path / ".tfguard.hcl").write_text('baseline = "tfguard-baseline.json"\n')
    (tmp_path / "infra" / "main.tf").write_text(KMS + SSH + RDP)

    result = Engine().analyze_module(str(tmp_path / "infra"))
    assert result.config_error is None
    assert [f.rule_id for f in result.all_findings()] == [SG_RULE]
    assert result.all_findings()[0].data["address"] == "aws_security_group_rule.rdp"
    baselined = sorted(f.rule_id for fs in result.baselined.values() for f in fs)
    assert baselined == [SG_RULE, KMS_RULE]
    assert result.baseline == str(tmp_path / "tfguard-baseline.json")

    # the command line reads the same setting, from any working directory
    code, data = scan_json(tmp_path / "infra", capsys)
    assert code == 1 and [f["rule"] for f in data["findings"]] == [SG_RULE]
    # --write-baseline ignores the configured baseline (it records everything)
    code, _, err = run(["scan", "--write-baseline", "tfguard-baseline.json"], tmp_path, capsys)
    assert code == 0 and "wrote 3 findings" in err


def test_baseline_errors_have_a_location_and_exit_2(tmp_path, capsys) -> None:
    write_files(
        tmp_path, {"main.tf": KMS, ".tfguard.hcl": '\nbaseline = "missing-baseline.json"\n'}
    )
    code, out, err = run(["scan"], tmp_path, capsys)
    assert code == 2 and out == ""
    assert ".tfguard.hcl:2:1: baseline file 'missing-baseline.json' not found" in err

    (tmp_path / "missing-baseline.json").write_text('{"version": 1,\n  "findings": [}\n')
    code, _, err = run(["scan"], tmp_path, capsys)
    assert code == 2 and "missing-baseline.json:2:16: invalid JSON" in err

    (tmp_path / "missing-baseline.json").write_text('{"version": 1, "findings": [{"count": 2}]}')
    code, _, err = run(["scan"], tmp_path, capsys)
    assert code == 2 and "findings[0]: missing or empty 'fingerprint'" in err

    (tmp_path / ".tfguard.hcl").write_text("baseline = 3\n")
    code, _, err = run(["scan"], tmp_path, capsys)
    assert code == 2 and ".tfguard.hcl:1:12: baseline must be a file name" in err

    (tmp_path / ".tfguard.hcl").unlink()
    code, _, err = run(["scan", "--baseline", "nope.json"], tmp_path, capsys)
    assert code == 2 and "nope.json: baseline file not found" in err
    code, _, err = run(["scan", "--baseline", "a", "--write-baseline", "b"], tmp_path, capsys)
    assert code == 2 and "exclude each other" in err


def test_write_baseline_never_overwrites_another_file(tmp_path, capsys) -> None:
    write_files(tmp_path, {"main.tf": KMS})
    code, _, err = run(["scan", "--write-baseline", "main.tf"], tmp_path, capsys)
    assert code == 2 and "not overwritten" in err
    assert (tmp_path / "main.tf").read_text() == KMS


def test_partial_write_keeps_other_modules_and_deleted_files_go_stale(tmp_path, capsys) -> None:
    write_files(tmp_path, {"a/main.tf": KMS, "b/main.tf": SSH, "c/main.tf": KMS})
    assert run(["scan", "--write-baseline", "b.json"], tmp_path, capsys)[0] == 0
    # rewrite for folder a only, after fixing it: b's and c's entries stay
    (tmp_path / "a" / "main.tf").write_text(
        'resource "aws_kms_key" "state" {\n  enable_key_rotation = true\n}\n'
    )
    code, _, err = run(["scan", "a", "--write-baseline", "b.json"], tmp_path, capsys)
    assert code == 0 and "kept 2 for files outside this scan" in err
    paths = sorted(e["path"] for e in json.loads((tmp_path / "b.json").read_text())["findings"])
    assert paths == ["b/main.tf", "c/main.tf"]

    # a deleted module under the scanned folder: its entry is stale
    (tmp_path / "c" / "main.tf").unlink()
    (tmp_path / "c").rmdir()
    code, data = scan_json(tmp_path, capsys, "--baseline", "b.json")
    assert code == 0
    assert data["summary"]["baseline"] == {"file": "b.json", "baselined": 1, "stale": 1}
    # ... but not when only folder b is scanned
    code, data = scan_json(tmp_path, capsys, "b", "--baseline", "b.json")
    assert data["summary"]["baseline"]["stale"] == 0


def test_fingerprint_ignores_whitespace_and_line_numbers() -> None:
    lines_a = ["", "", '  cidr_blocks =   ["0.0.0.0/0"]']
    lines_b = ['cidr_blocks = ["0.0.0.0/0"]']
    from tfguard.findings import Range

    a = baseline.snippet(lambda n: lines_a[n], Range.of(2, 2, 2, len(lines_a[2])))
    b = baseline.snippet(lambda n: lines_b[n], Range.of(0, 0, 0, len(lines_b[0])))
    assert a == b == 'cidr_blocks = ["0.0.0.0/0"]'
    assert baseline.fingerprint("r", "main.tf", "x.y", a) == baseline.fingerprint(
        "r", "main.tf", "x.y", b
    )
    assert baseline.fingerprint("r", "main.tf", "x.y", a) != baseline.fingerprint(
        "r", "other.tf", "x.y", a
    )
