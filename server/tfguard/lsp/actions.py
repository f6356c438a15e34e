"""Code actions: "Ignore <rule> for this line / resource" and "Explain <rule>", next to the
rule's quick fixes (built in :mod:`tfguard.lsp.fixing`).

An ignore action inserts ``# tfguard:ignore:<rule>`` above the line the finding's scope starts
on (``scope_lines[0]`` for the line, ``scope_lines[-1]`` for the resource) with that line's
indentation, or appends the rule to an ignore comment already standing there. When the client
can resolve actions lazily, the edit is only computed in ``codeAction/resolve`` (dispatched on
``CodeAction.data["kind"]`` through :func:`register_resolver`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lsprotocol import types

from tfguard.findings import CONFIGURATION_RULE_IDS, Finding
from tfguard.lsp.convert import SOURCE, Lines, to_client_character

EXPLAIN_COMMAND = "tfguard.explainRule"
IGNORE_KIND = "tfguard.ignore"

# `# tfguard:ignore:a,b[:exp:2025-01-01] [reason]` (or `//`): the id list is group "ids".
_IGNORE_COMMENT = re.compile(
    r"^\s*(?:#|//)\s*tfguard:ignore:(?P<ids>[A-Za-z0-9_.\-]+(?:,[A-Za-z0-9_.\-]+)*)"
)
_JSON_SUFFIXES = (".json",)


@dataclass(frozen=True)
class DocumentView:
    """The document an action applies to, as the server holds it now."""

    uri: str
    path: str
    text: str
    version: int | None

    @property
    def lines(self) -> Lines:
        return Lines.of(self.text)

    @property
    def newline(self) -> str:
        return "\r\n" if "\r\n" in self.text else "\n"


Resolver = Callable[[types.CodeAction, DocumentView, str], types.CodeAction]

_resolvers: dict[str, Resolver] = {}


def register_resolver(kind: str, resolver: Resolver) -> None:
    """Resolve actions whose ``data["kind"]`` is ``kind`` (``codeAction/resolve``)."""
    _resolvers[kind] = resolver


def unregister_resolver(kind: str) -> None:
    _resolvers.pop(kind, None)


# -- ignore comments ------------------------------------------------------------------------


def ignore_edit(
    document: DocumentView, rule_id: str, target_line: int, encoding: str
) -> types.TextEdit | None:
    """The edit that makes an ignore comment above ``target_line`` cover ``rule_id``.

    ``None`` when the line does not exist or the comment above already names the rule.
    """
    lines = document.lines
    if not 0 <= target_line < len(lines):
        return None
    above = lines.line(target_line - 1) if target_line > 0 else None
    if above is not None and (match := _IGNORE_COMMENT.match(above)) is not None:
        ids = [i.lower() for i in match.group("ids").split(",")]
        if rule_id.lower() in ids:
            return None
        column = to_client_character(above, match.end("ids"), encoding)
        at = types.Position(line=target_line - 1, character=column)
        return types.TextEdit(range=types.Range(start=at, end=at), new_text=f",{rule_id}")
    line = lines.line(target_line)
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    at = types.Position(line=target_line, character=0)
    return types.TextEdit(
        range=types.Range(start=at, end=at),
        new_text=f"{indent}# tfguard:ignore:{rule_id}{document.newline}",
    )


def _ignore_targets(scope_lines: Sequence[int]) -> list[tuple[str, int]]:
    if not scope_lines:
        return []
    line, resource = scope_lines[0], scope_lines[-1]
    if line == resource:
        return [("resource", resource)]
    return [("line", line), ("resource", resource)]


def _workspace_edit(uri: str, edit: types.TextEdit) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(changes={uri: [edit]})


def ignore_actions(
    document: DocumentView,
    diagnostic: types.Diagnostic,
    scope_lines: Sequence[int],
    encoding: str,
    *,
    lazy: bool,
) -> list[types.CodeAction]:
    rule_id = str(diagnostic.code)
    if rule_id in CONFIGURATION_RULE_IDS or document.path.endswith(_JSON_SUFFIXES):
        return []
    actions: list[types.CodeAction] = []
    for scope, line in _ignore_targets(scope_lines):
        data = {
            "kind": IGNORE_KIND,
            "uri": document.uri,
            "ruleId": rule_id,
            "line": line,
            "version": document.version,
        }
        action = types.CodeAction(
            title=f"Ignore {rule_id} for this {scope}",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[diagnostic],
            data=data,
        )
        if not lazy:
            edit = ignore_edit(document, rule_id, line, encoding)
            if edit is None:
                continue
            action.edit = _workspace_edit(document.uri, edit)
        actions.append(action)
    return actions


def resolve_ignore(
    action: types.CodeAction, document: DocumentView, encoding: str
) -> types.CodeAction:
    data = _data(action)
    edit = ignore_edit(document, str(data["ruleId"]), int(data["line"]), encoding)
    if edit is not None:
        action.edit = _workspace_edit(document.uri, edit)
    return action


register_resolver(IGNORE_KIND, resolve_ignore)


def resolver_for(action: types.CodeAction) -> Resolver | None:
    kind = _data(action).get("kind")
    return _resolvers.get(kind) if isinstance(kind, str) else None


def action_version(action: types.CodeAction) -> int | None:
    version = _data(action).get("version")
    return version if isinstance(version, int) else None


def action_uri(action: types.CodeAction) -> str | None:
    uri = _data(action).get("uri")
    return uri if isinstance(uri, str) else None


def _data(action: types.CodeAction) -> Mapping[str, Any]:
    return action.data if isinstance(action.data, Mapping) else {}


# -- explain --------------------------------------------------------------------------------


def explain_action(diagnostic: types.Diagnostic) -> types.CodeAction | None:
    rule_id = str(diagnostic.code)
    if rule_id in CONFIGURATION_RULE_IDS:
        return None
    return types.CodeAction(
        title=f"Explain {rule_id}",
        diagnostics=[diagnostic],
        command=types.Command(
            title=f"Explain {rule_id}", command=EXPLAIN_COMMAND, arguments=[rule_id]
        ),
    )


# -- putting it together --------------------------------------------------------------------


def is_tfguard(diagnostic: types.Diagnostic) -> bool:
    return diagnostic.source == SOURCE and diagnostic.code is not None


def wanted(action: types.CodeAction, only: Sequence[str] | None) -> bool:
    if not only:
        return True
    kind = action.kind.value if isinstance(action.kind, types.CodeActionKind) else action.kind
    if not kind:
        return False
    return any(kind == o or kind.startswith(o + ".") for o in only)


def actions_for(
    document: DocumentView,
    diagnostic: types.Diagnostic,
    finding: Finding | None,
    encoding: str,
    *,
    lazy: bool,
    current: bool = True,
    fixes: Sequence[types.CodeAction] = (),
) -> list[types.CodeAction]:
    """Every action for one tfguard diagnostic of ``document`` (current text): the rule's quick
    fixes (``fixes``, already built), the ignore comments, the explanation.

    ``current`` says whether the server's last analysis is of the document's current version:
    when it is not, lines may have moved since the diagnostic was made, so no ignore comment is
    offered until the new diagnostics arrive.
    """
    actions: list[types.CodeAction] = list(fixes)
    scope_lines: Sequence[int] | None = None
    if finding is not None:
        scope_lines = finding.scope_lines
    elif current:
        data = diagnostic.data if isinstance(diagnostic.data, Mapping) else {}
        lines = data.get("scopeLines")
        if isinstance(lines, list):
            scope_lines = [x for x in lines if isinstance(x, int)]
    if scope_lines is not None:
        actions += ignore_actions(document, diagnostic, scope_lines, encoding, lazy=lazy)
    if (explain := explain_action(diagnostic)) is not None:
        actions.append(explain)
    return actions
