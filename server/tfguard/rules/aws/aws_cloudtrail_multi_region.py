from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_bool


class CloudtrailMultiRegion(Check):
    id = "aws-cloudtrail-multi-region"
    title = "CloudTrail trail records only one region"
    severity = Severity.MEDIUM
    rationale = (
        "A trail created by Terraform is single-region unless is_multi_region_trail = true "
        "(the console's default is the opposite). Attackers favour regions nobody uses: "
        "instances started for crypto-mining or resources created to persist there leave no "
        "audit record, and global-service events may be missed."
    )
    remediation = (
        "Set is_multi_region_trail = true on the account's (or organization's) main trail; "
        "include_global_service_events stays true by default. Single-region trails for "
        "specific data events are fine next to one multi-region trail."
    )
    links = (
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail#is_multi_region_trail",
    )
    aliases = ("CKV_AWS_67", "AVD-AWS-0014", "AWS-0014", "aws-cloudtrail-enable-all-regions")
    bad_example = """
resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "acme-cloudtrail-logs"
  enable_log_file_validation = true
}
"""
    good_example = """
resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "acme-cloudtrail-logs"
  is_multi_region_trail      = true
  enable_log_file_validation = true
}

resource "aws_cloudtrail" "invoices_data_events" {
  name           = "invoices-data-events"
  s3_bucket_name = "acme-cloudtrail-logs"

  event_selector {
    read_write_type           = "All"
    include_management_events = false
    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3:::acme-invoices/"]
    }
  }
}
"""
    resource_types = ("aws_cloudtrail",)
    attribute = "is_multi_region_trail"
    condition = Equals(True)
    default = False
    message = "CloudTrail {address} records only one region and no other trail covers all regions"
    missing_message = (
        "CloudTrail {address} records only the region it is created in "
        "(is_multi_region_trail is not set) and no other trail covers all regions"
    )
    fix = SetValue("true", "Set is_multi_region_trail = true", replace_expressions=True)
    fix_description = "Sets is_multi_region_trail = true (applied in place)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        trails = live(ctx.module, "aws_cloudtrail")
        values = [as_bool(ctx.attr_value(t, "is_multi_region_trail", False)) for t in trails]
        if True in values or UNKNOWN in values:
            return  # one multi-region trail covers the account; extra trails may be regional
        yield from super().check(ctx)
