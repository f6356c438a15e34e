"""Apply every preferred fix of a module, safely: ``tfguard fix`` and the editor's fix-all."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from tfguard.confine import module_escape
from tfguard.document import ParsedFile
from tfguard.engine import Engine, FileError, ModuleResult, offered_fixes
from tfguard.findings import Finding
from tfguard.fixes import Fix, FixError, TextEdit, apply_edits

# A round applies every fix that does not overlap another; rounds go on while they fix
# something (fixes that overlapped wait for the next round), up to this many.
MAX_ROUNDS = 50


@dataclass(slots=True)
class FixOutcome:
    before: dict[str, str] = field(default_factory=dict)  # path -> original text
    after: dict[str, str] = field(default_factory=dict)  # path -> fixed text
    fixed: list[Finding] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # why a file's fixes were not kept
    skipped: dict[str, str] = field(default_factory=dict)  # path -> why no fix may write it

    def apply_to(self, engine: Engine) -> None:
        """Make the fixed texts the engine's view of the files (without writing them)."""
        for path, text in self.after.items():
            engine.set_overlay(path, text)


def _overlaps(a: TextEdit, b: TextEdit) -> bool:
    """Whether two edits touch the same text. Insertions at one point do not: they are
    applied one after the other (two fixes appending a variable to variables.tf)."""
    if a.path != b.path:
        return False
    a_insert = a.range.start == a.range.end
    b_insert = b.range.start == b.range.end
    if a_insert and b_insert:
        return False
    if a_insert:
        return b.range.start < a.range.start < b.range.end
    if b_insert:
        return a.range.start < b.range.start < a.range.end
    return a.range.start < b.range.end and b.range.start < a.range.end


def select_fixes(candidates: list[tuple[Finding, Fix]]) -> list[tuple[Finding, Fix]]:
    """Keep fixes whose edits do not overlap an earlier kept fix."""
    kept: list[tuple[Finding, Fix]] = []
    taken: list[TextEdit] = []
    for finding, fix in candidates:
        if any(_overlaps(e, t) for e in fix.edits for t in taken):
            continue
        kept.append((finding, fix))
        taken.extend(fix.edits)
    return kept


def fix_module(
    engine: Engine,
    directory: str,
    *,
    only_files: Collection[str] | None = None,
    rules: Collection[str] | None = None,
    refuse: Callable[[str], str | None] | None = None,
) -> FixOutcome:
    """Apply preferred fixes round by round (a later round picks up what overlapped) and keep
    a file's new text only if it still parses as well as before. The engine's overlays are
    used while fixing and left as they were; the caller writes ``outcome.after`` (or shows a
    diff). A fix is left out when it would write a file outside the module's directory, or
    one that ``refuse`` gives a reason not to write (``outcome.skipped`` says which, and why).
    """
    saved = dict(engine.overlays)
    try:
        return _fix_rounds(engine, directory, only_files, rules, refuse)
    finally:
        engine.overlays.clear()
        engine.overlays.update(saved)


def _fix_rounds(
    engine: Engine,
    directory: str,
    only_files: Collection[str] | None,
    rules: Collection[str] | None,
    refuse: Callable[[str], str | None] | None,
) -> FixOutcome:
    outcome = FixOutcome()
    refused: set[tuple[str, str, int]] = set()
    for _ in range(MAX_ROUNDS):
        result = engine.analyze_module(directory)
        candidates: list[tuple[Finding, Fix]] = []
        for finding in result.all_findings():
            if only_files is not None and finding.path not in only_files:
                continue
            if rules is not None and finding.rule_id not in rules:
                continue
            key = (finding.path, finding.rule_id, finding.range.start.line)
            if key in refused:
                continue
            fix = _allowed_fix(result, finding, refuse, outcome.skipped)
            if fix is not None:
                candidates.append((finding, fix))
        chosen = select_fixes(candidates)
        if not chosen:
            break
        by_file: dict[str, list[TextEdit]] = {}
        for _finding, fix in chosen:
            for edit in fix.edits:
                by_file.setdefault(edit.path, []).append(edit)
        changed = False
        for path, edits in by_file.items():
            try:
                before = engine.parsed(path)
            except FileError:
                before = ParsedFile(path, "")  # a file the fix creates
            try:
                new_text = apply_edits(before.text, edits)
            except FixError as err:
                outcome.rejected.append(f"{path}: {err}")
                continue
            if len(ParsedFile(path, new_text, before).problems) > len(before.problems):
                outcome.rejected.append(f"{path}: a fix would break the syntax; not applied")
                for finding, fix in chosen:
                    if path in fix.paths:
                        refused.add((finding.path, finding.rule_id, finding.range.start.line))
                continue
            outcome.before.setdefault(path, before.text)
            outcome.after[path] = new_text
            engine.set_overlay(path, new_text)
            changed = True
        outcome.fixed.extend(f for f, fix in chosen if fix.paths <= set(outcome.after))
        if not changed:
            break
    return outcome


def _allowed_fix(
    result: ModuleResult,
    finding: Finding,
    refuse: Callable[[str], str | None] | None,
    skipped: dict[str, str],
) -> Fix | None:
    """The first preferred fix that writes only files it may write; why the others may not
    goes to ``skipped``."""
    for fix in offered_fixes(result, finding):
        if not fix.preferred:
            continue
        escape = module_escape(result.directory, finding.path, fix)
        if escape is None and refuse is not None:
            escape = next(((p, r) for p in sorted(fix.paths) if (r := refuse(p)) is not None), None)
        if escape is None:
            return fix
        skipped.setdefault(*escape)
    return None
