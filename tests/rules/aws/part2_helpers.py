"""Helpers of the part-2 AWS rule tests (IAM policies, edge and APIs, data stores): the text
each offered fix leaves in a fixture's files (the fixture itself is never written), and the
findings of a project as (rule, file, 1-based line)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from tfguard.engine import ModuleResult, fixes_for
from tfguard.findings import Finding
from tfguard.fixes import apply_edits


@dataclass(frozen=True)
class FixResult:
    title: str
    preferred: bool
    files: dict[str, str]  # file name -> its text after the fix (the files it changes)


def fix_results(result: ModuleResult, finding: Finding) -> list[FixResult]:
    """The fixes offered for ``finding``, each with the text it leaves in the files it edits."""
    out: list[FixResult] = []
    for fix in fixes_for(result, finding):
        texts: dict[str, str] = {}
        for path in sorted(fix.paths):
            source = Path(path)
            original = source.read_text(encoding="utf-8") if source.exists() else ""
            texts[source.name] = apply_edits(original, [e for e in fix.edits if e.path == path])
        out.append(FixResult(fix.title, fix.preferred, texts))
    return out


def squeeze(line: str) -> str:
    return " ".join(line.split())


def added_lines(before: str, after: str) -> list[str]:
    """The lines of ``after`` that ``before`` does not have, with runs of blanks squeezed (a
    fix realigns the ``=`` of its neighbours like terraform fmt, and changes nothing else); blank
    lines are left out."""
    old = [squeeze(line) for line in before.splitlines()]
    new = [squeeze(line) for line in after.splitlines()]
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag in ("insert", "replace"):
            out.extend(line for line in new[j1:j2] if line)
    return out


def every_finding(result: ModuleResult) -> list[tuple[str, str, int]]:
    """(rule, file name, 1-based line) of every finding of every rule."""
    return sorted(
        (f.rule_id, Path(f.path).name, f.range.start.line + 1) for f in result.all_findings()
    )
