"""Scan time and memory on real corpora: tfguard cold and warm, Trivy and Checkov.

For each corpus (a folder of the root: terragoat, terraform-aws-modules, kics-terraform) this
runs, as separate processes, ``tfguard scan`` without its cache (cold), then twice with an
empty cache directory (the first run fills it, the second is the warm re-scan of an unchanged
tree), and the peers when they can be found: ``trivy config`` and ``checkov -d`` with their
update checks and downloads off. It prints the median wall time of ``--runs`` runs (with the
fastest and slowest), the peak resident memory, and the ratios measured in this run.

    python bench/corpora.py [ROOT] [--runs 3] [--peer-runs 1] [--jobs N]
                            [--trivy PATH] [--checkov PATH] [--peers DIR]

Without ROOT, the archives ``../shared/corpora/*.tar.gz`` beside the repository are unpacked
into a temporary folder. Peers are found as given, then as ``DIR/*/bin/<name>`` under
``--peers``, then on PATH; one that cannot be found is skipped, and said so.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
ARCHIVES = REPOSITORY.parent / "shared" / "corpora"
CORPORA = ("terragoat", "terraform-aws-modules", "kics-terraform")


@dataclass
class Timing:
    walls: list[float]
    peak_mib: float
    exit_code: int

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    def shown(self) -> str:
        spread = f" ({min(self.walls):.2f}–{max(self.walls):.2f})" if len(self.walls) > 1 else ""
        return f"{self.median:7.2f} s{spread:>16}  {self.peak_mib:6.0f} MiB"


def run(
    command: list[str], env: dict[str, str], runs: int, before: list[str] | None = None
) -> Timing:
    """Wall time and peak memory of ``command`` (``before``: run first each time, untimed)."""
    walls: list[float] = []
    peak = 0
    code = 0
    for _ in range(runs):
        if before is not None:
            subprocess.run(
                before, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
            )
        started = time.perf_counter()
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(process.pid, 0)
        walls.append(time.perf_counter() - started)
        process.returncode = os.waitstatus_to_exitcode(status)
        code = process.returncode
        peak = max(peak, usage.ru_maxrss)
    return Timing(walls, peak / 1024, code)


def find_tool(name: str, given: str | None, peers: str | None) -> str | None:
    if given:
        return given if os.access(given, os.X_OK) else None
    if peers:
        for candidate in sorted(Path(peers).glob(f"*/bin/{name}")):
            if os.access(candidate, os.X_OK):
                return str(candidate)
    return shutil.which(name)


def unpack(into: Path) -> Path:
    archives = sorted(ARCHIVES.glob("*.tar.gz"))
    if not archives:
        raise SystemExit(f"no corpus archives in {ARCHIVES}: give the corpora's root folder")
    for archive in archives:
        with tarfile.open(archive) as tar:
            tar.extractall(into, filter="data")
    return into


def rule_packs() -> str:
    from tfguard.rules import registry

    packs = Counter(rule.id.split("-", 1)[0] for rule in registry.all_rules())
    return ", ".join(f"{name} {count}" for name, count in sorted(packs.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", help="folder holding the corpora")
    parser.add_argument("--runs", type=int, default=3, help="runs of each tfguard measurement")
    parser.add_argument("--peer-runs", type=int, default=1, help="runs of each peer")
    parser.add_argument("--jobs", type=int, default=None, help="tfguard scan --jobs")
    parser.add_argument("--trivy")
    parser.add_argument("--checkov")
    parser.add_argument("--peers", help="a folder of peer installations (*/bin/trivy...)")
    args = parser.parse_args()
    trivy = find_tool("trivy", args.trivy, args.peers)
    checkov = find_tool("checkov", args.checkov, args.peers)
    with tempfile.TemporaryDirectory(prefix="tfguard-corpora-") as tmp:
        root = Path(args.root) if args.root else unpack(Path(tmp) / "corpora")
        env = {**os.environ, "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "BC_SKIP_MAPPING": "TRUE"}
        tfguard = [sys.executable, "-m", "tfguard", "scan", "--format", "json", "-o", os.devnull]
        if args.jobs is not None:
            tfguard += ["--jobs", str(args.jobs)]
        print(f"rules loaded: {rule_packs()}; {os.cpu_count()} cores")
        print(f"trivy: {trivy or 'not found, skipped'}; checkov: {checkov or 'not found, skipped'}")
        for name in CORPORA:
            corpus = root / name
            if not corpus.is_dir():
                print(f"[{name}] not found under {root}, skipped")
                continue
            cache = Path(tmp) / f"cache-{name}"
            fill = [*tfguard, "--cache-dir", str(cache), str(corpus)]
            clear = [sys.executable, "-c", f"import shutil; shutil.rmtree({str(cache)!r}, True)"]
            cold = run([*tfguard, "--no-cache", str(corpus)], env, args.runs)
            filled = run(fill, env, args.runs, before=clear)
            run(fill, env, 1)  # the cache as the last filling run left it
            warm = run(fill, env, args.runs)
            print(f"[{name}]")
            print(f"  tfguard cold (--no-cache)      {cold.shown()}")
            print(f"  tfguard filling its cache      {filled.shown()}")
            print(f"  tfguard warm (unchanged tree)  {warm.shown()}")
            print(f"  warm is {cold.median / warm.median:.1f}× faster than cold")
            for peer, command in (
                (
                    "trivy",
                    [
                        trivy or "",
                        "config",
                        "--skip-check-update",
                        "--disable-telemetry",
                        "--skip-version-check",
                        "--quiet",
                        "-f",
                        "json",
                        str(corpus),
                    ],
                ),
                (
                    "checkov",
                    [
                        checkov or "",
                        "-d",
                        str(corpus),
                        "--framework",
                        "terraform",
                        "--skip-download",
                        "-o",
                        "json",
                        "--quiet",
                    ],
                ),
            ):
                if not command[0]:
                    continue
                timing = run(command, env, args.peer_runs)
                print(
                    f"  {peer:<30} {timing.shown()}   tfguard cold is "
                    f"{timing.median / cold.median:.1f}× faster, "
                    f"{timing.peak_mib / max(cold.peak_mib, 1):.1f}× the memory"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
