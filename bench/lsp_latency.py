"""Latency of ``tfguard lsp`` as an editor sees it.

Drives the server over stdio like an editor: opens a generated 5,000-line module file and two
sibling files, then types single characters inside one block (debounce 0) and measures the
time from each ``didChange`` to the ``publishDiagnostics`` for that version. Prints p50, p95
and max, the time to first diagnostics, and the server's memory.

    python bench/lsp_latency.py [--lines 5000] [--edits 200]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

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


class BenchClient(LanguageClient):
    def __init__(self) -> None:
        super().__init__("tfguard-bench", "1")
        self.published: dict[tuple[str, int | None], float] = {}
        self.arrived = asyncio.Event()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def rss_kib(pid: int) -> tuple[int, int]:
    fields: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0])
    except OSError:
        return (0, 0)
    return fields.get("VmRSS", 0), fields.get("VmHWM", 0)


async def wait_published(client: BenchClient, uri: str, version: int, timeout: float = 30) -> float:
    deadline = time.perf_counter() + timeout
    while (uri, version) not in client.published:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise TimeoutError(f"no diagnostics for {uri} version {version}")
        client.arrived.clear()
        try:
            await asyncio.wait_for(client.arrived.wait(), remaining)
        except asyncio.TimeoutError:
            continue
    return client.published[(uri, version)]


async def run(lines: int, edits: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="tfguard-bench-") as tmp:
        root = Path(tmp)
        main, siblings = generate_module(root, lines)
        text = main.read_text(encoding="utf-8")
        client = BenchClient()

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_publish(params: types.PublishDiagnosticsParams) -> None:
            client.published.setdefault((params.uri, params.version), time.perf_counter())
            client.arrived.set()

        started = time.perf_counter()
        await client.start_io(sys.executable, "-m", "tfguard", "lsp", "--log-level", "warning")
        assert client._server is not None
        pid = client._server.pid
        await client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(),
                root_uri=root.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="bench")],
                initialization_options={"debounceMs": 0, "workspaceScan": False},
            )
        )
        client.initialized(types.InitializedParams())
        ready = time.perf_counter()

        uri = main.as_uri()
        opened = time.perf_counter()
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="terraform", version=1, text=text
                )
            )
        )
        first = await wait_published(client, uri, 1)
        for sibling in siblings:
            client.text_document_did_open(
                types.DidOpenTextDocumentParams(
                    text_document=types.TextDocumentItem(
                        uri=sibling.as_uri(),
                        language_id="terraform",
                        version=1,
                        text=sibling.read_text(encoding="utf-8"),
                    )
                )
            )
            await wait_published(client, sibling.as_uri(), 1)

        index = text.index(MARKER)
        line = text.count("\n", 0, index)
        column = index - (text.rfind("\n", 0, index) + 1) + len(MARKER)
        latencies: list[float] = []
        for number in range(edits):
            version = number + 2
            at = types.Position(line=line, character=column + number)
            sent = time.perf_counter()
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[
                        types.TextDocumentContentChangePartial(
                            range=types.Range(start=at, end=at), text="abcdefghij"[number % 10]
                        )
                    ],
                )
            )
            latencies.append((await wait_published(client, uri, version)) - sent)
        rss, peak = rss_kib(pid)
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()
        ms = [v * 1000 for v in latencies]
        return {
            "lines": float(text.count("\n")),
            "startup_ms": (ready - started) * 1000,
            "first_ms": (first - opened) * 1000,
            "first_from_start_ms": (first - started) * 1000,
            "p50": statistics.median(ms),
            "p95": percentile(ms, 0.95),
            "max": max(ms),
            "mean": statistics.fmean(ms),
            "rss_mib": rss / 1024,
            "peak_mib": peak / 1024,
        }


def engine_only(lines: int, edits: int) -> dict[str, float]:
    """The same edits straight into the engine, in process: what the server adds is the rest."""
    from tfguard.engine import Engine

    with tempfile.TemporaryDirectory(prefix="tfguard-bench-") as tmp:
        root = Path(tmp)
        main, _ = generate_module(root, lines)
        text = main.read_text(encoding="utf-8")
        engine = Engine()
        engine.set_overlay(str(main), text)
        findings = len(engine.analyze_module(str(root)).all_findings())
        at = text.index(MARKER) + len(MARKER)
        times: list[float] = []
        for number in range(edits):
            text = text[: at + number] + "abcdefghij"[number % 10] + text[at + number :]
            engine.set_overlay(str(main), text)
            started = time.perf_counter()
            engine.analyze_module(str(root))
            times.append((time.perf_counter() - started) * 1000)
        return {
            "p50": statistics.median(times),
            "p95": percentile(times, 0.95),
            "findings": float(findings),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=200)
    args = parser.parse_args()
    figures = asyncio.run(run(args.lines, args.edits))
    engine = engine_only(args.lines, args.edits)
    print(
        f"module: main.tf with {figures['lines']:.0f} lines + 2 sibling files, "
        f"{engine['findings']:.0f} findings, debounce 0"
    )
    print(f"server start → initialized:          {figures['startup_ms']:8.1f} ms")
    print(f"didOpen → first diagnostics:         {figures['first_ms']:8.1f} ms")
    print(f"process start → first diagnostics:   {figures['first_from_start_ms']:8.1f} ms")
    print(
        f"didChange → publishDiagnostics over {args.edits} single-character edits: "
        f"p50 {figures['p50']:.1f} ms, p95 {figures['p95']:.1f} ms, "
        f"max {figures['max']:.1f} ms (mean {figures['mean']:.1f} ms)"
    )
    print(
        f"engine alone (Engine.analyze_module, same edits, in process): "
        f"p50 {engine['p50']:.1f} ms, p95 {engine['p95']:.1f} ms "
        f"→ language-server overhead at p50 ≈ {figures['p50'] - engine['p50']:.1f} ms"
    )
    print(f"server RSS: {figures['rss_mib']:.1f} MiB (peak {figures['peak_mib']:.1f} MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
