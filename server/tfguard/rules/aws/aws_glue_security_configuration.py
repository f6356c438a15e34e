from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.aws._paths import AnyPathCheck
from tfguard.rules.kit.conditions import NotEquals


class GlueSecurityConfiguration(AnyPathCheck):
    id = "aws-glue-security-configuration"
    title = "Glue security configuration leaves job output, logs or bookmarks unencrypted"
    severity = Severity.MEDIUM
    rationale = (
        "A Glue security configuration decides how jobs, crawlers and development endpoints "
        "encrypt what they write: the data they put in S3, their CloudWatch logs (which can "
        "contain records) and their job bookmarks. A mode of DISABLED writes that part "
        "without encryption under a key of yours."
    )
    remediation = (
        'Set s3_encryption_mode = "SSE-KMS", cloudwatch_encryption_mode = "SSE-KMS" and '
        'job_bookmarks_encryption_mode = "CSE-KMS", each with a kms_key_arn.'
    )
    links = (
        "https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/glue_security_configuration",
    )
    aliases = ("CKV_AWS_99",)
    bad_example = """
resource "aws_glue_security_configuration" "etl" {
  name = "etl"

  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "DISABLED"
    }

    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = aws_kms_key.glue.arn
    }

    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = aws_kms_key.glue.arn
    }
  }
}
"""
    good_example = """
resource "aws_glue_security_configuration" "etl" {
  name = "etl"

  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "SSE-KMS"
      kms_key_arn                = aws_kms_key.glue.arn
    }

    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = aws_kms_key.glue.arn
    }

    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = aws_kms_key.glue.arn
    }
  }
}
"""
    resource_types = ("aws_glue_security_configuration",)
    attribute = "encryption_configuration.cloudwatch_encryption.cloudwatch_encryption_mode"
    attributes = (
        attribute,
        "encryption_configuration.job_bookmarks_encryption.job_bookmarks_encryption_mode",
        "encryption_configuration.s3_encryption.s3_encryption_mode",
    )
    condition = NotEquals("DISABLED")
    default = "DISABLED"  # aws 4.x-6.x: DISABLED
    message = "Glue security configuration {address} writes unencrypted ({value})"
    fix_description = "No automatic fix: encryption needs a KMS key the Glue roles may use."
