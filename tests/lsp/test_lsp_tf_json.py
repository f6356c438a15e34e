"""A .tf.json document in the editor: diagnostics on its keys, hover over findings and over
"//" suppressions, and no quick fix (fixes write HCL)."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from .helpers import Client, open_doc, position_of, running_server, tracked, wait_for_publish

OPTIONS = {"workspaceScan": False, "debounceMs": 0}
TEXT = """{
  "resource": {
    "aws_s3_bucket_acl": {
      "site": {
        "bucket": "site",
        "acl": "public-read"
      },
      "logs": {
        "bucket": "logs",
        "//": "tfguard:ignore:aws-s3-no-public-acl the log shipper reads it",
        "acl": "public-read"
      }
    }
  }
}
"""


async def _hover(client: Client, uri: str, position: types.Position) -> types.Hover | None:
    return await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position)
    )


async def test_a_json_document_is_diagnosed_hovered_and_offers_no_quick_fix(
    tmp_path: Path,
) -> None:
    module = tmp_path / "ws"
    module.mkdir()
    path = module / "main.tf.json"
    path.write_text(TEXT, encoding="utf-8")
    async with running_server(module, init_options=OPTIONS) as (client, _):
        uri = open_doc(client, path, language_id="json")
        published = await wait_for_publish(client, uri, version=1)
        (diag,) = tracked(published.diagnostics)  # the second ACL is suppressed
        assert diag.code == "aws-s3-no-public-acl"
        assert diag.range.start == position_of(TEXT, '"acl": "public-read"')

        hover = await _hover(client, uri, position_of(TEXT, '"public-read"', offset=2))
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert "### S3 bucket grants public access through its ACL" in hover.contents.value

        at_comment = position_of(TEXT, "tfguard:ignore", offset=3)
        hover = await _hover(client, uri, at_comment)
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert "### tfguard suppression (tfguard syntax)" in hover.contents.value
        assert "Reason: the log shipper reads it" in hover.contents.value
        assert "Active: it suppressed at least one finding" in hover.contents.value

        result = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=diag.range,
                context=types.CodeActionContext(diagnostics=[diag]),
            )
        )
        titles = [a.title for a in result or [] if isinstance(a, types.CodeAction)]
        assert titles == ["Explain aws-s3-no-public-acl"]
