"""Would git ignore this path? Read without a git binary, through the engine's
:class:`~tfguard.project.ProjectFiles` (reads cached, editor buffers count): ``.gitignore``
files, the repository's ``info/exclude`` and the index (to tell files already committed).

Implemented gitignore semantics: blank lines and ``#`` comments, trailing-space trimming,
``\\`` escapes, ``!`` negation (the last matching pattern wins, deeper files override
shallower ones), directory-only patterns (``dir/``), anchoring (a ``/`` at the start or in
the middle), ``*``, ``?``, ``[...]`` classes and ``**`` (leading, trailing and middle), and
"a file under an ignored directory cannot be re-included". Not read: the user's global
``core.excludesFile`` (it is not shared with the team, so it does not protect the repository).
"""

from __future__ import annotations

import os
import re
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tfguard.project import ProjectFiles


def _disk() -> ProjectFiles:
    from tfguard.project import ProjectFiles

    return ProjectFiles(os.sep)


@dataclass(frozen=True, slots=True)
class Pattern:
    base: str  # directory of the file the pattern comes from, relative to the root ("" = root)
    regex: re.Pattern[str]
    negated: bool
    dir_only: bool
    source: str  # "path/.gitignore:3: *.tfstate", for messages

    def matches(self, rel: str, is_dir: bool) -> bool:
        if self.dir_only and not is_dir:
            return False
        if self.base:
            if not rel.startswith(self.base + "/"):
                return False
            rel = rel[len(self.base) + 1 :]
        return self.regex.fullmatch(rel) is not None


def _class(pattern: str, i: int) -> tuple[str, int] | None:
    """Translate a ``[...]`` class starting at ``pattern[i]``; None when it is not closed."""
    j = i + 1
    negate = False
    if j < len(pattern) and pattern[j] in "!^":
        negate = True
        j += 1
    start = j
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    if j >= len(pattern):
        return None
    body = pattern[start:j]
    out: list[str] = []
    k = 0
    while k < len(body):
        ch = body[k]
        if ch == "\\" and k + 1 < len(body):
            out.append(re.escape(body[k + 1]))
            k += 2
            continue
        if ch == "-" and out and k + 1 < len(body):
            out.append("-")
        else:
            out.append(re.escape(ch) if ch != "-" else r"\-")
        k += 1
    inner = "".join(out)
    return (f"[^/{inner}]" if negate else f"(?![/])[{inner}]"), j + 1


def translate(pattern: str) -> str:
    """A gitignore glob (already stripped of ``!``, anchoring ``/`` and a trailing ``/``)
    as a regular expression over a ``/``-separated relative path."""
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "*":
            if pattern.startswith("**", i):
                at_start = i == 0 or pattern[i - 1] == "/"
                at_end = i + 2 == n or pattern[i + 2] == "/"
                if at_start and at_end:
                    if i + 2 == n:
                        out.append(".*")  # "dir/**": everything inside
                        i += 2
                    else:
                        out.append("(?:.*/)?")  # "**/x" or "a/**/b": zero or more dirs
                        i += 3
                    continue
                i += 2
                out.append("[^/]*")
                continue
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            translated = _class(pattern, i)
            if translated is None:
                out.append(re.escape(ch))
            else:
                out.append(translated[0])
                i = translated[1]
                continue
        elif ch == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


def parse_line(line: str, base: str, source: str) -> Pattern | None:
    line = line.rstrip("\n").rstrip("\r")
    if not line or line.startswith("#"):
        return None
    # Trailing spaces are ignored unless escaped.
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(line):
        stripped += " "
    line = stripped
    if not line:
        return None
    negated = False
    if line.startswith("!"):
        negated = True
        line = line[1:]
    elif line.startswith("\\!") or line.startswith("\\#"):
        line = line[1:]
    dir_only = False
    if line.endswith("/") and not line.endswith("\\/"):
        dir_only = True
        line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    line = line.lstrip("/")
    if not anchored:
        line = "**/" + line
    try:
        regex = re.compile(translate(line), re.S)
    except re.error:
        return None
    return Pattern(base, regex, negated, dir_only, source)


# -- reading files ------------------------------------------------------------------------------


def _pattern_lines(data: bytes) -> list[tuple[int, str]]:
    return list(enumerate(data.decode("utf-8", errors="replace").splitlines(), 1))


def _patterns_from(files: ProjectFiles, path: str, base: str, origin: str) -> list[Pattern]:
    lines = files.parsed(path, _pattern_lines)
    if lines is None:
        return []
    out: list[Pattern] = []
    for number, line in lines:
        pattern = parse_line(line, base, f"{origin}:{number}")
        if pattern is not None:
            out.append(pattern)
    return out


# -- the repository ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Repository:
    root: str  # the working tree: the directory that holds the .git entry
    git_dir: str | None  # where index and info/ live (None: .git could not be read)
    common_dir: str | None


def find_repository(directory: str, files: ProjectFiles | None = None) -> Repository | None:
    """The repository that contains ``directory``: the nearest ancestor with a ``.git``."""
    files = files if files is not None else _disk()
    current = os.path.abspath(directory)
    while True:
        dot_git = os.path.join(current, ".git")
        if files.is_dir(dot_git):
            return Repository(current, dot_git, _common_dir(files, dot_git))
        if files.is_file(dot_git):
            git_dir = _gitdir_file(files, dot_git, current)
            common = _common_dir(files, git_dir) if git_dir else None
            return Repository(current, git_dir, common)
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _gitdir_file(files: ProjectFiles, path: str, worktree: str) -> str | None:
    """A ``.git`` file (worktrees, submodules) says ``gitdir: <path>``."""
    text = files.text(path, 64 * 1024)
    if text is None:
        return None
    first = text.split("\n", 1)[0].strip()
    if not first.startswith("gitdir:"):
        return None
    target = first[len("gitdir:") :].strip()
    target = os.path.normpath(os.path.join(worktree, target))
    return target if files.is_dir(target) else None


def _common_dir(files: ProjectFiles, git_dir: str) -> str:
    text = files.text(os.path.join(git_dir, "commondir"), 64 * 1024)
    if text is None:
        return git_dir
    return os.path.normpath(os.path.join(git_dir, text.strip()))


class IgnoreMatcher:
    """Decides whether paths under one repository (or one bare directory) are ignored."""

    def __init__(
        self, root: str, exclude_file: str | None = None, files: ProjectFiles | None = None
    ) -> None:
        self.root = os.path.abspath(root)
        self._files = files if files is not None else _disk()
        self._by_dir: dict[str, list[Pattern]] = {}
        self._exclude: list[Pattern] = (
            _patterns_from(self._files, exclude_file, "", ".git/info/exclude")
            if exclude_file
            else []
        )

    def _dir_patterns(self, rel_dir: str) -> list[Pattern]:
        if rel_dir not in self._by_dir:
            path = (
                os.path.join(self.root, rel_dir, ".gitignore")
                if rel_dir
                else os.path.join(self.root, ".gitignore")
            )
            origin = f"{rel_dir}/.gitignore" if rel_dir else ".gitignore"
            self._by_dir[rel_dir] = _patterns_from(self._files, path, rel_dir, origin)
        return self._by_dir[rel_dir]

    def _patterns_for(self, rel: str) -> list[Pattern]:
        """Patterns that can apply to ``rel``, lowest precedence first."""
        parts = rel.split("/")[:-1]
        out = list(self._exclude)
        for depth in range(len(parts) + 1):
            out.extend(self._dir_patterns("/".join(parts[:depth])))
        return out

    def _decide(self, rel: str, is_dir: bool) -> Pattern | None:
        for pattern in reversed(self._patterns_for(rel)):
            if pattern.matches(rel, is_dir):
                return pattern
        return None

    def ignored_by(self, rel: str) -> Pattern | None:
        """The pattern that ignores the file ``rel`` (relative to the root, ``/``-separated),
        or None when git would offer it for commit."""
        parts = rel.split("/")
        for depth in range(1, len(parts)):
            directory = "/".join(parts[:depth])
            decided = self._decide(directory, is_dir=True)
            if decided is not None and not decided.negated:
                return decided  # nothing inside an ignored directory can be re-included
        decided = self._decide(rel, is_dir=False)
        if decided is not None and not decided.negated:
            return decided
        return None


# -- the index: which files are already committed ----------------------------------------------

MAX_INDEX_BYTES = 64 * 1024 * 1024


def parse_index(data: bytes) -> frozenset[str] | None:
    if len(data) < 12 or data[:4] != b"DIRC":
        return None
    version, count = struct.unpack(">II", data[4:12])
    if version not in (2, 3, 4):
        return None
    names: list[str] = []
    pos = 12
    previous = b""
    try:
        for _ in range(count):
            start = pos
            flags = struct.unpack(">H", data[pos + 60 : pos + 62])[0]
            pos += 62
            if version >= 3 and flags & 0x4000:
                pos += 2
            if version == 4:
                strip, pos = _varint(data, pos)
                end = data.index(b"\x00", pos)
                name = previous[: len(previous) - strip] + data[pos:end]
                pos = end + 1
            else:
                end = data.index(b"\x00", pos)
                name = data[pos:end]
                # Entries are padded with 1-8 NULs to a multiple of 8 bytes.
                pos = start + ((end - start + 8) // 8) * 8
            previous = name
            names.append(name.decode("utf-8", errors="replace"))
    except (struct.error, ValueError, IndexError):
        return None
    return frozenset(names)


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    byte = data[pos]
    pos += 1
    value = byte & 0x7F
    while byte & 0x80:
        byte = data[pos]
        pos += 1
        value = ((value + 1) << 7) | (byte & 0x7F)
    return value, pos


def tracked_paths(repo: Repository, files: ProjectFiles | None = None) -> frozenset[str]:
    """Paths recorded in the repository's index; empty when it cannot be read."""
    if repo.git_dir is None:
        return frozenset()
    files = files if files is not None else _disk()
    found = files.parsed(os.path.join(repo.git_dir, "index"), parse_index, MAX_INDEX_BYTES)
    return found if found is not None else frozenset()


def matcher_for(
    repo: Repository | None, directory: str, files: ProjectFiles | None = None
) -> IgnoreMatcher:
    """The ignore rules for files under ``directory``: the repository's, or (outside any
    repository) only the ``.gitignore`` of ``directory`` itself."""
    if repo is None:
        return IgnoreMatcher(directory, files=files)
    exclude = os.path.join(repo.common_dir, "info", "exclude") if repo.common_dir else None
    return IgnoreMatcher(repo.root, exclude, files)
