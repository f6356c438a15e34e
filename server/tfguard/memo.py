"""Per-block memoisation across analyses.

A block's syntax model is cached by the block's text and shared from one analysis to the next,
so anything computed from the block alone (the strings in it, the secrets they hold) can be
kept until the block is edited. Results must not hold absolute positions: a block that moved
keeps its model, and positions are made absolute when a finding is reported.

The memo lives on the node itself (a ``_memo`` slot of the syntax classes): it is freed with
the node when the parse cache lets the block go, and a lookup is one attribute read and one
dictionary read, which matters on the path of every keystroke.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Memoised(Protocol):
    """A node that can carry a memo: ``None`` until something is remembered for it."""

    _memo: dict[str, Any] | None


def per_node(name: str, node: Memoised, compute: Callable[[], T]) -> T:
    """``compute()`` for ``node``, remembered under ``name`` for as long as ``node`` lives.

    ``compute`` must depend on the node alone: two threads that both find the value missing
    may both compute it, which is harmless."""
    memo = node._memo
    if memo is None:
        memo = node._memo = {}
    try:
        value: T = memo[name]
    except KeyError:
        value = memo.setdefault(name, compute())
    return value
