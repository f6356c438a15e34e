"""``textDocument/codeAction``: for the tfguard diagnostics a request is about, the rule's quick
fixes, the ignore comments and the explanation (:mod:`tfguard.lsp.actions`), and fix-all.

Quick fixes are computed from the analysis behind the document's current report, and only
handed out while that analysis is still current (:meth:`Session.fix_basis`); when the text
moves on meanwhile, the answer is the one for a stale report and the client asks again once
the new diagnostics arrive.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types

from tfguard.findings import Finding
from tfguard.fixes import Fix
from tfguard.lsp import actions, quickfix
from tfguard.lsp.actions import DocumentView
from tfguard.lsp.analysis import AnalysisOutcome
from tfguard.lsp.fixing import Fixing
from tfguard.lsp.session import FileReport, Session

_QUICK_FIX_PROBE = types.CodeAction(title="", kind=types.CodeActionKind.QuickFix)
_FIX_ALL_PROBE = types.CodeAction(title="", kind=quickfix.SOURCE_FIX_ALL)


async def code_actions(
    session: Session, fixing: Fixing, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    view = session.document_view(params.text_document.uri)
    if view is None:
        return None
    only = params.context.only
    report = session.current_report_of(view)
    diagnostics = _diagnostics_asked(params, report)
    findings = [report.finding_for(d.code, d.range) if report else None for d in diagnostics]
    current = report is not None
    outcome = session.fix_basis(view)
    fix_lists: dict[int, list[Fix]] = {}
    if outcome is not None and actions.wanted(_QUICK_FIX_PROBE, only):
        asked = [f for f in findings if f is not None]
        computed = await fixing.fixes(outcome, asked)
        latest = session.document_view(view.uri)
        if latest is None:
            return None
        if latest.version != view.version:
            # The text moved on while the fixes were computed: answer as for a stale report.
            view, current = latest, False
            findings = [None] * len(findings)
        elif session.is_current(outcome):
            fix_lists = {id(f): fixes for f, fixes in zip(asked, computed, strict=True)}
    found = _actions(
        session, fixing, view, outcome, diagnostics, findings, fix_lists, current=current, only=only
    )
    # Fix-all is offered to lazy clients at every request (it costs nothing until resolved),
    # to the others only when asked for by kind (computing it means fixing the whole file).
    # Asked for by kind (on save, typically), it waits for the analysis of the current text.
    lazy = session.features.code_action_resolve
    if actions.wanted(_FIX_ALL_PROBE, only) and (lazy or only):
        fix_all = await fixing.fix_all_offer(view.uri, eager=not lazy, wait=bool(only))
        if fix_all is not None:
            found.append(fix_all)
    return found


def _diagnostics_asked(
    params: types.CodeActionParams, report: FileReport | None
) -> list[types.Diagnostic]:
    """The tfguard diagnostics the client sent, or else those of the report in the range."""
    diagnostics = [d for d in params.context.diagnostics if actions.is_tfguard(d)]
    if not diagnostics and report is not None:
        diagnostics = [d for d in report.file.diagnostics if _overlaps(d.range, params.range)]
    return diagnostics


def _actions(
    session: Session,
    fixing: Fixing,
    view: DocumentView,
    outcome: AnalysisOutcome | None,
    diagnostics: Sequence[types.Diagnostic],
    findings: Sequence[Finding | None],
    fix_lists: dict[int, list[Fix]],
    *,
    current: bool,
    only: Sequence[str] | None,
) -> list[types.CodeAction]:
    """Every action for each diagnostic, without duplicates, of the kinds asked for."""
    lazy = session.features.code_action_resolve
    found: list[types.CodeAction] = []
    seen: set[object] = set()
    for diagnostic, finding in zip(diagnostics, findings, strict=True):
        fix_actions: list[types.CodeAction] = []
        if finding is not None and outcome is not None and id(finding) in fix_lists:
            fix_actions = fixing.actions(
                view, outcome, diagnostic, finding, fix_lists[id(finding)], lazy=lazy
            )
        for action in actions.actions_for(
            view,
            diagnostic,
            finding,
            session.encoding,
            lazy=lazy,
            current=current,
            fixes=fix_actions,
        ):
            key: object = action.title
            if isinstance(action.data, dict) and action.data.get("kind") == quickfix.FIX_KIND:
                key = (action.title, str(action.data["range"]), action.data["ruleId"])
            if key in seen or not actions.wanted(action, only):
                continue
            seen.add(key)
            found.append(action)
    return found


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)
