"""tfguard scan of many modules: the same report on one core or several, and from the cache on
disk exactly what a fresh scan reports, as long as nothing the scan read has changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tfguard import batch

BUCKET = 'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "acme-{i}"\n  acl    = "{acl}"\n}}\n'


def _project(root: Path, modules: int = 6) -> None:
    for i in range(modules):
        folder = root / f"m{i}"
        folder.mkdir(parents=True)
        acl = "public-read" if i % 2 == 0 else "private"
        (folder / "main.tf").write_text(BUCKET.format(i=i, acl=acl), encoding="utf-8")
    caller = root / "caller"
    caller.mkdir()
    (caller / "main.tf").write_text(
        'module "sg" {\n  source = "../shared"\n  cidr   = "0.0.0.0/0"\n}\n', encoding="utf-8"
    )
    shared = root / "shared"
    shared.mkdir()
    (shared / "main.tf").write_text(
        'variable "cidr" {\n  default = "10.0.0.0/8"\n}\n\n'
        'resource "aws_security_group" "sg" {\n  description = "app"\n  ingress {\n'
        '    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n'
        "    cidr_blocks = [var.cidr]\n  }\n}\n",
        encoding="utf-8",
    )


def _scan(root: Path, *options: str) -> tuple[int, dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-m", "tfguard", "scan", "--format", "json", *options, str(root)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=root,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    report: dict[str, object] = json.loads(done.stdout)
    return done.returncode, report


def _findings(report: dict[str, object]) -> list[object]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return findings


def test_several_processes_report_what_one_does(tmp_path: Path) -> None:
    _project(tmp_path)
    one = _scan(tmp_path, "--no-cache", "--jobs", "1")
    several = _scan(tmp_path, "--no-cache", "--jobs", "3")
    assert one == several
    rules = {f["rule"] for f in _findings(one[1])}  # type: ignore[index]
    assert {"aws-s3-no-public-acl", "aws-ec2-no-public-ingress"} <= rules


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.json"))


@pytest.mark.parametrize(
    "change",
    [
        "m2/main.tf",  # a module's own file
        "shared/main.tf",  # a module its call analyses
        "caller/.tfguard.hcl",  # the configuration
        "caller/.terraform.lock.hcl",  # a project file a rule reads
    ],
)
def test_the_cache_gives_a_fresh_scan_until_something_read_changes(
    tmp_path: Path, change: str
) -> None:
    root = tmp_path / "project"
    root.mkdir()
    _project(root)
    cache = tmp_path / "cache"
    fresh = _scan(root, "--no-cache")
    assert _scan(root, "--cache-dir", str(cache)) == fresh
    assert _entries(cache)
    assert _scan(root, "--cache-dir", str(cache)) == fresh  # from the cache
    target = root / change
    if change.endswith("main.tf"):
        target.write_text(target.read_text().replace("22", "3389"), encoding="utf-8")
        target.write_text(
            target.read_text().replace('"private"', '"public-read-write"'), encoding="utf-8"
        )
    elif change.endswith(".tfguard.hcl"):
        target.write_text(
            'rule "aws-ec2-no-public-ingress" {\n  enabled = false\n}\n', encoding="utf-8"
        )
    else:
        target.write_text(
            'provider "registry.terraform.io/hashicorp/aws" {\n  version = "2.70.0"\n}\n',
            encoding="utf-8",
        )
    changed = _scan(root, "--no-cache")
    assert _scan(root, "--cache-dir", str(cache)) == changed


def test_a_damaged_entry_is_a_miss_and_no_cache_writes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    _project(root, modules=2)
    cache = tmp_path / "cache"
    fresh = _scan(root, "--cache-dir", str(cache))
    for entry in _entries(cache):
        entry.write_text("{not json", encoding="utf-8")
    assert _scan(root, "--cache-dir", str(cache)) == fresh
    other = tmp_path / "unused"
    assert _scan(root, "--no-cache", "--cache-dir", str(other)) == fresh
    assert not other.exists()


def test_concurrent_scans_share_a_cache(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    _project(root, modules=8)
    cache = tmp_path / "cache"
    fresh = _scan(root, "--no-cache")
    command = [sys.executable, "-m", "tfguard", "scan", "--format", "json", "--cache-dir"]
    runs = [
        subprocess.Popen(
            [*command, str(cache), "--jobs", "2", str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=root,
        )
        for _ in range(3)
    ]
    for process in runs:
        out, err = process.communicate(timeout=300)
        assert process.returncode == fresh[0], err
        assert json.loads(out) == fresh[1]
    assert not list(cache.rglob("*.tmp"))
    assert _scan(root, "--cache-dir", str(cache)) == fresh


def test_the_reads_of_an_analysis_are_recorded(tmp_path: Path) -> None:
    main = tmp_path / "main.tf"
    main.write_text('resource "aws_s3_bucket" "b" {}\n', encoding="utf-8")
    log = batch.ReadLog()
    with log.active():
        with open(main, encoding="utf-8") as handle:
            handle.read()
        os.path.isfile(tmp_path / "missing.tf")
        os.listdir(tmp_path)
    assert ("file", str(main)) in log.reads
    assert ("path", str(tmp_path / "missing.tf")) in log.reads
    assert ("list", str(tmp_path)) in log.reads
    assert not any(path.startswith(os.path.dirname(batch.__file__)) for _, path in log.reads)
    assert batch.answer(("path", str(tmp_path / "missing.tf")))[0] == "error"  # type: ignore[index]
