from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.module import Entity, Module
from tfguard.rules.aws._account import baseline
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_bool, as_string


class SecurityhubEnabled(Rule):
    id = "aws-securityhub-enabled"
    title = "Security Hub is not enabled, or enabled without any security standard"
    severity = Severity.MEDIUM
    rationale = (
        "Security Hub produces findings only for the standards it runs. An account with "
        "enable_default_standards = false and no aws_securityhub_standards_subscription pays "
        "for Security Hub but checks nothing: public snapshots, open security groups and "
        "disabled logging raise no finding. Likewise an organization configuration with "
        "auto_enable = false (and local configuration) leaves every new account outside "
        "Security Hub, and a module that sets up the account's security services without "
        "Security Hub leaves it off (both low)."
    )
    remediation = (
        "Leave enable_default_standards at true (AWS Foundational Security Best Practices "
        "and CIS), or subscribe the standards you want with "
        "aws_securityhub_standards_subscription; set auto_enable = true in "
        "aws_securityhub_organization_configuration, or use central configuration."
    )
    links = (
        "https://docs.aws.amazon.com/securityhub/latest/userguide/standards-reference.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/securityhub_account#enable_default_standards",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/securityhub_organization_configuration#auto_enable",
    )
    bad_example = """
resource "aws_securityhub_account" "main" {
  enable_default_standards = false
}
"""
    good_example = """
resource "aws_securityhub_account" "main" {
  enable_default_standards = false
}

resource "aws_securityhub_standards_subscription" "cis" {
  standards_arn = "arn:aws:securityhub:eu-west-1::standards/cis-aws-foundations-benchmark/v/3.0.0"
  depends_on    = [aws_securityhub_account.main]
}
"""
    fix_description = (
        "No automatic fix: which standards to run (and pay for) is the account owner's choice."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        subscribed = bool(live(module, "aws_securityhub_standards_subscription"))
        accounts = live(module, "aws_securityhub_account")
        resources = [] if accounts else baseline(module)
        if resources:
            first = resources[0]
            yield ctx.report(
                first,
                first.block,
                "This module sets up the account's security services but not Security Hub",
                severity=Severity.LOW,
                related=[(r, r.block, f"{r.address} is account-level") for r in resources[1:]],
            )
        for account in accounts:
            if subscribed:
                break
            for hit in lookup(module, account, "enable_default_standards"):
                if hit.present and as_bool(hit.value) is False:
                    yield ctx.report(
                        account,
                        hit.anchor,
                        f"Security Hub account {account.address} runs no security standard "
                        "(enable_default_standards = false and no standards subscription)",
                    )
        for config in live(module, "aws_securityhub_organization_configuration"):
            if _central(module, config):
                continue
            for hit in lookup(module, config, "auto_enable"):
                if hit.present and as_bool(hit.value) is False:
                    yield ctx.report(
                        config,
                        hit.anchor,
                        f"Security Hub organization configuration {config.address} does not "
                        "enable Security Hub in new member accounts (auto_enable = false)",
                        severity=Severity.LOW,
                    )


def _central(module: Module, config: Entity) -> bool:
    """Central configuration: policies enrol accounts, and auto_enable must be false."""
    for hit in lookup(module, config, "organization_configuration.configuration_type"):
        value = as_string(hit.value) if hit.present else "LOCAL"
        if isinstance(value, str) and value.upper() == "CENTRAL":
            return True
    return False
