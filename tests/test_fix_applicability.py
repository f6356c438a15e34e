"""Every fix says how far it can be trusted (safe, unsafe, display), in the current spelling."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tfguard.findings import Range
from tfguard.fixes import APPLICABILITIES, Fix, TextEdit, first_applicable, preferred_index
from tfguard.rules.kit.declarative import AddCompanion, InsertBlock, SetValue

RULES = Path(__file__).parent.parent / "server" / "tfguard" / "rules"
# Where the old keyword is still accepted (and turned into an applicability).
SHIMS = {RULES / "kit" / "declarative.py", RULES / "kit" / "fixing.py"}


def test_no_rule_uses_the_old_preferred_keyword() -> None:
    old = re.compile(r"\bpreferred\s*=")
    offenders = [
        f"{path.relative_to(RULES)}:{n}"
        for path in sorted(RULES.rglob("*.py"))
        if path not in SHIMS
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if old.search(line) and not line.lstrip().startswith("#")
    ]
    assert offenders == [], "use applicability= (and consequence=) instead of preferred="


def _fix(kind: str) -> Fix:
    at = Range.of(0, 0, 0, 0)
    return Fix(kind, (TextEdit("/m/main.tf", at, kind),), kind)  # type: ignore[arg-type]


def test_tools_apply_the_first_safe_fix_and_unsafe_ones_only_when_asked() -> None:
    safe, unsafe, display = (_fix(k) for k in APPLICABILITIES)
    assert first_applicable([unsafe, safe, display]) is safe
    assert first_applicable([unsafe, display]) is None
    assert first_applicable([display, unsafe], unsafe=True) is unsafe
    assert first_applicable([display], unsafe=True) is None
    assert preferred_index([unsafe, safe, _fix("safe")]) == 1
    assert preferred_index([unsafe, display]) is None


def test_an_unsafe_fix_shows_its_consequence_in_its_title() -> None:
    at = Range.of(0, 0, 0, 0)
    edits = (TextEdit("/m/main.tf", at, "x"),)
    fix = Fix("Make the database private", edits, "unsafe", "clients lose access")
    assert fix.shown_title == "Make the database private \N{EM DASH} unsafe: clients lose access"
    assert not fix.preferred
    assert Fix("Add", edits, "safe").shown_title == "Add"
    assert Fix("Lock it", edits, "display").shown_title == "Lock it \N{EM DASH} review by hand"
    with pytest.raises(ValueError, match="applicability"):
        Fix("x", edits, "sometimes")  # type: ignore[arg-type]


def test_the_old_keyword_still_reads_as_an_applicability() -> None:
    edits = (TextEdit("/m/main.tf", Range.of(0, 0, 0, 0), "x"),)
    assert Fix("x", edits, preferred=True).applicability == "safe"
    assert Fix("x", edits, preferred=False).applicability == "unsafe"
    assert SetValue("true", "t", preferred=False).applicability == "unsafe"
    assert InsertBlock("b {}", "t", preferred=True).applicability == "safe"
    assert AddCompanion("r {}", "t").preferred  # safe unless said otherwise
    spec = SetValue("1", "t", "unsafe", consequence="restarts it")
    assert spec.describe("a") == (
        "Sets a = 1. Unsafe (applied only by tfguard fix --unsafe-fixes): restarts it."
    )
