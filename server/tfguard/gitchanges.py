"""The files changed since a git ref, for ``tfguard scan --changed-since REF``.

"Changed since REF" is what a pull request shows plus what is not committed yet: every file
that differs between the merge base of REF and HEAD and the working tree (committed, staged
or not; with renames as a deletion and an addition, so both folders count), plus untracked
files that are not ignored. In CI the working tree is HEAD, so this is ``git diff REF...``.
Read with the ``git`` program; any failure is a :class:`GitError` with git's own words.
"""

from __future__ import annotations

import os
import shutil
import subprocess

TIMEOUT = 120.0


class GitError(Exception):
    pass


# A repository's own .git/config may come with the folder being scanned (an archive, a
# copied checkout): settings that make git run programs are switched off for every call.
_SAFE_CONFIG = (
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.untrackedCache=false",
    "-c",
    "diff.external=",
)


def find_git(cwd: str) -> str | None:
    """The git program on PATH, never one in the current or the scanned directory (Windows
    looks in the current directory first, and a scanned repository could plant git.exe)."""
    here = os.path.realpath(cwd)
    entries = [
        p
        for p in os.environ.get("PATH", "").split(os.pathsep)
        if p and p != os.curdir and os.path.isabs(p)
    ]
    for entry in entries:
        found = shutil.which("git", path=entry)
        if found is None:
            continue
        real = os.path.realpath(found)
        if real == here or real.startswith(here + os.sep):
            continue
        return found
    return None


def _git(args: list[str], cwd: str) -> str:
    git = find_git(cwd)
    if git is None:
        raise GitError("--changed-since needs git, which is not on PATH")
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        proc = subprocess.run(
            [git, *_SAFE_CONFIG, *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            timeout=TIMEOUT,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise GitError(f"cannot run git: {err}") from None
    if proc.returncode != 0:
        detail = proc.stderr.strip().splitlines()
        raise GitError(detail[-1] if detail else f"git {args[0]} failed ({proc.returncode})")
    return proc.stdout


def changed_files(ref: str, cwd: str) -> set[str]:
    """Absolute paths of the files changed since ``ref`` (see the module's description)."""
    if not ref or ref.startswith("-"):
        raise GitError(f"--changed-since: {ref!r} is not a git ref")
    if find_git(cwd) is None:
        raise GitError("--changed-since needs git, which is not on PATH")
    try:
        top = _git(["rev-parse", "--show-toplevel"], cwd).strip()
    except GitError as err:
        raise GitError(
            f"--changed-since: {os.path.abspath(cwd)} is not in a git work tree ({err})"
        ) from None
    try:
        _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], cwd)
    except GitError:
        raise GitError(
            f"--changed-since: unknown git ref {ref!r} (fetch it first; a shallow CI "
            "checkout needs the target branch, e.g. fetch-depth: 0)"
        ) from None
    try:
        base = _git(["merge-base", "--end-of-options", ref, "HEAD"], cwd).strip()
    except GitError as err:
        raise GitError(
            f"--changed-since: no common ancestor of {ref!r} and HEAD ({err}); "
            "a shallow checkout needs more history"
        ) from None
    diff = _git(
        ["diff", "--name-only", "--no-renames", "--no-ext-diff", "--no-textconv", "-z", base, "--"],
        cwd,
    )
    untracked = _git(["ls-files", "--others", "--exclude-standard", "--full-name", "-z"], cwd)
    names = [n for n in (diff + untracked).split("\0") if n]
    return {os.path.normpath(os.path.join(top, n)) for n in names}
