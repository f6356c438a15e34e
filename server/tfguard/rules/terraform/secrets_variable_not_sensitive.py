from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, entity_for
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.secrets import holds_switch_or_number, is_secret_name


class VariableSecretNotSensitive(Rule):
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
    fix_description = "Adds or sets sensitive = true in the variable block."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for name, variable in ctx.module.variables.items():
            if not is_secret_name(name) or holds_switch_or_number(ctx.module, variable):
                continue
            if ctx.attr_value(variable, "ephemeral", False) is True:
                continue  # never stored, never shown: nothing left to redact
            attr = variable.attr("sensitive")
            if attr is None:
                yield ctx.report(
                    variable,
                    variable.block,
                    f"{variable.address} looks like a secret but is not sensitive = true: its "
                    "value is printed in plan and apply output",
                    data={"missing": True},
                )
            elif ctx.value(attr.value) is False:
                yield ctx.report(
                    variable,
                    attr,
                    f"{variable.address} looks like a secret but sets sensitive = false: its "
                    "value is printed in plan and apply output",
                    data={"missing": False},
                )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        variable = entity_for(module, finding)
        if variable is None or variable.kind != "variable":
            return []
        edit = Editor(module).set_attribute(variable, variable.block, "sensitive", "true")
        return [Fix(f"Mark {variable.address} as sensitive", (edit,), preferred=True)]
