from __future__ import annotations

from collections.abc import Iterator

from tfguard.evaluate import UNKNOWN
from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.instances import instance_evaluators
from tfguard.rules.kit.network import is_open_cidr
from tfguard.rules.kit.values import as_bool


class EksNoOpenPublicEndpoint(Rule):
    id = "aws-eks-no-open-public-endpoint"
    title = "EKS API endpoint is public and open to the whole internet"
    severity = Severity.HIGH
    rationale = (
        "An EKS cluster's Kubernetes API endpoint is public by default (endpoint_public_access "
        "defaults to true) and accepts connections from 0.0.0.0/0 unless public_access_cidrs "
        "says otherwise. Anyone can then reach the API server to probe for anonymous access, "
        "exploit API server vulnerabilities, or use leaked kubeconfig credentials from "
        "anywhere."
    )
    remediation = (
        "Turn on endpoint_private_access and set endpoint_public_access = false, reaching the "
        "API through a VPN or bastion; or keep the public endpoint and restrict "
        "public_access_cidrs to your CI and office ranges."
    )
    links = (
        "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eks_cluster#public_access_cidrs",
    )
    aliases = (
        "CKV_AWS_38",
        "AVD-AWS-0041",
        "AWS-0041",
        "aws-eks-no-public-cluster-access-to-cidr",
    )
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
    subnet_ids              = aws_subnet.private[*].id
    endpoint_private_access = true
    endpoint_public_access  = true
    public_access_cidrs     = ["203.0.113.0/24"]
  }
}

resource "aws_eks_cluster" "internal" {
  name     = "internal"
  role_arn = aws_iam_role.cluster.arn

  vpc_config {
    subnet_ids              = aws_subnet.private[*].id
    endpoint_private_access = true
    endpoint_public_access  = false
  }
}
"""
    fix_description = (
        "No automatic fix: closing the public endpoint or choosing allowed ranges can lock "
        "CI and administrators out of the cluster."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for cluster in ctx.resources("aws_eks_cluster"):
            evaluators = instance_evaluators(ctx.module, cluster)
            config = cluster.block.block("vpc_config")
            if not evaluators or config is None:
                continue  # no instance, or vpc_config built by a dynamic block
            public = config.attr("endpoint_public_access")
            if public is not None:
                values = [e.eval(public.value) for e in evaluators]
                if all(as_bool(v) is False or v is UNKNOWN for v in values):
                    continue
            cidrs = config.attr("public_access_cidrs")
            if cidrs is None:
                yield ctx.report(
                    cluster,
                    public if public is not None else config,
                    f"{cluster.address} has a public API endpoint open to 0.0.0.0/0 "
                    "(public_access_cidrs is not set; endpoint_public_access defaults to true)",
                    data={"missing": True},
                )
                continue
            for evaluator in evaluators:
                value = evaluator.eval(cidrs.value)
                items = value if isinstance(value, list) else [value]
                open_cidrs = [str(c).strip() for c in items if is_open_cidr(c)]
                if value == []:
                    open_cidrs = ["0.0.0.0/0"]  # an empty list leaves the AWS default
                if open_cidrs:
                    yield ctx.report(
                        cluster,
                        cidrs,
                        f"{cluster.address} has a public API endpoint open to "
                        f"{', '.join(open_cidrs)} (the whole internet)",
                        data={"missing": False, "cidrs": open_cidrs},
                    )
                    break
