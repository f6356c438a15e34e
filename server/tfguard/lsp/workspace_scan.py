"""The background scan of the workspace folders, reported with ``$/progress`` and cancellable.

Modules holding open documents go first. Each module is one background job on the engine
worker, so typing in an open document (interactive lane) is never queued behind the scan.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from tfguard.lsp.scheduler import Lane

log = logging.getLogger(__name__)

SKIP_DIRS = frozenset({".terraform", ".git", ".terragrunt-cache"})


def in_workspace(path: str, roots: Iterable[str]) -> bool:
    """Whether ``path`` lies under one of ``roots`` and outside the skipped directories."""
    for root in roots:
        root = root.rstrip(os.sep) or os.sep
        if path == root or path.startswith(root + os.sep) or root == os.sep:
            rel = os.path.relpath(path, root)
            return not any(part in SKIP_DIRS for part in rel.split(os.sep))
    return False


@dataclass
class ScanSummary:
    modules: int = 0
    files: int = 0
    findings: int = 0
    cancelled: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "modules": self.modules,
            "files": self.files,
            "findings": self.findings,
            "cancelled": self.cancelled,
        }


class Progress(Protocol):
    """Work-done progress in the client (``$/progress``), as the scan reports it."""

    async def begin_progress(self, token: str, title: str, on_cancel: Callable[[], None]) -> bool:
        """Start a cancellable progress; ``False`` when the client refused it."""
        ...

    def report_progress(self, token: str, message: str, percentage: int) -> None: ...

    def end_progress(self, token: str, message: str) -> None: ...


class ProgressReporter:
    """Progress for one scan; silent when the client does not support it."""

    def __init__(self, progress: Progress, enabled: bool) -> None:
        self._progress = progress
        self._enabled = enabled
        self.token = f"tfguard-scan-{uuid.uuid4().hex[:12]}"
        self._active = False

    async def begin(self, title: str, on_cancel: Callable[[], None]) -> None:
        if self._enabled:
            self._active = await self._progress.begin_progress(self.token, title, on_cancel)

    def report(self, message: str, percentage: int) -> None:
        if self._active:
            self._progress.report_progress(self.token, message, percentage)

    def end(self, message: str) -> None:
        if self._active:
            self._active = False
            self._progress.end_progress(self.token, message)


Discover = Callable[[str], Awaitable[list[str] | None]]
Analyze = Callable[[str, Lane], Awaitable[Any]]


class WorkspaceScanner:
    def __init__(
        self,
        *,
        discover: Discover,
        analyze: Analyze,
        cancel_waiting: Callable[[], None],
        progress: Progress,
        progress_enabled: Callable[[], bool],
    ) -> None:
        self._discover = discover
        self._analyze = analyze
        self._cancel_waiting = cancel_waiting
        self._progress = progress
        self._progress_enabled = progress_enabled
        self._task: asyncio.Task[ScanSummary] | None = None
        self.modules: set[str] = set()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self, roots: Sequence[str], first: Iterable[str]) -> asyncio.Task[ScanSummary]:
        """(Re)start the scan of ``roots``; modules in ``first`` are analysed before the rest."""
        self.cancel()
        self._task = asyncio.ensure_future(self._run(list(roots), list(first)))
        return self._task

    def cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None

    async def _run(self, roots: list[str], first: list[str]) -> ScanSummary:
        summary = ScanSummary()
        reporter = ProgressReporter(self._progress, self._progress_enabled())
        task = asyncio.current_task()
        await reporter.begin("tfguard: scanning workspace", lambda: _cancel(task))
        try:
            found: list[str] = []
            for root in roots:
                modules = await self._discover(root)
                found.extend(modules or [])
            ordered = _order(found, first)
            self.modules.update(ordered)
            total = len(ordered)
            log.info("workspace scan: %d modules under %s", total, ", ".join(roots))
            for index, directory in enumerate(ordered, start=1):
                outcome = await self._analyze(directory, Lane.BACKGROUND)
                summary.modules += 1
                if outcome is not None:
                    summary.files += len(outcome.files)
                    summary.findings += sum(len(f.findings) for f in outcome.files.values())
                reporter.report(
                    f"{index}/{total} {os.path.basename(directory) or directory}",
                    int(index * 100 / max(total, 1)),
                )
            reporter.end(f"{summary.findings} findings in {summary.modules} modules")
            log.info(
                "workspace scan done: %d modules, %d files, %d findings",
                summary.modules,
                summary.files,
                summary.findings,
            )
            return summary
        except asyncio.CancelledError:
            self._cancel_waiting()
            summary.cancelled = True
            reporter.end("cancelled")
            log.info("workspace scan cancelled after %d modules", summary.modules)
            return summary


def _cancel(task: asyncio.Task[Any] | None) -> None:
    if task is not None and not task.done():
        task.cancel()


def _order(found: Iterable[str], first: Iterable[str]) -> list[str]:
    unique = sorted(set(found))
    known = set(unique)
    priority = [d for d in dict.fromkeys(first) if d in known]
    chosen = set(priority)
    return priority + [d for d in unique if d not in chosen]
