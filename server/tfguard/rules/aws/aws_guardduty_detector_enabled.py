from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class GuarddutyDetectorEnabled(Check):
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
    resource_types = ("aws_guardduty_detector",)
    attribute = "enable"
    condition = Equals(True)
    default = True  # the provider's default: a detector is enabled
    message = (
        "GuardDuty detector {address} is disabled (enable = false): no threat detection runs "
        "in this account and region"
    )
    fix = SetValue("true", "Set enable = true", replace_expressions=True)
    fix_description = "Sets enable = true."
