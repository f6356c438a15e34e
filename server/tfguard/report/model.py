"""What a scan produced, independent of how it is printed."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field

from tfguard.baseline import address_of, fingerprint, snippet
from tfguard.findings import Finding, Severity


@dataclass(slots=True)
class ScanReport:
    root: str  # paths in reports are relative to this folder
    findings: list[Finding] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    rule_errors: list[str] = field(default_factory=list)
    files_scanned: int = 0
    texts: dict[str, str] = field(default_factory=dict)  # path -> text, for source excerpts
    files: list[str] = field(default_factory=list)  # the files scanned (absolute paths)
    # Findings the baseline hides (they count for nothing; SARIF lists them as suppressed),
    # the baseline file, and its entries that no finding matched any more.
    baselined: list[Finding] = field(default_factory=list)
    baseline: str | None = None
    stale_baseline: int = 0
    _lines: dict[str, list[str]] = field(default_factory=dict, repr=False)

    @property
    def files_with_findings(self) -> int:
        return len({f.path for f in self.findings})

    def relpath(self, path: str) -> str:
        try:
            rel = os.path.relpath(path, self.root)
        except ValueError:
            return path
        return rel.replace(os.sep, "/")

    def counts(self) -> dict[Severity, int]:
        out: dict[Severity, int] = {}
        for f in self.findings:
            out[f.severity] = out.get(f.severity, 0) + 1
        return out

    def line(self, path: str, line: int) -> str:
        lines = self._lines.get(path)
        if lines is None:
            text = self.texts.get(path)
            if text is None:
                return ""
            lines = self._lines[path] = text.split("\n")
        return lines[line].rstrip("\r") if 0 <= line < len(lines) else ""

    def fingerprints(self, findings: list[Finding]) -> list[str]:
        """Stable ids of ``findings`` (hex): rule, file, resource address and source text, as
        in baselines (no line numbers); a repeated finding gets its own id from its rank."""
        seen: dict[str, int] = {}
        out: list[str] = []
        for f in findings:
            text = snippet(functools.partial(self.line, f.path), f.range)
            key = fingerprint(f.rule_id, self.relpath(f.path), address_of(f), text)
            rank = seen.get(key, 0)
            seen[key] = rank + 1
            out.append(key if rank == 0 else fingerprint(key, str(rank), "", ""))
        return out
