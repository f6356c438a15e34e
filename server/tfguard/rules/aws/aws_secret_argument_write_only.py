from __future__ import annotations

from tfguard.findings import Severity
from tfguard.module import Entity
from tfguard.rules.base import Context
from tfguard.rules.kit.write_only import SecretArgumentWriteOnly
from tfguard.writeonly import WriteOnly


class SecretArgumentKeptInState(SecretArgumentWriteOnly):
    id = "aws-secret-argument-write-only"
    title = "Secret stored in state where a write-only argument exists"
    severity = Severity.HIGH
    rationale = (
        "Arguments like aws_db_instance.password are saved in plain text in the Terraform "
        "state and in plan files, so anyone who can read the state bucket can read the "
        "database password. Since Terraform 1.11 the AWS provider offers write-only twins "
        "(password_wo, master_password_wo, secret_string_wo, value_wo) that are sent to the "
        "provider but never persisted."
    )
    remediation = (
        "Use the write-only argument with its version (password_wo + password_wo_version), "
        'fed from an ephemeral value (ephemeral "random_password", or an ephemeral read of '
        "your secret store). Migrating an existing resource sends the write-only value as a "
        "new password: keep the same value or plan the rotation, and bump the _wo_version "
        "whenever the password must change. For RDS, Aurora and Redshift, "
        "manage_master_user_password = true lets AWS keep the password in Secrets Manager "
        "and out of Terraform altogether."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/resources/ephemeral/write-only",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#password_wo",
    )
    aliases = ()
    bad_example = """
resource "aws_db_instance" "app" {
  identifier        = "app"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  username          = "app"
  password          = var.db_password
}
"""
    good_example = """
ephemeral "random_password" "db" {
  length = 32
}

resource "aws_db_instance" "app" {
  identifier          = "app"
  engine              = "postgres"
  instance_class      = "db.t4g.micro"
  allocated_storage   = 20
  username            = "app"
  password_wo         = ephemeral.random_password.db.result
  password_wo_version = 1
}
"""
    fix_description = (
        "Renames the argument to its write-only twin, adds <name>_wo_version = 1 beside it "
        "and a comment. The value stays the same, but applying it to an existing resource "
        "resets the password (with some AWS provider releases to an empty one): check it "
        "afterwards and bump the _wo_version to send the value again. For a literal password, "
        'or one from a resource "random_password" that only write-only-capable arguments '
        'read, a second fix feeds the argument from an ephemeral "random_password" (a new '
        "block, or the existing one made ephemeral), which sets a new random password. "
        "Offered only when every Terraform release required_version allows has write-only "
        "arguments (1.11 and later; or no required_version), when the AWS provider allowed "
        "and locked has them (5.88.0 and later) and the random provider has ephemeral "
        "passwords (3.7.0 and later), and when nothing else reads the argument. Both fixes "
        "are unsafe (tfguard fix --unsafe-fixes): on an existing database the next apply "
        "resets the password."
    )

    provider = "aws"

    def applies(self, ctx: Context, entity: Entity, spec: WriteOnly) -> bool:
        # String and StringList parameters are not secrets (nor is a type that is unknown).
        return entity.type != "aws_ssm_parameter" or (
            ctx.attr_value(entity, "type") == "SecureString"
        )
