"""Builds ``bundled/`` for one VS Code target: the tfguard server and every library it needs,
unpacked from wheels, so that ``python -I launcher/launch.py lsp`` runs with no pip install on
the user's side.

    python scripts/bundle_server.py --target linux-x64 [--dest bundled] [--source ../]

The dependencies are resolved for the oldest supported CPython (3.10) on the target's
platform, then once per newer version (3.11 to 3.14) held to the same library versions, so
that one folder serves them all. pip evaluates environment markers with the Python that runs
it, not with ``--python-version``, so each resolution is checked against the target's own
markers and a requirement that only the target needs (``exceptiongroup`` for cattrs on 3.10)
is added and resolved again. Pure-Python wheels
are unpacked once, and a compiled library's extension modules for each Python version are
put side by side (their file names carry the ABI tag, ``_regex.cpython-312-darwin.so``,
``_regex.cp313-win_amd64.pyd``, so CPython loads its own). ``bundled/manifest.json`` records
the target, the Python versions and every wheel used; the launcher reads it to explain a
Python the bundle cannot serve.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.parser import HeaderParser
from pathlib import Path
from typing import Any

try:
    from packaging.markers import Marker
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:  # pip always carries a copy
    from pip._vendor.packaging.markers import Marker  # type: ignore[no-redef,assignment,unused-ignore]
    from pip._vendor.packaging.requirements import Requirement  # type: ignore[no-redef,assignment,unused-ignore]
    from pip._vendor.packaging.utils import canonicalize_name  # type: ignore[no-redef,assignment,unused-ignore]

PYTHONS = ("3.10", "3.11", "3.12", "3.13", "3.14")


@dataclass(frozen=True)
class Target:
    """A VS Code platform target and what pip and environment markers call it."""

    name: str
    pip_platforms: tuple[str, ...]
    sys_platform: str
    platform_system: str
    os_name: str
    machine: str

    def environment(self, python: str) -> dict[str, str]:
        return {
            "python_version": python,
            "python_full_version": f"{python}.0",
            "implementation_name": "cpython",
            "implementation_version": f"{python}.0",
            "platform_python_implementation": "CPython",
            "sys_platform": self.sys_platform,
            "platform_system": self.platform_system,
            "os_name": self.os_name,
            "platform_machine": self.machine,
            "platform_release": "",
            "platform_version": "",
        }


def _manylinux(arch: str) -> tuple[str, ...]:
    # VS Code itself needs glibc 2.28 on Linux; manylinux2014 (glibc 2.17) wheels come first.
    return (
        f"manylinux_2_17_{arch}",
        f"manylinux2014_{arch}",
        f"manylinux_2_28_{arch}",
    )


TARGETS = {
    t.name: t
    for t in (
        Target("linux-x64", _manylinux("x86_64"), "linux", "Linux", "posix", "x86_64"),
        Target("linux-arm64", _manylinux("aarch64"), "linux", "Linux", "posix", "aarch64"),
        # pip expands a macOS tag to the older releases and universal2: 10.15 is the oldest
        # macOS that VS Code 1.82 runs on; Apple silicon starts at 11.0.
        Target("darwin-x64", ("macosx_10_15_x86_64",), "darwin", "Darwin", "posix", "x86_64"),
        Target("darwin-arm64", ("macosx_11_0_arm64",), "darwin", "Darwin", "posix", "arm64"),
        Target("win32-x64", ("win_amd64",), "win32", "Windows", "nt", "AMD64"),
    )
}


class BundleError(Exception):
    """The bundle cannot be built as asked; the message says why."""


@dataclass
class Wheel:
    path: Path
    name: str  # canonical
    version: str
    requires: list[str]
    pure: bool


@dataclass
class Resolution:
    python: str
    wheels: dict[str, Wheel] = field(default_factory=dict)
    rounds: int = 0


def log(message: str) -> None:
    print(f"[bundle] {message}", flush=True)


def run(command: Sequence[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    shown = " ".join(a if " " not in a and "\n" not in a else "<...>" for a in command)
    log(f"$ {shown}")
    proc = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        raise BundleError(f"{shown}\nfailed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return proc


def pip(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PIP_ROOT_USER_ACTION="ignore", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return run([sys.executable, "-m", "pip", "--no-input", *args], env=env)


def read_wheel(path: Path) -> Wheel:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        info = next(n for n in names if re.fullmatch(r"[^/]+\.dist-info/METADATA", n))
        headers = HeaderParser().parsestr(archive.read(info).decode("utf-8"))
        wheel_info = archive.read(info.replace("METADATA", "WHEEL")).decode("utf-8")
    return Wheel(
        path=path,
        name=canonicalize_name(headers["Name"]),
        version=headers["Version"],
        requires=headers.get_all("Requires-Dist") or [],
        pure=re.search(r"^Root-Is-Purelib: true$", wheel_info, re.M) is not None,
    )


def needed(wheels: dict[str, Wheel], root: str, env: dict[str, str]) -> tuple[set[str], list[str]]:
    """The closure of ``root``'s requirements under the target's markers: the names it
    reaches among ``wheels``, and the requirements (as written) that no wheel satisfies."""
    reached: set[str] = set()
    missing: list[str] = []
    todo: list[tuple[str, frozenset[str]]] = [(root, frozenset())]
    while todo:
        name, extras = todo.pop()
        if name in reached:
            continue
        reached.add(name)
        for text in wheels[name].requires:
            requirement = Requirement(text)
            marker: Marker | None = requirement.marker
            if marker is not None and not any(
                marker.evaluate({**env, "extra": extra}) for extra in (extras or {""})
            ):
                continue
            dependency = canonicalize_name(requirement.name)
            wheel = wheels.get(dependency)
            if wheel is None or not requirement.specifier.contains(wheel.version, prereleases=True):
                missing.append(f"{requirement.name}{requirement.specifier}")
                continue
            todo.append((dependency, frozenset(requirement.extras)))
    return reached, missing


def resolve(
    target: Target, python: str, tfguard_wheel: Path, work: Path, pins: dict[str, str]
) -> Resolution:
    """Download tfguard's dependencies for one Python version of ``target`` (held to
    ``pins``, name -> version), adding what the target's markers need that pip (judging
    markers by its own Python) left out."""
    env = target.environment(python)
    extra: list[str] = []
    result = Resolution(python)
    constraints = work / f"pins-{target.name}-{python}.txt"
    constraints.write_text("".join(f"{n}=={v}\n" for n, v in sorted(pins.items())))
    for round_ in range(1, 6):
        dest = work / f"{target.name}-{python}-{round_}"
        platforms = [arg for p in target.pip_platforms for arg in ("--platform", p)]
        pip(
            "download", "--quiet", "--only-binary=:all:", "--implementation", "cp",
            "--python-version", python, *platforms, "--dest", str(dest),
            "--constraint", str(constraints), str(tfguard_wheel), *extra,
        )  # fmt: skip
        wheels = {w.name: w for w in map(read_wheel, sorted(dest.glob("*.whl")))}
        wheels.setdefault("tfguard", read_wheel(tfguard_wheel))
        reached, missing = needed(wheels, "tfguard", env)
        result.rounds = round_
        if not missing:
            result.wheels = {name: wheels[name] for name in sorted(reached)}
            return result
        log(f"{target.name} Python {python}: pip left out {', '.join(missing)}; adding them")
        extra = sorted({*extra, *missing})
    raise BundleError(f"{target.name} Python {python}: no consistent set after 5 rounds")


def check_agreement(resolutions: Sequence[Resolution]) -> dict[str, str]:
    """Every Python version must use the same version of each library (one folder serves
    them all); the union of names with their versions."""
    versions: dict[str, dict[str, str]] = {}
    for resolution in resolutions:
        for name, wheel in resolution.wheels.items():
            versions.setdefault(name, {})[resolution.python] = wheel.version
    disagreements = {n: v for n, v in versions.items() if len(set(v.values())) > 1}
    if disagreements:
        detail = "; ".join(
            f"{name}: " + ", ".join(f"{v} for {p}" for p, v in by.items())
            for name, by in disagreements.items()
        )
        raise BundleError(
            "the Python versions resolve to different library versions, which one bundled "
            f"folder cannot hold: {detail} (pin the library in pyproject.toml)"
        )
    return {name: next(iter(by.values())) for name, by in sorted(versions.items())}


def _member_target(name: str) -> str | None:
    """Where a wheel member goes in the bundle (None: left out)."""
    parts = name.split("/")
    if name.startswith("/") or ".." in parts or "\\" in name or name.endswith("/"):
        return None
    if parts[0].endswith(".data"):
        if len(parts) > 2 and parts[1] in ("purelib", "platlib"):
            return "/".join(parts[2:])
        return None  # scripts, headers, data: not importable code
    return name


def unpack(wheel: Wheel, libs: Path, *, modules_only: bool = False) -> list[str]:
    """Unpack ``wheel`` into ``libs`` (what pip install --target puts there, scripts left
    out). ``modules_only``: only the compiled extension modules, and the other files must be
    the same as the ones already unpacked from another Python version's wheel."""
    written: list[str] = []
    with zipfile.ZipFile(wheel.path) as archive:
        for member in archive.namelist():
            dest = _member_target(member)
            if dest is None:
                continue
            out = libs / dest
            data = archive.read(member)
            if modules_only:
                if dest.split("/")[0].endswith(".dist-info"):
                    continue
                if not dest.endswith((".so", ".pyd")):
                    if not out.exists() or out.read_bytes() != data:
                        raise BundleError(
                            f"{wheel.path.name}: {dest} differs from the other Python "
                            "versions' wheels; one folder cannot serve them all"
                        )
                    continue
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            written.append(dest)
    return written


def build_tfguard_wheel(source: Path, work: Path) -> Path:
    """The tfguard wheel, built from a copy of the source (top-level files and server/), so
    that the build leaves no build/ or egg-info folder in the working tree."""
    copy = work / "source"
    copy.mkdir()
    for entry in source.iterdir():
        if entry.is_file():
            shutil.copy2(entry, copy / entry.name)
    shutil.copytree(
        source / "server",
        copy / "server",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    out = work / "tfguard-wheel"
    pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(copy))
    wheels = list(out.glob("tfguard-*.whl"))
    if len(wheels) != 1:
        raise BundleError(f"pip built {len(wheels)} tfguard wheels")
    return wheels[0]


def host_target() -> str | None:
    machine = platform.machine().lower()
    arch = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(machine)
    system = {"linux": "linux", "darwin": "darwin", "win32": "win32"}.get(sys.platform)
    if arch is None or system is None:
        return None
    return f"{system}-{arch}"


BUNDLE_CHECK = """
import runpy, sys
libs = runpy.run_path(sys.argv[1])["prepare"]()
if libs is None:
    sys.exit("the launcher found no bundled/libs")
import tfguard, tfguard.lsp, pygls, lsprotocol, hcl2
print("bundle imports fine from", libs)
"""


def bundle(
    target: Target,
    source: Path,
    dest: Path,
    pythons: Sequence[str],
    wheel_dir: Path | None = None,
) -> dict[str, Any]:
    """Build ``dest`` for ``target``. With ``wheel_dir``, the tfguard wheel found there is
    used (and built there when there is none), so that the packages of one run all carry the
    same server even when the source changes meanwhile."""
    started = time.monotonic()
    shutil.rmtree(dest, ignore_errors=True)
    libs = dest / "libs"
    libs.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="tfguard-bundle-") as tmp:
        work = Path(tmp)
        built = sorted(wheel_dir.glob("tfguard-*.whl")) if wheel_dir else []
        if built:
            tfguard_wheel = built[0]
            log(f"using {tfguard_wheel}")
        else:
            tfguard_wheel = build_tfguard_wheel(source, work)
            if wheel_dir is not None:
                wheel_dir.mkdir(parents=True, exist_ok=True)
                tfguard_wheel = Path(shutil.copy2(tfguard_wheel, wheel_dir))
        # The oldest Python first: what it resolves to is pinned for the newer ones, so that
        # all of them agree (newer releases of a library may have left the old Python).
        base = resolve(target, pythons[0], tfguard_wheel, work, {})
        pins = {n: w.version for n, w in base.wheels.items() if n != "tfguard"}
        with ThreadPoolExecutor(max_workers=max(1, len(pythons) - 1)) as pool:
            newer = list(
                pool.map(lambda p: resolve(target, p, tfguard_wheel, work, pins), pythons[1:])
            )
        resolutions = [base, *newer]
        versions = check_agreement(resolutions)
        used: dict[str, list[str]] = {}
        compiled: dict[str, dict[str, list[str]]] = {}
        first: dict[str, Wheel] = {}
        for resolution in resolutions:
            for name, wheel in resolution.wheels.items():
                if name not in first:
                    first[name] = wheel
                    unpack(wheel, libs)
                    used.setdefault(name, []).append(wheel.path.name)
                elif not wheel.pure and wheel.path.name not in used[name]:
                    unpack(wheel, libs, modules_only=True)
                    used[name].append(wheel.path.name)
                if not wheel.pure:
                    with zipfile.ZipFile(wheel.path) as archive:
                        modules = [m for m in archive.namelist() if m.endswith((".so", ".pyd"))]
                    compiled.setdefault(name, {})[resolution.python] = modules
    for cache in libs.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    if not (libs / "tfguard" / "__init__.py").is_file():
        raise BundleError("the bundle has no tfguard package")
    manifest: dict[str, Any] = {
        "target": target.name,
        "pythons": list(pythons),
        "implementation": "cpython",
        "platforms": list(target.pip_platforms),
        "packages": [
            {"name": name, "version": version, "wheels": used[name]}
            for name, version in versions.items()
        ],
        "compiled": compiled,
    }
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    size = sum(f.stat().st_size for f in libs.rglob("*") if f.is_file())
    log(
        f"{target.name}: "
        + ", ".join(f"{n} {v}{' (compiled)' if n in compiled else ''}" for n, v in versions.items())
    )
    log(
        f"{target.name}: {size / 1024 / 1024:.1f} MiB for CPython {pythons[0]}-{pythons[-1]}, "
        f"built in {time.monotonic() - started:.1f} s"
    )
    return manifest


def check_with_this_python(extension: Path) -> None:
    """Import the bundle as the launcher sets it up: isolated, no site-packages, only
    bundled/libs on the path."""
    launcher = extension / "launcher" / "launch.py"
    proc = run([sys.executable, "-I", "-S", "-B", "-c", BUNDLE_CHECK, str(launcher)])
    log(proc.stdout.strip())


def main(argv: Sequence[str] | None = None) -> int:
    extension = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", default=os.environ.get("TFGUARD_TARGET") or host_target())
    parser.add_argument("--dest", type=Path, default=extension / "bundled")
    parser.add_argument("--source", type=Path, default=extension.parent)
    parser.add_argument("--pythons", default=",".join(PYTHONS))
    parser.add_argument(
        "--wheel-dir",
        type=Path,
        default=os.environ.get("TFGUARD_WHEEL_DIR") or None,
        help="reuse (or leave) the tfguard wheel there, for several targets of one build",
    )
    args = parser.parse_args(argv)
    if args.target not in TARGETS:
        parser.error(f"--target must be one of {', '.join(TARGETS)} (got {args.target!r})")
    pythons = tuple(args.pythons.split(","))
    try:
        bundle(
            TARGETS[args.target],
            args.source.resolve(),
            args.dest.resolve(),
            pythons,
            args.wheel_dir,
        )
        if args.target == host_target() and args.dest.resolve() == extension / "bundled":
            check_with_this_python(extension)
    except BundleError as error:
        print(f"[bundle] error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
