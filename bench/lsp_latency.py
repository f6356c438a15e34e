"""Latency of ``tfguard lsp`` as an editor sees it.

Drives the server over stdio like an editor (:mod:`lspclient`, which times a notification
when its bytes arrive), opens the files of a generated workspace, then types single
characters inside one block (debounce 0) and measures the time from each ``didChange`` to the
``publishDiagnostics`` for that version. Prints p50, p95 and max, the time to first
diagnostics and the server's memory, and next to them the same edits straight into the engine
in this process (what the server adds is the rest: the protocol, converting and sending the
diagnostics). Every rule pack that is installed is loaded (the count is printed). Shapes:

- ``mixed``: one 5,000-line file of security groups, buckets with their companion resources
  and KMS keys, a few percent insecure, and two sibling files;
- ``dense``: 140 security groups open to the internet and 140 buckets without their companion
  resources (about 1,000 findings in one 5,000-line file), typing in a security group;
- ``workspace``: a root module calling three local modules, 13 files in 4 directories, all
  open, typing in a security group of a called module.

    python bench/lsp_latency.py [--shape mixed|dense|workspace|all] [--lines 5000] [--edits 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from lspclient import Client, percentile, rss_kib

MARKER = "typing happens here"


def _security_group(i: int, open_to_world: bool) -> str:
    cidr = '"0.0.0.0/0"' if open_to_world else f'"10.{i % 250}.0.0/16"'
    return f"""resource "aws_security_group" "sg_{i}" {{
  name        = "sg-{i}"
  description = "service {i}"
  vpc_id      = var.vpc_id

  ingress {{
    description = "https"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [{cidr}]
  }}

  egress {{
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.0.0.0/8"]
  }}

  tags = local.common_tags
}}

"""


def _bucket(i: int, public: bool) -> str:
    """A bucket with the companion resources a well-kept module has (an insecure one has a
    public ACL and lacks the public access block)."""
    acl = "public-read" if public else "private"
    name = f"data_{i}"
    block = (
        ""
        if public
        else f"""resource "aws_s3_bucket_public_access_block" "{name}" {{
  bucket                  = aws_s3_bucket.{name}.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}}

"""
    )
    return f"""resource "aws_s3_bucket" "{name}" {{
  bucket = "acme-data-{i}"
  tags   = local.common_tags
}}

resource "aws_s3_bucket_acl" "{name}" {{
  bucket = aws_s3_bucket.{name}.id
  acl    = "{acl}"
}}

resource "aws_s3_bucket_versioning" "{name}" {{
  bucket = aws_s3_bucket.{name}.id
  versioning_configuration {{
    status = "Enabled"
  }}
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "{name}" {{
  bucket = aws_s3_bucket.{name}.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }}
  }}
}}

resource "aws_s3_bucket_logging" "{name}" {{
  bucket        = aws_s3_bucket.{name}.id
  target_bucket = var.log_bucket
  target_prefix = "{name}/"
}}

{block}"""


def _kms_key(i: int, rotation: bool) -> str:
    return f"""resource "aws_kms_key" "key_{i}" {{
  description             = "key {i}"
  deletion_window_in_days = 30
  enable_key_rotation     = {"true" if rotation else "false"}
}}

"""


def generate_module(directory: Path, lines: int) -> tuple[Path, list[Path]]:
    """main.tf of about ``lines`` lines (a few percent insecure) plus two sibling files."""
    parts: list[str] = []
    count = 0
    i = 0
    middle_done = False
    while count < lines:
        kind = i % 3
        insecure = i % 17 == 0
        if kind == 0:
            block = _security_group(i, insecure)
        elif kind == 1:
            block = _bucket(i, insecure)
        else:
            block = _kms_key(i, not insecure)
        if not middle_done and count >= lines // 2 and kind == 0:
            block = block.replace(f'"service {i}"', f'"{MARKER}"', 1)
            middle_done = True
        parts.append(block)
        count += block.count("\n")
        i += 1
    main = directory / "main.tf"
    main.write_text("".join(parts), encoding="utf-8")
    variables = directory / "variables.tf"
    variables.write_text(
        'variable "vpc_id" {\n  type    = string\n  default = "vpc-0123"\n}\n\n'
        'variable "kms_key_arn" {\n  type = string\n}\n\n'
        'variable "log_bucket" {\n  type = string\n}\n',
        encoding="utf-8",
    )
    locals_file = directory / "locals.tf"
    locals_file.write_text(
        'locals {\n  common_tags = {\n    team  = "platform"\n    owner = "security"\n  }\n}\n',
        encoding="utf-8",
    )
    return main, [variables, locals_file]


@dataclass(frozen=True)
class Shape:
    name: str
    description: str
    root: Path
    opened: list[Path]  # in the order they are opened; the first is typed in
    marker: str  # typing happens right after this text


def _open_group(i: int, marker: bool) -> str:
    description = MARKER if marker else f"service {i}"
    return f"""resource "aws_security_group" "sg_{i}" {{
  name        = "sg-{i}"
  description = "{description}"
  vpc_id      = var.vpc_id

  ingress {{
    description = "SSH for the operators"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }}

  egress {{
    description = "everything"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }}

  tags = {{
    Name = "sg-{i}"
  }}
}}

"""


def _lone_bucket(i: int) -> str:
    return f"""resource "aws_s3_bucket" "data_{i}" {{
  bucket        = "acme-data-{i}"
  force_destroy = false

  tags = {{
    Name        = "acme-data-{i}"
    Team        = "platform"
    Environment = "production"
    CostCenter  = "cc-{i}"
  }}
}}

"""


VARIABLES = (
    'variable "vpc_id" {\n  type    = string\n  default = "vpc-0123"\n}\n\n'
    'variable "kms_key_arn" {\n  type = string\n}\n\n'
    'variable "log_bucket" {\n  type = string\n}\n'
)
LOCALS = 'locals {\n  common_tags = {\n    team  = "platform"\n    owner = "security"\n  }\n}\n'


def generate(shape: str, root: Path, lines: int) -> Shape:
    if shape == "mixed":
        main, siblings = generate_module(root, lines)
        return Shape(
            shape,
            f"main.tf of {lines} lines (a few percent insecure) + 2 sibling files",
            root,
            [main, *siblings],
            MARKER,
        )
    if shape == "dense":
        parts = [_open_group(i, i == 70) + _lone_bucket(i) for i in range(140)]
        main = root / "main.tf"
        main.write_text("".join(parts), encoding="utf-8")
        (root / "variables.tf").write_text(VARIABLES, encoding="utf-8")
        return Shape(
            shape,
            f"main.tf of {sum(p.count(chr(10)) for p in parts)} lines: 140 open security "
            "groups, 140 buckets without companions + variables.tf",
            root,
            [main, root / "variables.tf"],
            MARKER,
        )
    if shape == "workspace":
        return _workspace(root)
    raise ValueError(f"unknown shape {shape!r}")


def _workspace(root: Path) -> Shape:
    """A root module calling three local modules (network, storage, keys)."""
    files: dict[str, str] = {}
    network = [_security_group(i, i % 9 == 0) for i in range(40)]
    network[20] = network[20].replace('"service 20"', f'"{MARKER}"', 1)
    files["modules/network/main.tf"] = "".join(network)
    files["modules/network/variables.tf"] = 'variable "vpc_id" {\n  type = string\n}\n'
    files["modules/network/outputs.tf"] = (
        'output "web_sg" {\n  value = aws_security_group.sg_0.id\n}\n'
    )
    files["modules/storage/main.tf"] = "".join(_bucket(i, i % 11 == 0) for i in range(30))
    files["modules/storage/variables.tf"] = (
        VARIABLES.split("\n\n", 1)[1]
        + '\nvariable "common_tags" {\n  type    = map(string)\n  default = {}\n}\n'
    )
    files["modules/storage/locals.tf"] = "locals {\n  common_tags = var.common_tags\n}\n"
    files["modules/keys/main.tf"] = "".join(_kms_key(i, i % 7 != 0) for i in range(60))
    files["modules/keys/outputs.tf"] = 'output "key_arn" {\n  value = aws_kms_key.key_1.arn\n}\n'
    files["main.tf"] = (
        'module "network" {\n  source = "./modules/network"\n  vpc_id = var.vpc_id\n}\n\n'
        'module "keys" {\n  source = "./modules/keys"\n}\n\n'
        'module "storage" {\n  source      = "./modules/storage"\n'
        "  kms_key_arn = module.keys.key_arn\n  log_bucket  = var.log_bucket\n"
        "  common_tags = local.common_tags\n}\n"
    )
    files["variables.tf"] = VARIABLES
    files["locals.tf"] = LOCALS
    files["providers.tf"] = (
        'terraform {\n  required_version = ">= 1.6"\n  required_providers {\n'
        '    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.0"\n    }\n'
        '  }\n}\n\nprovider "aws" {\n  region = "eu-west-1"\n}\n'
    )
    files["outputs.tf"] = 'output "web_sg" {\n  value = module.network.web_sg\n}\n'
    opened: list[Path] = []
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        opened.append(path)
    total = sum(t.count("\n") for t in files.values())
    return Shape(
        "workspace",
        f"{len(files)} files in 4 module directories ({total} lines), all open; a root "
        "module calling the three others",
        root,
        opened,
        MARKER,
    )


def _marker_position(text: str, marker: str) -> tuple[int, int]:
    index = text.index(marker)
    line = text.count("\n", 0, index)
    return line, index - (text.rfind("\n", 0, index) + 1) + len(marker)


async def run(shape: Shape, edits: int) -> dict[str, float]:
    client = Client({"debounceMs": 0, "workspaceScan": False})
    started = time.perf_counter()
    await client.start()
    await client.initialize(shape.root)
    ready = time.perf_counter()
    target = shape.opened[0]
    text = target.read_text(encoding="utf-8")
    opened = time.perf_counter()
    client.open(target, text)
    first = await client.published_at(target.as_uri(), 1)
    for sibling in shape.opened[1:]:
        client.open(sibling, sibling.read_text(encoding="utf-8"))
        await client.published_at(sibling.as_uri(), 1)
    await asyncio.sleep(0.5)  # let analyses of callers and the first idle collection finish
    line, column = _marker_position(text, shape.marker)
    latencies: list[float] = []
    for number in range(edits):
        version = number + 2
        sent = time.perf_counter()
        client.insert(target, line, column + number, "abcdefghij"[number % 10], version)
        latencies.append((await client.published_at(target.as_uri(), version)) - sent)
    diagnostics = client.counts.get((target.as_uri(), edits + 1), 0)
    rss, peak = rss_kib(client.pid)
    await client.stop()
    ms = [v * 1000 for v in latencies]
    return {
        "startup_ms": (ready - started) * 1000,
        "first_ms": (first - opened) * 1000,
        "first_from_start_ms": (first - started) * 1000,
        "p50": statistics.median(ms),
        "p95": percentile(ms, 0.95),
        "max": max(ms),
        "mean": statistics.fmean(ms),
        "rss_mib": rss / 1024,
        "peak_mib": peak / 1024,
        "diagnostics": float(diagnostics),
    }


def engine_only(shape: Shape, edits: int, incremental: bool = True) -> dict[str, float]:
    """The same edits straight into the engine, in process: what the server adds is the rest.
    Wall time and the thread's CPU time (less disturbed by other processes)."""
    from tfguard.engine import Engine

    target = shape.opened[0]
    text = target.read_text(encoding="utf-8")
    engine = Engine()
    engine.incremental = incremental  # as the server's engine (True), or a scan's
    for path in shape.opened:
        engine.set_overlay(str(path), path.read_text(encoding="utf-8"))
    directory = str(target.parent)
    findings = len(engine.analyze_module(directory).all_findings())
    line, column = _marker_position(text, shape.marker)
    at = text.index(shape.marker) + len(shape.marker)
    wall: list[float] = []
    cpu: list[float] = []
    for number in range(edits):
        text = text[: at + number] + "abcdefghij"[number % 10] + text[at + number :]
        engine.set_overlay(str(target), text)
        started, started_cpu = time.perf_counter(), time.thread_time()
        engine.analyze_module(directory)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    del line, column
    return {
        "p50": statistics.median(wall),
        "p95": percentile(wall, 0.95),
        "cpu_p50": statistics.median(cpu),
        "cpu_p95": percentile(cpu, 0.95),
        "findings": float(findings),
    }


def rule_packs() -> str:
    from tfguard.rules import registry

    packs = Counter(rule.id.split("-", 1)[0] for rule in registry.all_rules())
    return ", ".join(f"{name} {count}" for name, count in sorted(packs.items()))


def report(shape: Shape, edits: int) -> dict[str, float]:
    figures = asyncio.run(run(shape, edits))
    engine = engine_only(shape, edits)
    whole = engine_only(shape, max(20, edits // 5), incremental=False)
    print(f"[{shape.name}] {shape.description}")
    print(
        f"  {engine['findings']:.0f} findings in the module typed in, "
        f"{figures['diagnostics']:.0f} diagnostics published for the file, debounce 0"
    )
    print(f"  server start → initialized:          {figures['startup_ms']:8.1f} ms")
    print(f"  didOpen → first diagnostics:         {figures['first_ms']:8.1f} ms")
    print(f"  process start → first diagnostics:   {figures['first_from_start_ms']:8.1f} ms")
    print(
        f"  didChange → publishDiagnostics over {edits} single-character edits: "
        f"p50 {figures['p50']:.1f} ms, p95 {figures['p95']:.1f} ms, "
        f"max {figures['max']:.1f} ms (mean {figures['mean']:.1f} ms)"
    )
    print(
        f"  engine alone (Engine.analyze_module, same edits, in process): "
        f"p50 {engine['p50']:.1f} ms, p95 {engine['p95']:.1f} ms "
        f"(CPU p50 {engine['cpu_p50']:.1f} ms, p95 {engine['cpu_p95']:.1f} ms)"
    )
    ratio = whole["cpu_p50"] / engine["cpu_p50"]
    print(
        f"  the same engine re-running every rule (a scan's engine): CPU p50 "
        f"{whole['cpu_p50']:.1f} ms → incremental rules are {ratio:.1f}× cheaper per keystroke"
    )
    print(
        f"  protocol overhead (publish minus engine): p50 {figures['p50'] - engine['p50']:.1f} "
        f"ms, p95 {figures['p95'] - engine['p95']:.1f} ms"
    )
    print(f"  server RSS: {figures['rss_mib']:.1f} MiB (peak {figures['peak_mib']:.1f} MiB)")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=("mixed", "dense", "workspace", "all"), default="all")
    parser.add_argument("--lines", type=int, default=5000, help="lines of the mixed shape")
    parser.add_argument("--edits", type=int, default=200)
    args = parser.parse_args()
    shapes = ("mixed", "dense", "workspace") if args.shape == "all" else (args.shape,)
    print(f"rules loaded: {rule_packs()}")
    for name in shapes:
        with tempfile.TemporaryDirectory(prefix="tfguard-bench-") as tmp:
            report(generate(name, Path(tmp), args.lines), args.edits)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
