from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.module import Entity
from tfguard.rules.base import Context, Rule
from tfguard.secrets import aws_provider_credentials, is_reportable_secret, literal_string

_EMULATOR_HOSTS = ("localhost", "127.0.0.1", "localstack", "host.docker.internal", "[::1]")


def _targets_local_emulator(ctx: Context, provider: Entity) -> bool:
    """A provider whose endpoints all point at a local emulator (LocalStack, moto): its keys
    are dummies that never reach AWS."""
    endpoints = [
        value
        for block in provider.block.blocks_of("endpoints")
        for attr in block.attributes.values()
        if isinstance(value := ctx.value(attr.value), str)
    ]
    return bool(endpoints) and all(
        any(host in url.lower() for host in _EMULATOR_HOSTS) for url in endpoints
    )


class ProviderStaticCredentials(Rule):
    id = "aws-provider-static-credentials"
    title = "AWS provider configured with static access keys"
    severity = Severity.MEDIUM
    rationale = (
        "access_key and secret_key in a provider block mean Terraform runs with a long-lived "
        "IAM user key: it never expires, usually holds broad rights, and lives in variables, "
        "tfvars files or CI settings from which it leaks. Written literally it is already "
        "leaked to everyone with the repository. Short-lived credentials from an assumed role "
        "remove the key altogether."
    )
    remediation = (
        "Remove access_key, secret_key and token from the provider. In CI, authenticate with "
        "OIDC (for example GitHub Actions' aws-actions/configure-aws-credentials with "
        "role-to-assume) so the job receives temporary credentials; locally, use an AWS "
        "profile or IAM Identity Center (profile = ...), and switch accounts with an "
        "assume_role block. Deactivate and delete the IAM user key once nothing uses it."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs#authentication-and-configuration",
        "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles",
    )
    aliases = ("CKV_AWS_41", "AWS044", "aws-misc-no-exposing-plaintext-credentials")
    bad_example = """
variable "aws_access_key" {
  type      = string
  sensitive = true
}

variable "aws_secret_key" {
  type      = string
  sensitive = true
}

provider "aws" {
  region     = "eu-west-1"
  access_key = var.aws_access_key
  secret_key = var.aws_secret_key
}
"""
    good_example = """
provider "aws" {
  region = "eu-west-1"

  assume_role {
    role_arn     = "arn:aws:iam::123456789012:role/terraform-deploy"
    session_name = "terraform"
  }
}

provider "aws" {
  alias   = "audit"
  region  = "eu-west-1"
  profile = "audit-readonly"
}
"""
    fix_description = (
        "No automatic fix: removing the keys changes which identity (and possibly which "
        "account) Terraform uses, so the replacement must be set up first."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for provider, attrs in aws_provider_credentials(ctx.module):
            if _targets_local_emulator(ctx, provider):
                continue
            literal = [
                a.name
                for a in attrs
                if (text := literal_string(a.value)) is not None and is_reportable_secret(text)
            ]
            if "secret_key" in literal:
                severity = Severity.CRITICAL
                how = "a hard-coded secret key"
            elif literal:
                severity = Severity.HIGH
                how = f"a hard-coded {literal[0]}"
            else:
                severity = self.severity
                how = "static keys"
            names = ", ".join(a.name for a in attrs)
            alias = ctx.attr_value(provider, "alias", None)
            label = f'provider "{provider.block.labels[0]}"'
            if isinstance(alias, str):
                label += f" ({alias})"
            yield ctx.report(
                provider,
                attrs[0],
                f"{label} authenticates with {how} ({names}): use an assumed role (OIDC in "
                "CI, a profile or assume_role locally) instead of long-lived access keys",
                severity=severity,
                data={"attributes": [a.name for a in attrs], "literal": literal},
            )
