from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.aws._paths import AnyPathCheck
from tfguard.rules.kit.conditions import Satisfies
from tfguard.rules.kit.values import UNKNOWN, Value, as_bool, as_string


def _protected(value: Value) -> Value:
    """catalog_encryption_mode must be SSE-KMS (or SSE-KMS-WITH-SERVICE-ROLE);
    return_connection_password_encrypted must be true."""
    if as_bool(value) is True:
        return True
    text = as_string(value)
    if text is UNKNOWN:
        return UNKNOWN
    return text.startswith("SSE-KMS")


class GlueCatalogEncryption(AnyPathCheck):
    id = "aws-glue-catalog-encryption"
    title = "Glue Data Catalog metadata or connection passwords are not encrypted with KMS"
    severity = Severity.MEDIUM
    rationale = (
        "The Data Catalog holds the schemas, locations and connection definitions of the "
        "data lake. With catalog_encryption_mode DISABLED its metadata is stored without a "
        "KMS key of yours, and without return_connection_password_encrypted the passwords of "
        "JDBC connections are returned in clear text to anyone allowed glue:GetConnection."
    )
    remediation = (
        'Set encryption_at_rest { catalog_encryption_mode = "SSE-KMS" sse_aws_kms_key_id = '
        "<key> } and connection_password_encryption { return_connection_password_encrypted = "
        "true aws_kms_key_id = <key> }."
    )
    links = (
        "https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/glue_data_catalog_encryption_settings",
    )
    aliases = ("CKV_AWS_94",)
    bad_example = """
resource "aws_glue_data_catalog_encryption_settings" "catalog" {
  data_catalog_encryption_settings {
    connection_password_encryption {
      return_connection_password_encrypted = false
    }

    encryption_at_rest {
      catalog_encryption_mode = "DISABLED"
    }
  }
}
"""
    bad_example_findings = 2
    good_example = """
resource "aws_glue_data_catalog_encryption_settings" "catalog" {
  data_catalog_encryption_settings {
    connection_password_encryption {
      return_connection_password_encrypted = true
      aws_kms_key_id                       = aws_kms_key.glue.arn
    }

    encryption_at_rest {
      catalog_encryption_mode = "SSE-KMS"
      sse_aws_kms_key_id      = aws_kms_key.glue.arn
    }
  }
}
"""
    resource_types = ("aws_glue_data_catalog_encryption_settings",)
    attribute = "data_catalog_encryption_settings.encryption_at_rest.catalog_encryption_mode"
    attributes = (
        attribute,
        "data_catalog_encryption_settings.connection_password_encryption."
        "return_connection_password_encrypted",
    )
    condition = Satisfies(_protected, 'must be "SSE-KMS" (metadata) or true (passwords)')
    message = "Glue Data Catalog settings {address} leave the catalog unprotected ({value})"
    fix_description = "No automatic fix: encryption needs a KMS key the Glue readers may use."
