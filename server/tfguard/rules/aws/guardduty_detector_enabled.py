from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.aws._support import check_flag, live, set_attributes_fix
from tfguard.rules.base import Context, Rule


class GuarddutyDetectorEnabled(Rule):
    id = "aws-guardduty-detector-enabled"
    title = "GuardDuty detector is disabled"
    severity = Severity.MEDIUM
    rationale = (
        "A GuardDuty detector with enable = false keeps its configuration but stops analysing "
        "CloudTrail, VPC flow and DNS logs: credential exfiltration, crypto-mining, calls from "
        "known-malicious addresses and unusual API activity go unnoticed. A detector declared "
        "in code and switched off is easy to miss in review."
    )
    remediation = (
        "Set enable = true (the default) or remove the argument; to pause costs in a sandbox "
        "account, prefer suppressing specific finding types over turning detection off."
    )
    links = (
        "https://docs.aws.amazon.com/guardduty/latest/ug/what-is-guardduty.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/guardduty_detector#enable",
    )
    aliases = ()
    bad_example = """
resource "aws_guardduty_detector" "main" {
  enable = false
}
"""
    good_example = """
resource "aws_guardduty_detector" "main" {
  enable = true
}
"""
    fix_description = "Sets enable = true."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for detector in live(ctx.module, "aws_guardduty_detector"):
            yield from check_flag(
                ctx,
                detector,
                "enable",
                default=True,
                missing="",
                disabled=f"GuardDuty detector {detector.address} is disabled (enable = false): "
                "no threat detection runs in this account and region",
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return set_attributes_fix(module, finding, "Set enable = true", {"enable": "true"})
