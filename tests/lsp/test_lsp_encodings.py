"""Ranges in UTF-8, UTF-16 and UTF-32 on a line with tabs, CJK text and emoji."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from .helpers import (
    CLIENT_SETS,
    change_doc,
    codes,
    copy_workspace,
    open_doc,
    position_of,
    running_server,
    tracked,
    wait_for_publish,
    with_encodings,
)

RULE = "aws-ec2-no-public-ingress"
OPTIONS = {"workspaceScan": False, "debounceMs": 0}


def _replace(text: str, old: str, new: str, encoding: str) -> types.TextEdit:
    start = position_of(text, old, encoding)
    end = position_of(text, old, encoding, offset=len(old))
    return types.TextEdit(range=types.Range(start=start, end=end), new_text=new)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
async def test_ranges_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    root = copy_workspace(tmp_path, "unicode")
    caps = with_encodings(CLIENT_SETS["neovim-0.11"](), [encoding])
    caps.text_document.diagnostic = None  # type: ignore[union-attr]  # push, to see ranges
    async with running_server(root, capabilities=caps, init_options=OPTIONS) as (client, result):
        assert result.capabilities.position_encoding == encoding
        uri = open_doc(client, root / "wide" / "main.tf")
        text = client.texts[uri]
        (diag,) = tracked((await wait_for_publish(client, uri, version=1)).diagnostics)
        assert diag.range.start == position_of(text, "cidr_blocks", encoding)
        tail = '"10.0.0.0/8"]'
        assert diag.range.end == position_of(text, tail, encoding, offset=len(tail))

        hover = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=position_of(text, "10.0.0.0/8", encoding),  # after 日本😀
            )
        )
        assert hover is not None and hover.range == diag.range

        # Edits placed after the CJK text and the emoji must land where the client means.
        version = change_doc(
            client,
            uri,
            edits=[_replace(text, '"0.0.0.0/0"', '"10.1.0.0/16"', encoding)],
            encoding=encoding,
        )
        assert codes((await wait_for_publish(client, uri, version=version)).diagnostics) == []
        text = client.texts[uri]
        version = change_doc(
            client,
            uri,
            edits=[_replace(text, '"10.0.0.0/8"', '"::/0"', encoding)],
            encoding=encoding,
        )
        (diag,) = tracked((await wait_for_publish(client, uri, version=version)).diagnostics)
        text = client.texts[uri]
        assert "::/0" in diag.message
        assert diag.range.end == position_of(text, '"::/0"]', encoding, offset=len('"::/0"]'))


async def test_client_preference_order_is_honoured(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path, "unicode")
    async with running_server(root, "emacs-eglot-29.1", init_options=OPTIONS) as (_, result):
        assert result.capabilities.position_encoding == "utf-32"  # eglot lists utf-32 first
