"""gitignore pattern semantics and the git index reader used by the state-file rule."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from tfguard.gitfiles import (
    IgnoreMatcher,
    find_repository,
    parse_index,
)


def ignored(root: Path, lines: list[str], path: str, base: str = "") -> bool:
    """Whether ``path`` is ignored when the .gitignore in ``base`` holds ``lines``."""
    folder = root / base if base else root
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".gitignore").write_text("\n".join(lines) + "\n")
    return IgnoreMatcher(str(root)).ignored_by(path) is not None


@pytest.mark.parametrize(
    ("lines", "path", "expected"),
    [
        (["*.tfstate"], "terraform.tfstate", True),
        (["*.tfstate"], "a/b/terraform.tfstate", True),  # no slash: any depth
        (["*.tfstate"], "terraform.tfstate.backup", False),
        (["*.tfstate*"], "terraform.tfstate.backup", True),
        (["*.tfstate.*"], "terraform.tfstate.1700000000.backup", True),
        (["/terraform.tfstate"], "terraform.tfstate", True),
        (["/terraform.tfstate"], "env/terraform.tfstate", False),  # anchored
        (["env/*.tfstate"], "env/terraform.tfstate", True),  # middle slash anchors too
        (["env/*.tfstate"], "x/env/terraform.tfstate", False),
        (["env/*.tfstate"], "env/sub/terraform.tfstate", False),  # * stops at /
        (["**/env/*.tfstate"], "x/y/env/terraform.tfstate", True),
        (["a/**/b.tfstate"], "a/b.tfstate", True),  # /**/ matches zero directories
        (["a/**/b.tfstate"], "a/x/y/b.tfstate", True),
        (["live/**"], "live/prod/terraform.tfstate", True),
        (["live/**"], "other/live/prod/terraform.tfstate", False),
        (["state/"], "state/terraform.tfstate", True),  # directory pattern
        (["terraform.tfstate/"], "terraform.tfstate", False),  # only directories
        (["*.tfstate", "!prod.tfstate"], "prod.tfstate", False),  # negation, last wins
        (["!prod.tfstate", "*.tfstate"], "prod.tfstate", True),
        (["state/", "!state/keep.tfstate"], "state/keep.tfstate", True),  # parent excluded
        (["terraform.tfstat?"], "terraform.tfstate", True),
        (["terraform.tfstat[a-f]"], "terraform.tfstate", True),
        (["terraform.tfstat[!e]"], "terraform.tfstate", False),
        (["# *.tfstate"], "# *.tfstate", False),  # a comment
        (["\\#prod.tfstate"], "#prod.tfstate", True),  # escaped hash
        (["\\!prod.tfstate"], "!prod.tfstate", True),  # escaped bang
        (["*.tfstate   "], "x.tfstate", True),  # trailing spaces trimmed
        (["", "   "], "x.tfstate", False),
        (["**"], "deep/x.tfstate", True),
        (["x**.tfstate"], "xyz.tfstate", True),  # ** inside a name is a plain *
    ],
)
def test_patterns(tmp_path: Path, lines: list[str], path: str, expected: bool) -> None:
    assert ignored(tmp_path, lines, path) is expected


def test_patterns_of_a_nested_file_are_relative_to_it(tmp_path: Path) -> None:
    assert ignored(tmp_path, ["/terraform.tfstate"], "live/terraform.tfstate", base="live")
    assert not ignored(tmp_path, ["/terraform.tfstate"], "live/x/terraform.tfstate", base="live")
    assert not ignored(tmp_path, ["*.tfstate"], "other/terraform.tfstate", base="live")


def test_find_repository_follows_gitdir_files(tmp_path: Path) -> None:
    real = tmp_path / "real-git-dir"
    (real / "info").mkdir(parents=True)
    work = tmp_path / "worktree" / "stacks"
    work.mkdir(parents=True)
    (tmp_path / "worktree" / ".git").write_text(f"gitdir: {real}\n")
    repo = find_repository(str(work))
    assert repo is not None
    assert repo.root == str(tmp_path / "worktree")
    assert repo.git_dir == str(real)


def _entry(name: bytes, flags_extra: int = 0) -> bytes:
    return bytes(60) + struct.pack(">H", len(name) | flags_extra)


def test_index_versions_2_and_4() -> None:
    names = [b"live/main.tf", b"live/terraform.tfstate"]
    v2 = bytearray(b"DIRC" + struct.pack(">II", 2, 2))
    for name in names:
        entry = _entry(name) + name
        entry += b"\x00" * (8 - len(entry) % 8)
        v2 += entry
    assert parse_index(bytes(v2)) == {"live/main.tf", "live/terraform.tfstate"}

    # Version 4 compresses each path against the previous one: strip N bytes, add a suffix.
    v4 = bytearray(b"DIRC" + struct.pack(">II", 4, 2))
    v4 += _entry(names[0]) + bytes([0]) + names[0] + b"\x00"
    v4 += _entry(names[1]) + bytes([len("main.tf")]) + b"terraform.tfstate\x00"
    assert parse_index(bytes(v4)) == {"live/main.tf", "live/terraform.tfstate"}


def test_index_garbage_is_unreadable_not_fatal() -> None:
    assert parse_index(b"") is None
    assert parse_index(b"NOPE" + bytes(20)) is None
    assert parse_index(b"DIRC" + struct.pack(">II", 2, 5) + b"\x01\x02") is None
