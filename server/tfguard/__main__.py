"""``python -m tfguard``: the ``tfguard`` command.

``python -m`` puts the current directory first on ``sys.path``, so in a scanned folder every
module imported from there on could come from that folder. Before importing anything else,
this drops every entry that looks in the current directory: the one ``-m`` added, ``''`` and
relative paths, and the absolute path Python makes of an empty part of PYTHONPATH. The command
and its dependencies then come from the installation (so it fails when they are only
reachable through the current directory). It cannot undo what ran before this file: Python
imports the ``tfguard`` package first (a ``tfguard/`` folder in the current directory runs
instead of this file; on Python 3.10 even a ``runpy.py`` there runs before it), and with an
empty part in PYTHONPATH it runs a ``sitecustomize.py`` of the current directory at start-up.
The forms that never look in the current directory are ``python -I -m tfguard`` and the
``tfguard`` command (its ``sys.path[0]`` is the script's folder) with a PYTHONPATH without
empty or relative parts.
"""

import os  # both already imported by runpy, which runs this file: no sys.path lookup
import sys


def trusted_path(path: list[str], cwd: str | None) -> list[str]:
    """``path`` without ``''``, relative entries and entries naming ``cwd`` (the current
    directory, None when it is gone)."""
    here = _key(cwd) if cwd is not None else None
    return [p for p in path if p and os.path.isabs(p) and _key(p) != here]


def _key(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


def _cwd() -> str | None:
    try:
        return os.getcwd()
    except OSError:
        return None


def main() -> int:
    sys.path[:] = trusted_path(sys.path, _cwd())
    if sys.argv[1:] == ["--version"]:  # answered without importing the scanner
        from tfguard import __version__

        print(f"tfguard {__version__}")
        return 0
    from tfguard.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
