from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.module import Entity, Module
from tfguard.rules.base import Anchor, Context, Rule
from tfguard.rules.kit.instances import nested_rule_sets
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import known_strings


class EksSecretsEncryption(Rule):
    id = "aws-eks-secrets-encryption"
    title = "EKS cluster does not encrypt Kubernetes secrets with a customer-managed KMS key"
    severity = Severity.LOW
    rationale = (
        "Without an encryption_config for secrets, EKS envelope-encrypts Kubernetes secrets "
        "with an AWS-owned key (clusters on Kubernetes 1.28 and later; older clusters store "
        "them only under etcd's disk encryption). Nobody in the account can then revoke "
        "access to the secrets, see each decryption in CloudTrail, or make a backup of etcd "
        "unreadable by disabling the key. A customer-managed key gives those controls."
    )
    remediation = (
        'Add encryption_config { resources = ["secrets"] provider { key_arn = '
        "aws_kms_key.eks.arn } } with a symmetric customer-managed key whose policy lets the "
        "cluster role use it."
    )
    links = (
        "https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html",
        "https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eks_cluster#encryption_config",
    )
    aliases = ("CKV_AWS_58", "AVD-AWS-0039", "AWS-0039", "aws-eks-encrypt-secrets")
    bad_example = """
resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = aws_iam_role.cluster.arn

  vpc_config {
    subnet_ids = aws_subnet.private[*].id
  }
}
"""
    good_example = """
resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = aws_iam_role.cluster.arn

  vpc_config {
    subnet_ids = aws_subnet.private[*].id
  }

  encryption_config {
    resources = ["secrets"]

    provider {
      key_arn = aws_kms_key.eks.arn
    }
  }
}
"""
    fix_description = (
        "No automatic fix: the key's policy must let the cluster role use it, and a key once "
        "set on a cluster cannot be removed or replaced."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for cluster in live(module, "aws_eks_cluster"):
            if any(d.labels == ("encryption_config",) for d in cluster.block.blocks_of("dynamic")):
                continue  # built from a variable: cannot be read here
            verdict = _verdict(module, cluster)
            if verdict is not None:
                anchor, message = verdict
                yield ctx.report(cluster, anchor, f"EKS cluster {cluster.address} {message}")


def _verdict(module: Module, cluster: Entity) -> tuple[Anchor, str] | None:
    """Where and why the cluster leaves its secrets without a customer-managed key; None
    when it encrypts them or the configuration cannot be read."""
    configs = list(nested_rule_sets(module, cluster, "encryption_config", [module.evaluator()]))
    if not configs:
        return cluster.block, (
            "has no encryption_config: its secrets are encrypted with an AWS-owned key only"
        )
    for config in configs:
        names, complete = known_strings(config.get("resources"))
        if "secrets" in names or not complete:
            return None
    return configs[0].anchor("resources"), 'has an encryption_config that does not list "secrets"'
