"""Applying a rule's fixes to a fixture project in the tests of the AWS rule areas: what each
offered fix writes, file by file, without touching the fixture."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from tfguard.engine import ModuleResult, fixes_for
from tfguard.findings import Finding
from tfguard.fixes import apply_edits


@dataclass(frozen=True)
class Applied:
    title: str
    preferred: bool
    files: dict[str, str]  # file name -> its text after the fix (only the files it changes)


def applied(result: ModuleResult, finding: Finding) -> list[Applied]:
    """The fixes offered for ``finding``, each with the text it leaves in the files it edits."""
    out: list[Applied] = []
    for fix in fixes_for(result, finding):
        texts: dict[str, str] = {}
        for path in sorted(fix.paths):
            source = Path(path)
            original = source.read_text(encoding="utf-8") if source.exists() else ""
            edits = [e for e in fix.edits if e.path == path]
            texts[source.name] = apply_edits(original, edits)
        out.append(Applied(fix.title, fix.preferred, texts))
    return out


def squeeze(line: str) -> str:
    return " ".join(line.split())


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines only in ``before`` and the lines only in ``after``, with runs of blanks
    squeezed (a fix that realigns the ``=`` of its neighbours, like terraform fmt, changes
    nothing else), in order."""
    old = [squeeze(line) for line in before.splitlines()]
    new = [squeeze(line) for line in after.splitlines()]
    removed: list[str] = []
    added: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed.extend(old[i1:i2])
            added.extend(new[j1:j2])
    return removed, added
