"""``exclude`` globs in .tfguard.hcl: their meaning, and a match time linear in the path."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import write_files

from tfguard.config import Config, glob_matches

DEEP = "/".join(f"d{i}" for i in range(25)) + "/main.tf"
HOSTILE = "**/" * 40 + "nomatch.tf"


def reference(pattern: str) -> re.Pattern[str]:
    """The regular expression globs used to be translated to (right, but exponential on
    repeated ``**/``): the oracle for the matcher on small inputs."""
    out: list[str] = []
    i = 0
    pattern = pattern.strip()
    while pattern.startswith("./"):
        pattern = pattern[2:]
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    if pattern.endswith("/"):
        out.append(".*")
    return re.compile("".join(out))


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("legacy/**", "legacy/old.tf", True),
        ("legacy/**", "legacy/a/b/old.tf", True),
        ("legacy/**", "other/legacy/old.tf", False),
        ("legacy/", "legacy/a/old.tf", True),
        ("legacy/", "legacyx/old.tf", False),
        ("**/examples/*.tf", "examples/a.tf", True),
        ("**/examples/*.tf", "x/y/examples/a.tf", True),
        ("**/examples/*.tf", "x/examples/sub/a.tf", False),
        ("**/examples/*.tf", "x/myexamples/a.tf", False),
        ("*.tf", "main.tf", True),
        ("*.tf", "sub/main.tf", False),
        ("**.tf", "sub/main.tf", True),
        ("a**b.tf", "a/x/yb.tf", True),
        ("?.tf", "a.tf", True),
        ("?.tf", "ab.tf", False),
        ("?.tf", "/.tf", False),
        ("./modules/*/main.tf", "modules/vpc/main.tf", True),
        ("  modules/*/main.tf  ", "modules/vpc/main.tf", True),
        ("./.hidden/*.tf", ".hidden/a.tf", True),
        ("a/**/b.tf", "a/b.tf", True),
        ("a/**/b.tf", "a/x/y/b.tf", True),
        ("a/**/b.tf", "ab.tf", False),
        ("a/**/**/b.tf", "a/b.tf", True),
        ("a/**/**/b.tf", "a/x/b.tf", True),
        ("a.tf", "aXtf", False),
        ("[ab].tf", "[ab].tf", True),
        ("[ab].tf", "a.tf", False),
        (HOSTILE, DEEP, False),
        ("**/" * 40 + "main.tf", DEEP, True),
        ("**/" * 40 + "d24/*.tf", DEEP, True),
        ("*/" * 26 + "*", DEEP, False),
        ("*/" * 25 + "*", DEEP, True),
    ],
)
def test_glob_meaning(pattern: str, path: str, expected: bool) -> None:
    assert glob_matches(pattern, path) is expected


_PIECE = st.sampled_from(["a", "b", ".", "/", "*", "**", "**/", "?", "-"])


@settings(max_examples=400, deadline=None)
@given(
    pattern=st.lists(_PIECE, max_size=8).map("".join),
    path=st.lists(st.sampled_from(["a", "b", ".", "/", "ab", "-"]), max_size=10).map("".join),
)
def test_glob_matches_like_the_reference_translation(pattern: str, path: str) -> None:
    assert glob_matches(pattern, path) == bool(reference(pattern).fullmatch(path))


def test_is_excluded_uses_paths_relative_to_the_configuration(tmp_path: Path) -> None:
    config = Config(str(tmp_path / ".tfguard.hcl"), exclude=("legacy/**", HOSTILE))
    assert config.is_excluded(str(tmp_path / "legacy" / "a.tf"))
    assert not config.is_excluded(str(tmp_path / "main.tf"))
    assert not config.is_excluded(str(tmp_path / DEEP))


def test_a_hostile_exclude_glob_does_not_hang_the_scan(tmp_path: Path) -> None:
    insecure = 'resource "aws_kms_key" "k" {\n  description = "k"\n}\n'
    write_files(
        tmp_path,
        {
            ".tfguard.hcl": f'exclude = ["{HOSTILE}", "{"**/" * 40}skipped/*.tf"]\n',
            DEEP: insecure,
            "d0/skipped/x.tf": insecure,
        },
    )
    # A hang guard, not a speed assertion: the matcher used to run for minutes here.
    done = subprocess.run(
        [sys.executable, "-m", "tfguard", "scan", "--format", "json", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 1, done.stderr
    paths = {f["path"] for f in json.loads(done.stdout)["findings"]}
    assert paths == {DEEP}
