from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import OneOf
from tfguard.rules.kit.declarative import Check, SetValue


class EcrImmutableTags(Check):
    id = "aws-ecr-immutable-tags"
    title = "ECR repository lets image tags be overwritten"
    severity = Severity.MEDIUM
    rationale = (
        "image_tag_mutability defaults to MUTABLE: anyone who can push to the repository can "
        "replace the image behind an existing tag (v1.4.2, prod), and every deployment that "
        "pulls the tag runs the replacement. A stolen CI credential becomes a silent "
        "supply-chain compromise, and a tag no longer identifies what was reviewed and "
        "scanned."
    )
    remediation = (
        'Set image_tag_mutability = "IMMUTABLE" (or "IMMUTABLE_WITH_EXCLUSION" for a few '
        "moving tags such as latest) and deploy by tag or digest."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecr_repository#image_tag_mutability",
    )
    aliases = (
        "CKV_AWS_51",
        "AVD-AWS-0031",
        "AWS-0031",
        "aws-ecr-enforce-immutable-repository",
    )
    bad_example = """
resource "aws_ecr_repository" "api" {
  name = "api"
}
"""
    good_example = """
resource "aws_ecr_repository" "api" {
  name                 = "api"
  image_tag_mutability = "IMMUTABLE"
}
"""
    resource_types = ("aws_ecr_repository",)
    attribute = "image_tag_mutability"
    condition = OneOf("IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", ignore_case=True)
    default = "MUTABLE"  # aws provider 4.x-6.x
    message = "ECR repository {address} lets pushes overwrite existing tags ({value})"
    missing_message = (
        "ECR repository {address} lets pushes overwrite existing tags (image_tag_mutability "
        "defaults to MUTABLE)"
    )
    fix = SetValue(
        '"IMMUTABLE"',
        "Make the tags of {address} immutable",
        applicability="unsafe",
        consequence="re-pushing a moving tag such as latest fails",
    )
    fix_description = (
        'Sets image_tag_mutability = "IMMUTABLE" (in place). Offered, not applied '
        "unattended: pipelines that re-push a moving tag such as latest start failing."
    )
