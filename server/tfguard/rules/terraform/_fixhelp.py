"""Helpers for the quick fixes of the secret, state and supply-chain rules (no rule lives here).

Two kinds: small edits the shared :class:`~tfguard.fixes.Editor` does not make (a comment
above an argument, a line right after one, a top-level block before another), and readers
of facts recorded on disk that a fix may copy: the versions in the dependency lock file, what
``terraform init`` installed under ``.terraform/modules``, and the CLI release a team pins in
``.terraform-version`` or ``.tool-versions``. Nothing here touches the network.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from tfguard.findings import Position, Range
from tfguard.fixes import Editor, TextEdit
from tfguard.module import Entity
from tfguard.project import ProjectFiles
from tfguard.rules.terraform._sources import _REGISTRY
from tfguard.syntax import Attribute, Block, Expr, Literal, ObjectItem, Template

_RELEASE = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)$")
_SHA1 = re.compile(r"^[0-9a-f]{40}$")
_MAX_READ = 1024 * 1024

# -- edits -----------------------------------------------------------------------------------


def on_own_lines(editor: Editor, entity: Entity, node: Attribute | ObjectItem) -> bool:
    """Whether an argument starts its line and only a comment follows it on its last line,
    so that lines can be added above and below it."""
    r = entity.abs(node.range)
    if editor.line(entity, r.start.line)[: r.start.character].strip():
        return False
    rest = editor.line(entity, r.end.line)[r.end.character :].strip()
    return rest == "" or rest.startswith(("#", "//"))


def comment_above(editor: Editor, entity: Entity, line: int, lines: list[str]) -> TextEdit:
    """``# ...`` lines inserted above ``line``, with its indentation."""
    indent = editor.indent_of(entity, line)
    eol = editor.eol(entity)
    at = Position(line, 0)
    return TextEdit(entity.path, Range(at, at), "".join(f"{indent}# {t}{eol}" for t in lines))


def name_column(editor: Editor, entity: Entity, name_range: Range) -> int | None:
    """The width a name is padded to before its ``=`` (None when ``=`` is not on its line)."""
    r = entity.abs(name_range)
    line = editor.line(entity, r.start.line)
    eq = line.find("=", r.end.character)
    if eq < 0 or line[r.end.character : eq].strip():
        return None
    return eq - r.start.character - 1


def rename_padded(
    editor: Editor, entity: Entity, name_range: Range, name: str, width: int
) -> TextEdit:
    """Replace a name and the blanks before its ``=`` so that ``=`` follows ``width``
    columns of name."""
    r = entity.abs(name_range)
    line = editor.line(entity, r.start.line)
    eq = line.find("=", r.end.character)
    end = Position(r.end.line, eq) if eq >= 0 else r.end
    tail = " " if eq >= 0 else ""
    return TextEdit(entity.path, Range(r.start, end), name.ljust(width) + tail)


def line_after(editor: Editor, entity: Entity, node: Attribute | ObjectItem, text: str) -> TextEdit:
    """A new line after an argument (and any comment ending its last line), indented like it."""
    r = entity.abs(node.range)
    at = Position(r.end.line, len(editor.line(entity, r.end.line)))
    indent = editor.indent_of(entity, r.start.line)
    return TextEdit(entity.path, Range(at, at), f"{editor.eol(entity)}{indent}{text}")


def block_before(editor: Editor, entity: Entity, text: str) -> TextEdit:
    """A new top-level block before ``entity`` and the comment lines right above it, followed
    by a blank line."""
    start = entity.abs(entity.block.range).start.line
    while start > 0 and editor.line(entity, start - 1).strip().startswith(("#", "//")):
        start -= 1
    eol = editor.eol(entity)
    body = eol.join(text.strip("\n").split("\n"))
    at = Position(start, 0)
    return TextEdit(entity.path, Range(at, at), f"{body}{eol}{eol}")


def quoted(value: str) -> str:
    """An HCL string literal for ``value``."""
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
        .replace("${", "$${")
        .replace("%{", "%%{")
    )
    return f'"{escaped}"'


def plain_string(expr: Expr) -> str | None:
    """The value of a quoted string written without escapes or interpolation: a string a fix
    can re-write from its value without changing anything else."""
    if isinstance(expr, Literal) and isinstance(expr.value, str):
        value = expr.value
    elif (
        isinstance(expr, Template)
        and not expr.has_directives
        and all(isinstance(p, str) for p in expr.parts)
    ):
        value = "".join(p for p in expr.parts if isinstance(p, str))
    else:
        return None
    return value if expr.text == quoted(value) else None


def block_of(entity: Entity, node: Expr) -> Block | None:
    """The (nested) block of ``entity`` whose attribute holds ``node``."""
    for block in entity.block.walk_blocks():
        for attr in block.attributes.values():
            if any(n is node for n in attr.value.walk()):
                return block
    return None


def attribute_holding(block: Block, node: Expr) -> Attribute | None:
    """The attribute (of ``block`` or its nested blocks) whose value contains ``node``."""
    for inner in block.walk_blocks():
        for attr in inner.attributes.values():
            if any(n is node for n in attr.value.walk()):
                return attr
    return None


# -- versions ------------------------------------------------------------------------------


def release(version: str) -> tuple[int, int, int] | None:
    """``1.9.5`` / ``v1.9.5`` as numbers; None for anything else (pre-releases included)."""
    m = _RELEASE.match(version.strip())
    if m is None:
        return None
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def pessimistic(version: tuple[int, int, int]) -> str:
    """``~> X.Y`` for a release X.Y.Z (``~> 0.Y.Z`` before 1.0, where minor releases may
    break)."""
    major, minor, patch = version
    return f"~> {major}.{minor}" if major >= 1 else f"~> 0.{minor}.{patch}"


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
