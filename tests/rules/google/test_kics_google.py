"""Agreement with KICS's labelled GCP query tests: for every query a tfguard rule covers,
each expected line of a positive file carries a finding of the rule (on the line itself or
as one of its related locations), and negative files carry none; the cases where tfguard
disagrees on purpose are listed, with reasons, in kics_google.DISAGREEMENTS."""

from __future__ import annotations

import json
import shutil
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.rules.google.kics_google import DISAGREEMENTS, MAPPING

from tfguard.engine import Engine
from tfguard.findings import Finding
from tfguard.rules import registry

PROVIDER = "gcp"


def _repo_root() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists():
            return parent
    raise AssertionError("no pyproject.toml above the tests")


ARCHIVE = _repo_root().parent / "shared" / "corpora" / "kics-terraform.tar.gz"


@pytest.fixture(scope="session")
def kics_gcp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not ARCHIVE.exists():
        pytest.skip(f"the KICS corpus archive is not available ({ARCHIVE.name} next to the repo)")
    target = tmp_path_factory.mktemp("kics")
    prefix = f"kics-terraform/{PROVIDER}/"
    with tarfile.open(ARCHIVE) as archive:
        members = [m for m in archive.getmembers() if m.name.startswith(prefix)]
        archive.extractall(target, members=members, filter="data")
    return target / "kics-terraform" / PROVIDER


def _findings(folder: Path, name: str, scratch: Path) -> list[Finding]:
    """The findings of one KICS test file analysed on its own (positive and negative files of
    a query share names, so they are never analysed as one module)."""
    alone = scratch / name.replace(".", "_")
    alone.mkdir()
    shutil.copy(folder / name, alone / "main.tf")
    result = Engine().analyze_module(str(alone))
    assert not result.rule_errors, result.rule_errors
    return result.all_findings()


def _lines(finding: Finding) -> set[int]:
    """The finding's line and the lines of its related locations in the same file."""
    related = {r.range.start.line + 1 for r in finding.related if r.path == finding.path}
    return {finding.range.start.line + 1} | related


def _expected(test: Path) -> dict[str, set[int]]:
    positives = sorted(p.name for p in test.glob("positive*.tf"))
    data = json.loads((test / "positive_expected_result.json").read_text(encoding="utf-8"))
    out: dict[str, set[int]] = {name: set() for name in positives}
    for item in data:
        # KICS spells the key fileName or filename; without it the file is positive.tf.
        named = item.get("fileName") or item.get("filename")
        name = named or ("positive.tf" if "positive.tf" in out else positives[0])
        out.setdefault(name, set()).add(int(item["line"]))
    return out


def _disagreements(kics: Path, scratch: Path) -> Iterator[tuple[str, str, int]]:
    for query, rules in sorted(MAPPING.items()):
        test = kics / query / "test"
        for name, lines in sorted(_expected(test).items()):
            found = [f for f in _findings(test, name, scratch / query) if f.rule_id in rules]
            reported = set().union(*(_lines(f) for f in found)) if found else set()
            for line in sorted(lines - reported):
                yield query, name, line
        for negative in sorted(p.name for p in test.glob("negative*.tf")):
            for finding in _findings(test, negative, scratch / query):
                if finding.rule_id in rules:
                    yield query, negative, finding.range.start.line + 1


def test_mapped_rules_exist() -> None:
    for rules in MAPPING.values():
        for rule in rules:
            assert registry.get(rule) is not None and registry.get(rule).id == rule  # type: ignore[union-attr]


def test_kics_gcp_agreement(kics_gcp: Path, tmp_path: Path) -> None:
    for query in MAPPING:
        assert (kics_gcp / query / "test").is_dir(), query
        (tmp_path / query).mkdir()
    found = sorted(set(_disagreements(kics_gcp, tmp_path)))
    assert found == sorted(DISAGREEMENTS), [d for d in found if d not in DISAGREEMENTS]
