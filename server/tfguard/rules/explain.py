"""A rule's documentation, generated from its metadata (for ``tfguard explain`` and docs)."""

from __future__ import annotations

from tfguard.rules.base import Rule


def explain_text(rule: Rule) -> str:
    lines = [
        f"{rule.id}: {rule.title}",
        "",
        f"Severity: {rule.severity.label}",
    ]
    if rule.aliases:
        lines.append(f"Also known as: {', '.join(rule.aliases)}")
    lines += [
        "",
        "Why",
        "---",
        rule.rationale,
        "",
        "How to fix",
        "----------",
        rule.remediation,
        "",
        f"Automatic fix: {rule.fix_description}",
        "",
        "Insecure example",
        "----------------",
        rule.bad_example.strip("\n"),
        "",
        "Secure example",
        "--------------",
        rule.good_example.strip("\n"),
        "",
    ]
    if rule.links:
        lines += ["References", "----------", *rule.links, ""]
    return "\n".join(lines)


def explain_markdown(rule: Rule) -> str:
    aliases = (
        f"\n**Also known as:** {', '.join(f'`{a}`' for a in rule.aliases)}\n"
        if rule.aliases
        else ""
    )
    links = "\n".join(f"- <{link}>" for link in rule.links)
    return (
        f"# {rule.id}\n\n**{rule.title}** — severity **{rule.severity.label}**\n{aliases}\n"
        f"## Why\n\n{rule.rationale}\n\n## How to fix\n\n{rule.remediation}\n\n"
        f"**Automatic fix:** {rule.fix_description}\n\n"
        f"## Insecure\n\n```hcl\n{rule.bad_example.strip()}\n```\n\n"
        f"## Secure\n\n```hcl\n{rule.good_example.strip()}\n```\n\n"
        + (f"## References\n\n{links}\n" if links else "")
    )
