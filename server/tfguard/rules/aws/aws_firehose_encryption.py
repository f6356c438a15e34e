from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Absent, Equals
from tfguard.rules.kit.declarative import Check, SetValue, When


class FirehoseEncryption(Check):
    id = "aws-firehose-encryption"
    title = "Kinesis Firehose delivery stream buffers data unencrypted"
    severity = Severity.MEDIUM
    rationale = (
        "A Direct PUT delivery stream buffers records before delivering them. Without "
        "server_side_encryption enabled, those records (often logs or events with personal "
        "data) are held unencrypted at rest by Firehose. A stream fed by a Kinesis data stream "
        "uses that stream's encryption instead and is not reported."
    )
    remediation = (
        "Add server_side_encryption { enabled = true } (key_type = CUSTOMER_MANAGED_CMK with "
        "key_arn for a customer-managed key)."
    )
    links = (
        "https://docs.aws.amazon.com/firehose/latest/dev/encryption.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kinesis_firehose_delivery_stream#server_side_encryption",
    )
    aliases = ("CKV_AWS_240",)
    bad_example = """
resource "aws_kinesis_firehose_delivery_stream" "events" {
  name        = "events"
  destination = "extended_s3"

  extended_s3_configuration {
    role_arn   = aws_iam_role.firehose.arn
    bucket_arn = aws_s3_bucket.events.arn
  }
}
"""
    good_example = """
resource "aws_kinesis_firehose_delivery_stream" "events" {
  name        = "events"
  destination = "extended_s3"

  server_side_encryption {
    enabled = true
  }

  extended_s3_configuration {
    role_arn   = aws_iam_role.firehose.arn
    bucket_arn = aws_s3_bucket.events.arn
  }
}
"""
    resource_types = ("aws_kinesis_firehose_delivery_stream",)
    attribute = "server_side_encryption.enabled"
    condition = Equals(True)
    default = False  # aws 4.x-6.x: false
    only_if = (When("kinesis_source_configuration", Absent()),)
    message = "Firehose stream {address} disables server-side encryption ({attribute} = {value})"
    missing_message = "Firehose stream {address} does not encrypt the data it buffers"
    fix = SetValue("true", "Encrypt buffered data (AWS-owned key)")
    fix_description = (
        "Adds or sets server_side_encryption.enabled = true (with an AWS-owned key; choose a "
        "customer-managed key by hand)."
    )
