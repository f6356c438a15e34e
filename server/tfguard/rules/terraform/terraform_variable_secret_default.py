from __future__ import annotations

from collections.abc import Iterable

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.kit.conditions import Satisfies
from tfguard.rules.kit.declarative import Check
from tfguard.secrets import (
    expr_key_material,
    holds_switch_or_number,
    is_reportable_secret,
    is_secret_name,
    literal_string,
)


class VariableSecretDefault(Check):
    id = "terraform-variable-secret-default"
    title = "Secret-named variable has a literal default"
    severity = Severity.HIGH
    rationale = (
        "A default is part of the code: a password or token given as the default of a "
        "variable is committed with the module, used silently whenever nobody overrides it, "
        "and marking the variable sensitive does not hide it from anyone who reads the "
        "repository."
    )
    remediation = (
        "Remove the default so that the value must be supplied (from the environment, a "
        "secret store or the pipeline's secret variables), and rotate the committed value. "
        "A null or empty default is fine when the variable is optional."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/values/variables#default-values",
        "https://developer.hashicorp.com/terraform/language/manage-sensitive-data",
    )
    aliases = (
        "AVD-GEN-0004",
        "GEN001",
        "general-secrets-sensitive-in-variable",
        "general-secrets-no-plaintext-exposure",
    )
    bad_example = """
variable "grafana_api_token" {
  type      = string
  sensitive = true
  default   = "glsa_k3Jd82hdQ9xLmP02vbRt"
}
"""
    good_example = """
variable "grafana_api_token" {
  type      = string
  sensitive = true
}

variable "slack_webhook_token" {
  type      = string
  sensitive = true
  default   = null
}

variable "secret_name" {
  type    = string
  default = "prod/grafana"
}
"""
    fix_description = (
        "No automatic fix: removing the default makes the variable required, and the "
        "committed value must be rotated anyway."
    )

    # Variables are never switched off: a literal secret in the source is reported anyway.
    resource_types = ("variable",)
    attribute = "default"
    condition = Satisfies(
        lambda value: not (isinstance(value, str) and is_reportable_secret(value)),
        "must not be a literal secret",
    )
    message = (
        "{address} has a literal default: the secret is committed with the code and used "
        "whenever no value is supplied"
    )

    def subjects(self, module: Module) -> Iterable[Entity]:
        for name, variable in module.variables.items():
            if not is_secret_name(name) or holds_switch_or_number(module, variable):
                continue
            default = variable.attr("default")
            if default is None or literal_string(default.value) is None:
                continue
            if expr_key_material(default.value):
                continue  # reported as key material, with a stronger severity
            yield variable
