from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, TextEdit, entity_for
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.secrets import write_only_support
from tfguard.writeonly import write_only_table


class SecretArgumentKeptInState(Rule):
    id = "aws-secret-argument-write-only"
    title = "Secret stored in state where a write-only argument exists"
    severity = Severity.HIGH
    rationale = (
        "Arguments like aws_db_instance.password are saved in plain text in the Terraform "
        "state and in plan files, so anyone who can read the state bucket can read the "
        "database password. Since Terraform 1.11 the AWS provider offers write-only twins "
        "(password_wo, master_password_wo, secret_string_wo, value_wo) that are sent to the "
        "provider but never persisted."
    )
    remediation = (
        "Use the write-only argument with its version (password_wo + password_wo_version), "
        'fed from an ephemeral value (ephemeral "random_password", or an ephemeral read of '
        "your secret store). Migrating an existing resource sends the write-only value as a "
        "new password: keep the same value or plan the rotation, and bump the _wo_version "
        "whenever the password must change. For RDS, Aurora and Redshift, "
        "manage_master_user_password = true lets AWS keep the password in Secrets Manager "
        "and out of Terraform altogether."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/resources/ephemeral/write-only",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#password_wo",
    )
    aliases = ()
    bad_example = """
resource "aws_db_instance" "app" {
  identifier        = "app"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  username          = "app"
  password          = var.db_password
}
"""
    good_example = """
ephemeral "random_password" "db" {
  length = 32
}

resource "aws_db_instance" "app" {
  identifier          = "app"
  engine              = "postgres"
  instance_class      = "db.t4g.micro"
  allocated_storage   = 20
  username            = "app"
  password_wo         = ephemeral.random_password.db.result
  password_wo_version = 1
}
"""
    fix_description = (
        "Renames the argument to its write-only twin and adds <name>_wo_version = 1; offered "
        "only when every Terraform version the configuration allows has write-only arguments "
        "(or required_version is not set). Applying it sends the value to the resource again."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        support = write_only_support(ctx.module)
        if support == "unsupported":
            return
        for rtype, arguments in write_only_table().items():
            for entity in ctx.resources(rtype):
                if rtype == "aws_ssm_parameter" and ctx.attr_value(entity, "type") != (
                    "SecureString"
                ):
                    continue  # String and StringList parameters are not secrets (or unknown)
                for spec in arguments.values():
                    attr = entity.attr(spec.argument)
                    if attr is None or ctx.value(attr.value) is None:
                        continue
                    caveat = (
                        f"switching an existing resource to {spec.write_only} needs "
                        f"{spec.version} and sends the value again (it can reset the secret)"
                    )
                    if support == "optional":
                        message = (
                            f"{entity.address}.{spec.argument} is stored in state; raising "
                            f"required_version to >= 1.11 allows {spec.write_only} "
                            f"({caveat})"
                        )
                        severity = Severity.LOW
                    else:
                        message = (
                            f"{entity.address}.{spec.argument} is stored in plain text in the "
                            f"state; use the write-only {spec.write_only} ({caveat})"
                        )
                        severity = self.severity
                    yield ctx.report(
                        entity,
                        attr,
                        message,
                        severity=severity,
                        data={
                            "argument": spec.argument,
                            "writeOnly": spec.write_only,
                            "version": spec.version,
                            "support": support,
                        },
                    )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        if finding.data.get("support") not in ("required", "unknown"):
            return []
        entity = entity_for(module, finding)
        if entity is None:
            return []
        spec = write_only_table().get(entity.type, {}).get(str(finding.data.get("argument")))
        if spec is None or entity.attr(spec.write_only) is not None:
            return []
        attr = entity.attr(spec.argument)
        if attr is None:
            return []
        editor = Editor(module)
        edits: list[TextEdit] = [editor.rename(entity, attr, spec.write_only)]
        if entity.attr(spec.version) is None:
            edits.append(editor.insert_attribute(entity, entity.block, spec.version, "1"))
        return [
            Fix(
                f"Use the write-only {spec.write_only} (sends the value to the resource again)",
                tuple(edits),
                preferred=True,
            )
        ]
