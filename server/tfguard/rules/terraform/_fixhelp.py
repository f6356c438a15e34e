"""Helpers for the quick fixes of the supply-chain rules (no rule lives here): the facts
recorded on disk that a fix may copy — the commit ``terraform init`` checked out for a git
module, the registry module it recorded, and the CLI release a team pins in
``.terraform-version`` or ``.tool-versions``. Nothing here touches the network; the general
edits live in :mod:`tfguard.rules.kit.editing`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from tfguard.project import ProjectFiles
from tfguard.rules.kit.editing import release
from tfguard.rules.terraform._sources import _REGISTRY

_RELEASE = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)$")
_SHA1 = re.compile(r"^[0-9a-f]{40}$")
_MAX_READ = 1024 * 1024

def same_registry_module(configured: str, recorded: str) -> bool:
    """Whether a registry source in the configuration and one recorded in modules.json name
    the same module (a source without a host matches the recorded default host)."""
    a, b = _REGISTRY.match(configured.strip()), _REGISTRY.match(recorded.strip())
    if a is None or b is None:
        return False

    def key(m: re.Match[str]) -> tuple[str, str, str, str]:
        subdir = (m.group("subdir") or "").strip("/")
        return (
            m.group("namespace").lower(),
            m.group("name").lower(),
            m.group("system").lower(),
            subdir,
        )

    if key(a) != key(b):
        return False
    host_a, host_b = a.group("host"), b.group("host")
    return host_a is None or host_b is None or host_a.lower() == host_b.lower()


def checked_out_commit(files: ProjectFiles, folder: str) -> str | None:
    """The commit checked out in a module installed from git (``folder`` relative to the
    module directory), read from its ``.git`` directory; None when it cannot be read."""
    rel = os.path.normpath(folder)
    if os.path.isabs(rel) or rel == ".." or rel.startswith(".." + os.sep):
        return None
    git = os.path.join(rel, ".git")
    head = files.text(os.path.join(git, "HEAD"), _MAX_READ)
    if head is None:
        return None
    head = head.strip()
    if _SHA1.match(head):
        return head
    if not head.startswith("ref:"):
        return None
    ref = head[4:].strip()
    parts = ref.split("/")
    if parts[0] != "refs" or any(p in ("", ".", "..") for p in parts):
        return None
    loose = files.text(os.path.join(git, *parts), _MAX_READ)
    if loose is not None and _SHA1.match(loose.strip()):
        return loose.strip()
    for line in (files.text(os.path.join(git, "packed-refs"), _MAX_READ) or "").splitlines():
        sha, _, name = line.strip().partition(" ")
        if name == ref and _SHA1.match(sha):
            return sha
    return None


@dataclass(frozen=True, slots=True)
class GitAddress:
    base: str  # host and path without scheme, user, trailing ".git" or "/"
    subdir: str
    query: dict[str, list[str]]

    @property
    def ref(self) -> str | None:
        values = self.query.get("ref")
        return values[-1] if values else None

    def same_package(self, other: GitAddress) -> bool:
        return self.base == other.base and self.subdir == other.subdir and self.ref == other.ref


def git_address(text: str) -> GitAddress:
    """A git module address read the way both the configuration and modules.json write it
    (``git::https://h/r.git//sub?ref=x``, ``git::https://h/r.git?ref=x//sub``,
    ``github.com/o/r?ref=x``, ``git@h:o/r.git``)."""
    rest = text.strip()
    if rest.lower().startswith("git::"):
        rest = rest[5:]
    _scheme, sep, after = rest.partition("://")
    if sep:
        rest = after
    subdir = ""
    split = rest.find("//")
    if split >= 0:
        rest, subdir = rest[:split], rest[split + 2 :]
    rest, _, query = rest.partition("?")
    subdir, _, later = subdir.partition("?")
    rest = rest.rstrip("/")
    if "@" in rest.split("/", 1)[0]:
        rest = rest.split("@", 1)[1]
    rest = rest.replace(":", "/", 1) if ":" in rest.split("/", 1)[0] else rest
    if rest.lower().endswith(".git"):
        rest = rest[:-4]
    return GitAddress(
        rest.lower(), subdir.strip("/"), parse_qs(query or later, keep_blank_values=True)
    )


def pinned_cli_version(files: ProjectFiles) -> tuple[str, tuple[int, int, int]] | None:
    """The Terraform/OpenTofu release a team pins for a directory: the first line of
    ``.terraform-version`` (tfenv, tenv) or the ``terraform``/``opentofu`` line of
    ``.tool-versions`` (asdf, mise), in the directory or the nearest parent, up to the
    repository root. Returns (file name, version); None when nothing pins a plain release."""
    current = files.directory
    for _ in range(32):
        for name in (".terraform-version", ".opentofu-version", ".tool-versions"):
            text = files.text(os.path.join(current, name), _MAX_READ)
            if text is None:
                continue
            version = _version_in(name, text)
            if version is not None:
                return name, version
            if name != ".tool-versions" or _names_tool(text):
                return None  # "latest", a range...: the team does not pin a release
        if files.exists(os.path.join(current, ".git")):
            return None
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent
    return None


def _lines(text: str) -> list[str]:
    lines = [ln.split("#", 1)[0].strip() for ln in text.splitlines()]
    return [ln for ln in lines if ln]


def _names_tool(text: str) -> bool:
    return any(ln.split()[0] in ("terraform", "opentofu") for ln in _lines(text))


def _version_in(name: str, text: str) -> tuple[int, int, int] | None:
    lines = _lines(text)
    if name != ".tool-versions":
        return release(lines[0]) if lines else None
    for line in lines:
        tool, *versions = line.split()
        if tool in ("terraform", "opentofu") and versions:
            return release(versions[0])
    return None
