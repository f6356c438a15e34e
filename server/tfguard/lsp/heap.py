"""Keep Python's cyclic garbage collector from pausing keystroke analyses.

The syntax models of a large workspace are long-lived and number in the hundreds of
thousands of objects; every full collection walks all of them, which showed up as 50-70 ms
pauses in the middle of an analysis. When the worker goes idle, the heap is collected once and
what survives is frozen out of the collector (``gc.freeze``); every ``refresh_every`` idle
moments it is unfrozen and collected again, so garbage with reference cycles is still freed.
Objects without cycles — what an analysis leaves behind: its module is not in a cycle — are
freed by reference counting. Every ``trim_every`` idle moments the memory the C allocator
holds free is handed back to the system (``malloc_trim``), so a long session does not keep
the high-water mark of its texts and diagnostics.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import sys
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


def _trimmer() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``: hands the memory freed by the C allocator back to the system
    (None where there is no glibc)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim: Callable[[int], int] = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


class HeapKeeper:
    def __init__(self, refresh_every: int = 200, trim_every: int = 20) -> None:
        self.refresh_every = refresh_every
        self.trim_every = trim_every
        self._idle_count = 0
        self._frozen = False
        self._trim = _trimmer()

    def when_idle(self) -> None:
        self._idle_count += 1
        if self._frozen and self._idle_count < self.refresh_every:
            if self._trim is not None and self._idle_count % self.trim_every == 0:
                # Texts and diagnostics of every keystroke come from the C allocator, which
                # otherwise keeps what they freed: the server would only ever grow.
                self._trim(0)
            return
        started = time.perf_counter()
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self._frozen = True
        self._idle_count = 0
        log.debug(
            "heap collected and frozen in %.1f ms (%d objects frozen)",
            (time.perf_counter() - started) * 1000,
            gc.get_freeze_count(),
        )
