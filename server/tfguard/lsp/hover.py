"""Hover text: what a flagged range means, and what a suppression comment does."""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence

from tfguard.findings import CONDITION, Finding, Position, Range, Related, Severity
from tfguard.rules import registry
from tfguard.rules.base import Rule
from tfguard.suppress import Suppression


def _contains(range_: Range, position: Position) -> bool:
    return range_.start <= position <= range_.end


def rule_markdown(
    rule: Rule,
    *,
    message: str | None = None,
    heading_level: int = 3,
    severity: Severity | None = None,
    provenance: Sequence[Related] = (),
    base: str | None = None,
) -> str:
    """The explanation of one rule: title, severity, rationale, remediation, links.

    ``severity`` is the one that applies in this project (the rule's default is named after
    it when they differ); ``provenance`` are the steps an evaluated value came through, with
    paths shown relative to the folder ``base``."""
    hashes = "#" * heading_level
    applied = severity if severity is not None else rule.severity
    line = f"`{rule.id}` · severity **{applied.label}**"
    if applied != rule.severity:
        line += f" in this project (the rule's default is {rule.severity.label})"
    parts = [f"{hashes} {rule.title}", line]
    if message:
        parts.append(f"> {message}")
    if provenance:
        parts.append(provenance_markdown(provenance, base))
    parts.append(rule.rationale.strip())
    parts.append(f"**Remediation:** {rule.remediation.strip()}")
    links = [f"[Rule documentation]({rule.doc_url})"]
    links += [f"[{_link_label(link)}]({link})" for link in rule.links]
    parts.append(" · ".join(links))
    if rule.aliases:
        parts.append("Also known as: " + ", ".join(f"`{a}`" for a in rule.aliases))
    return "\n\n".join(parts)


def finding_markdown(finding: Finding) -> str:
    rule = registry.get(finding.rule_id)
    if rule is None:  # syntax and validation errors, suppression problems: no rule entry
        text = f"### tfguard: `{finding.rule_id}`\n\nseverity **{finding.severity.label}**\n\n"
        return text + finding.message
    steps = [r for r in finding.related if r.explains_value]
    return rule_markdown(
        rule,
        message=finding.message,
        severity=finding.severity,
        provenance=steps,
        base=os.path.dirname(finding.path),
    )


def provenance_markdown(steps: Sequence[Related], base: str | None = None) -> str:
    """Where an evaluated value came from, one step a line (``var.env`` is "prod" — from
    terraform.tfvars:1)."""
    lines = ["**Where the value comes from:**"]
    for step in steps:
        where = step.path if base is None else os.path.relpath(step.path, base)
        preposition = "at" if step.kind == CONDITION else "from"
        line = step.range.start.line + 1
        lines.append(f"- {step.message} \N{EM DASH} {preposition} `{where}:{line}`")
    return "\n".join(lines)


def suppression_markdown(suppression: Suppression, today: datetime.date | None = None) -> str:
    today = today or datetime.date.today()
    described: list[str] = []
    for rule_id in suppression.rule_ids:
        rule = registry.get(rule_id)
        if rule is None:
            described.append(f"- `{rule_id}` — unknown rule")
        elif rule.id.lower() == rule_id.lower():
            described.append(f"- `{rule.id}` — {rule.title}")
        else:
            described.append(f"- `{rule_id}` (tfguard `{rule.id}`) — {rule.title}")
    parts = [f"### tfguard suppression ({suppression.form} syntax)", "Suppresses:"]
    parts.append("\n".join(described) if described else "- every rule")
    if suppression.reason:
        parts.append(f"Reason: {suppression.reason}")
    if suppression.expires is not None:
        if suppression.expired:
            parts.append(
                f"**Expired** on {suppression.expires.isoformat()}: "
                "the findings it covered are reported again."
            )
        else:
            days = (suppression.expires - today).days
            parts.append(f"Expires on {suppression.expires.isoformat()} (in {days} days).")
    if not suppression.used and not suppression.expired:
        parts.append("**Unused:** it suppressed nothing in the last analysis.")
    elif suppression.used:
        parts.append("Active: it suppressed at least one finding in the last analysis.")
    return "\n\n".join(parts)


def hover_markdown(
    position: Position, findings: Sequence[Finding], suppressions: Sequence[Suppression]
) -> tuple[str, Range] | None:
    """The hover text at ``position`` (code points) and the range it applies to."""
    for suppression in suppressions:
        if _contains(suppression.range, position):
            return suppression_markdown(suppression), suppression.range
    hits = [f for f in findings if _contains(f.range, position)]
    if not hits:
        return None
    hits.sort(key=lambda f: (-f.severity, f.range.start, f.rule_id))
    text = "\n\n---\n\n".join(finding_markdown(f) for f in hits)
    return text, hits[0].range


def _link_label(url: str) -> str:
    host = url.split("://", 1)[-1].split("/", 1)[0]
    return host or url


def markdown_to_plaintext(text: str) -> str:
    """A readable plaintext rendering for clients that do not render Markdown."""
    out: list[str] = []
    for line in text.splitlines():
        stripped = line.lstrip("#").strip() if line.startswith("#") else line
        out.append(stripped.replace("**", "").replace("`", ""))
    return "\n".join(out)
