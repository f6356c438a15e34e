"""Parse cost of a generated 5,000-line file: cold, and after a one-character edit.

    python bench/parse_cost.py [--runs N]

Prints medians over N runs. "cold" clears the block cache first (every block is parsed);
"edit" changes one character inside one block of an already analysed text, which is what
happens on a keystroke; "newline" inserts a line near the top (every later block moves: all
cache hits). "module" is the whole engine (parse + index + all rules) on the same edit.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

from tfguard.document import ParsedFile, clear_cache
from tfguard.engine import Engine

BLOCK = """resource "aws_security_group" "sg{i}" {{
  name        = "sg-{i}"
  description = "service {i}"
  vpc_id      = aws_vpc.main.id

  ingress {{
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"] # internal only
  }}

  tags = {{
    Name  = "sg-{i}"
    Owner = local.owner
  }}
}}

"""


def generate(lines: int = 5000) -> str:
    out: list[str] = []
    i = 0
    while sum(s.count("\n") for s in out) < lines:
        out.append(BLOCK.format(i=i))
        i += 1
    return "".join(out)


def median_ms(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    text = generate()
    ParsedFile("warmup.tf", 'variable "x" {}\n')  # build the grammar outside the timings

    def cold() -> None:
        clear_cache()
        ParsedFile("main.tf", text)

    counter = iter(range(10**9))

    def edit() -> None:
        n = next(counter)
        edited = text.replace('"service 100"', f'"service 100{n % 10}"', 1)
        ParsedFile("main.tf", edited, original)

    def newline() -> None:
        n = next(counter)
        ParsedFile("main.tf", ("\n" * (n % 5 + 1)) + text, original)

    def edit_full_rescan() -> None:
        n = next(counter)
        ParsedFile("main.tf", text.replace('"service 100"', f'"service 100{n % 10}"', 1))

    cold_ms = median_ms(cold, args.runs)
    original = ParsedFile("main.tf", text)
    edit_ms = median_ms(edit, args.runs * 3)
    newline_ms = median_ms(newline, args.runs * 3)
    rescan_ms = median_ms(edit_full_rescan, args.runs * 3)

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "main.tf")
        with open(path, "w") as handle:
            handle.write(text)
        engine = Engine()
        engine.analyze(path)

        def module_edit() -> None:
            n = next(counter)
            engine.set_overlay(path, text.replace('"service 7"', f'"service 7{n % 10}"', 1))
            engine.analyze(path)

        module_ms = median_ms(module_edit, args.runs * 3)

    lines = text.count("\n")
    print(f"file: {lines} lines, {len(text)} characters, {text.count('resource ')} blocks")
    print(f"cold parse (median of {args.runs}):        {cold_ms:8.1f} ms")
    print(
        f"one-character edit (median of {args.runs * 3}): {edit_ms:8.1f} ms  "
        f"({edit_ms / cold_ms:.1%} of cold)"
    )
    print(
        f"newline at the top (median of {args.runs * 3}): {newline_ms:8.1f} ms  "
        f"({newline_ms / cold_ms:.1%} of cold)"
    )
    print(f"edit, whole text rescanned (median):     {rescan_ms:8.1f} ms")
    print(f"engine analysis after an edit (median):  {module_ms:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
