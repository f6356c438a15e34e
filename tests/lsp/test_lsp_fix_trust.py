"""Fix-all and quick fixes in the editor keep the module valid and say what they change."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from .helpers import apply_edits, open_doc, running_server, wait_for_publish

OPTIONS = {"workspaceScan": False, "debounceMs": 0}

# A log group and a bucket both named "app": both safe fixes declare var.app_kms_key_arn.
SAME_NAME = """\
resource "aws_cloudwatch_log_group" "app" {
  name              = "app"
  retention_in_days = 365
}

resource "aws_s3_bucket" "app" {
  bucket = "app"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "app" {
  bucket = aws_s3_bucket.app.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
"""
VARIABLES = 'variable "region" {\n  type = string\n}\n'
START = types.Range(
    start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
)


async def _actions(client: object, uri: str, only: list[str]) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(  # type: ignore[attr-defined]
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=START,
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )
    assert result is not None
    return [a for a in result if isinstance(a, types.CodeAction)]


async def test_fix_all_declares_a_variable_two_fixes_need_once(tmp_path: Path) -> None:
    module = tmp_path / "ws" / "app"
    module.mkdir(parents=True)
    (module / "main.tf").write_text(SAME_NAME)
    (module / "variables.tf").write_text(VARIABLES)
    rules = {"aws-cloudwatch-log-group-customer-key", "aws-s3-encryption-customer-key"}
    async with running_server(tmp_path / "ws", "vscode-1.65", init_options=OPTIONS) as (
        client,
        _,
    ):
        uri = open_doc(client, module / "main.tf")
        await wait_for_publish(
            client,
            uri,
            version=1,
            predicate=lambda p: rules <= {str(d.code) for d in p.diagnostics},
        )
        (fix_all,) = await _actions(client, uri, ["source.fixAll.tfguard"])
        resolved = await client.code_action_resolve_async(fix_all)
        assert resolved.edit is not None and resolved.edit.document_changes is not None
        by_uri: dict[str, list[types.TextEdit]] = {}
        for change in resolved.edit.document_changes:
            assert isinstance(change, types.TextDocumentEdit)
            by_uri[change.text_document.uri] = [
                e for e in change.edits if isinstance(e, types.TextEdit)
            ]
        declared = apply_edits(VARIABLES, by_uri[(module / "variables.tf").as_uri()])
        assert declared.count('variable "app_kms_key_arn"') == 1
        fixed = apply_edits(SAME_NAME, by_uri[uri])
        assert fixed.count("var.app_kms_key_arn") == 2


async def test_an_unsafe_quick_fix_is_not_preferred_and_says_what_it_changes(
    tmp_path: Path,
) -> None:
    module = tmp_path / "ws" / "site"
    module.mkdir(parents=True)
    text = 'resource "aws_s3_bucket_acl" "site" {\n  bucket = "site"\n  acl    = "public-read"\n}\n'
    (module / "main.tf").write_text(text)
    async with running_server(tmp_path / "ws", "vscode-1.65", init_options=OPTIONS) as (
        client,
        _,
    ):
        uri = open_doc(client, module / "main.tf")
        published = await wait_for_publish(
            client,
            uri,
            version=1,
            predicate=lambda p: any(d.code == "aws-s3-no-public-acl" for d in p.diagnostics),
        )
        (diagnostic,) = [d for d in published.diagnostics if d.code == "aws-s3-no-public-acl"]
        result = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=diagnostic.range,
                context=types.CodeActionContext(diagnostics=[diagnostic]),
            )
        )
        assert result is not None
        (fix,) = [
            a
            for a in result
            if isinstance(a, types.CodeAction)
            and isinstance(a.data, dict)
            and a.data.get("kind") == "tfguard.fix"
        ]
        assert not fix.is_preferred
        assert fix.title == (
            'Set the ACL to "private" \N{EM DASH} unsafe: anonymous readers of a bucket public '
            "on purpose lose access"
        )
        # Fix-all applies safe fixes only: nothing to offer here.
        assert await _actions(client, uri, ["source.fixAll.tfguard"]) == []
