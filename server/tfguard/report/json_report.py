"""Machine-readable findings."""

from __future__ import annotations

import json
from typing import Any

from tfguard import __version__
from tfguard.findings import Finding
from tfguard.report.model import ScanReport
from tfguard.rules import registry


def _range(f: Finding) -> dict[str, Any]:
    return {
        "start": {"line": f.range.start.line + 1, "column": f.range.start.character + 1},
        "end": {"line": f.range.end.line + 1, "column": f.range.end.character + 1},
    }


def finding_dict(report: ScanReport, f: Finding) -> dict[str, Any]:
    rule = registry.get(f.rule_id)
    return {
        "rule": f.rule_id,
        "title": rule.title if rule else None,
        "severity": f.severity.label,
        "message": f.message,
        "path": report.relpath(f.path),
        "range": _range(f),
        "aliases": list(rule.aliases) if rule else [],
        "related": [
            {
                "path": report.relpath(r.path),
                "line": r.range.start.line + 1,
                "column": r.range.start.character + 1,
                "message": r.message,
                **({"kind": r.kind} if r.kind else {}),
            }
            for r in f.related
        ],
    }


def render(report: ScanReport) -> str:
    payload: dict[str, Any] = {
        "version": __version__,
        "findings": [finding_dict(report, f) for f in report.findings],
        "errors": report.file_errors + report.rule_errors,
        "summary": {
            "files": report.files_scanned,
            "files_with_findings": report.files_with_findings,
            "findings": len(report.findings),
            "by_severity": {s.label: n for s, n in sorted(report.counts().items())},
        },
    }
    if report.baseline is not None:
        payload["summary"]["baseline"] = {
            "file": report.relpath(report.baseline),
            "baselined": len(report.baselined),
            "stale": report.stale_baseline,
        }
    return json.dumps(payload, indent=2) + "\n"
