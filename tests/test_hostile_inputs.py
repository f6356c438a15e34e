"""Inputs built to exhaust the parser: bounded work, a clear finding where the limit is
exceeded, and every other block still analysed."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.conftest import ScanFiles, write_files

from tfguard import scanner
from tfguard.document import ParsedFile
from tfguard.engine import ModuleResult
from tfguard.findings import Finding
from tfguard.hclparse import MAX_BLOCK_CHARS, MAX_BLOCK_TOKENS, MAX_LINE_CHARS, MAX_NESTING
from tfguard.scanner import scan

KMS = 'resource "aws_kms_key" "k" {\n  description = "k"\n}\n'
TOO_DEEP = f"expression nested deeper than {MAX_NESTING} levels — not analysed"


def syntax(result: ModuleResult) -> list[Finding]:
    return [f for f in result.all_findings() if f.rule_id == "syntax"]


def assert_kms_still_reported(result: ModuleResult) -> None:
    assert "aws-kms-key-rotation" in {f.rule_id for f in result.all_findings()}
    assert result.rule_errors == []


# ``tfguard scan --format json .`` with at most 3 GB of address space: a guard for the machine,
# should this regress (4 GB were once used on the input below).
SCAN_WITH_MEMORY_LIMIT = (
    "import resource, sys\n"
    "resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))\n"
    "from tfguard.cli import main\n"
    "sys.exit(main(['scan', '--format', 'json', '.']))\n"
)


def test_a_5_mb_list_on_one_line_is_refused_with_a_finding_on_its_line(tmp_path: Path) -> None:
    huge = "locals { x = [" + ",".join(["1"] * 2_500_000) + "] }\n"
    write_files(tmp_path, {"main.tf": KMS + huge, "other.tf": KMS.replace('"k"', '"k2"')})
    # A hang guard, not a speed assertion: this took 295 s and 4 GB.
    done = subprocess.run(
        [sys.executable, "-c", SCAN_WITH_MEMORY_LIMIT],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    findings = json.loads(done.stdout)["findings"]
    errors = [f for f in findings if f["rule"] == "syntax"]
    assert [(e["path"], e["range"]["start"]["line"], e["message"]) for e in errors] == [
        ("main.tf", 4, f"line longer than {MAX_LINE_CHARS:,} characters — not analysed")
    ]
    assert {(f["path"], f["rule"]) for f in findings} >= {
        ("main.tf", "aws-kms-key-rotation"),
        ("other.tf", "aws-kms-key-rotation"),
    }


def test_the_long_line_is_the_one_reported() -> None:
    text = "locals {\n  a = 1\n  b = [" + "1," * (MAX_LINE_CHARS // 2) + "]\n}\n"
    parsed = ParsedFile("main.tf", text)
    assert [(p.range.start.line, p.range.start.character, p.message) for p in parsed.problems] == [
        (2, 0, f"line longer than {MAX_LINE_CHARS:,} characters — not analysed")
    ]
    assert parsed.items == []


def test_5000_levels_of_nesting_are_reported_where_the_limit_is_exceeded(
    scan_files: ScanFiles,
) -> None:
    prefix = "locals {\n  x = "
    deep = prefix + "[" * 5000 + "]" * 5000 + "\n}\n"
    result = scan_files({"main.tf": KMS + deep})
    [error] = syntax(result)
    assert error.message == TOO_DEEP
    # The bracket that opens level MAX_NESTING + 1 (the top-level block is level 0).
    assert (error.range.start.line, error.range.start.character) == (4, 6 + MAX_NESTING)
    assert_kms_still_reported(result)


# Expressions nested ``n`` levels deep, one construct at a time.
NESTED: dict[str, Callable[[int], str]] = {
    "tuple": lambda n: "[" * n + "1" + "]" * n,
    "object": lambda n: "{a = " * n + "1" + "}" * n,
    "parentheses": lambda n: "(" * n + "1" + ")" * n,
    "call": lambda n: "tolist(" * n + "1" + ")" * n,
    "interpolation": lambda n: '"${' * n + "1" + '}"' * n,
    "for": lambda n: "[for v in " * n + "1" + " : v]" * n,
    "negation": lambda n: "-(" * (n // 2) + "1" + ")" * (n // 2),  # two levels each
    "conditional": lambda n: "true ? 1 : " * n + "2",
    "sum": lambda n: "1 + " * n + "1",
    "attributes": lambda n: "local.y" + ".b" * (n - 1),  # local.y is one level
    "indexes": lambda n: "local.y" + "[0]" * (n - 1),
}


@pytest.mark.parametrize("construct", sorted(NESTED))
def test_nesting_at_the_limit_is_analysed_and_one_more_level_is_refused(
    scan_files: ScanFiles, construct: str
) -> None:
    def module(levels: int) -> str:
        e = NESTED[construct](levels)
        return (
            KMS + f"locals {{\n  x = {e}\n  y = {{}}\n}}\n"
            'resource "aws_security_group_rule" "r" {\n'
            f'  type        = "ingress"\n  cidr_blocks = {e}\n  description = local.x\n}}\n'
            f'resource "aws_s3_bucket" "b" {{\n  bucket = local.x\n  tags   = {e}\n}}\n'
            f'output "o" {{\n  value = {e}\n}}\n'
        )

    outcome: list[ModuleResult] = []

    def run(levels: int, stack: int) -> None:
        # The analysis runs below this many frames of its caller (as in the language server's
        # worker), so the limit leaves room for them.
        if stack:
            run(levels, stack - 1)
        else:
            outcome.append(scan_files({"main.tf": module(levels)}))

    worker = threading.Thread(target=run, args=(MAX_NESTING, 300))
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive()
    [result] = outcome
    assert syntax(result) == []
    assert_kms_still_reported(result)

    result = scan_files({"main.tf": module(MAX_NESTING + 2)})
    assert {f.message for f in syntax(result)} == {TOO_DEEP}
    assert len(syntax(result)) == 4
    assert_kms_still_reported(result)


def test_blocks_nested_deeper_than_the_limit_are_refused(scan_files: ScanFiles) -> None:
    levels = MAX_NESTING + 5
    deep = 'resource "aws_s3_bucket" "b" {\n' + "a {\n" * levels + "}\n" * levels + "}\n"
    result = scan_files({"main.tf": deep + KMS})
    [error] = syntax(result)
    assert error.message == f"block nested deeper than {MAX_NESTING} levels — not analysed"
    # The resource is level 0, its first nested block (on line 1) level 1...
    assert error.range.start.line == MAX_NESTING + 1
    assert_kms_still_reported(result)


def test_an_interpolation_in_a_heredoc_is_limited_too(scan_files: ScanFiles) -> None:
    deep = "[" * (MAX_NESTING + 1) + "1" + "]" * (MAX_NESTING + 1)
    text = f"locals {{\n  x = <<EOT\nline one\n  ${{{deep}}}\nEOT\n}}\n"
    result = scan_files({"main.tf": text + KMS})
    [error] = syntax(result)
    assert error.message == TOO_DEEP
    assert error.range.start.line == 3
    assert_kms_still_reported(result)


def test_a_block_with_too_many_tokens_is_refused_at_its_first_line(
    scan_files: ScanFiles,
) -> None:
    rows = "    1, 2, 3, 4, 5, 6, 7, 8, 9, 10,\n" * (MAX_BLOCK_TOKENS // 20 + 1)
    result = scan_files({"main.tf": KMS + "locals {\n  x = [\n" + rows + "  ]\n}\n"})
    [error] = syntax(result)
    assert error.message == (
        f"block with more than {MAX_BLOCK_TOKENS:,} tokens (names, values, operators)"
        " — not analysed"
    )
    assert (error.range.start.line, error.range.start.character) == (3, 0)
    assert_kms_still_reported(result)


def test_heredoc_text_does_not_count_as_tokens_but_counts_as_characters(
    scan_files: ScanFiles,
) -> None:
    script = "echo one two three four five six seven eight nine ten\n"
    lines = MAX_BLOCK_TOKENS // 5
    block = 'resource "aws_instance" "i" {\n  user_data = <<-EOT\n' + script * lines + "  EOT\n}\n"
    assert len(block) < MAX_BLOCK_CHARS
    result = scan_files({"main.tf": block + KMS})
    assert syntax(result) == []
    assert_kms_still_reported(result)

    lines = MAX_BLOCK_CHARS // len(script) + 1
    block = 'resource "aws_instance" "i" {\n  user_data = <<-EOT\n' + script * lines + "  EOT\n}\n"
    result = scan_files({"main.tf": block + KMS})
    [error] = syntax(result)
    assert error.message == f"block larger than {MAX_BLOCK_CHARS:,} characters — not analysed"
    assert_kms_still_reported(result)


def test_thousands_of_unclosed_blocks_are_scanned_in_one_pass(tmp_path: Path) -> None:
    text = 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n' * 20_000
    script = (
        "import sys\nfrom tfguard.scanner import scan\n"
        "items = scan(sys.stdin.read()).items\n"
        "print(len(items), sum(i.unclosed for i in items))\n"
    )
    # A hang guard: each unclosed block used to be scanned to the end of the text (this took
    # about ten minutes).
    done = subprocess.run(
        [sys.executable, "-c", script], input=text, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.split() == ["20000", "20000"], done.stderr


UNCLOSED_PIECES = [
    'resource "a" "b" {\n',
    "  x = [\n",
    "  ]\n",
    "}\n",
    ")\n",
    "  y = 1 # {\n",
    '  s = "${\n',
    '  t = "unterminated {\n',
    "  h = <<EOF\n",
    "EOF\n",
    "/* c {\n",
    "*/\n",
    'data "x" "y" { z = 1 }\n',
    "module {\n",
    "data = 1\n",  # a keyword line inside a block: a recovery point that is not one
    "module ) { {\n",  # closes more than it opened before opening again
    'resource } "x" {\n',
    'module }" { { {\n',  # ends an interpolation left open above, then a string
    "output = <<EOF\n",
    "\n",
]


# The fourth line ends the interpolation the third opened, then the string around it: a scan
# from that line sees a string where the scan of the block above sees braces.
INTERPOLATION_ENDED_ON_A_KEYWORD_LINE = [
    'resource "a" "b" {\n',
    'resource "a" "b" {\n',
    '  s = "${\n',
    'module }" { { {\n',
    'resource "a" "b" {\n',
    "  x = [\n",
]


def _cut_at_the_first_recovery_point(self: scanner._Scanner, start: int, record: object) -> int:
    point = self._recovery_point(start)
    assert point is not None
    return point


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(UNCLOSED_PIECES), min_size=1, max_size=14))
@example(INTERPOLATION_ENDED_ON_A_KEYWORD_LINE)
def test_unclosed_blocks_read_off_one_scan_are_those_a_scan_of_each_finds(
    pieces: list[str],
) -> None:
    text = "".join(pieces)
    fast = scan(text)
    with pytest.MonkeyPatch.context() as patch:
        # The plain algorithm: every unclosed block scanned to the end of the text.
        patch.setattr(scanner._Scanner, "_unclosed_run", _cut_at_the_first_recovery_point)
        plain = scan(text)
    assert (fast.items, fast.comments, fast.heredocs, fast.unterminated) == (
        plain.items,
        plain.comments,
        plain.heredocs,
        plain.unterminated,
    )
