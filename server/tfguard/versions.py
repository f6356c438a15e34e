"""Reading Terraform version constraints: does ``required_version`` allow a given release?"""

from __future__ import annotations

import re
from functools import lru_cache

_CLAUSE = re.compile(r"^\s*(>=|<=|!=|~>|=|>|<)?\s*v?(\d+(?:\.\d+){0,2})(?:-[\w.]+)?\s*$")


def _parse(version: str) -> tuple[int, int, int]:
    parts = [int(p) for p in version.split(".")]
    while len(parts) < 3:
        parts.append(0)
    return parts[0], parts[1], parts[2]


def _clause_allows(op: str, bound: str, version: tuple[int, int, int]) -> bool:
    b = _parse(bound)
    if op in ("", "="):
        return version == b
    if op == "!=":
        return version != b
    if op == ">=":
        return version >= b
    if op == ">":
        return version > b
    if op == "<=":
        return version <= b
    if op == "<":
        return version < b
    # ~> x.y allows >= x.y, < (x+1).0; ~> x.y.z allows >= x.y.z, < x.(y+1).0
    segments = bound.count(".") + 1
    if version < b:
        return False
    if segments <= 1:
        return True
    if segments == 2:
        return version < (b[0] + 1, 0, 0)
    return version < (b[0], b[1] + 1, 0)


def allows(constraint: str, version: str) -> bool | None:
    """Whether the constraint admits the version; None when the constraint is unreadable."""
    target = _parse(version)
    for clause in constraint.split(","):
        if not clause.strip():
            continue
        m = _CLAUSE.match(clause)
        if m is None:
            return None
        if not _clause_allows(m.group(1) or "", m.group(2), target):
            return False
    return True


def _probes(constraint: str) -> list[tuple[int, int, int]] | None:
    probes = {
        (major, minor, patch)
        for major in (0, 1, 2)
        for minor in range(0, 21)
        for patch in (0, 1, 99)
    }
    for clause in constraint.split(","):
        if not clause.strip():
            continue
        m = _CLAUSE.match(clause)
        if m is None:
            return None
        b = _parse(m.group(2))
        probes.update({b, (b[0], b[1], b[2] + 1), (b[0], b[1] + 1, 0), (b[0] + 1, 0, 0)})
        if b[2] > 0:
            probes.add((b[0], b[1], b[2] - 1))
    return sorted(probes)


@lru_cache(maxsize=1024)  # asked for each resource by each rule with version-dependent defaults
def admits(
    constraint: str, *, at_least: str | None = None, below: str | None = None
) -> bool | None:
    """Whether some release in [at_least, below) satisfies the constraint (None: unreadable)."""
    probes = _probes(constraint)
    if probes is None:
        return None
    lo = _parse(at_least) if at_least else (0, 0, 0)
    hi = _parse(below) if below else (999, 0, 0)
    # The first release a constraint admits in [lo, hi) is lo or a bound of a clause (or the
    # patch after one, for ">" and "!="), so probing those decides: "~> 5.0" admits 5.88.
    probes.extend([lo, (lo[0], lo[1], lo[2] + 1)])
    return any(lo <= p < hi and allows(constraint, ".".join(map(str, p))) for p in probes)
