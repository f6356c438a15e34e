from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.policy import Statement
from tfguard.rules.aws._iam import StatementGrant, grants_by_policy, permission_statements
from tfguard.rules.aws._iam_actions import is_scopable, matches
from tfguard.rules.base import Context, Rule

# The escalation methods published by Rhino Security Labs: each set of actions, granted
# together on every resource, lets the holder raise its own privileges.
METHODS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("CreateAccessKey", ("iam:CreateAccessKey",)),
    ("CreateLoginProfile", ("iam:CreateLoginProfile",)),
    ("UpdateLoginProfile", ("iam:UpdateLoginProfile",)),
    ("AddUserToGroup", ("iam:AddUserToGroup",)),
    ("CreateNewPolicyVersion", ("iam:CreatePolicyVersion",)),
    ("SetExistingDefaultPolicyVersion", ("iam:SetDefaultPolicyVersion",)),
    ("AttachUserPolicy", ("iam:AttachUserPolicy",)),
    ("AttachGroupPolicy", ("iam:AttachGroupPolicy",)),
    ("AttachRolePolicy", ("iam:AttachRolePolicy", "sts:AssumeRole")),
    ("PutUserPolicy", ("iam:PutUserPolicy",)),
    ("PutGroupPolicy", ("iam:PutGroupPolicy",)),
    ("PutRolePolicy", ("iam:PutRolePolicy", "sts:AssumeRole")),
    ("UpdateRolePolicyToAssumeIt", ("iam:UpdateAssumeRolePolicy", "sts:AssumeRole")),
    ("CreateEC2WithExistingIP", ("iam:PassRole", "ec2:RunInstances")),
    (
        "PassExistingRoleToNewLambdaThenInvoke",
        ("iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"),
    ),
    (
        "PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo",
        ("iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"),
    ),
    ("PassExistingRoleToNewGlueDevEndpoint", ("iam:PassRole", "glue:CreateDevEndpoint")),
    ("PassExistingRoleToCloudFormation", ("iam:PassRole", "cloudformation:CreateStack")),
    ("PassExistingRoleToNewDataPipeline", ("iam:PassRole", "datapipeline:CreatePipeline")),
    ("UpdateExistingGlueDevEndpoint", ("glue:UpdateDevEndpoint",)),
    ("EditExistingLambdaFunctionWithRole", ("lambda:UpdateFunctionCode",)),
)


def _allowed(found: StatementGrant, action: str) -> bool:
    """The grant gives ``action`` with no limit: on every resource (or the action has no
    resource to limit it to), without a condition. "*" and "service:*" are left to the
    wildcard rules."""
    if not found.grant.allows or found.conditioned:
        return False
    if not any(matches(a, action) for a in found.specific_actions()):
        return False
    return found.on_any_resource or not is_scopable(action)


def _denied(denials: list[Statement], action: str) -> bool:
    for st in denials:
        actions = [a for a in st.actions if isinstance(a, str)]
        on_all = any(isinstance(r, str) and r.strip() == "*" for r in st.resources)
        if on_all and not st.conditions and any(matches(a, action) for a in actions):
            return True
    return False


class IamPrivilegeEscalation(Rule):
    id = "aws-iam-privilege-escalation"
    title = "IAM policy allows a known privilege-escalation path"
    severity = Severity.HIGH
    rationale = (
        "Some actions, granted on every resource, let the holder give itself more access: "
        "create an access key or console password for another user, attach or write a policy, "
        "make another policy version the default, or pass a privileged role to a new Lambda "
        "function, EC2 instance or CloudFormation stack and act through it. A policy holding "
        "one of these sets is as powerful as the most privileged identity in the account."
    )
    remediation = (
        "Scope the actions to the users, groups, roles and policies they must manage, require "
        "a permissions boundary (iam:PermissionsBoundary condition), and limit iam:PassRole "
        "to named roles with an iam:PassedToService condition."
    )
    links = (
        "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_policy",
    )
    aliases = ("CKV_AWS_110", "CKV_AWS_286")
    bad_example = """
resource "aws_iam_policy" "support" {
  name = "support"
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["iam:CreateAccessKey", "iam:ListUsers"],
          "Resource": "*"
        }
      ]
    }
  EOF
}
"""
    good_example = """
resource "aws_iam_policy" "support" {
  name = "support"
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["iam:CreateAccessKey"],
          "Resource": "arn:aws:iam::123456789012:user/$${aws:username}"
        },
        {
          "Effect": "Allow",
          "Action": ["iam:ListUsers"],
          "Resource": "*"
        }
      ]
    }
  EOF
}
"""
    fix_description = (
        "No automatic fix: closing the path means scoping or removing permissions the "
        "principal may rely on."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        denials: dict[int, list[Statement]] = {}
        for st in permission_statements(module):
            if isinstance(st.effect, str) and st.effect == "Deny":
                denials.setdefault(id(st.entity), []).append(st)
        for key, grants in grants_by_policy(module).items():
            denied = denials.get(key, [])
            methods: list[str] = []
            first: StatementGrant | None = None
            for name, actions in METHODS:
                granting = []
                for action in actions:
                    found = next((g for g in grants if _allowed(g, action)), None)
                    if found is None or _denied(denied, action):
                        break
                    granting.append(found)
                else:
                    methods.append(f"{name} ({', '.join(actions)})")
                    if first is None:
                        first = granting[0]
            if first is None:
                continue
            entity = first.statement.entity
            listed = "; ".join(methods[:3])
            if len(methods) > 3:
                listed += f"; and {len(methods) - 3} more"
            yield ctx.report(
                entity,
                first.statement.anchor,
                f"{entity.address} allows privilege escalation on all resources: {listed}",
                data={"methods": [m.split(" ", 1)[0] for m in methods]},
            )
