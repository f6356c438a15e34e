"""Hover over findings and over suppression comments."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from .helpers import (
    Client,
    copy_workspace,
    open_doc,
    position_of,
    running_server,
    tracked,
    wait_for_publish,
)

OPTIONS = {"workspaceScan": False, "debounceMs": 0}


async def _hover(client: Client, uri: str, position: types.Position) -> types.Hover | None:
    return await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position)
    )


async def test_hover_explains_the_finding(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    sg = root / "network" / "sg.tf"
    async with running_server(root, init_options=OPTIONS) as (client, _):
        uri = open_doc(client, sg)
        (diag,) = tracked((await wait_for_publish(client, uri, version=1)).diagnostics)
        text = sg.read_text()
        hover = await _hover(client, uri, position_of(text, "var.admin_cidr"))
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert hover.contents.kind == types.MarkupKind.Markdown
        value = hover.contents.value
        assert "### Security group allows ingress from the whole internet" in value
        assert "severity **critical**" in value
        assert f"> {diag.message}" in value  # the finding's own message
        assert "brute-forced" in value  # rationale
        assert "**Remediation:** Restrict the source" in value
        assert f"[Rule documentation]({diag.code_description.href})" in value  # type: ignore[union-attr]
        assert (
            "(https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html)" in value
        )
        assert hover.range == diag.range
        assert await _hover(client, uri, position_of(text, "bastion")) is None


async def test_hover_on_suppressions(tmp_path: Path) -> None:
    module = tmp_path / "ws" / "app"
    module.mkdir(parents=True)
    main = module / "main.tf"
    main.write_text(
        'resource "aws_s3_bucket_acl" "site" {\n'
        '  bucket = "site"\n'
        "  # tfguard:ignore:aws-s3-no-public-acl:exp:2020-01-31 public website, until the CDN\n"
        '  acl    = "public-read"\n'
        "}\n"
        "\n"
        'resource "aws_s3_bucket_acl" "assets" {\n'
        '  bucket = "assets"\n'
        "  # tfguard:ignore:CKV_AWS_20 served to everyone on purpose\n"
        '  acl    = "public-read"\n'
        "}\n"
        "\n"
        "# tfguard:ignore:aws-kms-key-rotation\n"
        'resource "aws_s3_bucket" "quiet" {\n'
        '  bucket = "quiet"\n'
        "}\n"
    )
    async with running_server(tmp_path / "ws", init_options=OPTIONS) as (client, _):
        uri = open_doc(client, main)
        published = await wait_for_publish(client, uri, version=1)
        assert "aws-s3-no-public-acl" in [d.code for d in published.diagnostics]  # expired
        text = main.read_text()

        expired = await _hover(client, uri, position_of(text, "tfguard:ignore:aws-s3"))
        assert expired is not None and isinstance(expired.contents, types.MarkupContent)
        assert "### tfguard suppression (tfguard syntax)" in expired.contents.value
        assert "`aws-s3-no-public-acl` — S3 bucket grants public access" in expired.contents.value
        assert "**Expired** on 2020-01-31" in expired.contents.value
        assert "Reason: public website, until the CDN" in expired.contents.value

        alias = await _hover(client, uri, position_of(text, "CKV_AWS_20"))
        assert alias is not None and isinstance(alias.contents, types.MarkupContent)
        assert "`CKV_AWS_20` (tfguard `aws-s3-no-public-acl`)" in alias.contents.value
        assert "Active: it suppressed at least one finding" in alias.contents.value

        unused = await _hover(client, uri, position_of(text, "aws-kms-key-rotation"))
        assert unused is not None and isinstance(unused.contents, types.MarkupContent)
        assert "**Unused:** it suppressed nothing" in unused.contents.value


async def test_plaintext_hover_for_clients_without_markdown(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    sg = root / "network" / "sg.tf"
    from .helpers import CLIENT_SETS

    caps = CLIENT_SETS["neovim-0.7.2"]()
    assert caps.text_document is not None and caps.text_document.hover is not None
    caps.text_document.hover.content_format = [types.MarkupKind.PlainText]
    async with running_server(root, capabilities=caps, init_options=OPTIONS) as (client, _):
        uri = open_doc(client, sg)
        await wait_for_publish(client, uri, version=1)
        hover = await _hover(client, uri, position_of(sg.read_text(), "cidr_blocks"))
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert hover.contents.kind == types.MarkupKind.PlainText
        assert "**" not in hover.contents.value and "Remediation: Restrict" in hover.contents.value
