from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.kit.conditions import AtMost, NotEquals
from tfguard.rules.kit.declarative import Check, SetValue, When
from tfguard.rules.kit.resources import live

TYPES = ("aws_launch_template", "aws_launch_configuration", "aws_instance")
KINDS = {
    "aws_launch_template": "Launch template",
    "aws_launch_configuration": "Launch configuration",
    "aws_instance": "EC2 instance",
}


class Ec2MetadataHopLimit(Check):
    id = "aws-ec2-metadata-hop-limit"
    title = "Instance metadata answers requests that crossed more than one network hop"
    severity = Severity.MEDIUM
    rationale = (
        "http_put_response_hop_limit above 1 lets the IMDSv2 token travel through another "
        "network hop, so containers in bridge networking (pods on an EKS or ECS node) can "
        "read the node's instance-role credentials from 169.254.169.254 and act with every "
        "permission of the node: pull any image, change network interfaces, read what the "
        "node can read. With the default of 1 only processes on the host itself get a token."
    )
    remediation = (
        "Leave http_put_response_hop_limit at 1 and give pods their own credentials (EKS Pod "
        "Identity or IRSA, ECS task roles); raise it only for workloads that must reach IMDS "
        "from a container, and say so in a suppression."
    )
    links = (
        "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html",
        "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/launch_template#http_put_response_hop_limit",
    )
    aliases = ("CKV_AWS_341",)
    bad_example = """
resource "aws_launch_template" "eks_nodes" {
  name_prefix = "eks-nodes-"
  image_id    = data.aws_ssm_parameter.eks_ami.value

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }
}
"""
    good_example = """
resource "aws_launch_template" "eks_nodes" {
  name_prefix = "eks-nodes-"
  image_id    = data.aws_ssm_parameter.eks_ami.value

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
}
"""
    resource_types = TYPES
    attribute = "metadata_options.http_put_response_hop_limit"
    condition = AtMost(1)
    default = 1  # the EC2 default when the argument is left out
    # Nothing answers when the metadata endpoint is off.
    only_if = (When("metadata_options.http_endpoint", NotEquals("disabled"), "enabled"),)
    message = (
        "{kind} {address} sets http_put_response_hop_limit = {value}: containers on the "
        "instance can read its role credentials"
    )
    fix = SetValue(
        "1",
        "Limit instance metadata to the host itself",
        applicability="unsafe",
        consequence="containers without their own role stop getting credentials",
    )
    fix_description = (
        "Sets http_put_response_hop_limit = 1. Offered, not applied unattended: containers "
        "that read instance metadata (without a pod or task role) stop getting credentials."
    )

    def message_fields(self, module: Module, entity: Entity) -> dict[str, Any]:
        return {"kind": KINDS[entity.type]}

    def subjects(self, module: Module) -> Iterable[Entity]:
        return _subjects(module)


def _subjects(module: Module) -> Iterator[Entity]:
    for entity in live(module, *TYPES):
        # An instance launched from a template takes its metadata options from the template.
        if entity.type == "aws_instance" and entity.block.block("launch_template") is not None:
            continue
        yield entity
