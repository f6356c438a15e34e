"""The editor after edits the incremental scanner once got wrong, and on input built to exhaust
the parser: it shows what a fresh parse of the same text shows, and keeps answering."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from tfguard.document import ParsedFile
from tfguard.hclparse import MAX_LINE_CHARS

from .helpers import change_doc, close_doc, open_doc, running_server, units, wait_for_publish


def _end(text: str) -> types.Position:
    lines = text.split("\n")
    return types.Position(line=len(lines) - 1, character=units(lines[-1], "utf-16"))


def _syntax(published: types.PublishDiagnosticsParams) -> list[tuple[int, int, str]]:
    return sorted(
        (d.range.start.line, d.range.start.character, d.message)
        for d in published.diagnostics
        if d.code == "syntax"
    )


def _fresh(path: Path, text: str) -> list[tuple[int, int, str]]:
    parsed = ParsedFile(str(path), text)
    return sorted((p.range.start.line, p.range.start.character, p.message) for p in parsed.problems)


async def test_typing_a_heredoc_then_reopening_shows_what_a_fresh_parse_shows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "terraform.tfvars"
    text = "policy = <<EOF\n"
    path.write_text(text, encoding="utf-8")
    async with running_server(tmp_path, init_options={"workspaceScan": False}) as (client, _):
        uri = open_doc(client, path, text=text)
        await wait_for_publish(client, uri, version=1)
        for typed in ["[", "]", "\n", "EOF"]:
            at = _end(client.texts[uri])
            edit = types.TextEdit(range=types.Range(start=at, end=at), new_text=typed)
            version = change_doc(client, uri, edits=[edit])
            published = await wait_for_publish(client, uri, version=version)
            assert _syntax(published) == _fresh(path, client.texts[uri]), client.texts[uri]
        assert client.texts[uri] == "policy = <<EOF\n[]\nEOF"
        assert _syntax(published) == []

        close_doc(client, uri)
        since = len(client.published)
        uri = open_doc(client, path, text="policy = <<EOF\n[]\nEOF")
        published = await wait_for_publish(client, uri, version=1, since=since)
        assert _syntax(published) == []


async def test_a_5_mb_line_gets_its_finding_and_the_server_keeps_answering(
    tmp_path: Path,
) -> None:
    huge = tmp_path / "huge.tf"
    text = "locals { x = [" + ",".join(["1"] * 2_500_000) + "] }\n"
    huge.write_text("", encoding="utf-8")
    small = tmp_path / "main.tf"
    small.write_text('variable "v" {}\n', encoding="utf-8")
    # The file is over the editor's default size limit: raised, so that it is parsed.
    options = {"workspaceScan": False, "maxFileKiB": 8 * 1024}
    async with running_server(tmp_path, init_options=options) as (client, _):
        uri = open_doc(client, huge, text=text)
        # A hang guard, not a speed assertion: the server once used 4 GB and never answered.
        published = await wait_for_publish(client, uri, version=1, timeout=90)
        assert _syntax(published) == [
            (0, 0, f"line longer than {MAX_LINE_CHARS:,} characters — not analysed")
        ]
        other = open_doc(client, small)
        at = _end(client.texts[other])
        edit = types.TextEdit(range=types.Range(start=at, end=at), new_text="x = {\n")
        version = change_doc(client, other, edits=[edit])
        published = await wait_for_publish(client, other, version=version, timeout=90)
        assert [m for _, _, m in _syntax(published)]
