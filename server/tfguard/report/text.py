"""Human output grouped by file, with the source line and a caret, like ruff."""

from __future__ import annotations

from itertools import groupby

from tfguard.findings import CONDITION, PROVENANCE, Severity
from tfguard.report.model import ScanReport

_COLORS = {
    Severity.CRITICAL: "\033[1;35m",
    Severity.HIGH: "\033[1;31m",
    Severity.MEDIUM: "\033[1;33m",
    Severity.LOW: "\033[1;34m",
    Severity.INFO: "\033[1;36m",
}
_BOLD = "\033[1m"
_DIM = "\033[2m"
_RESET = "\033[0m"


def render(report: ScanReport, color: bool) -> str:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    out: list[str] = []
    for path, group in groupby(report.findings, key=lambda f: f.path):
        rel = report.relpath(path)
        for f in group:
            line, col = f.range.start.line, f.range.start.character
            sev = paint(_COLORS[f.severity], f.severity.label.upper())
            out.append(
                f"{paint(_BOLD, rel)}:{line + 1}:{col + 1}: {sev} "
                f"{paint(_BOLD, f.rule_id)} {f.message}"
            )
            source = report.line(path, line)
            if source:
                width = len(str(line + 1))
                end = f.range.end.character if f.range.end.line == line else len(source)
                carets = "^" * max(1, min(end, len(source)) - col)
                pad = "".join(c if c == "\t" else " " for c in source[:col])
                gutter = paint(_DIM, " " * width + " |")
                number = paint(_DIM, f"{line + 1} |")
                out.append(gutter)
                out.append(f"{number} {source}")
                out.append(f"{gutter} {pad}{paint(_COLORS[f.severity], carets)}")
            for rel_info in f.related:
                where = f"{report.relpath(rel_info.path)}:{rel_info.range.start.line + 1}"
                if rel_info.kind == PROVENANCE:  # where the value that makes it comes from
                    out.append(f"{' ' * 4}= note: {rel_info.message} from {where}")
                elif rel_info.kind == CONDITION:  # the test that chose the value
                    out.append(f"{' ' * 4}= note: {rel_info.message} at {where}")
                else:
                    out.append(f"{' ' * 4}= note: {rel_info.message} ({where})")
            out.append("")
    for err in report.file_errors:
        out.append(paint(_COLORS[Severity.MEDIUM], "warning: ") + err)
    for err in report.rule_errors:
        out.append(paint(_COLORS[Severity.HIGH], "internal error: ") + err)
    out.append(summary(report) + ".")
    return "\n".join(out) + "\n"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def summary(report: ScanReport) -> str:
    """The summary line, "Found 12 findings (1 critical, 11 medium) in 3 of 6 files", with
    the baseline's part when one applies."""
    counts = report.counts()
    total = len(report.findings)
    scanned = plural(report.files_scanned, "file")
    if total:
        detail = ", ".join(f"{counts[s]} {s.label}" for s in sorted(counts, reverse=True))
        line = (
            f"Found {plural(total, 'finding')} ({detail}) "
            f"in {report.files_with_findings} of {scanned}"
        )
    else:
        line = f"No findings in {scanned}"
    if report.baseline is not None:
        line += f"; {len(report.baselined)} in the baseline"
        stale = report.stale_baseline
        if stale:
            line += f", {stale} stale baseline {'entry' if stale == 1 else 'entries'}"
    return line
