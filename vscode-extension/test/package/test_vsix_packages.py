"""The platform packages built by ``npm run package:all``: each .vsix carries the server,
pure-Python libraries shared by all, and compiled modules for its own platform and for every
CPython the extension accepts; the one for this machine runs with each such CPython here.

    npm run package:all && python3 -m pytest vscode-extension/test/package

Skipped when no .vsix was built, unless TFGUARD_REQUIRE_VSIX=1 (as in .ci/vscode-e2e.sh).
TFGUARD_VSIX_DIR says where the .vsix files are (default: vscode-extension/).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import struct
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

EXTENSION = Path(__file__).resolve().parents[2]
VERSION = json.loads((EXTENSION / "package.json").read_text())["version"]
PYTHONS = ["3.10", "3.11", "3.12", "3.13", "3.14"]
LIBS = "extension/bundled/libs/"

# What the compiled modules of each target look like.
ELF, MACHO, PE = "ELF", "Mach-O", "PE"


@dataclass(frozen=True)
class Spec:
    module: str  # an extension module's file name for one CPython version ({v}: 310, 311, ...)
    binary: str  # its binary format
    machine: int  # and the machine (CPU type) it must hold
    wheel: str  # the platform part of the wheel tags


TARGETS = {
    "linux-x64": Spec(r"\.cpython-{v}-x86_64-linux-gnu\.so$", ELF, 62, r"manylinux\w*_x86_64"),
    "linux-arm64": Spec(r"\.cpython-{v}-aarch64-linux-gnu\.so$", ELF, 183, r"manylinux\w*_aarch64"),
    "darwin-x64": Spec(
        r"\.cpython-{v}-darwin\.so$", MACHO, 0x01000007, r"macosx_\d+_\d+_(x86_64|universal2|intel)"
    ),
    "darwin-arm64": Spec(
        r"\.cpython-{v}-darwin\.so$", MACHO, 0x0100000C, r"macosx_\d+_\d+_(arm64|universal2)"
    ),
    "win32-x64": Spec(r"\.cp{v}-win_amd64\.pyd$", PE, 0x8664, r"win_amd64"),
}
FIXTURE = (
    'resource "aws_security_group" "ssh" {\n'
    "  ingress {\n"
    "    from_port   = 22\n"
    "    to_port     = 22\n"
    '    protocol    = "tcp"\n'
    '    cidr_blocks = ["0.0.0.0/0"]\n'
    "  }\n"
    "}\n"
)


def vsix_path(target: str) -> Path:
    folder = Path(os.environ.get("TFGUARD_VSIX_DIR", str(EXTENSION)))
    path = folder / f"tfguard-{VERSION}-{target}.vsix"
    if not path.exists():
        message = f"{path.name} was not built (npm run package:all)"
        if os.environ.get("TFGUARD_REQUIRE_VSIX") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


def machines(data: bytes) -> tuple[str, set[int]]:
    """The binary format of a compiled module and the machines (CPU types) it holds."""
    if data[:4] == b"\x7fELF":
        endian = "<" if data[5] == 1 else ">"
        return ELF, {struct.unpack(endian + "H", data[18:20])[0]}
    if data[:4] in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe"):  # thin Mach-O, little-endian
        return MACHO, {struct.unpack("<I", data[4:8])[0]}
    if data[:4] == b"\xca\xfe\xba\xbe":  # universal (fat) Mach-O, big-endian header
        count = struct.unpack(">I", data[4:8])[0]
        return MACHO, {struct.unpack(">I", data[8 + 20 * i : 12 + 20 * i])[0] for i in range(count)}
    if data[:2] == b"MZ":
        offset = struct.unpack("<I", data[0x3C:0x40])[0]
        assert data[offset : offset + 4] == b"PE\0\0"
        return PE, {struct.unpack("<H", data[offset + 4 : offset + 6])[0]}
    return "unknown", set()


def read_vsix(target: str) -> tuple[zipfile.ZipFile, dict[str, Any]]:
    archive = zipfile.ZipFile(vsix_path(target))
    manifest = json.loads(archive.read("extension/bundled/manifest.json"))
    return archive, manifest


@pytest.mark.parametrize("target", list(TARGETS))
def test_each_package_holds_its_platform_modules_for_every_python(target: str) -> None:
    archive, manifest = read_vsix(target)
    spec = TARGETS[target]
    with archive:
        vsix_manifest = archive.read("extension.vsixmanifest").decode()
        assert f'TargetPlatform="{target}"' in vsix_manifest
        assert manifest["target"] == target
        assert manifest["pythons"] == PYTHONS
        names = archive.namelist()
        binaries = [n for n in names if n.startswith(LIBS) and n.endswith((".so", ".pyd"))]
        assert binaries, "no compiled module in the package"
        # Every compiled module is of the target's format and machine ...
        for name in binaries:
            found, held = machines(archive.read(name))
            assert (found, spec.machine in held) == (spec.binary, True), (name, found, held)
        # ... and each compiled library has one for every CPython version, named so that
        # CPython loads its own.
        compiled = manifest["compiled"]
        assert isinstance(compiled, dict) and "regex" in compiled
        for package, by_python in compiled.items():
            assert sorted(by_python) == PYTHONS, package
            for python in PYTHONS:
                pattern = spec.module.format(v=python.replace(".", ""))
                assert by_python[python], (package, python)
                for module in by_python[python]:
                    assert re.search(pattern, module), (module, pattern)
                    assert LIBS + module in names, module
        # The wheels they came from carry the target's platform tags and every cp3XX tag.
        packages = {p["name"]: p for p in manifest["packages"]}
        for package in compiled:
            wheels = packages[package]["wheels"]
            assert all(re.search(spec.wheel, w) for w in wheels), wheels
            tags = {m.group(1) for w in wheels if (m := re.search(r"-(cp3\d+)-", w))}
            assert tags == {"cp" + p.replace(".", "") for p in PYTHONS}, wheels
        # cattrs needs exceptiongroup on 3.10, which the build's own Python may not need.
        assert "exceptiongroup" in packages
        assert LIBS + "exceptiongroup/__init__.py" in names
        assert LIBS + "tfguard/__init__.py" in names
        assert "extension/launcher/launch.py" in names


def _pure_files(target: str) -> dict[str, str]:
    """Digest of every bundled file that is not part of a compiled library."""
    archive, manifest = read_vsix(target)
    compiled = {re.sub(r"[-_.]+", "_", n).lower() for n in manifest["compiled"]}
    files: dict[str, str] = {}
    with archive:
        for name in archive.namelist():
            if not name.startswith(LIBS) or name.endswith("/"):
                continue
            top = name[len(LIBS) :].split("/")[0]
            package = re.sub(r"[-_.]+", "_", re.sub(r"-[^-]+\.dist-info$", "", top)).lower()
            if package in compiled:
                continue
            files[name] = hashlib.sha256(archive.read(name)).hexdigest()
    return files


def test_pure_python_libraries_are_the_same_in_every_package() -> None:
    reference = _pure_files("linux-x64")
    assert any("/pygls/" in n for n in reference) and any("/tfguard/" in n for n in reference)
    for target in TARGETS:
        assert _pure_files(target) == reference, target


def _this_target() -> str | None:
    machine = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}
    arch = machine.get(platform.machine().lower())
    system = {"linux": "linux", "darwin": "darwin", "win32": "win32"}.get(sys.platform)
    return f"{system}-{arch}" if arch and system else None


def _interpreters() -> Iterator[tuple[str, list[str], dict[str, str]]]:
    """CPython interpreters on this machine, by version: python3.X on PATH (and, with pyenv,
    its installed versions), plus the one running the tests."""
    seen: set[str] = set()
    candidates: list[tuple[list[str], dict[str, str]]] = [([sys.executable], {})]
    for version in PYTHONS:
        exe = shutil.which(f"python{version}")
        if exe:
            candidates.append(([exe], {}))
    pyenv = shutil.which("pyenv")
    if pyenv:
        listed = subprocess.run([pyenv, "versions", "--bare"], capture_output=True, text=True)
        for line in listed.stdout.split():
            if re.fullmatch(r"3\.\d+\.\d+", line) and line.rsplit(".", 1)[0] in PYTHONS:
                candidates.append((["python" + line.rsplit(".", 1)[0]], {"PYENV_VERSION": line}))
    for command, env in candidates:
        probe = subprocess.run(
            [*command, "-c", "import sys; print('%d.%d %s' % (*sys.version_info[:2], "
             "sys.implementation.name))"],
            capture_output=True, text=True, env={**os.environ, **env},
        )  # fmt: skip
        version, _, implementation = probe.stdout.strip().partition(" ")
        if probe.returncode == 0 and implementation == "cpython" and version not in seen:
            seen.add(version)
            yield version, command, env


def test_this_machines_package_runs_with_each_cpython_here(tmp_path: Path) -> None:
    target = _this_target()
    if target not in TARGETS:
        pytest.skip(f"no package for this machine ({sys.platform} {platform.machine()})")
    with zipfile.ZipFile(vsix_path(target)) as archive:
        archive.extractall(tmp_path / "vsix")
    extension = tmp_path / "vsix" / "extension"
    launcher = extension / "launcher" / "launch.py"
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "main.tf").write_text(FIXTURE)
    # What the extension's probe checks (src/probe.ts), then a scan through the launcher.
    imports = (
        "import runpy, sys; libs = runpy.run_path(sys.argv[1])['prepare'](); "
        "import tfguard, tfguard.lsp, tfguard.lsp.server, pygls, lsprotocol, hcl2; "
        "print(libs, tfguard.__file__)"
    )
    checked = []
    for version, command, env in _interpreters():
        run_env = {**os.environ, **env}
        proc = subprocess.run(
            [*command, "-I", "-S", "-B", "-c", imports, str(launcher)],
            capture_output=True, text=True, cwd=extension, env=run_env, timeout=120,
        )  # fmt: skip
        if version not in PYTHONS:
            assert proc.returncode != 0 and "bundles compiled modules" in proc.stderr, proc
            continue
        assert proc.returncode == 0, (version, proc.stderr)
        assert proc.stdout.split()[1].startswith(str(extension / "bundled" / "libs")), proc.stdout
        scan = subprocess.run(
            [*command, "-I", "-B", str(launcher), "scan", "--no-color", str(workspace)],
            capture_output=True, text=True, cwd=extension, env=run_env, timeout=120,
        )  # fmt: skip
        assert scan.returncode == 1, (version, scan.stdout, scan.stderr)
        assert "aws-ec2-no-public-ingress" in scan.stdout, scan.stdout
        checked.append(version)
    print(f"checked {target} with CPython {', '.join(sorted(checked))}")
    assert checked, "no CPython 3.10+ here could be checked"
