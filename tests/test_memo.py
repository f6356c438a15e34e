from __future__ import annotations

import gc
import tracemalloc
import weakref
from functools import partial

from cachetools import LRUCache

from tfguard import document
from tfguard.memo import per_node
from tfguard.secrets import find_key_material
from tfguard.syntax import Attribute, Block, Reference


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


def test_the_parse_cache_is_bounded_by_the_text_it_holds(monkeypatch) -> None:
    # The cache weighs an item by its text: a large block edited again and again keeps a few
    # versions, not thousands of copies of its model.
    production = document._cache
    assert production.maxsize == document.MAX_CACHED_CHARS
    small = LRUCache(maxsize=200_000, getsizeof=production.getsizeof)
    monkeypatch.setattr(document, "_cache", small)
    rows = "".join(f'    "key-{i}" = "value-{i}"\n' for i in range(700))
    parsed = None
    for version in range(30):
        text = f"locals {{\n  bigtest-{version} = {{\n{rows}  }}\n}}\n"
        parsed = document.ParsedFile("main.tf", text, parsed)
        assert parsed.problems == []
    gc.collect()
    live = sum(
        1 for o in gc.get_objects() if isinstance(o, Attribute) and o.name.startswith("bigtest-")
    )
    assert live <= small.maxsize // len(text) + 1


def test_a_text_too_large_to_cache_is_not_cached() -> None:
    huge = "x = [" + "1," * (document.MAX_CACHED_CHARS // 2) + "]\n"
    parsed = document.ParsedFile("main.tf", huge)
    assert parsed.problems
    assert huge.rstrip("\n") not in document._cache


def test_key_material_of_long_texts_is_not_kept_for_every_version() -> None:
    script = "echo deploying the service with its settings and options\n" * 1000
    find_key_material(script)  # anything computed once (compiled patterns) is not counted
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for version in range(100):  # a heredoc being typed: a new text on every keystroke
            assert find_key_material(f"{script}# {version}\n") == ()
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept < 20 * len(script)  # not 100 copies
