"""SARIF 2.1.0 for code-scanning dashboards, with rule metadata and relative locations."""

from __future__ import annotations

import json
from typing import Any

from tfguard import __version__
from tfguard.findings import (
    CONFIGURATION_RULE_IDS,
    SYNTAX_RULE_ID,
    VALIDATION_RULE_ID,
    Finding,
    Severity,
)
from tfguard.report.model import ScanReport
from tfguard.rules import registry
from tfguard.suppress import SUPPRESSION_RULE_ID

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# GitHub code scanning reads this property to rank security results.
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}


def _rule_descriptors() -> list[dict[str, Any]]:
    descriptors = []
    for rule in registry.known_rules():
        descriptors.append(
            {
                "id": rule.id,
                "name": "".join(p.capitalize() for p in rule.id.split("-")),
                "shortDescription": {"text": rule.title},
                "fullDescription": {"text": rule.rationale},
                "help": {
                    "text": f"{rule.rationale}\n\nRemediation: {rule.remediation}",
                    "markdown": f"{rule.rationale}\n\n**Remediation:** {rule.remediation}",
                },
                "helpUri": rule.doc_url,
                "defaultConfiguration": {"level": LEVELS[rule.severity]},
                "properties": {
                    "tags": ["security", "terraform"],
                    "security-severity": SECURITY_SEVERITY[rule.severity],
                    "severity": rule.severity.label,
                    "aliases": list(rule.aliases),
                },
            }
        )
    for rid, title in (
        (SYNTAX_RULE_ID, "Configuration does not parse"),
        (
            VALIDATION_RULE_ID,
            "Configuration is invalid (duplicate names, an argument set twice, count with "
            "for_each, undeclared references)",
        ),
        (SUPPRESSION_RULE_ID, "Suppression comment is expired or names an unknown rule"),
    ):
        descriptors.append(
            {
                "id": rid,
                "shortDescription": {"text": title},
                "defaultConfiguration": {
                    "level": "error" if rid in CONFIGURATION_RULE_IDS else "note"
                },
                "properties": {"tags": ["tfguard"]},
            }
        )
    return descriptors


def _result(report: ScanReport, f: Finding, index: dict[str, int]) -> dict[str, Any]:
    region = {
        "startLine": f.range.start.line + 1,
        "startColumn": f.range.start.character + 1,
        "endLine": f.range.end.line + 1,
        "endColumn": f.range.end.character + 1,
    }
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "level": LEVELS[f.severity],
        "message": {"text": f.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": report.relpath(f.path), "uriBaseId": "%SRCROOT%"},
                    "region": region,
                }
            }
        ],
        "properties": {"severity": f.severity.label},
    }
    if f.rule_id in index:
        result["ruleIndex"] = index[f.rule_id]
    if f.related:
        result["relatedLocations"] = [
            {
                "id": i,
                "message": {"text": r.message},
                **({"properties": {"kind": r.kind}} if r.kind else {}),
                "physicalLocation": {
                    "artifactLocation": {"uri": report.relpath(r.path), "uriBaseId": "%SRCROOT%"},
                    "region": {
                        "startLine": r.range.start.line + 1,
                        "startColumn": r.range.start.character + 1,
                    },
                },
            }
            for i, r in enumerate(f.related)
        ]
    return result


def _results(report: ScanReport, index: dict[str, int]) -> list[dict[str, Any]]:
    """Every finding; with a baseline, the baselined ones too, suppressed ("external": the
    baseline file is not in the source), and each result's baselineState."""
    results = [_result(report, f, index) for f in report.findings]
    for result, key in zip(results, report.fingerprints(report.findings), strict=True):
        result["partialFingerprints"] = {"tfguard/v1": key}
    if report.baseline is None:
        return results
    for result in results:
        result["baselineState"] = "new"
    justification = f"accepted in the baseline {report.relpath(report.baseline)}"
    for f, key in zip(report.baselined, report.fingerprints(report.baselined), strict=True):
        result = _result(report, f, index)
        result["partialFingerprints"] = {"tfguard/v1": key}
        result["baselineState"] = "unchanged"
        result["suppressions"] = [{"kind": "external", "justification": justification}]
        results.append(result)
    results.sort(key=_location_key)
    return results


def _location_key(result: dict[str, Any]) -> tuple[str, int, int, str]:
    location = result["locations"][0]["physicalLocation"]
    region = location["region"]
    uri = location["artifactLocation"]["uri"]
    return (uri, region["startLine"], region["startColumn"], result["ruleId"])


def render(report: ScanReport) -> str:
    rules = _rule_descriptors()
    index = {r["id"]: i for i, r in enumerate(rules)}
    notifications = [{"level": "warning", "message": {"text": e}} for e in report.file_errors] + [
        {"level": "error", "message": {"text": e}} for e in report.rule_errors
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "tfguard",
                "version": __version__,
                "informationUri": "https://github.com/tfguard/tfguard",
                "rules": rules,
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": _root_uri(report.root)}},
        "results": _results(report, index),
        "invocations": [
            {
                "executionSuccessful": not report.rule_errors,
                "toolExecutionNotifications": notifications,
            }
        ],
    }
    doc = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2) + "\n"


def _root_uri(root: str) -> str:
    from pathlib import Path

    return Path(root).resolve().as_uri() + "/"
