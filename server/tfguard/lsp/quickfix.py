"""Quick fixes as LSP objects: engine edits (code points, any file) → a ``WorkspaceEdit``.

Everything here is pure: the texts the engine's ranges refer to and the document versions they
were read at come in, protocol objects go out. The asynchronous side (which analysis is current,
running the rules' fixes on the engine's worker) lives in :mod:`tfguard.lsp.fixing`.

A fix may touch several files: the document with the finding and, say, ``variables.tf`` of the
module, which may be open in the editor (its edits carry that buffer's version), closed (version
``null``) or not exist yet (a ``CreateFile`` comes first). Clients that cannot take
``documentChanges`` get the plain ``changes`` map instead, without versions.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from lsprotocol import types

from tfguard.findings import Finding, Position, Range
from tfguard.fixes import Fix, TextEdit
from tfguard.lsp.convert import Lines

FIX_KIND = "tfguard.fix"  # data["kind"] of a quick fix
FIX_ALL_KIND = "tfguard.fixAll"  # data["kind"] of the fix-all action
SOURCE_FIX_ALL = "source.fixAll.tfguard"  # the CodeActionKind of the fix-all action
FIX_ALL_TITLE = "Fix all auto-fixable tfguard findings in this file"


@dataclass(frozen=True)
class EditSupport:
    """How the client wants workspace edits."""

    encoding: str
    document_changes: bool = False  # workspace.workspaceEdit.documentChanges
    create_files: bool = False  # "create" in workspace.workspaceEdit.resourceOperations


@dataclass(frozen=True)
class FileState:
    """A file an edit touches, as the engine saw it when it computed the edit."""

    text: str  # the text the edit's ranges refer to ("" for a file that does not exist)
    exists: bool  # False: the file must be created first
    version: int | None  # the open buffer's version; None when the file is not open


# -- edits -----------------------------------------------------------------------------------


def ordered(edits: Sequence[TextEdit]) -> list[TextEdit]:
    """Edits in the order :func:`tfguard.fixes.apply_edits` applies them, so that two inserts
    at the same place come out in the same order in the editor as in ``tfguard fix``."""
    return sorted(edits, key=lambda e: (e.range.start, e.range.end, e.new_text))


def to_workspace_edit(
    edits: Sequence[TextEdit],
    files: Mapping[str, FileState],
    support: EditSupport,
    uri_for: Callable[[str], str],
) -> types.WorkspaceEdit:
    """The ``WorkspaceEdit`` for engine edits; ``files`` must describe every path they touch."""
    by_path: dict[str, list[TextEdit]] = {}
    for edit in edits:
        by_path.setdefault(edit.path, []).append(edit)
    converted: dict[str, list[types.TextEdit]] = {}
    for path, file_edits in by_path.items():
        lines = Lines.of(files[path].text)
        converted[path] = [
            types.TextEdit(
                range=lines.range_to_client(e.range, support.encoding), new_text=e.new_text
            )
            for e in ordered(file_edits)
        ]
    must_create = [p for p in by_path if not files[p].exists]
    if not support.document_changes or (must_create and not support.create_files):
        # The plain map: no versions, and editors open a missing file as a new buffer.
        return types.WorkspaceEdit(changes={uri_for(p): converted[p] for p in by_path})
    changes: list[types.TextDocumentEdit | types.CreateFile] = []
    for path in by_path:
        uri = uri_for(path)
        if not files[path].exists:
            changes.append(
                types.CreateFile(uri=uri, options=types.CreateFileOptions(ignore_if_exists=True))
            )
        changes.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=uri, version=files[path].version
                ),
                edits=list(converted[path]),
            )
        )
    return types.WorkspaceEdit(document_changes=changes)


def _lines_with_ends(text: str) -> list[str]:
    """Lines split on ``\\n`` only (as the engine counts them), each keeping its ending."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _position_at(lines: Sequence[str], index: int) -> Position:
    """Where line ``index`` of ``lines`` starts (the end of the text for ``len(lines)``)."""
    if index < len(lines) or not lines or lines[-1].endswith("\n"):
        return Position(index, 0)
    return Position(len(lines) - 1, len(lines[-1]))


def diff_edits(path: str, before: str, after: str) -> list[TextEdit]:
    """Whole-line edits that turn ``before`` into ``after`` (unchanged lines are left alone)."""
    old = _lines_with_ends(before)
    new = _lines_with_ends(after)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    edits: list[TextEdit] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        edits.append(
            TextEdit(
                path,
                Range(_position_at(old, i1), _position_at(old, i2)),
                "".join(new[j1:j2]),
            )
        )
    return edits


# -- code action data ------------------------------------------------------------------------


@dataclass(frozen=True)
class FixRef:
    """What a lazily resolved quick fix carries to find its finding and fix again."""

    uri: str
    version: int | None  # the document version the action was offered for
    rule_id: str
    range: Range  # the finding's range, in code points, at that version
    message: str
    index: int  # position of the fix in the rule's list
    title: str

    def to_data(self) -> dict[str, Any]:
        r = self.range
        return {
            "kind": FIX_KIND,
            "uri": self.uri,
            "version": self.version,
            "ruleId": self.rule_id,
            "range": [r.start.line, r.start.character, r.end.line, r.end.character],
            "message": self.message,
            "fix": self.index,
            "title": self.title,
        }

    @classmethod
    def from_data(cls, data: object) -> FixRef | None:
        """``None`` for data this server did not make (or a client mangled)."""
        if not isinstance(data, Mapping) or data.get("kind") != FIX_KIND:
            return None
        uri, rule_id, message, title = (
            data.get("uri"),
            data.get("ruleId"),
            data.get("message"),
            data.get("title"),
        )
        version, index, numbers = data.get("version"), data.get("fix"), data.get("range")
        if not (
            isinstance(uri, str)
            and isinstance(rule_id, str)
            and isinstance(message, str)
            and isinstance(title, str)
            and _is_int(index)
            and (version is None or _is_int(version))
            and isinstance(numbers, list)
            and len(numbers) == 4
            and all(_is_int(n) for n in numbers)
        ):
            return None
        return cls(uri, version, rule_id, Range.of(*numbers), message, index, title)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def fix_all_data(uri: str, version: int | None) -> dict[str, Any]:
    return {"kind": FIX_ALL_KIND, "uri": uri, "version": version}


def match_finding(findings: Sequence[Finding], ref: FixRef, *, same_text: bool) -> Finding | None:
    """The finding ``ref`` was offered for, in a (possibly newer) analysis.

    With the same document text the finding sits at the same range. After an edit its range
    may have moved: then the rule and message (which names the resource) must match, at the
    old range or, failing that, at exactly one place in the file.
    """
    same_rule = [f for f in findings if f.rule_id == ref.rule_id]
    at_range = [f for f in same_rule if f.range == ref.range]
    if same_text and at_range:
        exact = [f for f in at_range if f.message == ref.message]
        return (exact or at_range)[0]
    exact = [f for f in at_range if f.message == ref.message]
    if exact:
        return exact[0]
    moved = [f for f in same_rule if f.message == ref.message]
    return moved[0] if len(moved) == 1 else None


def pick_fix(fixes: Sequence[Fix], ref: FixRef) -> Fix | None:
    """The fix ``ref`` names: same place in the list and same title, or the only one titled so."""
    if 0 <= ref.index < len(fixes) and fixes[ref.index].title == ref.title:
        return fixes[ref.index]
    titled = [f for f in fixes if f.title == ref.title]
    return titled[0] if len(titled) == 1 else None


def fix_action(
    ref: FixRef,
    fix: Fix,
    diagnostic: types.Diagnostic,
    edit: types.WorkspaceEdit | None,
    *,
    preferred: bool | None = None,
) -> types.CodeAction:
    """The quick fix; ``preferred`` (default: the fix is safe) marks the one fix of a finding
    that tools apply unattended. An unsafe fix's title says what it changes."""
    if preferred is None:
        preferred = fix.preferred
    return types.CodeAction(
        title=fix.shown_title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        is_preferred=True if preferred and fix.preferred else None,
        edit=edit,
        data=ref.to_data(),
    )


def fix_all_action(
    uri: str, version: int | None, edit: types.WorkspaceEdit | None
) -> types.CodeAction:
    return types.CodeAction(
        title=FIX_ALL_TITLE, kind=SOURCE_FIX_ALL, edit=edit, data=fix_all_data(uri, version)
    )
