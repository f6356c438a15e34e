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

from pathlib import Path

import pytest
from tests.rules.aws.kics_aws_part2 import DISAGREEMENTS, QUERIES
from tests.rules.aws.kics_harness import disagreements, unpack_queries

from tfguard.rules import registry


@pytest.fixture(scope="session")
def kics_aws_part2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return unpack_queries(tmp_path_factory, QUERIES, "kics-part2")


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
