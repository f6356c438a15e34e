from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class NeptuneIamAuthentication(Check):
    id = "aws-neptune-iam-authentication"
    title = "Neptune cluster does not require IAM authentication"
    severity = Severity.MEDIUM
    rationale = (
        "Without IAM database authentication, anyone who can reach a Neptune endpoint on the "
        "network can query and change the graph: Neptune has no database users of its own. "
        "With it, every request must be signed by an IAM principal allowed neptune-db "
        "actions, and access is logged and revocable."
    )
    remediation = (
        "Set iam_database_authentication_enabled = true and grant neptune-db:* actions to "
        "the roles of the clients, which then sign their requests (SigV4)."
    )
    links = (
        "https://docs.aws.amazon.com/neptune/latest/userguide/iam-auth.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/neptune_cluster#iam_database_authentication_enabled",
    )
    aliases = ("CKV_AWS_359",)
    bad_example = """
resource "aws_neptune_cluster" "graph" {
  cluster_identifier = "graph"
  storage_encrypted  = true
}
"""
    good_example = """
resource "aws_neptune_cluster" "graph" {
  cluster_identifier                  = "graph"
  storage_encrypted                   = true
  iam_database_authentication_enabled = true
}
"""
    resource_types = ("aws_neptune_cluster",)
    attribute = "iam_database_authentication_enabled"
    condition = Equals(True)
    default = False  # aws 4.x-6.x: false
    message = "Neptune cluster {address} does not require IAM authentication ({value})"
    missing_message = "Neptune cluster {address} does not require IAM authentication"
    # Clients that do not sign their requests stop working.
    fix = SetValue(
        "true",
        "Require IAM authentication",
        applicability="unsafe",
        consequence="clients that do not sign their requests stop working",
    )
    fix_description = (
        "Sets iam_database_authentication_enabled = true (offered, not applied by fix-all: "
        "clients that do not sign their requests stop working)."
    )
