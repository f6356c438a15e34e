"""What ``tfguard scan`` and ``tfguard fix`` read and write: the directories and files named on
the command line (the *roots*), and nothing reached from them through a link to elsewhere.

- A symbolic link to a file outside the roots is not read; a note names it. A link to a file
  inside the roots is read, and with :attr:`Roots.report_once` a file reached by several
  paths (itself and links to it) is reported once, under the first of them in sorted order.
- Links to directories are not followed (``os.walk``'s default, which also keeps a link to a
  parent from looping); a note names those that point outside the roots.
- A directory that cannot be listed is an error naming it, like a file that cannot be read.
- ``tfguard fix`` never writes through a link out of the roots, and through a link inside
  them only when asked (``--follow-symlinks``); nor does it rewrite a file whose bytes are not
  all UTF-8 text (the rewrite would change them).

Whatever the roots, a fix never creates or extends a file outside its module's directory, in
the editor too (:func:`module_escape`): the ``variables.tf`` a fix declares a variable in may
be a link to a file shared by other modules, or a dangling link that creating would follow.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TextIO

from tfguard.fixes import Fix

OUTSIDE = "outside the scanned directories"


class Roots:
    def __init__(self, paths: Iterable[str], base: str, *, report_once: bool = True) -> None:
        """``paths`` as given on the command line; messages name paths relative to ``base``.
        A named file's directory is a root too: its module is what gets analysed."""
        self.base = base
        self._real_base = os.path.realpath(base)
        self.report_once = report_once
        dirs: set[str] = set()
        files: set[str] = set()
        for raw in paths:
            path = os.path.abspath(raw)
            if os.path.isdir(path):
                dirs.add(os.path.realpath(path))
            else:
                files.add(os.path.realpath(path))
                dirs.add(os.path.realpath(os.path.dirname(path)))
        self.dirs = tuple(sorted(dirs))
        self.files = frozenset(files)
        self.notes: dict[str, str] = {}  # path -> why it was skipped
        self.errors: dict[str, str] = {}  # directory -> why it could not be listed
        self._real_dirs: dict[str, str] = {}
        self._by_real: dict[str, set[str]] = {}  # real path -> the paths it was seen under

    # -- reading -----------------------------------------------------------------------------

    def contains(self, real: str) -> bool:
        """Whether a real path (symbolic links resolved) is inside the roots."""
        if real in self.files:
            return True
        return any(real == d or real.startswith(d.rstrip(os.sep) + os.sep) for d in self.dirs)

    def show(self, path: str, *, real: bool = False) -> str:
        """``path`` relative to the base (``real``: a path with its links resolved)."""
        try:
            return os.path.relpath(path, self._real_base if real else self.base)
        except ValueError:  # another drive
            return path

    def admit(self, path: str, is_link: bool) -> bool:
        """Whether a file found in a scanned directory may be read (a note says why not)."""
        real = os.path.realpath(path) if is_link else self._real(path)
        if is_link and not self.contains(real):
            self.notes[path] = f"a symbolic link to {self.show(real, real=True)}, {OUTSIDE}"
            return False
        self._by_real.setdefault(real, set()).add(path)
        return True

    def skip_directory_link(self, path: str) -> None:
        """A link to a directory, not followed: a note if it leads out of the roots."""
        real = os.path.realpath(path)
        if os.path.isdir(real) and not self.contains(real):
            self.notes[path] = (
                f"a symbolic link to the directory {self.show(real, real=True)}, {OUTSIDE}"
            )

    def unreadable(self, err: OSError) -> None:
        where = os.fspath(err.filename) if err.filename is not None else "?"
        path = os.path.abspath(str(where))
        self.errors[path] = f"{self.show(path)}: cannot read the directory: {err.strerror or err}"

    def primary(self, path: str) -> str:
        """The path a file is reported under: the first in sorted order of those it was
        seen under (itself when it was reached once, or when not :attr:`report_once`)."""
        if not self.report_once:
            return path
        real = os.path.realpath(path) if os.path.islink(path) else self._real(path)
        seen = self._by_real.get(real)
        return min(seen) if seen else path

    def _real(self, path: str) -> str:
        """The real path of a file that is not a link (its directory's links resolved)."""
        directory, name = os.path.split(path)
        real = self._real_dirs.get(directory)
        if real is None:
            real = self._real_dirs[directory] = os.path.realpath(directory)
        return os.path.join(real, name)

    # -- writing -----------------------------------------------------------------------------

    def write_refusal(self, path: str, follow_symlinks: bool) -> str | None:
        """Why ``tfguard fix`` must not write ``path`` (``None``: it may)."""
        if os.path.islink(path):
            real = os.path.realpath(path)
            if not self.contains(real):
                return f"a symbolic link to {self.show(real, real=True)}, {OUTSIDE}"
            if not follow_symlinks:
                shown = self.show(real, real=True)
                return f"a symbolic link to {shown} (--follow-symlinks writes through it)"
            return None
        real = self._real(os.path.abspath(path))
        if not self.contains(real):
            return f"{self.show(real, real=True)} is {OUTSIDE}"
        return None


def module_escape(directory: str, finding_path: str, fix: Fix) -> tuple[str, str] | None:
    """The first file ``fix`` would write outside the module's ``directory``, and why.

    A file of another directory, or a link (even a dangling one) whose target lies elsewhere.
    The file the finding is in is not checked: in the editor its edit goes to the buffer the
    user has open, and ``tfguard fix`` checks what it writes itself (:meth:`Roots.write_refusal`).
    """
    directory = os.path.abspath(directory)
    real_directory: str | None = None
    for path in sorted(fix.paths):
        path = os.path.abspath(path)
        if os.path.dirname(path) != directory:
            return path, f"{path} is outside the module's directory"
        if path == finding_path or not os.path.islink(path):
            continue
        if real_directory is None:
            real_directory = os.path.realpath(directory)
        target = os.path.realpath(path)
        if os.path.dirname(target) != real_directory:
            return path, f"a symbolic link to {target}, outside the module's directory"
    return None


def write_text(path: str, text: str, *, follow_symlinks: bool = False) -> None:
    """Write a fixed file in place (its mode kept); unless ``follow_symlinks``, refuse (with
    an OSError) to write through a link that appeared since the fix was computed."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o666)
    with open(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def report_roots(roots: Roots | None, stream: TextIO, level: str = "note") -> list[str]:
    """Print what the roots kept out (``level``: how to call a skipped file) and the
    directories that could not be listed; those errors are returned for the reports."""
    if roots is None:
        return []
    for path, reason in sorted(roots.notes.items()):
        print(f"tfguard: {level}: {roots.show(path)}: skipped: {reason}", file=stream)
    errors = [roots.errors[d] for d in sorted(roots.errors)]
    for error in errors:
        print(f"tfguard: warning: {error}", file=stream)
    return errors
