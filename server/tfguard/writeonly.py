"""The table of arguments that have a write-only (``_wo``) twin, shared by rules and fixes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, cast

# What switching an existing resource to the write-only twin does (see data/write_only.json).
Existing = Literal["resets", "resends", "new-version", "replaces"]
_EXISTING = ("resets", "resends", "new-version", "replaces")


@dataclass(frozen=True, slots=True)
class WriteOnly:
    resource_type: str
    argument: str
    write_only: str
    version: str
    # The first release of the provider with the twin; None when it is not known.
    since: str | None = None
    existing: Existing = "resets"

    @property
    def provider(self) -> str:
        """The provider's type: the resource type's prefix, as Terraform infers it."""
        return self.resource_type.split("_", 1)[0]


@cache
def write_only_table() -> dict[str, dict[str, WriteOnly]]:
    raw = json.loads(resources.files("tfguard").joinpath("data/write_only.json").read_text())
    table: dict[str, dict[str, WriteOnly]] = {}
    for rtype, args in raw.items():
        if rtype.startswith("_"):
            continue
        for arg, spec in args.items():
            existing = spec.get("existing", "resets")
            if existing not in _EXISTING:
                raise ValueError(f"data/write_only.json: {rtype}.{arg}: unknown {existing!r}")
            table.setdefault(rtype, {})[arg] = WriteOnly(
                rtype,
                arg,
                spec["write_only"],
                spec["version"],
                spec.get("since"),
                cast(Existing, existing),
            )
    return table
