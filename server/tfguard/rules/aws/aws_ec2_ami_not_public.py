from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.aws._checks import hit_of, rewrite_arguments
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.fixing import set_path_edits, variable_choice
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_string


class Ec2AmiNotPublic(Rule):
    id = "aws-ec2-ami-not-public"
    title = "AMI is shared with every AWS account"
    severity = Severity.CRITICAL
    rationale = (
        'An aws_ami_launch_permission with group = "all" makes the image public: any AWS '
        "account can launch it and copy its snapshots, and with them every file baked into "
        "the image (application code, configuration, SSH host keys, credentials left in "
        "shell history or config files). The account-wide image block public access "
        'setting turned to "unblocked" allows such sharing in the first place (medium).'
    )
    remediation = (
        "Share images with named accounts (account_id), an organization (organization_arn) "
        'or an organizational unit instead of group = "all", and keep '
        'aws_ec2_image_block_public_access in state "block-new-sharing".'
    )
    links = (
        "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-intro.html",
        "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/block-public-access-to-amis.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ami_launch_permission#group",
    )
    bad_example = """
resource "aws_ami_launch_permission" "golden" {
  image_id = aws_ami_from_instance.golden.id
  group    = "all"
}
"""
    good_example = """
resource "aws_ami_launch_permission" "golden" {
  image_id         = aws_ami_from_instance.golden.id
  organization_arn = "arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5"
}

resource "aws_ec2_image_block_public_access" "account" {
  state = "block-new-sharing"
}
"""
    fix_description = (
        'Replaces group = "all" with organization_arn = var.<name>_organization_arn (declared '
        "in variables.tf without a default, so a plan asks for it), and sets the account "
        'setting aws_ec2_image_block_public_access to "block-new-sharing". Both are unsafe: '
        "an image published on purpose stops being public."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for permission in live(module, "aws_ami_launch_permission"):
            for hit in lookup(module, permission, "group"):
                group = as_string(hit.value) if hit.present else None
                if isinstance(group, str) and group.strip().lower() == "all":
                    yield ctx.report(
                        permission,
                        hit.anchor,
                        f'{permission.address} makes the AMI public (group = "all"): any '
                        "AWS account can launch it and copy its snapshots",
                        data={"kind": "permission"},
                    )
        for setting in live(module, "aws_ec2_image_block_public_access"):
            for hit in lookup(module, setting, "state"):
                state = as_string(hit.value) if hit.present else None
                if isinstance(state, str) and state.strip().lower() == "unblocked":
                    yield ctx.report(
                        setting,
                        hit.anchor,
                        f"{setting.address} allows AMIs of this account and region to be "
                        'made public (state = "unblocked")',
                        severity=Severity.MEDIUM,
                        data={"kind": "setting"},
                    )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        if finding.data.get("kind") == "permission":
            return _share_with_organization(module, finding)
        if finding.data.get("kind") != "setting":
            return []
        hit = hit_of(module, finding, "state")
        if hit is None:
            return []
        edits = set_path_edits(module, hit, '"block-new-sharing"')
        if not edits:
            return []
        return [
            Fix(
                "Block public sharing of new AMIs",
                tuple(edits),
                "unsafe",
                "an AMI can no longer be published on purpose",
            )
        ]


def _share_with_organization(module: Module, finding: Finding) -> list[Fix]:
    """Share the image with an organization (a new variable) instead of every account."""
    hit = hit_of(module, finding, "group")
    if hit is None or hit.attribute is None:
        return []
    entity = hit.entity
    name = f"{entity.name}_organization_arn"
    choice = variable_choice(
        module,
        entity,
        name,
        f"ARN of the AWS organization whose accounts may launch the image of {entity.address}",
        "string",
        f"a new variable var.{name}",
    )
    edits = rewrite_arguments(
        module, entity, entity.block, {"group": None, "organization_arn": choice.expr}
    )
    if not edits:
        return []
    return [
        Fix(
            f"Share the image with an organization ({choice.label}) instead of every account",
            (*edits, *choice.edits),
            "unsafe",
            "accounts outside the organization can no longer launch it",
        )
    ]
