"""Rule examples as files: a line ``# file: NAME`` starts a new file (the first is main.tf)."""

from __future__ import annotations

import re

_FILE_MARK = re.compile(r"^# file: (?P<name>\S+)\s*$", re.M)


def example_files(example: str) -> dict[str, str]:
    files: dict[str, str] = {}
    name = "main.tf"
    pos = 0
    for m in _FILE_MARK.finditer(example):
        chunk = example[pos : m.start()]
        if chunk.strip():
            files[name] = chunk.lstrip("\n")
        name = m.group("name")
        pos = m.end() + 1
    files[name] = example[pos:].lstrip("\n")
    return {n: t for n, t in files.items() if t.strip() or n != "main.tf"}
