from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_string


class EcrCustomerKey(Rule):
    id = "aws-ecr-customer-key"
    title = "ECR repository is not encrypted with a customer-managed KMS key"
    severity = Severity.LOW
    rationale = (
        "Images are encrypted with AES256 keys that ECR manages unless "
        "encryption_configuration chooses KMS. Image layers often contain configuration, "
        "certificates and proprietary code; with a customer-managed key, pulling also needs "
        "kms:Decrypt on that key, access can be cut by disabling it, and each use is logged. "
        "KMS without kms_key uses the AWS-managed aws/ecr key, whose policy cannot be "
        "changed."
    )
    remediation = (
        'Create the repository with encryption_configuration { encryption_type = "KMS" '
        "kms_key = aws_kms_key.ecr.arn }; an existing repository must be recreated (and its "
        "images pushed again), as the setting cannot change."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecr_repository#encryption_configuration",
    )
    aliases = (
        "CKV_AWS_136",
        "AVD-AWS-0033",
        "AWS-0033",
        "aws-ecr-repository-customer-key",
    )
    bad_example = """
resource "aws_ecr_repository" "api" {
  name                 = "api"
  image_tag_mutability = "IMMUTABLE"
}
"""
    good_example = """
resource "aws_ecr_repository" "api" {
  name                 = "api"
  image_tag_mutability = "IMMUTABLE"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}
"""
    fix_description = (
        "No automatic fix: changing a repository's encryption replaces it, and Terraform "
        "deletes the old repository with its images."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for repo in live(module, "aws_ecr_repository"):
            for hit in lookup(module, repo, "encryption_configuration.encryption_type"):
                kind = as_string(hit.value) if hit.present else "AES256"
                if kind is UNKNOWN:
                    continue
                if str(kind).upper() != "KMS":
                    how = f"encryption_type {kind}" if hit.present else "the default"
                    yield ctx.report(
                        repo,
                        hit.anchor,
                        f"ECR repository {repo.address} encrypts images with ECR-managed "
                        f"AES256 keys ({how})",
                    )
                    continue
                for key in lookup(module, repo, "encryption_configuration.kms_key"):
                    if key.present and key.value not in ("",):
                        continue
                    yield ctx.report(
                        repo,
                        key.anchor,
                        f"ECR repository {repo.address} encrypts images with the AWS-managed "
                        "aws/ecr key (kms_key is not set)",
                    )
