"""Debounce on the event loop, and one worker thread that runs every engine call.

The engine is not thread-safe, so all calls into it are serialised on :class:`SerialWorker`.
Work has two lanes: interactive (open documents, pull requests, commands) always runs before
background work (the workspace scan), so a scan never delays the document being typed in.
Jobs are keyed: a job that is still waiting absorbs later submissions of the same key, and since
it reads the newest document texts when it starts, a newer edit supersedes an older one without
a second analysis.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class Lane(enum.IntEnum):
    INTERACTIVE = 0
    BACKGROUND = 1


class _Job:
    __slots__ = ("fn", "future", "key")

    def __init__(self, key: Hashable, fn: Callable[[], Any]) -> None:
        self.key = key
        self.fn = fn
        self.future: Future[Any] = Future()


class WorkerStopped(RuntimeError):
    pass


class SerialWorker:
    """Runs submitted callables one at a time on a dedicated thread."""

    def __init__(
        self,
        *,
        before_each: Callable[[], None] | None = None,
        when_idle: Callable[[], None] | None = None,
        name: str = "tfguard-engine",
    ) -> None:
        self._before_each = before_each
        self._when_idle = when_idle
        self._lanes: tuple[OrderedDict[Hashable, _Job], ...] = (OrderedDict(), OrderedDict())
        self._cond = threading.Condition()
        self._stopped = False
        self._running_key: Hashable | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, key: Hashable, fn: Callable[[], T], lane: Lane) -> Future[T]:
        """Queue ``fn`` under ``key``; a waiting job with the same key is reused (and promoted)."""
        with self._cond:
            if self._stopped:
                future: Future[T] = Future()
                future.set_exception(WorkerStopped("the analysis worker has stopped"))
                return future
            for index, queue in enumerate(self._lanes):
                job = queue.get(key)
                if job is None:
                    continue
                if lane < index:
                    del queue[key]
                    self._lanes[lane][key] = job
                return job.future
            job = _Job(key, fn)
            self._lanes[lane][key] = job
            self._cond.notify()
            return job.future

    def cancel_waiting(self, predicate: Callable[[Hashable], bool]) -> int:
        """Drop waiting (not yet started) jobs whose key matches; their futures are cancelled."""
        dropped: list[_Job] = []
        with self._cond:
            for queue in self._lanes:
                for key in [k for k in queue if predicate(k)]:
                    dropped.append(queue.pop(key))
        for job in dropped:
            job.future.cancel()
        return len(dropped)

    def pending(self) -> int:
        with self._cond:
            return sum(len(queue) for queue in self._lanes)

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            waiting = [job for queue in self._lanes for job in queue.values()]
            for queue in self._lanes:
                queue.clear()
            self._cond.notify_all()
        for job in waiting:
            job.future.cancel()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _next(self) -> _Job | None:
        with self._cond:
            while True:
                if self._stopped:
                    return None
                for queue in self._lanes:
                    if queue:
                        _, job = queue.popitem(last=False)
                        return job
                self._cond.wait()

    def _run(self) -> None:
        while (job := self._next()) is not None:
            if not job.future.set_running_or_notify_cancel():
                continue
            try:
                if self._before_each is not None:
                    self._before_each()
                result = job.fn()
            except BaseException as err:  # reported through the future, never kills the thread
                job.future.set_exception(err)
            else:
                job.future.set_result(result)
            if self._when_idle is not None and self.pending() == 0:
                try:
                    self._when_idle()
                except Exception:  # housekeeping must never stop the worker
                    log.exception("idle housekeeping failed")


class Debouncer:
    """Per-key timers on the event loop: a new schedule for a key replaces the pending one."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._handles: dict[Hashable, asyncio.TimerHandle] = {}

    def schedule(self, key: Hashable, delay_ms: int, callback: Callable[[], None]) -> None:
        self.cancel(key)
        if delay_ms <= 0:
            callback()
            return

        def fire() -> None:
            self._handles.pop(key, None)
            callback()

        self._handles[key] = self._loop.call_later(delay_ms / 1000.0, fire)

    def cancel(self, key: Hashable) -> None:
        handle = self._handles.pop(key, None)
        if handle is not None:
            handle.cancel()

    def is_pending(self, key: Hashable) -> bool:
        return key in self._handles

    def cancel_all(self) -> None:
        for handle in self._handles.values():
            handle.cancel()
        self._handles.clear()
