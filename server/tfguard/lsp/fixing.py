"""Quick fixes and fix-all in the editor: which analysis they are computed from, and when.

The rules' fixes read the analysed module, whose caches the worker thread fills, so they run as
jobs on the engine's worker (:meth:`EngineHost.fixes`, :meth:`EngineHost.fix_all`), never on
the event loop. An edit is only handed out when every open document it touches is still at the
version the edit was computed from; otherwise the module is analysed again and the fix is found
again in the new analysis (or, when it is gone, the action comes back without an edit).
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcContentModified

from tfguard.findings import Finding
from tfguard.fixes import Fix, TextEdit, preferred_index
from tfguard.lsp.actions import DocumentView
from tfguard.lsp.analysis import AnalysisOutcome, FixAllOutcome
from tfguard.lsp.quickfix import (
    EditSupport,
    FileState,
    FixRef,
    diff_edits,
    fix_action,
    fix_all_action,
    match_finding,
    pick_fix,
    to_workspace_edit,
)
from tfguard.lsp.scheduler import Lane
from tfguard.lsp.session import Session

log = logging.getLogger(__name__)

T = TypeVar("T")
ATTEMPTS = 3  # analyses to try when documents keep changing under a resolve


class Unappliable(Exception):
    """A fix touches a file the engine could not read: it cannot be expressed as an edit."""


class Fixing:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.view_of: Callable[[str], DocumentView | None] = session.document_view
        self._jobs = itertools.count(1)

    @property
    def support(self) -> EditSupport:
        features = self.session.features
        return EditSupport(self.session.encoding, features.document_changes, features.create_files)

    async def _on_worker(self, fn: Callable[[], T]) -> T:
        future = self.session.worker.submit(("fix", next(self._jobs)), fn, Lane.INTERACTIVE)
        return await asyncio.wrap_future(future)

    async def fixes(self, outcome: AnalysisOutcome, findings: Sequence[Finding]) -> list[list[Fix]]:
        result = outcome.result
        return await self._on_worker(lambda: self.session.host.fixes(result, findings))

    # -- single fixes -------------------------------------------------------------------------

    def _file_states(
        self, outcome: AnalysisOutcome, paths: set[str]
    ) -> dict[str, FileState] | None:
        """The files ``paths`` as ``outcome`` saw them; ``None`` when an open one moved on."""
        session = self.session
        module = outcome.result.module
        files: dict[str, FileState] = {}
        for path in sorted(paths):
            version: int | None = None
            is_open = path in session.documents
            if is_open:
                version = outcome.overlay_versions.get(path)
                if version is None or version != session.doc_version(path):
                    return None
            parsed = module.files.get(path) if module is not None else None
            if parsed is not None:
                files[path] = FileState(parsed.text, True, version)
            elif is_open or os.path.exists(path):
                raise Unappliable(f"{path} could not be read when the fix was computed")
            else:
                files[path] = FileState("", False, None)
        return files

    def edit_for(
        self, outcome: AnalysisOutcome, edits: Sequence[TextEdit]
    ) -> types.WorkspaceEdit | None:
        """The workspace edit of a fix computed from ``outcome`` (``None`` if now stale)."""
        files = self._file_states(outcome, {e.path for e in edits})
        if files is None:
            return None
        return to_workspace_edit(edits, files, self.support, self.session.uri_for)

    def actions(
        self,
        view: DocumentView,
        outcome: AnalysisOutcome,
        diagnostic: types.Diagnostic,
        finding: Finding,
        fixes: Sequence[Fix],
        *,
        lazy: bool,
    ) -> list[types.CodeAction]:
        """Quick-fix actions for one diagnostic; with ``lazy`` their edits wait for resolve."""
        out: list[types.CodeAction] = []
        preferred = preferred_index(fixes)  # the fix tfguard fix and fix-all apply
        for index, fix in enumerate(fixes):
            ref = FixRef(
                view.uri,
                view.version,
                finding.rule_id,
                finding.range,
                finding.message,
                index,
                fix.title,
            )
            edit: types.WorkspaceEdit | None = None
            if not lazy:
                try:
                    edit = self.edit_for(outcome, fix.edits)
                except Unappliable as err:
                    log.info("%s: %s", fix.title, err)
                    continue
                if edit is None:
                    continue  # a document moved on while the fixes were computed
            out.append(fix_action(ref, fix, diagnostic, edit, preferred=index == preferred))
        return out

    async def resolve_fix(self, action: types.CodeAction, ref: FixRef) -> types.CodeAction:
        """Fill in the edit of a quick fix, against the current texts."""
        for _ in range(ATTEMPTS):
            view = self._view(ref.uri)
            outcome = await self.session.current_outcome(os.path.dirname(view.path))
            if outcome is None:
                break
            view = self._view(ref.uri)
            findings = outcome.result.findings.get(view.path, [])
            finding = match_finding(findings, ref, same_text=ref.version == view.version)
            if finding is None:
                log.warning(
                    "%s: the %s finding is no longer reported at this place; nothing to apply",
                    ref.title,
                    ref.rule_id,
                )
                return action
            (fixes,) = await self.fixes(outcome, [finding])
            fix = pick_fix(fixes, ref)
            if fix is None:
                log.warning("%s: the rule no longer offers this fix; nothing to apply", ref.title)
                return action
            try:
                edit = self.edit_for(outcome, fix.edits)
            except Unappliable as err:
                log.warning("%s: %s; nothing to apply", ref.title, err)
                return action
            if edit is not None:
                action.edit = edit
                return action
        log.warning("%s: the documents kept changing; nothing to apply", ref.title)
        return action

    # -- fix all ------------------------------------------------------------------------------

    async def fix_all_edit(self, uri: str) -> types.WorkspaceEdit | None:
        """Every preferred fix of the document applied to the current texts, as one edit
        (``None`` if the documents kept changing while it was computed)."""
        for _ in range(ATTEMPTS):
            path = self._view(uri).path
            outcome = await self._on_worker(functools.partial(self.session.host.fix_all, path))
            edit = self._fix_all_edit(outcome, os.path.dirname(path))
            if edit is not None:
                log.debug("fix all in %s: %d findings fixed", path, outcome.fixed)
                return edit
        log.warning("fix all in %s: the documents kept changing; nothing to apply", uri)
        return None

    def _fix_all_edit(self, outcome: FixAllOutcome, directory: str) -> types.WorkspaceEdit | None:
        session = self.session
        for path in session.documents:
            if (path in outcome.after or os.path.dirname(path) == directory) and (
                outcome.versions.get(path) != session.doc_version(path)
            ):
                return None
        edits: list[TextEdit] = []
        files: dict[str, FileState] = {}
        for path, after in outcome.after.items():
            before = outcome.before[path]
            if before == after:
                continue
            edits.extend(diff_edits(path, before, after))
            version = outcome.versions.get(path) if path in session.documents else None
            files[path] = FileState(before, outcome.existed[path], version)
        return to_workspace_edit(edits, files, self.support, session.uri_for)

    async def fix_all_offer(self, uri: str, *, eager: bool, wait: bool) -> types.CodeAction | None:
        """The fix-all action for the document, if any finding in it has a preferred fix.

        Decided from the current analysis, or with ``wait`` from the analysis of the current
        text (analysed now if needed); ``eager`` fills in the edit."""
        view = self.view_of(uri)
        if view is None:
            return None
        directory = os.path.dirname(view.path)
        if wait:
            outcome = await self.session.current_outcome(directory)
        else:
            outcome = self.session.outcome_if_current(directory)
        if outcome is None:
            return None
        findings = outcome.result.findings.get(view.path, [])
        fixes = await self.fixes(outcome, findings)
        if not any(fix.preferred for offered in fixes for fix in offered):
            return None
        edit: types.WorkspaceEdit | None = None
        if eager:
            edit = await self.fix_all_edit(uri)
            if edit is None or not _changes_anything(edit):
                return None
        latest = self.view_of(uri)
        if latest is None:
            return None
        return fix_all_action(uri, latest.version, edit)

    async def resolve_fix_all(self, action: types.CodeAction, uri: str) -> types.CodeAction:
        edit = await self.fix_all_edit(uri)
        if edit is not None:
            action.edit = edit
        return action

    def _view(self, uri: str) -> DocumentView:
        view = self.view_of(uri)
        if view is None:
            raise JsonRpcContentModified("the document is no longer open")
        return view


def _changes_anything(edit: types.WorkspaceEdit) -> bool:
    if edit.document_changes:
        return True
    return bool(edit.changes and any(edit.changes.values()))
