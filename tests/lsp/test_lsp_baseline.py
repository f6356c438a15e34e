"""The baseline named in .tfguard.hcl applies in the editor too: a baselined finding is not
published, a new one is, and edits that move the accepted finding keep it hidden."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from tfguard.cli import main

from .helpers import change_doc, open_doc, running_server, tracked, wait_for_publish

RULE = "aws-ec2-no-public-ingress"
SSH = (
    'resource "aws_security_group_rule" "ssh" {\n'
    '  type              = "ingress"\n'
    '  security_group_id = "sg-123"\n'
    "  from_port         = 22\n"
    "  to_port           = 22\n"
    '  protocol          = "tcp"\n'
    '  cidr_blocks       = ["0.0.0.0/0"]\n'
    "}\n"
)
RDP = SSH.replace('"ssh"', '"rdp"').replace("= 22", "= 3389")


def write_baseline(root: Path) -> None:
    with contextlib.redirect_stderr(io.StringIO()):
        code = main(["scan", str(root), "--write-baseline", str(root / "tfguard-baseline.json")])
    assert code == 0


async def test_a_baselined_finding_is_not_published(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    main_tf = root / "main.tf"
    main_tf.write_text(SSH)
    write_baseline(root)  # accepts the SSH rule
    (root / ".tfguard.hcl").write_text('baseline = "tfguard-baseline.json"\n')
    main_tf.write_text(SSH + RDP)

    options = {"workspaceScan": False, "debounceMs": 0}
    async with running_server(root, init_options=options) as (client, _):
        uri = open_doc(client, main_tf)
        first = await wait_for_publish(client, uri, version=1)
        (diag,) = tracked(first.diagnostics)  # the RDP rule only
        assert diag.code == RULE
        assert diag.range.start.line == 14  # cidr_blocks of the second block

        # ten lines above both blocks: the accepted finding moved, and stays hidden
        version = change_doc(client, uri, "# notes\n" * 10 + SSH + RDP)
        second = await wait_for_publish(client, uri, version=version)
        assert [(d.code, d.range.start.line) for d in tracked(second.diagnostics)] == [(RULE, 24)]

        # without the setting, both are published
        (root / ".tfguard.hcl").write_text("")
        version = change_doc(client, uri, SSH + RDP)
        third = await wait_for_publish(client, uri, version=version)
        assert sorted(d.range.start.line for d in tracked(third.diagnostics)) == [6, 14]
