"""Agreement with KICS's labelled AWS query tests, for the queries the IAM policy, edge and API,
and data-store rules of the second AWS wave cover.

KICS ships, per query, ``test/positive*.tf`` files with the lines it flags
(``positive_expected_result.json``) and ``test/negative*.tf`` files it must not flag. Each file
is analysed alone; for the rule a query maps to (``kics_aws_part2.QUERIES``) a finding must
exist at every expected line of a positive file, none at other lines of it, and none in a
negative file. Where tfguard disagrees on purpose, or KICS is wrong, the case is listed with
its reason in ``kics_aws_part2.DISAGREEMENTS``; the test checks that exactly the listed cases
disagree, so the list cannot go stale.

The corpus is not part of the repository: the archive ``kics-terraform.tar.gz`` is read from
the ``shared/corpora`` folder beside the repository root and unpacked (the queries of this
module only) into a temporary folder; without it the test is skipped.
"""

from __future__ import annotations

import json
import shutil
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.rules.aws.kics_aws_part2 import DISAGREEMENTS, QUERIES

from tfguard.engine import Engine
from tfguard.rules import registry

Case = tuple[str, int, str]  # (file name, 1-based line, "missed" | "extra" | "negative")


def repo_root() -> Path:
    here = Path(__file__).resolve()
    for folder in here.parents:
        if (folder / "pyproject.toml").is_file():
            return folder
    raise AssertionError("no pyproject.toml above the tests")


ARCHIVE = repo_root().parent / "shared" / "corpora" / "kics-terraform.tar.gz"
PREFIX = "kics-terraform/aws/"


@pytest.fixture(scope="session")
def kics_aws_part2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not ARCHIVE.is_file():
        pytest.skip(f"KICS corpus archive not found ({ARCHIVE.name} in shared/corpora)")
    target = tmp_path_factory.mktemp("kics-part2")
    wanted = tuple(f"{PREFIX}{q}/" for q in QUERIES)
    with tarfile.open(ARCHIVE, "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.isfile() and m.name.startswith(wanted)]
        archive.extractall(target, members=members, filter="data")
    return target / PREFIX


def expected_lines(test_dir: Path) -> dict[str, set[int]]:
    """Positive file name → the lines KICS flags in it."""
    positives = sorted(p.name for p in test_dir.glob("positive*.tf"))
    out: dict[str, set[int]] = {name: set() for name in positives}
    path = test_dir / "positive_expected_result.json"
    for entry in json.loads(path.read_text(encoding="utf-8")):
        name = entry.get("fileName") or entry.get("filename")
        if name is None:  # KICS's convention: the query's positive.tf, or its only positive
            name = "positive.tf" if "positive.tf" in out else positives[0]
        if name in out:
            out[name].add(int(entry["line"]))
    return out


def finding_lines(path: Path, rule_id: str, scratch: Path) -> set[int]:
    """The 1-based lines of ``rule_id``'s findings when ``path`` is analysed alone."""
    folder = scratch / path.stem
    folder.mkdir()
    shutil.copy(path, folder / "main.tf")
    result = Engine().analyze_module(str(folder))
    assert not result.rule_errors, result.rule_errors
    return {f.range.start.line + 1 for f in result.all_findings() if f.rule_id == rule_id}


def disagreements(test_dir: Path, rule_id: str, scratch: Path) -> Iterator[Case]:
    for name, lines in expected_lines(test_dir).items():
        found = finding_lines(test_dir / name, rule_id, scratch)
        for line in sorted(lines - found):
            yield name, line, "missed"
        for line in sorted(found - lines):
            yield name, line, "extra"
    for path in sorted(test_dir.glob("negative*.tf")):
        for line in sorted(finding_lines(path, rule_id, scratch)):
            yield path.name, line, "negative"


@pytest.mark.parametrize("query", sorted(QUERIES))
def test_kics_query_agrees_except_listed(query: str, kics_aws_part2: Path, tmp_path: Path) -> None:
    test_dir = kics_aws_part2 / query / "test"
    assert test_dir.is_dir(), f"KICS query {query} is not in the corpus"
    found = set(disagreements(test_dir, QUERIES[query], tmp_path))
    listed = set(DISAGREEMENTS.get(query, {}))
    assert found == listed, {
        "unlisted disagreements": sorted(found - listed),
        "listed but agreeing now": sorted(listed - found),
    }


def test_every_disagreement_has_a_reason() -> None:
    for query, cases in DISAGREEMENTS.items():
        assert query in QUERIES, query
        for case, reason in cases.items():
            assert case[2] in ("missed", "extra", "negative"), (query, case)
            assert len(reason) > 20, (query, case)


def test_the_mapped_rules_exist() -> None:
    assert {r for r in QUERIES.values() if registry.get(r) is None} == set()
