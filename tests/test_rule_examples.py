"""Every rule's examples are its tests: the bad one finds exactly what it says, the good none."""

from __future__ import annotations

import pytest

from tfguard.findings import SYNTAX_RULE_ID
from tfguard.rules import registry
from tfguard.rules.base import Rule
from tfguard.rules.examples import example_files

RULES = registry.all_rules()


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_bad_example_is_found(rule: Rule, scan_files) -> None:
    result = scan_files(example_files(rule.bad_example))
    findings = result.all_findings()
    assert not [f for f in findings if f.rule_id == SYNTAX_RULE_ID], findings
    mine = [f for f in findings if f.rule_id == rule.id]
    assert len(mine) == rule.bad_example_findings, [(f.rule_id, f.message) for f in findings]


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_good_example_is_clean(rule: Rule, scan_files) -> None:
    result = scan_files(example_files(rule.good_example))
    findings = result.all_findings()
    assert not [f for f in findings if f.rule_id == SYNTAX_RULE_ID], findings
    assert [f for f in findings if f.rule_id == rule.id] == []


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_metadata_is_complete(rule: Rule) -> None:
    assert rule.id == rule.id.lower() and " " not in rule.id
    assert rule.id.split("-")[0] in {"aws", "terraform", "opentofu", "azure", "google"}
    assert rule.title and not rule.title.endswith(".")
    assert len(rule.rationale) > 80 and len(rule.remediation) > 20
    assert all(link.startswith("https://") for link in rule.links)
    assert registry.get(rule.id) is rule
    for alias in rule.aliases:
        assert registry.get(alias) is not None
