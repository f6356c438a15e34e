"""A file with a byte that is not UTF-8 and a NUL byte: the editor, which receives the file
decoded (U+FFFD for the bad byte), shows the findings ``tfguard scan`` reports for it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tfguard.cli import main

from .helpers import open_doc, running_server, wait_for_publish

DATA = (
    b'resource "aws_security_group_rule" "ssh" {\n'
    b'  type              = "ingress"\n'
    b'  description       = "ssh \xff"\n'
    b'  security_group_id = "sg-123"\n'
    b"  from_port         = 22\n"
    b"  to_port           = 22\n"
    b'  protocol          = "tcp"\n'
    b'  cidr_blocks       = ["0.0.0.0/0"]\x00\n'
    b"}\n"
)


async def test_the_editor_shows_what_the_scan_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "main.tf"
    path.write_bytes(DATA)
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert main(["scan", "--format", "json"]) == 1
    finally:
        os.chdir(old)
    findings = json.loads(capsys.readouterr().out)["findings"]
    scanned = [
        (f["rule"], start["line"] - 1, start["column"] - 1, f["message"])
        for f in findings
        if (start := f["range"]["start"])
    ]
    assert [s[:3] for s in scanned] == [
        ("syntax", 2, 27),
        ("aws-ec2-no-public-ingress", 7, 2),
        ("syntax", 7, 35),
    ]

    async with running_server(tmp_path, init_options={"workspaceScan": False}) as (client, _):
        uri = open_doc(client, path, text=DATA.decode("utf-8", "replace"))
        published = await wait_for_publish(client, uri, version=1)
    shown = sorted(
        (str(d.code), d.range.start.line, d.range.start.character, d.message)
        for d in published.diagnostics
    )
    assert shown == sorted(scanned)
