from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.module import Entity, Module
from tfguard.rules.aws._iam import action_text, permission_statements
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.storage import is_public_member

POLICY_TYPE = "aws_ecr_repository_policy"
# Actions that change what the repository serves: anyone may then replace images.
WRITE_ACTIONS = frozenset(
    {
        "ecr:putimage",
        "ecr:initiatelayerupload",
        "ecr:uploadlayerpart",
        "ecr:completelayerupload",
        "ecr:batchdeleteimage",
        "ecr:deleterepository",
        "ecr:setrepositorypolicy",
        "ecr:deleterepositorypolicy",
        "ecr:putlifecyclepolicy",
    }
)


def _owners(module: Module) -> dict[int, Entity]:
    """Statement owner (the repository policy, or a policy document one uses) → the
    aws_ecr_repository_policy."""
    out: dict[int, Entity] = {}
    for policy in live(module, POLICY_TYPE):
        out[id(policy)] = policy
        attr = policy.attr("policy")
        for target in module.targets(attr.value if attr is not None else None):
            if target.kind == "data" and target.type == "aws_iam_policy_document":
                out[id(target)] = policy
    return out


def _writes(actions: list[object]) -> bool:
    for action in actions:
        text = action_text(action)
        if text is None:
            continue
        if text in ("*", "ecr:*") or text in WRITE_ACTIONS:
            return True
        if text.endswith("*") and any(w.startswith(text[:-1]) for w in WRITE_ACTIONS):
            return True
    return False


class EcrPolicyPublic(Rule):
    id = "aws-ecr-policy-public"
    title = "ECR repository policy grants access to everyone"
    severity = Severity.HIGH
    rationale = (
        'A repository policy statement that allows Principal "*" without a condition lets '
        "every AWS account pull the images (code, embedded configuration and secrets) and, "
        "when it allows pushing or deleting, replace them with images of the attacker's "
        "choice that your services then deploy. Write access is reported as critical, read "
        "access as high."
    )
    remediation = (
        'Name the accounts or roles that need access in Principal, or restrict "*" with '
        "a condition such as aws:PrincipalOrgID; publish public images through ECR Public "
        "instead."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecr_repository_policy",
    )
    aliases = ("CKV_AWS_32", "AVD-AWS-0032", "AWS-0032", "aws-ecr-no-public-access")
    bad_example = """
resource "aws_ecr_repository_policy" "api" {
  repository = aws_ecr_repository.api.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Pull"
      Effect    = "Allow"
      Principal = "*"
      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    }]
  })
}
"""
    good_example = """
resource "aws_ecr_repository_policy" "api" {
  repository = aws_ecr_repository.api.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PullFromTheOrganization"
      Effect    = "Allow"
      Principal = "*"
      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }
    }]
  })
}
"""
    fix_description = (
        "No automatic fix: which accounts or organization should pull the images is the "
        "author's choice."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        owners = _owners(module)
        if not owners:
            return
        for statement in permission_statements(module):
            policy = owners.get(id(statement.entity))
            if policy is None or not statement.allows or statement.conditions:
                continue
            principals = [p for values in statement.principals.values() for p in values]
            if not any(is_public_member(p) for p in principals):
                continue
            write = _writes(statement.actions)
            yield ctx.report(
                statement.entity,
                statement.anchor,
                f"{policy.address} lets any AWS account "
                + ("push, delete or replace images" if write else "pull the images"),
                severity=Severity.CRITICAL if write else Severity.HIGH,
                related=(
                    []
                    if statement.entity is policy
                    else [(policy, policy.block, f"{policy.address} uses this document")]
                ),
            )
