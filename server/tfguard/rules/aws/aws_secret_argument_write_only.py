from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, entity_for
from tfguard.module import Entity, Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.editing import block_before
from tfguard.rules.kit.write_only import (
    argument_is_read,
    aws_supports_write_only,
    ephemeral_block,
    ephemeral_migration,
    migration_edits,
    noun,
    random_supports_ephemeral,
    reset_comment,
    same_value_comment,
    to_write_only,
    unique_ephemeral_name,
)
from tfguard.secrets import literal_string, name_words, write_only_support
from tfguard.syntax import Attribute, Reference
from tfguard.writeonly import WriteOnly, write_only_table


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
        "Renames the argument to its write-only twin, adds <name>_wo_version = 1 beside it "
        "and a comment. The value stays the same, but applying it to an existing resource "
        "resets the password (with some AWS provider releases to an empty one): check it "
        "afterwards and bump the _wo_version to send the value again. For a literal password, "
        'or one from a resource "random_password" that only write-only-capable arguments '
        'read, a second fix feeds the argument from an ephemeral "random_password" (a new '
        "block, or the existing one made ephemeral), which sets a new random password. "
        "Offered only when every Terraform release required_version allows has write-only "
        "arguments (1.11 and later; or no required_version), when the AWS provider allowed "
        "and locked has them (5.88.0 and later) and the random provider has ephemeral "
        "passwords (3.7.0 and later), and when nothing else reads the argument."
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
            return []  # some allowed Terraform release would reject the write-only argument
        entity = entity_for(module, finding)
        if entity is None:
            return []
        spec = write_only_table().get(entity.type, {}).get(str(finding.data.get("argument")))
        if spec is None or entity.attr(spec.write_only) is not None:
            return []
        attr = entity.attr(spec.argument)
        if attr is None or argument_is_read(module, entity, spec.argument):
            return []  # whatever reads the argument would read null after the rename
        if not aws_supports_write_only(module):
            return []  # the AWS provider allowed or locked predates the write-only arguments
        editor = Editor(module)
        same = to_write_only(editor, entity, attr, spec, same_value_comment(spec))
        if same is None:
            return []
        fixes = [
            Fix(
                f"Use the write-only {spec.write_only} (needs Terraform >= 1.11; resets the "
                f"{noun(spec)} of an existing resource unless handled)",
                tuple(same),
                preferred=True,
            )
        ]
        full = _ephemeral_fix(editor, module, entity, attr, spec)
        if full is not None:
            fixes.append(full)
        return fixes


def _ephemeral_fix(
    editor: Editor, module: Module, entity: Entity, attr: Attribute, spec: WriteOnly
) -> Fix | None:
    """The full pattern: the write-only argument fed by an ephemeral random_password, for a
    literal password or one from a managed random_password."""
    if not random_supports_ephemeral(module):
        return None
    value = attr.value
    reset = f"RESETS the {noun(spec)} of an existing resource to a new random value"
    if literal_string(value) is not None and "password" in spec.argument:
        name = unique_ephemeral_name(module, "_".join(name_words(f"{entity.name}_{spec.argument}")))
        moved = to_write_only(
            editor,
            entity,
            attr,
            spec,
            reset_comment(spec),
            value=f"ephemeral.random_password.{name}.result",
        )
        if moved is None:
            return None
        return Fix(
            f"Use {spec.write_only} from a new ephemeral random_password (needs Terraform >= "
            f"1.11; {reset})",
            (block_before(editor, entity, ephemeral_block(name)), *moved),
        )
    if isinstance(value, Reference) and value.root == "random_password":
        generator = module.resolve(value)
        migration = ephemeral_migration(module, generator) if generator is not None else None
        if generator is None or migration is None or not migration.plain:
            return None
        edits = migration_edits(editor, migration)
        if edits is None:
            return None
        others = len(migration.consumers) - 1
        also = f" and {others} more" if others else ""
        return Fix(
            f"Make {generator.address} ephemeral and feed {spec.write_only}{also} (needs "
            f"Terraform >= 1.11; {reset})",
            tuple(edits),
        )
    return None
