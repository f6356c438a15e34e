from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.instances import instance_evaluators, nested_rule_sets
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN


class EksNodeGroupRemoteAccess(Rule):
    id = "aws-eks-node-group-remote-access"
    title = "EKS node group opens SSH to the whole internet"
    severity = Severity.HIGH
    rationale = (
        "A managed node group with remote_access and an ec2_ssh_key but no "
        "source_security_group_ids gets a security group that admits SSH (port 22) from "
        "0.0.0.0/0. Nodes with public addresses are then brute-forced and probed for SSH "
        "vulnerabilities within minutes, and a node reached this way holds the node IAM role "
        "and every pod's secrets."
    )
    remediation = (
        "Remove remote_access and reach nodes through SSM Session Manager, or set "
        "source_security_group_ids to the security group of a bastion or VPN."
    )
    links = (
        "https://docs.aws.amazon.com/eks/latest/userguide/create-managed-node-group.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eks_node_group#remote_access",
    )
    aliases = ("CKV_AWS_100",)
    bad_example = """
resource "aws_eks_node_group" "workers" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "workers"
  node_role_arn   = aws_iam_role.nodes.arn
  subnet_ids      = aws_subnet.private[*].id

  scaling_config {
    desired_size = 2
    max_size     = 4
    min_size     = 1
  }

  remote_access {
    ec2_ssh_key = "ops"
  }
}
"""
    good_example = """
resource "aws_eks_node_group" "workers" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "workers"
  node_role_arn   = aws_iam_role.nodes.arn
  subnet_ids      = aws_subnet.private[*].id

  scaling_config {
    desired_size = 2
    max_size     = 4
    min_size     = 1
  }

  remote_access {
    ec2_ssh_key               = "ops"
    source_security_group_ids = [aws_security_group.bastion.id]
  }
}
"""
    fix_description = (
        "No automatic fix: which security group may reach the nodes (a bastion, a VPN) is "
        "the author's choice; removing remote_access replaces the node group."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for group in live(module, "aws_eks_node_group"):
            evaluators = instance_evaluators(module, group)
            for access in nested_rule_sets(module, group, "remote_access", evaluators):
                key = access.get("ec2_ssh_key", None)
                if key is None or key is UNKNOWN or key == "":
                    continue
                sources = access.get("source_security_group_ids", None)
                if sources is UNKNOWN or (sources is not None and sources != []):
                    continue
                yield ctx.report(
                    group,
                    access.anchor("source_security_group_ids"),
                    f"EKS node group {group.address} allows SSH from 0.0.0.0/0: remote_access "
                    "has an ec2_ssh_key but no source_security_group_ids",
                )
                break
