from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.aws._checks import downgraded
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.fixing import set_attributes_fix
from tfguard.rules.kit.network import is_open_cidr
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_bool
from tfguard.syntax import Attribute


class EksPublicEndpoint(Rule):
    id = "aws-eks-public-endpoint"
    title = "EKS API endpoint is reachable from the internet"
    severity = Severity.MEDIUM
    rationale = (
        "endpoint_public_access defaults to true, so the Kubernetes API server of an EKS "
        "cluster has an endpoint on the internet. Even limited by public_access_cidrs, it is "
        "exposed to every host in those ranges (shared office NAT, CI runners of a SaaS "
        "provider) and to API server vulnerabilities, and leaked kubeconfig credentials work "
        "from there. A private endpoint keeps the API inside the VPC. (An endpoint open to "
        "0.0.0.0/0 is reported by aws-eks-no-open-public-endpoint instead.)"
    )
    remediation = (
        "Set endpoint_private_access = true and endpoint_public_access = false, and reach "
        "the API through a VPN, a bastion, or CI runners inside the VPC."
    )
    links = (
        "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eks_cluster#endpoint_public_access",
    )
    aliases = (
        "CKV_AWS_39",
        "AVD-AWS-0040",
        "AWS-0040",
        "aws-eks-no-public-cluster-access",
    )
    bad_example = """
resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = aws_iam_role.cluster.arn

  vpc_config {
    subnet_ids              = aws_subnet.private[*].id
    endpoint_private_access = true
    public_access_cidrs     = ["203.0.113.0/24"]
  }
}
"""
    good_example = """
resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = aws_iam_role.cluster.arn

  vpc_config {
    subnet_ids              = aws_subnet.private[*].id
    endpoint_private_access = true
    endpoint_public_access  = false
  }
}
"""
    fix_description = (
        "Sets endpoint_public_access = false and endpoint_private_access = true. Offered, "
        "not applied unattended: clients outside the VPC (CI, administrators) lose access to "
        "the API."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for cluster in live(module, "aws_eks_cluster"):
            config = cluster.block.block("vpc_config")
            if config is None:
                continue  # vpc_config built by a dynamic block
            public = config.attr("endpoint_public_access")
            value = as_bool(module.cached_value(public.value)) if public else True
            if value is not True:
                continue  # private, or unknown
            if _open_to_all(module, config.attr("public_access_cidrs")):
                continue  # aws-eks-no-open-public-endpoint reports it
            yield ctx.report(
                cluster,
                public if public is not None else config,
                f"EKS cluster {cluster.address} has a public API endpoint"
                + ("" if public is not None else " (endpoint_public_access defaults to true)"),
                data={"missing": public is None},
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        fixes = set_attributes_fix(
            module,
            finding,
            "Make the API endpoint private",
            {"endpoint_private_access": "true", "endpoint_public_access": "false"},
            literal_only=True,
        )
        return downgraded(fixes, "unsafe", "clients outside the VPC lose access")


def _open_to_all(module: Module, cidrs: Attribute | None) -> bool:
    """Whether the public endpoint admits 0.0.0.0/0: public_access_cidrs left out, empty, or
    listing an open range (an unknown value counts as not open)."""
    if cidrs is None:
        return True
    value = module.cached_value(cidrs.value)
    if value is UNKNOWN:
        return False
    items = value if isinstance(value, list) else [value]
    return value == [] or any(is_open_cidr(c) for c in items)
