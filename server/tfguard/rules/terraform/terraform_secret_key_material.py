from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from tfguard.findings import Finding, Severity
from tfguard.memo import per_node
from tfguard.module import Entity
from tfguard.rules.base import Context, Rule
from tfguard.secrets import (
    expr_key_material,
    file_name,
    provider_credential_ids,
    string_exprs,
    tfvars_assignments,
)
from tfguard.syntax import Attribute, Block, Expr


class KeyMaterialInCode(Rule):
    id = "terraform-secret-key-material"
    title = "Credential or private key recognisable in the configuration"
    severity = Severity.CRITICAL
    rationale = (
        "Some secrets are recognisable by their shape wherever they are written: AWS access "
        "key ids (AKIA...), PEM private keys, GitHub, GitLab, Slack, Stripe, npm and Terraform "
        "Cloud tokens, passwords embedded in URLs. Found in user_data, a heredoc, a local or a "
        ".tfvars file they are as exposed as in a password argument, and automated scrapers "
        "harvest them from public repositories within minutes."
    )
    remediation = (
        "Treat the credential as leaked: revoke or rotate it at its issuer first, then remove "
        "it from the code and its history. Let workloads get credentials from their role "
        "(instance profiles, IRSA, OIDC), and read the secrets they still need from a secret "
        "store at run time instead of templating them into the configuration."
    )
    links = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#securing_access-keys",
        "https://docs.github.com/en/code-security/secret-scanning/introduction/about-secret-scanning",
    )
    aliases = (
        "CKV_SECRET_2",
        "CKV_SECRET_13",
        "AVD-GEN-0002",
        "GEN005",
        "general-secrets-sensitive-in-attribute-value",
        # AWS access keys in EC2 user data and launch templates, and in Lambda environments.
        "CKV_AWS_46",
        "CKV_AWS_45",
        "AVD-AWS-0029",
        "AWS-0029",
        "aws-ec2-no-secrets-in-user-data",
        "AVD-AWS-0129",
        "AWS-0129",
        "aws-ec2-no-secrets-in-launch-template-user-data",
    )
    bad_example = """
resource "aws_instance" "worker" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  user_data     = <<-EOT
    #!/bin/bash
    export AWS_ACCESS_KEY_ID=AKIA2E0A8F3B244C9986
    ./worker
  EOT
}
"""
    good_example = """
resource "aws_instance" "worker" {
  ami                  = "ami-0c55b159cbfafe1f0"
  instance_type        = "t3.micro"
  iam_instance_profile = aws_iam_instance_profile.worker.name
  user_data            = <<-EOT
    #!/bin/bash
    ./worker
  EOT
}
"""
    fix_description = (
        "No automatic fix: the credential stays valid, and in the history, until it is "
        "revoked at its issuer, which only its owner can do; a recognised key is often part "
        "of a longer value (a URL, a config file) that cannot be replaced as a whole."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        skipped = provider_credential_ids(ctx.module)
        for entity in ctx.module.entities:
            if entity.kind == "terraform" or entity.type == "terraform_remote_state":
                continue  # state storage credentials: terraform-backend-static-credentials
            # What a block holds depends on its text alone: remembered until it is edited.
            hits = per_node("key-material", entity.block, partial(_hits, entity.block))
            for block, attr, expr, kinds in hits:
                if id(attr) in skipped:
                    continue
                if entity.kind == "module" and block is entity.block and attr.name == "source":
                    continue  # credentials in module sources belong to the source rules
                yield self._report(ctx, entity, block, attr, expr, kinds)
        for path, entity, attr in tfvars_assignments(ctx.module):
            for _, _, expr, kinds in _attribute_hits(entity.block, attr):
                yield self._report(ctx, entity, entity.block, attr, expr, kinds, file_name(path))

    def _report(
        self,
        ctx: Context,
        entity: Entity,
        block: Block,
        attr: Attribute,
        expr: Expr,
        kinds: list[str],
        where: str | None = None,
    ) -> Finding:
        place = where or (
            entity.address if block is entity.block else f"{entity.address} {block.type}"
        )
        return ctx.report(
            entity,
            expr,
            f"{' and '.join(kinds)} written in {place} {attr.name}: treat it as leaked, "
            "revoke or rotate it and remove it from the code and its history",
            data={"kinds": kinds, "attribute": attr.name},
        )


Hit = tuple[Block, Attribute, Expr, list[str]]


def _attribute_hits(block: Block, attr: Attribute) -> list[Hit]:
    out: list[Hit] = []
    for expr in string_exprs(attr.value):
        found = expr_key_material(expr)
        if found:
            out.append((block, attr, expr, sorted({k.kind for k in found})))
    return out


def _hits(top: Block) -> list[Hit]:
    """Key material in every attribute of a top-level block and its nested blocks."""
    return [
        hit
        for block in top.walk_blocks()
        for attr in block.attributes.values()
        for hit in _attribute_hits(block, attr)
    ]
