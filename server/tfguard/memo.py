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

from cachetools import LRUCache

T = TypeVar("T")

_cache: LRUCache[tuple[str, int], tuple[object, Any]] = LRUCache(maxsize=50_000)
_lock = threading.Lock()


def per_node(name: str, node: object, compute: Callable[[], T]) -> T:
    """``compute()`` for ``node``, remembered under ``name`` while ``node`` is alive."""
    key = (name, id(node))
    with _lock:
        hit = _cache.get(key)
    if hit is not None and hit[0] is node:
        value: T = hit[1]
        return value
    value = compute()
    with _lock:
        _cache[key] = (node, value)
    return value
