"""Open, change, close over stdio: pushed diagnostics with versions and every field."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from .helpers import (
    change_doc,
    close_doc,
    codes,
    copy_workspace,
    open_doc,
    position_of,
    running_server,
    tracked,
    wait_for_publish,
)

RULE = "aws-ec2-no-public-ingress"


async def test_open_change_close_push(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    sg = root / "network" / "sg.tf"
    async with running_server(root, init_options={"workspaceScan": False}) as (client, result):
        assert result.capabilities.diagnostic_provider is None  # push client: no pull
        uri = open_doc(client, sg)
        first = await wait_for_publish(client, uri, version=1)
        assert codes(first.diagnostics) == [RULE]
        (diag,) = tracked(first.diagnostics)
        text = sg.read_text()
        assert diag.range.start == position_of(text, "cidr_blocks")
        assert diag.range.end == position_of(
            text, "[var.admin_cidr]", offset=len("[var.admin_cidr]")
        )
        assert diag.severity == types.DiagnosticSeverity.Error  # critical
        assert diag.source == "tfguard"
        assert diag.code_description is not None
        assert diag.code_description.href.endswith(f"{RULE}.md")
        assert isinstance(diag.data, dict)
        assert diag.data["ruleId"] == RULE
        assert diag.data["path"] == str(sg)
        # innermost first: the attribute, the ingress block, the resource header
        assert diag.data["scopeLines"] == [8, 4, 0]
        assert diag.data["address"] == "aws_security_group.bastion"

        count = len(client.published)
        fixed = text.replace("[var.admin_cidr]", '["10.0.0.0/8"]')
        version = change_doc(client, uri, fixed)
        second = await wait_for_publish(client, uri, version=version, since=count)
        assert codes(second.diagnostics) == []

        count = len(client.published)
        close_doc(client, uri)
        cleared = await wait_for_publish(client, uri, since=count)
        assert codes(cleared.diagnostics) == [] and cleared.version is None


async def test_related_information_points_at_the_bucket(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    controls = root / "storage" / "controls.tf"
    async with running_server(root, "emacs-eglot-29.1", init_options={"workspaceScan": False}) as (
        client,
        _,
    ):
        uri = open_doc(client, controls)
        published = await wait_for_publish(client, uri, version=1)
        (diag,) = tracked(published.diagnostics)
        assert diag.code == "aws-s3-no-public-acl"
        assert diag.severity == types.DiagnosticSeverity.Error  # high
        assert diag.related_information is not None
        (related,) = diag.related_information
        assert related.location.uri == (root / "storage" / "buckets.tf").as_uri()
        assert related.location.range.start == types.Position(line=0, character=0)
        assert "aws_s3_bucket.reports" in related.message


async def test_syntax_errors_are_diagnostics(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    broken = root / "broken" / "main.tf"
    async with running_server(root, init_options={"workspaceScan": False}) as (client, _):
        uri = open_doc(client, broken)
        published = await wait_for_publish(client, uri, version=1)
        (diag,) = tracked(published.diagnostics)
        assert diag.code == "syntax"
        assert diag.severity == types.DiagnosticSeverity.Error
        assert diag.range.start == position_of(broken.read_text(), '"unterminated')
