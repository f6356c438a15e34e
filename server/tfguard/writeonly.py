"""The table of arguments that have a write-only (``_wo``) twin, shared by rules and fixes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class WriteOnly:
    resource_type: str
    argument: str
    write_only: str
    version: str


@cache
def write_only_table() -> dict[str, dict[str, WriteOnly]]:
    raw = json.loads(resources.files("tfguard").joinpath("data/write_only.json").read_text())
    table: dict[str, dict[str, WriteOnly]] = {}
    for rtype, args in raw.items():
        if rtype.startswith("_"):
            continue
        for arg, spec in args.items():
            table.setdefault(rtype, {})[arg] = WriteOnly(
                rtype, arg, spec["write_only"], spec["version"]
            )
    return table
