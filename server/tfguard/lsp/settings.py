"""Editor settings (``initializationOptions`` / section ``tfguard``), validated.

A bad value never stops the server: the key falls back to its default and the problem is
reported once to the user.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lsprotocol import types

from tfguard.findings import Severity
from tfguard.lsp.convert import DEFAULT_SEVERITY_MAP

SECTION = "tfguard"
DEFAULT_DEBOUNCE_MS = 150
MAX_DEBOUNCE_MS = 10_000
# Larger files are not analysed in the editor (one information diagnostic says so; a scan
# analyses them): a first analysis takes 3-5 s a MiB (python3 bench/large_files.py), and the
# editor waits for nothing longer than 2 s. The largest file of five widely used AWS module
# repositories is 60 KiB.
DEFAULT_MAX_FILE_KIB = 256
MAX_FILE_KIB = 8 * 1024  # what the engine reads at all

LSP_LEVELS: Mapping[str, types.DiagnosticSeverity] = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}

KNOWN_KEYS = frozenset(
    {
        "minimumSeverity",
        "disabledRules",
        "severityMap",
        "debounceMs",
        "workspaceScan",
        "maxFileKiB",
    }
)


@dataclass(frozen=True)
class LspSettings:
    minimum_severity: Severity | None = None
    disabled_rules: frozenset[str] = frozenset()
    severity_map: Mapping[Severity, types.DiagnosticSeverity] = field(
        default_factory=lambda: dict(DEFAULT_SEVERITY_MAP)
    )
    debounce_ms: int = DEFAULT_DEBOUNCE_MS
    workspace_scan: bool = True
    max_file_kib: int = DEFAULT_MAX_FILE_KIB

    def engine_key(self) -> tuple[Severity | None, frozenset[str], int]:
        """The part of the settings the engine sees (a change requires re-analysis)."""
        return (self.minimum_severity, self.disabled_rules, self.max_file_kib)


RuleResolver = Callable[[str], str | None]
"""Maps a rule id or alias to the canonical rule id, ``None`` when unknown."""


def section_of(raw: object) -> object:
    """Accept both ``{"tfguard": {...}}`` and the bare ``{...}`` object."""
    if isinstance(raw, Mapping) and isinstance(raw.get(SECTION), Mapping):
        return raw[SECTION]
    return raw


def parse_settings(raw: object, resolve_rule: RuleResolver) -> tuple[LspSettings, list[str]]:
    """Validate ``raw`` (JSON from the client). Returns the settings and the problems found."""
    raw = section_of(raw)
    if raw is None:
        return LspSettings(), []
    if not isinstance(raw, Mapping):
        return LspSettings(), [f"settings must be an object, got {_json_type(raw)}"]

    problems: list[str] = []
    values: dict[str, Any] = {}

    if (value := raw.get("minimumSeverity")) is not None:
        if isinstance(value, str):
            try:
                values["minimum_severity"] = Severity.parse(value)
            except ValueError as err:
                problems.append(f"minimumSeverity: {err}")
        else:
            problems.append(f"minimumSeverity must be a string, got {_json_type(value)}")

    if (value := raw.get("disabledRules")) is not None:
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            resolved: set[str] = set()
            for item in value:
                rule_id = resolve_rule(item.strip())
                if rule_id is None:
                    problems.append(f"disabledRules: unknown rule {item!r}")
                else:
                    resolved.add(rule_id)
            values["disabled_rules"] = frozenset(resolved)
        else:
            problems.append("disabledRules must be a list of rule ids")

    if (value := raw.get("severityMap")) is not None:
        if isinstance(value, Mapping):
            mapping = dict(DEFAULT_SEVERITY_MAP)
            for label, level in value.items():
                try:
                    severity = Severity.parse(str(label))
                except ValueError as err:
                    problems.append(f"severityMap: {err}")
                    continue
                lsp_level = LSP_LEVELS.get(level.lower()) if isinstance(level, str) else None
                if lsp_level is None:
                    choices = ", ".join(LSP_LEVELS)
                    problems.append(
                        f"severityMap.{label}: expected one of {choices}, got {level!r}"
                    )
                    continue
                mapping[severity] = lsp_level
            values["severity_map"] = mapping
        else:
            problems.append(f"severityMap must be an object, got {_json_type(value)}")

    if (value := raw.get("debounceMs")) is not None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"debounceMs must be a number, got {_json_type(value)}")
        elif not math.isfinite(value) or value != int(value) or not 0 <= value <= MAX_DEBOUNCE_MS:
            problems.append(
                f"debounceMs must be a whole number from 0 to {MAX_DEBOUNCE_MS}, got {value}"
            )
        else:
            values["debounce_ms"] = int(value)

    if (value := raw.get("maxFileKiB")) is not None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"maxFileKiB must be a number, got {_json_type(value)}")
        elif not math.isfinite(value) or value != int(value) or not 1 <= value <= MAX_FILE_KIB:
            problems.append(
                f"maxFileKiB must be a whole number from 1 to {MAX_FILE_KIB}, got {value}"
            )
        else:
            values["max_file_kib"] = int(value)

    if (value := raw.get("workspaceScan")) is not None:
        if isinstance(value, bool):
            values["workspace_scan"] = value
        else:
            problems.append(f"workspaceScan must be true or false, got {_json_type(value)}")

    return LspSettings(**values), problems


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__
