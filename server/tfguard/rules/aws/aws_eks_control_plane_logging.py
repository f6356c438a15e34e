from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix
from tfguard.module import Module
from tfguard.rules.aws._checks import hit_of
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.fixing import literal_string, set_path_edits
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, known_strings
from tfguard.syntax import Attribute, TupleExpr

ATTRIBUTE = "enabled_cluster_log_types"
LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")
# The logs that say who did what to the cluster: their absence is medium, the others low.
SECURITY_LOGS = frozenset({"api", "audit", "authenticator"})


def hcl_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{i}"' for i in items) + "]"


class EksControlPlaneLogging(Rule):
    id = "aws-eks-control-plane-logging"
    title = "EKS cluster does not send all control plane logs to CloudWatch"
    severity = Severity.MEDIUM
    rationale = (
        "EKS control plane logs are off unless enabled_cluster_log_types lists them. The "
        "audit log records every request to the Kubernetes API (who read which secret, who "
        "created which pod), the authenticator log maps IAM principals to Kubernetes users, "
        "and the api log records the API server's decisions; without them an intrusion "
        "through the API leaves no trace. A cluster without the api, audit or authenticator "
        "log is reported as medium, one missing only controllerManager or scheduler as low."
    )
    remediation = (
        'Set enabled_cluster_log_types = ["api", "audit", "authenticator", '
        '"controllerManager", "scheduler"] and give the /aws/eks/<name>/cluster log group a '
        "retention period."
    )
    links = (
        "https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eks_cluster#enabled_cluster_log_types",
    )
    aliases = (
        "CKV_AWS_37",
        "AVD-AWS-0038",
        "AWS-0038",
        "aws-eks-enable-control-plane-logging",
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
  name                      = "main"
  role_arn                  = aws_iam_role.cluster.arn
  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  vpc_config {
    subnet_ids = aws_subnet.private[*].id
  }
}
"""
    fix_description = (
        "Adds enabled_cluster_log_types with all five log types, or adds the missing types to "
        "a list written in place. CloudWatch Logs bills the ingested logs."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for cluster in live(module, "aws_eks_cluster"):
            for hit in lookup(module, cluster, ATTRIBUTE):
                if not hit.present:
                    enabled: list[str] = []
                elif hit.value is UNKNOWN:
                    continue
                else:
                    enabled, complete = known_strings(hit.value)
                    if not complete:
                        continue
                missing = [t for t in LOG_TYPES if t not in enabled]
                if not missing:
                    continue
                severity = Severity.MEDIUM if SECURITY_LOGS.intersection(missing) else Severity.LOW
                what = (
                    "sends no control plane logs to CloudWatch"
                    if not enabled
                    else "does not send these control plane logs: " + ", ".join(missing)
                )
                yield ctx.report(
                    cluster,
                    hit.anchor,
                    f"EKS cluster {cluster.address} {what}",
                    severity=severity,
                    data={"missing": not hit.present, "log_types": missing},
                )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        hit = hit_of(module, finding, ATTRIBUTE)
        if hit is None or hit.item is not None:
            return []
        title = "Send all control plane logs to CloudWatch"
        if hit.attribute is None:
            edits = set_path_edits(module, hit, hcl_list(list(LOG_TYPES)))
            return [Fix(title, tuple(edits), "safe")] if edits else []
        written = _literal_list(hit.attribute)
        if written is None:
            return []
        wanted = [*written, *(t for t in LOG_TYPES if t not in written)]
        edit = Editor(module).replace_value(hit.entity, hit.attribute, hcl_list(wanted))
        return [Fix(title, (edit,), "safe")]


def _literal_list(attr: Attribute) -> list[str] | None:
    if not isinstance(attr.value, TupleExpr):
        return None
    out: list[str] = []
    for item in attr.value.items:
        text = literal_string(item)
        if text is None:
            return None
        out.append(text)
    return out
