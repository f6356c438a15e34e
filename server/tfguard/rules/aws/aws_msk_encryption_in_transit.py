from __future__ import annotations

from tfguard.evaluate import UNKNOWN, Value
from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.aws._paths import AnyPathCheck
from tfguard.rules.kit.conditions import Satisfies
from tfguard.rules.kit.values import as_bool, as_string


def _encrypted(value: Value) -> Value:
    """client_broker must be "TLS"; in_cluster must be true."""
    if as_bool(value) is True:
        return True
    text = as_string(value)
    if text is UNKNOWN:
        return UNKNOWN
    return text in ("TLS", "true")


class MskEncryptionInTransit(AnyPathCheck):
    id = "aws-msk-encryption-in-transit"
    title = "MSK cluster accepts plaintext connections"
    severity = Severity.HIGH
    rationale = (
        'client_broker = "PLAINTEXT" or "TLS_PLAINTEXT" lets producers and consumers talk to '
        "the brokers without TLS, and in_cluster = false sends replication between brokers "
        "in clear text: every message, and SASL/SCRAM credentials, can be read by anyone "
        "capturing traffic in the VPC. Without an encryption_in_transit block the MSK API "
        "applies its own default, TLS_PLAINTEXT."
    )
    remediation = (
        'Set encryption_info { encryption_in_transit { client_broker = "TLS" in_cluster = true } }.'
    )
    links = (
        "https://docs.aws.amazon.com/msk/latest/developerguide/msk-encryption.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/msk_cluster#encryption_in_transit",
    )
    aliases = (
        "CKV_AWS_81",
        "AVD-AWS-0073",
        "AWS-0073",
        "aws-msk-enable-in-transit-encryption",
    )
    bad_example = """
resource "aws_msk_cluster" "events" {
  cluster_name           = "events"
  kafka_version          = "3.6.0"
  number_of_broker_nodes = 3

  broker_node_group_info {
    instance_type   = "kafka.m5.large"
    client_subnets  = ["subnet-0a1b2c3d", "subnet-4e5f6a7b", "subnet-8c9d0e1f"]
    security_groups = ["sg-0a1b2c3d4e5f"]
  }

  encryption_info {
    encryption_in_transit {
      client_broker = "TLS_PLAINTEXT"
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
  }

  encryption_info {
    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }
}
"""
    resource_types = ("aws_msk_cluster",)
    attribute = "encryption_info.encryption_in_transit.client_broker"
    attributes = (attribute, "encryption_info.encryption_in_transit.in_cluster")
    condition = Satisfies(_encrypted, 'must be "TLS" (client_broker) or true (in_cluster)')
    # aws 4.x-6.x: inside an encryption_in_transit block, client_broker defaults to "TLS" and
    # in_cluster to true; without the block the provider sends no setting and the MSK API's
    # default applies, which is TLS_PLAINTEXT.
    message = "MSK cluster {address} accepts plaintext traffic ({value})"
    missing_message = (
        "MSK cluster {address} accepts plaintext traffic (no encryption_in_transit block: the "
        "MSK default is TLS_PLAINTEXT)"
    )
    fix_description = (
        "No automatic fix: clients still using the plaintext listener must move to TLS first."
    )

    def default_for(self, module: Module, entity: Entity) -> Value:
        info = entity.block.block("encryption_info")
        written = info is not None and info.block("encryption_in_transit") is not None
        return True if written else "TLS_PLAINTEXT"
