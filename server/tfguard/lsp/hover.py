"""Hover text: what a flagged range means, and what a suppression comment does."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from tfguard.findings import Finding, Position, Range
from tfguard.rules import registry
from tfguard.rules.base import Rule
from tfguard.suppress import Suppression


def _contains(range_: Range, position: Position) -> bool:
    return range_.start <= position <= range_.end


def rule_markdown(rule: Rule, *, message: str | None = None, heading_level: int = 3) -> str:
    """The explanation of one rule: title, severity, rationale, remediation, links."""
    hashes = "#" * heading_level
    parts = [f"{hashes} {rule.title}", f"`{rule.id}` · severity **{rule.severity.label}**"]
    if message:
        parts.append(f"> {message}")
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
    if rule is None:  # syntax errors and suppression problems have no rule entry
        return f"### tfguard: `{finding.rule_id}`\n\nseverity **{finding.severity.label}**\n\n" + (
            finding.message
        )
    text = rule_markdown(rule, message=finding.message)
    if finding.severity != rule.severity:
        text += f"\n\nSeverity in this project: **{finding.severity.label}**"
    return text


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
