"""GitLab Code Quality (a subset of the Code Climate issue format) for merge-request widgets.

GitLab compares the report of a merge request with its target branch's by ``fingerprint``, so
the fingerprint must not change when unrelated lines move: it is the same rule + file +
resource address + source text digest as in baselines (see :mod:`tfguard.baseline`).
"""

from __future__ import annotations

import json
from typing import Any

from tfguard.findings import Severity
from tfguard.report.model import ScanReport
from tfguard.rules import registry

# GitLab's five levels: info, minor, major, critical, blocker.
SEVERITIES = {
    Severity.INFO: "info",
    Severity.LOW: "minor",
    Severity.MEDIUM: "major",
    Severity.HIGH: "critical",
    Severity.CRITICAL: "blocker",
}


def render(report: ScanReport) -> str:
    issues: list[dict[str, Any]] = []
    for f, key in zip(report.findings, report.fingerprints(report.findings), strict=True):
        rule = registry.get(f.rule_id)
        issue: dict[str, Any] = {
            "type": "issue",
            "engine_name": "tfguard",
            "check_name": f.rule_id,
            "description": f"{f.rule_id}: {f.message}",
            "categories": ["Security"],
            "fingerprint": key,
            "severity": SEVERITIES[f.severity],
            "location": {
                "path": report.relpath(f.path),
                "lines": {"begin": f.range.start.line + 1, "end": f.range.end.line + 1},
            },
        }
        if rule is not None:
            issue["content"] = {
                "body": f"{rule.rationale}\n\n**Remediation:** {rule.remediation}\n\n"
                f"[{rule.id}]({rule.doc_url})"
            }
        issues.append(issue)
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
