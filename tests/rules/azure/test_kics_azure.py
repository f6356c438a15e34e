"""Agreement with KICS's labelled Azure query tests.

For every KICS query that a tfguard rule covers (kics_azure_mapping.py), each positive file
must get a finding of one of the mapped rules at each labelled line (or inside the resource
that the labelled line belongs to: KICS labels an attribute where tfguard may anchor the
block's header, or the other way round), and negative files none. The cases where the two
disagree on purpose are listed with their reasons in kics_disagreements.py, and the test
checks that exactly those disagree.

The corpus is unpacked from kics-terraform.tar.gz in the shared corpora folder beside the
repository; the tests skip when the archive is not there.
"""

from __future__ import annotations

import json
import shutil
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.rules.azure.kics_azure_mapping import KICS_QUERIES
from tests.rules.azure.kics_disagreements import EXTRA, MISSED

from tfguard.engine import Engine
from tfguard.findings import Finding
from tfguard.rules import registry

PREFIX = "kics-terraform/azure/"


def _repo_root() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file():
            return parent
    raise RuntimeError("no pyproject.toml above the test")


ARCHIVE = _repo_root().parent / "shared" / "corpora" / "kics-terraform.tar.gz"


@pytest.fixture(scope="session")
def kics_azure(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not ARCHIVE.is_file():
        pytest.skip(f"the KICS corpus archive is not available ({ARCHIVE.name} not found)")
    target = tmp_path_factory.mktemp("kics")
    with tarfile.open(ARCHIVE, "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.name.startswith(PREFIX)]
        archive.extractall(target, members=members, filter="data")
    return target / PREFIX


@dataclass(frozen=True)
class Outcome:
    missed: frozenset[tuple[str, str, int]]
    extra: frozenset[tuple[str, str, int]]
    exact: int  # labels matched on the same line
    in_block: int  # labels matched inside the same resource
    labels: int


def _findings(path: Path, scratch: Path, rules: tuple[str, ...]) -> list[Finding]:
    """The mapped rules' findings on one KICS file, analysed on its own."""
    folder = scratch / f"{path.parent.parent.name}-{path.stem}"
    folder.mkdir()
    shutil.copy(path, folder / path.name)
    result = Engine().analyze_module(str(folder))
    assert not result.rule_errors, result.rule_errors
    return [f for f in result.all_findings() if f.rule_id in rules]


def _in_block(finding: Finding, line: int) -> bool:
    """Whether a 1-based line lies in the top-level block the finding belongs to."""
    lines = finding.block_lines
    return lines is not None and lines[0] + 1 <= line <= lines[1] + 1


def _labels(test_dir: Path) -> Iterator[tuple[Path, int]]:
    positives = sorted(test_dir.glob("positive*.tf"))
    data = json.loads((test_dir / "positive_expected_result.json").read_text(encoding="utf-8"))
    for entry in data:
        name = entry.get("fileName") or entry.get("filename")
        if name is None:  # one positive file: the labels are its own
            name = positives[0].name if len(positives) == 1 else "positive.tf"
        yield test_dir / name, int(entry["line"])


def _compare(corpus: Path, scratch: Path) -> Outcome:
    missed: set[tuple[str, str, int]] = set()
    extra: set[tuple[str, str, int]] = set()
    exact = in_block = labels = 0
    for query, rules in sorted(KICS_QUERIES.items()):
        test_dir = corpus / query / "test"
        by_file: dict[Path, set[int]] = {}
        for path, line in _labels(test_dir):
            by_file.setdefault(path, set()).add(line)
        for path, lines in sorted(by_file.items()):
            found = _findings(path, scratch, rules)
            for line in sorted(lines):
                labels += 1
                if any(f.range.start.line + 1 == line for f in found):
                    exact += 1
                elif any(_in_block(f, line) for f in found):
                    in_block += 1
                else:
                    missed.add((query, path.name, line))
        for path in sorted(test_dir.glob("negative*.tf")):
            for finding in _findings(path, scratch, rules):
                extra.add((query, path.name, finding.range.start.line + 1))
    return Outcome(frozenset(missed), frozenset(extra), exact, in_block, labels)


@pytest.fixture(scope="module")
def outcome(kics_azure: Path, tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    return _compare(kics_azure, tmp_path_factory.mktemp("kics-scans"))


def test_mapping_names_existing_queries_and_rules(kics_azure: Path) -> None:
    for query, rules in KICS_QUERIES.items():
        assert (kics_azure / query / "test" / "positive_expected_result.json").is_file(), query
        for rule_id in rules:
            rule = registry.get(rule_id)
            assert rule is not None and rule.id == rule_id, rule_id


def test_kics_labels_tfguard_misses_are_exactly_the_listed_ones(outcome: Outcome) -> None:
    assert sorted(outcome.missed - set(MISSED)) == [], "new disagreements with KICS positives"
    assert sorted(set(MISSED) - outcome.missed) == [], "listed disagreements that now agree"


def test_tfguard_findings_in_kics_negatives_are_exactly_the_listed_ones(
    outcome: Outcome,
) -> None:
    assert sorted(outcome.extra - set(EXTRA)) == [], "new findings in KICS negatives"
    assert sorted(set(EXTRA) - outcome.extra) == [], "listed findings that are gone"


def test_most_kics_labels_agree(outcome: Outcome) -> None:
    # Not a threshold to tune: the exact lists above decide. This states the scale.
    agreed = outcome.exact + outcome.in_block
    assert agreed + len(outcome.missed) == outcome.labels
    assert agreed > 4 * len(outcome.missed)
