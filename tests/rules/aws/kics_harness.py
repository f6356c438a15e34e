"""The KICS agreement harness both AWS KICS tests use: unpack the labelled query tests of
``shared/corpora/kics-terraform.tar.gz`` (beside the repository root), read KICS's expected
lines, and list where tfguard disagrees with them."""

from __future__ import annotations

import json
import shutil
import tarfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from tfguard.engine import Engine

Case = tuple[str, int, str]  # (file name, 1-based line, "missed" | "extra" | "negative")
PREFIX = "kics-terraform/aws/"


def repo_root() -> Path:
    here = Path(__file__).resolve()
    for folder in here.parents:
        if (folder / "pyproject.toml").is_file():
            return folder
    raise AssertionError("no pyproject.toml above the tests")


ARCHIVE = repo_root().parent / "shared" / "corpora" / "kics-terraform.tar.gz"


def unpack_queries(
    tmp_path_factory: pytest.TempPathFactory, queries: Iterable[str], name: str
) -> Path:
    """The folder holding the given AWS queries' tests (skips the test when the archive is
    missing)."""
    if not ARCHIVE.is_file():
        pytest.skip(f"KICS corpus archive not found ({ARCHIVE.name} in shared/corpora)")
    target = tmp_path_factory.mktemp(name)
    wanted = tuple(f"{PREFIX}{q}/" for q in queries)
    with tarfile.open(ARCHIVE, "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.isfile() and m.name.startswith(wanted)]
        archive.extractall(target, members=members, filter="data")
    return target / PREFIX


def expected_lines(test_dir: Path) -> dict[str, set[int]]:
    """Positive file name → the lines KICS flags in it."""
    positives = sorted(p.name for p in test_dir.glob("positive*.tf"))
    out: dict[str, set[int]] = {name: set() for name in positives}
    path = test_dir / "positive_expected_result.json"
    entries = json.loads(path.read_text(encoding="utf-8"))
    for entry in entries if isinstance(entries, list) else [entries]:  # one entry: an object
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
