from __future__ import annotations

from collections.abc import Iterable

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue
from tfguard.rules.kit.resources import live


class EcrScanOnPush(Check):
    id = "aws-ecr-scan-on-push"
    title = "ECR repository does not scan images when they are pushed"
    severity = Severity.LOW
    rationale = (
        "scan_on_push defaults to false: images with known-vulnerable packages reach the "
        "registry and production without anyone being told. Scanning at push gives a "
        "finding for each vulnerable image while it can still be rebuilt, before it is "
        "deployed."
    )
    remediation = (
        "Set image_scanning_configuration { scan_on_push = true }, or configure registry-"
        "wide (enhanced) scanning with aws_ecr_registry_scanning_configuration."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecr_repository#scan_on_push",
    )
    aliases = (
        "CKV_AWS_163",
        "AVD-AWS-0030",
        "AWS-0030",
        "aws-ecr-enable-image-scans",
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

  image_scanning_configuration {
    scan_on_push = true
  }
}
"""
    resource_types = ("aws_ecr_repository",)
    attribute = "image_scanning_configuration.scan_on_push"
    condition = Equals(True)
    default = False  # aws provider 4.x-6.x
    message = "ECR repository {address} turns scanning on push off"
    missing_message = "ECR repository {address} does not scan images when they are pushed"
    fix = SetValue("true", "Scan images pushed to {address}")
    fix_description = (
        "Adds (or sets) image_scanning_configuration { scan_on_push = true } (basic scanning "
        "is free of charge)."
    )

    def subjects(self, module: Module) -> Iterable[Entity]:
        # Registry-wide scanning rules cover the repositories they match.
        if live(module, "aws_ecr_registry_scanning_configuration"):
            return []
        return live(module, *self.resource_types)
