"""Apply the safe fixes of a module (and, asked to, the unsafe ones), safely: ``tfguard fix``
and the editor's fix-all."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from tfguard.confine import module_escape
from tfguard.engine import Engine, FileError, ModuleResult, offered_fixes
from tfguard.findings import Finding
from tfguard.fixes import Fix, FixError, TextEdit, apply_edits, first_applicable
from tfguard.fixlayout import relaid
from tfguard.validate import harm

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
    # Findings left with unsafe fixes only (not applied without ``unsafe``), as of the last
    # round.
    unsafe_only: list[Finding] = field(default_factory=list)

    def apply_to(self, engine: Engine) -> None:
        """Make the fixed texts the engine's view of the files (without writing them)."""
        for path, text in self.after.items():
            engine.set_overlay(path, text)


def _overlaps(a: TextEdit, b: TextEdit) -> bool:
    """Whether two edits touch the same text. Insertions at one point do not: they are
    applied one after the other (two fixes appending a variable to variables.tf), unless they
    insert the same text (two fixes declaring the same new variable: the second one waits for
    the next round, where the first one's declaration exists) or would join two blocks without
    the blank line between them (two blocks for a file that does not exist yet)."""
    if a.path != b.path:
        return False
    a_insert = a.range.start == a.range.end
    b_insert = b.range.start == b.range.end
    if a_insert and b_insert:
        if a.range.start != b.range.start:
            return False
        return a.new_text == b.new_text or _glued(a.new_text, b.new_text)
    if a_insert:
        return b.range.start < a.range.start < b.range.end
    if b_insert:
        return a.range.start < b.range.start < a.range.end
    return a.range.start < b.range.end and b.range.start < a.range.end


def _glued(first: str, second: str) -> bool:
    """Whether ``second`` inserted right after ``first`` (either order) puts a block's first
    line right after another block's closing brace."""
    for one, two in ((first, second), (second, first)):
        if one.rstrip("\r\n").endswith("}") and one.endswith("\n") and two[:1] not in ("\n", "\r"):
            return True
    return False


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
    unsafe: bool = False,
) -> FixOutcome:
    """Apply the safe fix of every finding (with ``unsafe``, a finding without one gets its
    first unsafe fix; display-only fixes never) round by round: a later round picks up what
    overlapped. A round's new texts are kept only if every file still parses and the module
    validates as well as before (:func:`tfguard.validate.harm`); otherwise its fixes are
    tried one by one, and one that does harm on its own is left out (``outcome.rejected``
    says why). The engine's overlays are used while fixing and left as they were; the caller
    writes ``outcome.after`` (or shows a diff). A fix is left out when it would write a file
    outside the module's directory, or one that ``refuse`` gives a reason not to write
    (``outcome.skipped`` says which, and why).
    """
    saved = dict(engine.overlays)
    try:
        return _fix_rounds(engine, directory, only_files, rules, refuse, unsafe)
    finally:
        engine.overlays.clear()
        engine.overlays.update(saved)


_Key = tuple[str, str, int]


def _key(finding: Finding) -> _Key:
    return (finding.path, finding.rule_id, finding.range.start.line)


def _fix_rounds(
    engine: Engine,
    directory: str,
    only_files: Collection[str] | None,
    rules: Collection[str] | None,
    refuse: Callable[[str], str | None] | None,
    unsafe: bool,
) -> FixOutcome:
    outcome = FixOutcome()
    refused: set[_Key] = set()
    for _ in range(MAX_ROUNDS):
        result = engine.analyze_module(directory)
        candidates: list[tuple[Finding, Fix]] = []
        outcome.unsafe_only = []
        for finding in result.all_findings():
            if only_files is not None and finding.path not in only_files:
                continue
            if rules is not None and finding.rule_id not in rules:
                continue
            if _key(finding) in refused:
                continue
            fix = _allowed_fix(result, finding, refuse, outcome, unsafe)
            if fix is not None:
                candidates.append((finding, fix))
        chosen = select_fixes(candidates)
        if not chosen:
            break
        kept = _apply_round(engine, result, chosen, outcome, refused)
        outcome.fixed.extend(kept)
        if not kept:
            break
    return outcome


def _texts_after(engine: Engine, fixes: list[Fix]) -> tuple[dict[str, str], dict[str, str]] | str:
    """(texts before, texts after) of the files ``fixes`` edit, or why they cannot apply."""
    by_file: dict[str, list[TextEdit]] = {}
    for fix in fixes:
        for edit in fix.edits:
            by_file.setdefault(edit.path, []).append(edit)
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for path, edits in by_file.items():
        try:
            text = engine.parsed(path).text
        except FileError:
            text = ""  # a file the fix creates
        try:
            after[path] = apply_edits(text, edits)
        except FixError as err:
            return f"{path}: {err}"
        before[path] = text
    return before, after


def _apply_round(
    engine: Engine,
    result: ModuleResult,
    chosen: list[tuple[Finding, Fix]],
    outcome: FixOutcome,
    refused: set[_Key],
) -> list[Finding]:
    """Apply the round's fixes that do no harm; the findings they fix."""
    module = result.module
    together = _texts_after(engine, [fix for _, fix in chosen])
    if not isinstance(together, str) and (module is None or harm(module, together[1]) is None):
        _commit(engine, outcome, *together)
        return [finding for finding, _ in chosen]
    # One by one: what a fix does on top of the ones kept before it in this round.
    kept: list[tuple[Finding, Fix]] = []
    for finding, fix in chosen:
        trial = _texts_after(engine, [f for _, f in kept] + [fix])
        why = trial if isinstance(trial, str) else None
        if why is None and module is not None and not isinstance(trial, str):
            why = harm(module, trial[1])
        if why is None:
            kept.append((finding, fix))
            continue
        alone: str | None = why
        if kept:  # harmless alone? then it clashes with a fix kept before it: next round
            solo = _texts_after(engine, [fix])
            alone = solo if isinstance(solo, str) else (harm(module, solo[1]) if module else None)
        if alone is not None:
            where = ", ".join(sorted(os.path.basename(p) for p in fix.paths))
            outcome.rejected.append(f"{where}: {fix.title}: {alone}; not applied")
            refused.add(_key(finding))
    if not kept:
        return []
    final = _texts_after(engine, [fix for _, fix in kept])
    if isinstance(final, str):  # cannot happen: each step applied
        outcome.rejected.append(final)
        return []
    _commit(engine, outcome, *final)
    return [finding for finding, _ in kept]


def _commit(
    engine: Engine, outcome: FixOutcome, before: dict[str, str], after: dict[str, str]
) -> None:
    for path, text in after.items():
        # Each fix was laid out against the text before the others of its round.
        text = relaid(path, before[path], text)
        outcome.before.setdefault(path, before[path])
        outcome.after[path] = text
        engine.set_overlay(path, text)


def _allowed_fix(
    result: ModuleResult,
    finding: Finding,
    refuse: Callable[[str], str | None] | None,
    outcome: FixOutcome,
    unsafe: bool,
) -> Fix | None:
    """The fix to apply: the first safe one (with ``unsafe``, else the first unsafe one) that
    writes only files it may write; why the others may not goes to ``outcome.skipped``. A
    finding whose fixes are all unsafe (when ``unsafe`` is off) goes to
    ``outcome.unsafe_only``."""
    allowed: list[Fix] = []
    for fix in offered_fixes(result, finding):
        if fix.applicability == "display":
            continue
        escape = module_escape(result.directory, finding.path, fix)
        if escape is None and refuse is not None:
            escape = next(((p, r) for p in sorted(fix.paths) if (r := refuse(p)) is not None), None)
        if escape is None:
            allowed.append(fix)
        else:
            outcome.skipped.setdefault(*escape)
    chosen = first_applicable(allowed, unsafe)
    if chosen is None and any(f.applicability == "unsafe" for f in allowed):
        outcome.unsafe_only.append(finding)
    return chosen
