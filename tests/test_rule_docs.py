"""The rule pages that diagnostics link to are generated from the rules and kept in step."""

from __future__ import annotations

from pathlib import Path

from tfguard.rules import registry
from tfguard.rules.docs import pages

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"


def test_rule_pages_are_up_to_date() -> None:
    expected = pages()
    present = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    stale = sorted(n for n in expected if present.get(n) != expected[n])
    extra = sorted(set(present) - set(expected))
    assert not stale and not extra, (
        f"docs/rules is out of date (stale: {stale}, extra: {extra}); "
        "run: python3 -m tfguard.rules.docs"
    )


def test_every_doc_url_names_a_page() -> None:
    for rule in registry.all_rules():
        assert rule.doc_url.endswith(f"/docs/rules/{rule.id}.md")
        assert (DOCS / f"{rule.id}.md").is_file()
