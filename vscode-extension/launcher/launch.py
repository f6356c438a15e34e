"""Starts the tfguard server for the VS Code extension.

The extension runs ``<python> -I <this file> lsp --stdio`` with the extension's own folder as
the working directory. Isolated mode (``-I``) keeps the current directory, this file's folder,
PYTHONPATH (and every other ``PYTHON*`` variable) and the user's site-packages off
``sys.path``, so no module and no ``sitecustomize`` of the opened workspace can be imported.
The libraries bundled with the extension (``../bundled/libs``, found from this file's own
location) then go first on ``sys.path``; a build without them uses the tfguard installed in
the interpreter's own site-packages.

The extension's interpreter probe calls :func:`prepare` the same way before it tries
``import tfguard``, so a Python that passes the probe imports the same server.
"""

from __future__ import annotations

import os
import sys


def bundled_libs() -> str | None:
    """The bundled libraries beside this launcher, or None when this build has none."""
    here = os.path.dirname(os.path.abspath(__file__))
    libs = os.path.join(os.path.dirname(here), "bundled", "libs")
    return libs if os.path.isdir(os.path.join(libs, "tfguard")) else None


def prepare() -> str | None:
    """Put the bundled libraries first on ``sys.path``; the folder put there, or None."""
    libs = bundled_libs()
    if libs is not None:
        sys.path[:] = [libs, *(p for p in sys.path if p != libs)]
    return libs


def main() -> int:
    prepare()
    from tfguard.cli import main as tfguard_main

    return tfguard_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
