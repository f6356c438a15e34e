"""Findings of the ``examples/`` folders of module repositories, without and with module calls
followed (tfguard.calls), and what following them costs.

Usage: python3 bench/module_calls.py CORPUS [--repeat N] [--keystrokes N]

CORPUS holds one folder per repository (each with ``examples/``). For each repository the
script prints the example folders analysed, the findings before (each module on its own) and
after (calls followed), how many of those come from module calls, and the median time of a
cold analysis of all its examples (a new engine per run), both ways, with their ratio.

Then, for the example of each repository with the most findings through calls, the median
time of a re-analysis after a keystroke in the caller (an editor buffer changed, caches
warm): a comment typed (the calls' arguments unchanged) and an argument's value changed (the
called module analysed again with the new value), calls followed or not, in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter

from tfguard.engine import Engine
from tfguard.findings import Finding

NOT_RULES = frozenset({"syntax", "validation", "tfguard-suppression"})


def examples_of(repository: str) -> list[str]:
    folder = os.path.join(repository, "examples")
    if not os.path.isdir(folder):
        return []
    return Engine().discover(folder)


def analyse(directories: list[str], follow: bool) -> tuple[list[Finding], float]:
    engine = Engine()
    engine.follow_module_calls = follow
    started = time.perf_counter()
    findings: list[Finding] = []
    for directory in directories:
        result = engine.analyze_module(directory)
        findings.extend(f for f in result.all_findings() if f.rule_id not in NOT_RULES)
    return findings, (time.perf_counter() - started) * 1000


def keystrokes(directory: str, follow: bool, count: int, argument: bool) -> float:
    """Median ms of a re-analysis of ``directory`` after each of ``count`` edits of its
    main.tf buffer: a comment appended, or (``argument``) the first quoted string of a
    module call changed."""
    engine = Engine()
    engine.incremental = True  # as the editor's engine
    engine.follow_module_calls = follow
    path = os.path.join(directory, "main.tf")
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    engine.analyze_module(directory)
    start = text.find('source = "')
    quote = text.find('"', text.find("\n", start) + 1) if start >= 0 else -1
    times: list[float] = []
    for i in range(count):
        if argument and quote >= 0:
            edited = text[: quote + 1] + f"k{i}-" + text[quote + 1 :]
        else:
            edited = text + f"\n# edit {i}\n"
        engine.set_overlay(path, edited)
        started = time.perf_counter()
        engine.analyze_module(directory)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keystrokes", type=int, default=15)
    args = parser.parse_args(argv)
    busiest: dict[str, tuple[int, str]] = {}
    repositories = sorted(
        os.path.join(args.corpus, name)
        for name in os.listdir(args.corpus)
        if os.path.isdir(os.path.join(args.corpus, name, "examples"))
    )
    header = (
        f"{'repository':<12} {'examples':>8} {'before':>7} {'after':>7} {'calls':>6} "
        f"{'ms before':>10} {'ms after':>9} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    totals = Counter[str]()
    by_rule = Counter[str]()
    for repository in repositories:
        directories = examples_of(repository)
        before_times: list[float] = []
        after_times: list[float] = []
        before: list[Finding] = []
        after: list[Finding] = []
        for _ in range(max(1, args.repeat)):
            before, spent = analyse(directories, follow=False)
            before_times.append(spent)
            after, spent = analyse(directories, follow=True)
            after_times.append(spent)
        through_calls = [f for f in after if "via" in f.data]
        by_rule.update(f.rule_id for f in through_calls)
        per_example = Counter(os.path.dirname(f.path) for f in through_calls)
        if per_example:
            example, count = per_example.most_common(1)[0]
            busiest[os.path.basename(repository)] = (count, example)
        slow = statistics.median(after_times)
        fast = statistics.median(before_times)
        print(
            f"{os.path.basename(repository):<12} {len(directories):>8} {len(before):>7} "
            f"{len(after):>7} {len(through_calls):>6} {fast:>10.0f} {slow:>9.0f} "
            f"{slow / fast if fast else 0:>6.2f}"
        )
        totals.update({"examples": len(directories), "before": len(before), "after": len(after)})
        totals["calls"] += len(through_calls)
    print("-" * len(header))
    print(
        f"{'total':<12} {totals['examples']:>8} {totals['before']:>7} {totals['after']:>7} "
        f"{totals['calls']:>6}"
    )
    if by_rule:
        print("\nfindings through module calls, by rule:")
        for rule, count in by_rule.most_common():
            print(f"  {count:>4}  {rule}")
    if busiest and args.keystrokes > 0:
        print(f"\nre-analysis after a keystroke in the caller (median of {args.keystrokes}, ms)")
        print(f"{'example':<44} {'comment: off':>12} {'on':>6} {'argument: off':>13} {'on':>6}")
        for _, (_, example) in sorted(busiest.items()):
            shown = os.path.relpath(example, args.corpus)
            if not os.path.isfile(os.path.join(example, "main.tf")):
                continue
            figures = [
                keystrokes(example, follow, args.keystrokes, argument)
                for argument in (False, True)
                for follow in (False, True)
            ]
            print(
                f"{shown:<44} {figures[0]:>12.1f} {figures[1]:>6.1f} "
                f"{figures[2]:>13.1f} {figures[3]:>6.1f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
