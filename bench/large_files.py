"""What a large file costs the editor: the first analysis of a buffer, and one edit in it.

For each size (KiB) and two contents — ``quiet``: variables, no finding; ``dense``: public
buckets, about seven findings a bucket — a separate process opens the file as the editor's
engine does (incremental rules, the file as an unsaved buffer, no size limit), analyses it,
changes one value and analyses again. It prints both times and the process's peak memory:
what ``maxFileKiB`` (the editor's size limit) has to keep under 2 s and 500 MB.

    python bench/large_files.py [--sizes 64,128,256,512,1024]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONTENTS = {
    "quiet": 'variable "v{i}" {{\n  type    = string\n  default = "value-{i}"\n}}\n\n',
    "dense": (
        'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "acme-{i}"\n  acl    = "public-read"\n'
        "}}\n\n"
    ),
}


def text_of(kind: str, size: int) -> str:
    parts: list[str] = []
    total = i = 0
    while total < size:
        part = CONTENTS[kind].format(i=i)
        parts.append(part)
        total += len(part)
        i += 1
    return "".join(parts)


def measure(kind: str, kib: int) -> dict[str, float]:
    """In this process: one file of ``kib`` KiB of ``kind``, analysed, edited, analysed."""
    from tfguard.engine import Engine

    text = text_of(kind, kib * 1024)
    with tempfile.TemporaryDirectory(prefix="tfguard-large-") as tmp:
        path = Path(tmp) / "big.tf"
        path.write_text("", encoding="utf-8")
        engine = Engine()
        engine.incremental = True  # as the editor's engine
        engine.set_overlay(str(path), text)
        started = time.perf_counter()
        findings = len(engine.analyze_module(tmp).all_findings())
        first = time.perf_counter() - started
        edited = text.replace('"value-7"', '"value-7x"', 1).replace('"acme-7"', '"acme-7x"', 1)
        engine.set_overlay(str(path), edited)
        started = time.perf_counter()
        engine.analyze_module(tmp)
        edit = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"findings": findings, "first_s": first, "edit_s": edit, "peak_mib": peak}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="64,128,256,512,1024")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # kind:kib, in a child process
    args = parser.parse_args()
    if args.one:
        kind, kib = args.one.split(":")
        print(json.dumps(measure(kind, int(kib))))
        return 0
    print(
        f"{'content':<8} {'KiB':>6} {'findings':>9} {'first analysis':>15} {'an edit':>9} "
        f"{'peak':>9}"
    )
    for kind in CONTENTS:
        for kib in (int(s) for s in args.sizes.split(",")):
            done = subprocess.run(
                [sys.executable, __file__, "--one", f"{kind}:{kib}"],
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(done.stdout)
            print(
                f"{kind:<8} {kib:>6} {figures['findings']:>9.0f} {figures['first_s']:>13.2f} s "
                f"{figures['edit_s']:>7.2f} s {figures['peak_mib']:>5.0f} MiB"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
