"""Bytes Terraform rejects (invalid UTF-8, NUL, binary files) are findings, not skipped files:
the rest of the file is still analysed, CI fails, and the editor shows the same."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tests.conftest import write_files

from tfguard.cli import main
from tfguard.document import ParsedFile
from tfguard.engine import Engine
from tfguard.findings import Finding, Position, Range

# An open security group rule; the description on line 3 is where the bad bytes go.
SG = (
    'resource "aws_security_group_rule" "ssh" {\n'
    '  type              = "ingress"\n'
    '  description       = "ssh@@"\n'
    '  security_group_id = "sg-123"\n'
    "  from_port         = 22\n"
    "  to_port           = 22\n"
    '  protocol          = "tcp"\n'
    '  cidr_blocks       = ["0.0.0.0/0"]\n'
    "}\n"
)
BAD_LINE, BAD_COLUMN = 2, SG.split("\n")[2].index("@@")  # 0-based, in code points
OPEN_INGRESS = "aws-ec2-no-public-ingress"


def sg_bytes(bad: bytes) -> bytes:
    return SG.replace("@@", "\x01").encode("utf-8").replace(b"\x01", bad)


def scan_json(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
    old = os.getcwd()
    os.chdir(root)
    try:
        code = main(["scan", "--format", "json"])
    finally:
        os.chdir(old)
    return code, json.loads(capsys.readouterr().out)


def located(findings: list[dict[str, object]]) -> list[tuple[object, ...]]:
    out = []
    for f in findings:
        start = f["range"]["start"]  # type: ignore[index]
        out.append((f["rule"], f["severity"], f["path"], start["line"], start["column"]))
    return out


def syntax(result_findings: list[Finding]) -> list[tuple[Range, str]]:
    return [(f.range, f.message) for f in result_findings if f.rule_id == "syntax"]


def at(line: int, column: int) -> Range:
    return Range(Position(line, column), Position(line, column + 1))


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (b"\xff", "invalid UTF-8 byte 0xFF: Terraform rejects this file"),
        (b"\xe2\x82", "invalid UTF-8 bytes 0xE2 0x82: Terraform rejects this file"),
        (b"\x00", "NUL byte: Terraform rejects this file"),
    ],
    ids=["ff", "truncated", "nul"],
)
def test_one_bad_byte_is_a_high_syntax_finding_and_the_file_is_still_analysed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: bytes, message: str
) -> None:
    write_files(tmp_path, {"main.tf": sg_bytes(bad)})
    code, report = scan_json(tmp_path, capsys)
    assert code == 1
    assert report["errors"] == []
    findings = report["findings"]
    assert isinstance(findings, list)
    assert located(findings) == [
        ("syntax", "high", "main.tf", BAD_LINE + 1, BAD_COLUMN + 1),
        (OPEN_INGRESS, "critical", "main.tf", 8, 3),
    ]
    assert findings[0]["message"] == message
    assert report["summary"]["files"] == 1  # type: ignore[index]


def test_columns_after_a_bad_byte_stay_where_the_editor_shows_them(tmp_path: Path) -> None:
    # A NUL and an invalid byte between tokens: neither shifts what follows, and neither is
    # reported twice (no parse error on top of the byte's own finding).
    text = b'locals {\n  a = 1\x00\n  b = "x"\xff\n  c = "\xc3\xa9\xff"\n}\n'
    (tmp_path / "main.tf").write_bytes(text)
    result = Engine().analyze_module(str(tmp_path))
    assert syntax(result.all_findings()) == [
        (at(1, 7), "NUL byte: Terraform rejects this file"),
        (at(2, 9), "invalid UTF-8 byte 0xFF: Terraform rejects this file"),
        (at(3, 8), "invalid UTF-8 byte 0xFF: Terraform rejects this file"),
    ]


def test_a_replacement_character_written_as_utf8_is_valid_text(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('locals {\n  a = "\ufffd"\n}\n', encoding="utf-8")
    assert Engine().analyze_module(str(tmp_path)).all_findings() == []


def test_many_bad_bytes_on_one_line_are_one_finding(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_bytes(b'locals {\n  a = "\xff\xfe\xfd"\n}\n')
    assert syntax(Engine().analyze_module(str(tmp_path)).all_findings()) == [
        (at(1, 7), "invalid UTF-8 byte 0xFF: Terraform rejects this file (2 more on this line)")
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
        b"\x00" * 4096,
        "x = 1\n".encode("utf-16"),  # UTF-16 text (with its byte order mark)
        b'resource "aws_kms_key" "k" {}\n' + b"\x00" * 100,
    ],
    ids=["png", "nul", "utf-16", "zero-filled"],
)
def test_a_binary_file_is_one_finding_at_its_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    write_files(tmp_path, {"main.tf": SG, "image.tf": data})
    code, report = scan_json(tmp_path, capsys)
    assert code == 1
    assert report["errors"] == []
    findings = report["findings"]
    assert isinstance(findings, list)
    assert located(findings) == [
        ("syntax", "high", "image.tf", 1, 1),
        (OPEN_INGRESS, "critical", "main.tf", 8, 3),
    ]
    assert findings[0]["message"] == "binary file, not analysed: Terraform reads UTF-8 text"


def test_a_binary_file_prints_no_source_excerpt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "image.tf").write_bytes(b"\x1b[2J\x00" * 64)  # would clear the terminal
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert main(["scan", "--no-color"]) == 1
    finally:
        os.chdir(old)
    out = capsys.readouterr().out
    assert "image.tf:1:1: HIGH syntax binary file, not analysed" in out
    assert "\x1b" not in out and "\x00" not in out


def test_the_editor_buffer_of_the_file_gives_the_same_findings(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    data = sg_bytes(b"\xff") + b'locals {\n  n = "\x00"\n}\n'
    path.write_bytes(data)
    on_disk = Engine().analyze_module(str(tmp_path)).all_findings()
    assert [f.rule_id for f in on_disk] == ["syntax", OPEN_INGRESS, "syntax"]

    # What an editor sends: the file decoded with U+FFFD for the byte that is not UTF-8.
    editor = Engine()
    editor.set_overlay(str(path), data.decode("utf-8", "replace"))
    assert editor.analyze_module(str(tmp_path)).all_findings() == on_disk

    # Once the buffer is edited the byte is no longer known, the place and severity are.
    edited = data.decode("utf-8", "replace").replace('"sg-123"', '"sg-456"')
    editor.set_overlay(str(path), edited)
    findings = editor.analyze_module(str(tmp_path)).all_findings()
    assert [(f.rule_id, f.severity, f.range) for f in findings] == [
        (f.rule_id, f.severity, f.range) for f in on_disk
    ]
    assert findings[0].message == "invalid UTF-8 (shown as U+FFFD): Terraform rejects this file"
    assert findings[2].message == "NUL byte: Terraform rejects this file"


def test_a_binary_buffer_is_one_finding_like_the_file() -> None:
    parsed = ParsedFile("image.tf", "\ufffdPNG\r\n\x1a\n\x00\x00\x00\rIHDR" + "\x00\ufffd" * 200)
    assert [(p.range, p.message) for p in parsed.encoding_problems] == [
        (at(0, 0), "binary file, not analysed: Terraform reads UTF-8 text")
    ]
    assert parsed.items == [] and parsed.line_text(0) == ""  # nothing to quote


def test_fix_never_rewrites_a_file_with_bytes_that_are_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = b'resource "aws_kms_key" "k" {\n  description = "caf\xe9"\n}\n'
    (tmp_path / "main.tf").write_bytes(data)
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        code = main(["fix"])
    finally:
        os.chdir(old)
    err = capsys.readouterr().err
    assert (tmp_path / "main.tf").read_bytes() == data
    assert code == 1
    assert "main.tf: skipped: it holds bytes that are not UTF-8 text" in err


def test_json_variables_with_a_bad_byte_are_a_finding(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('variable "name" {}\n')
    (tmp_path / "terraform.auto.tfvars.json").write_bytes(b'{\n  "name": "caf\xe9"\n}\n')
    result = Engine().analyze_module(str(tmp_path))
    assert not result.file_errors
    assert [(f.path, f.range, f.message) for f in result.all_findings()] == [
        (
            str(tmp_path / "terraform.auto.tfvars.json"),
            at(1, 14),
            "invalid UTF-8 byte 0xE9: Terraform rejects this file",
        )
    ]


def test_a_file_with_many_bad_lines_reports_the_first_twenty_and_counts_the_rest() -> None:
    text = "".join(f'a{i} = "\ufffd"\n' for i in range(25))
    parsed = ParsedFile("main.tf", text)
    assert [p.range.start.line for p in parsed.encoding_problems] == list(range(20))
    assert parsed.encoding_problems[-1].message == (
        "invalid UTF-8 (shown as U+FFFD): Terraform rejects this file; 5 more lines below"
    )
    assert parsed.problems == []  # each line still parses
