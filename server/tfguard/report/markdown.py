"""A pull-request summary in Markdown (GitHub and GitLab flavours): counts by severity, then
the most severe findings with links to their rule's documentation.

Messages quote values from the scanned files, which a pull request controls, so every piece of
text is escaped: a finding cannot inject links, images or HTML into the comment it ends up in.
"""

from __future__ import annotations

import re

from tfguard.findings import Finding, Severity
from tfguard.report.model import ScanReport
from tfguard.report.text import plural, summary
from tfguard.rules import registry

TOP = 20  # findings listed; the rest are counted
# Emphasis, code, links and images, autolinks and HTML, tables, entities, math.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~!&$])")


def escape(text: str) -> str:
    """Plain text for a Markdown table cell: punctuation backslash-escaped, one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _location(report: ScanReport, f: Finding) -> str:
    where = f"{report.relpath(f.path)}:{f.range.start.line + 1}".replace("`", "'")
    return f"`{where}`"


def _rule(f: Finding) -> str:
    rule = registry.get(f.rule_id)
    if rule is None:
        return escape(f.rule_id)
    return f"[{escape(rule.id)}]({rule.doc_url})"


def render(report: ScanReport) -> str:
    out = [f"### tfguard: {escape(summary(report))}", ""]
    counts = report.counts()
    if counts:
        out += ["| Severity | Findings |", "| :-- | --: |"]
        for severity in sorted(Severity, reverse=True):
            if counts.get(severity):
                out.append(f"| {severity.label} | {counts[severity]} |")
        out.append("")
        ranked = sorted(report.findings, key=lambda f: (-f.severity, f.sort_key()))
        shown = ranked[:TOP]
        out += ["| Severity | Rule | Location | Finding |", "| :-- | :-- | :-- | :-- |"]
        for f in shown:
            out.append(
                f"| {f.severity.label} | {_rule(f)} | {_location(report, f)} | "
                f"{escape(f.message)} |"
            )
        out.append("")
        if len(ranked) > len(shown):
            rest = len(ranked) - len(shown)
            out += [f"... and {plural(rest, 'more finding')} (see the full report).", ""]
    else:
        out += ["Nothing to fix.", ""]
    if report.baseline is not None and (report.baselined or report.stale_baseline):
        note = f"{plural(len(report.baselined), 'finding')} accepted in the baseline"
        if report.stale_baseline:
            stale = report.stale_baseline
            note += (
                f"; {stale} baseline {'entry matches' if stale == 1 else 'entries match'} "
                "nothing any more (write the baseline again to drop them)"
            )
        out += [escape(note) + ".", ""]
    problems = report.file_errors + report.rule_errors
    if problems:
        out += [f"**{plural(len(problems), 'problem')} during the scan:**", ""]
        out += [f"- {escape(p)}" for p in problems]
        out.append("")
    return "\n".join(out)
