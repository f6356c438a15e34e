"""Findings: what a rule reports, positioned in code points (0-based lines and columns)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def parse(cls, name: str) -> Severity:
        try:
            return cls[name.strip().upper()]
        except KeyError:
            choices = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {name!r} (expected one of: {choices})") from None

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """A place in a text: 0-based line and 0-based column counted in code points."""

    line: int
    character: int


@dataclass(frozen=True, slots=True, order=True)
class Range:
    start: Position
    end: Position

    @classmethod
    def of(cls, line: int, col: int, end_line: int, end_col: int) -> Range:
        return cls(Position(line, col), Position(end_line, end_col))

    def shifted(self, lines: int) -> Range:
        if lines == 0:
            return self
        return Range(
            Position(self.start.line + lines, self.start.character),
            Position(self.end.line + lines, self.end.character),
        )

    def contains(self, other: Range) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True, slots=True)
class Related:
    """Another place that explains a finding (the bucket a missing block belongs to).

    ``kind`` is ``"provenance"`` for a step of where an evaluated value came from (a
    variable's default, a tfvars entry, a local): reports show it as "<message> from
    <file>:<line>"; ``"condition"`` for a conditional's test that chose the value ("<message>
    at <file>:<line>")."""

    path: str
    range: Range
    message: str
    kind: str = ""

    @property
    def explains_value(self) -> bool:
        """A step of where the finding's value came from (a source or a condition)."""
        return self.kind in (PROVENANCE, CONDITION)


PROVENANCE = "provenance"
CONDITION = "condition"

SYNTAX_RULE_ID = "syntax"
# A configuration that parses but that Terraform would reject (``terraform validate``):
# duplicate names, an argument set twice, count with for_each, undeclared references.
VALIDATION_RULE_ID = "validation"
# Findings about the configuration itself rather than a rule: never suppressed, never below a
# minimum severity, and a fix must never add one.
CONFIGURATION_RULE_IDS = frozenset({SYNTAX_RULE_ID, VALIDATION_RULE_ID})


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    severity: Severity
    message: str
    path: str
    range: Range
    related: tuple[Related, ...] = ()
    # Start lines of the attribute / nested blocks / top-level block that own the finding,
    # innermost first: where an inline suppression may stand (the line above any of them).
    scope_lines: tuple[int, ...] = ()
    # Line span of the enclosing top-level block (checkov:skip may stand anywhere inside it).
    block_lines: tuple[int, int] | None = None
    # Opaque, JSON-serialisable facts a fix needs (resource address, attribute name, ...).
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_syntax(self) -> bool:
        return self.rule_id == SYNTAX_RULE_ID

    @property
    def is_configuration_error(self) -> bool:
        """A syntax or validation error: what Terraform itself would reject."""
        return self.rule_id in CONFIGURATION_RULE_IDS

    def sort_key(self) -> tuple[str, Position, str]:
        return (self.path, self.range.start, self.rule_id)
