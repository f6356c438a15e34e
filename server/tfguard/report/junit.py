"""JUnit XML for CI test-report views (GitLab, Jenkins, Azure Pipelines, ...).

One ``<testcase>`` per rule and file that has findings, failing with the findings' messages and
locations; one passing ``<testcase>`` per scanned file without findings, so that a clean scan is
a green report rather than an empty one (which some CI systems treat as an error); files that
could not be read and rules that failed are ``<error>`` test cases.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby

from tfguard.findings import Finding
from tfguard.report.model import ScanReport

# Characters XML 1.0 does not allow, even escaped (a message may quote a file's bytes).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
CLEAN_CASE = "no findings"


def _safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _where(report: ScanReport, f: Finding) -> str:
    return f"{report.relpath(f.path)}:{f.range.start.line + 1}:{f.range.start.character + 1}"


def _failure(case: ET.Element, report: ScanReport, findings: list[Finding]) -> None:
    worst = max(f.severity for f in findings)
    first = findings[0]
    message = first.message
    if len(findings) > 1:
        message = f"{len(findings)} findings; first: {message} ({_where(report, first)})"
    else:
        message = f"{message} ({_where(report, first)})"
    failure = ET.SubElement(case, "failure", message=_safe(message), type=worst.label)
    failure.text = _safe(
        "\n".join(
            f"{_where(report, f)}: {f.severity.label.upper()} {f.rule_id} {f.message}"
            for f in findings
        )
        + "\n"
    )


def render(report: ScanReport) -> str:
    suites = ET.Element("testsuites", name="tfguard")
    suite = ET.SubElement(suites, "testsuite", name="tfguard")
    failures = errors = tests = 0
    by_file: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_file.setdefault(f.path, []).append(f)
    for path in sorted(set(report.files) | set(by_file)):
        rel = _safe(report.relpath(path))
        findings = by_file.get(path)
        if not findings:
            ET.SubElement(suite, "testcase", classname=rel, name=CLEAN_CASE, file=rel, time="0")
            tests += 1
            continue
        ordered = sorted(findings, key=lambda f: (f.rule_id, f.range.start))
        for rule_id, group in groupby(ordered, key=lambda f: f.rule_id):
            case = ET.SubElement(
                suite, "testcase", classname=rel, name=_safe(rule_id), file=rel, time="0"
            )
            _failure(case, report, list(group))
            tests += 1
            failures += 1
    for kind, messages in (("file", report.file_errors), ("rule", report.rule_errors)):
        for message in messages:
            subject = message.split(": ", 1)[0]
            case = ET.SubElement(
                suite, "testcase", classname="tfguard", name=_safe(f"{kind} {subject}"), time="0"
            )
            ET.SubElement(case, "error", message=_safe(message), type=f"{kind}-error")
            tests += 1
            errors += 1
    for element in (suites, suite):
        element.set("tests", str(tests))
        element.set("failures", str(failures))
        element.set("errors", str(errors))
        element.set("time", "0")
    suite.set("skipped", "0")
    ET.indent(suites)
    body = ET.tostring(suites, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
