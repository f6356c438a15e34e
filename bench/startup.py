"""Start-up: what a pre-commit hook and an editor's first diagnostics wait for.

Times, as separate processes (median of ``--runs``, with the fastest and slowest):

- ``tfguard --version`` (``python -m tfguard --version``, and the console script if one is
  installed beside this Python);
- ``tfguard scan one.tf``: process start → the findings of one 30-line file, with the user's
  cache folder empty (``XDG_CACHE_HOME`` pointed at a new folder: nothing built before helps);
- ``tfguard lsp``: process start → ``publishDiagnostics`` for the same file.

A baseline in the same run: ``python -c pass`` (the interpreter alone).

    python bench/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from lspclient import Client

ONE_FILE = """terraform {
  required_version = ">= 1.6"
}

variable "cidr" {
  type    = string
  default = "0.0.0.0/0"
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket_acl" "logs" {
  bucket = aws_s3_bucket.logs.id
  acl    = "public-read"
}

resource "aws_security_group" "web" {
  description = "web"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.cidr]
  }
}
"""


def timed(command: list[str], runs: int, env: dict[str, str] | None = None) -> list[float]:
    out: list[float] = []
    for _ in range(runs):
        fresh = tempfile.mkdtemp(prefix="tfguard-startup-cache-")
        started = time.perf_counter()
        subprocess.run(
            command,
            env={**(env or os.environ), "XDG_CACHE_HOME": fresh},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        out.append(time.perf_counter() - started)
    return out


async def lsp_first(folder: Path, path: Path) -> float:
    client = Client({"debounceMs": 0, "workspaceScan": False})
    started = time.perf_counter()
    await client.start()
    await client.initialize(folder)
    client.open(path, path.read_text(encoding="utf-8"))
    arrived = await client.published_at(path.as_uri(), 1)
    await client.stop()
    return arrived - started


def shown(name: str, values: list[float]) -> None:
    print(
        f"{name:<44} median {statistics.median(values) * 1000:6.0f} ms  "
        f"({min(values) * 1000:.0f}–{max(values) * 1000:.0f} ms)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tfguard-startup-") as tmp:
        folder = Path(tmp)
        one = folder / "one.tf"
        one.write_text(ONE_FILE, encoding="utf-8")
        python = sys.executable
        shown("python -c pass (the interpreter alone)", timed([python, "-c", "pass"], args.runs))
        shown(
            "python -m tfguard --version", timed([python, "-m", "tfguard", "--version"], args.runs)
        )
        script = Path(python).with_name("tfguard")
        if script.exists():
            shown(
                "tfguard --version (console script)", timed([str(script), "--version"], args.runs)
            )
        scan = [python, "-m", "tfguard", "scan", "--no-cache", str(one)]
        shown("tfguard scan one.tf (start → findings)", timed(scan, args.runs))
        firsts = []
        for _ in range(max(3, args.runs // 3)):
            env_cache = tempfile.mkdtemp(prefix="tfguard-startup-cache-")
            os.environ["XDG_CACHE_HOME"] = env_cache
            firsts.append(asyncio.run(lsp_first(folder, one)))
        shown("tfguard lsp (start → first diagnostics)", firsts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
