from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class CloudtrailLoggingEnabled(Check):
    id = "aws-cloudtrail-logging-enabled"
    title = "CloudTrail trail is switched off"
    severity = Severity.HIGH
    rationale = (
        "enable_logging = false keeps the trail's configuration but stops it recording: API "
        "calls, console logins and changes to IAM and the network are no longer written "
        "anywhere, so an intrusion during that time cannot be reconstructed. Stopping a "
        "trail is also the first thing an attacker does; a trail switched off in code hides "
        "that in plain sight."
    )
    remediation = "Remove enable_logging = false (the default is true)."
    links = (
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-turning-off-logging.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail#enable_logging",
    )
    bad_example = """
resource "aws_cloudtrail" "main" {
  name                  = "main"
  s3_bucket_name        = "acme-cloudtrail-logs"
  is_multi_region_trail = true
  enable_logging        = false
}
"""
    good_example = """
resource "aws_cloudtrail" "main" {
  name                  = "main"
  s3_bucket_name        = "acme-cloudtrail-logs"
  is_multi_region_trail = true
}
"""
    resource_types = ("aws_cloudtrail",)
    attribute = "enable_logging"
    condition = Equals(True)
    default = True  # aws provider 4.x-6.x
    message = "CloudTrail {address} is switched off (enable_logging = false): nothing is recorded"
    fix = SetValue("true", "Switch the trail {address} on")
    fix_description = "Sets enable_logging = true."
