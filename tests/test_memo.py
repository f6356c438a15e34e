from __future__ import annotations

import gc
import weakref
from functools import partial

from cachetools import LRUCache

from tfguard import document
from tfguard.memo import per_node
from tfguard.syntax import Block, Reference


class Node:
    _memo: dict[str, object] | None = None


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


def test_a_memo_lives_and_dies_with_its_node() -> None:
    node = Node()
    value = per_node("t", node, partial(list, (node,)))  # a value may refer to its node
    assert value == [node]
    ref = weakref.ref(node)
    del node, value
    gc.collect()
    assert ref() is None


def _live_blocks(marker: str) -> int:
    return sum(
        1
        for o in gc.get_objects()
        if isinstance(o, Block) and o.labels and o.labels[-1].startswith(marker)
    )


def test_blocks_evicted_from_the_parse_cache_are_freed_with_their_memos(monkeypatch) -> None:
    monkeypatch.setattr(document, "_cache", LRUCache(maxsize=16))
    texts = [
        f'resource "aws_s3_bucket" "memotest-{i}" {{\n'
        f'  bucket = "b-${{var.memotest{i}}}"\n'
        f"  tags   = {{ n = local.n{i} }}\n"
        "}\n"
        for i in range(300)
    ]
    parsed = None
    for text in texts:
        # Like a buffer being edited: each version replaces the last.
        parsed = document.ParsedFile("main.tf", text, parsed)
        for _, block in parsed.blocks():
            per_node("test", block, lambda block=block: block.labels)
            for attr in block.attributes.values():
                assert list(attr.value.references())
    gc.collect()
    # The parse cache holds 16 items and the last version holds its own: nothing else may
    # keep the other blocks (or the expressions in them) alive.
    assert _live_blocks("memotest-") <= 17
    live_references = sum(
        1
        for o in gc.get_objects()
        if isinstance(o, Reference) and str(o.steps[-1]).startswith("memotest")
    )
    assert live_references <= 17
