from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._account import baseline
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_string

# Analyzers that report resources shared outside the account or organization.
EXTERNAL = frozenset({"ACCOUNT", "ORGANIZATION"})


class IamAccessAnalyzerEnabled(Rule):
    id = "aws-iam-access-analyzer-enabled"
    title = "Account baseline has no IAM Access Analyzer for external access"
    severity = Severity.LOW
    rationale = (
        "IAM Access Analyzer reports every bucket, key, role, queue, snapshot and secret "
        "that a policy shares with another account or the public, as soon as the policy "
        "changes. A module that sets up the account's security services but no external "
        "access analyzer leaves such sharing to be found by chance; an analyzer of unused "
        "access only does not report it."
    )
    remediation = (
        'Add an aws_accessanalyzer_analyzer with type = "ACCOUNT" (or "ORGANIZATION" in the '
        "delegated administrator account) in every region the account uses."
    )
    links = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/what-is-access-analyzer.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/accessanalyzer_analyzer",
    )
    aliases = (
        "AVD-AWS-0175",
        "AWS-0175",
        "aws-accessanalyzer-enable-access-analyzer",
    )
    bad_example = """
resource "aws_guardduty_detector" "main" {
  enable = true
}

resource "aws_ebs_encryption_by_default" "main" {
  enabled = true
}
"""
    good_example = """
resource "aws_guardduty_detector" "main" {
  enable = true
}

resource "aws_ebs_encryption_by_default" "main" {
  enabled = true
}

resource "aws_accessanalyzer_analyzer" "account" {
  analyzer_name = "account"
  type          = "ACCOUNT"
}
"""
    fix_description = (
        'No automatic fix: whether the analyzer belongs in this account (type "ACCOUNT") or '
        'the organization\'s delegated administrator (type "ORGANIZATION") is the '
        "account owner's decision."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        analyzers = live(module, "aws_accessanalyzer_analyzer")
        kinds: list[str] = []
        for analyzer in analyzers:
            for hit in lookup(module, analyzer, "type"):
                kind = as_string(hit.value) if hit.present else "ACCOUNT"
                if kind is UNKNOWN:
                    return  # cannot be known
                kinds.append(str(kind).upper())
        if any(k in EXTERNAL for k in kinds):
            return
        if analyzers:
            first = analyzers[0]
            yield ctx.report(
                first,
                first.attr("type") or first.block,
                f"{first.address} analyzes unused access only: no analyzer reports resources "
                "shared outside the account",
            )
            return
        resources = baseline(module)
        if resources:
            first = resources[0]
            yield ctx.report(
                first,
                first.block,
                "This module sets up the account's security services but no IAM Access "
                "Analyzer for external access",
                related=[(r, r.block, f"{r.address} is account-level") for r in resources[1:]],
            )
