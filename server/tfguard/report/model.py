"""What a scan produced, independent of how it is printed."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from tfguard.findings import Finding, Severity


@dataclass(slots=True)
class ScanReport:
    root: str  # paths in reports are relative to this folder
    findings: list[Finding] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    rule_errors: list[str] = field(default_factory=list)
    files_scanned: int = 0
    texts: dict[str, str] = field(default_factory=dict)  # path -> text, for source excerpts

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
        text = self.texts.get(path)
        if text is None:
            return ""
        lines = text.split("\n")
        return lines[line].rstrip("\r") if 0 <= line < len(lines) else ""
