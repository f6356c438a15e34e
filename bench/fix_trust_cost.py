"""What module validation, provenance and fix layout cost, on the module of lsp_latency.py.

Prints, for single-character edits of the 5,000-line module (medians, same run):

- ``Engine.analyze_module`` as it is, and with module validation and provenance switched off
  (the ratio is their cost on the keystroke path);
- building the validation index alone;
- ``fixes_for`` over every finding of the file (what a code-action request computes), with
  and without the validity guard and the fmt layout of each fix.

    python bench/fix_trust_cost.py [--lines 5000] [--edits 100]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import lsp_latency  # type: ignore[import-not-found]
from tfguard import fixlayout, provenance, validate
from tfguard.engine import Engine, fixes_for


class _NoIndex:
    """An index that finds nothing (validation off)."""

    def __init__(self, files: object, complete: bool) -> None:
        pass

    def findings(self) -> list[Any]:
        return []


@contextmanager
def switched_off(on: bool) -> Iterator[None]:
    saved = (validate.Index, provenance.steps)
    if not on:
        validate.Index = _NoIndex  # type: ignore[assignment,misc]
        provenance.steps = lambda *args, **kwargs: []
    try:
        yield
    finally:
        validate.Index, provenance.steps = saved  # type: ignore[misc]


def _index(files: Any) -> None:
    validate.Index(files, True).findings()


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def run(lines: int, edits: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        main, _ = lsp_latency.generate_module(Path(folder), lines)
        text = main.read_text(encoding="utf-8")
        at = text.index(lsp_latency.MARKER)
        engine = Engine()
        engine.analyze_module(folder)
        samples: dict[bool, list[float]] = {True: [], False: []}
        index_cost: list[float] = []
        for k in range(edits):
            on = k % 4 in (0, 3)  # ABBA: neither mode always runs first
            engine.set_overlay(str(main), text[:at] + "x" * (k + 1) + text[at:])
            with switched_off(on):
                samples[on].append(timed(lambda: engine.analyze_module(folder)))
            if on:
                result = engine.analyze_module(folder)
                assert result.module is not None
                index_cost.append(timed(partial(_index, result.module.files)))
        result = engine.analyze_module(folder)
        findings = [f for f in result.all_findings() if f.path == str(main)]
        with_guard = [timed(lambda: [fixes_for(result, f) for f in findings]) for _ in range(5)]
        saved = (validate.fix_harm, fixlayout.realign)
        validate.fix_harm = lambda module, fix: None
        fixlayout.realign = lambda module, fix: fix
        try:
            without = [timed(lambda: [fixes_for(result, f) for f in findings]) for _ in range(5)]
        finally:
            validate.fix_harm, fixlayout.realign = saved
        fixes = sum(len(fixes_for(result, f)) for f in findings)
    with_all, without_all = median_ms(samples[True]), median_ms(samples[False])
    print(f"module: {lines} lines in main.tf + 2 files, {len(findings)} findings, {fixes} fixes")
    print(
        f"analyze_module per edit: p50 {with_all:.2f} ms with validation and provenance, "
        f"{without_all:.2f} ms without (ratio {with_all / without_all:.3f})"
    )
    print(f"validation index and findings alone: p50 {median_ms(index_cost):.3f} ms")
    guarded, plain = median_ms(with_guard), median_ms(without)
    print(
        f"fixes_for every finding of main.tf: p50 {guarded:.1f} ms with the validity guard and "
        f"fmt layout, {plain:.1f} ms without ({(guarded - plain) / max(fixes, 1):.2f} ms a fix)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=100)
    args = parser.parse_args()
    run(args.lines, args.edits)


if __name__ == "__main__":
    main()
