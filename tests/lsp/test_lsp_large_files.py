"""A file over the editor's size limit is not analysed in the editor (one information
diagnostic says so, and the rest of the module still is), while a scan analyses it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tfguard.config import Settings
from tfguard.engine import TOO_LARGE_RULE_ID, Engine
from tfguard.lsp.settings import DEFAULT_MAX_FILE_KIB, parse_settings

from .helpers import open_doc, running_server, wait_for_publish

BUCKET = (
    'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "acme-{i}"\n  acl    = "public-read"\n}}\n\n'
)


def _big_module(size: int) -> str:
    parts: list[str] = []
    total = 0
    i = 0
    while total < size:
        part = BUCKET.format(i=i)
        parts.append(part)
        total += len(part)
        i += 1
    return "".join(parts)


async def test_a_10_mb_buffer_gets_one_notice_and_the_module_its_findings(tmp_path: Path) -> None:
    big = tmp_path / "generated.tf"
    big.write_text("", encoding="utf-8")
    main = tmp_path / "main.tf"
    main.write_text('resource "aws_s3_bucket" "logs" {\n  acl = "public-read"\n}\n')
    text = _big_module(10 * 1024 * 1024)
    async with running_server(tmp_path, init_options={"workspaceScan": False}) as (client, _):
        uri = open_doc(client, big, text=text)
        # A hang guard, not a speed assertion: a 10 MB buffer once took minutes and 1 GB.
        published = await wait_for_publish(client, uri, version=1, timeout=60)
        assert [(d.code, d.severity, d.range.start.line) for d in published.diagnostics] == [
            (TOO_LARGE_RULE_ID, 3, 0)  # 3: information
        ]
        message = published.diagnostics[0].message
        assert "10.0 MiB" in message and f"the {DEFAULT_MAX_FILE_KIB} KiB" in message
        assert "tfguard scan" in message and "maxFileKiB" in message
        other = open_doc(client, main)
        published = await wait_for_publish(client, other, version=1, timeout=60)
        assert "aws-s3-no-public-acl" in {d.code for d in published.diagnostics}


def test_the_limit_is_an_editor_setting_and_a_scan_analyses_the_file(tmp_path: Path) -> None:
    text = _big_module(2 * 1024 * 1024)
    (tmp_path / "big.tf").write_text(text, encoding="utf-8")
    editor = Engine(Settings(max_file_bytes=1024 * 1024))
    found = editor.analyze_module(str(tmp_path)).all_findings()
    assert [f.rule_id for f in found] == [TOO_LARGE_RULE_ID]
    raised = Engine(Settings(max_file_bytes=4 * 1024 * 1024))
    assert TOO_LARGE_RULE_ID not in {
        f.rule_id for f in raised.analyze_module(str(tmp_path)).all_findings()
    }
    scan = subprocess.run(
        [sys.executable, "-m", "tfguard", "scan", "--format", "json", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert scan.returncode == 1, scan.stderr
    assert scan.stdout.count('"aws-s3-no-public-acl"') > 1000
    assert TOO_LARGE_RULE_ID not in scan.stdout


def test_the_setting_is_validated() -> None:
    settings, problems = parse_settings({"maxFileKiB": 4096}, lambda name: name)
    assert settings.max_file_kib == 4096 and problems == []
    for bad in (0, -1, 1.5, "big", True, 10**9):
        settings, problems = parse_settings({"maxFileKiB": bad}, lambda name: name)
        assert settings.max_file_kib == DEFAULT_MAX_FILE_KIB
        assert len(problems) == 1 and problems[0].startswith("maxFileKiB")


def test_a_file_with_too_many_findings_shows_the_first_ones_and_says_so(tmp_path: Path) -> None:
    from tfguard.lsp.analysis import MAX_DIAGNOSTICS_PER_FILE, TOO_MANY_RULE_ID, EngineHost

    text = "".join(BUCKET.format(i=i) for i in range(MAX_DIAGNOSTICS_PER_FILE // 2))
    path = tmp_path / "main.tf"
    path.write_text(text, encoding="utf-8")
    everything = Engine().analyze_module(str(tmp_path)).findings[str(path)]
    assert len(everything) > MAX_DIAGNOSTICS_PER_FILE  # several findings a bucket
    outcome = EngineHost(Engine).analyze(str(tmp_path)).files[str(path)]
    assert len(outcome.diagnostics) == len(outcome.findings) == MAX_DIAGNOSTICS_PER_FILE + 1
    notice = outcome.findings[-1]
    assert notice.rule_id == TOO_MANY_RULE_ID and outcome.diagnostics[-1].code == TOO_MANY_RULE_ID
    hidden = len(everything) - MAX_DIAGNOSTICS_PER_FILE
    assert (
        f"{len(everything):,} findings" in notice.message
        and f"the {hidden:,} after" in notice.message
    )
    shown = sorted(everything, key=lambda f: f.sort_key())[:MAX_DIAGNOSTICS_PER_FILE]
    assert list(outcome.findings[:-1]) == shown  # the first ones, in the file's order
