"""Time and peak memory of one analysis of inputs built to exhaust the parser.

    python bench/hostile_inputs.py [--runs N]

Each case is a module of one file, analysed by a fresh ``tfguard scan`` in its own process;
the figures are the median wall time and peak RSS over N runs, including the interpreter's
start (measured alone as "empty"). Hostile inputs must stay within the budgets below; the
50,000-line file of ordinary blocks is the baseline they compare with.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

from tfguard.hclparse import MAX_BLOCK_CHARS, MAX_BLOCK_TOKENS, MAX_LINE_CHARS, MAX_NESTING

BUDGET_SECONDS = 5.0
BUDGET_MB = 500

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from parse_cost import generate  # noqa: E402

KMS = 'resource "aws_kms_key" "k" {\n  description = "k"\n}\n'


def one_line_list() -> str:
    return "locals { x = [" + ",".join(["1"] * 2_500_000) + "] }\n"


def nesting() -> str:
    return "locals {\n  x = " + "[" * 5000 + "]" * 5000 + "\n}\n"


def under_the_token_limit() -> str:
    # The densest block still analysed: ~20 tokens a line, just under the token limit.
    rows = "  1, 2, 3, 4, 5, 6, 7, 8, 9, 10,\n" * (MAX_BLOCK_TOKENS // 21 - 10)
    return "locals {\n  x = [\n" + rows + "  ]\n}\n"


def longest_line() -> str:
    # A long string (a few tokens): the token limit would refuse a line of short values first.
    return 'locals {\n  x = "' + "abc " * (MAX_LINE_CHARS // 4 - 10) + '"\n}\n'


def large_heredoc() -> str:
    line = "echo one two three four five six seven eight nine ten\n"
    body = line * (MAX_BLOCK_CHARS // len(line) - 10)
    return 'resource "aws_instance" "i" {\n  user_data = <<-EOT\n' + body + "  EOT\n}\n"


def unclosed_blocks() -> str:
    # Blocks whose closing brace never comes: each is cut before the next keyword line.
    return 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n' * 20_000


def nesting_at_the_limit() -> str:
    e = "[for v in " * MAX_NESTING + "1" + " : v]" * MAX_NESTING
    return f'locals {{\n  x = {e}\n}}\noutput "o" {{\n  value = local.x\n}}\n'


CASES: dict[str, tuple[Callable[[], str], bool]] = {
    # name: (text, hostile: held to the budgets)
    "empty module (interpreter, rules)": (lambda: "", False),
    "5 MB list on one line": (one_line_list, True),
    "5,000 levels of nesting": (nesting, True),
    f"line of {MAX_LINE_CHARS:,} characters": (longest_line, True),
    f"block just under {MAX_BLOCK_TOKENS:,} tokens": (under_the_token_limit, True),
    f"heredoc block just under {MAX_BLOCK_CHARS:,} characters": (large_heredoc, True),
    f"for expressions nested {MAX_NESTING} deep": (nesting_at_the_limit, True),
    "20,000 blocks never closed": (unclosed_blocks, True),
    "50,000-line file of ordinary blocks": (lambda: generate(50_000), False),
}


def measure(text: str, runs: int) -> tuple[float, float, int]:
    """Median seconds and peak RSS (MB) of ``tfguard scan`` on a module of ``text``, and the
    number of syntax findings."""
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "main.tf"), "w", encoding="utf-8") as handle:
            handle.write(KMS + text)
        report = os.path.join(folder, "report.json")
        seconds: list[float] = []
        rss: list[float] = []
        for _ in range(runs):
            start = time.perf_counter()
            with open(report, "w") as out:
                child = subprocess.Popen(
                    [sys.executable, "-m", "tfguard", "scan", "--format", "json", "main.tf"],
                    cwd=folder,
                    stdout=out,
                    stderr=subprocess.DEVNULL,
                )
                # wait4: the resource usage of this child alone (its peak RSS, in kB).
                _, status, usage = os.wait4(child.pid, 0)
                child.returncode = os.waitstatus_to_exitcode(status)
            seconds.append(time.perf_counter() - start)
            rss.append(usage.ru_maxrss / 1024)
        with open(report) as handle:
            syntax = handle.read().count('"rule": "syntax"')
        return statistics.median(seconds), statistics.median(rss), syntax


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"budgets for hostile inputs: {BUDGET_SECONDS:.0f} s, {BUDGET_MB} MB peak RSS")
    print(f"{'case':48} {'seconds':>8} {'peak MB':>8}  syntax findings")
    over = []
    for name, (make, hostile) in CASES.items():
        seconds, mb, syntax = measure(make(), args.runs)
        mark = ""
        if hostile and (seconds > BUDGET_SECONDS or mb > BUDGET_MB):
            mark = "  OVER BUDGET"
            over.append(name)
        print(f"{name:48} {seconds:8.2f} {mb:8.0f}  {syntax}{mark}")
    print("all hostile inputs within budget" if not over else f"over budget: {', '.join(over)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
