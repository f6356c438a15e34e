from __future__ import annotations

import gc

from tfguard.lsp.heap import HeapKeeper


def test_heap_is_frozen_when_idle_and_refreshed_periodically() -> None:
    keeper = HeapKeeper(refresh_every=3)
    try:
        keeper.when_idle()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        garbage: list[object] = []
        garbage.append(garbage)  # a cycle only the collector can free
        del garbage
        keeper.when_idle()
        keeper.when_idle()
        assert gc.get_freeze_count() == frozen  # not refreshed yet
        keeper.when_idle()  # the third idle moment since the last refresh
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
