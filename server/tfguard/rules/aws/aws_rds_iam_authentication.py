from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.aws._rds import (
    CLUSTER,
    INSTANCE,
    KINDS,
    MYSQL_FAMILY,
    POSTGRES_FAMILY,
    clusters,
    engine,
    is_replica,
)
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_string

# Engines that accept IAM database authentication (RDS for MySQL, MariaDB and PostgreSQL;
# Aurora MySQL and PostgreSQL; Multi-AZ DB clusters of MySQL and PostgreSQL).
SUPPORTED = MYSQL_FAMILY | POSTGRES_FAMILY


class RdsIamAuthentication(Check):
    id = "aws-rds-iam-authentication"
    title = "RDS database does not accept IAM database authentication"
    severity = Severity.MEDIUM
    rationale = (
        "Without IAM database authentication every application and person connects with a "
        "long-lived database password that is copied into configuration, rotated rarely and "
        "shared between people. With it, clients connect with a 15-minute token issued to an "
        "IAM role, access is granted and revoked through IAM policies (rds-db:connect), and "
        "every token request is recorded in CloudTrail."
    )
    remediation = (
        "Set iam_database_authentication_enabled = true, create database users for IAM "
        "(GRANT rds_iam / AWSAuthenticationPlugin), and give the application's role "
        "rds-db:connect on them; keep the master password in Secrets Manager "
        "(manage_master_user_password = true) for break-glass use."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#iam_database_authentication_enabled",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster#iam_database_authentication_enabled",
    )
    aliases = (
        "CKV_AWS_161",
        "CKV_AWS_162",
        "AVD-AWS-0176",
        "AWS-0176",
        "aws-rds-enable-iam-auth",
    )
    bad_example = """
resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "mysql"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "admin"
  manage_master_user_password = true
}
"""
    good_example = """
resource "aws_db_instance" "orders" {
  identifier                          = "orders"
  engine                              = "mysql"
  instance_class                      = "db.t4g.medium"
  allocated_storage                   = 50
  username                            = "admin"
  manage_master_user_password         = true
  iam_database_authentication_enabled = true
}

resource "aws_db_instance" "warehouse" {
  identifier                  = "warehouse"
  engine                      = "sqlserver-se"
  license_model               = "license-included"
  instance_class              = "db.m6i.xlarge"
  allocated_storage           = 200
  username                    = "admin"
  manage_master_user_password = true
}
"""
    resource_types = (INSTANCE, CLUSTER)
    attribute = "iam_database_authentication_enabled"
    condition = Equals(True)
    default = False  # aws provider 4.x-6.x
    message = "{kind} {address} turns IAM database authentication off"
    missing_message = (
        "{kind} {address} does not enable IAM database authentication: clients can only "
        "connect with long-lived passwords"
    )
    fix = SetValue("true", "Enable IAM database authentication on {address}")
    fix_description = (
        "Sets iam_database_authentication_enabled = true (an in-place change; password "
        "logins keep working, IAM users still have to be created in the database)."
    )

    def message_fields(self, module: Module, entity: Entity) -> dict[str, Any]:
        return {"kind": KINDS[entity.type]}

    def subjects(self, module: Module) -> Iterable[Entity]:
        return _subjects(module)


def _mariadb_supported(module: Module, entity: Entity) -> bool:
    """RDS for MariaDB accepts IAM authentication from 10.6 on; an older version written
    out is not asked for it (an unknown or unwritten version is)."""
    version = as_string(module.attr_value(entity, "engine_version", ""))
    if not isinstance(version, str) or not version:
        return True
    parts = version.split(".")
    try:
        major, minor = int(parts[0]), int(parts[1]) if len(parts) > 1 else 0
    except ValueError:
        return True
    return (major, minor) >= (10, 6)


def _subjects(module: Module) -> Iterator[Entity]:
    for entity in live(module, INSTANCE):
        # A read replica takes the setting from its source.
        name = engine(module, entity)
        if is_replica(module, entity) or name not in SUPPORTED:
            continue
        if name == "mariadb" and not _mariadb_supported(module, entity):
            continue
        yield entity
    for entity in clusters(module):  # Aurora Serverless v1 does not support it
        if engine(module, entity) in SUPPORTED:
            yield entity
