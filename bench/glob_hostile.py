"""Exclude-glob match time on a file 25 folders deep: a hostile pattern against a plain one.

    python bench/glob_hostile.py [--runs N]

The hostile pattern is ``**/`` repeated 40 times then ``nomatch.tf`` (the backtracking
regular expression globs used to become never finished on it). "cold" compiles the glob and
matches once (every transition computed); "warm" is a later match (transitions remembered).
Budget: under 10 ms per match, cold or warm.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from tfguard.config import _glob, glob_matches

BUDGET_MS = 10.0
DEEP = "/".join(f"d{i}" for i in range(25)) + "/main.tf"
PATTERNS = {
    "hostile (**/ x40 + nomatch.tf)": "**/" * 40 + "nomatch.tf",
    "hostile, matching (**/ x40 + main.tf)": "**/" * 40 + "main.tf",
    "mixed (*/**/ x20 + *.tf)": "*/**/" * 20 + "*.tf",
    "plain (legacy/**)": "legacy/**",
    "plain (**/examples/*.tf)": "**/examples/*.tf",
}


def median_ms(fn: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=51)
    args = parser.parse_args()
    print(f"path: {len(DEEP)} characters, 25 folders deep; budget {BUDGET_MS:.0f} ms per match")
    worst = 0.0
    for label, pattern in PATTERNS.items():

        def cold(pattern: str = pattern) -> bool:
            _glob.cache_clear()
            return glob_matches(pattern, DEEP)

        def warm(pattern: str = pattern) -> bool:
            return glob_matches(pattern, DEEP)

        cold_ms = median_ms(cold, args.runs)
        warm_ms = median_ms(warm, args.runs)
        worst = max(worst, cold_ms, warm_ms)
        result = "match" if warm() else "no match"
        print(f"{label:40} cold {cold_ms:8.3f} ms   warm {warm_ms:8.4f} ms   ({result})")
    print(f"worst {worst:.3f} ms: {'within' if worst < BUDGET_MS else 'OVER'} the budget")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
