"""Property test of every rule's fixes on its bad example, in varied layouts.

For each fix: the result parses, the finding is gone, no new finding appears (a validation
error included), lines outside the edits are byte-identical, every line the fix writes and the
run of aligned attributes around it are laid out as terraform fmt lays them out
(tfguard.fmtmodel), and fixing again changes nothing more. ``tfguard fix`` and then
``tfguard fix --unsafe-fixes`` over every bad example and over examples/ never make the
configuration invalid.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import write_files

from tfguard.document import ParsedFile
from tfguard.engine import Engine, ModuleResult, fixes_for
from tfguard.findings import Finding
from tfguard.fixer import FixOutcome, fix_module
from tfguard.fixes import Fix, apply_edits
from tfguard.fmtmodel import run_of, unformatted
from tfguard.rules import registry
from tfguard.rules.base import Rule
from tfguard.rules.examples import example_files

FIXABLE = [r for r in registry.all_rules() if r.has_fix]

HCL_FILES = (".tf", ".tofu", ".tfvars", ".hcl")
NEIGHBOUR = 'resource "aws_kms_key" "neighbour" {\n  enable_key_rotation = true\n}\n'


def layout(text: str, crlf: bool, before: int, comment: bool, hcl: bool = True) -> str:
    text = (NEIGHBOUR + "\n") * before + text
    if comment and hcl:  # a leading comment would break JSON or git's files, not vary them
        text = "# managed by the platform team\n" + text
    return text.replace("\n", "\r\n") if crlf else text


def analyze(folder: str) -> tuple[Engine, ModuleResult]:
    engine = Engine()
    return engine, engine.analyze_module(folder)


def ids(result: ModuleResult) -> Counter[str]:
    return Counter(f.rule_id for f in result.all_findings())


def touched_lines(fix: Fix, path: str) -> set[int]:
    lines: set[int] = set()
    for e in fix.edits:
        if e.path == path:
            lines.update(range(e.range.start.line, e.range.end.line + 1))
    return lines


def written_lines(before: str, after: str) -> set[int]:
    """The lines of ``after`` that are not lines of ``before``."""
    old, new = before.split("\n"), after.split("\n")
    out: set[int] = set()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            out.update(range(j1, j2))
        elif tag == "delete" and j1 < len(new):
            out.add(j1)  # the line a deletion joins to the one before it
    return out


def check_layout(label: str, path: str, before: str, after: str) -> None:
    """Every line written, and the run of aligned attributes it belongs to, is a fixed point of
    the terraform fmt model."""
    if not path.endswith((".tf", ".tofu", ".tfvars")):
        return
    wanted: set[int] = set()
    for line in written_lines(before, after):
        wanted.update(run_of(after, line))
    wrong = sorted(wanted & set(unformatted(after)))
    shown = "\n".join(after.split("\n")[i] for i in wrong)
    assert not wrong, f"{label}: not laid out as terraform fmt does ({path}):\n{shown}"


def check_fix(folder: str, rule: Rule, finding: Finding, fix: Fix, before: ModuleResult) -> None:
    engine = Engine()
    for path in fix.paths:
        source = Path(path)
        original = source.read_bytes().decode("utf-8") if source.exists() else ""
        edits = [e for e in fix.edits if e.path == path]
        fixed = apply_edits(original, edits)
        assert ParsedFile(path, fixed).problems == [], f"{fix.title}: does not parse:\n{fixed}"
        check_layout(fix.title, path, original, fixed)
        engine.set_overlay(path, fixed)
        # Lines outside the edits are byte-identical.
        old_lines = original.split("\n")
        new_lines = fixed.split("\n")
        allowed = touched_lines(fix, path)
        matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
        for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
            if tag in ("replace", "delete"):
                assert set(range(i1, i2)) <= allowed, f"{fix.title}: changed lines {i1}-{i2}"
    after = engine.analyze_module(folder)
    mine_before = [f for f in before.all_findings() if f.rule_id == rule.id]
    mine_after = [f for f in after.all_findings() if f.rule_id == rule.id]
    assert len(mine_after) == len(mine_before) - 1, f"{fix.title}: finding not gone"
    new = ids(after) - ids(before)
    assert not new, f"{fix.title}: new findings {dict(new)}"
    # Fixing again changes nothing more for this finding.
    again = [
        f
        for f in mine_after
        if f.data.get("address") == finding.data.get("address") and f.message == finding.message
    ]
    assert again == []


@pytest.mark.parametrize("rule", FIXABLE, ids=[r.id for r in FIXABLE])
@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(crlf=st.booleans(), before=st.integers(0, 2), comment=st.booleans())
def test_every_fix_of_the_bad_example(rule: Rule, crlf: bool, before: int, comment: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        files = example_files(rule.bad_example)
        files = {
            n: layout(t, crlf, before if n == "main.tf" else 0, comment, n.endswith(HCL_FILES))
            for n, t in files.items()
        }
        write_files(Path(folder), files)
        _, result = analyze(folder)
        targets = [f for f in result.all_findings() if f.rule_id == rule.id]
        assert targets
        for finding in targets:
            fixes = fixes_for(result, finding)
            assert fixes, f"{rule.id} offers no fix for: {finding.message}"
            # A fix that changes what the infrastructure does (or replaces a resource) is
            # unsafe or display-only, and says what it changes.
            for fix in fixes:
                assert fix.applicability == "safe" or fix.consequence, fix.title
            for fix in fixes:
                check_fix(folder, rule, finding, fix, result)


@pytest.mark.parametrize("rule", FIXABLE, ids=[r.id for r in FIXABLE])
def test_fix_all_is_idempotent(rule: Rule, tmp_path) -> None:
    write_files(tmp_path, example_files(rule.bad_example))
    engine = Engine()
    result = engine.analyze_module(str(tmp_path))
    preferred = [
        f
        for f in result.all_findings()
        if f.rule_id == rule.id and any(x.preferred for x in fixes_for(result, f))
    ]
    first = fix_module(engine, str(tmp_path), rules={rule.id})
    if not preferred:
        # Only fixes that replace resources: fix-all must leave the files alone.
        assert first.after == {} and first.fixed == []
        return
    assert first.fixed and not first.rejected
    first.apply_to(engine)
    second = fix_module(engine, str(tmp_path), rules={rule.id})
    assert second.after == {} and second.fixed == []
    left = [f for f in engine.analyze_module(str(tmp_path)).all_findings() if f.rule_id == rule.id]
    mine = [f for f in result.all_findings() if f.rule_id == rule.id]
    assert len(left) == len(mine) - len(preferred)


def test_fix_cli_writes_files_and_diff_changes_nothing(tmp_path, capsys) -> None:
    from tfguard.cli import main

    write_files(tmp_path, {"main.tf": 'resource "aws_kms_key" "k" {}\n'})
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert main(["fix", "--diff"]) == 1
        out = capsys.readouterr().out
        assert "+  enable_key_rotation = true" in out
        assert (tmp_path / "main.tf").read_text() == 'resource "aws_kms_key" "k" {}\n'
        assert main(["fix", "--rule", "CKV_AWS_7"]) == 0
        assert (tmp_path / "main.tf").read_text() == (
            'resource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n'
        )
        assert main(["fix", "--rule", "no-such-rule"]) == 2
    finally:
        os.chdir(old)


def test_fix_module_works_in_memory_and_leaves_the_engine_as_it_was(tmp_path) -> None:
    path = tmp_path / "main.tf"
    path.write_text('resource "aws_kms_key" "a" {}\n')
    buffer = 'resource "aws_kms_key" "a" {}\nresource "aws_kms_key" "b" {}\n'
    engine = Engine()
    engine.set_overlay(str(path), buffer)  # an unsaved editor buffer
    outcome = fix_module(engine, str(tmp_path))
    assert len(outcome.fixed) == 2 and outcome.before == {str(path): buffer}
    assert outcome.after[str(path)].count("enable_key_rotation = true") == 2
    assert engine.overlays == {str(path): buffer}
    assert path.read_text() == 'resource "aws_kms_key" "a" {}\n'
    outcome.apply_to(engine)
    assert engine.analyze_module(str(tmp_path)).all_findings() == []


def _check_outcome(label: str, outcome: FixOutcome) -> None:
    assert not outcome.rejected, f"{label}: {outcome.rejected}"
    for path, after in outcome.after.items():
        check_layout(label, path, outcome.before[path], after)


def fix_safe_then_unsafe(folder: str) -> None:
    """``tfguard fix`` and then ``tfguard fix --unsafe-fixes``: neither adds a syntax or a
    validation error, and what they write is laid out as terraform fmt lays it out."""
    engine = Engine()

    def invalid() -> Counter[tuple[str, str]]:
        found = engine.analyze_module(folder).all_findings()
        return Counter((f.rule_id, f.message) for f in found if f.is_configuration_error)

    already = invalid()
    for unsafe in (False, True):
        outcome = fix_module(engine, folder, unsafe=unsafe)
        label = f"{folder} ({'unsafe' if unsafe else 'safe'} fixes)"
        _check_outcome(label, outcome)
        outcome.apply_to(engine)
        added = invalid() - already
        assert not added, f"{label}: {dict(added)}"


@pytest.mark.parametrize("rule", FIXABLE, ids=[r.id for r in FIXABLE])
def test_safe_then_unsafe_fixes_of_the_bad_example_keep_it_valid(rule: Rule, tmp_path) -> None:
    write_files(tmp_path, example_files(rule.bad_example))
    fix_safe_then_unsafe(str(tmp_path))


EXAMPLES = Path(__file__).parent.parent / "examples"
EXAMPLE_MODULES = sorted({p.parent for p in EXAMPLES.rglob("*.tf")})


@pytest.mark.parametrize("module", EXAMPLE_MODULES, ids=[p.name for p in EXAMPLE_MODULES])
def test_safe_then_unsafe_fixes_of_the_examples_keep_them_valid(module: Path, tmp_path) -> None:
    import shutil

    copy = tmp_path / module.name
    shutil.copytree(module, copy)
    fix_safe_then_unsafe(str(copy))
