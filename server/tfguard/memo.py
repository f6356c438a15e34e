"""Per-block memoisation across analyses.

A block's syntax model is cached by the block's text and shared from one analysis to the next,
so anything computed from the block alone (the strings in it, the secrets they hold) can be
kept until the block is edited. Results must not hold absolute positions: a block that moved
keeps its model, and positions are made absolute when a finding is reported.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

# A plain dict: this is on the path of every keystroke, where an LRU's bookkeeping costs more
# than the work it saves. When it grows past the limit it is emptied and refills.
MAX_ENTRIES = 200_000
_cache: dict[tuple[str, int], tuple[object, Any]] = {}
_lock = threading.Lock()


def per_node(name: str, node: object, compute: Callable[[], T]) -> T:
    """``compute()`` for ``node``, remembered under ``name`` while ``node`` is alive."""
    key = (name, id(node))
    hit = _cache.get(key)  # a single dict read is atomic
    if hit is not None and hit[0] is node:
        value: T = hit[1]
        return value
    value = compute()
    with _lock:
        if len(_cache) >= MAX_ENTRIES:
            _cache.clear()
        _cache[key] = (node, value)
    return value
