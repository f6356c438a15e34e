"""Report formats: JUnit XML, GitLab Code Quality, Markdown, the text summary line, and several
reports from one scan with --format FORMAT=FILE."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from tests.conftest import write_files

from tfguard.cli import main
from tfguard.findings import Finding, Range, Severity
from tfguard.report import junit, markdown
from tfguard.report.model import ScanReport

INSECURE = {
    "app/main.tf": (
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
        'resource "aws_security_group_rule" "rdp" {\n'
        '  type              = "ingress"\n'
        '  security_group_id = "sg-123"\n'
        "  from_port         = 3389\n"
        "  to_port           = 3389\n"
        '  protocol          = "tcp"\n'
        '  cidr_blocks       = ["0.0.0.0/0"]\n'
        '  description       = "Temporary admin access"\n'
        "}\n"
    ),
    "app/clean.tf": 'resource "aws_kms_key" "ok" {\n  enable_key_rotation = true\n}\n',
    "app/vars.tf": 'variable "region" {\n  type = string\n}\n',
}
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def run(args: list[str], cwd: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        code = main(args)
    finally:
        os.chdir(old)
    out, err = capsys.readouterr()
    return code, out, err


def test_summary_line_counts_files_with_findings(tmp_path, capsys) -> None:
    write_files(tmp_path, INSECURE)
    code, out, _ = run(["scan", "--no-color"], tmp_path, capsys)
    assert code == 1
    assert out.rstrip().endswith("Found 3 findings (2 critical, 1 medium) in 1 of 3 files.")


def test_junit_one_case_per_rule_and_file(tmp_path, capsys) -> None:
    write_files(tmp_path, INSECURE)
    code, out, _ = run(["scan", "--format", "junit"], tmp_path, capsys)
    assert code == 1
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    # two rules with findings in main.tf, plus one passing case for each clean file
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("app/clean.tf", "no findings"),
        ("app/main.tf", "aws-ec2-no-public-ingress"),
        ("app/main.tf", "aws-kms-key-rotation"),
        ("app/vars.tf", "no findings"),
    ]
    for element in (root, suite):
        assert (element.get("tests"), element.get("failures"), element.get("errors")) == (
            "4",
            "2",
            "0",
        )
    failures = {c.get("name"): c.find("failure") for c in cases if c.find("failure") is not None}
    sg = failures["aws-ec2-no-public-ingress"]
    assert sg is not None and sg.get("type") == "critical"
    assert sg.get("message", "").startswith("2 findings; first: ")
    assert "(app/main.tf:10:3)" in sg.get("message", "")
    assert sg.text is not None
    assert sg.text.splitlines() == [
        "app/main.tf:10:3: CRITICAL aws-ec2-no-public-ingress "
        "aws_security_group_rule.ssh allows ingress from 0.0.0.0/0 (the whole internet) on port 22",
        "app/main.tf:19:3: CRITICAL aws-ec2-no-public-ingress "
        "aws_security_group_rule.rdp allows ingress from 0.0.0.0/0 (the whole internet) "
        "on port 3389",
    ]
    kms = failures["aws-kms-key-rotation"]
    assert kms is not None and kms.get("type") == "medium"
    assert kms.get("message", "").endswith("(app/main.tf:1:1)")
    assert all(c.find("failure") is None for c in cases if c.get("name") == "no findings")


def test_junit_errors_and_characters_xml_cannot_hold(tmp_path) -> None:
    report = ScanReport(root=str(tmp_path))
    path = str(tmp_path / "main.tf")
    report.files = [path]
    report.findings = [
        Finding("aws-x", Severity.HIGH, "value \x01\x1b[31m <&>", path, Range.of(0, 0, 0, 1))
    ]
    report.file_errors = ["locked.tf: cannot read: Permission denied"]
    report.rule_errors = ["aws-y: KeyError: 'z'"]
    root = ET.fromstring(junit.render(report))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "2")
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and "\ufffd[31m <&>" in failure.get("message", "")
    errors = [e.get("message") for e in root.iter("error")]
    assert errors == ["locked.tf: cannot read: Permission denied", "aws-y: KeyError: 'z'"]


def test_gitlab_code_quality_fields_and_stable_fingerprints(tmp_path, capsys) -> None:
    write_files(tmp_path, INSECURE)
    code, out, _ = run(["scan", "--format", "gitlab"], tmp_path, capsys)
    assert code == 1
    issues = json.loads(out)
    assert len(issues) == 3
    for issue in issues:
        assert issue["type"] == "issue"
        assert issue["check_name"] in ("aws-ec2-no-public-ingress", "aws-kms-key-rotation")
        assert issue["description"].startswith(issue["check_name"] + ": ")
        assert issue["severity"] in GITLAB_SEVERITIES
        assert issue["location"]["path"] == "app/main.tf"
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert issue["location"]["lines"]["begin"] >= 1
        assert isinstance(issue["fingerprint"], str) and len(issue["fingerprint"]) == 32
    assert len({i["fingerprint"] for i in issues}) == 3
    assert {(i["check_name"], i["severity"], i["location"]["lines"]["begin"]) for i in issues} == {
        ("aws-kms-key-rotation", "major", 1),
        ("aws-ec2-no-public-ingress", "blocker", 10),
        ("aws-ec2-no-public-ingress", "blocker", 19),
    }
    before = {i["fingerprint"]: i["check_name"] for i in issues}

    # lines inserted above and the blocks reordered: the same fingerprints, new line numbers
    main_tf = tmp_path / "app" / "main.tf"
    blocks = main_tf.read_text().split("}\n")[:-1]
    main_tf.write_text("# moved\n\n\n" + "}\n".join(reversed(blocks)) + "}\n")
    _, out, _ = run(["scan", "--format", "gitlab"], tmp_path, capsys)
    after = json.loads(out)
    assert {i["fingerprint"]: i["check_name"] for i in after} == before
    assert {i["location"]["lines"]["begin"] for i in after} != {1, 10, 19}


def test_markdown_summary_counts_links_and_escapes(tmp_path, capsys) -> None:
    write_files(tmp_path, INSECURE)
    code, out, _ = run(["scan", "--format", "markdown"], tmp_path, capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "### tfguard: Found 3 findings (2 critical, 1 medium) in 1 of 3 files"
    assert "| critical | 2 |" in lines and "| medium | 1 |" in lines
    rows = [line for line in lines if line.startswith("| critical | [") or "| medium | [" in line]
    assert len(rows) == 3
    assert rows[0].startswith(
        "| critical | [aws-ec2-no-public-ingress](https://github.com/tfguard/tfguard/blob/main/"
        "docs/rules/aws-ec2-no-public-ingress.md) | `app/main.tf:10` | "
    )
    assert rows[-1].startswith("| medium | [aws-kms-key-rotation](")  # most severe first

    report = ScanReport(root=str(tmp_path))
    path = str(tmp_path / "main.tf")
    hostile = "bucket [click](https://evil.example) <img src=x> | `code` *bold*"
    report.findings = [
        Finding("aws-x", Severity.LOW, hostile, path, Range.of(i, 0, i, 1))
        for i in range(markdown.TOP + 5)
    ]
    report.files_scanned = 1
    text = markdown.render(report)
    assert hostile not in text
    for unescaped in (r"(?<!\\)\[click", r"(?<!\\)<img", r"(?<!\\)`code"):
        assert re.search(unescaped, text) is None, unescaped
    assert r"\[click\](https://evil.example) \<img src=x\> \| \`code\` \*bold\*" in text
    assert "... and 5 more findings (see the full report)." in text
    assert "Nothing to fix." in markdown.render(ScanReport(root=str(tmp_path)))


def test_several_reports_from_one_scan(tmp_path, capsys) -> None:
    write_files(tmp_path, INSECURE)
    code, out, err = run(
        [
            "scan",
            "--no-color",
            "--format",
            "sarif=out/results.sarif",
            "--format",
            "junit=junit.xml",
            "--format",
            "gitlab=gl-code-quality-report.json",
            "--format",
            "markdown=summary.md",
        ],
        tmp_path / "app",
        capsys,
    )
    assert code == 2 and "cannot write out/results.sarif" in err  # no such folder: an error
    (tmp_path / "app" / "out").mkdir()
    code, out, err = run(
        [
            "scan",
            "--no-color",
            "--format",
            "sarif=out/results.sarif",
            "--format",
            "junit=junit.xml",
            "--format",
            "json",
            "--format",
            "markdown=summary.md",
        ],
        tmp_path / "app",
        capsys,
    )
    assert code == 1, err
    assert len(json.loads(out)["findings"]) == 3  # the plain --format goes to stdout
    app = tmp_path / "app"
    sarif_doc = json.loads((app / "out" / "results.sarif").read_text())
    assert len(sarif_doc["runs"][0]["results"]) == 3
    assert ET.parse(app / "junit.xml").getroot().get("failures") == "2"
    assert (app / "summary.md").read_text().startswith("### tfguard: Found 3 findings")

    # without a plain format, the text report goes to stdout; --output takes the plain one
    code, out, _ = run(["scan", "--no-color", "--format", "gitlab=gl.json"], app, capsys)
    assert code == 1 and out.rstrip().endswith("in 1 of 3 files.")
    assert len(json.loads((app / "gl.json").read_text())) == 3
    code, out, _ = run(["scan", "--format", "junit", "--output", "j.xml"], app, capsys)
    assert code == 1 and out == ""
    assert ET.parse(app / "j.xml").getroot().get("tests") == "4"


def test_format_usage_errors(tmp_path, capsys) -> None:
    write_files(tmp_path, INSECURE)
    code, _, err = run(["scan", "--format", "json", "--format", "sarif"], tmp_path, capsys)
    assert code == 2 and "only one report can go to standard output" in err
    code, _, err = run(["scan", "--format", "json=a.json", "-o", "a.json"], tmp_path, capsys)
    assert code == 2 and "same file" in err
    with pytest.raises(SystemExit) as exc:
        run(["scan", "--format", "html"], tmp_path, capsys)
    assert exc.value.code == 2
    assert "unknown format 'html'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(["scan", "--format", "sarif="], tmp_path, capsys)
    assert "a file name must follow '='" in capsys.readouterr().err
