"""Helpers shared by the fixture-project tests of the rule families: find a fixture line by a
snippet of it, keep one family's findings, and name findings by (file, 1-based line)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tfguard.engine import Engine, ModuleResult
from tfguard.findings import Finding


def line_of(directory: Path, name: str, snippet: str) -> int:
    """The 1-based line of the only occurrence of ``snippet`` in a fixture file."""
    lines = (directory / name).read_text(encoding="utf-8").splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if snippet in line]
    assert len(hits) == 1, (name, snippet, hits)
    return hits[0]


def related(finding: Finding) -> list[tuple[str, int]]:
    """The (file name, 1-based line) of each location related to a finding (with the steps of
    where its value came from)."""
    return [(Path(r.path).name, r.range.start.line + 1) for r in finding.related]


def analyze_clean(directory: Path) -> ModuleResult:
    """Analyse a fixture project that every rule and the parser must get through unharmed."""
    result = Engine().analyze_module(str(directory))
    assert not result.rule_errors and not result.file_errors
    assert [f for f in result.all_findings() if f.rule_id == "syntax"] == []
    return result


@dataclass(frozen=True)
class RuleFamily:
    """One family's rules and the insecure fixture project its expectations point into."""

    rules: frozenset[str]
    project: Path

    def at(self, file: str, snippet: str) -> tuple[str, int]:
        """(file, line) of the only line of the project's ``file`` that holds ``snippet``."""
        return file, line_of(self.project, file, snippet)

    def mine(self, result: ModuleResult) -> list[Finding]:
        """The family's findings; no rule may have failed."""
        assert not result.rule_errors, result.rule_errors
        return [f for f in result.all_findings() if f.rule_id in self.rules]

    def triples(self, result: ModuleResult) -> list[tuple[str, str, int]]:
        """(rule, file name, 1-based line) of the family's findings, sorted."""
        return sorted(
            (f.rule_id, Path(f.path).name, f.range.start.line + 1) for f in self.mine(result)
        )

    def one(self, result: ModuleResult, rule_id: str, where: tuple[str, int]) -> Finding:
        """The only finding of ``rule_id`` at ``where`` (file name, 1-based line)."""
        found = [
            f
            for f in self.mine(result)
            if f.rule_id == rule_id and (Path(f.path).name, f.range.start.line + 1) == where
        ]
        assert len(found) == 1, [(f.rule_id, f.path, f.range) for f in self.mine(result)]
        return found[0]
