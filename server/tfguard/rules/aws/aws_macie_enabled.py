from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.aws._account import baseline
from tfguard.rules.aws._checks import hit_of
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.fixing import set_path_edits
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_string


class MacieEnabled(Rule):
    id = "aws-macie-enabled"
    title = "Macie is not enabled for the account"
    severity = Severity.INFO
    rationale = (
        "Amazon Macie inventories S3 buckets and reports the ones that are public, shared or "
        "unencrypted, and (with discovery jobs) which of them hold personal data or "
        "credentials. An account baseline without Macie, or with the account paused, has no "
        "view of where sensitive data sits, which is what a breach assessment needs first."
    )
    remediation = (
        'Add an aws_macie2_account with status "ENABLED" (the default) to the account '
        "baseline, or enable Macie for the organization from its delegated administrator."
    )
    links = (
        "https://docs.aws.amazon.com/macie/latest/user/what-is-macie.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/macie2_account",
    )
    bad_example = """
resource "aws_macie2_account" "main" {
  status = "PAUSED"
}
"""
    good_example = """
resource "aws_macie2_account" "main" {
  finding_publishing_frequency = "FIFTEEN_MINUTES"
  status                       = "ENABLED"
}
"""
    fix_description = (
        'Sets status = "ENABLED" on a paused account (Macie bills the buckets it '
        "monitors). An account baseline without Macie gets no automatic fix."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        accounts = live(module, "aws_macie2_account")
        for account in accounts:
            for hit in lookup(module, account, "status"):
                status = as_string(hit.value) if hit.present else "ENABLED"
                if isinstance(status, str) and status.upper() == "PAUSED":
                    yield ctx.report(
                        account,
                        hit.anchor,
                        f"Macie account {account.address} is paused: S3 data is not monitored",
                        data={"paused": True},
                    )
        if accounts:
            return
        resources = baseline(module)
        if resources:
            first = resources[0]
            yield ctx.report(
                first,
                first.block,
                "This module sets up the account's security services but not Macie",
                related=[(r, r.block, f"{r.address} is account-level") for r in resources[1:]],
                data={"paused": False},
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        if not finding.data.get("paused"):
            return []
        hit = hit_of(module, finding, "status")
        edits = set_path_edits(module, hit, '"ENABLED"') if hit is not None else None
        return [Fix("Resume Macie", tuple(edits), "safe")] if edits else []
