from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.base import Anchor
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue
from tfguard.rules.kit.paths import Hit
from tfguard.secrets import SecretSource, secret_sources


class OutputSecretNotSensitive(Check):
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

    resource_types = ("output",)
    attribute = "sensitive"
    condition = Equals(True)
    default = False
    message = (
        "{address} exposes {source} without sensitive = true: the secret is printed by plan "
        "and apply and readable with terraform output"
    )
    fix = SetValue("true", "Mark {address} as sensitive", replace_expressions=True)

    def subjects(self, module: Module) -> Iterable[Entity]:
        for output in module.outputs.values():
            if output.attr("value") is None:
                continue
            if module.attr_value(output, "ephemeral", False) is True:
                continue
            if self._sources(module, output):
                yield output

    def _sources(self, module: Module, output: Entity) -> list[SecretSource]:
        key = ("output-secret-sources", id(output))
        if key not in module.memo:
            value = output.attr("value")
            module.memo[key] = secret_sources(module, value.value) if value is not None else []
        found: list[SecretSource] = module.memo[key]
        return found

    def message_fields(self, module: Module, entity: Entity) -> dict[str, Any]:
        return {"source": self._sources(module, entity)[0].description}

    def related_for(
        self, module: Module, entity: Entity, hit: Hit
    ) -> list[tuple[Entity, Anchor, str]]:
        related: list[tuple[Entity, Anchor, str]] = []
        for source in self._sources(module, entity):
            if source.entity is not None:
                related.append((source.entity, source.entity.block, source.description))
            else:
                related.append((entity, source.reference, source.description))
        return related
