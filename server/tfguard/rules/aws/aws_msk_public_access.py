from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class MskPublicAccess(Check):
    id = "aws-msk-public-access"
    title = "MSK brokers are reachable from the internet"
    severity = Severity.HIGH
    rationale = (
        'public_access { type = "SERVICE_PROVIDED_EIPS" } gives every broker a public '
        "address: the Kafka listeners (and the SASL/IAM authentication in front of the data) "
        "are exposed to the whole internet, where they are scanned and attacked, instead of "
        "only to the VPC and its peers."
    )
    remediation = (
        'Keep public_access { type = "DISABLED" } and reach the cluster through the VPC, '
        "PrivateLink (multi-VPC connectivity) or a peered network."
    )
    links = (
        "https://docs.aws.amazon.com/msk/latest/developerguide/public-access.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/msk_cluster#public_access",
    )
    aliases = ("CKV_AWS_291",)
    bad_example = """
resource "aws_msk_cluster" "events" {
  cluster_name           = "events"
  kafka_version          = "3.6.0"
  number_of_broker_nodes = 3

  broker_node_group_info {
    instance_type   = "kafka.m5.large"
    client_subnets  = ["subnet-0a1b2c3d", "subnet-4e5f6a7b", "subnet-8c9d0e1f"]
    security_groups = ["sg-0a1b2c3d4e5f"]

    connectivity_info {
      public_access {
        type = "SERVICE_PROVIDED_EIPS"
      }
    }
  }
}
"""
    good_example = """
resource "aws_msk_cluster" "events" {
  cluster_name           = "events"
  kafka_version          = "3.6.0"
  number_of_broker_nodes = 3

  broker_node_group_info {
    instance_type   = "kafka.m5.large"
    client_subnets  = ["subnet-0a1b2c3d", "subnet-4e5f6a7b", "subnet-8c9d0e1f"]
    security_groups = ["sg-0a1b2c3d4e5f"]

    connectivity_info {
      public_access {
        type = "DISABLED"
      }
    }
  }
}
"""
    resource_types = ("aws_msk_cluster",)
    attribute = "broker_node_group_info.connectivity_info.public_access.type"
    condition = Equals("DISABLED")
    default = "DISABLED"  # aws 4.x-6.x: DISABLED
    message = "MSK cluster {address} gives its brokers public addresses ({attribute} = {value})"
    # Clients outside the VPC lose their connection.
    fix = SetValue(
        '"DISABLED"',
        "Turn off public access to the brokers",
        applicability="unsafe",
        consequence="clients outside the VPC lose their connection",
    )
    fix_description = (
        'Sets public_access.type = "DISABLED" (offered, not applied by fix-all: clients '
        "outside the VPC lose their connection)."
    )
