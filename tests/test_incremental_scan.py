"""Rescanning only what an edit touched gives exactly the result of a full scan."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tfguard.document import ParsedFile
from tfguard.engine import Engine
from tfguard.scanner import scan

PIECES = [
    'resource "aws_s3_bucket" "b" {\n  bucket = "x-${var.a}"\n}\n',
    "locals {\n  a = <<EOF\n}\nEOF\n}\n",
    "# comment {\n",
    "/* block\ncomment } */\n",
    'variable "v" {\n  default = "{"\n}\n',
    "\n",
    "x = [\n  1,\n]\n",
    'data "d" "e" {\n  s = "unterminated\n}\n',
    'module "m" {\r\n  source = "./m"\r\n}\r\n',
    "}\n",
    # Top-level heredocs: closed, indented (``<<-``), and never closed.
    "policy = <<EOF\n[]\nEOF\n",
    "x = <<-EOT\n  body }\n  EOT\n",
    "y = <<EOF\n",
    "<<T\n",
    "z = <<EOF\nno closing marker {\n",
    # Block comments: never closed, and closed on the line where an item starts.
    "/* unclosed {\n",
    "x = 1 /* unclosed\n",
    "/* a\n{ */ x = 1\n",
]
EDITS = [
    "{",
    "}",
    '"',
    "\n",
    "x",
    "<<EOF\n",
    "#",
    "/*",
    "*/",
    "${",
    "",
    'resource "a" "b" {\n',
    # Heredoc openers and markers, whole and typed one character at a time.
    "<<T\n",
    "<<-EOT\n",
    "EOF",
    "EOF\n",
    "  EOT\n",
    "<",
    "-",
    "E",
    "O",
    "F",
    "T",
]


def full(text: str):
    r = scan(text)
    return (r.items, r.comments, r.heredocs, r.unterminated)


@settings(max_examples=1000, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(PIECES), min_size=1, max_size=8),
    where=st.floats(0, 1),
    remove=st.integers(0, 6),
    insert=st.sampled_from(EDITS),
)
def test_incremental_scan_equals_full_scan(
    pieces: list[str], where: float, remove: int, insert: str
) -> None:
    old = "".join(pieces)
    at = int(where * len(old))
    new = old[:at] + insert + old[at + remove :]
    previous = scan(old)
    r = scan(new, previous)
    assert (r.items, r.comments, r.heredocs, r.unterminated) == full(new)
    assert r.line_starts == scan(new).line_starts


@settings(max_examples=1000, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(PIECES), min_size=1, max_size=6),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 3), st.sampled_from(EDITS)),
        min_size=1,
        max_size=8,
    ),
)
def test_a_run_of_incremental_scans_equals_full_scans(
    pieces: list[str], edits: list[tuple[float, int, str]]
) -> None:
    # What an editor does: every scan starts from the previous incremental one.
    text = "".join(pieces)
    previous = scan(text)
    for where, remove, insert in edits:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + remove :]
        previous = scan(text, previous)
        assert (previous.items, previous.comments, previous.heredocs, previous.unterminated) == (
            full(text)
        )


def test_text_typed_after_an_unclosed_top_level_heredoc_joins_it() -> None:
    first = scan("<<T\n")
    second = scan("<<T\n}", first)
    assert second.items == scan("<<T\n}").items
    assert len(second.items) == 1


def snapshot(parsed: ParsedFile) -> tuple[object, ...]:
    """Everything a parse tells the analysis; nodes compared by their contents."""
    r = parsed.scan
    nodes = [(p.line, repr(p.node)) for p in parsed.items]
    return (r.items, r.comments, r.heredocs, r.unterminated, nodes, parsed.problems)


TYPED = [
    *'abcxyz_ =\n{}[]()",.#/*<-$%~ EOFT1',
    'resource "aws_s3_bucket" "b" {\n',
    "locals {\n",
    "  a = 1\n",
    "}\n",
    "policy = <<EOF\n",
    "x = <<-EOT\n",
    "EOF\n",
    "  EOT\n",
    "<<T\n",
    '"${var.a}"',
    "# note\n",
    "/* c */",
]


def test_every_edit_parses_like_a_fresh_parse_of_the_same_text() -> None:
    rng = random.Random(20240611)
    for _session in range(40):
        text = ""
        parsed = ParsedFile("main.tf", text)
        cursor = 0
        for _edit in range(250):
            roll = rng.random()
            if roll < 0.7 or not text:  # typing near the cursor
                cursor = min(len(text), max(0, cursor + rng.randint(-3, 3)))
                insert = rng.choice(TYPED)
                text = text[:cursor] + insert + text[cursor:]
                cursor += len(insert)
            elif roll < 0.9:  # deleting a few characters
                cursor = rng.randint(0, len(text))
                text = text[:cursor] + text[cursor + rng.randint(1, 4) :]
            else:  # an edit somewhere else
                cursor = rng.randint(0, len(text))
                text = text[:cursor] + rng.choice(TYPED) + text[cursor:]
            if len(text) > 600:
                cut = rng.randint(0, len(text) - 200)
                text = text[:cut] + text[cut + 200 :]
                cursor = min(cursor, len(text))
            parsed = ParsedFile("main.tf", text, parsed)
            assert snapshot(parsed) == snapshot(ParsedFile("main.tf", text)), repr(text)


def test_typing_a_heredoc_in_tfvars_leaves_no_stale_syntax_errors(tmp_path) -> None:
    path = str(tmp_path / "terraform.tfvars")
    engine = Engine()
    text = "policy = <<EOF\n"
    for typed in ["[", "]", "\n", "E", "O", "F"]:
        text += typed
        engine.set_overlay(path, text)
        parsed = engine.parsed(path)
        assert snapshot(parsed) == snapshot(ParsedFile(path, text)), repr(text)
    assert text == "policy = <<EOF\n[]\nEOF"
    assert engine.parsed(path).problems == []


def test_closing_and_reopening_a_document_parses_it_afresh(tmp_path) -> None:
    path = str(tmp_path / "main.tf")
    engine = Engine()
    engine.set_overlay(path, "x = 1\n")
    before = engine.parsed(path)
    engine.drop_overlay(path)
    engine.set_overlay(path, "x = 1\n")
    # Nothing of the closed document's incremental state is reused for the reopened one.
    assert engine.parsed(path) is not before
