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

import json
import os
import platform
import sys
import sysconfig

# The machine names Python reports for each VS Code target the bundle is built for.
MACHINES = {
    "linux-x64": ("linux", ("x86_64", "amd64")),
    "linux-arm64": ("linux", ("aarch64", "arm64")),
    "darwin-x64": ("darwin", ("x86_64",)),
    "darwin-arm64": ("darwin", ("arm64",)),
    "win32-x64": ("win32", ("amd64", "x86_64")),
}


class BundleMismatch(ImportError):
    """This Python cannot load the bundle's compiled modules."""


def bundle_problem(libs: str) -> str | None:
    """Why this Python cannot run the bundle in ``libs``, from the ``manifest.json`` beside
    it (the target and the CPython versions its compiled modules are built for); None when
    it can, or when there is no manifest to tell."""
    try:
        with open(os.path.join(os.path.dirname(libs), "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        target = str(manifest["target"])
        pythons = [str(p) for p in manifest["pythons"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    implementation = sys.implementation.name
    machine = platform.machine().lower()
    this = f"{implementation} {version} on {sys.platform}-{machine}"
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        this = f"a free-threaded {this}"
    if sys.maxsize <= 2**32:
        this = f"a 32-bit {this}"
    system, machines = MACHINES.get(target, ("", ()))
    if (
        sys.maxsize <= 2**32  # every target is 64-bit
        or implementation != "cpython"
        or version not in pythons
        or sysconfig.get_config_var("Py_GIL_DISABLED")
        or sys.platform != system
        or machine not in machines
    ):
        return (
            f"this tfguard build bundles compiled modules for CPython {', '.join(pythons)} "
            f"on {target}, and this is {this}"
        )
    return None


def bundled_libs() -> str | None:
    """The bundled libraries beside this launcher, or None when this build has none."""
    here = os.path.dirname(os.path.abspath(__file__))
    libs = os.path.join(os.path.dirname(here), "bundled", "libs")
    return libs if os.path.isdir(os.path.join(libs, "tfguard")) else None


def prepare() -> str | None:
    """Put the bundled libraries first on ``sys.path``; the folder put there, or None.
    Raises BundleMismatch when this Python cannot load the bundle's compiled modules."""
    libs = bundled_libs()
    if libs is not None:
        problem = bundle_problem(libs)
        if problem is not None:
            raise BundleMismatch(problem)
        sys.path[:] = [libs, *(p for p in sys.path if p != libs)]
    return libs


def main() -> int:
    try:
        prepare()
    except BundleMismatch as error:
        print(f"tfguard: {error}", file=sys.stderr)
        return 2
    from tfguard.cli import main as tfguard_main

    return tfguard_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
