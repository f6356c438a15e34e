"""A project policy in .tfguard.hcl runs live in the editor: its diagnostics appear and
disappear as the buffer changes and as the configuration gains or loses the policy."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from .helpers import change_doc, open_doc, running_server, wait_for_publish

POLICY = """policy "acme-s3-owner-tag" {
  title          = "S3 buckets carry an owner tag"
  severity       = "medium"
  resource_types = ["aws_s3_bucket"]
  attribute      = "tags.owner"
  operator       = "exists"
}
"""
UNTAGGED = 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n'
TAGGED = (
    'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n  tags = {\n    owner = "ops"\n  }\n}\n'
)
RULE = "acme-s3-owner-tag"


def policy_lines(diagnostics: list[types.Diagnostic]) -> list[int]:
    return [d.range.start.line for d in diagnostics if d.code == RULE]


async def test_policy_diagnostics_follow_the_buffer_and_the_config(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    config = root / ".tfguard.hcl"
    config.write_text(POLICY)
    main_tf = root / "main.tf"
    main_tf.write_text(UNTAGGED)
    async with running_server(root, init_options={"workspaceScan": False, "debounceMs": 0}) as (
        client,
        _,
    ):
        uri = open_doc(client, main_tf)
        first = await wait_for_publish(client, uri, version=1)
        assert policy_lines(first.diagnostics) == [0]
        [diag] = [d for d in first.diagnostics if d.code == RULE]
        assert diag.severity == types.DiagnosticSeverity.Warning
        assert diag.code_description is not None
        assert diag.code_description.href.endswith(".tfguard.hcl#L1")

        version = change_doc(client, uri, TAGGED)
        second = await wait_for_publish(client, uri, version=version)
        assert policy_lines(second.diagnostics) == []

        version = change_doc(client, uri, "# legacy\n" + UNTAGGED)
        third = await wait_for_publish(client, uri, version=version)
        assert policy_lines(third.diagnostics) == [1]

        # the suppression comment silences it like any rule
        version = change_doc(client, uri, "# tfguard:ignore:acme-s3-owner-tag\n" + UNTAGGED)
        fourth = await wait_for_publish(client, uri, version=version)
        assert policy_lines(fourth.diagnostics) == []
        assert not [d for d in fourth.diagnostics if d.code == "suppression"]

        # the policy leaves the configuration: the finding goes with it
        config.write_text("")
        count = len(client.published)
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]
            )
        )
        version = change_doc(client, uri, UNTAGGED)
        fifth = await wait_for_publish(client, uri, version=version, since=count)
        assert policy_lines(fifth.diagnostics) == []


async def test_a_bad_policy_is_a_diagnostic_on_the_configuration_file(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    config = root / ".tfguard.hcl"
    config.write_text(POLICY.replace('"exists"', '"present"'))
    main_tf = root / "main.tf"
    main_tf.write_text(UNTAGGED)
    async with running_server(root, init_options={"workspaceScan": False, "debounceMs": 0}) as (
        client,
        _,
    ):
        uri = open_doc(client, main_tf)
        await wait_for_publish(client, uri, version=1)
        report = await wait_for_publish(client, config.as_uri())
        [diag] = report.diagnostics
        assert diag.code == "config"
        assert diag.range.start.line == 5 and diag.range.start.character == 19
        assert "unknown operator 'present'" in diag.message
        assert diag.severity == types.DiagnosticSeverity.Error

        config.write_text(POLICY)
        count = len(client.published)
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]
            )
        )
        cleared = await wait_for_publish(client, config.as_uri(), since=count)
        assert list(cleared.diagnostics) == []
        fixed = await wait_for_publish(client, uri, since=count)
        assert policy_lines(fixed.diagnostics) == [0]
