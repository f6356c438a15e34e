from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, entity_for
from tfguard.module import Entity, Module
from tfguard.rules.base import Context, Rule
from tfguard.secrets import secret_sources
from tfguard.syntax import Block, Expr


class OutputSecretNotSensitive(Rule):
    id = "terraform-output-secret-not-sensitive"
    title = "Output exposes a secret without sensitive = true"
    severity = Severity.MEDIUM
    rationale = (
        "Outputs are printed at the end of every apply, stored in the state, and read by "
        "terraform_remote_state consumers and CI jobs. An output whose value comes from a "
        "secret (a sensitive or secret-named variable, a password argument, a random_password, "
        "a private key, a Secrets Manager or SecureString value) shows that secret in plain "
        "text unless it is sensitive; nonsensitive() removes the protection on purpose."
    )
    remediation = (
        "Set sensitive = true on the output (consumers still get the value with terraform "
        "output -raw), or better, output the ARN or name of the secret in your secret store "
        "instead of the secret itself. Remove nonsensitive() around secrets."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/values/outputs#sensitive-suppressing-values-in-cli-output",
        "https://developer.hashicorp.com/terraform/language/functions/nonsensitive",
    )
    bad_example = """
variable "db_password" {
  type = string
}

locals {
  database_url = "postgres://app:${var.db_password}@${aws_db_instance.app.address}/app"
}

output "database_url" {
  value = local.database_url
}
"""
    good_example = """
variable "db_password" {
  type      = string
  sensitive = true
}

locals {
  database_url = "postgres://app:${var.db_password}@${aws_db_instance.app.address}/app"
}

output "database_url" {
  value     = local.database_url
  sensitive = true
}

output "db_endpoint" {
  value = aws_db_instance.app.address
}

output "password_fingerprint" {
  value = sha256(var.db_password)
}
"""
    fix_description = "Adds or sets sensitive = true in the output block."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for output in ctx.module.outputs.values():
            value = output.attr("value")
            if value is None:
                continue
            if ctx.attr_value(output, "ephemeral", False) is True:
                continue
            sensitive = output.attr("sensitive")
            if sensitive is not None and ctx.value(sensitive.value) is not False:
                continue  # true, or not known: nothing to report
            sources = secret_sources(ctx.module, value.value)
            if not sources:
                continue
            first = sources[0]
            related: list[tuple[Entity, Expr | Block, str]] = []
            for source in sources:
                if source.entity is not None:
                    related.append((source.entity, source.entity.block, source.description))
                else:
                    related.append((output, source.reference, source.description))
            yield ctx.report(
                output,
                output.block if sensitive is None else sensitive,
                f"{output.address} exposes {first.description} without sensitive = true: the "
                "secret is printed by plan and apply and readable with terraform output",
                related=related,
                data={
                    "missing": sensitive is None,
                    "sources": [s.description for s in sources],
                },
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        output = entity_for(module, finding)
        if output is None or output.kind != "output":
            return []
        edit = Editor(module).set_attribute(output, output.block, "sensitive", "true")
        return [Fix(f"Mark {output.address} as sensitive", (edit,), preferred=True)]
