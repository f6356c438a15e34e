"""Files tfguard does not analyse, named so that a scan of them is never a silent green.

A directory of Terragrunt configuration, or of plans in JSON (which are scanned only when
named on the command line, see :mod:`tfguard.plan`), holds nothing a directory scan reads;
saying "No findings in 0 files" and exiting 0 would let CI pass without scanning anything.
:func:`survey` names what was found instead, and :func:`explain` says why one file given on
the command line cannot be scanned (or fixed). Terraform JSON (``*.tf.json``) is read like
HCL (:mod:`tfguard.tfjson`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable

from tfguard.engine import SKIP_DIRS

TERRAGRUNT_NAMES = frozenset({"terragrunt.hcl", "terragrunt.stack.hcl", "terragrunt.values.hcl"})
MAX_JSON_BYTES = 8 * 1024 * 1024
MAX_JSON_FILES = 200  # JSON files opened by one survey, to stay fast in a data folder
EXAMPLES = 3

TERRAGRUNT = "terragrunt"
PLAN = "plan"

REASONS = {
    TERRAGRUNT: (
        "Terragrunt configuration, which is not a Terraform module: scan the modules its "
        "terraform { source = ... } points to"
    ),
    PLAN: (
        "a Terraform plan in JSON (terraform show -json), which tfguard scans only when it is "
        "named on the command line (tfguard scan PLAN.json), and never fixes: fix the "
        "configuration the plan was made from"
    ),
}
NOUNS = {
    TERRAGRUNT: ("Terragrunt file", "Terragrunt files"),
    PLAN: ("Terraform plan in JSON", "Terraform plans in JSON"),
}


def kind_of(path: str, *, read_json: bool = True) -> str | None:
    """What an unsupported file is (see :data:`REASONS`), or None for anything else."""
    name = os.path.basename(path)
    if name.endswith((".tf.json", ".tofu.json")):
        return None  # Terraform JSON: analysed
    if name in TERRAGRUNT_NAMES:
        return TERRAGRUNT
    if read_json and name.endswith(".json") and not name.endswith(".tfvars.json"):
        return PLAN if _is_plan(path) else None
    return None


def explain(path: str) -> str | None:
    kind = kind_of(path)
    return REASONS[kind] if kind is not None else None


def _is_plan(path: str) -> bool:
    try:
        if os.path.getsize(path) > MAX_JSON_BYTES:
            return False
        with open(path, encoding="utf-8") as handle:
            doc = json.load(handle)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return False
    return isinstance(doc, dict) and "format_version" in doc and "planned_values" in doc


def survey(paths: Iterable[str]) -> dict[str, list[str]]:
    """The unsupported files under ``paths`` (files or directories), by kind."""
    found: dict[str, list[str]] = {}
    json_files = 0

    def look(path: str) -> None:
        nonlocal json_files
        read_json = json_files < MAX_JSON_FILES
        if path.endswith(".json"):
            json_files += 1
        kind = kind_of(path, read_json=read_json)
        if kind is not None:
            found.setdefault(kind, []).append(path)

    for raw in paths:
        path = os.path.abspath(raw)
        if os.path.isfile(path):
            look(path)
            continue
        for current, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            for name in sorted(files):
                look(os.path.join(current, name))
    return found


def describe(found: dict[str, list[str]], root: str) -> list[str]:
    """One line per kind: how many, a few examples (relative to ``root``), and why."""
    out: list[str] = []
    for kind in (TERRAGRUNT, PLAN):
        paths = found.get(kind)
        if not paths:
            continue
        singular, plural = NOUNS[kind]
        noun = singular if len(paths) == 1 else plural
        shown = ", ".join(os.path.relpath(p, root) for p in paths[:EXAMPLES])
        more = ", ..." if len(paths) > EXAMPLES else ""
        out.append(f"found {len(paths)} {noun} ({shown}{more}): {REASONS[kind]}")
    return out
