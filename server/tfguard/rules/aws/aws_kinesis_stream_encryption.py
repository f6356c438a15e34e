from __future__ import annotations

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.kit.conditions import NotEquals
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.fixing import set_attributes_fix


class KinesisStreamEncryption(Check):
    id = "aws-kinesis-stream-encryption"
    title = "Kinesis data stream does not encrypt records at rest"
    severity = Severity.MEDIUM
    rationale = (
        'encryption_type defaults to "NONE": records stay unencrypted in the stream for its '
        "whole retention period (up to a year). Streams carry clickstreams, logs and change "
        "events that often include personal data; server-side encryption with KMS can be "
        "turned on in place without changing producers or consumers."
    )
    remediation = (
        'Set encryption_type = "KMS" and kms_key_id to a customer-managed key (or '
        '"alias/aws/kinesis"), and give producers and consumers kms:GenerateDataKey / '
        "kms:Decrypt on a customer-managed key."
    )
    links = (
        "https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kinesis_stream#encryption_type",
    )
    aliases = (
        "CKV_AWS_43",
        "AVD-AWS-0064",
        "AWS-0064",
        "aws-kinesis-enable-in-transit-encryption",
    )
    bad_example = """
resource "aws_kinesis_stream" "clicks" {
  name             = "clicks"
  retention_period = 48
  stream_mode_details {
    stream_mode = "ON_DEMAND"
  }
}
"""
    good_example = """
resource "aws_kinesis_stream" "clicks" {
  name             = "clicks"
  retention_period = 48
  encryption_type  = "KMS"
  kms_key_id       = "alias/aws/kinesis"
  stream_mode_details {
    stream_mode = "ON_DEMAND"
  }
}
"""
    resource_types = ("aws_kinesis_stream",)
    attribute = "encryption_type"
    condition = NotEquals("NONE")
    default = "NONE"  # the provider's default: no encryption
    message = (
        'Kinesis stream {address} sets encryption_type = "NONE": its records are stored unencrypted'
    )
    missing_message = (
        'Kinesis stream {address} does not set encryption_type = "KMS": its records are '
        "stored unencrypted"
    )
    fix_description = (
        'Sets encryption_type = "KMS" with the AWS managed key alias/aws/kinesis (applied in '
        "place); switch to a customer-managed key afterwards if you need one."
    )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        values = {"encryption_type": '"KMS"'}
        # Keep a key the stream already names.
        for stream in module.of_type("aws_kinesis_stream"):
            if stream.address == finding.data.get("address") and stream.attr("kms_key_id"):
                break
        else:
            values["kms_key_id"] = '"alias/aws/kinesis"'
        return set_attributes_fix(module, finding, "Encrypt the stream with KMS", values)
