"""Instances, launch templates and launch configurations that accept IMDSv1.

Silent when the instance metadata endpoint is disabled, when an instance takes its settings
from a launch template (the template is checked instead), and, for an unset ``http_tokens``,
when the module sets the account default ``aws_ec2_instance_metadata_defaults`` to
``http_tokens = "required"`` for the same provider.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tfguard.evaluate import UNKNOWN
from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix
from tfguard.module import Entity, Module
from tfguard.rules.aws._network import account_default
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.fixing import locate, set_value_fix
from tfguard.rules.kit.instances import instance_evaluators

TYPES = ("aws_instance", "aws_launch_template", "aws_launch_configuration")


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


class Ec2Imdsv2Required(Rule):
    id = "aws-ec2-imdsv2-required"
    title = "Instance metadata service accepts IMDSv1 requests"
    severity = Severity.HIGH
    rationale = (
        "IMDSv1 answers plain GET requests, so a server-side request forgery or an open proxy "
        "on the instance is enough to read the IAM role's temporary credentials from "
        "169.254.169.254 (the Capital One breach). IMDSv2 requires a session token obtained "
        "with a PUT request and a hop limit, which those attacks cannot produce."
    )
    remediation = (
        'Add metadata_options { http_tokens = "required" } (keep http_endpoint = "enabled" '
        "and a hop limit of 1, or 2 for containers), after checking that the AMI's tools and "
        "SDKs support IMDSv2; or set the account default with "
        "aws_ec2_instance_metadata_defaults."
    )
    links = (
        "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/instance#metadata-options",
    )
    aliases = (
        "CKV_AWS_79",
        "AVD-AWS-0028",
        "AWS-0028",
        "aws-ec2-enforce-http-token-imds",
        "AVD-AWS-0130",
        "AWS-0130",
        "aws-ec2-enforce-launch-config-http-token-imds",
        "aws-autoscaling-enforce-http-token-imds",
    )
    bad_example = """
resource "aws_instance" "app" {
  ami           = data.aws_ami.al2023.id
  instance_type = "t3.micro"
}

resource "aws_launch_template" "workers" {
  image_id      = data.aws_ami.al2023.id
  instance_type = "t3.micro"

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "optional"
  }
}
"""
    bad_example_findings = 2
    good_example = """
resource "aws_instance" "app" {
  ami           = data.aws_ami.al2023.id
  instance_type = "t3.micro"

  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
}

resource "aws_launch_template" "workers" {
  image_id      = data.aws_ami.al2023.id
  instance_type = "t3.micro"

  metadata_options {
    http_endpoint = "disabled"
  }
}
"""
    fix_description = (
        'Adds metadata_options { http_tokens = "required" } or the http_tokens argument, or '
        'sets it to "required" when the value is written in place; check first that the '
        "AMI's software speaks IMDSv2. Unsafe: software that "
        "reads instance metadata without a session token stops getting it."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for entity in ctx.resources(*TYPES):
            finding = self._check(ctx, entity)
            if finding is not None:
                yield finding

    def _check(self, ctx: Context, entity: Entity) -> Finding | None:
        evaluators = instance_evaluators(ctx.module, entity)
        if not evaluators:
            return None
        if any(d.labels == ("metadata_options",) for d in entity.block.blocks_of("dynamic")):
            return None
        options = entity.block.block("metadata_options")
        tokens = options.attr("http_tokens") if options is not None else None
        if tokens is None:
            if entity.type == "aws_instance" and entity.block.block("launch_template"):
                return None  # the launch template decides
            endpoint = options.attr("http_endpoint") if options is not None else None
            if endpoint is not None and all(
                _lower(e.eval(endpoint.value)) in ("disabled", UNKNOWN) for e in evaluators
            ):
                return None
            default = account_default(
                ctx.module, "aws_ec2_instance_metadata_defaults", "http_tokens", "required", entity
            )
            if default is not False:
                return None
            where = (
                "has no metadata_options block" if options is None else "does not set http_tokens"
            )
            return ctx.report(
                entity,
                options if options is not None else entity.block,
                f"{entity.address} {where}: the metadata service accepts IMDSv1 requests "
                '(http_tokens defaults to "optional")',
                data={"missing": True, "block": options is not None},
            )
        endpoint = options.attr("http_endpoint") if options is not None else None
        for evaluator in evaluators:
            value = _lower(evaluator.eval(tokens.value))
            if value is None:
                value = "optional"  # null: the provider default
            if value is UNKNOWN or value == "required":
                continue
            if endpoint is not None and _lower(evaluator.eval(endpoint.value)) in (
                "disabled",
                UNKNOWN,
            ):
                continue
            return ctx.report(
                entity,
                tokens,
                f'{entity.address} sets http_tokens = "{value}": the metadata service accepts '
                "IMDSv1 requests",
                data={"missing": False},
            )
        return None

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        title = "Require IMDSv2 session tokens"
        where = locate(module, finding)
        if where is None:
            return []
        if where.attr is None and where.block is where.entity.block:
            edit = Editor(module).insert_block(
                where.entity, where.block, 'metadata_options {\n  http_tokens = "required"\n}'
            )
            return [Fix(title, (edit,), "unsafe", _CONSEQUENCE)]
        return set_value_fix(
            module,
            finding,
            title,
            "http_tokens",
            "required",
            applicability="unsafe",
            consequence=_CONSEQUENCE,
        )


_CONSEQUENCE = "software that reads instance metadata without a token (IMDSv1) loses it"
