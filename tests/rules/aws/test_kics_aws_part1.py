"""Agreement with KICS's labelled AWS query tests, for the queries the RDS/Aurora, EKS,
logging and monitoring, compute and container, and account-level rules cover.

KICS ships, per query, ``test/positive*.tf`` files with the lines it flags
(``positive_expected_result.json``) and ``test/negative*.tf`` files it must not flag. Each file
is analysed alone; for the rule a query maps to (``kics_aws_part1.QUERIES``) a finding must
exist at every expected line of a positive file, none at other lines of it, and none in a
negative file. Where tfguard disagrees on purpose, or KICS is wrong, the case is listed with
its reason in ``kics_aws_part1.DISAGREEMENTS``; the test checks that exactly the listed cases
disagree, so the list cannot go stale.

The corpus is not part of the repository: the archive ``kics-terraform.tar.gz`` is read from
the ``shared/corpora`` folder beside the repository root and unpacked (the AWS queries only)
into a temporary folder; without it the test is skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.rules.aws.kics_aws_part1 import DISAGREEMENTS, QUERIES
from tests.rules.aws.kics_harness import disagreements, unpack_queries


@pytest.fixture(scope="session")
def kics_aws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return unpack_queries(tmp_path_factory, QUERIES, "kics")


@pytest.mark.parametrize("query", sorted(QUERIES))
def test_kics_query_agrees_except_listed(query: str, kics_aws: Path, tmp_path: Path) -> None:
    test_dir = kics_aws / query / "test"
    assert test_dir.is_dir(), f"KICS query {query} is not in the corpus"
    rule_id = QUERIES[query]
    found = set(disagreements(test_dir, rule_id, tmp_path))
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
    from tfguard.rules import registry

    assert {r for r in QUERIES.values() if registry.get(r) is None} == set()
