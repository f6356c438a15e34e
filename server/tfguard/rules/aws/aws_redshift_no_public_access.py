"""Redshift clusters (and serverless workgroups) reachable from public networks.

``publicly_accessible`` of ``aws_redshift_cluster`` defaulted to ``true`` until the AWS provider
6.0.0 changed it to ``false``. An unset argument is reported only when the provider release is
known to be older: from the dependency lock file next to the module, or else from the
``required_providers`` constraint (high when every admitted release is older than 6.0, medium
when the constraint also admits older ones). With no lock file and no constraint, Terraform
installs the newest provider, whose default is private, so the rule stays silent.
"""

from __future__ import annotations

from typing import Any

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Entity, Module
from tfguard.rules.aws._provider import aws_constraint, locked_aws_version
from tfguard.rules.kit.conditions import NotEquals
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.fixing import set_value_fix
from tfguard.rules.kit.paths import Hit
from tfguard.rules.kit.values import Value
from tfguard.versions import admits, allows

DEFAULT_CHANGED = "6.0.0"
_NEW_RELEASES = ("6.0.0", "6.50.0", "7.0.0", "8.0.0")


def old_default(module: Module) -> tuple[Severity, str] | None:
    """(severity, why) when the provider in use may still default to public; else None."""
    locked = locked_aws_version(module)
    if locked is not None:
        if allows(f"< {DEFAULT_CHANGED}", locked):
            return Severity.HIGH, f"the lock file selects AWS provider {locked}"
        return None
    constraint = aws_constraint(module)
    if constraint is None:
        return None
    old = admits(constraint, below=DEFAULT_CHANGED)
    new = admits(constraint, at_least=DEFAULT_CHANGED) or any(
        allows(constraint, v) for v in _NEW_RELEASES
    )
    if old is None or not old:
        return None
    if new:
        return Severity.MEDIUM, f'the AWS provider constraint "{constraint}" admits releases < 6.0'
    return Severity.HIGH, f'the AWS provider constraint "{constraint}" selects a release < 6.0'


class RedshiftNoPublicAccess(Check):
    id = "aws-redshift-no-public-access"
    title = "Redshift cluster is publicly accessible"
    severity = Severity.HIGH
    rationale = (
        "A publicly accessible Redshift cluster gets a public IP address, so the warehouse "
        "port is one security group rule away from the internet. Warehouses hold the "
        "organisation's most sensitive aggregated data. Before AWS provider 6.0 an "
        "aws_redshift_cluster without publicly_accessible was public by default."
    )
    remediation = (
        "Set publicly_accessible = false explicitly (it is the default only from AWS provider "
        "6.0), place the cluster in private subnets, and reach it through a VPN, a bastion or "
        "Redshift-managed VPC endpoints."
    )
    links = (
        "https://docs.aws.amazon.com/redshift/latest/mgmt/managing-clusters-vpc.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/version-6-upgrade#resourceaws_redshift_cluster",
    )
    aliases = ("CKV_AWS_87",)
    bad_example = """
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}

resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier = "warehouse"
  node_type          = "ra3.xlplus"
  master_username    = "admin"
  encrypted          = true
}
"""
    good_example = """
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}

resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier  = "warehouse"
  node_type           = "ra3.xlplus"
  master_username     = "admin"
  encrypted           = true
  publicly_accessible = false
}
"""
    fix_description = (
        "Adds publicly_accessible = false, or sets it"
        " (offered when the value is written in place, not taken from a variable). Unsafe "
        "(tfguard fix --unsafe-fixes): clients that connect over the internet lose access."
    )

    resource_types = ("aws_redshift_cluster", "aws_redshiftserverless_workgroup")
    attribute = "publicly_accessible"
    condition = NotEquals(True)
    per_instance = True
    message = "{address} is publicly accessible (publicly_accessible = true)"
    missing_message = (
        "{address} does not set publicly_accessible = false and {why}, whose default makes "
        "the cluster publicly accessible"
    )

    def default_for(self, module: Module, entity: Entity) -> Value:
        # A serverless workgroup defaults to private; a cluster did before AWS provider 6.0.
        if entity.type != "aws_redshift_cluster":
            return False
        return old_default(module) is not None

    def message_fields(self, module: Module, entity: Entity) -> dict[str, Any]:
        default = old_default(module)
        return {"why": default[1] if default is not None else ""}

    def severity_for(self, module: Module, entity: Entity, hit: Hit) -> Severity | None:
        default = old_default(module)
        return default[0] if not hit.present and default is not None else None

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return set_value_fix(
            module,
            finding,
            "Make the cluster private",
            "publicly_accessible",
            False,
            applicability="unsafe",
            consequence="clients that connect over the internet lose access",
        )
