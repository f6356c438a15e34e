from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.declarative import Relation


class SecretsmanagerRotation(Relation):
    id = "aws-secretsmanager-rotation"
    title = "Secrets Manager secret is never rotated automatically"
    severity = Severity.LOW
    rationale = (
        "A secret without an aws_secretsmanager_secret_rotation keeps the same value until "
        "someone changes it by hand: a leaked database password or API key stays valid for "
        "as long as the leak goes unnoticed. Automatic rotation bounds that window and proves "
        "that the consumers can cope with a new value."
    )
    remediation = (
        "Add an aws_secretsmanager_secret_rotation with a rotation function (or a managed "
        "rotation for RDS, Redshift and DocumentDB credentials) and rotation_rules every 90 "
        "days or less."
    )
    links = (
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/secretsmanager_secret_rotation",
    )
    aliases = ("CKV2_AWS_57",)
    bad_example = """
resource "aws_secretsmanager_secret" "db" {
  name = "app/db"
}
"""
    good_example = """
resource "aws_secretsmanager_secret" "db" {
  name = "app/db"
}

resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id           = aws_secretsmanager_secret.db.id
  rotation_lambda_arn = aws_lambda_function.rotate_db.arn

  rotation_rules {
    automatically_after_days = 30
  }
}
"""
    resource_types = ("aws_secretsmanager_secret",)
    companion_types = ("aws_secretsmanager_secret_rotation",)
    link = "secret_id"
    name_attribute = "name"
    message = "Secrets Manager secret {address} has no automatic rotation"
    fix_description = (
        "No automatic fix: rotation needs a function that knows how to change the secret "
        "where it is used."
    )
