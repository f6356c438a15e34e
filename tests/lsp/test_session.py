"""The session on its own, without a server: calls in, what it tells the client out."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tfguard.lsp.capabilities import ClientFeatures
from tfguard.lsp.session import FULL, UNCHANGED, Session
from tfguard.lsp.settings import LspSettings

from .helpers import copy_workspace

SG_RULE = "aws-ec2-no-public-ingress"
TIMEOUT = 15.0


@dataclass
class Recorder:
    """A client that records what the session tells it."""

    published: list[tuple[str, list[dict[str, Any]], int | None]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    refreshes: int = 0
    progress: list[tuple[str, str]] = field(default_factory=list)
    accept_progress: bool = True

    def publish_diagnostics(
        self, uri: str, diagnostics: list[dict[str, Any]], version: int | None
    ) -> None:
        self.published.append((uri, diagnostics, version))

    def show_warning(self, message: str) -> None:
        self.warnings.append(message)

    def refresh_diagnostics(self) -> None:
        self.refreshes += 1

    async def begin_progress(self, token: str, title: str, on_cancel: Callable[[], None]) -> bool:
        self.progress.append(("begin", title))
        return self.accept_progress

    def report_progress(self, token: str, message: str, percentage: int) -> None:
        self.progress.append(("report", f"{percentage}% {message}"))

    def end_progress(self, token: str, message: str) -> None:
        self.progress.append(("end", message))

    def rules(self, uri: str, version: int | str | None = "any") -> list[list[str]]:
        return [
            sorted(d["code"] for d in diagnostics)
            for published_uri, diagnostics, published_version in self.published
            if published_uri == uri and (version == "any" or published_version == version)
        ]


async def eventually(predicate: Callable[[], object], what: str) -> None:
    deadline = asyncio.get_running_loop().time() + TIMEOUT
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_workspace(tmp_path)


def make_session(
    root: Path,
    *,
    scan: bool = False,
    debounce_ms: int = 0,
    features: ClientFeatures | None = None,
) -> tuple[Session, Recorder]:
    recorder = Recorder()
    session = Session(recorder)
    session.settings = LspSettings(workspace_scan=scan, debounce_ms=debounce_ms)
    session.initialize(features or ClientFeatures(), "utf-16", [str(root)])
    return session, recorder


@pytest.fixture
async def push(root: Path) -> AsyncIterator[tuple[Session, Recorder]]:
    session, recorder = make_session(root)
    session.mark_ready()
    yield session, recorder
    session.shutdown()


def sg(root: Path) -> tuple[str, str]:
    path = root / "network" / "sg.tf"
    return path.as_uri(), path.read_text()


async def test_open_analyses_and_publishes_with_the_version(
    push: tuple[Session, Recorder], root: Path
) -> None:
    session, recorder = push
    uri, text = sg(root)
    session.did_open(uri, text, 1)
    await eventually(lambda: recorder.rules(uri, 1), "diagnostics for v1")
    assert SG_RULE in recorder.rules(uri, 1)[0]
    view = session.document_view(uri)
    assert view is not None and view.version == 1 and view.text == text
    report = session.current_report_of(view)
    assert report is not None and [f.rule_id for f in report.findings].count(SG_RULE) == 1

    session.did_change(uri, text.replace("[var.admin_cidr]", '["10.0.0.0/8"]'), 2)
    await eventually(lambda: recorder.rules(uri, 2), "diagnostics for v2")
    assert SG_RULE not in recorder.rules(uri, 2)[0]

    session.did_close(uri)
    assert recorder.published[-1] == (uri, [], None)
    assert session.document_view(uri) is None and not session.reports


async def test_nothing_is_analysed_before_the_settings_are_known(root: Path) -> None:
    session, recorder = make_session(root)
    try:
        uri, text = sg(root)
        session.did_open(uri, text, 1)
        await asyncio.sleep(0.3)
        assert recorder.published == []
        session.mark_ready()
        await eventually(lambda: recorder.rules(uri, 1), "diagnostics once ready")
    finally:
        session.shutdown()


async def test_documents_that_are_not_terraform_or_not_open_are_ignored(
    push: tuple[Session, Recorder], root: Path
) -> None:
    session, recorder = push
    session.did_open((root / "README.md").as_uri(), "# notes", 1)
    session.did_open("untitled:Untitled-1", 'resource "x" {', 1)
    uri, text = sg(root)
    session.did_change(uri, text, 7)  # never opened
    await asyncio.sleep(0.2)
    assert recorder.published == [] and session.documents == {}


async def test_a_superseded_analysis_is_not_published(root: Path) -> None:
    session, recorder = make_session(root, debounce_ms=0)
    session.mark_ready()
    try:
        uri, text = sg(root)
        session.did_open(uri, text, 1)
        for version in range(2, 12):  # faster than the analyses
            session.did_change(uri, text + "\n" * version, version)
        await eventually(lambda: recorder.rules(uri, 11), "diagnostics for the last version")
        await asyncio.sleep(0.2)
        versions = [v for u, _, v in recorder.published if u == uri]
        assert versions == sorted(set(versions)) and versions[-1] == 11
    finally:
        session.shutdown()


async def test_fix_basis_is_only_the_current_analysis(root: Path) -> None:
    session, _ = make_session(root, debounce_ms=5000)
    session.mark_ready()
    try:
        uri, text = sg(root)
        session.did_open(uri, text, 1)
        await eventually(lambda: session.reports, "a report")
        view = session.document_view(uri)
        assert view is not None
        basis = session.fix_basis(view)
        assert basis is not None and basis.directory == str(root / "network")
        assert await session.current_outcome(basis.directory) is basis
        session.did_change(uri, text + "\n", 2)  # the debounce holds the analysis back
        moved = session.document_view(uri)
        assert moved is not None
        assert session.fix_basis(moved) is None and session.current_report_of(moved) is None
        # Asked for the current analysis, the session analyses the new text now.
        current = await session.current_outcome(basis.directory)
        assert current is not None and current is not basis
        assert current.overlay_versions == {str(root / "network" / "sg.tf"): 2}
    finally:
        session.shutdown()


async def test_pull_reports_and_result_ids(root: Path) -> None:
    session, recorder = make_session(
        root, scan=True, features=ClientFeatures(pull=True, diagnostic_refresh=True)
    )
    session.mark_ready()
    try:
        uri, text = sg(root)
        session.did_open(uri, text, 1)
        first = await session.pull_document(uri, None)
        assert first["kind"] == FULL and SG_RULE in [d["code"] for d in first["items"]]
        again = await session.pull_document(uri, first["resultId"])
        assert again == {"kind": UNCHANGED, "resultId": first["resultId"]}
        assert await session.pull_document("untitled:x", None) == {"kind": FULL, "items": []}

        task = session.start_scan()
        assert task is not None
        summary = await asyncio.wait_for(task, TIMEOUT)
        assert summary.modules == 3 and not summary.cancelled
        workspace = session.pull_workspace({})
        closed = {item["uri"]: item for item in workspace["items"]}
        assert uri not in closed  # open documents are pulled one by one
        controls = (root / "storage" / "controls.tf").as_uri()
        assert closed[controls]["kind"] == FULL
        held = {u: item["resultId"] for u, item in closed.items()}
        gone = (root / "deleted.tf").as_uri()
        later = session.pull_workspace({**held, gone: "7"})
        kinds = {item["uri"]: item["kind"] for item in later["items"]}
        assert kinds[controls] == UNCHANGED and kinds[gone] == FULL
        assert recorder.published == []  # a pull client is never pushed to
    finally:
        session.shutdown()


async def test_the_scan_reports_progress_through_the_client(root: Path) -> None:
    session, recorder = make_session(root, scan=True, features=ClientFeatures(progress=True))
    session.mark_ready()
    try:
        task = session.start_scan()
        assert task is not None
        await asyncio.wait_for(task, TIMEOUT)
        kinds = [kind for kind, _ in recorder.progress]
        assert kinds == ["begin", "report", "report", "report", "end"]
        assert recorder.progress[-2][1].startswith("100% 3/3")
        closed = {u for u, _, v in recorder.published if v is None}
        assert (root / "storage" / "controls.tf").as_uri() in closed
    finally:
        session.shutdown()


async def test_a_bad_config_file_is_shown_once(root: Path) -> None:
    (root / "network" / ".tfguard.hcl").write_text("rules {\n")
    session, recorder = make_session(root)
    session.mark_ready()
    try:
        uri, text = sg(root)
        session.did_open(uri, text, 1)
        await eventually(lambda: recorder.rules(uri, 1), "diagnostics")
        session.did_change(uri, text + "\n", 2)
        await eventually(lambda: recorder.rules(uri, 2), "diagnostics for v2")
        (warning,) = recorder.warnings
        assert ".tfguard.hcl" in warning and "default configuration" in warning
    finally:
        session.shutdown()
