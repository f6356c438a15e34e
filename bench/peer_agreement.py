"""How often tfguard reports what Checkov and Trivy report, on real Terraform corpora.

For every corpus (terragoat, and each repository of terraform-aws-modules) the script runs
tfguard in-process and, when they can be found, Checkov and Trivy, then compares the findings
of the *shared rules*: the peer check ids that a tfguard rule lists among its aliases
(``CKV_AWS_111`` → ``aws-iam-write-all-resources``, ``AWS-0054`` → ``aws-elb-http-not-used``
...). A peer finding is a place (file and line span of the resource block, or the lines Trivy
names); tfguard reports it when a finding of the aliased rule sits in that span, in the same
file, or points there through a related location (a finding at a module call about the
module's resource). Peer findings of one resource evaluated through several module calls count
once.

Printed per corpus and in total:

- the shared-rule findings of each peer, and the places both peers report;
- tfguard's recall against Checkov, against Trivy and against the places both report, by the
  aliased rule alone (strict) and counting a broader tfguard finding at the same place where a
  rule says it leaves that case to the broader rule (see ``COVERED_BY``);
- tfguard-only findings: findings of a rule that has aliases of that peer, at places where the
  peer reports none of them.

Usage::

    python3 bench/peer_agreement.py [CORPUS_ROOT] [--checkov PATH] [--trivy PATH]
        [--peers DIR] [--cache DIR] [--only PREFIX] [--details]

CORPUS_ROOT holds ``terragoat/`` and/or ``terraform-aws-modules/<repo>/`` (any other folder
is taken as one corpus). Without it, the archives ``shared/corpora/terragoat.tar.gz`` and
``terraform-aws-modules.tar.gz`` beside the repository root are unpacked into a temporary
folder. The peers are looked up as given, then under ``--peers DIR`` (``*/bin/checkov``,
``*/bin/trivy``), then on PATH; a peer that cannot be found is skipped and said so. ``--cache``
keeps the peers' JSON reports between runs (they take minutes; tfguard takes seconds).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "server"))

from tfguard.engine import Engine  # noqa: E402
from tfguard.rules import registry  # noqa: E402

# A rule that leaves a case to a broader rule on purpose (its rationale or check says so): a
# peer finding of the narrower rule counts as covered when tfguard reports the broader rule at
# the same place. Strict recall does not use this table.
COVERED_BY: dict[str, tuple[str, ...]] = {
    # "*" and "service:*" on "*" are the wildcard rules' findings; credentials-returning
    # actions and iam:PassRole have rules of their own.
    "aws-iam-write-all-resources": (
        "aws-iam-no-wildcard-admin",
        "aws-iam-no-service-wildcard",
        "aws-iam-credentials-exposure",
    ),
    "aws-iam-permissions-management-all-resources": (
        "aws-iam-no-wildcard-admin",
        "aws-iam-no-service-wildcard",
        "aws-iam-passrole-all-roles",
        "aws-iam-credentials-exposure",
    ),
    "aws-iam-privilege-escalation": ("aws-iam-no-wildcard-admin", "aws-iam-no-service-wildcard"),
    "aws-iam-credentials-exposure": ("aws-iam-no-wildcard-admin", "aws-iam-no-service-wildcard"),
    "aws-iam-data-exfiltration": ("aws-iam-no-wildcard-admin", "aws-iam-no-service-wildcard"),
    # One finding per statement: a statement another IAM rule reports is not reported again
    # as a mere wildcard resource.
    "aws-iam-wildcard-resource": (
        "aws-iam-no-wildcard-admin",
        "aws-iam-no-service-wildcard",
        "aws-iam-write-all-resources",
        "aws-iam-permissions-management-all-resources",
        "aws-iam-passrole-all-roles",
        "aws-iam-credentials-exposure",
        "aws-iam-data-exfiltration",
    ),
}


@dataclass(frozen=True)
class Place:
    """Where a finding is: a file (relative to the corpus) and a 1-based line span."""

    path: str
    start: int
    end: int

    def holds(self, other: Place) -> bool:
        return self.path == other.path and self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Place) -> bool:
        return self.path == other.path and self.start <= other.end and other.start <= self.end


@dataclass
class PeerFinding:
    check: str
    rule: str
    place: Place
    resource: str


@dataclass
class OurFinding:
    rule: str
    places: list[Place]  # the enclosing block first, then related locations

    def at(self, place: Place) -> bool:
        block, *related = self.places
        return block.overlaps(place) or any(place.holds(r) for r in related)


@dataclass
class Tally:
    peers: dict[str, int] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)
    covered: dict[str, int] = field(default_factory=dict)
    only: dict[str, int] = field(default_factory=dict)

    def add(self, other: Tally) -> None:
        for name in ("peers", "found", "covered", "only"):
            mine, theirs = getattr(self, name), getattr(other, name)
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value


# -- locating tools and corpora ----------------------------------------------------------------


def find_tool(name: str, given: str | None, peers: str | None) -> str | None:
    if given:
        return given if os.access(given, os.X_OK) else None
    if peers:
        for pattern in (f"{peers}/*/bin/{name}", f"{peers}/{name}/**/{name}"):
            for candidate in sorted(glob.glob(pattern, recursive=True)):
                if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                    return candidate
    return shutil.which(name)


def unpack_default(target: Path) -> Path:
    shared = REPO.parent / "shared" / "corpora"
    archives = [shared / "terragoat.tar.gz", shared / "terraform-aws-modules.tar.gz"]
    present = [a for a in archives if a.is_file()]
    if not present:
        raise SystemExit(f"no corpus root given and no corpus archive in {shared}")
    for archive in present:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(target, filter="data")
    return target


def corpora(root: Path) -> list[tuple[str, Path]]:
    out: list[tuple[str, Path]] = []
    if (root / "terragoat").is_dir():
        out.append(("terragoat", root / "terragoat"))
    modules = root / "terraform-aws-modules"
    if modules.is_dir():
        for repo in sorted(p for p in modules.iterdir() if p.is_dir()):
            out.append((f"terraform-aws-modules/{repo.name}", repo))
    if not out:
        out.append((root.name, root))
    return out


# -- running -------------------------------------------------------------------------------------


def run_cached(command: list[str], env: dict[str, str], cache: Path | None, key: str) -> Any:
    if cache is not None:
        stored = cache / f"{key}.json"
        if stored.is_file():
            return json.loads(stored.read_text(encoding="utf-8"))
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    try:
        report = json.loads(done.stdout) if done.stdout.strip() else []
    except ValueError:
        print(f"  could not read the report of {command[0]}: {done.stderr[-300:]}")
        return None
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        (cache / f"{key}.json").write_text(json.dumps(report), encoding="utf-8")
    return report


def checkov_findings(tool: str, corpus: Path, cache: Path | None, key: str) -> list[PeerFinding]:
    env = {**os.environ, "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "BC_SKIP_MAPPING": "TRUE"}
    command = [tool, "-d", str(corpus), "--framework", "terraform", "--skip-download"]
    report = run_cached([*command, "-o", "json", "--quiet"], env, cache, f"checkov-{key}")
    if report is None:
        return []
    runs = report if isinstance(report, list) else [report]
    out: list[PeerFinding] = []
    for run in runs:
        for failed in run.get("results", {}).get("failed_checks", []):
            rule = rule_for(failed["check_id"])
            if rule is None:
                continue
            start, end = failed.get("file_line_range") or (0, 0)
            path = failed["file_path"].lstrip("/")
            place = Place(path, start, end)
            out.append(PeerFinding(failed["check_id"], rule, place, failed["resource"]))
    return unique(out)


def trivy_findings(tool: str, corpus: Path, cache: Path | None, key: str) -> list[PeerFinding]:
    command = [
        tool,
        "config",
        "--skip-check-update",
        "--disable-telemetry",
        "--skip-version-check",
        "--quiet",
        "-f",
        "json",
        str(corpus),
    ]
    report = run_cached(command, dict(os.environ), cache, f"trivy-{key}")
    if not isinstance(report, dict):
        return []
    out: list[PeerFinding] = []
    for result in report.get("Results") or []:
        for item in result.get("Misconfigurations") or []:
            if item.get("Status") != "FAIL":
                continue
            rule = rule_for(item["ID"])
            if rule is None:
                continue
            cause = item.get("CauseMetadata") or {}
            start = int(cause.get("StartLine") or 0)
            end = int(cause.get("EndLine") or start)
            place = Place(result["Target"], start, end)
            out.append(PeerFinding(item["ID"], rule, place, str(cause.get("Resource", ""))))
    return unique(out)


def unique(findings: Iterable[PeerFinding]) -> list[PeerFinding]:
    """One finding per (rule, place): a module's resource evaluated through several calls, or
    several check ids of one rule on one resource, count once."""
    seen: dict[tuple[str, Place], PeerFinding] = {}
    for finding in findings:
        seen.setdefault((finding.rule, finding.place), finding)
    return list(seen.values())


def tfguard_findings(corpus: Path) -> list[OurFinding]:
    engine = Engine()
    out: list[OurFinding] = []
    base = str(corpus.resolve())
    for directory in engine.discover(base):
        result = engine.analyze_module(directory)
        for finding in result.all_findings():
            if finding.block_lines is not None:
                first, last = finding.block_lines
            else:
                first = last = finding.range.start.line
            places = [Place(relative(finding.path, base), first + 1, last + 1)]
            for rel in finding.related:
                line = rel.range.start.line + 1
                places.append(Place(relative(rel.path, base), line, line))
            out.append(OurFinding(finding.rule_id, places))
    return out


def relative(path: str, base: str) -> str:
    return os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")


_RULE_FOR: dict[str, str | None] = {}


def rule_for(check: str) -> str | None:
    if check not in _RULE_FOR:
        rule = registry.get(check)
        _RULE_FOR[check] = rule.id if rule is not None else None
    return _RULE_FOR[check]


_TRIVY_ID = re.compile(r"^(AVD-)?[A-Z]{3}-\d{4}$")


def peer_rules(peer: str) -> set[str]:
    """The rules with at least one alias of the peer (Checkov ids, or Trivy ids)."""
    out: set[str] = set()
    for rule in registry.all_rules():
        for alias in rule.aliases:
            is_checkov = alias.startswith(("CKV_", "CKV2_"))
            if (peer == "checkov" and is_checkov) or (peer == "trivy" and _TRIVY_ID.match(alias)):
                out.add(rule.id)
    return out


# -- comparing ---------------------------------------------------------------------------------


def reported(ours: list[OurFinding], finding: PeerFinding, broader: bool) -> bool:
    rules = {finding.rule, *(COVERED_BY.get(finding.rule, ()) if broader else ())}
    return any(o.rule in rules and o.at(finding.place) for o in ours)


def compare(
    name: str,
    ours: list[OurFinding],
    peers: dict[str, list[PeerFinding]],
    only: str,
    details: bool,
) -> Tally:
    tally = Tally()
    wanted = {p: [f for f in found if f.rule.startswith(only)] for p, found in peers.items()}
    if "checkov" in wanted and "trivy" in wanted:
        wanted["both"] = [
            c
            for c in wanted["checkov"]
            if any(t.rule == c.rule and c.place.overlaps(t.place) for t in wanted["trivy"])
        ]
    print(f"\n{name}")
    for peer, found in wanted.items():
        strict = [f for f in found if reported(ours, f, False)]
        covered = [f for f in found if reported(ours, f, True)]
        tally.peers[peer] = len(found)
        tally.found[peer] = len(strict)
        tally.covered[peer] = len(covered)
        print(
            f"  {peer:8} {len(found):4} shared-rule findings; tfguard reports "
            f"{ratio(len(strict), len(found))} (with broader rules: "
            f"{ratio(len(covered), len(found))})"
        )
        if details:
            for miss in sorted(
                (f for f in found if f not in covered), key=lambda f: (f.rule, f.place.path)
            ):
                where = f"{miss.place.path}:{miss.place.start}-{miss.place.end}"
                print(f"      missed {miss.check} ({miss.rule}) {miss.resource} {where}")
    for peer in ("checkov", "trivy"):
        if peer not in peers:
            continue
        rules = {r for r in peer_rules(peer) if r.startswith(only)}
        extra: set[tuple[str, Place]] = set()
        for finding in ours:
            if finding.rule not in rules:
                continue
            if not any(p.rule == finding.rule and finding.at(p.place) for p in peers[peer]):
                extra.add((finding.rule, finding.places[0]))
        tally.only[peer] = len(extra)
        print(f"  tfguard-only vs {peer}: {len(extra)} findings of aliased rules")
        if details:
            for rule, place in sorted(extra, key=lambda e: (e[0], e[1].path, e[1].start)):
                print(f"      extra {rule} {place.path}:{place.start}")
    return tally


def ratio(part: int, whole: int) -> str:
    if whole == 0:
        return "-"
    return f"{part}/{whole} ({100.0 * part / whole:.1f} %)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", nargs="?", help="folder holding the corpora")
    parser.add_argument("--checkov", help="the checkov executable")
    parser.add_argument("--trivy", help="the trivy executable")
    parser.add_argument("--peers", help="folder holding the peers' installations")
    parser.add_argument("--cache", help="keep the peers' reports in this folder")
    parser.add_argument("--only", default="", help="compare only rules whose id starts so")
    parser.add_argument("--details", action="store_true", help="list misses and extras")
    args = parser.parse_args(argv)

    tools = {
        "checkov": find_tool("checkov", args.checkov, args.peers),
        "trivy": find_tool("trivy", args.trivy, args.peers),
    }
    for peer, tool in tools.items():
        print(f"{peer}: {tool}" if tool else f"{peer}: not found, skipped")
    cache = Path(args.cache) if args.cache else None
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(args.root) if args.root else unpack_default(Path(scratch))
        total = Tally()
        for name, corpus in corpora(root):
            key = name.replace("/", "_")
            started = time.perf_counter()
            ours = tfguard_findings(corpus)
            took = time.perf_counter() - started
            peers: dict[str, list[PeerFinding]] = {}
            if tools["checkov"]:
                peers["checkov"] = checkov_findings(tools["checkov"], corpus, cache, key)
            if tools["trivy"]:
                peers["trivy"] = trivy_findings(tools["trivy"], corpus, cache, key)
            tally = compare(name, ours, peers, args.only, args.details)
            print(f"  tfguard: {len(ours)} findings in {took:.1f} s")
            total.add(tally)
    print("\ntotal")
    for peer, count in total.peers.items():
        print(
            f"  {peer:8} {count:4} shared-rule findings; tfguard reports "
            f"{ratio(total.found.get(peer, 0), count)} (with broader rules: "
            f"{ratio(total.covered.get(peer, 0), count)})"
        )
    for peer, count in total.only.items():
        print(f"  tfguard-only vs {peer}: {count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
