"""Rescanning only what an edit touched gives exactly the result of a full scan."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

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
]
EDITS = ["{", "}", '"', "\n", "x", "<<EOF\n", "#", "/*", "*/", "${", "", 'resource "a" "b" {\n']


def full(text: str):
    r = scan(text)
    return (r.items, r.comments, r.heredocs, r.unterminated)


@settings(max_examples=300, deadline=None)
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
