from __future__ import annotations

from collections.abc import Iterable

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue
from tfguard.secrets import holds_switch_or_number, is_secret_name


class VariableSecretNotSensitive(Check):
    id = "terraform-variable-secret-not-sensitive"
    title = "Secret-named variable is not marked sensitive"
    severity = Severity.MEDIUM
    rationale = (
        "Terraform prints the values of ordinary variables, and of every argument they reach, "
        "in plan and apply output, which CI systems keep in their logs. A variable named like "
        "a password, token or key that is not sensitive = true shows its value to everyone "
        "who can read those logs; a sensitive variable is redacted everywhere it flows."
    )
    remediation = (
        "Add sensitive = true to the variable (and ephemeral = true on Terraform 1.10+ when "
        "it only feeds write-only arguments or providers, so it never reaches the state)."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/values/variables#suppressing-values-in-cli-output",
        "https://developer.hashicorp.com/terraform/language/manage-sensitive-data",
    )
    bad_example = """
variable "db_password" {
  type        = string
  description = "Master password of the application database"
}
"""
    good_example = """
variable "db_password" {
  type        = string
  description = "Master password of the application database"
  sensitive   = true
}

variable "password_length" {
  type    = number
  default = 32
}

variable "db_password_secret_arn" {
  type = string
}

variable "manage_master_user_password" {
  type    = bool
  default = true
}
"""
    resource_types = ("variable",)
    attribute = "sensitive"
    condition = Equals(True)
    default = False
    message = (
        "{address} looks like a secret but sets sensitive = false: its value is printed in "
        "plan and apply output"
    )
    missing_message = (
        "{address} looks like a secret but is not sensitive = true: its value is printed in "
        "plan and apply output"
    )
    fix = SetValue("true", "Mark {address} as sensitive", replace_expressions=True)
    fix_description = "Adds or sets sensitive = true in the variable block."

    def subjects(self, module: Module) -> Iterable[Entity]:
        for name, variable in module.variables.items():
            if not is_secret_name(name) or holds_switch_or_number(module, variable):
                continue
            if module.attr_value(variable, "ephemeral", False) is True:
                continue  # never stored, never shown: nothing left to redact
            yield variable
