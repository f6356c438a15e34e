from __future__ import annotations

from tfguard import memo
from tfguard.memo import per_node


class Node:
    pass


def test_per_node_computes_once_per_node_and_name() -> None:
    calls: list[str] = []
    a, b = Node(), Node()

    def compute(label: str) -> str:
        calls.append(label)
        return label.upper()

    assert per_node("t", a, lambda: compute("a")) == "A"
    assert per_node("t", a, lambda: compute("again")) == "A"
    assert per_node("other", a, lambda: compute("o")) == "O"
    assert per_node("t", b, lambda: compute("b")) == "B"
    assert calls == ["a", "o", "b"]


def test_an_entry_left_by_a_dead_node_at_the_same_address_is_not_used() -> None:
    dead, alive = Node(), Node()
    # What the cache holds when `dead` was freed and `alive` reuses its address.
    memo._cache[("t", id(alive))] = (dead, "stale")
    assert per_node("t", alive, lambda: "fresh") == "fresh"
    assert per_node("t", alive, lambda: "recomputed") == "fresh"
