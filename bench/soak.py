"""Memory and latency of ``tfguard lsp`` over a long editing session.

Opens a generated module (``lsp_latency``'s mixed shape, 2,000 lines by default) and makes
20,000 edits over stdio like an editor, debounce 0: five characters typed into a block, then
deleted, the block moving on every ten edits, and a line inserted and removed now and then.
Every 1,000 edits it prints the server's resident memory and the p50/p95 of keystroke →
``publishDiagnostics`` over those edits. At the end a fresh server opens the final text, and
the two memories are compared (the long session should end within 10 % of the fresh one).

    python bench/soak.py [--lines 2000] [--edits 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from lsp_latency import generate_module
from lspclient import Client, percentile, rss_kib

SETTINGS = {"debounceMs": 0, "workspaceScan": False}


def _places(text: str) -> list[tuple[int, int]]:
    """(line, column) at the end of each ``description = "..."`` value: where typing happens."""
    out: list[tuple[int, int]] = []
    for number, line in enumerate(text.split("\n")):
        if "description" in line and line.rstrip().endswith('"'):
            out.append((number, len(line.rstrip()) - 1))
    return out


def _edits(text: str, count: int) -> list[tuple[str, int, int, int, int, str]]:
    """``count`` edits as (kind, line, column, end line, end column, text)."""
    places = _places(text)
    out: list[tuple[str, int, int, int, int, str]] = []
    step = 0
    while len(out) < count:
        line, column = places[(step * 37) % len(places)]
        word = "abcde"
        for i, char in enumerate(word):  # typed...
            out.append(("insert", line, column + i, line, column + i, char))
        for i in range(len(word), 0, -1):  # ...and deleted again
            out.append(("delete", line, column + i - 1, line, column + i, ""))
        if step % 25 == 24:  # a line inserted above the block, then removed
            out.append(("insert", line, 0, line, 0, "\n"))
            out.append(("delete", line, 0, line + 1, 0, ""))
        step += 1
    return out[:count]


def _apply(text: str, edit: tuple[str, int, int, int, int, str]) -> str:
    _, line, column, end_line, end_column, new = edit
    lines = text.split("\n")
    start = sum(len(x) + 1 for x in lines[:line]) + column
    end = sum(len(x) + 1 for x in lines[:end_line]) + end_column
    return text[:start] + new + text[end:]


async def _settled_rss(client: Client) -> int:
    """The server's memory once it is idle (its idle collection has run)."""
    await asyncio.sleep(1.5)
    return rss_kib(client.pid)[0]


async def soak(root: Path, main: Path, edits: int, every: int) -> tuple[str, int, int]:
    text = main.read_text(encoding="utf-8")
    client = Client(SETTINGS)
    await client.start()
    await client.initialize(root)
    uri = main.as_uri()
    client.open(main, text)
    await client.published_at(uri, 1)
    start_rss = await _settled_rss(client)
    print(f"opened: RSS {start_rss / 1024:.1f} MiB")
    plan = _edits(text, edits)
    window: list[float] = []
    for number, edit in enumerate(plan, start=1):
        version = number + 1
        sent = time.perf_counter()
        at = {"line": edit[1], "character": edit[2]}
        end = {"line": edit[3], "character": edit[4]}
        client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": at, "end": end}, "text": edit[5]}],
            },
        )
        text = _apply(text, edit)
        window.append((await client.published_at(uri, version)) - sent)
        if number % every == 0:
            ms = [w * 1000 for w in window]
            rss = rss_kib(client.pid)[0]
            print(
                f"{number:6d} edits: RSS {rss / 1024:6.1f} MiB, keystroke → publish p50 "
                f"{statistics.median(ms):5.1f} ms, p95 {percentile(ms, 0.95):5.1f} ms"
            )
            window = []
    end_rss = await _settled_rss(client)
    await client.stop()
    return text, start_rss, end_rss


async def fresh(root: Path, main: Path, text: str) -> int:
    client = Client(SETTINGS)
    await client.start()
    await client.initialize(root)
    client.open(main, text)
    await client.published_at(main.as_uri(), 1)
    rss = await _settled_rss(client)
    await client.stop()
    return rss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--edits", type=int, default=20_000)
    parser.add_argument("--every", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tfguard-soak-") as tmp:
        root = Path(tmp)
        main_tf, _ = generate_module(root, args.lines)
        print(f"module: main.tf of {args.lines} lines + 2 sibling files (only main.tf open)")
        final, start_rss, end_rss = asyncio.run(soak(root, main_tf, args.edits, args.every))
        new = asyncio.run(fresh(root, main_tf, final))
    print(
        f"after {args.edits} edits: RSS {end_rss / 1024:.1f} MiB (opened at "
        f"{start_rss / 1024:.1f} MiB); a fresh server on the same text: {new / 1024:.1f} MiB "
        f"→ {end_rss / new:.2f}× the fresh server's memory"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
