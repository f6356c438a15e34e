"""Keep Python's cyclic garbage collector from pausing keystroke analyses.

The syntax models of a large workspace are long-lived and number in the hundreds of
thousands of objects; every full collection walks all of them, which showed up as 50-70 ms
pauses in the middle of an analysis. When the worker goes idle, the heap is collected once and
what survives is frozen out of the collector (``gc.freeze``); every ``refresh_every`` idle
moments it is unfrozen and collected again, so garbage with reference cycles is still freed.
Objects without cycles are freed by reference counting either way.
"""

from __future__ import annotations

import gc
import logging
import time

log = logging.getLogger(__name__)


class HeapKeeper:
    def __init__(self, refresh_every: int = 200) -> None:
        self.refresh_every = refresh_every
        self._idle_count = 0
        self._frozen = False

    def when_idle(self) -> None:
        self._idle_count += 1
        if self._frozen and self._idle_count < self.refresh_every:
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
